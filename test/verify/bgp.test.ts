/**
 * `verify --routing`: BGP checks of rendered FRR and BIRD files pass for every BGP fixture, and each
 * mistake users make ("IPsec up, BGP down") fails or warns with what to change.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { renderBird, renderFrr, withSiteRouting } from '../../lib/endpoint/site';
import { CheckResult, verifyConfig } from '../../lib/verify';
import { parseRoutingConfig } from '../../lib/verify/routing-parse';
import { convertedConfig, FIXTURE_NAMES, loadConnection, tempDir, writeAllFormats } from './helpers';

const dir = tempDir();

async function bgpResults(fixture: string, routingText: string, file: string): Promise<CheckResult[]> {
  const config = convertedConfig(fixture);
  const { json } = writeAllFormats(config, dir, fixture);
  const routingPath = join(dir, file);
  writeFileSync(routingPath, routingText);
  const report = await verifyConfig({ configPath: json, describe: { connection: loadConnection(fixture), file: `${fixture}.json` }, dynamic: false, routingPath });
  return report.tunnels.flatMap((t) => t.checks.filter((c) => c.id.startsWith('bgp-')));
}

const bgpFixtures = FIXTURE_NAMES.filter((f) => convertedConfig(f).routing.type === 'bgp');

describe.each(['frr', 'bird'] as const)('%s files', (format) => {
  const render = format === 'frr' ? renderFrr : renderBird;
  const file = `${format}.conf`;

  test.each(bgpFixtures)('%s: every BGP check passes on the rendered file', async (fixture) => {
    const config = convertedConfig(fixture);
    const announce = config.tunnels[0].local.insideCidr ? ['198.51.100.0/24'] : ['2001:db8:100::/48'];
    const results = await bgpResults(fixture, render(withSiteRouting(config, { announcePrefixes: announce })), file);
    const ids = new Set(results.map((r) => r.id));
    expect([...ids].sort()).toEqual(['bgp-asn', 'bgp-hold-time', 'bgp-local-address', 'bgp-neighbor', 'bgp-prefix-count']);
    expect(results.filter((r) => r.status !== 'pass')).toEqual([]);
  });

  test('a wrong AWS ASN, a missing neighbour and too many prefixes fail', async () => {
    const config = convertedConfig('hq');
    const good = render(withSiteRouting(config, { announcePrefixes: ['198.51.100.0/24'] }));
    const wrongAsn = await bgpResults('hq', good.replace(/64512/g, '64513'), file);
    expect(wrongAsn.find((r) => r.id === 'bgp-asn')).toMatchObject({ status: 'fail', summary: expect.stringMatching(/remote AS 64513, AWS's ASN is 64512/) });
    const noNeighbour = await bgpResults('hq', good.replace(/169\.254\.10\.1\b/g, '169.254.10.9'), file);
    expect(noNeighbour[0]).toMatchObject({ id: 'bgp-neighbor', status: 'fail', fix: 'add neighbor 169.254.10.1 remote-as 64512' });
    // The renderer refuses 101 prefixes, so render the quota and add one by hand, as a user might.
    const quota = render(withSiteRouting(config, { announcePrefixes: Array.from({ length: 100 }, (_, i) => `10.${i}.0.0/16`) }));
    const tooMany = format === 'frr' ? quota.replace('  network ', '  network 10.200.0.0/16\n  network ') : quota.replace('  route ', '  route 10.200.0.0/16 blackhole;\n  route ');
    const counted = await bgpResults('hq', tooMany, file);
    expect(counted.find((r) => r.id === 'bgp-prefix-count')).toMatchObject({ status: 'fail', summary: expect.stringMatching(/announces 101 prefixes.*beyond 100/) });
  });

  test('a hold time that differs from AWS warns, hold time 0 fails; no outbound limit warns', async () => {
    const good = render(convertedConfig('tgw-bgp-defaults'));
    const hold = format === 'frr' ? good.replace(/timers 10 30/g, 'timers 60 180') : good.replace(/hold time 30;/g, 'hold time 180;');
    expect((await bgpResults('tgw-bgp-defaults', hold, file)).find((r) => r.id === 'bgp-hold-time')).toMatchObject({ status: 'warn', summary: expect.stringMatching(/AWS's is 30 s; the session runs 30 s/) });
    const zero = format === 'frr' ? good.replace(/timers 10 30/g, 'timers 0 0') : good.replace(/hold time 30;/g, 'hold time 0;');
    expect((await bgpResults('tgw-bgp-defaults', zero, file)).find((r) => r.id === 'bgp-hold-time')).toMatchObject({ status: 'fail' });
    const unlimited = format === 'frr' ? good.replace(/ +neighbor \S+ maximum-prefix-out \d+\n/g, '') : good.replace(/ +export limit \d+ action block;\n/g, '');
    expect((await bgpResults('tgw-bgp-defaults', unlimited, file)).find((r) => r.id === 'bgp-prefix-count')).toMatchObject({ status: 'warn', fix: expect.stringMatching(/1000/) });
  });
});

test('BIRD: a local address that is not the customer inside address fails', async () => {
  const text = renderBird(convertedConfig('hq')).replace('local 169.254.10.2 as', 'local 169.254.10.3 as');
  const results = await bgpResults('hq', text, 'bird.conf');
  expect(results.find((r) => r.id === 'bgp-local-address' && r.status === 'fail')?.summary).toMatch(/169\.254\.10\.3 is not the customer gateway's inside address 169\.254\.10\.2/);
});

test('FRR peer groups and defaults are read: the group remote-as, FRR default hold time 180 s', () => {
  const parsed = parseRoutingConfig(['router bgp 65010', ' neighbor AWS peer-group', ' neighbor AWS remote-as 64512', ' neighbor 169.254.10.1 peer-group AWS', ' address-family ipv4 unicast', '  network 10.0.0.0/16', ' exit-address-family'].join('\n'), 'x.conf');
  expect(parsed.neighbors).toEqual([expect.objectContaining({ address: '169.254.10.1', remoteAsn: 64512, localAsn: 65010, holdTime: undefined })]);
  expect(parsed.defaultHoldTime).toBe(180);
  expect(parsed.announced).toEqual(['10.0.0.0/16']);
});

test('a file that is neither FRR nor BIRD is bad input', () => {
  expect(() => parseRoutingConfig('hello\n', 'x.conf')).toThrow(/x\.conf: neither an FRR frr\.conf.*nor a BIRD bird\.conf/);
});

/**
 * Every fixture, rendered in every site format, accepted by the real parser of that format; and each
 * parser shown to refuse a broken file, so a pass means something.
 */
import { renderBird, renderFrr, renderLibreswan, renderLinux } from '../../lib/endpoint/site';
import { birdParse, frrDryRun, libreswanCheck, ParseResult, shellcheck } from '../interop/harness/site-parsers';
import { describeWithTools } from '../interop/harness/tools';
import { siteCases } from './site-fixtures';

jest.setTimeout(120_000);

const cases = siteCases();

function expectAccepted(r: ParseResult): void {
  if (!r.ok) throw new Error(`the parser refused the file:\n${r.output}`);
}

describeWithTools('FRR: vtysh --dryrun accepts every rendered frr.conf', ['vtysh'], () => {
  test.each(cases.map((c) => [c.name, c.config] as const))('%s', async (_name, config) => {
    const text = renderFrr(config);
    expectAccepted(await frrDryRun(text));
    if (config.routing.type === 'bgp') {
      for (const t of config.tunnels) expect(text).toContain(` neighbor ${(t.remote.insideCidr ?? t.remote.insideIpv6Cidr)!.split('/')[0]} remote-as ${t.remote.bgpAsn}`);
    } else if (config.site?.awsPrefixes) {
      expect(text).toMatch(/^ip route 10\.0\.0\.0\/16 ipsec1 \d+$/m);
    }
  });

  test('a broken file is refused (an unknown command, a bad address)', async () => {
    const text = renderFrr(cases[0].config);
    expect((await frrDryRun(text)).ok).toBe(true);
    const unknown = await frrDryRun(text.replace(' bgp log-neighbor-changes', ' bgp log-neighbour-changes'));
    expect(unknown.ok).toBe(false);
    expect(unknown.output).toMatch(/Unknown command/);
    expect((await frrDryRun(text.replace(/remote-as 64512/, 'remote-as 64512x'))).ok).toBe(false);
  });
});

describeWithTools('BIRD 2: bird -p accepts every rendered bird.conf', ['bird'], () => {
  test.each(cases.map((c) => [c.name, c.config] as const))('%s', async (_name, config) => {
    const text = renderBird(config);
    expectAccepted(await birdParse(text));
    if (config.routing.type === 'bgp') expect(text.match(/^protocol bgp /gm)?.length).toBe(config.tunnels.length);
  });

  test('a broken file is refused (a missing semicolon, an unknown option)', async () => {
    const text = renderBird(cases[0].config);
    expect((await birdParse(text)).ok).toBe(true);
    const missing = await birdParse(text.replace(/hold time (\d+);/, 'hold time $1'));
    expect(missing.ok).toBe(false);
    expect(missing.output).toMatch(/syntax error/);
    expect((await birdParse(text.replace('connect retry time 10;', 'reconnect time 10;'))).ok).toBe(false);
  });
});

describeWithTools('Libreswan 4.10: addconn --checkconfig and algparse accept every rendered ipsec.conf', ['libreswan'], () => {
  test.each(cases.map((c) => [c.name, c.config] as const))('%s', async (_name, config) => {
    const { ipsecConf } = renderLibreswan(config);
    const r = await libreswanCheck(ipsecConf);
    expectAccepted(r);
    // algparse resolved every proposal line: two per tunnel.
    expect(r.output.match(/^algparse /gm)?.length).toBe(2 * config.tunnels.length);
  });

  test('a broken file is refused: an unknown keyword (addconn), an unknown algorithm (algparse)', async () => {
    const text = renderLibreswan(cases[0].config).ipsecConf;
    expect((await libreswanCheck(text)).ok).toBe(true);
    const keyword = await libreswanCheck(text.replace('    mobike=no', '    mobikes=no'));
    expect(keyword.ok).toBe(false);
    expect(keyword.output).toMatch(/syntax error/);
    const algorithm = await libreswanCheck(text.replace(/ike=[a-z_]+\d+/, 'ike=aes999'));
    expect(algorithm.ok).toBe(false);
    expect(algorithm.output).toMatch(/key length 999 invalid/);
    // Debian's build has no DH group 2: the renderer leaves it out, and algparse would refuse it.
    expect((await libreswanCheck(text.replace(/(esp=\S+-)(\S+)$/m, '$1modp1024'))).ok).toBe(false);
  });
});

describeWithTools('shellcheck accepts every rendered Linux script', ['shellcheck'], () => {
  test.each(cases.map((c) => [c.name, c.config] as const))('%s', async (_name, config) => {
    expectAccepted(await shellcheck(renderLinux(config)));
  });

  test('a broken script is refused (an unquoted variable, a syntax error)', async () => {
    const text = renderLinux(cases[0].config);
    expect((await shellcheck(text)).ok).toBe(true);
    const unquoted = await shellcheck(text.replace('case "${1:-}" in', 'echo $1\ncase "${1:-}" in'));
    expect(unquoted.ok).toBe(false);
    expect(unquoted.output).toMatch(/SC2086/);
    expect((await shellcheck(text.replace('esac', ''))).ok).toBe(false);
  });
});

/** `s2s-vpn config`: in-process through main(argv, io) for every path, and as a real process for the main ones. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseEndpointConfigJson } from '../../lib/endpoint';
import { CANARY, cliProcessScanned, cliScanned, plantedDescribeJson, runCli } from '../helpers/bad-input';
import { fixturePath, loadConnection, presharedKeysIn } from '../endpoint/fixtures';

// Every run is scanned for the secret canaries planted in each describe file this suite writes, and in the
// files it leaves in the temp dir (test/helpers/bad-input.ts).
type Captured = Awaited<ReturnType<typeof runCli>>;
const written = new Set<string>();

const cli = (argv: string[], stdin = ''): Promise<Captured> => cliScanned(argv, { stdin, dirs: [dir], inputs: [...written] });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's2s-vpn-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The connections with a canary in every key field (each tunnel's PreSharedKey, the XML's pre_shared_key). */
function writeDescribe(name: string, connections: Parameters<typeof plantedDescribeJson>[0]): string {
  const path = join(dir, name);
  writeFileSync(path, plantedDescribeJson(connections));
  written.add(path);
  return path;
}

describe('s2s-vpn config (in process)', () => {
  test('prints JSON by default', async () => {
    const r = await cli(['config', '--from-describe', fixturePath('hq')]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const config = parseEndpointConfigJson(r.stdout);
    expect(config.vpnConnectionId).toBe('vpn-0123456789abcdef0');
    expect(config.tunnels.map((t) => t.remote.outsideAddress)).toEqual(['192.0.2.101', '192.0.2.102']);
  });

  test.each([
    ['ts', /^\/\/ On-prem endpoint config[\s\S]*export const config: OnPremEndpointConfig = \{/],
    ['swanctl', /^# strongSwan swanctl\.conf for AWS Site-to-Site VPN connection vpn-0123456789abcdef0[\s\S]*\nconnections \{\n/],
    ['json', /^\{\n {2}"formatVersion": 1,/],
  ])('--format %s', async (format, shape) => {
    const r = await cli(['config', '--from-describe', fixturePath('hq'), '--format', format]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(shape);
  });

  test('--out writes the file atomically (no temp file left) and says so on stderr', async () => {
    const out = join(dir, 'hq.conf');
    writeFileSync(out, 'old content');
    const r = await cli(['config', '--from-describe', fixturePath('hq'), '--format', 'swanctl', '--out', out]);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toBe(`wrote swanctl config for vpn-0123456789abcdef0 to ${out}\n`);
    expect(readFileSync(out, 'utf8')).toMatch(/^# strongSwan swanctl\.conf/);
    expect(readdirSync(dir)).toEqual(['hq.conf']);
    expect(statSync(out).mode & 0o777).toBe(0o644);
  });

  test('--out with --inline-secrets makes the file owner-only', async () => {
    const out = join(dir, 'keys.json');
    const r = await cli(['config', '--from-describe', fixturePath('tgw-bgp-defaults'), '--inline-secrets', '--out', out]);
    expect(r.code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toContain('"value": "EXAMPLE_tgw.tunnel1.notARealKey"');
  });

  test('--out with bad input leaves an existing file as it was', async () => {
    const out = join(dir, 'endpoint.json');
    writeFileSync(out, 'previous config');
    const c = loadConnection('hq');
    c.Options!.TunnelOptions![0].IkeVersions = [{ Value: 'ikev9' }];
    const r = await cli(['config', '--from-describe', writeDescribe('bad-version.json', [c]), '--out', out]);
    expect(r.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('previous config');
    expect(readdirSync(dir).sort()).toEqual(['bad-version.json', 'endpoint.json']);
  });

  test('--out into a missing directory fails cleanly and leaves nothing', async () => {
    const r = await cli(['config', '--from-describe', fixturePath('hq'), '--out', join(dir, 'no', 'such', 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`s2s-vpn: cannot write ${join(dir, 'no', 'such', 'x.json')}: no such file or directory\n`);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('- reads stdin', async () => {
    const r = await cli(['config', '--from-describe', '-'], readFileSync(fixturePath('static-routing'), 'utf8'));
    expect(r.code).toBe(0);
    expect(parseEndpointConfigJson(r.stdout).routing).toEqual({ type: 'static', onPremCidrs: ['10.20.0.0/16', '172.16.8.0/24'] });
  });

  test('a single connection object (--query VpnConnections[0]) is accepted', async () => {
    const path = join(dir, 'one.json');
    writeFileSync(path, JSON.stringify(loadConnection('ipv6-inside')));
    const r = await cli(['config', '--from-describe', path]);
    expect(r.code).toBe(0);
    expect(parseEndpointConfigJson(r.stdout).vpnConnectionId).toBe('vpn-0d4e5f60718293a4b');
  });

  describe('several connections', () => {
    const file = () => writeDescribe('two.json', [loadConnection('hq'), loadConnection('static-routing')]);

    test('without --vpn-connection-id: an error listing the ids', async () => {
      const r = await cli(['config', '--from-describe', file()]);
      expect(r).toEqual({
        code: 2,
        stdout: '',
        stderr: 's2s-vpn: the file lists 2 VPN connections; choose one with --vpn-connection-id: vpn-0123456789abcdef0, vpn-0c3d4e5f60718293a\n',
      });
    });

    test('with --vpn-connection-id: that one', async () => {
      const r = await cli(['config', '--from-describe', file(), '--vpn-connection-id', 'vpn-0c3d4e5f60718293a']);
      expect(r.code).toBe(0);
      expect(parseEndpointConfigJson(r.stdout).vpnConnectionId).toBe('vpn-0c3d4e5f60718293a');
    });

    test('an unknown id: an error listing the ids', async () => {
      const r = await cli(['config', '--from-describe', file(), '--vpn-connection-id', 'vpn-0000']);
      expect(r.stderr).toBe('s2s-vpn: no VPN connection vpn-0000 in the file; it has: vpn-0123456789abcdef0, vpn-0c3d4e5f60718293a\n');
      expect(r.code).toBe(2);
    });
  });

  test.each([
    ['a missing file', () => ['config', '--from-describe', '/nonexistent/describe.json'], /^s2s-vpn: cannot read \/nonexistent\/describe\.json: no such file or directory\n$/],
    ['a directory', () => ['config', '--from-describe', dir], /^s2s-vpn: cannot read .+: is a directory\n$/],
    ['not JSON', () => {
      writeFileSync(join(dir, 'bad.json'), `{"VpnConnections": [ {"PreSharedKey": ${CANARY}} ]}`);
      return ['config', '--from-describe', join(dir, 'bad.json')];
    }, /^s2s-vpn: .+bad\.json is not valid JSON/],
    ['JSON of another shape', () => {
      writeFileSync(join(dir, 'other.json'), '{"Reservations": []}');
      return ['config', '--from-describe', join(dir, 'other.json')];
    }, /^s2s-vpn: .+other\.json: expected the output of `aws ec2 describe-vpn-connections` \(\{ "VpnConnections": \[\.\.\.\] \}\)\n$/],
    ['no connections', () => ['config', '--from-describe', writeDescribe('empty.json', [])], /^s2s-vpn: the file lists no VPN connections\n$/],
    ['a pending connection', () => {
      const c = loadConnection('hq');
      c.State = 'pending';
      delete c.CustomerGatewayConfiguration;
      return ['config', '--from-describe', writeDescribe('pending.json', [c])];
    }, /^s2s-vpn: vpn-0123456789abcdef0: State: "pending": describe vpn-0123456789abcdef0 again once it is available .+\n$/],
    ['an unknown algorithm', () => {
      const c = loadConnection('hq');
      c.Options!.TunnelOptions![1].Phase2EncryptionAlgorithms = [{ Value: 'CHACHA20' }];
      return ['config', '--from-describe', writeDescribe('alg.json', [c])];
    }, /^s2s-vpn: vpn-0123456789abcdef0: Options\.TunnelOptions\[1\]\.Phase2EncryptionAlgorithms\[0\]\.Value: unknown algorithm "CHACHA20"/],
    ['a bad --format', () => ['config', '--from-describe', fixturePath('hq'), '--format', 'xml'], /^error: option '--format <format>' argument 'xml' is invalid\. Allowed choices are json, ts, swanctl, frr, bird, libreswan, libreswan-secrets, linux\.\n$/],
    ['no --from-describe', () => ['config'], /^error: required option '--from-describe <file>' not specified\n$/],
    ['an unknown command', () => ['frobnicate'], /^error: unknown command 'frobnicate'\n$/],
  ])('%s: a one-line message on stderr, non-zero exit, no stack', async (_title, argv, message) => {
    const r = await cli(argv());
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain(CANARY);
  });

  test('a pending connection exits 3 (describe again later), distinct from bad input', async () => {
    const r = await cli(['config', '--from-describe', fixturePath('pending'), '--format', 'swanctl']);
    expect(r).toEqual({ code: 3, stdout: '', stderr: 's2s-vpn: vpn-123123123123abcab: State: "pending": describe vpn-123123123123abcab again once it is available (AWS publishes its tunnels only then)\n' });
    const bad = await cli(['config', '--from-describe', fixturePath('several-connections')]);
    expect(bad.code).toBe(2); // bad input: which connection is not said
  });

  test('several connections in one file: --vpn-connection-id selects one', async () => {
    const r = await cli(['config', '--from-describe', fixturePath('several-connections'), '--vpn-connection-id', 'vpn-0ccc3333dddd44440', '--format', 'swanctl']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('connections {\n  vpn-0ccc3333dddd44440-tunnel1 {');
    expect(r.stdout).not.toContain('vpn-0aaa1111bbbb22220');
  });

  test('certificate tunnels: --certificate and --ca-certificate name the files in swanctl.conf; unsafe names are refused', async () => {
    const r = await cli(['config', '--from-describe', fixturePath('certificate-auth'), '--format', 'swanctl', '--certificate', 'branch.pem', '--ca-certificate', 'corp-ca.pem']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/certs = branch\.pem/g)).toHaveLength(2);
    expect(r.stdout.match(/cacerts = corp-ca\.pem/g)).toHaveLength(2);
    const unsafe = await cli(['config', '--from-describe', fixturePath('certificate-auth'), '--format', 'swanctl', '--certificate', 'a b"}']);
    expect(unsafe).toEqual({ code: 2, stdout: '', stderr: 's2s-vpn: certificateFile: "a b\\"}" must be a file name or path without spaces or quotes\n' });
  });

  test('--help lists the config command and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: s2s-vpn[\s\S]*config \[options\]/);
  });
});

describe('no inline key in any output without --inline-secrets', () => {
  const fixtures = ['vgw-bgp-multi-algorithm', 'tgw-bgp-defaults', 'static-routing', 'ipv6-inside', 'reversed-tunnel-options'];

  test.each(fixtures.flatMap((f) => ['json', 'ts', 'swanctl'].map((format) => [f, format])))('%s as %s', async (fixture, format) => {
    const keys = presharedKeysIn(fixture);
    expect(keys.length).toBeGreaterThan(0);
    const plain = await cli(['config', '--from-describe', fixturePath(fixture), '--format', format]);
    expect(plain.code).toBe(0);
    for (const key of keys) expect(plain.stdout + plain.stderr).not.toContain(key);
    // The control: with --inline-secrets the same keys are there, so the check above can fail.
    const inline = await cli(['config', '--from-describe', fixturePath(fixture), '--format', format, '--inline-secrets']);
    for (const key of keys) expect(inline.stdout).toContain(key);
  });
});

describe('s2s-vpn as a process', () => {
  // What `npx ts-node --transpile-only bin/s2s-vpn.ts` runs, without npx's start-up cost; output scanned for canaries.
  const s2s = (args: string[]): Promise<Captured> => cliProcessScanned(args, { dirs: [dir], inputs: [...written] });

  test('success: swanctl on stdout, exit 0', async () => {
    const r = await s2s(['config', '--from-describe', fixturePath('secrets-manager'), '--format', 'swanctl']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('aws secretsmanager get-secret-value --secret-id');
    expect(r.stderr).toBe('');
  });

  test('bad input: message on stderr, exit 2, no stack trace', async () => {
    const r = await s2s(['config', '--from-describe', join(__dirname, '..', 'fixtures', 'describe', 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^s2s-vpn: cannot read .+nope\.json: no such file or directory\n$/);
  });

  test('several connections without an id: exit 2 listing the ids', async () => {
    const path = writeDescribe('two.json', [loadConnection('hq'), loadConnection('ipv6-inside')]);
    const r = await s2s(['config', '--from-describe', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('vpn-0123456789abcdef0, vpn-0d4e5f60718293a4b');
  });
});

describe('s2s-vpn config --site (what only the site knows)', () => {
  function siteFile(site: unknown): string {
    const path = join(dir, 'site.json');
    writeFileSync(path, typeof site === 'string' ? site : JSON.stringify(site));
    return path;
  }

  test('BGP: the prefixes to announce and the preference reach frr and bird', async () => {
    const site = siteFile({ announcePrefixes: ['10.20.0.0/16'], preference: { mode: 'active-standby', primaryTunnel: 'tunnel1', method: 'as-path-prepend' } });
    const frr = await cli(['config', '--from-describe', fixturePath('hq'), '--format', 'frr', '--site', site]);
    expect(frr).toMatchObject({ code: 0, stderr: '' });
    expect(frr.stdout).toMatch(/^ip prefix-list \S+ seq 5 permit 10\.20\.0\.0\/16$/m);
    expect(frr.stdout).toMatch(/^ {2}network 10\.20\.0\.0\/16$/m);
    expect(frr.stdout).toMatch(/set as-path prepend/);
    expect((await cli(['config', '--from-describe', fixturePath('hq'), '--format', 'frr'])).stdout).not.toContain('10.20.0.0/16');
    const bird = await cli(['config', '--from-describe', fixturePath('hq'), '--format', 'bird', '--site', site]);
    expect(bird.stdout).toContain('10.20.0.0/16');
  });

  test('static: the AWS prefixes reach the Linux script, and swanctl.conf gets its updown', async () => {
    const site = siteFile({ awsPrefixes: ['10.0.0.0/16'] });
    const linux = await cli(['config', '--from-describe', fixturePath('static-routing'), '--format', 'linux', '--site', site]);
    expect(linux.code).toBe(0);
    expect(linux.stdout).toMatch(/ip -4 route replace 10\.0\.0\.0\/16 metric 100 "\$\{hops\[@\]\}"/);
    const swanctl = await cli(['config', '--from-describe', fixturePath('static-routing'), '--format', 'swanctl', '--site', site]);
    expect(swanctl.stdout).toContain('updown = /usr/local/sbin/vpn-0c3d4e5f60718293a-tunnels.sh --updown');
  });

  test.each([
    [{ announcePrefixes: ['10.0.0.1/16'] }, /site\.json: site\.announcePrefixes\[0\]: "10\.0\.0\.1\/16" has host bits set.*write "10\.0\.0\.0\/16"/],
    [{ announcePrefix: ['10.0.0.0/16'] }, /site\.json: site\.announcePrefix: unknown key; did you mean "announcePrefixes"\?/],
    [{ preference: { mode: 'active-standby', primaryTunnel: 'tunnel3' } }, /site\.json: site\.preference\.primaryTunnel: .*"tunnel3"/],
    [{ awsPrefixes: ['10.0.0.0/16'] }, /site\.json: site\.awsPrefixes: applies to static connections only/],
    ['{ "announcePrefixes": [', /site\.json is not valid JSON/],
    [['10.0.0.0/16'], /site\.json: expected a JSON object/],
  ])('bad site %j: exit 2, the field and the value named', async (site, message) => {
    const r = await cli(['config', '--from-describe', fixturePath('hq'), '--format', 'frr', '--site', siteFile(site)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  test('a missing site file is named', async () => {
    const r = await cli(['config', '--from-describe', fixturePath('hq'), '--format', 'frr', '--site', join(dir, 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*nope\.json/);
  });
});

/**
 * `s2s-vpn probe` as a process in the customer gateway's namespace, against strongSwan charon 5.9.8 set up
 * by this test as AWS's endpoint (its own swanctl.conf, not our renderer's): every AWS proposal family comes
 * up with NAT-T from an unprivileged port and answers pings through the tunnel; a wrong key exits 1 naming
 * AUTHENTICATION_FAILED; bad input exits 2, and never echoes a key (the canary planted in every key field).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { AwsEncryptionKeyword as EncryptionKeyword, AwsIntegrityKeyword as IntegrityKeyword } from '../../lib/algorithms';
import { stopCharon } from '../../lib/verify/live/charon';
import type { ProbeReport } from '../../lib/verify';
import { describeWithTools } from '../interop/harness/tools';
import { keepOnFailure, TempDir } from '../interop/harness/tempdir';
import { renderSwanctl, renderTypeScript } from '../../lib/endpoint';
import { CANARY, cliScanned, plantInEndpointConfig, plantInPskFile, plantInSwanctl, PSK_FILE_SHAPES, scanned } from '../helpers/bad-input';
import { convertedConfig } from '../verify/helpers';
import { AWS_SIDE, AWS_SIDE_IPV6, AwsCharon, AwsSideAddresses, bundleCli, CliRun, saveEvidence, startAwsCharon, stopAwsCharon } from './helpers';

const PSK = 'probe-test-key-0123456789abcdef';

/** AWS's families (AES-CBC x SHA-1/SHA-2, AES-GCM-16 with a PRF), as tunnel options and as charon proposals. */
const FAMILIES: readonly { enc: EncryptionKeyword; integ: IntegrityKeyword; group: number; ike: string; esp: string }[] = [
  { enc: 'aes128', integ: 'sha1', group: 14, ike: 'aes128-sha1-modp2048', esp: 'aes128-sha1-modp2048' },
  { enc: 'aes256', integ: 'sha1', group: 14, ike: 'aes256-sha1-modp2048', esp: 'aes256-sha1-modp2048' },
  { enc: 'aes128', integ: 'sha256', group: 19, ike: 'aes128-sha256-ecp256', esp: 'aes128-sha256-ecp256' },
  { enc: 'aes256', integ: 'sha256', group: 14, ike: 'aes256-sha256-modp2048', esp: 'aes256-sha256-modp2048' },
  { enc: 'aes256', integ: 'sha384', group: 20, ike: 'aes256-sha384-ecp384', esp: 'aes256-sha384-ecp384' },
  { enc: 'aes128', integ: 'sha512', group: 21, ike: 'aes128-sha512-ecp521', esp: 'aes128-sha512-ecp521' },
  { enc: 'aes128gcm16', integ: 'sha256', group: 19, ike: 'aes128gcm16-prfsha256-ecp256', esp: 'aes128gcm16-ecp256' },
  { enc: 'aes256gcm16', integ: 'sha384', group: 20, ike: 'aes256gcm16-prfsha384-ecp384', esp: 'aes256gcm16-ecp384' },
];

describeWithTools('s2s-vpn probe against charon as AWS', ['root', 'ip', 'charon', 'swanctl'], () => {
  let tmp: TempDir;
  let n = 0;
  let cli: (args: readonly string[], ns?: string) => Promise<CliRun>;
  beforeAll(() => {
    tmp = new TempDir('s2s-probe');
    cli = bundleCli(tmp.path);
  });
  afterAll(() => tmp.cleanup());

  /** The hq tunnel 1 with one family's algorithms, as the customer gateway's endpoint.json. */
  function configFor(f: (typeof FAMILIES)[number]): string {
    const config = convertedConfig('hq');
    const t = config.tunnels[0] as unknown as { ike: Record<string, unknown>; esp: Record<string, unknown> };
    Object.assign(t.ike, { encryption: [f.enc], integrity: [f.integ], dhGroups: [f.group] });
    Object.assign(t.esp, { encryption: [f.enc], integrity: [f.integ], pfsGroups: [f.group] });
    const file = join(tmp.path, `endpoint-${n}.json`);
    writeFileSync(file, JSON.stringify(config));
    return file;
  }

  async function withAws<T>(o: { ike: string; esp: string; psk: string; addresses?: AwsSideAddresses }, body: (ns: string, aws: AwsCharon) => Promise<T>): Promise<T> {
    return keepOnFailure(tmp, async () => {
      const aws = await startAwsCharon(join(tmp.path, `aws-${n++}`), o);
      try {
        return await body(aws.net.onPremNs, aws);
      } finally {
        await stopAwsCharon(aws);
      }
    });
  }

  const pskFile = () => {
    const file = join(tmp.path, 'psk');
    writeFileSync(file, `${PSK}\n`, { mode: 0o600 });
    return file;
  };

  test.each(FAMILIES.map((f) => [f.ike, f] as const))('%s: up with NAT-T, pings answered, exit 0, exact JSON', async (_name, f) => {
    await withAws({ ike: f.ike, esp: f.esp, psk: PSK }, async (ns) => {
      const run = await cli(['probe', configFor(f), '--tunnel', '1', '--psk-file', pskFile(), '--count', '2', '--timeout', '5', '--json'], ns);
      expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
      const report = JSON.parse(run.stdout) as ProbeReport;
      expect(report).toEqual({
        formatVersion: 1,
        ok: true,
        tunnels: [
          {
            name: 'tunnel1',
            awsOutsideAddress: AWS_SIDE.outside,
            ok: true,
            ike: { established: true, proposal: f.ike, natT: true },
            // The first CHILD_SA comes with IKE_AUTH, without a PFS group (RFC 7296 section 1.2).
            child: { established: true, proposal: f.esp.replace(/-(modp|ecp)\d+$/, '') },
            ping: { sent: 2, received: 2, rttMs: expect.any(Array) },
          },
        ],
      });
      expect(report.tunnels[0].ping.rttMs).toHaveLength(2);
      expect(run.stderr).toMatch(/probe: tunnel1 \(AWS 192\.0\.2\.101\): IKE_SA_INIT to 192\.0\.2\.101:500 from UDP port \d+/);
      expect(run.stderr).toContain('deleting the SAs');
      expect(run.stderr).not.toContain(PSK);
      expect(run.stdout).not.toContain(PSK);
      if (f.ike === 'aes256gcm16-prfsha384-ecp384') saveEvidence('probe-tunnel1.json', run.stdout);
    });
  });

  test('an IPv6 inside tunnel (the ipv6-inside fixture, charon as AWS with ::/0): up, ICMPv6 echo answered from fd00:ec2:0:1::1, exit 0', async () => {
    const fixture = convertedConfig('ipv6-inside', { inlineSecrets: true });
    const psk = 'EXAMPLEv6.tunnel1.notARealKey_';
    await withAws({ ike: 'aes128gcm16-prfsha256-ecp256', esp: 'aes128gcm16-ecp256', psk, addresses: AWS_SIDE_IPV6 }, async (ns) => {
      const file = join(tmp.path, 'ipv6-inside.json');
      writeFileSync(file, JSON.stringify(fixture));
      const run = await cli(['probe', file, '--tunnel', '1', '--count', '3', '--timeout', '5', '--json'], ns);
      expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(run.stdout)).toEqual({
        formatVersion: 1,
        ok: true,
        tunnels: [
          {
            name: 'tunnel1',
            awsOutsideAddress: AWS_SIDE_IPV6.outside,
            ok: true,
            ike: { established: true, proposal: 'aes128gcm16-prfsha256-ecp256', natT: true },
            child: { established: true, proposal: 'aes128gcm16' },
            ping: { sent: 3, received: 3, rttMs: [expect.any(Number), expect.any(Number), expect.any(Number)] },
          },
        ],
      });
      expect(run.stderr).toContain('CHILD_SA up: aes128gcm16, ::/0 === ::/0');
      expect(run.stderr).toContain(`ping ${AWS_SIDE_IPV6.inside} from ${AWS_SIDE_IPV6.customerInside} through the tunnel, 3 time(s)`);
      expect(run.stdout + run.stderr).not.toContain(psk);
      saveEvidence('probe-ipv6-inside.json', run.stdout);
    });
  });

  test('a wrong key: exit 1, the error names AUTHENTICATION_FAILED', async () => {
    const f = FAMILIES[7];
    await withAws({ ike: f.ike, esp: f.esp, psk: 'a-different-key-9876543210' }, async (ns) => {
      const run = await cli(['probe', configFor(f), '--tunnel', '1', '--psk-file', pskFile(), '--timeout', '5', '--json'], ns);
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as ProbeReport;
      expect(report.ok).toBe(false);
      expect(report.tunnels[0]).toMatchObject({ ok: false, ike: { established: false }, child: { established: false }, ping: { sent: 0, received: 0, rttMs: [] } });
      expect(report.tunnels[0].error).toMatch(/^AUTHENTICATION_FAILED/);
    });
  });

  test('AWS silent (charon gone): exit 1 with a timeout error', async () => {
    await withAws({ ike: FAMILIES[0].ike, esp: FAMILIES[0].esp, psk: PSK }, async (ns, aws) => {
      await stopCharon(aws.charon, { signal: 'SIGKILL', keepDir: true });
      const run = await cli(['probe', configFor(FAMILIES[0]), '--tunnel', '1', '--psk-file', pskFile(), '--timeout', '2', '--json'], ns);
      expect(run.code).toBe(1);
      expect((JSON.parse(run.stdout) as ProbeReport).tunnels[0]).toMatchObject({ ok: false, ike: { established: false }, error: expect.stringMatching(/^timeout: no IKE SA within 2s/) });
    });
  });

  /**
   * Bad input, each run with the secret canary as every tunnel's key in the config (and in any --psk-file):
   * stdout, stderr and the inputs' directory are scanned (test/helpers/bad-input.ts).
   */
  describe('bad input exits 2 naming it, never echoing a key', () => {
    let inputs: string;
    let config: string;
    beforeAll(() => {
      inputs = join(tmp.path, 'bad-input');
      mkdirSync(inputs);
      config = join(inputs, 'endpoint.json');
      writeFileSync(config, JSON.stringify(plantInEndpointConfig(convertedConfig('hq'))));
    });
    const probeScanned = (args: readonly string[], ns?: string) => scanned(() => cli(args, ns), { dirs: [inputs], inputs: readdirSync(inputs).map((f) => join(inputs, f)) });

    test.each<[string, (c: string, psk: string) => string[], RegExp]>([
      ['a tunnel that does not exist', (c, psk) => [c, '--tunnel', '3', '--psk-file', psk], /--tunnel 3: the config has tunnel\(s\) 1 to 2/],
      ['--tunnel 0', (c) => [c, '--tunnel', '0'], /--tunnel <n>' argument '0' is invalid\. expected 1, 2 or all/],
      ['--tunnel one', (c) => [c, '--tunnel', 'one'], /argument 'one' is invalid\. expected 1, 2 or all/],
      ['--count 0', (c) => [c, '--tunnel', '1', '--count', '0'], /--count <n>' argument '0' is invalid\. expected a whole number, 1 or more/],
      ['--count 2.5', (c) => [c, '--tunnel', '1', '--count', '2.5'], /argument '2\.5' is invalid\. expected a whole number/],
      ['--timeout 0', (c) => [c, '--tunnel', '1', '--timeout', '0'], /--timeout <seconds>' argument '0' is invalid\. expected seconds above 0/],
      ['--timeout soon', (c) => [c, '--tunnel', '1', '--timeout', 'soon'], /argument 'soon' is invalid\. expected seconds above 0/],
      ['--ping that is no address', (c) => [c, '--tunnel', '1', '--ping', 'aws-side'], /--ping aws-side: not an IP address/],
      ['--ping of the other IP version', (c) => [c, '--tunnel', '1', '--ping', 'fd00::1'], /--ping fd00::1: an IPv6 address, but tunnel1's inside address .* is IPv4/],
      ['--psk-file for every tunnel', (c, psk) => [c, '--psk-file', psk], /--psk-file holds the key of one tunnel/],
      ['--psk-file that does not exist', (c) => [c, '--tunnel', '1', '--psk-file', join(inputs, 'missing')], /cannot read --psk-file .*missing: no such file or directory/],
      ['--psk-file given the key itself', (c) => [c, '--tunnel', '1', '--psk-file', CANARY], /cannot read --psk-file \(an argument of 25 characters, not shown: it has the shape of a key; .*\): no such file/],
      ['an unknown option', (c) => [c, '--tunnels', '1'], /unknown option '--tunnels'/],
      ['a config that does not exist', () => [join(inputs, 'missing.json'), '--tunnel', '1'], /missing\.json/],
    ])('%s', async (_name, args, says) => {
      const psk = plantInPskFile(inputs, 'one line');
      const run = await probeScanned(['probe', ...args(config, psk)]);
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(says) });
    });

    test.each(Object.keys(PSK_FILE_SHAPES) as (keyof typeof PSK_FILE_SHAPES)[])('--psk-file %s, given for every tunnel, then with an unknown tunnel', async (shape) => {
      const psk = plantInPskFile(inputs, shape);
      expect((await probeScanned(['probe', config, '--psk-file', psk])).code).toBe(2);
      expect((await probeScanned(['probe', config, '--tunnel', '3', '--psk-file', psk])).code).toBe(2);
    });

    test('broken configs holding the key: JSON with a bad value, swanctl.conf without --describe, endpoint.ts with the key unquoted', async () => {
      const planted = plantInEndpointConfig(convertedConfig('hq'));
      const badJson = join(inputs, 'bad-mtu.json');
      writeFileSync(badJson, JSON.stringify({ ...planted, tunnels: planted.tunnels.map((t) => ({ ...t, mtu: 'large' })) }));
      const swanctl = join(inputs, 'planted.swanctl.conf');
      writeFileSync(swanctl, plantInSwanctl(renderSwanctl(convertedConfig('vgw-bgp-multi-algorithm', { inlineSecrets: true }))));
      const ts = join(inputs, 'unquoted.ts');
      writeFileSync(ts, renderTypeScript(planted).replace(`'${CANARY}'`, CANARY));
      for (const [file, says] of [[badJson, /mtu/], [swanctl, /AWS's inside address is unknown; pass --ping ADDR or --describe FILE/]] as const) {
        const run = await probeScanned(['probe', file, '--tunnel', '1']);
        expect({ file, code: run.code, stderr: run.stderr }).toEqual({ file, code: 2, stderr: expect.stringMatching(says) });
      }
      // endpoint.ts in process: the esbuild bundle does not find the package's types to check it against.
      const fromTs = await cliScanned(['probe', ts, '--tunnel', '1'], { dirs: [inputs], inputs: [ts] });
      expect({ code: fromTs.code, stderr: fromTs.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(/error TS2304: Cannot find name '<25 characters of a preSharedKey value>'/) });
    }, 60_000);

    test('against charon as AWS (its key the canary): each --psk-file shape and the inline key, scanned whatever the outcome', async () => {
      // The proposals of the hq fixture's tunnel 1, which the planted config keeps.
      await withAws({ ike: 'aes256gcm16-prfsha256-ecp256', esp: 'aes256gcm16-ecp256', psk: CANARY }, async (ns) => {
        const outcome: Record<string, number> = {};
        for (const shape of Object.keys(PSK_FILE_SHAPES) as (keyof typeof PSK_FILE_SHAPES)[]) {
          const run = await probeScanned(['probe', config, '--tunnel', '1', '--psk-file', plantInPskFile(inputs, shape), '--count', '1', '--timeout', '3', '--json'], ns);
          outcome[shape] = run.code;
        }
        // The config's own inline key (the canary) is AWS's: up; and a wrong key in the file: AUTHENTICATION_FAILED.
        outcome.inline = (await probeScanned(['probe', config, '--tunnel', '1', '--count', '1', '--timeout', '3', '--json'], ns)).code;
        const wrong = await probeScanned(['probe', config, '--tunnel', '1', '--psk-file', pskFile(), '--timeout', '3', '--json'], ns);
        expect((JSON.parse(wrong.stdout) as ProbeReport).tunnels[0].error).toMatch(/^AUTHENTICATION_FAILED/);
        expect(outcome).toEqual({ 'one line': 0, 'too short': 1, 'too long': 1, 'non-printable characters': 1, 'two lines': 0, 'empty first line': 2, inline: 0 });
      });
    }, 120_000);
  });
});

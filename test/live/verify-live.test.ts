/**
 * `verify --live`: real strongSwan charon 5.9.8 loaded with the config under test against our IKEv2 + ESP
 * engine as AWS's endpoint (built from the describe file's tunnel options), in network namespaces. The
 * example and the fixtures (both startup actions, CBC and GCM suites, MODP and ECP groups, IPv4 and IPv6
 * inside addresses) pass every live check; the example and the IPv6 fixture run through the CLI with --json,
 * DPD included.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { readDescribe } from '../../bin/cli/verify';
import { renderJson } from '../../lib/endpoint';
import { renderReportText, verifyConfig, VerifyReport } from '../../lib/verify';
import { describeWithTools } from '../interop/harness/tools';
import { keepOnFailure, TempDir } from '../interop/harness/tempdir';
import { convertedConfig, fixturePath } from '../verify/helpers';
import { cli, liveChecks, REPO_ROOT, saveEvidence } from './helpers';

const LIVE_IDS = ['live-ike-sa', 'live-child-sa', 'live-ping', 'live-rekey-child', 'live-rekey-ike', 'live-prediction'];

describeWithTools('verify --live: charon with the config against our engine as AWS', ['root', 'ip', 'charon', 'swanctl', 'ping', 'esbuild'], () => {
  let tmp: TempDir;
  beforeAll(() => (tmp = new TempDir('s2s-live')));
  afterAll(() => tmp.cleanup());

  test('the example (examples/hq.describe.json, AWS initiates) through the CLI: every live check passes on both tunnels, DPD included; exit 0', async () => {
    await keepOnFailure(tmp, async () => {
      const config = join(tmp.path, 'hq-endpoint.json');
      writeFileSync(config, renderJson(convertedConfig('hq')));
      const psk = join(tmp.path, 'hq.psk');
      writeFileSync(psk, 'example-live-key-0123456789abcdef\n', { mode: 0o600 });
      const run = await cli(['verify', config, '--describe', join(REPO_ROOT, 'examples', 'hq.describe.json'), '--live', '--psk-file', psk, '--static-only', '--json']);
      const report = JSON.parse(run.stdout) as VerifyReport;
      expect({ code: run.code, failed: report.tunnels.flatMap((t) => t.checks).filter((c) => c.status === 'fail') }).toEqual({ code: 0, failed: [] });
      expect(report.formatVersion).toBe(1);
      for (const t of [0, 1]) {
        const live = liveChecks(report, t);
        expect(live.map((c) => [c.id, c.status])).toEqual([...LIVE_IDS, 'live-dpd'].map((id) => [id, 'pass']));
        expect(live[0].summary).toBe('IKE SA up: aes256gcm16-prfsha256-ecp256 (AWS initiated (startup action start), NAT-T on UDP 4500)');
        expect(live.find((c) => c.id === 'live-prediction')!.summary).toBe('AWS chose what the static check predicted: IKE aes256-sha256-ecp256, ESP aes256gcm16-ecp256');
        expect(live.find((c) => c.id === 'live-dpd')!.summary).toMatch(/^DPD: on-prem silent, AWS declared it dead after 3\d(\.\d)?s \(timeout 30s\) and re-initiated \(DPD action restart\): the tunnel came back, traffic passed$/);
      }
      expect(run.stderr).toContain('live: the on-prem side goes silent');
      expect(run.stdout + run.stderr).not.toContain('example-live-key');
      // The report as `verify --live` prints it without --json (the CLI's own text renderer), and the JSON.
      saveEvidence('verify-live-example.txt', renderReportText(report));
      saveEvidence('verify-live-example.json', run.stdout);
    });
  }, 240_000);

  test('the ipv6-inside fixture (TunnelInsideIpVersion ipv6, ::/0 selectors) through the CLI: every live check passes on both tunnels over IPv6, ping6 both ways; exit 0', async () => {
    await keepOnFailure(tmp, async () => {
      const config = join(tmp.path, 'ipv6-inside.json');
      writeFileSync(config, renderJson(convertedConfig('ipv6-inside', { inlineSecrets: true })));
      const run = await cli(['verify', config, '--describe', fixturePath('ipv6-inside'), '--live', '--static-only', '--json']);
      const report = JSON.parse(run.stdout) as VerifyReport;
      expect({ code: run.code, failed: report.tunnels.flatMap((t) => t.checks).filter((c) => c.status === 'fail') }).toEqual({ code: 0, failed: [] });
      for (const [t, n] of [[0, 1], [1, 2]]) {
        const live = liveChecks(report, t);
        expect(live.map((c) => [c.id, c.status])).toEqual([...LIVE_IDS, 'live-dpd'].map((id) => [id, 'pass']));
        const summary = (id: string) => live.find((c) => c.id === id)!.summary;
        expect(summary('live-child-sa')).toBe('CHILD_SA up: aes128gcm16, traffic selectors on-prem ::/0 === ::/0 AWS');
        expect(summary('live-ping')).toBe(`Ping6 (ICMPv6 echo) through the tunnel: on-prem fd00:ec2:0:${n}::2 → AWS fd00:ec2:0:${n}::1: 3/3 answered; AWS → on-prem: 3/3 answered`);
        for (const id of ['live-rekey-child', 'live-rekey-ike']) {
          expect(live.find((c) => c.id === id)!.details).toEqual([
            expect.stringMatching(/^started by AWS: .*; then ping6 3\/3 on-prem → AWS, 3\/3 AWS → on-prem$/),
            expect.stringMatching(/^started by on-prem: .*; then ping6 3\/3 on-prem → AWS, 3\/3 AWS → on-prem$/),
          ]);
        }
        expect(summary('live-prediction')).toBe('AWS chose what the static check predicted: IKE aes128gcm16-prfsha256-ecp256, ESP aes128gcm16-ecp256');
      }
      expect(run.stderr).toContain('live: ping6 both ways');
      expect(run.stdout + run.stderr).not.toContain('notARealKey');
      saveEvidence('verify-live-ipv6-inside.txt', renderReportText(report));
      saveEvidence('verify-live-ipv6-inside.json', run.stdout);
    });
  }, 240_000);

  /** Fixtures whose tunnels have IPv4 inside addresses (ipv6-inside, IPv6 only, runs through the CLI above). */
  const FIXTURES: readonly { name: string; startup: string; ike: string; esp: string; psk?: string }[] = [
    { name: 'vgw-bgp-multi-algorithm', startup: 'add', ike: 'aes256-sha256-ecp256', esp: 'aes128gcm16-ecp384' },
    { name: 'reversed-tunnel-options', startup: 'add', ike: 'aes128-sha1-modp2048', esp: 'aes128-sha1-modp2048' },
    { name: 'tgw-bgp-defaults', startup: 'add', ike: 'aes128-sha1-modp1024', esp: 'aes128-sha1-modp1024' },
    { name: 'secrets-manager', startup: 'add', ike: 'aes256-sha512-ecp384', esp: 'aes256-sha512-ecp521', psk: 'fixture-live-key-0123456789abcdef' },
  ];

  test.each(FIXTURES.map((f) => [f.name, f] as const))('fixture %s (endpoint config rendered to swanctl): every live check passes on tunnel 1', async (_n, f) => {
    await keepOnFailure(tmp, async () => {
      const config = join(tmp.path, `${f.name}.json`);
      writeFileSync(config, renderJson(convertedConfig(f.name, { inlineSecrets: f.psk === undefined })));
      const file = fixturePath(f.name);
      const report = await verifyConfig({ configPath: config, describe: { connection: readDescribe(file), file }, tunnel: 1, dynamic: false, live: { psk: f.psk, dpd: false } });
      const live = liveChecks(report);
      // Every check passes, live-rekey-ike included where charon prefers another IKE DH group than AWS chose:
      // AWS's rekey then takes one INVALID_KE_PAYLOAD round trip (lib/ike retries with the group asked for).
      expect(live.filter((c) => c.status !== 'pass')).toEqual([]);
      expect(live.find((c) => c.id === 'live-rekey-ike')!.details).toEqual([
        expect.stringMatching(/^started by AWS: .*pings 3\/3 on-prem → AWS, 3\/3 AWS → on-prem$/),
        expect.stringMatching(/^started by on-prem: .*pings 3\/3 on-prem → AWS, 3\/3 AWS → on-prem$/),
      ]);
      expect(live.map((c) => c.id)).toEqual(LIVE_IDS);
      expect(live[0].summary).toContain(`IKE SA up: `);
      expect(live.find((c) => c.id === 'live-prediction')!.summary).toBe(`AWS chose what the static check predicted: IKE ${f.ike}, ESP ${f.esp}`);
      expect(report.summary.ok).toBe(true);
    });
  }, 120_000);

  test('an IKEv1 tunnel (static-routing fixture): the live stage is skipped, saying why', async () => {
    const config = join(tmp.path, 'static-routing.json');
    writeFileSync(config, renderJson(convertedConfig('static-routing', { inlineSecrets: true })));
    const file = fixturePath('static-routing');
    const report = await verifyConfig({ configPath: config, describe: { connection: readDescribe(file), file }, tunnel: 1, dynamic: false, live: { dpd: false } });
    expect(liveChecks(report)).toEqual([{ id: 'live-setup', stage: 'live', status: 'skip', summary: 'Live stage: the tunnel runs IKEv1 (on-prem ikev1, AWS ikev1); the live stage speaks IKEv2 only' }]);
  });
});

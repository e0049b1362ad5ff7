/** verify runs a list of stages per tunnel, and resolves key references through the caller's resolver. */
import { KeyResolutionError, KeyResolver, renderReportJson, renderReportText, staticStage, verifyConfig, VerifyReport, VerifyStage } from '../../lib/verify';
import { convertedConfig, describeOf, loadConnection, presharedKeysIn, tempDir, writeJson } from './helpers';

const FIXTURE = 'vgw-bgp-multi-algorithm'; // keys referenced into DescribeVpnConnections; the describe file has them inline

async function verifyWith(options: { resolveKey?: KeyResolver; stages?: readonly VerifyStage[]; dynamic?: boolean }): Promise<VerifyReport> {
  const file = writeJson(convertedConfig(FIXTURE), tempDir());
  return verifyConfig({ configPath: file, describe: describeOf(FIXTURE), burstPackets: 16, ...options });
}

const keyOfTunnel = (i: number) => loadConnection(FIXTURE).Options!.TunnelOptions![i].PreSharedKey!;
const checkOf = (report: VerifyReport, id: string, tunnel = 0) => report.tunnels[tunnel].checks.find((c) => c.id === id);

function expectNoKeyIn(report: VerifyReport): void {
  const out = renderReportJson(report) + renderReportText(report);
  for (const key of presharedKeysIn(FIXTURE)) expect(out).not.toContain(key);
}

test('a later stage sees what the static stage found and adds its own checks (the seam of the live stage)', async () => {
  const seen: string[][] = [];
  const live: VerifyStage = {
    name: 'live',
    async run(t) {
      seen.push(t.staticOutcome?.agreedEspSuites ?? []);
      t.checks.push({ id: 'live-probe', stage: 'dynamic', status: 'skip', summary: `live: would negotiate ${t.staticOutcome?.chosenEspSuite}` });
    },
  };
  const report = await verifyWith({ stages: [staticStage, live] });
  expect(seen).toHaveLength(2);
  expect(seen[0].length).toBeGreaterThan(0);
  expect(checkOf(report, 'live-probe')?.summary).toMatch(/^live: would negotiate \w+/);
  expect(report.tunnels[0].exchanges).toEqual([]); // no loopback stage in this list
});

test('default stages: static then loopback; dynamic: false runs static only', async () => {
  const both = await verifyWith({});
  expect(both.tunnels[0].checks.some((c) => c.stage === 'dynamic')).toBe(true);
  const onlyStatic = await verifyWith({ dynamic: false });
  expect(onlyStatic.tunnels[0].checks.every((c) => c.stage === 'static')).toBe(true);
});

test("a resolved key is checked against AWS's rules and AWS's key, and never shown", async () => {
  const asked: string[] = [];
  const resolveKey: KeyResolver = async (ref) => {
    asked.push(ref.kind === 'describe' ? ref.awsOutsideAddress : ref.arn);
    const index = ref.kind === 'describe' && ref.awsOutsideAddress === loadConnection(FIXTURE).Options!.TunnelOptions![1].OutsideIpAddress ? 1 : 0;
    return Buffer.from(keyOfTunnel(index));
  };
  const report = await verifyWith({ resolveKey, dynamic: false });
  expect(asked).toHaveLength(2);
  for (const t of [0, 1]) expect(checkOf(report, 'pre-shared-key-value', t)).toMatchObject({ status: 'pass', summary: expect.stringContaining("matches AWS's key (not shown)") });
  expectNoKeyIn(report);
});

test('a resolved key that differs from AWS\'s, or breaks its rules, fails without showing either key', async () => {
  const wrong = await verifyWith({ resolveKey: async () => Buffer.from('Another_key_of_20ch'), dynamic: false });
  expect(checkOf(wrong, 'pre-shared-key-value')).toMatchObject({ status: 'fail', summary: expect.stringContaining("differs from AWS's key") });
  expect(renderReportJson(wrong)).not.toContain('Another_key_of_20ch');
  const bad = await verifyWith({ resolveKey: async () => Buffer.from('0short'), dynamic: false });
  expect(checkOf(bad, 'pre-shared-key-value')).toMatchObject({ status: 'fail', summary: expect.stringContaining('must be 8 to 64 characters long') });
  expectNoKeyIn(wrong);
});

test('a resolver that fails: its KeyResolutionError is reported; any other error only by name (it might hold the key)', async () => {
  const named = await verifyWith({ resolveKey: async () => Promise.reject(new KeyResolutionError('AccessDeniedException from Secrets Manager')), dynamic: false });
  expect(checkOf(named, 'pre-shared-key-value')?.summary).toContain('cannot read it from DescribeVpnConnections of vpn-0a1b2c3d4e5f60718, tunnel 192.0.2.17: AccessDeniedException from Secrets Manager');
  const leaky = await verifyWith({ resolveKey: async () => Promise.reject(new TypeError(`bad value ${keyOfTunnel(0)}`)), dynamic: false });
  expect(checkOf(leaky, 'pre-shared-key-value')?.summary).toContain('TypeError (details withheld: they may hold the key)');
  expectNoKeyIn(leaky);
});

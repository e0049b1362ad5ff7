/**
 * Configs that must fail, each built by editing a converted fixture, with the message and fix that name
 * what to change. Keys never appear in a report.
 */
import { endpointConfigFromDescribe } from '../../lib/endpoint';
import { renderReportJson, renderReportText, verifyConfig, VerifyReport } from '../../lib/verify';
import { expectNoCanary } from '../helpers/canary';
import { plantInDescribe, scanned } from '../helpers/bad-input';
import { fixturePath, loadConnection, presharedKeysIn, tempDir, writeJson } from './helpers';

const FIXTURE = 'vgw-bgp-multi-algorithm'; // BGP, inline keys in the describe output, GCM-only phase 2

// Loose on purpose: the edits write values the model type forbids.
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Edit = (config: { tunnels: Loose[] } & Loose) => void;

/**
 * The fixture with a secret canary as every key (the describe response's and so the config's, which agree),
 * edited, verified; the report (text and JSON) and a bad-input error are scanned for the canaries.
 */
async function verifyEdited(edit: Edit, withDescribe = true, inlineSecrets = true): Promise<VerifyReport> {
  const connection = plantInDescribe(loadConnection(FIXTURE), { addMissing: false });
  const config = JSON.parse(JSON.stringify(endpointConfigFromDescribe(connection, { inlineSecrets }))) as Parameters<Edit>[0];
  edit(config);
  const file = writeJson(config, tempDir());
  const report = await scanned(() => verifyConfig({ configPath: file, describe: withDescribe ? { connection, file: fixturePath(FIXTURE) } : undefined, dynamic: false }));
  expectNoCanary({ 'the text report': renderReportText(report), 'the JSON report': renderReportJson(report) });
  return report;
}

function check(report: VerifyReport, id: string, tunnel = 0) {
  const found = report.tunnels[tunnel].checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.tunnels[tunnel].checks.map((c) => c.id).join(', ')}`);
  return found;
}

function onlyFailures(report: VerifyReport): string[] {
  return report.tunnels.flatMap((t) => t.checks.filter((c) => c.status === 'fail').map((c) => `${t.name}:${c.id}`));
}

test('the unedited config passes (so each failure below comes from its edit)', async () => {
  const report = await verifyEdited(() => undefined);
  expect(onlyFailures(report)).toEqual([]);
});

test('no common ESP proposal: fails, names the refused proposal and what AWS accepts', async () => {
  const report = await verifyEdited((c) => {
    c.tunnels[0].esp.encryption = ['aes128'];
    c.tunnels[0].esp.integrity = ['sha1'];
  });
  const esp = check(report, 'esp-proposals');
  expect(esp.status).toBe('fail');
  expect(esp.summary).toContain('match nothing');
  expect(esp.details?.join('\n')).toMatch(/aes128-sha1-ecp384: no encryption AWS accepts \(AWS: aes256gcm16, aes128gcm16\)/);
  expect(esp.fix).toContain('tunnels[0].esp');
  expect(onlyFailures(report)).toEqual(['tunnel1:esp-proposals']);
});

test('a DH group AWS has no name for is bad input naming the field', async () => {
  await expect(verifyEdited((c) => (c.tunnels[0].ike.dhGroups = [1]), false)).rejects.toThrow(/tunnels\[0\]\.ike\.dhGroups\[0\]/);
});

test("phase 2 lifetime above AWS's maximum: fails with the field and the limit", async () => {
  const report = await verifyEdited((c) => (c.tunnels[0].esp.lifetimeSeconds = 7200), false);
  const lifetime = check(report, 'esp-lifetime');
  expect(lifetime.status).toBe('fail');
  expect(lifetime.summary).toContain("7200s is above AWS's maximum 3600s");
  expect(lifetime.fix).toBe('set tunnels[0].esp.lifetimeSeconds to at most 3600 (seconds)');
});

test("phase 2 lifetime longer than the tunnel's AWS lifetime: fails against the describe file", async () => {
  const report = await verifyEdited((c) => (c.tunnels[0].esp.lifetimeSeconds = 3600));
  const lifetime = check(report, 'esp-lifetime');
  expect(lifetime.status).toBe('fail');
  expect(lifetime.fix).toBe('set tunnels[0].esp.lifetimeSeconds to at most 1800 (seconds)');
});

test("inside CIDR that does not match AWS's side: fails and gives AWS's address", async () => {
  const report = await verifyEdited((c) => {
    c.tunnels[0].local.insideCidr = '169.254.20.2/30';
    c.tunnels[0].remote.insideCidr = '169.254.20.1/30';
  });
  const inside = check(report, 'inside-ipv4');
  expect(inside.status).toBe('fail');
  expect(inside.summary).toContain("does not match AWS's side (169.254.15.194/30)");
  expect(inside.fix).toBe('set tunnels[0].local.insideCidr to 169.254.15.194/30');
});

test('reserved inside CIDR: fails as reserved', async () => {
  const report = await verifyEdited((c) => {
    c.tunnels[1].local.insideCidr = '169.254.5.2/30';
    c.tunnels[1].remote.insideCidr = '169.254.5.1/30';
  }, false);
  const inside = check(report, 'inside-ipv4', 1);
  expect(inside.status).toBe('fail');
  expect(inside.summary).toContain('169.254.5.0/30 is reserved by AWS');
});

test('local and remote inside addresses in different /30s, or equal: fail', async () => {
  const apart = await verifyEdited((c) => (c.tunnels[0].local.insideCidr = '169.254.16.2/30'), false);
  expect(check(apart, 'inside-ipv4').summary).toContain('not in the same /30');
  const same = await verifyEdited((c) => (c.tunnels[0].local.insideCidr = c.tunnels[0].remote.insideCidr), false);
  expect(check(same, 'inside-ipv4').summary).toContain('share the address');
});

test("a PSK that breaks AWS's rules: fails with the rule, and the key appears nowhere in the report", async () => {
  const badKey = '0bad-key!';
  const report = await verifyEdited((c) => (c.tunnels[0].preSharedKey = { value: badKey }));
  const psk = check(report, 'pre-shared-key');
  expect(psk.status).toBe('fail');
  expect(psk.summary).toContain('must not start with the digit 0');
  for (const text of [renderReportText(report), renderReportJson(report)]) {
    expect(text).not.toContain(badKey);
    for (const key of presharedKeysIn(FIXTURE)) expect(text).not.toContain(key);
  }
});

test("a PSK that differs from AWS's: fails without printing either key", async () => {
  const report = await verifyEdited((c) => (c.tunnels[0].preSharedKey = { value: 'Another_valid.key123' }));
  expect(check(report, 'pre-shared-key').summary).toContain("differs from AWS's key");
  expect(renderReportJson(report)).not.toContain('Another_valid.key123');
});

test('a malformed Secrets Manager ARN fails; a describe reference is only resolvable with --describe', async () => {
  const arn = await verifyEdited((c) => (c.tunnels[0].preSharedKey = { secretArn: 'arn:aws:s3:::bucket' }));
  expect(check(arn, 'pre-shared-key').status).toBe('fail');
  const unresolved = await verifyEdited(() => undefined, false, false);
  expect(check(unresolved, 'pre-shared-key').status).toBe('skip');
  const resolved = await verifyEdited(() => undefined, true, false);
  expect(check(resolved, 'pre-shared-key').status).toBe('pass');
});

test("an MTU above the chosen suite's limit with NAT-T: fails with the limit", async () => {
  const report = await verifyEdited((c) => (c.tunnels[0].mtu = 1500));
  const mtu = check(report, 'mtu');
  expect(mtu.status).toBe('fail');
  expect(mtu.summary).toBe('MTU 1500 is above 1438, the limit for aes128gcm16 with NAT-T');
  expect(mtu.fix).toBe('set tunnels[0].mtu to at most 1438');
});

test("BGP ASN equal to AWS's: fails", async () => {
  const report = await verifyEdited((c) => (c.tunnels[0].local.bgpAsn = c.tunnels[0].remote.bgpAsn));
  const bgp = check(report, 'bgp');
  expect(bgp.status).toBe('fail');
  expect(bgp.summary).toMatch(/the customer gateway ASN \d+ equals AWS's ASN/);
});

test('BGP routing without the customer gateway ASN fails; static routing needs none', async () => {
  const missing = await verifyEdited((c) => delete c.tunnels[0].local.bgpAsn, false);
  expect(check(missing, 'bgp').summary).toBe('BGP: the customer gateway ASN is missing');
  const staticRouting = await verifyEdited((c) => {
    c.routing = { type: 'static', onPremCidrs: ['10.0.0.0/16'] };
  }, false);
  expect(check(staticRouting, 'bgp').status).toBe('pass');
});

test('startup: AWS waits (add) and the config says AWS starts: nobody initiates', async () => {
  const report = await verifyEdited((c) => (c.tunnels[0].startupAction = 'start'));
  const startup = check(report, 'startup');
  expect(startup.status).toBe('fail');
  expect(startup.fix).toContain('tunnels[0].startupAction to "add"');
});

test('rekey margin above half of phase 2 fails with the allowed range', async () => {
  const report = await verifyEdited((c) => (c.tunnels[0].rekey.marginSeconds = 1000), false);
  const rekey = check(report, 'esp-rekey');
  expect(rekey.status).toBe('fail');
  expect(rekey.fix).toContain('between 60 and 900 seconds');
});

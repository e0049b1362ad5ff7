/**
 * `bin/app.ts` as `cdk synth` runs it: a bad config is reported without a stack trace, and with the secret
 * canaries planted (test/helpers/bad-input) nothing it prints or writes to cdk.out holds one. (A full synth of
 * the examples through the same code path is in examples.test.ts; the CLI run itself is slow, so it is not repeated.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { appProcessScanned, CANARY, plantInAppConfig } from '../helpers/bad-input';

const dir = mkdtempSync(path.join(tmpdir(), 'app-entry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const site = { name: 'b', customerGatewayIp: '198.51.100.1', bgpAsn: 64512, tunnels: [{}, {}] };

/** Writes the config (an input: it holds the canaries on purpose) and runs the app on it, scanned. */
async function runApp(name: string, config: unknown) {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  return { file, run: await appProcessScanned({ config: file }, path.join(dir, `${name}.out`)) };
}

test('a bad config exits 2 (bad input) with the list of problems and no stack trace', async () => {
  const { file, run } = await runApp('unknown-key', plantInAppConfig({ sites: [{ ...site, colour: 'red' }] }));
  expect(run.code).toBe(2);
  expect(run.stderr).toBe(`Invalid config ${file}:\n  - sites[0].colour: unknown key (allowed: name, customerGatewayIp, bgpAsn, staticRoutes, ` +
    'certificateArn, deviceName, localIpv4NetworkCidr, remoteIpv4NetworkCidr, localIpv6NetworkCidr, remoteIpv6NetworkCidr, ' +
    'outsideIpAddressType, transportTransitGatewayAttachmentId, enableAcceleration, tunnelInsideIpVersion, tunnelBandwidth, ' +
    'preSharedKeyStorage, tunnels, tunnelOutsideIpAddresses)\n');
});

test('a key pasted into preSharedKeyStorage is refused by the construct by type and length, not echoed', async () => {
  const { run } = await runApp('storage', plantInAppConfig({ sites: [{ ...site, preSharedKeyStorage: CANARY }] }));
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('Site `b`: `preSharedKeyStorage` (a string of 25 characters) is not one of Standard, SecretsManager');
});

test('broken JSON around a key is named by position only', async () => {
  const { file, run } = await runApp('broken', `{ "sites": [{ "preSharedKey": "${CANARY}" ] }`);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(new RegExp(`^Invalid config ${file}:\\n  - ${file} is not valid JSON`));
});

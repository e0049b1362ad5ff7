/**
 * `bin/app.ts` as `cdk synth` runs it: a bad config is reported without a stack trace. (A full synth of the
 * examples through the same code path is in examples.test.ts; the CLI run itself is slow, so it is not repeated.)
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'app-entry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the app the way the CDK CLI does: context in CDK_CONTEXT_JSON, output in CDK_OUTDIR. */
function runApp(context: Record<string, string>) {
  return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'bin/app.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: path.join(dir, 'out') },
  });
}

test('a bad config exits 2 (bad input) with the list of problems and no stack trace', () => {
  const file = path.join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify({ sites: [{ name: 'b', customerGatewayIp: '198.51.100.1', bgpAsn: 64512, colour: 'red' }] }));
  const run = runApp({ config: file });
  expect(run.status).toBe(2);
  expect(run.stderr).toBe(`Invalid config ${file}:\n  - sites[0].colour: unknown key (allowed: name, customerGatewayIp, bgpAsn, staticRoutes, ` +
    'certificateArn, deviceName, localIpv4NetworkCidr, remoteIpv4NetworkCidr, localIpv6NetworkCidr, remoteIpv6NetworkCidr, ' +
    'outsideIpAddressType, transportTransitGatewayAttachmentId, enableAcceleration, tunnelInsideIpVersion, tunnelBandwidth, ' +
    'preSharedKeyStorage, tunnels, tunnelOutsideIpAddresses)\n');
});

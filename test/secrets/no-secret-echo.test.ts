/**
 * No secret echoed, ever: a canary key planted in every field that could hold one, in every input the package
 * reads (the app's config file, endpoint.json, DescribeVpnConnections JSON and its XML, swanctl.conf), with the
 * input broken around it in each way a checker reports; every error, stdout and stderr is scanned.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { VpnConnection } from '@aws-sdk/client-ec2';
import { parseConfig } from '../../bin/app-config/load-config';
import { endpointConfigFromDescribe, renderJson, renderSwanctl, validateEndpointConfig } from '../../lib/endpoint';
import { CANARY, expectNoCanary, thrownWithoutCanary } from '../helpers/canary';
import { runCli } from '../helpers/cli';
import { cliScanned, plantInPskFile, PSK_FILE_SHAPES } from '../helpers/bad-input';
import { loadConnection } from '../endpoint/fixtures';

const ROOT = join(__dirname, '..', '..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 's2s-canary-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI in process; fails the test when a canary appears in its stdout or stderr. */
const cli = runCli;

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const site = { name: 'hq', customerGatewayIp: '198.51.100.10', bgpAsn: 65010 };
const withTunnel = (tunnel: unknown) => ({ sites: [{ ...site, tunnels: [tunnel] }] });

describe("the app's config file", () => {
  test.each<[string, unknown, string]>([
    ['a key pasted into preSharedKeySecret', withTunnel({ preSharedKeySecret: CANARY }),
      'sites[0].tunnels[0].preSharedKeySecret: expected an object, found a string of 25 characters'],
    ['a key as preSharedKey', withTunnel({ preSharedKey: CANARY }), 'sites[0].tunnels[0].preSharedKey: plain-text pre-shared keys are not accepted'],
    ['a key as secretArn', withTunnel({ preSharedKeySecret: { secretArn: CANARY } }),
      'sites[0].tunnels[0].preSharedKeySecret.secretArn: a string of 25 characters is not a Secrets Manager secret ARN'],
    ['a key in a list', withTunnel({ preSharedKeySecret: [CANARY] }), 'sites[0].tunnels[0].preSharedKeySecret: expected an object, found an array'],
    ['a key as jsonField of the wrong type', withTunnel({ preSharedKeySecret: { secretName: 'n', jsonField: [CANARY] } }),
      'sites[0].tunnels[0].preSharedKeySecret.jsonField: expected a string, found an array'],
  ])('%s: named by type and length', (_, json, message) => {
    expect(thrownWithoutCanary(() => parseConfig(json)).message).toContain(message);
  });

  test('through bin/app.ts as cdk synth runs it: exit 2, stderr without the key', () => {
    const config = file('app-config.json', JSON.stringify(withTunnel({ preSharedKeySecret: CANARY })));
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'bin/app.ts'], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ config }), CDK_OUTDIR: join(dir, 'cdk.out') },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('preSharedKeySecret: expected an object, found a string of 25 characters');
    expectNoCanary({ stdout: run.stdout, stderr: run.stderr });
  });

  test('broken JSON around a key: the parser\'s own message (which quotes the input) is not shown', async () => {
    const { loadConfig } = await import('../../bin/app-config/load-config');
    const path = file('broken-app.json', `{ "sites": [ { "tunnels": [ { "preSharedKey": "${CANARY}" ] } ] }`);
    expect(thrownWithoutCanary(() => loadConfig(path)).message).toContain('is not valid JSON');
  });
});

describe('endpoint.json (validate, verify)', () => {
  const config = () => JSON.parse(renderJson(endpointConfigFromDescribe(loadConnection('hq')))) as { tunnels: Record<string, unknown>[] };

  test.each<[string, (c: { tunnels: Record<string, unknown>[] }) => void, string]>([
    ['a key as the preSharedKey itself', (c) => (c.tunnels[0].preSharedKey = CANARY), 'tunnels[0].preSharedKey: expected an object, found a string of 25 characters'],
    ['a key as secretArn', (c) => (c.tunnels[0].preSharedKey = { secretArn: CANARY }), 'tunnels[0].preSharedKey.secretArn: a string of 25 characters is not an ARN'],
    ['a key of the wrong type', (c) => (c.tunnels[0].preSharedKey = { value: [CANARY] }), 'tunnels[0].preSharedKey.value: must be a non-empty string'],
  ])('%s', async (_, mutate, message) => {
    const c = config();
    mutate(c);
    expect(thrownWithoutCanary(() => validateEndpointConfig(c)).message).toContain(message);
    const run = await cli(['verify', file('endpoint.json', JSON.stringify(c)), '--static-only']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });

  test('truncated endpoint.json right after an inline key', async () => {
    const c = config();
    c.tunnels[0].preSharedKey = { value: CANARY };
    const text = JSON.stringify(c, null, 2);
    const run = await cli(['verify', file('truncated.json', text.slice(0, text.indexOf(CANARY) + CANARY.length + 1)), '--static-only']);
    expect(run.code).toBe(2);
  });
});

describe('DescribeVpnConnections (s2s-vpn config)', () => {
  // A fixture whose tunnels carry their keys (PreSharedKey and <pre_shared_key>), as the Standard storage gives them.
  const describe = (mutate: (c: VpnConnection) => void) => {
    const c = loadConnection('static-routing');
    expect(c.CustomerGatewayConfiguration).toContain('<pre_shared_key>');
    mutate(c);
    return JSON.stringify({ VpnConnections: [c] });
  };
  const key = (c: VpnConnection) => c.Options!.TunnelOptions![0];

  test.each<[string, string]>([
    ['a PreSharedKey of the wrong type', describe((c) => ((key(c) as Record<string, unknown>).PreSharedKey = [CANARY]))],
    ['a PreSharedKey AWS would never issue (a space in it)', describe((c) => (key(c).PreSharedKey = `${CANARY} x`))],
    ['the XML truncated inside pre_shared_key', describe((c) => {
      const xml = c.CustomerGatewayConfiguration!;
      c.CustomerGatewayConfiguration = `${xml.slice(0, xml.indexOf('<pre_shared_key>') + 16)}${CANARY}`;
    })],
    ['a mis-closed pre_shared_key in the XML', describe((c) => {
      c.CustomerGatewayConfiguration = c.CustomerGatewayConfiguration!.replace(/<pre_shared_key>[^<]*<\/pre_shared_key>/, `<pre_shared_key>${CANARY}</pre_shared_ky>`);
    })],
    ['the describe JSON cut right after a key', (() => {
      const text = describe((c) => (key(c).PreSharedKey = CANARY));
      return text.slice(0, text.indexOf(CANARY) + CANARY.length + 1);
    })()],
  ])('%s: exit 2, nothing echoed', async (_, text) => {
    for (const format of ['json', 'swanctl']) {
      const run = await cli(['config', '--from-describe', file('describe.json', text), '--format', format]);
      expect(run.code).toBe(2);
    }
  });
});

describe('swanctl.conf (verify)', () => {
  test('a syntax error next to an inline secret', async () => {
    const rendered = renderSwanctl(endpointConfigFromDescribe(loadConnection('hq'), { inlineSecrets: true }));
    const conf = `${rendered}\nsecrets {\n  ike-canary {\n    secret = ${CANARY}\n    id = 198.51.100.10\n`; // unbalanced braces
    const run = await cli(['verify', file('swanctl.conf', conf), '--describe', join(ROOT, 'test', 'fixtures', 'describe', 'hq.json'), '--static-only']);
    expect(run.code).toBe(2);
  });
});

describe('--psk-file contents (probe, verify --live): bad-input paths exit 2 before needing root', () => {
  const shapes = Object.keys(PSK_FILE_SHAPES) as (keyof typeof PSK_FILE_SHAPES)[];
  test.each(shapes)('%s: nothing echoed', async (shape) => {
    const config = file('psk-endpoint.json', renderJson(endpointConfigFromDescribe(loadConnection('hq'))));
    const psk = plantInPskFile(dir, shape);
    // --psk-file for every tunnel is bad input: probe exits 2 whatever the file holds.
    const probe = await cliScanned(['probe', config, '--psk-file', psk], { dirs: [dir], inputs: [psk] });
    expect(probe.code).toBe(2);
    // --psk-file without --live is bad input for verify.
    const verify = await cliScanned(['verify', config, '--psk-file', psk, '--static-only'], { dirs: [dir], inputs: [psk] });
    expect(verify.code).toBe(2);
  });
});

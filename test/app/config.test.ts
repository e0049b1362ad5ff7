/**
 * The JSON config: shape errors with JSON paths, unknown keys, refused plain-text keys, file errors. Every bad
 * config goes through the bad-input helper: the canary planted as each tunnel's secret (plantInAppConfig) or by
 * hand in a key field, and the error and console scanned for it (cdk.out too where the construct is built).
 */
import { App } from 'aws-cdk-lib';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { buildHybridVpnStack } from '../../bin/app-config/build-app';
import { ConfigError, loadConfig, parseConfig } from '../../bin/app-config/load-config';
import { SiteToSiteVpnValidationError } from '../../lib/construct/validation/problems';
import { CANARY, plantInAppConfig, refused } from '../helpers/bad-input';

const ROOT = path.resolve(__dirname, '../..');
/** Two tunnels, so planting reaches a secret reference in every case. */
const site = { name: 'hq', customerGatewayIp: '198.51.100.10', bgpAsn: 65010, tunnels: [{}, {}] };

/** The problems the config checker reports for a bad config, the error and console scanned for canaries. */
async function problemsOf(json: unknown): Promise<readonly string[]> {
  const error = await refused(() => parseConfig(json));
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).problems;
}

test.each(['examples/hq.json', 'examples/branch-static.json'])('%s is well-formed', (file) => {
  expect(loadConfig(path.join(ROOT, file)).sites.length).toBeGreaterThan(0);
});

test.each<[string, unknown, string]>([
  ['unknown key deep inside, with its JSON path',
    { sites: [site, { ...site, name: 'b', tunnels: [{ phase2LifetimeSecond: 3600 }] }] },
    'sites[1].tunnels[0].phase2LifetimeSecond: unknown key (allowed: ikeVersions, '],
  ['wrong type, with the value',
    { sites: [{ ...site, tunnels: [{ phase2LifetimeSeconds: '3600' }, {}] }] },
    'sites[0].tunnels[0].phase2LifetimeSeconds: expected an integer, found "3600"'],
  ['missing sites', {}, 'sites: required'],
  ['missing customer gateway IP', { sites: [{ name: 'x', bgpAsn: 65001 }] }, 'sites[0].customerGatewayIp: required'],
  ['unknown top-level key', { sites: [site], region: 'eu-west-1' }, 'region: unknown key'],
  ['sites not an array', { sites: {} }, 'sites: expected an array, found an object'],
  ['non-object config', [], 'config: expected an object, found an array'],
  ['unknown gateway type', { sites: [site], gateway: { type: 'directConnect' } }, 'gateway.type: "directConnect" is not one of "virtualPrivateGateway", "transitGateway"'],
  ['Transit Gateway without id', { sites: [site], gateway: { type: 'transitGateway' } }, 'gateway.transitGatewayId: required'],
  ['unknown key on the VPC', { sites: [site], vpc: { cidr: '10.0.0.0/16', nat: true } }, 'vpc.nat: unknown key'],
  ['imported VPC id malformed', { sites: [site], vpc: { vpcId: 'my-vpc', availabilityZones: ['a'] } }, 'vpc.vpcId: "my-vpc" is not a VPC id (vpc-...)'],
  ['log retention CloudWatch does not offer', { sites: [{ ...site, tunnels: [{ logging: { retentionDays: 42 } }] }] },
    'sites[0].tunnels[0].logging.retentionDays: number 42 is not one of 1, 3, 5, 7, 14, 30, 60, 90'],
  ['logging neither boolean nor object', { sites: [{ ...site, tunnels: [{ logging: 'yes' }] }] },
    'sites[0].tunnels[0].logging: expected an object, found "yes"'],
  ['topic ARN malformed', { sites: [site], monitoring: { alarmTopicArn: 'my-topic' } }, 'monitoring.alarmTopicArn: "my-topic" is not an SNS topic ARN'],
  ['tag value not a string', { sites: [site], tags: { cost: 5 } }, 'tags.cost: expected a string, found number 5'],
])('%s', async (_title, json, expected) => {
  expect(await problemsOf(plantInAppConfig(json))).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
});

/** A key pasted into the fields of the secret reference itself, or as a plain-text key: planted by hand. */
const withTunnel = (tunnel: Record<string, unknown>) => ({ sites: [{ ...site, tunnels: [tunnel, {}] }] });
test.each<[string, unknown, string]>([
  ['secret with both ARN and name', withTunnel({ preSharedKeySecret: { secretName: CANARY, secretArn: 'arn:aws:secretsmanager:r:1:secret:a' } }),
    'sites[0].tunnels[0].preSharedKeySecret: give exactly one of secretArn, secretName'],
  ['secret with neither, the key as its JSON field', withTunnel({ preSharedKeySecret: { jsonField: CANARY } }),
    'sites[0].tunnels[0].preSharedKeySecret: give exactly one of secretArn, secretName'],
  ['the key as the secret ARN', withTunnel({ preSharedKeySecret: { secretArn: CANARY } }),
    'sites[0].tunnels[0].preSharedKeySecret.secretArn: a string of 25 characters is not a Secrets Manager secret ARN'],
  ['the key as the secret reference', withTunnel({ preSharedKeySecret: CANARY }),
    'sites[0].tunnels[0].preSharedKeySecret: expected an object, found a string of 25 characters'],
  ['the key in an object as the secret name', withTunnel({ preSharedKeySecret: { secretName: { value: CANARY } } }),
    'sites[0].tunnels[0].preSharedKeySecret.secretName: expected a string, found an object'],
  ['a plain-text key on a tunnel', withTunnel({ preSharedKey: CANARY }),
    'sites[0].tunnels[0].preSharedKey: plain-text pre-shared keys are not accepted (they would land in the template): ' +
      'store the key in Secrets Manager and reference it with `preSharedKeySecret`'],
  ['a plain-text key in an object on a site', { sites: [{ ...site, preSharedKey: { value: CANARY } }] },
    'sites[0].preSharedKey: plain-text pre-shared keys are not accepted'],
])('%s', async (_title, json, expected) => {
  expect(await problemsOf(json)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
});

test('a problem the construct finds, with the canary as every secret name: no canary in the error or cdk.out', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'config-construct-'));
  try {
    const file = path.join(dir, 'bad-cidr.json');
    writeFileSync(file, JSON.stringify(plantInAppConfig({ sites: [{ ...site, tunnels: [{ tunnelInsideCidr: '10.0.0.0/30' }, {}] }] })));
    const outdir = path.join(dir, 'cdk.out');
    const error = await refused(() => buildHybridVpnStack(new App({ outdir }), file).node.root, { dirs: [dir], inputs: [file] });
    expect(error).toBeInstanceOf(SiteToSiteVpnValidationError);
    expect(error.message).toContain('`tunnelInsideCidr` 10.0.0.0/30 must be a /30 inside 169.254.0.0/16');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every problem is reported at once', async () => {
  expect(await problemsOf({ stackName: '9lives', sites: [{ name: 1, customerGatewayIp: '198.51.100.1', extra: true }] })).toEqual([
    'stackName: "9lives" is not a CloudFormation stack name',
    'sites[0].name: expected a string, found number 1',
    'sites[0].extra: unknown key (allowed: name, customerGatewayIp, bgpAsn, staticRoutes, certificateArn, deviceName, localIpv4NetworkCidr, ' +
      'remoteIpv4NetworkCidr, localIpv6NetworkCidr, remoteIpv6NetworkCidr, outsideIpAddressType, transportTransitGatewayAttachmentId, ' +
      'enableAcceleration, tunnelInsideIpVersion, tunnelBandwidth, preSharedKeyStorage, tunnels, tunnelOutsideIpAddresses)',
  ]);
});


describe('files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a missing file is named', async () => {
    const file = path.join(dir, 'absent.json');
    expect((await refused(() => loadConfig(file))).message).toBe(`Invalid config ${file}:\n  - cannot read ${file}: no such file or directory`);
  });

  test('broken JSON is named, not quoted around the key in it', async () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, `{ "sites": [{ "tunnels": [{ "preSharedKey": "${CANARY}" ] }`);
    // The parser's own message is not shown: it quotes the input, which could hold a key.
    expect((await refused(() => loadConfig(file))).message).toMatch(new RegExp(`^Invalid config ${file}:\\n  - ${file} is not valid JSON`));
  });
});

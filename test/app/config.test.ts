/** The JSON config: shape errors with JSON paths, unknown keys, refused plain-text keys, file errors. */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ConfigError, loadConfig, parseConfig } from '../../bin/app-config/load-config';
import { PSK_CANARIES } from '../construct/synth';

const ROOT = path.resolve(__dirname, '../..');
const site = { name: 'hq', customerGatewayIp: '198.51.100.10', bgpAsn: 65010 };

/** The problems the config checker reports (empty when the config is well-formed). */
function problemsOf(json: unknown): readonly string[] {
  try {
    parseConfig(json);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

test.each(['examples/hq.json', 'examples/branch-static.json'])('%s is well-formed', (file) => {
  expect(loadConfig(path.join(ROOT, file)).sites.length).toBeGreaterThan(0);
});

test.each<[string, unknown, string]>([
  ['unknown key deep inside, with its JSON path',
    { sites: [site, { ...site, name: 'b', tunnels: [{ phase2LifetimeSecond: 3600 }] }] },
    'sites[1].tunnels[0].phase2LifetimeSecond: unknown key (allowed: ikeVersions, '],
  ['wrong type, with the value',
    { sites: [{ ...site, tunnels: [{ phase2LifetimeSeconds: '3600' }] }] },
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
  ['secret with both ARN and name', { sites: [{ ...site, tunnels: [{ preSharedKeySecret: { secretName: 'a', secretArn: 'arn:aws:secretsmanager:r:1:secret:a' } }] }] },
    'sites[0].tunnels[0].preSharedKeySecret: give exactly one of secretArn, secretName'],
  ['secret with neither', { sites: [{ ...site, tunnels: [{ preSharedKeySecret: { jsonField: 'k' } }] }] },
    'sites[0].tunnels[0].preSharedKeySecret: give exactly one of secretArn, secretName'],
  ['log retention CloudWatch does not offer', { sites: [{ ...site, tunnels: [{ logging: { retentionDays: 42 } }] }] },
    'sites[0].tunnels[0].logging.retentionDays: number 42 is not one of 1, 3, 5, 7, 14, 30, 60, 90'],
  ['logging neither boolean nor object', { sites: [{ ...site, tunnels: [{ logging: 'yes' }] }] },
    'sites[0].tunnels[0].logging: expected an object, found "yes"'],
  ['topic ARN malformed', { sites: [site], monitoring: { alarmTopicArn: 'my-topic' } }, 'monitoring.alarmTopicArn: "my-topic" is not an SNS topic ARN'],
  ['tag value not a string', { sites: [site], tags: { cost: 5 } }, 'tags.cost: expected a string, found number 5'],
])('%s', (_title, json, expected) => {
  expect(problemsOf(json)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
});

test('every problem is reported at once', () => {
  expect(problemsOf({ stackName: '9lives', sites: [{ name: 1, customerGatewayIp: '198.51.100.1', extra: true }] })).toEqual([
    'stackName: "9lives" is not a CloudFormation stack name',
    'sites[0].name: expected a string, found number 1',
    'sites[0].extra: unknown key (allowed: name, customerGatewayIp, bgpAsn, staticRoutes, certificateArn, deviceName, localIpv4NetworkCidr, ' +
      'remoteIpv4NetworkCidr, localIpv6NetworkCidr, remoteIpv6NetworkCidr, outsideIpAddressType, transportTransitGatewayAttachmentId, ' +
      'enableAcceleration, tunnelInsideIpVersion, tunnelBandwidth, preSharedKeyStorage, tunnels, tunnelOutsideIpAddresses)',
  ]);
});

test('a plain-text pre-shared key is refused without echoing it', () => {
  let error: unknown;
  try {
    parseConfig({ sites: [{ ...site, tunnels: [{ preSharedKey: PSK_CANARIES[0] }] }] }, 'hq.json');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  expect(message).toContain('sites[0].tunnels[0].preSharedKey: plain-text pre-shared keys are not accepted');
  expect(message).toContain('`preSharedKeySecret`');
  expect(message).not.toContain(PSK_CANARIES[0]);
});

describe('files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a missing file is named', () => {
    const file = path.join(dir, 'absent.json');
    expect(() => loadConfig(file)).toThrow(`Invalid config ${file}:\n  - cannot read ${file}: no such file or directory`);
  });

  test('broken JSON is named', () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{ "sites": [ }');
    // The parser's own message is not shown: it quotes the input, which could hold a key.
    expect(() => loadConfig(file)).toThrow(`Invalid config ${file}:\n  - ${file} is not valid JSON`);
  });
});

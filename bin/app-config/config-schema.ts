/** The shape of the JSON config file (`HybridVpnConfig`); values are checked against AWS's rules later, by the construct. */
import * as logs from 'aws-cdk-lib/aws-logs';
import { arrayOf, boolean, booleanOr, byKey, Check, Field, integer, literal, object, recordOf, string, tagged } from './schema';

const opt = (check: Check): Field => ({ check });
const req = (check: Check): Field => ({ check, required: true });
const strings = arrayOf(string());
const integers = arrayOf(integer);

const RETENTION_DAYS = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');

const NO_PLAIN_TEXT_KEY = 'plain-text pre-shared keys are not accepted (they would land in the template): ' +
  'store the key in Secrets Manager and reference it with `preSharedKeySecret`';

/** Exactly one of `secretArn` / `secretName`. */
const secretReference: Check = (value, path, errors) => {
  object({ secretArn: opt(string(/^arn:[a-z-]+:secretsmanager:/, 'a Secrets Manager secret ARN')), secretName: opt(string()), jsonField: opt(string()) })(value, path, errors);
  const ref = value as Record<string, unknown>;
  if (ref && typeof ref === 'object' && ('secretArn' in ref) === ('secretName' in ref)) {
    errors.push(`${path}: give exactly one of secretArn, secretName`);
  }
};

const tunnel = object({
  ikeVersions: opt(strings),
  phase1EncryptionAlgorithms: opt(strings),
  phase1IntegrityAlgorithms: opt(strings),
  phase1DhGroupNumbers: opt(integers),
  phase2EncryptionAlgorithms: opt(strings),
  phase2IntegrityAlgorithms: opt(strings),
  phase2DhGroupNumbers: opt(integers),
  phase1LifetimeSeconds: opt(integer),
  phase2LifetimeSeconds: opt(integer),
  rekeyMarginTimeSeconds: opt(integer),
  rekeyFuzzPercentage: opt(integer),
  replayWindowSize: opt(integer),
  dpdTimeoutSeconds: opt(integer),
  dpdTimeoutAction: opt(string()),
  startupAction: opt(string()),
  tunnelInsideCidr: opt(string()),
  tunnelInsideIpv6Cidr: opt(string()),
  enableTunnelLifecycleControl: opt(boolean),
  preSharedKeySecret: opt(secretReference),
  logging: opt(booleanOr(object({
    retentionDays: opt(literal(RETENTION_DAYS)),
    outputFormat: opt(string()),
    bgpLogs: opt(boolean),
  }))),
}, { preSharedKey: NO_PLAIN_TEXT_KEY });

const site = object({
  name: req(string()),
  customerGatewayIp: req(string()),
  bgpAsn: opt(integer),
  staticRoutes: opt(strings),
  certificateArn: opt(string()),
  deviceName: opt(string()),
  localIpv4NetworkCidr: opt(string()),
  remoteIpv4NetworkCidr: opt(string()),
  localIpv6NetworkCidr: opt(string()),
  remoteIpv6NetworkCidr: opt(string()),
  outsideIpAddressType: opt(string()),
  transportTransitGatewayAttachmentId: opt(string()),
  enableAcceleration: opt(boolean),
  tunnelInsideIpVersion: opt(string()),
  tunnelBandwidth: opt(string()),
  preSharedKeyStorage: opt(string()),
  tunnels: opt(arrayOf(tunnel)),
  tunnelOutsideIpAddresses: opt(strings),
}, { preSharedKey: NO_PLAIN_TEXT_KEY });

const newVpc = object({ cidr: opt(string()), flowLogs: opt(boolean) });
const importedVpc = object({
  vpcId: req(string(/^vpc-[0-9a-f]+$/, 'a VPC id (vpc-...)')),
  availabilityZones: req(strings),
  isolatedSubnetIds: opt(strings),
  isolatedSubnetRouteTableIds: opt(strings),
  privateSubnetIds: opt(strings),
  privateSubnetRouteTableIds: opt(strings),
});

const gateway = tagged('type', {
  virtualPrivateGateway: object({ type: req(string()), amazonSideAsn: opt(integer) }),
  transitGateway: object({ type: req(string()), transitGatewayId: req(string()), amazonSideAsn: opt(integer) }),
});

export const hybridVpnConfig: Check = object({
  $schema: opt(string()),
  stackName: opt(string(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'a CloudFormation stack name')),
  description: opt(string()),
  vpc: opt(byKey('vpcId', importedVpc, newVpc)),
  gateway: opt(gateway),
  sites: req(arrayOf(site)),
  monitoring: opt(object({ enabled: opt(boolean), alarmTopicArn: opt(string(/^arn:[a-z-]+:sns:/, 'an SNS topic ARN')) })),
  endpointConfig: opt(boolean),
  tags: opt(recordOf(string())),
});

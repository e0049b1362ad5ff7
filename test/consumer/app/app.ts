/**
 * A consumer's CDK app, as the consumer test installs it next to the packed package: the construct on the app's
 * own `ec2.Vpc` and on a Transit Gateway, with every L1 property the construct emits (so the oldest supported
 * aws-cdk-lib is proven to have them all), and the renderer from the `./endpoint` subpath.
 * In this repository `cdk-site-to-site-vpn` maps to lib/ (tsconfig paths), so it type-checks here too.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SiteToSiteGateway, SiteToSiteVpn, TunnelOptions } from 'cdk-site-to-site-vpn';
import type { OnPremEndpointConfig } from 'cdk-site-to-site-vpn/endpoint';

const app = new App();

const vpcStack = new Stack(app, 'ConsumerVpc');
const vpc = new ec2.Vpc(vpcStack, 'Vpc', {
  ipAddresses: ec2.IpAddresses.cidr('10.20.0.0/16'),
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
});
const key = secretsmanager.Secret.fromSecretNameV2(vpcStack, 'HqKey', 'consumer/hq-psk');
const tunnel: TunnelOptions = {
  ikeVersions: ['ikev2'],
  phase1EncryptionAlgorithms: ['AES256-GCM-16'],
  phase1IntegrityAlgorithms: ['SHA2-384'],
  phase1DhGroupNumbers: [20],
  phase2EncryptionAlgorithms: ['AES256-GCM-16'],
  phase2IntegrityAlgorithms: ['SHA2-384'],
  phase2DhGroupNumbers: [20],
  phase1LifetimeSeconds: 28800,
  phase2LifetimeSeconds: 3600,
  rekeyMarginTimeSeconds: 540,
  rekeyFuzzPercentage: 100,
  replayWindowSize: 1024,
  dpdTimeoutSeconds: 40,
  dpdTimeoutAction: 'restart',
  startupAction: 'start',
  enableTunnelLifecycleControl: true,
  logging: { retention: logs.RetentionDays.ONE_MONTH, outputFormat: 'json', bgpLogs: true },
};
export const vpcVpn = new SiteToSiteVpn(vpcStack, 'Vpn', {
  vpc,
  sites: [{
    name: 'hq',
    customerGatewayIp: '198.51.100.10',
    bgpAsn: 4200000000 - 1, // above 2^31: BgpAsnExtended
    deviceName: 'hq-edge-1',
    preSharedKeyStorage: 'SecretsManager',
    tunnels: [
      { ...tunnel, tunnelInsideCidr: '169.254.10.0/30', preSharedKeySecret: key, preSharedKeySecretField: 'tunnel1' },
      { ...tunnel, tunnelInsideCidr: '169.254.10.4/30', preSharedKeySecret: key, preSharedKeySecretField: 'tunnel2' },
    ],
  }],
});

const tgwStack = new Stack(app, 'ConsumerTgw');
export const tgwVpn = new SiteToSiteVpn(tgwStack, 'Vpn', {
  gateway: SiteToSiteGateway.transitGateway('tgw-0123456789abcdef0', { amazonSideAsn: 64512 }),
  sites: [{
    name: 'branch',
    customerGatewayIp: '203.0.113.20',
    bgpAsn: 65020,
    tunnelBandwidth: 'large',
    tunnelInsideIpVersion: 'ipv6',
    localIpv6NetworkCidr: '::/0',
    remoteIpv6NetworkCidr: '::/0',
    tunnels: [{ tunnelInsideIpv6Cidr: 'fd00:10::/126' }, { tunnelInsideIpv6Cidr: 'fd00:10::4/126' }],
  }],
});

/** The endpoint model's types come from the subpath without aws-cdk-lib; the type is only used, not loaded. */
export type ConsumerEndpointConfig = OnPremEndpointConfig;

app.synth();

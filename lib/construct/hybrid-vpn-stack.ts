/**
 * `HybridVpnStack`: the stack the CDK app builds from a JSON config file. The config mirrors `SiteToSiteVpnProps`,
 * with references (secrets, topic, VPC) given as ids and ARNs instead of constructs.
 */
import { Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { SiteToSiteGateway } from './gateway-choice';
import { SiteOptions, TunnelLoggingOptions, TunnelOptions } from './props';
import { SiteToSiteVpn } from './site-to-site-vpn';

/** A new VPC. */
export interface NewVpcConfig {
  /** CIDR of the new VPC. @default 10.0.0.0/16 */
  readonly cidr?: string;
  /** VPC flow logs to CloudWatch Logs. @default true */
  readonly flowLogs?: boolean;
}

/** An existing VPC, described by its attributes (no lookup: synth stays offline). */
export interface ImportedVpcConfig {
  /** The VPC's id, `vpc-...`. */
  readonly vpcId: string;
  /** Its availability zones, in subnet order. */
  readonly availabilityZones: string[];
  /** Isolated subnets, whose route tables get the propagated routes. @default none */
  readonly isolatedSubnetIds?: string[];
  /** Route tables of the isolated subnets, in the same order. @default none */
  readonly isolatedSubnetRouteTableIds?: string[];
  /** Private subnets with egress, whose route tables get the propagated routes. @default none */
  readonly privateSubnetIds?: string[];
  /** Route tables of the private subnets, in the same order. @default none */
  readonly privateSubnetRouteTableIds?: string[];
}

/** A new virtual private gateway. */
export interface VirtualPrivateGatewayConfig {
  readonly type: 'virtualPrivateGateway';
  /** Amazon side BGP ASN. @default 64512 */
  readonly amazonSideAsn?: number;
}

/** An existing Transit Gateway. */
export interface TransitGatewayConfig {
  readonly type: 'transitGateway';
  /** Its id, `tgw-...`. */
  readonly transitGatewayId: string;
  /** Its Amazon side ASN, checked against the customer ASNs. @default not checked */
  readonly amazonSideAsn?: number;
}

export type GatewayConfig = VirtualPrivateGatewayConfig | TransitGatewayConfig;

/** A pre-shared key kept in Secrets Manager, by ARN or name. */
export interface SecretReferenceConfig {
  /** Complete ARN of the secret. @default use `secretName` */
  readonly secretArn?: string;
  /** Name of the secret. @default use `secretArn` */
  readonly secretName?: string;
  /** JSON field holding the key. @default the whole secret string */
  readonly jsonField?: string;
}

/** `TunnelLoggingOptions` with the retention as a number of days. */
export interface TunnelLoggingConfig extends Omit<TunnelLoggingOptions, 'retention'> {
  /** Days CloudWatch Logs keeps the logs (a value CloudWatch Logs offers). @default 90 */
  readonly retentionDays?: number;
}

/** `TunnelOptions` with the secret given by reference. */
export interface TunnelOptionsConfig extends Omit<TunnelOptions, 'preSharedKeySecret' | 'preSharedKeySecretField' | 'logging'> {
  /** Secret holding your pre-shared key. @default AWS generates the pre-shared key */
  readonly preSharedKeySecret?: SecretReferenceConfig;
  /** Tunnel logs: `true` for the defaults, or options. @default no logging */
  readonly logging?: boolean | TunnelLoggingConfig;
}

/** `SiteOptions` with tunnels as `TunnelOptionsConfig`. */
export interface SiteConfig extends Omit<SiteOptions, 'tunnels'> {
  /** Options for tunnel 1 and tunnel 2. @default AWS defaults for both tunnels */
  readonly tunnels?: TunnelOptionsConfig[];
}

/** TunnelState alarms. */
export interface MonitoringConfig {
  /** Create the alarms. @default true */
  readonly enabled?: boolean;
  /** ARN of an SNS topic the alarms notify. @default none */
  readonly alarmTopicArn?: string;
}

/** The JSON config file. */
export interface HybridVpnConfig {
  /** CloudFormation stack name. @default HybridVpn */
  readonly stackName?: string;
  /** Stack description. @default none */
  readonly description?: string;
  /** A new VPC (`cidr`) or an existing one (`vpcId` + attributes). @default a new VPC */
  readonly vpc?: NewVpcConfig | ImportedVpcConfig;
  /** @default a new virtual private gateway, Amazon ASN 64512 */
  readonly gateway?: GatewayConfig;
  /** The on-premises sites, one VPN connection each. */
  readonly sites: SiteConfig[];
  /** TunnelState alarms. @default alarms on, no topic */
  readonly monitoring?: MonitoringConfig;
  /** Generate each site's on-prem endpoint config at deploy time (S3: endpoint.json, endpoint.ts, swanctl.conf). @default true */
  readonly endpointConfig?: boolean;
  /** Tags for every resource in the stack. @default none */
  readonly tags?: Record<string, string>;
}

export interface HybridVpnStackProps extends StackProps {
  /** The checked config file (see `bin/app-config/load-config.ts`). */
  readonly config: HybridVpnConfig;
}

/** One `SiteToSiteVpn` built from a config file. */
export class HybridVpnStack extends Stack {
  /** The VPN construct, for reaching its sites and gateway. */
  public readonly vpn: SiteToSiteVpn;

  constructor(scope: Construct, id: string, props: HybridVpnStackProps) {
    const { config, ...stackProps } = props;
    super(scope, id, { description: config.description, ...stackProps });
    this.vpn = new SiteToSiteVpn(this, 'SiteToSiteVpn', {
      ...vpcProps(this, config.vpc),
      gateway: gatewayFrom(config.gateway),
      sites: config.sites.map((site) => siteOptions(this, site)),
      monitoring: config.monitoring?.enabled,
      alarmTopic: config.monitoring?.alarmTopicArn
        ? sns.Topic.fromTopicArn(this, 'AlarmTopic', config.monitoring.alarmTopicArn)
        : undefined,
      endpointConfig: config.endpointConfig,
    });
    for (const [key, value] of Object.entries(config.tags ?? {})) Tags.of(this).add(key, value);
  }
}

function isImportedVpc(vpc: NewVpcConfig | ImportedVpcConfig): vpc is ImportedVpcConfig {
  return 'vpcId' in vpc;
}

function vpcProps(scope: Construct, vpc: HybridVpnConfig['vpc']): { vpc?: ec2.IVpc; vpcCidr?: string; vpcFlowLogs?: boolean } {
  if (vpc === undefined) return {};
  if (!isImportedVpc(vpc)) return { vpcCidr: vpc.cidr, vpcFlowLogs: vpc.flowLogs };
  return { vpc: ec2.Vpc.fromVpcAttributes(scope, 'ImportedVpc', vpc) };
}

function gatewayFrom(gateway: GatewayConfig | undefined): SiteToSiteGateway | undefined {
  if (gateway === undefined) return undefined;
  return gateway.type === 'transitGateway'
    ? SiteToSiteGateway.transitGateway(gateway.transitGatewayId, { amazonSideAsn: gateway.amazonSideAsn })
    : SiteToSiteGateway.virtualPrivateGateway({ amazonSideAsn: gateway.amazonSideAsn });
}

function siteOptions(scope: Construct, site: SiteConfig): SiteOptions {
  return {
    ...site,
    tunnels: site.tunnels?.map((tunnel, i) => tunnelOptions(scope, `${site.name}Tunnel${i + 1}`, tunnel)),
  };
}

function tunnelOptions(scope: Construct, id: string, tunnel: TunnelOptionsConfig): TunnelOptions {
  const { preSharedKeySecret, logging, ...rest } = tunnel;
  return {
    ...rest,
    preSharedKeySecret: preSharedKeySecret && importSecret(scope, `${id}PreSharedKey`, preSharedKeySecret),
    preSharedKeySecretField: preSharedKeySecret?.jsonField,
    logging: typeof logging === 'object' ? loggingOptions(logging) : logging,
  };
}

function importSecret(scope: Construct, id: string, ref: SecretReferenceConfig): secretsmanager.ISecret {
  return ref.secretArn
    ? secretsmanager.Secret.fromSecretCompleteArn(scope, id, ref.secretArn)
    : secretsmanager.Secret.fromSecretNameV2(scope, id, ref.secretName as string);
}

function loggingOptions(logging: TunnelLoggingConfig): TunnelLoggingOptions {
  const { retentionDays, ...rest } = logging;
  return { ...rest, retention: retentionDays as logs.RetentionDays | undefined };
}

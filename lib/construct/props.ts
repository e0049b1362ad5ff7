/**
 * The public shape of `SiteToSiteVpn`: its props, each site and each tunnel's options.
 *
 * Names and allowed values are AWS's own (`VpnTunnelOptionsSpecification`, `AWS::EC2::VPNConnection`); the
 * value sets and ranges come from `aws-rules.ts`.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  DpdTimeoutAction,
  EncryptionAlgorithm,
  IkeVersion,
  IntegrityAlgorithm,
  LogOutputFormat,
  OutsideIpAddressType,
  Phase1DhGroup,
  Phase2DhGroup,
  PreSharedKeyStorage,
  StartupAction,
  TunnelBandwidth,
  TunnelInsideIpVersion,
} from '../aws-rules';
import { SiteToSiteGateway } from './gateway-choice';

/** Where a tunnel's activity logs go. */
export interface TunnelLoggingOptions {
  /** How long CloudWatch Logs keeps the tunnel logs. @default three months */
  readonly retention?: logs.RetentionDays;
  /** Format AWS writes the log events in. @default json (AWS's default) */
  readonly outputFormat?: LogOutputFormat;
  /** Also send BGP logs to a second log group per tunnel (BGP sites only). @default false */
  readonly bgpLogs?: boolean;
}

/**
 * Options for one tunnel: every field of EC2's `VpnTunnelOptionsSpecification`.
 *
 * An omitted algorithm list means "every value AWS supports"; an omitted number means AWS's default.
 */
export interface TunnelOptions {
  /** IKE versions the tunnel accepts. @default ikev1 and ikev2 */
  readonly ikeVersions?: IkeVersion[];
  /** Phase 1 (IKE SA) encryption algorithms. @default all AWS supports */
  readonly phase1EncryptionAlgorithms?: EncryptionAlgorithm[];
  /** Phase 1 (IKE SA) integrity algorithms. @default all AWS supports */
  readonly phase1IntegrityAlgorithms?: IntegrityAlgorithm[];
  /** Phase 1 Diffie-Hellman groups. @default all AWS supports */
  readonly phase1DhGroupNumbers?: Phase1DhGroup[];
  /** Phase 2 (IPsec SA) encryption algorithms. @default all AWS supports */
  readonly phase2EncryptionAlgorithms?: EncryptionAlgorithm[];
  /** Phase 2 (IPsec SA) integrity algorithms. @default all AWS supports */
  readonly phase2IntegrityAlgorithms?: IntegrityAlgorithm[];
  /** Phase 2 Diffie-Hellman (PFS) groups. @default all AWS supports */
  readonly phase2DhGroupNumbers?: Phase2DhGroup[];
  /** Phase 1 lifetime in seconds (900 to 28800). @default 28800 */
  readonly phase1LifetimeSeconds?: number;
  /** Phase 2 lifetime in seconds (900 to 3600, below phase 1). @default 3600 */
  readonly phase2LifetimeSeconds?: number;
  /** Seconds before phase 2 expiry when AWS rekeys (60 to half of phase 2). @default 270 */
  readonly rekeyMarginTimeSeconds?: number;
  /** Percentage of the rekey margin over which the rekey time is randomised (0 to 100). @default 100 */
  readonly rekeyFuzzPercentage?: number;
  /** Packets in the IPsec replay window (64 to 2048). @default 1024 */
  readonly replayWindowSize?: number;
  /** Seconds without a reply before dead peer detection fires (30 or more). @default 30 */
  readonly dpdTimeoutSeconds?: number;
  /** What AWS does when dead peer detection fires. @default clear */
  readonly dpdTimeoutAction?: DpdTimeoutAction;
  /** `add`: the customer gateway starts IKE; `start`: AWS starts it (IKEv2 only). @default add */
  readonly startupAction?: StartupAction;
  /** Inside IPv4 CIDR of the tunnel: a /30 in 169.254.0.0/16, unique on the gateway. @default AWS picks one */
  readonly tunnelInsideCidr?: string;
  /** Inside IPv6 CIDR of the tunnel: a /126 in fd00::/8 (Transit Gateway, ipv6 tunnels only). @default AWS picks one */
  readonly tunnelInsideIpv6Cidr?: string;
  /** Let you control when AWS replaces the tunnel endpoint during maintenance. @default false (AWS's default) */
  readonly enableTunnelLifecycleControl?: boolean;
  /**
   * A pre-shared key you bring, kept in Secrets Manager. The template carries only a
   * `{{resolve:secretsmanager:...}}` reference to it, never the key.
   * @default AWS generates the key
   */
  readonly preSharedKeySecret?: secretsmanager.ISecret;
  /** JSON field of `preSharedKeySecret` that holds the key. @default the whole secret string is the key */
  readonly preSharedKeySecretField?: string;
  /** Send tunnel activity logs to a new CloudWatch log group: `true` for the defaults, or options. @default no logging */
  readonly logging?: boolean | TunnelLoggingOptions;
}

/** One on-premises site: a customer gateway and one VPN connection with two tunnels. */
export interface SiteOptions {
  /** Unique name of the site (letters, digits, `.`, `_`, `-`); used in ids, log group names and errors. */
  readonly name: string;
  /** Static outside IPv4 address of the customer gateway device. */
  readonly customerGatewayIp: string;
  /** BGP ASN of the customer gateway (2- or 4-byte). Set this or `staticRoutes`. @default no BGP: static routing */
  readonly bgpAsn?: number;
  /**
   * On-premises IPv4 CIDRs routed to this site without BGP (virtual private gateway). With a Transit Gateway,
   * pass an empty list and add the routes to its route table. Set this or `bgpAsn`.
   * @default no static routes: BGP
   */
  readonly staticRoutes?: string[];
  /** ARN of an ACM private certificate for certificate-based tunnel authentication. @default pre-shared keys */
  readonly certificateArn?: string;
  /** Name of the customer gateway device, for reference. @default none */
  readonly deviceName?: string;
  /** IPv4 CIDR on the customer gateway side that may use the tunnels. @default 0.0.0.0/0 */
  readonly localIpv4NetworkCidr?: string;
  /** IPv4 CIDR on the AWS side that may use the tunnels. @default 0.0.0.0/0 */
  readonly remoteIpv4NetworkCidr?: string;
  /** IPv6 CIDR on the customer gateway side (ipv6 tunnels). @default ::/0 */
  readonly localIpv6NetworkCidr?: string;
  /** IPv6 CIDR on the AWS side (ipv6 tunnels). @default ::/0 */
  readonly remoteIpv6NetworkCidr?: string;
  /** Whether the tunnels' outside addresses are public, or private over Direct Connect. @default PublicIpv4 */
  readonly outsideIpAddressType?: OutsideIpAddressType;
  /** Transit Gateway Direct Connect attachment carrying a `PrivateIpv4` connection. @default none */
  readonly transportTransitGatewayAttachmentId?: string;
  /** Route the tunnels through AWS Global Accelerator (Transit Gateway only). @default false */
  readonly enableAcceleration?: boolean;
  /** Whether the tunnels carry IPv4 or IPv6 traffic. @default ipv4 */
  readonly tunnelInsideIpVersion?: TunnelInsideIpVersion;
  /** Tunnel throughput class: standard (1.25 Gbps) or large (5 Gbps, Transit Gateway only). @default standard */
  readonly tunnelBandwidth?: TunnelBandwidth;
  /** Where AWS stores the tunnels' pre-shared keys. @default SecretsManager (unset with `certificateArn`: no keys) */
  readonly preSharedKeyStorage?: PreSharedKeyStorage;
  /** Options for tunnel 1 and tunnel 2 (at most two). @default AWS defaults for both tunnels */
  readonly tunnels?: TunnelOptions[];
  /**
   * AWS's outside addresses of the tunnels, once known (DescribeVpnConnections), to alarm on each tunnel.
   * @default one alarm per connection that fires when any tunnel is down
   */
  readonly tunnelOutsideIpAddresses?: string[];
}

/** Properties of `SiteToSiteVpn`. */
export interface SiteToSiteVpnProps {
  /** The VPC the virtual private gateway attaches to. @default a new VPC (see `vpcCidr`) */
  readonly vpc?: ec2.IVpc;
  /** CIDR of the new VPC: private isolated subnets in 2 AZs, no NAT gateway. @default 10.0.0.0/16 */
  readonly vpcCidr?: string;
  /** Turn on flow logs (CloudWatch Logs) for the new VPC. @default true */
  readonly vpcFlowLogs?: boolean;
  /** The AWS end of the connections. @default a new virtual private gateway with Amazon ASN 64512 */
  readonly gateway?: SiteToSiteGateway;
  /** The on-premises sites, one VPN connection each. */
  readonly sites: SiteOptions[];
  /** Create CloudWatch alarms on the AWS/VPN `TunnelState` metric. @default true */
  readonly monitoring?: boolean;
  /** SNS topic the alarms notify (alarm and OK). @default alarms notify nobody */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Generate each site's on-prem endpoint config (endpoint.json, endpoint.ts, swanctl.conf) at deploy time, from
   * the tunnel parameters AWS assigns, and alarm on each tunnel by its outside address.
   * @default true
   */
  readonly endpointConfig?: boolean;
  /** The bucket the endpoint configs are written to. @default a new encrypted, versioned, SSL-only bucket */
  readonly endpointConfigBucket?: s3.IBucket;
}

/**
 * The on-prem endpoint config: everything an IPsec device needs to bring up the tunnels of one AWS
 * Site-to-Site VPN connection, as plain JSON-serialisable data.
 *
 * The JSON renderer writes exactly these field names, so scripts may rely on them. Algorithm names are
 * strongSwan's proposal keywords (see `lib/algorithms/`); DH groups are IANA numbers.
 */
import type { DpdTimeoutAction, IkeVersion, StartupAction } from '../aws-rules';
import type { AwsEncryptionKeyword as EncryptionKeyword, AwsIntegrityKeyword as IntegrityKeyword } from '../algorithms';

/** The format version this library writes; bumped on any incompatible change to the shape below. */
export const ENDPOINT_CONFIG_FORMAT_VERSION = 1;

/** The on-prem side's view of one VPN connection: its gateway, routing and (usually two) tunnels. */
export interface OnPremEndpointConfig {
  readonly formatVersion: typeof ENDPOINT_CONFIG_FORMAT_VERSION;
  /** `vpn-...` */
  readonly vpnConnectionId: string;
  /** `cgw-...` */
  readonly customerGatewayId: string;
  /** The AWS gateway the connection terminates on. */
  readonly gateway: GatewayRef;
  readonly routing: Routing;
  /** How the tunnels' outside packets travel. Absent in configs written before it existed: public IPv4, not accelerated. */
  readonly transport?: Transport;
  /**
   * The traffic selectors AWS negotiates (one SA pair per tunnel): `Local/RemoteIpv4NetworkCidr` and the IPv6 pair.
   * Absent in configs written before it existed: 0.0.0.0/0 and/or ::/0, by the tunnels' inside addresses.
   */
  readonly trafficSelectors?: TrafficSelectors;
  /** In the order of the `ipsec_tunnel` elements of AWS's customer gateway configuration XML. */
  readonly tunnels: readonly TunnelConfig[];
  /** What only the site knows (prefixes, tunnel preference); absent from AWS's API. See {@link SiteRouting}. */
  readonly site?: SiteRouting;
}

/**
 * A virtual private gateway (`vgw-...`), a transit gateway (`tgw-...`) or an AWS Cloud WAN core network
 * (`id` is the core network's ARN). The on-prem side is the same for all three.
 */
export interface GatewayRef {
  readonly type: EndpointGatewayKind;
  readonly id: string;
  /** Cloud WAN: the connection's attachment (`CoreNetworkAttachmentArn`). */
  readonly attachmentArn?: string;
  /** A transit gateway's VPN Concentrator the connection is on (`VpnConcentratorId`). */
  readonly vpnConcentratorId?: string;
}

export const ENDPOINT_GATEWAY_KINDS = ['vgw', 'tgw', 'cloud-wan'] as const;
export type EndpointGatewayKind = (typeof ENDPOINT_GATEWAY_KINDS)[number];

/**
 * `OutsideIpAddressType` as DescribeVpnConnections returns it: internet IPv4, private IPv4 (Direct Connect
 * transport attachment) or IPv6 (transit gateway and Cloud WAN only).
 */
export const TUNNEL_OUTSIDE_IP_TYPES = ['PublicIpv4', 'PrivateIpv4', 'Ipv6'] as const;
export type TunnelOutsideIpType = (typeof TUNNEL_OUTSIDE_IP_TYPES)[number];

export interface Transport {
  readonly outsideIpAddressType: TunnelOutsideIpType;
  /** PrivateIpv4: the transit gateway attachment (Direct Connect) the tunnels run over. */
  readonly transportAttachmentId?: string;
  /**
   * Accelerated (AWS Global Accelerator): NAT traversal is mandatory, so the customer gateway must force UDP
   * encapsulation, and must start the IKE rekeys itself (AWS UG, "Accelerated Site-to-Site VPN connections").
   */
  readonly accelerated: boolean;
}

/** CIDRs on each side; `local` is the customer gateway's side (AWS's `LocalIpv4NetworkCidr`). */
export interface TrafficSelectors {
  readonly local: readonly string[];
  readonly remote: readonly string[];
}

/** BGP over the tunnels, or static routes (the on-prem CIDRs AWS routes into the tunnels). */
export type Routing = BgpRouting | StaticRouting;

export interface BgpRouting {
  readonly type: 'bgp';
}

export interface StaticRouting {
  readonly type: 'static';
  /** The connection's static routes (`DestinationCidrBlock`), possibly empty. */
  readonly onPremCidrs: readonly string[];
}

/** One side of a tunnel. Inside addresses carry their tunnel prefix: `169.254.15.194/30`, `fd00::2/126`. */
export interface TunnelEndpoint {
  /** The public (or private, for private-IP VPNs) address IKE and ESP run between. */
  readonly outsideAddress: string;
  /** IPv4 inside address with prefix. Absent only for tunnels with IPv6 inside addresses only. */
  readonly insideCidr?: string;
  /** IPv6 inside address with the tunnel's /126 prefix, for IPv6 tunnels. */
  readonly insideIpv6Cidr?: string;
  /** BGP ASN, for BGP connections. */
  readonly bgpAsn?: number;
}

/** AWS's side of a tunnel. */
export interface AwsTunnelEndpoint extends TunnelEndpoint {
  /** BGP hold time in seconds, for BGP connections. */
  readonly bgpHoldTime?: number;
}

/**
 * Phase 1: what AWS's endpoint accepts for the IKE SA. Lists keep the tunnel options' order (AWS's defaults:
 * the order of `lib/aws-rules.ts`); AWS itself evaluates from its lowest configured value whatever the order.
 */
export interface IkeParameters {
  readonly versions: readonly IkeVersion[];
  readonly encryption: readonly EncryptionKeyword[];
  readonly integrity: readonly IntegrityKeyword[];
  readonly dhGroups: readonly number[];
  readonly lifetimeSeconds: number;
}

/** Phase 2: what AWS's endpoint accepts for the ESP SA (CHILD_SA). */
export interface EspParameters {
  readonly encryption: readonly EncryptionKeyword[];
  readonly integrity: readonly IntegrityKeyword[];
  /** DH groups for perfect forward secrecy on each phase 2 (re)key. */
  readonly pfsGroups: readonly number[];
  readonly lifetimeSeconds: number;
  /** In packets. */
  readonly replayWindow: number;
  /** AWS runs tunnel mode only. */
  readonly mode: 'tunnel';
}

/** AWS's rekey timing: it rekeys `marginSeconds` (plus up to `fuzzPercent` % of it) before expiry. */
export interface RekeyParameters {
  readonly marginSeconds: number;
  readonly fuzzPercent: number;
}

/** Dead peer detection as AWS runs it. */
export interface DpdParameters {
  /** AWS probes after this many idle seconds (the XML's `dead_peer_detection/interval`). */
  readonly intervalSeconds: number;
  /** AWS declares the peer dead after this many seconds without an answer. */
  readonly timeoutSeconds: number;
  /** What AWS does then: `clear` the SAs, `restart` IKE, or `none`. */
  readonly action: DpdTimeoutAction;
}

/** The pre-shared key is kept in AWS Secrets Manager; fetch it with `aws secretsmanager get-secret-value`. */
export interface SecretsManagerKeyRef {
  readonly secretArn: string;
}

/** The pre-shared key itself. Only written when the caller asked for inline secrets. */
export interface InlineKey {
  readonly value: string;
}

/**
 * The key is in the connection's DescribeVpnConnections output (`TunnelOptions[].PreSharedKey` of the tunnel
 * whose `OutsideIpAddress` is `awsOutsideAddress`), which the converter deliberately did not copy.
 */
export interface DescribeVpnConnectionsKeyRef {
  readonly source: 'describe-vpn-connections';
  readonly vpnConnectionId: string;
  readonly awsOutsideAddress: string;
  /**
   * Which part of the response holds it: the tunnel options, or (when they carry no key) the
   * `ike/pre_shared_key` of the XML tunnel whose AWS outside address is `awsOutsideAddress`.
   * @default 'TunnelOptions'
   */
  readonly field?: 'TunnelOptions' | 'CustomerGatewayConfiguration';
}

/** Where a tunnel's pre-shared key is, or (with inline secrets only) the key. */
export type PreSharedKeyRef = SecretsManagerKeyRef | InlineKey | DescribeVpnConnectionsKeyRef;

/**
 * Certificate authentication (AWS Private CA): the customer gateway presents its certificate; AWS presents one
 * issued for the tunnel, whose subject is `awsIdentity`. The certificate files are the user's, named at render time.
 */
export interface CertificateAuth {
  readonly type: 'certificate';
  /** The IKE identity (subject DN) of AWS's tunnel certificate. */
  readonly awsIdentity: string;
  /** AWS's certificate for this tunnel (`VgwTelemetry[].CertificateArn`). */
  readonly awsCertificateArn?: string;
}

/** One IPsec tunnel between the customer gateway (`local`) and AWS (`remote`). */
export interface TunnelConfig {
  /** `tunnel1`, `tunnel2`: the position in the XML, 1-based. */
  readonly name: string;
  /** The customer gateway side. */
  readonly local: TunnelEndpoint;
  /** AWS's side. */
  readonly remote: AwsTunnelEndpoint;
  readonly ike: IkeParameters;
  readonly esp: EspParameters;
  readonly rekey: RekeyParameters;
  readonly dpd: DpdParameters;
  /** `add`: the customer gateway initiates; `start`: AWS initiates (IKEv2 only). */
  readonly startupAction: StartupAction;
  /** Pre-shared key authentication (the usual case): where the key is. Absent exactly when `auth` is set. */
  readonly preSharedKey?: PreSharedKeyRef;
  /** Certificate authentication instead of a pre-shared key. */
  readonly auth?: CertificateAuth;
  /** TCP MSS to clamp to inside the tunnel (the XML's `tcp_mss_adjustment`). */
  readonly tcpMssAdjust?: number;
  /** The largest inner packet the tunnel carries with every suite it may negotiate, NAT-T included. */
  readonly mtu?: number;
  /**
   * Which values are AWS's defaults rather than read from the response, and where each came from: model field
   * path (`ike.encryption`) → reason. Absent when every value was given.
   */
  readonly defaults?: Readonly<Record<string, string>>;
}

/** Type guards for the three kinds of pre-shared key reference. */
export function isSecretsManagerKeyRef(ref: PreSharedKeyRef): ref is SecretsManagerKeyRef {
  return 'secretArn' in ref;
}

export function isInlineKey(ref: PreSharedKeyRef): ref is InlineKey {
  return 'value' in ref;
}

export function isDescribeVpnConnectionsKeyRef(ref: PreSharedKeyRef): ref is DescribeVpnConnectionsKeyRef {
  return 'source' in ref && ref.source === 'describe-vpn-connections';
}

/**
 * The site's own routing choices, for the routing renderers (FRR, BIRD, Linux). DescribeVpnConnections has
 * none of this: the user supplies it (`withSiteRouting`).
 */
export interface SiteRouting {
  /** On-prem prefixes announced to AWS over BGP; at most AWS's per-session quota (`BGP_ROUTE_QUOTAS`). */
  readonly announcePrefixes?: readonly string[];
  /** AWS-side prefixes (VPC CIDRs) a static site routes into the tunnels; a BGP site learns them. */
  readonly awsPrefixes?: readonly string[];
  /** How the tunnels share traffic. @default active-active */
  readonly preference?: TunnelPreference;
}

/** Both tunnels carry traffic (ECMP on-prem; a transit gateway can do ECMP too), or one is a standby. */
export type TunnelPreference = ActiveActivePreference | ActiveStandbyPreference;

export interface ActiveActivePreference {
  readonly mode: 'active-active';
}

/**
 * One tunnel is preferred both ways: on-prem by local preference (BGP) or distance (static), and by AWS
 * through a higher MED or a prepended AS path on the standby's announcements.
 */
export interface ActiveStandbyPreference {
  readonly mode: 'active-standby';
  /** The `name` of the preferred tunnel (`tunnel1`). */
  readonly primaryTunnel: string;
  /** How AWS is told which tunnel to prefer (BGP only). @default med */
  readonly method?: 'med' | 'as-path-prepend';
}

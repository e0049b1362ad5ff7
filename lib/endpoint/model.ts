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
  /** In the order of the `ipsec_tunnel` elements of AWS's customer gateway configuration XML. */
  readonly tunnels: readonly TunnelConfig[];
}

/** A virtual private gateway (`vgw-...`) or a transit gateway (`tgw-...`). */
export interface GatewayRef {
  readonly type: 'vgw' | 'tgw';
  readonly id: string;
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
}

/** Where a tunnel's pre-shared key is, or (with inline secrets only) the key. */
export type PreSharedKeyRef = SecretsManagerKeyRef | InlineKey | DescribeVpnConnectionsKeyRef;

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
  readonly preSharedKey: PreSharedKeyRef;
  /** TCP MSS to clamp to inside the tunnel (the XML's `tcp_mss_adjustment`). */
  readonly tcpMssAdjust?: number;
  /** The largest inner packet the tunnel carries with every suite it may negotiate, NAT-T included. */
  readonly mtu?: number;
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

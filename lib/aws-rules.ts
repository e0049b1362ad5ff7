/**
 * AWS Site-to-Site VPN rules, limits and defaults: the one place they are written down.
 *
 * The construct validates against these at synth time, the endpoint converter fills AWS's defaults from
 * them, and `s2s-vpn verify` checks on-prem configs against them. Names follow AWS's own API values.
 * Source: AWS Site-to-Site VPN User Guide ("Tunnel options"), EC2 API `VpnTunnelOptionsSpecification`.
 */

export const IKE_VERSIONS = ['ikev1', 'ikev2'] as const;
export type IkeVersion = (typeof IKE_VERSIONS)[number];

export const ENCRYPTION_ALGORITHMS = ['AES128', 'AES256', 'AES128-GCM-16', 'AES256-GCM-16'] as const;
export type EncryptionAlgorithm = (typeof ENCRYPTION_ALGORITHMS)[number];

export const INTEGRITY_ALGORITHMS = ['SHA1', 'SHA2-256', 'SHA2-384', 'SHA2-512'] as const;
export type IntegrityAlgorithm = (typeof INTEGRITY_ALGORITHMS)[number];

export const PHASE1_DH_GROUPS = [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24] as const;
export type Phase1DhGroup = (typeof PHASE1_DH_GROUPS)[number];

export const PHASE2_DH_GROUPS = [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24] as const;
export type Phase2DhGroup = (typeof PHASE2_DH_GROUPS)[number];

export const DPD_TIMEOUT_ACTIONS = ['clear', 'none', 'restart'] as const;
export type DpdTimeoutAction = (typeof DPD_TIMEOUT_ACTIONS)[number];

export const STARTUP_ACTIONS = ['add', 'start'] as const;
export type StartupAction = (typeof STARTUP_ACTIONS)[number];

/** An inclusive integer range with AWS's default inside it. */
export interface Range {
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

export const PHASE1_LIFETIME_SECONDS: Range = { min: 900, max: 28800, default: 28800 };
export const PHASE2_LIFETIME_SECONDS: Range = { min: 900, max: 3600, default: 3600 };
/** The maximum is not fixed: it is half of the phase 2 lifetime (see {@link maxRekeyMarginSeconds}). */
export const REKEY_MARGIN_TIME_SECONDS: Range = { min: 60, max: 1800, default: 270 };
export const REKEY_FUZZ_PERCENTAGE: Range = { min: 0, max: 100, default: 100 };
export const REPLAY_WINDOW_SIZE: Range = { min: 64, max: 2048, default: 1024 };
/** AWS sets no maximum; the `max` here only bounds what a 32-bit field holds. */
export const DPD_TIMEOUT_SECONDS: Range = { min: 30, max: 2 ** 31 - 1, default: 30 };
export const DPD_TIMEOUT_ACTION_DEFAULT: DpdTimeoutAction = 'clear';
/** AWS's endpoint sends a DPD request after this many idle seconds (the XML's `dead_peer_detection/interval`). */
export const DPD_INTERVAL_SECONDS = 10;
export const STARTUP_ACTION_DEFAULT: StartupAction = 'add';

/** Rekey margin may be at most half of the phase 2 lifetime. */
export function maxRekeyMarginSeconds(phase2LifetimeSeconds: number): number {
  return Math.floor(phase2LifetimeSeconds / 2);
}

export const AMAZON_SIDE_ASN_RANGES: readonly Range[] = [
  { min: 64512, max: 65534, default: 64512 },
  { min: 4200000000, max: 4294967294, default: 64512 },
];
export const AMAZON_SIDE_ASN_DEFAULT = 64512;

/** Customer gateway `BgpAsn` covers 1..2^31-1; `BgpAsnExtended` covers the rest of the 4-byte space. */
export const CUSTOMER_BGP_ASN: Range = { min: 1, max: 2147483647, default: 65000 };
export const CUSTOMER_BGP_ASN_EXTENDED: Range = { min: 2147483648, max: 4294967294, default: 2147483648 };
/** The 4-byte private range, which AWS does not support for customer gateways. */
export const CUSTOMER_ASN_UNSUPPORTED_PRIVATE: Range = { min: 4200000000, max: 4294967294, default: 4200000000 };

export const MAX_TUNNELS_PER_CONNECTION = 2;
export const MAX_CONNECTIONS_PER_VIRTUAL_PRIVATE_GATEWAY = 10;

/** Inside tunnel CIDRs AWS refuses (UG: "Tunnel options for your Site-to-Site VPN connection"). */
export const RESERVED_TUNNEL_INSIDE_CIDRS = [
  '169.254.0.0/30',
  '169.254.1.0/30',
  '169.254.2.0/30',
  '169.254.3.0/30',
  '169.254.4.0/30',
  '169.254.5.0/30',
  '169.254.169.252/30',
] as const;
export const TUNNEL_INSIDE_CIDR_RANGE = '169.254.0.0/16';
export const TUNNEL_INSIDE_CIDR_PREFIX = 30;
export const TUNNEL_INSIDE_IPV6_CIDR_RANGE = 'fd00::/8';
export const TUNNEL_INSIDE_IPV6_CIDR_PREFIX = 126;

/** 8–64 characters of letters, digits, periods and underscores; must not start with zero. */
export const PRE_SHARED_KEY_PATTERN = /^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$/;

/** Why a pre-shared key breaks AWS's rules, or undefined when it is acceptable. Never echoes the key. */
export function preSharedKeyProblem(key: string): string | undefined {
  if (key.length < 8 || key.length > 64) return `must be 8 to 64 characters long (it has ${key.length})`;
  if (key.startsWith('0')) return 'must not start with the digit 0';
  if (!/^[A-Za-z0-9._]+$/.test(key)) return 'may contain only letters, digits, periods (.) and underscores (_)';
  return undefined;
}

/** Per-tunnel ceilings AWS publishes, for reports beside measured figures. */
export const TUNNEL_MAX_PACKETS_PER_SECOND = 140_000;
export const TUNNEL_MAX_GBPS = 1.25;
export const TUNNEL_MAX_GBPS_LARGE = 5;

/** AWS's outer MTU: the tunnel's outside interface is a standard 1500-byte Ethernet MTU. */
export const OUTSIDE_MTU = 1500;
/** The largest inner MTU AWS supports on any suite (AES-GCM without NAT-T). */
export const MAX_TUNNEL_MTU = 1446;

/** `OutsideIpAddressType`: PrivateIpv4 runs over Direct Connect and needs a Transit Gateway transport attachment. */
export const OUTSIDE_IP_ADDRESS_TYPES = ['PublicIpv4', 'PrivateIpv4'] as const;
export type OutsideIpAddressType = (typeof OUTSIDE_IP_ADDRESS_TYPES)[number];

/** `TunnelInsideIpVersion`: ipv6 tunnels exist only on a Transit Gateway. */
export const TUNNEL_INSIDE_IP_VERSIONS = ['ipv4', 'ipv6'] as const;
export type TunnelInsideIpVersion = (typeof TUNNEL_INSIDE_IP_VERSIONS)[number];

/** `TunnelBandwidth`: large (5 Gbps) needs a Transit Gateway and no acceleration. */
export const TUNNEL_BANDWIDTHS = ['standard', 'large'] as const;
export type TunnelBandwidth = (typeof TUNNEL_BANDWIDTHS)[number];

/** `PreSharedKeyStorage`: where AWS keeps the tunnels' pre-shared keys. */
export const PRE_SHARED_KEY_STORAGES = ['Standard', 'SecretsManager'] as const;
export type PreSharedKeyStorage = (typeof PRE_SHARED_KEY_STORAGES)[number];

/** `LogOutputFormat` of tunnel (and BGP) logs sent to CloudWatch Logs; AWS's default is json. */
export const LOG_OUTPUT_FORMATS = ['json', 'text'] as const;
export type LogOutputFormat = (typeof LOG_OUTPUT_FORMATS)[number];

/** Vended-log prefix AWS recommends for log groups a service writes to (keeps the resource policy small). */
export const VENDED_LOG_GROUP_PREFIX = '/aws/vendedlogs/';

/** AWS/VPN metric carrying tunnel state: 1 up, 0 down; with only the VpnId dimension, the fraction of tunnels up. */
export const TUNNEL_STATE_METRIC = { namespace: 'AWS/VPN', metricName: 'TunnelState' } as const;

/**
 * Routes per BGP session, by gateway kind: a customer gateway that advertises more than
 * `fromCustomerGateway` prefixes has its session reset; AWS advertises at most `toCustomerGateway`.
 * None of these can be increased.
 *
 * Source: AWS Site-to-Site VPN User Guide, "Site-to-Site VPN quotas", section Routes
 * (https://docs.aws.amazon.com/vpn/latest/s2svpn/vpn-limits.html#vpn-quotas-routes; its source is
 * awsdocs/aws-site-to-site-vpn-user-guide, doc_source/vpn-limits.md): "Dynamic routes advertised from a
 * customer gateway device to a Site-to-Site VPN connection on a virtual private gateway: 100", "... on a
 * transit gateway: 1,000"; "Routes advertised from a Site-to-Site VPN connection on a virtual private gateway
 * to a customer gateway device: 1,000", "... on a transit gateway ...: 5,000"; all "Adjustable: No". Older
 * editions of the page gave 100 for both gateway kinds.
 *
 * Cloud WAN: PROVISIONAL. Neither that page nor the Cloud WAN quotas page
 * (https://docs.aws.amazon.com/network-manager/latest/cloudwan/cloudwan-quotas.html) gives a route quota for a
 * VPN attachment's BGP session, as far as we found; the transit gateway's figures stand in until AWS documents one.
 */
export const BGP_ROUTE_QUOTAS: Readonly<Record<'vgw' | 'tgw' | 'cloud-wan', RouteQuota>> = {
  vgw: { fromCustomerGateway: 100, toCustomerGateway: 1000, gateway: 'a virtual private gateway' },
  tgw: { fromCustomerGateway: 1000, toCustomerGateway: 5000, gateway: 'a transit gateway' },
  'cloud-wan': {
    fromCustomerGateway: 1000,
    toCustomerGateway: 5000,
    gateway: 'a Cloud WAN core network',
    provisional: "AWS documents no Cloud WAN figure; the transit gateway's is assumed",
  },
};

export interface RouteQuota {
  readonly fromCustomerGateway: number;
  readonly toCustomerGateway: number;
  /** The gateway, as messages name it. */
  readonly gateway: string;
  /** Why the figure is not AWS's documented one, when it is not. */
  readonly provisional?: string;
}

/** "a virtual private gateway", or for an undocumented figure "a Cloud WAN core network (provisional: ...)". */
export function routeQuotaGateway(kind: keyof typeof BGP_ROUTE_QUOTAS): string {
  const q = BGP_ROUTE_QUOTAS[kind];
  return q.provisional ? `${q.gateway} (provisional quota: ${q.provisional})` : q.gateway;
}

/** Static routes a connection on a virtual private gateway takes (same source). */
export const MAX_STATIC_ROUTES_VIRTUAL_PRIVATE_GATEWAY = 100;

/**
 * AWS's choice among proposals (UG "Tunnel options": the endpoints "evaluate proposals from your customer
 * gateway starting with the lowest configured value from the list below, regardless of the proposal order
 * from the customer gateway"). AWS accepts any combination of its configured values; of those the peer
 * offers, it takes the lowest encryption (position in {@link ENCRYPTION_ALGORITHMS}), then the lowest
 * integrity ({@link INTEGRITY_ALGORITHMS}), then the lowest DH group number.
 */
export interface AwsCombination {
  readonly encryption: EncryptionAlgorithm;
  /** Undefined for AEAD ESP (the cipher authenticates); for AEAD IKE, the PRF's hash. */
  readonly integrity?: IntegrityAlgorithm;
  /** Undefined for an ESP proposal without PFS. */
  readonly dhGroup?: number;
  /** IKE: the PRF's hash, ranked last (AWS names one hash for integrity and PRF). */
  readonly prf?: IntegrityAlgorithm;
}

/** Negative when AWS prefers `a`, positive when it prefers `b`, 0 when they are equal for AWS. */
export function compareAwsPreference(a: AwsCombination, b: AwsCombination): number {
  const rank = (c: AwsCombination): number[] => [
    ENCRYPTION_ALGORITHMS.indexOf(c.encryption),
    c.integrity === undefined ? -1 : INTEGRITY_ALGORITHMS.indexOf(c.integrity),
    c.dhGroup ?? -1,
    c.prf === undefined ? -1 : INTEGRITY_ALGORITHMS.indexOf(c.prf),
  ];
  const [x, y] = [rank(a), rank(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || x[3] - y[3];
}

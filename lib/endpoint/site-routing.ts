/**
 * The site's routing choices joined to a converted endpoint config, and what every routing renderer derives
 * from them: per tunnel its interface, addresses, BGP peer and role; for the site the prefixes and AWS's quotas.
 */
import { BGP_ROUTE_QUOTAS } from '../aws-rules';
import { EndpointConfigError } from './errors';
import { tunnelIfIds } from './if-ids';
import type { OnPremEndpointConfig, SiteRouting, TunnelConfig } from './model';
import { validateEndpointConfig } from './validate';

/** `config` with the site's choices, validated (announced prefixes within AWS's quota, and so on). */
export function withSiteRouting(config: OnPremEndpointConfig, site: SiteRouting): OnPremEndpointConfig {
  return validateEndpointConfig({ ...config, site });
}

/**
 * The route-based interface of the tunnel with XFRM interface id `ifId`: `ipsec<if_id>`, the name Libreswan's
 * `ipsec-interface=<if_id>` looks for. pluto reuses an existing XFRM interface of that name and if_id, and
 * would fail to create a second one with the same if_id under another name; strongSwan binds by if_id alone,
 * so one name serves both daemons. (Always within Linux's 15 characters: if_id is 32 bits.)
 */
export function tunnelInterfaceName(ifId: number): string {
  return `ipsec${ifId}`;
}

/**
 * Where the Linux data-plane script is installed by default: swanctl.conf's `updown` of a static site
 * runs it with `--updown` (see render-linux.ts).
 */
export function linuxScriptPath(config: OnPremEndpointConfig): string {
  return `/usr/local/sbin/${config.vpnConnectionId}-tunnels.sh`;
}

/** Whether the site's static routes are the Linux script's to take away from a tunnel that goes down. */
export function hasStaticRoutes(config: OnPremEndpointConfig): boolean {
  return config.routing.type === 'static' && (config.site?.awsPrefixes?.length ?? 0) > 0;
}

/** `active`: shares traffic; `primary` / `standby`: active-standby. */
export type TunnelRole = 'active' | 'primary' | 'standby';

export interface PlannedTunnel {
  readonly tunnel: TunnelConfig;
  readonly ifId: number;
  readonly device: string;
  readonly role: TunnelRole;
  /** Inside addresses without prefix: ours and AWS's (the BGP neighbour), per family present. */
  readonly localV4?: string;
  readonly remoteV4?: string;
  readonly localV6?: string;
  readonly remoteV6?: string;
}

export interface SitePlan {
  readonly config: OnPremEndpointConfig;
  readonly tunnels: readonly PlannedTunnel[];
  readonly announcePrefixes: readonly string[];
  readonly awsPrefixes: readonly string[];
  /** How AWS learns the preference over BGP (active-standby only). */
  readonly method?: 'med' | 'as-path-prepend';
  /** Prefixes we may advertise per session before AWS resets it; we never send more. */
  readonly exportLimit: number;
  /** Prefixes AWS advertises at most per session; more means something is wrong upstream. */
  readonly importLimit: number;
  /** Our BGP ASN (the same on every tunnel). */
  readonly localAsn?: number;
  /** An IPv4 router id: the first tunnel's IPv4 inside address, else the customer gateway's outside address. */
  readonly routerId?: string;
}

export interface SitePlanOptions {
  /** XFRM interface id of the first tunnel (as in swanctl.conf's `if_id_in/out`). @default 1 */
  readonly ifIdBase?: number;
  /**
   * The tunnel interfaces' names, one per tunnel, when something else names them (strongSwan
   * kernel-libipsec's TUN devices, an existing naming scheme). @default `ipsec<if_id>` (tunnelInterfaceName)
   */
  readonly interfaceNames?: readonly string[];
}

/** Local preference (BGP) the primary and the standby tunnel's routes get on-prem; MED AWS sees on ours. */
export const PREFERENCE = { primaryLocalPref: 200, standbyLocalPref: 100, primaryMed: 100, standbyMed: 200, prepends: 2 } as const;
/** Route metric (Linux) / distance (FRR static) of the primary and standby tunnel's static routes. */
export const STATIC_METRIC = { active: 100, primary: 100, standby: 200 } as const;

const LINUX_INTERFACE_NAME = /^[A-Za-z0-9_.-]{1,15}$/;

export function planSite(config: OnPremEndpointConfig, options: SitePlanOptions = {}): SitePlan {
  validateEndpointConfig(config); // every string written by a renderer is then an address, CIDR, name or number
  const ifIds = tunnelIfIds(options.ifIdBase, config.tunnels.length);
  const names = options.interfaceNames;
  if (names !== undefined && (names.length !== config.tunnels.length || !names.every((n) => LINUX_INTERFACE_NAME.test(n)))) {
    throw new EndpointConfigError('interfaceNames', `${JSON.stringify(names)} must name ${config.tunnels.length} interface(s), each 1-15 letters, digits, '.', '_' or '-'`);
  }
  const site = config.site ?? {};
  const preference = site.preference ?? { mode: 'active-active' };
  const tunnels = config.tunnels.map((tunnel, i): PlannedTunnel => {
    const role: TunnelRole = preference.mode === 'active-active' ? 'active' : tunnel.name === preference.primaryTunnel ? 'primary' : 'standby';
    return {
      tunnel,
      ifId: ifIds[i],
      device: names?.[i] ?? tunnelInterfaceName(ifIds[i]),
      role,
      localV4: hostOf(tunnel.local.insideCidr),
      remoteV4: hostOf(tunnel.remote.insideCidr),
      localV6: hostOf(tunnel.local.insideIpv6Cidr),
      remoteV6: hostOf(tunnel.remote.insideIpv6Cidr),
    };
  });
  const quotas = BGP_ROUTE_QUOTAS[config.gateway.type];
  const firstV4 = tunnels.find((t) => t.localV4)?.localV4;
  const outside = config.tunnels[0].local.outsideAddress;
  return {
    config,
    tunnels,
    announcePrefixes: site.announcePrefixes ?? (config.routing.type === 'static' ? config.routing.onPremCidrs : []),
    awsPrefixes: site.awsPrefixes ?? [],
    method: preference.mode === 'active-standby' && config.routing.type === 'bgp' ? preference.method ?? 'med' : undefined,
    exportLimit: quotas.fromCustomerGateway,
    importLimit: quotas.toCustomerGateway,
    localAsn: config.tunnels[0].local.bgpAsn,
    routerId: firstV4 ?? (outside.includes(':') ? undefined : outside),
  };
}

function hostOf(cidr: string | undefined): string | undefined {
  return cidr?.split('/')[0];
}

/** `connection vpn-... (customer gateway cgw-..., virtual private gateway vgw-...)`, for file headers. */
export function connectionSummary(config: OnPremEndpointConfig): string {
  const gateway = config.gateway.type === 'vgw' ? 'virtual private gateway' : 'transit gateway';
  return `connection ${config.vpnConnectionId} (customer gateway ${config.customerGatewayId}, ${gateway} ${config.gateway.id})`;
}

/** The BGP parameters of one tunnel; throws when a BGP connection's tunnel lacks them. */
export function bgpPeerOf(planned: PlannedTunnel, index: number): { localAsn: number; remoteAsn: number; holdTime: number; keepalive: number } {
  const { local, remote } = planned.tunnel;
  if (local.bgpAsn === undefined) throw new EndpointConfigError(`tunnels[${index}].local.bgpAsn`, 'is missing on a BGP connection');
  if (remote.bgpAsn === undefined) throw new EndpointConfigError(`tunnels[${index}].remote.bgpAsn`, 'is missing on a BGP connection');
  const holdTime = remote.bgpHoldTime ?? DEFAULT_BGP_HOLD_TIME_SECONDS;
  // RFC 4271 suggests a keepalive of a third of the hold time.
  return { localAsn: local.bgpAsn, remoteAsn: remote.bgpAsn, holdTime, keepalive: Math.max(1, Math.floor(holdTime / 3)) };
}

/** The hold time AWS's XML gives when it gives one: the fallback for a hand-written config without it. */
export const DEFAULT_BGP_HOLD_TIME_SECONDS = 30;

/** The prefixes of one address family. */
export function prefixesOf(prefixes: readonly string[], version: 4 | 6): string[] {
  return prefixes.filter((p) => p.includes(':') === (version === 6));
}

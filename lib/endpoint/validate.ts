/**
 * Checks that an unknown value (parsed JSON, a hand-edited file) has the shape of an
 * {@link OnPremEndpointConfig}, so consumers such as `s2s-vpn verify` can trust it. Errors name the field
 * (`tunnels[1].esp.pfsGroups[0]`) and the value, except a pre-shared key's value.
 */
import { encryptionByKeyword, integrityByKeyword } from '../algorithms';
import {
  DPD_TIMEOUT_ACTIONS,
  IKE_VERSIONS,
  MAX_TUNNELS_PER_CONNECTION,
  PHASE1_DH_GROUPS,
  PHASE1_LIFETIME_SECONDS,
  PHASE2_DH_GROUPS,
  PHASE2_LIFETIME_SECONDS,
  REKEY_FUZZ_PERCENTAGE,
  REPLAY_WINDOW_SIZE,
  Range,
  BGP_ROUTE_QUOTAS,
  routeQuotaGateway,
  MAX_STATIC_ROUTES_VIRTUAL_PRIVATE_GATEWAY,
  STARTUP_ACTIONS,
} from '../aws-rules';
import { Cidr, formatCidr, networkOf, parseCidr, parseIp } from '../net/address';
import { describeValue, EndpointConfigError, isWholeNumberIn, quote } from './errors';
import { isArn, isPrefixedId, isResourceId, ResourceKind } from './identifiers';
import { ENDPOINT_CONFIG_FORMAT_VERSION, ENDPOINT_GATEWAY_KINDS, OnPremEndpointConfig, TUNNEL_OUTSIDE_IP_TYPES } from './model';

type Obj = Record<string, unknown>;

export interface EndpointValidationOptions {
  /**
   * Whether lifetimes, the replay window and the rekey fuzz must lie in AWS's ranges. `verify` turns this off:
   * an out-of-range value is a well-formed config that its checks report, with a fix, not bad input.
   * @default true
   */
  readonly awsRanges?: boolean;
}

/** Returns `value` typed as a config, or throws {@link EndpointConfigError} at the first bad field. */
export function validateEndpointConfig(value: unknown, options: EndpointValidationOptions = {}): OnPremEndpointConfig {
  const c = object(value, '(endpoint config)');
  if (c.formatVersion !== ENDPOINT_CONFIG_FORMAT_VERSION) fail('formatVersion', `expected ${ENDPOINT_CONFIG_FORMAT_VERSION}, found ${quote(c.formatVersion)}`);
  resourceId('vpn', c.vpnConnectionId, 'vpnConnectionId');
  resourceId('cgw', c.customerGatewayId, 'customerGatewayId');
  gatewayRef(c.gateway);
  if (c.transport !== undefined) {
    const transport = object(c.transport, 'transport');
    oneOf(transport.outsideIpAddressType, 'transport.outsideIpAddressType', TUNNEL_OUTSIDE_IP_TYPES);
    if (transport.transportAttachmentId !== undefined && !isPrefixedId(transport.transportAttachmentId)) {
      fail('transport.transportAttachmentId', `${quote(transport.transportAttachmentId)} is not a resource id`);
    }
    oneOf(transport.accelerated, 'transport.accelerated', [true, false]);
  }
  if (c.trafficSelectors !== undefined) {
    const ts = object(c.trafficSelectors, 'trafficSelectors');
    for (const side of ['local', 'remote'] as const) {
      list(ts[side], `trafficSelectors.${side}`, 1).forEach((x, i) => cidr(x, `trafficSelectors.${side}[${i}]`));
    }
  }
  const routing = object(c.routing, 'routing');
  oneOf(routing.type, 'routing.type', ['bgp', 'static']);
  if (routing.type === 'static') list(routing.onPremCidrs, 'routing.onPremCidrs', 0).forEach((x, i) => cidr(x, `routing.onPremCidrs[${i}]`));
  const tunnels = list(c.tunnels, 'tunnels', 1);
  if (tunnels.length > MAX_TUNNELS_PER_CONNECTION) fail('tunnels', `has ${tunnels.length} entries; a connection has at most ${MAX_TUNNELS_PER_CONNECTION}`);
  const awsRange = (range: Range) => ((options.awsRanges ?? true) ? range : undefined);
  tunnels.forEach((t, i) => tunnel(t, `tunnels[${i}]`, awsRange));
  if (c.site !== undefined) siteRouting(c.site, value as OnPremEndpointConfig);
  return value as OnPremEndpointConfig;
}

function tunnel(value: unknown, path: string, awsRange: (range: Range) => Range | undefined): void {
  const t = object(value, path);
  const name = text(t.name, `${path}.name`);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) fail(`${path}.name`, `${quote(name)} may hold only letters, digits, '.', '_' and '-'`);
  endpoint(t.local, `${path}.local`);
  const remote = endpoint(t.remote, `${path}.remote`);
  optionalInteger(remote.bgpHoldTime, `${path}.remote.bgpHoldTime`);

  const ike = object(t.ike, `${path}.ike`);
  list(ike.versions, `${path}.ike.versions`, 1).forEach((v, i) => oneOf(v, `${path}.ike.versions[${i}]`, IKE_VERSIONS));
  algorithms(ike.encryption, ike.integrity, `${path}.ike`);
  list(ike.dhGroups, `${path}.ike.dhGroups`, 1).forEach((g, i) => oneOf(g, `${path}.ike.dhGroups[${i}]`, PHASE1_DH_GROUPS));
  integer(ike.lifetimeSeconds, `${path}.ike.lifetimeSeconds`, awsRange(PHASE1_LIFETIME_SECONDS));

  const esp = object(t.esp, `${path}.esp`);
  algorithms(esp.encryption, esp.integrity, `${path}.esp`);
  list(esp.pfsGroups, `${path}.esp.pfsGroups`, 1).forEach((g, i) => oneOf(g, `${path}.esp.pfsGroups[${i}]`, PHASE2_DH_GROUPS));
  integer(esp.lifetimeSeconds, `${path}.esp.lifetimeSeconds`, awsRange(PHASE2_LIFETIME_SECONDS));
  integer(esp.replayWindow, `${path}.esp.replayWindow`, awsRange(REPLAY_WINDOW_SIZE));
  oneOf(esp.mode, `${path}.esp.mode`, ['tunnel']);

  const rekey = object(t.rekey, `${path}.rekey`);
  integer(rekey.marginSeconds, `${path}.rekey.marginSeconds`);
  integer(rekey.fuzzPercent, `${path}.rekey.fuzzPercent`, awsRange(REKEY_FUZZ_PERCENTAGE));
  const dpd = object(t.dpd, `${path}.dpd`);
  integer(dpd.intervalSeconds, `${path}.dpd.intervalSeconds`);
  integer(dpd.timeoutSeconds, `${path}.dpd.timeoutSeconds`);
  oneOf(dpd.action, `${path}.dpd.action`, DPD_TIMEOUT_ACTIONS);
  oneOf(t.startupAction, `${path}.startupAction`, STARTUP_ACTIONS);
  if (t.auth !== undefined) {
    certificateAuth(t.auth, `${path}.auth`);
    if (t.preSharedKey !== undefined) fail(`${path}.preSharedKey`, 'is set, but the tunnel authenticates with certificates (auth)');
  } else {
    preSharedKey(t.preSharedKey, `${path}.preSharedKey`);
  }
  if (t.defaults !== undefined) {
    for (const [field, reason] of Object.entries(object(t.defaults, `${path}.defaults`))) text(reason, `${path}.defaults.${field}`);
  }
  optionalInteger(t.tcpMssAdjust, `${path}.tcpMssAdjust`);
  optionalInteger(t.mtu, `${path}.mtu`);
}

function endpoint(value: unknown, path: string): Obj {
  const e = object(value, path);
  const outside = text(e.outsideAddress, `${path}.outsideAddress`);
  if (!parseIp(outside)) fail(`${path}.outsideAddress`, `${quote(outside)} is not an IP address`);
  if (e.insideCidr === undefined && e.insideIpv6Cidr === undefined) fail(`${path}.insideCidr`, 'is missing, and so is insideIpv6Cidr');
  if (e.insideCidr !== undefined && cidr(e.insideCidr, `${path}.insideCidr`) !== 4) fail(`${path}.insideCidr`, `${quote(e.insideCidr)} is not IPv4`);
  if (e.insideIpv6Cidr !== undefined && cidr(e.insideIpv6Cidr, `${path}.insideIpv6Cidr`) !== 6) fail(`${path}.insideIpv6Cidr`, `${quote(e.insideIpv6Cidr)} is not IPv6`);
  optionalInteger(e.bgpAsn, `${path}.bgpAsn`);
  return e;
}

function algorithms(encryption: unknown, integrity: unknown, path: string): void {
  list(encryption, `${path}.encryption`, 1).forEach((a, i) => {
    if (typeof a !== 'string' || !encryptionByKeyword(a)?.awsName) fail(`${path}.encryption[${i}]`, `unknown encryption keyword ${quote(a)}`);
  });
  list(integrity, `${path}.integrity`, 1).forEach((a, i) => {
    if (typeof a !== 'string' || !integrityByKeyword(a)?.awsName) fail(`${path}.integrity[${i}]`, `unknown integrity keyword ${quote(a)}`);
  });
}

function preSharedKey(value: unknown, path: string): void {
  const k = object(value, path);
  if ('secretArn' in k) {
    if (!isArn(k.secretArn)) fail(`${path}.secretArn`, `${describeValue(k.secretArn, `${path}.secretArn`)} is not an ARN`);
  } else if ('value' in k) {
    if (typeof k.value !== 'string' || k.value === '') fail(`${path}.value`, 'must be a non-empty string'); // never echo a key
  } else if (k.source === 'describe-vpn-connections') {
    resourceId('vpn', k.vpnConnectionId, `${path}.vpnConnectionId`);
    if (k.field !== undefined) oneOf(k.field, `${path}.field`, ['TunnelOptions', 'CustomerGatewayConfiguration']);
    if (!parseIp(text(k.awsOutsideAddress, `${path}.awsOutsideAddress`))) fail(`${path}.awsOutsideAddress`, `${quote(k.awsOutsideAddress)} is not an IP address`);
  } else {
    fail(path, 'expected { secretArn }, { value } or { source: "describe-vpn-connections", ... }');
  }
}

function gatewayRef(value: unknown): void {
  const gateway = object(value, 'gateway');
  oneOf(gateway.type, 'gateway.type', ENDPOINT_GATEWAY_KINDS);
  if (gateway.type === 'cloud-wan') {
    if (!isArn(gateway.id)) fail('gateway.id', `${quote(gateway.id)} is not a core network ARN`);
    if (gateway.attachmentArn !== undefined && !isArn(gateway.attachmentArn)) fail('gateway.attachmentArn', `${quote(gateway.attachmentArn)} is not an ARN`);
  } else {
    resourceId(gateway.type as ResourceKind, gateway.id, 'gateway.id');
  }
  if (gateway.vpnConcentratorId !== undefined && !isPrefixedId(gateway.vpnConcentratorId)) {
    fail('gateway.vpnConcentratorId', `${quote(gateway.vpnConcentratorId)} is not a resource id`);
  }
}

/** An identity becomes a quoted swanctl value and a comment: printable, no quote or backslash, one line. */
const IDENTITY = /^[ -!#-[\]-~]{1,512}$/;

function certificateAuth(value: unknown, path: string): void {
  const a = object(value, path);
  oneOf(a.type, `${path}.type`, ['certificate']);
  const identity = text(a.awsIdentity, `${path}.awsIdentity`);
  if (!IDENTITY.test(identity)) fail(`${path}.awsIdentity`, `${quote(identity)} may hold only printable characters other than '"' and '\\'`);
  if (a.awsCertificateArn !== undefined && !isArn(a.awsCertificateArn)) fail(`${path}.awsCertificateArn`, `${quote(a.awsCertificateArn)} is not an ARN`);
}

function fail(field: string, problem: string): never {
  throw new EndpointConfigError(field, problem);
}

function object(value: unknown, path: string): Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, `expected an object, found ${describeValue(value, path)}`);
  return value as Obj;
}

function list(value: unknown, path: string, minLength: number): unknown[] {
  if (!Array.isArray(value)) fail(path, `expected a list, found ${describeValue(value, path)}`);
  if (value.length < minLength) fail(path, `needs at least ${minLength} entr${minLength === 1 ? 'y' : 'ies'}`);
  return value;
}

function resourceId(kind: ResourceKind, value: unknown, path: string): void {
  if (!isResourceId(kind, value)) fail(path, `${quote(value)} is not a ${kind}-... resource id`);
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') fail(path, `expected a non-empty string, found ${describeValue(value, path)}`);
  return value;
}

function oneOf(value: unknown, path: string, allowed: readonly unknown[]): void {
  if (!allowed.includes(value)) fail(path, `${quote(value)} is not one of ${allowed.join(', ')}`);
}

function integer(value: unknown, path: string, range?: Range): void {
  const min = range?.min ?? 0;
  const max = range?.max ?? Number.MAX_SAFE_INTEGER;
  if (!isWholeNumberIn(value, min, max)) {
    fail(path, `${quote(value)} is not a whole number from ${min} to ${max}`);
  }
}

function optionalInteger(value: unknown, path: string): void {
  if (value !== undefined) integer(value, path);
}

function cidr(value: unknown, path: string): 4 | 6 {
  const parsed = typeof value === 'string' ? parseCidr(value) : undefined;
  if (!parsed) fail(path, `${quote(value)} is not a CIDR`);
  return parsed.version;
}

/**
 * The site's routing choices against AWS's route quotas and the connection itself: announced prefixes fit
 * the gateway's per-session quota and the tunnels' address families; the primary tunnel exists.
 */
function siteRouting(value: unknown, config: OnPremEndpointConfig): void {
  const site = object(value, 'site');
  const bgp = config.routing.type === 'bgp';
  const quota = BGP_ROUTE_QUOTAS[config.gateway.type].fromCustomerGateway;
  if (config.routing.type === 'static' && config.gateway.type === 'vgw' && config.routing.onPremCidrs.length > MAX_STATIC_ROUTES_VIRTUAL_PRIVATE_GATEWAY) {
    fail('routing.onPremCidrs', `has ${config.routing.onPremCidrs.length} routes; a virtual private gateway takes at most ${MAX_STATIC_ROUTES_VIRTUAL_PRIVATE_GATEWAY}`);
  }
  if (site.announcePrefixes !== undefined) {
    if (!bgp) fail('site.announcePrefixes', 'applies to BGP connections only; a static connection announces routing.onPremCidrs');
    const prefixes = list(site.announcePrefixes, 'site.announcePrefixes', 0);
    if (prefixes.length > quota) {
      fail('site.announcePrefixes', `has ${prefixes.length} prefixes; AWS resets a BGP session on ${routeQuotaGateway(config.gateway.type)} that receives more than ${quota}`);
    }
    prefixes.forEach((p, i) => {
      const version = networkCidr(p, `site.announcePrefixes[${i}]`);
      const carried = config.tunnels.some((t) => (version === 4 ? t.local.insideCidr : t.local.insideIpv6Cidr) !== undefined);
      if (!carried) fail(`site.announcePrefixes[${i}]`, `${quote(p)} is IPv${version}, but no tunnel has IPv${version} inside addresses to carry it`);
    });
  }
  if (site.awsPrefixes !== undefined) {
    if (bgp) fail('site.awsPrefixes', 'applies to static connections only; a BGP site learns AWS\'s prefixes');
    list(site.awsPrefixes, 'site.awsPrefixes', 0).forEach((p, i) => networkCidr(p, `site.awsPrefixes[${i}]`));
  }
  if (site.preference !== undefined) {
    const preference = object(site.preference, 'site.preference');
    oneOf(preference.mode, 'site.preference.mode', ['active-active', 'active-standby']);
    if (preference.mode === 'active-standby') {
      if (config.tunnels.length < 2) fail('site.preference.mode', 'active-standby needs two tunnels');
      oneOf(preference.primaryTunnel, 'site.preference.primaryTunnel', config.tunnels.map((t) => t.name));
      if (preference.method !== undefined) {
        if (!bgp) fail('site.preference.method', 'tells AWS over BGP which tunnel to prefer; a static connection has no BGP');
        oneOf(preference.method, 'site.preference.method', ['med', 'as-path-prepend']);
      }
    }
  }
}

/** A CIDR written as its network (`10.0.0.0/16`, not `10.0.0.1/16`): what routing daemons announce. */
function networkCidr(value: unknown, path: string): 4 | 6 {
  const version = cidr(value, path);
  const parsed = parseCidr(value as string) as Cidr;
  const canonical = formatCidr({ ...parsed, address: networkOf(parsed) });
  if (canonical !== value) fail(path, `${quote(value)} has host bits set or is not canonical; write ${quote(canonical)}`);
  return version;
}

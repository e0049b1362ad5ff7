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
  STARTUP_ACTIONS,
} from '../aws-rules';
import { parseCidr, parseIp } from '../net/address';
import { EndpointConfigError, isWholeNumberIn, quote } from './errors';
import { isArn, isResourceId, ResourceKind } from './identifiers';
import { ENDPOINT_CONFIG_FORMAT_VERSION, OnPremEndpointConfig } from './model';

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
  const gateway = object(c.gateway, 'gateway');
  oneOf(gateway.type, 'gateway.type', ['vgw', 'tgw']);
  resourceId(gateway.type as ResourceKind, gateway.id, 'gateway.id');
  const routing = object(c.routing, 'routing');
  oneOf(routing.type, 'routing.type', ['bgp', 'static']);
  if (routing.type === 'static') list(routing.onPremCidrs, 'routing.onPremCidrs', 0).forEach((x, i) => cidr(x, `routing.onPremCidrs[${i}]`));
  const tunnels = list(c.tunnels, 'tunnels', 1);
  if (tunnels.length > MAX_TUNNELS_PER_CONNECTION) fail('tunnels', `has ${tunnels.length} entries; a connection has at most ${MAX_TUNNELS_PER_CONNECTION}`);
  const awsRange = (range: Range) => ((options.awsRanges ?? true) ? range : undefined);
  tunnels.forEach((t, i) => tunnel(t, `tunnels[${i}]`, awsRange));
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
  preSharedKey(t.preSharedKey, `${path}.preSharedKey`);
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
    if (!isArn(k.secretArn)) fail(`${path}.secretArn`, `${quote(k.secretArn)} is not an ARN`);
  } else if ('value' in k) {
    if (typeof k.value !== 'string' || k.value === '') fail(`${path}.value`, 'must be a non-empty string'); // never echo a key
  } else if (k.source === 'describe-vpn-connections') {
    resourceId('vpn', k.vpnConnectionId, `${path}.vpnConnectionId`);
    if (!parseIp(text(k.awsOutsideAddress, `${path}.awsOutsideAddress`))) fail(`${path}.awsOutsideAddress`, `${quote(k.awsOutsideAddress)} is not an IP address`);
  } else {
    fail(path, 'expected { secretArn }, { value } or { source: "describe-vpn-connections", ... }');
  }
}

function fail(field: string, problem: string): never {
  throw new EndpointConfigError(field, problem);
}

function object(value: unknown, path: string): Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, `expected an object, found ${quote(value)}`);
  return value as Obj;
}

function list(value: unknown, path: string, minLength: number): unknown[] {
  if (!Array.isArray(value)) fail(path, `expected a list, found ${quote(value)}`);
  if (value.length < minLength) fail(path, `needs at least ${minLength} entr${minLength === 1 ? 'y' : 'ies'}`);
  return value;
}

function resourceId(kind: ResourceKind, value: unknown, path: string): void {
  if (!isResourceId(kind, value)) fail(path, `${quote(value)} is not a ${kind}-... resource id`);
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') fail(path, `expected a non-empty string, found ${quote(value)}`);
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

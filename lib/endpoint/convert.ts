/**
 * DescribeVpnConnections `VpnConnection` → {@link OnPremEndpointConfig}: a pure function.
 *
 * The XML is the truth for ids, addresses and BGP; `Options.TunnelOptions[]` is the truth for crypto,
 * versions, lifetimes, DPD, replay window and startup action (the XML's crypto fields are stale).
 */
import type { TunnelOption, VpnConnection } from '@aws-sdk/client-ec2';
import {
  DPD_INTERVAL_SECONDS,
  MAX_TUNNELS_PER_CONNECTION,
  TUNNEL_INSIDE_IPV6_CIDR_PREFIX,
  preSharedKeyProblem,
} from '../aws-rules';
import { cidrContains, formatCidr, parseCidr, parseIp } from '../net/address';
import { parseCustomerGatewayXml } from './customer-gateway-xml';
import type { CustomerGatewayXml, XmlTunnelSide } from './customer-gateway-xml';
import { describeValue, EndpointConfigError, EndpointConfigPendingError, quote } from './errors';
import { isArn, isPrefixedId, isResourceId, ResourceKind } from './identifiers';
import { canonicalAddress, matchTunnelOptions } from './matching';
import type { MatchedTunnel } from './matching';
import {
  CertificateAuth,
  ENDPOINT_CONFIG_FORMAT_VERSION,
  GatewayRef,
  OnPremEndpointConfig,
  PreSharedKeyRef,
  Routing,
  TUNNEL_OUTSIDE_IP_TYPES,
  TunnelOutsideIpType,
  TrafficSelectors,
  Transport,
  TunnelConfig,
  TunnelEndpoint,
} from './model';
import { maxTcpMss, tunnelMtu } from './mtu';
import { normaliseTunnelOptions } from './tunnel-options';
import { validateEndpointConfig } from './validate';

/**
 * Says where a tunnel's inline pre-shared key went, e.g. the Secrets Manager secret a custom resource
 * stored it in. Called only for tunnels whose key DescribeVpnConnections returned inline; `index` is the
 * tunnel's 0-based position. Return undefined to fall back to the default reference.
 */
export type PreSharedKeyResolver = (tunnel: { name: string; index: number; awsOutsideAddress: string }) => PreSharedKeyRef | undefined;

export interface ConvertOptions {
  /**
   * Copy inline pre-shared keys into the config as `{ value }`.
   * @default false: an inline key becomes a reference (the resolver's, or a DescribeVpnConnections one)
   */
  readonly inlineSecrets?: boolean;
  /** Where inline keys were stored instead. @default none */
  readonly preSharedKeyReference?: PreSharedKeyResolver;
}

/** Convert one connection of a DescribeVpnConnections response. Throws {@link EndpointConfigError} on bad input. */
export function endpointConfigFromDescribe(vpnConnection: VpnConnection, options: ConvertOptions = {}): OnPremEndpointConfig {
  if (vpnConnection === null || typeof vpnConnection !== 'object' || Array.isArray(vpnConnection)) {
    throw new EndpointConfigError('VpnConnection', `expected an object, found ${describeValue(vpnConnection, 'VpnConnection')}`);
  }
  const vpnConnectionId = resourceId('vpn', vpnConnection.VpnConnectionId, 'VpnConnectionId');
  const state = vpnConnection.State;
  if (state === 'deleting' || state === 'deleted') {
    throw new EndpointConfigError('State', `${quote(state)}: connection ${vpnConnectionId} is being or has been deleted`);
  }
  const xmlText = vpnConnection.CustomerGatewayConfiguration;
  if (state === 'pending' && (!xmlText || !hasTunnelAddresses(vpnConnection))) throw new EndpointConfigPendingError(vpnConnectionId);
  if (!xmlText) throw new EndpointConfigError('CustomerGatewayConfiguration', 'is missing');
  if (typeof xmlText !== 'string') throw new EndpointConfigError('CustomerGatewayConfiguration', 'expected an XML string');
  const xml = parseCustomerGatewayXml(xmlText);
  if (xml.tunnels.length > MAX_TUNNELS_PER_CONNECTION) {
    throw new EndpointConfigError('CustomerGatewayConfiguration vpn_connection/ipsec_tunnel', `${xml.tunnels.length} tunnels; a connection has at most ${MAX_TUNNELS_PER_CONNECTION}`);
  }
  const connectionOptions = optionalObject(vpnConnection.Options, 'Options');
  const given = connectionOptions?.TunnelOptions;
  if (given !== undefined && !Array.isArray(given)) throw new EndpointConfigError('Options.TunnelOptions', `expected a list, found ${quote(given)}`);
  // Connections older than tunnel options have none: every tunnel then runs AWS's defaults.
  const synthesised = given === undefined || given.length === 0;
  const tunnelOptions: TunnelOption[] = synthesised ? xml.tunnels.map((t) => ({ OutsideIpAddress: t.vpnGateway.outsideAddress })) : given;

  const customerGatewayId = resourceId('cgw', vpnConnection.CustomerGatewayId ?? xml.customerGatewayId, 'CustomerGatewayId');
  sameOrAbsent(xml.vpnConnectionId, vpnConnectionId, 'CustomerGatewayConfiguration vpn_connection@id', 'VpnConnectionId');
  sameOrAbsent(xml.customerGatewayId, customerGatewayId, 'CustomerGatewayConfiguration vpn_connection/customer_gateway_id', 'CustomerGatewayId');

  const routing = routingOf(vpnConnection, xml);
  const transport = transportOf(vpnConnection);
  const tunnels = matchTunnelOptions(xml.tunnels, tunnelOptions).map((match, index) =>
    tunnelOf(match, index, { vpnConnection, vpnConnectionId, routing, transport, options, synthesised }),
  );
  // A self-check that also covers what a resolver returned.
  return validateEndpointConfig({
    formatVersion: ENDPOINT_CONFIG_FORMAT_VERSION,
    vpnConnectionId,
    customerGatewayId,
    gateway: gatewayOf(vpnConnection, xml),
    routing,
    transport,
    trafficSelectors: trafficSelectorsOf(vpnConnection, tunnels),
    tunnels,
  });
}

/** A pending connection may already list its tunnels' outside addresses; until it does, there is nothing to convert. */
function hasTunnelAddresses(vpn: VpnConnection): boolean {
  const options = vpn.Options?.TunnelOptions;
  return Array.isArray(options) && options.length > 0 && options.every((o) => typeof o?.OutsideIpAddress === 'string' && o.OutsideIpAddress !== '');
}

function transportOf(vpn: VpnConnection): Transport {
  const o = vpn.Options;
  const type = (o?.OutsideIpAddressType ?? 'PublicIpv4') as TunnelOutsideIpType;
  if (!(TUNNEL_OUTSIDE_IP_TYPES as readonly string[]).includes(type)) {
    throw new EndpointConfigError('Options.OutsideIpAddressType', `unknown value ${quote(type)}; AWS uses ${TUNNEL_OUTSIDE_IP_TYPES.join(', ')}`);
  }
  const attachment = o?.TransportTransitGatewayAttachmentId;
  if (attachment !== undefined && !isPrefixedId(attachment)) {
    throw new EndpointConfigError('Options.TransportTransitGatewayAttachmentId', `${quote(attachment)} is not a resource id`);
  }
  const accelerated = o?.EnableAcceleration;
  if (accelerated !== undefined && typeof accelerated !== 'boolean') {
    throw new EndpointConfigError('Options.EnableAcceleration', `expected true or false, found ${quote(accelerated)}`);
  }
  return dropUndefined({ outsideIpAddressType: type, transportAttachmentId: attachment, accelerated: accelerated === true });
}

/**
 * AWS negotiates exactly these selectors, one SA pair per tunnel. A family is included when the tunnels carry it
 * (their inside addresses): an IPv6-only connection gets IPv6 selectors only.
 */
function trafficSelectorsOf(vpn: VpnConnection, tunnels: readonly TunnelConfig[]): TrafficSelectors {
  const o = vpn.Options;
  const ipv4 = tunnels.some((t) => t.local.insideCidr);
  const ipv6 = tunnels.some((t) => t.local.insideIpv6Cidr);
  const pick = (value: string | undefined, field: string, version: 4 | 6): string[] => {
    if ((version === 4 && !ipv4) || (version === 6 && !ipv6)) return [];
    if (value === undefined || value === null) return [version === 4 ? '0.0.0.0/0' : '::/0'];
    const cidr = typeof value === 'string' ? parseCidr(value) : undefined;
    if (!cidr || cidr.version !== version) throw new EndpointConfigError(field, `${quote(value)} is not an IPv${version} CIDR`);
    return [formatCidr(cidr)];
  };
  return {
    local: [...pick(o?.LocalIpv4NetworkCidr, 'Options.LocalIpv4NetworkCidr', 4), ...pick(o?.LocalIpv6NetworkCidr, 'Options.LocalIpv6NetworkCidr', 6)],
    remote: [...pick(o?.RemoteIpv4NetworkCidr, 'Options.RemoteIpv4NetworkCidr', 4), ...pick(o?.RemoteIpv6NetworkCidr, 'Options.RemoteIpv6NetworkCidr', 6)],
  };
}

function optionalObject<T>(value: T | undefined, field: string): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new EndpointConfigError(field, `expected an object, found ${quote(value)}`);
  return value;
}

function gatewayOf(vpn: VpnConnection, xml: CustomerGatewayXml): GatewayRef {
  const vgw = vpn.VpnGatewayId || xml.vpnGatewayId;
  const tgw = vpn.TransitGatewayId;
  const coreNetwork = vpn.CoreNetworkArn;
  const set = [vgw && 'VpnGatewayId', tgw && 'TransitGatewayId', coreNetwork && 'CoreNetworkArn'].filter(Boolean);
  if (set.length > 1) throw new EndpointConfigError(set[0] as string, `${set.join(' and ')} are set; a connection has one gateway`);
  const concentrator = vpn.VpnConcentratorId;
  if (concentrator !== undefined && !isPrefixedId(concentrator)) throw new EndpointConfigError('VpnConcentratorId', `${quote(concentrator)} is not a resource id`);
  if (vgw) {
    sameOrAbsent(xml.vpnGatewayId, vgw, 'CustomerGatewayConfiguration vpn_connection/vpn_gateway_id', 'VpnGatewayId');
    return { type: 'vgw', id: resourceId('vgw', vgw, 'VpnGatewayId') };
  }
  if (tgw) return dropUndefined({ type: 'tgw', id: resourceId('tgw', tgw, 'TransitGatewayId'), vpnConcentratorId: concentrator });
  if (coreNetwork) {
    if (!isArn(coreNetwork)) throw new EndpointConfigError('CoreNetworkArn', `${quote(coreNetwork)} is not an ARN`);
    const attachment = vpn.CoreNetworkAttachmentArn;
    if (attachment !== undefined && !isArn(attachment)) throw new EndpointConfigError('CoreNetworkAttachmentArn', `${quote(attachment)} is not an ARN`);
    return dropUndefined({ type: 'cloud-wan', id: coreNetwork, attachmentArn: attachment });
  }
  throw new EndpointConfigError('VpnGatewayId', 'is missing, and so are TransitGatewayId and CoreNetworkArn');
}

/** Static when the options say so, the XML says NoBGPVPNConnection, or the connection has static routes. */
function routingOf(vpn: VpnConnection, xml: CustomerGatewayXml): Routing {
  const routes = (vpn.Routes ?? []).filter((r) => r.State !== 'deleted' && r.State !== 'deleting');
  const isStatic = vpn.Options?.StaticRoutesOnly === true || xml.noBgp || routes.length > 0;
  if (!isStatic) return { type: 'bgp' };
  const onPremCidrs = routes.map((route, i) => {
    const field = `Routes[${i}].DestinationCidrBlock`;
    const text = requiredString(route.DestinationCidrBlock, field);
    const cidr = parseCidr(text);
    if (!cidr) throw new EndpointConfigError(field, `${quote(text)} is not a CIDR`);
    return formatCidr(cidr);
  });
  return { type: 'static', onPremCidrs: [...new Set(onPremCidrs)] };
}

interface TunnelContext {
  readonly vpnConnection: VpnConnection;
  readonly vpnConnectionId: string;
  readonly routing: Routing;
  readonly transport: Transport;
  readonly options: ConvertOptions;
  /** The response had no tunnel options: they were made up from the XML's addresses. */
  readonly synthesised: boolean;
}

function tunnelOf(match: MatchedTunnel, index: number, ctx: TunnelContext): TunnelConfig {
  const { xml, options, optionsPath } = match;
  const name = `tunnel${index + 1}`;
  const normalised = normaliseTunnelOptions(options, optionsPath, ctx.synthesised);
  const bgp = ctx.routing.type === 'bgp';
  const local = endpointOf(xml.customerGateway, `${xml.path}/customer_gateway`, bgp);
  const remoteSide = endpointOf(xml.vpnGateway, `${xml.path}/vpn_gateway`, bgp);
  const remote = bgp ? { ...remoteSide, bgpHoldTime: xml.vpnGateway.bgp?.holdTime } : remoteSide;
  checkInsideCidr(remote.insideCidr, options.TunnelInsideCidr, `${optionsPath}.TunnelInsideCidr`, xml.path);
  checkInsideCidr(remote.insideIpv6Cidr, options.TunnelInsideIpv6Cidr, `${optionsPath}.TunnelInsideIpv6Cidr`, xml.path);

  const outer = parseIp(remote.outsideAddress);
  // NAT-T assumed (and forced when accelerated): AWS cannot see whether the customer gateway is behind NAT,
  // so size for the worse case.
  const mtu = tunnelMtu(normalised.esp.encryption, normalised.esp.integrity, { natTraversal: true, outerIpVersion: outer?.version });
  const defaults: Record<string, string> = { ...normalised.defaults };
  if (xml.dpdIntervalSeconds === undefined) defaults['dpd.intervalSeconds'] = `AWS default: ${xml.path}/ipsec/dead_peer_detection/interval is missing`;
  const auth = authOf(match, index, ctx);
  return dropUndefined({
    name,
    local,
    remote: dropUndefined(remote),
    ike: normalised.ike,
    esp: normalised.esp,
    rekey: normalised.rekey,
    dpd: { intervalSeconds: xml.dpdIntervalSeconds ?? DPD_INTERVAL_SECONDS, ...normalised.dpd },
    startupAction: normalised.startupAction,
    preSharedKey: auth ? undefined : preSharedKeyOf(match, { name, index, awsOutsideAddress: remote.outsideAddress }, ctx),
    auth,
    tcpMssAdjust: clampedMss(xml.tcpMssAdjustment, mtu, remote.insideCidr ? 4 : 6),
    mtu,
    defaults: Object.keys(defaults).length > 0 ? defaults : undefined,
  });
}

/**
 * Certificate authentication: the response carries no key anywhere, and `VgwTelemetry` names AWS's certificate
 * for the tunnel. AWS's tunnel certificate is issued for `<vpn-id>.endpoint-<n>`, n = 0 for the first tunnel
 * (aws-samples/vpn-gateway-strongswan: rightid "CN=vpn-....endpoint-0"); its full subject is AWS's fixed
 * C/ST/L/O/OU plus that CN (seen in a 2026 certificate-based deployment's peer ids).
 */
function authOf(match: MatchedTunnel, index: number, ctx: TunnelContext): CertificateAuth | undefined {
  const { options, xml } = match;
  if (options.PreSharedKey !== undefined || tunnelKeyArn(options) || ctx.vpnConnection.PreSharedKeyArn || xml.preSharedKey !== undefined) return undefined;
  const awsOutside = canonicalAddress(xml.vpnGateway.outsideAddress, `${xml.path}/vpn_gateway/tunnel_outside_address/ip_address`);
  const telemetry = (Array.isArray(ctx.vpnConnection.VgwTelemetry) ? ctx.vpnConnection.VgwTelemetry : []).map((t, i) => ({ t, i }));
  const entry = telemetry.find(({ t }) => typeof t?.OutsideIpAddress === 'string' && sameAddress(t.OutsideIpAddress, awsOutside));
  const certificateArn = entry?.t.CertificateArn;
  if (!certificateArn) {
    throw new EndpointConfigError(
      `${match.optionsPath}.PreSharedKey`,
      `is missing, and so are PreSharedKeyArn, the XML's ${xml.path}/ike/pre_shared_key and a VgwTelemetry CertificateArn for ${awsOutside}: ` +
        'the response says neither which key nor which certificate the tunnel uses',
    );
  }
  if (!isArn(certificateArn)) throw new EndpointConfigError(`VgwTelemetry[${entry.i}].CertificateArn`, `${quote(certificateArn)} is not an ARN`);
  return {
    type: 'certificate',
    awsIdentity: `C=US, ST=WA, L=Seattle, O=Amazon.com, OU=AWS, CN=${ctx.vpnConnectionId}.endpoint-${index}`,
    awsCertificateArn: certificateArn,
  };
}

function sameAddress(text: string, canonical: string): boolean {
  const ip = parseIp(text.trim());
  return !!ip && canonicalAddress(text, 'VgwTelemetry[].OutsideIpAddress') === canonical;
}

/** A per-tunnel `PreSharedKeyArn`, where AWS returns one inside the tunnel options. */
function tunnelKeyArn(options: TunnelOption): string | undefined {
  return (options as TunnelOption & { PreSharedKeyArn?: string }).PreSharedKeyArn;
}

/**
 * AWS's XML always says 1379, sized for AES-CBC + SHA1; suites with longer ICVs (or IPv6 inside the tunnel)
 * leave less room, so the clamp is lowered to what the tunnel's MTU actually carries.
 */
function clampedMss(awsMss: number | undefined, mtu: number, innerIpVersion: 4 | 6): number | undefined {
  return awsMss === undefined ? undefined : Math.min(awsMss, maxTcpMss(mtu, innerIpVersion));
}

function endpointOf(side: XmlTunnelSide, path: string, bgp: boolean): TunnelEndpoint {
  const outsideAddress = canonicalAddress(side.outsideAddress, `${path}/tunnel_outside_address/ip_address`);
  let insideCidr: string | undefined;
  if (side.insideAddress) {
    const field = `${path}/tunnel_inside_address`;
    const cidr = parseCidr(`${side.insideAddress.ipAddress}/${side.insideAddress.prefixLength}`);
    if (!cidr || cidr.version !== 4) {
      throw new EndpointConfigError(field, `${quote(`${side.insideAddress.ipAddress}/${side.insideAddress.prefixLength}`)} is not an IPv4 address with a prefix length`);
    }
    insideCidr = formatCidr(cidr);
  }
  let insideIpv6Cidr: string | undefined;
  if (side.insideIpv6Address !== undefined) {
    const field = `${path}/tunnel_inside_ipv6_address/ip_address`;
    const ip = parseIp(side.insideIpv6Address);
    if (!ip || ip.version !== 6) throw new EndpointConfigError(field, `${quote(side.insideIpv6Address)} is not an IPv6 address`);
    // The XML says prefix_length 128; the tunnel network is always a /126.
    insideIpv6Cidr = formatCidr({ ...ip, prefixLength: TUNNEL_INSIDE_IPV6_CIDR_PREFIX });
  }
  if (!insideCidr && !insideIpv6Cidr) {
    throw new EndpointConfigError(`${path}/tunnel_inside_address`, 'is missing, and so is tunnel_inside_ipv6_address');
  }
  if (bgp && !side.bgp) throw new EndpointConfigError(`${path}/bgp`, 'is missing, but the connection uses BGP routing');
  return dropUndefined({ outsideAddress, insideCidr, insideIpv6Cidr, bgpAsn: bgp ? side.bgp?.asn : undefined });
}

/** The XML's inside address must lie in the tunnel options' inside CIDR: a cheap guard against mismatches. */
function checkInsideCidr(xmlCidr: string | undefined, optionsCidr: string | undefined, field: string, xmlPath: string): void {
  if (!xmlCidr || !optionsCidr) return;
  const outer = parseCidr(optionsCidr);
  if (!outer) throw new EndpointConfigError(field, `${quote(optionsCidr)} is not a CIDR`);
  const inner = parseCidr(xmlCidr) as NonNullable<ReturnType<typeof parseCidr>>;
  if (!cidrContains(outer, { ...inner, prefixLength: Math.max(inner.prefixLength, outer.prefixLength) })) {
    throw new EndpointConfigError(field, `${optionsCidr} does not contain ${xmlCidr}, the inside address ${xmlPath} gives AWS`);
  }
}

/**
 * A key AWS keeps in Secrets Manager is referenced by ARN; an inline key is copied only with inlineSecrets,
 * otherwise replaced by the resolver's reference or one into DescribeVpnConnections.
 */
function preSharedKeyOf(
  match: MatchedTunnel,
  tunnel: { name: string; index: number; awsOutsideAddress: string },
  ctx: TunnelContext,
): PreSharedKeyRef {
  const { options, optionsPath, xml } = match;
  const perTunnel = tunnelKeyArn(options);
  const arn = perTunnel ?? ctx.vpnConnection.PreSharedKeyArn;
  if (options.PreSharedKey === undefined && arn) {
    const field = perTunnel ? `${optionsPath}.PreSharedKeyArn` : 'PreSharedKeyArn';
    // A key pasted where its ARN belongs: shown by type and length, as every key field is.
    if (!isArn(arn)) throw new EndpointConfigError(field, `${describeValue(arn, field)} is not an ARN`);
    return { secretArn: arn };
  }
  const inOptions = options.PreSharedKey !== undefined;
  const [key, field] = inOptions ? [options.PreSharedKey, `${optionsPath}.PreSharedKey`] : [xml.preSharedKey, `${xml.path}/ike/pre_shared_key`];
  if (key === undefined) {
    throw new EndpointConfigError(`${optionsPath}.PreSharedKey`, 'is missing, and the connection has no PreSharedKeyArn');
  }
  const problem = typeof key === 'string' ? preSharedKeyProblem(key) : 'must be a string';
  if (problem) throw new EndpointConfigError(field, `the pre-shared key ${problem}`); // never the key itself
  if (ctx.options.inlineSecrets) return { value: key };
  return (
    ctx.options.preSharedKeyReference?.(tunnel) ?? {
      source: 'describe-vpn-connections',
      vpnConnectionId: ctx.vpnConnectionId,
      awsOutsideAddress: tunnel.awsOutsideAddress,
      ...(inOptions ? {} : { field: 'CustomerGatewayConfiguration' as const }),
    }
  );
}

function resourceId(kind: ResourceKind, value: unknown, field: string): string {
  const id = requiredString(value, field);
  if (!isResourceId(kind, id)) throw new EndpointConfigError(field, `${quote(id)} is not a ${kind}-... resource id`);
  return id;
}

function requiredString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new EndpointConfigError(field, `is missing or empty (found ${describeValue(value, field)})`);
  return value.trim();
}

function sameOrAbsent(xmlValue: string | undefined, value: string, xmlField: string, field: string): void {
  if (xmlValue !== undefined && xmlValue !== value) {
    throw new EndpointConfigError(xmlField, `${quote(xmlValue)} differs from ${field} ${quote(value)}`);
  }
}

/** Optional fields are left out rather than written as undefined, so JSON and TypeScript output agree. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

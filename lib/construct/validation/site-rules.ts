/** AWS's rules for one site: its customer gateway and VPN connection options. */
import {
  CUSTOMER_ASN_UNSUPPORTED_PRIVATE,
  CUSTOMER_BGP_ASN,
  CUSTOMER_BGP_ASN_EXTENDED,
  MAX_TUNNELS_PER_CONNECTION,
  OUTSIDE_IP_ADDRESS_TYPES,
  PRE_SHARED_KEY_STORAGES,
  TUNNEL_BANDWIDTHS,
  TUNNEL_INSIDE_IP_VERSIONS,
} from '../../aws-rules';
import { SITE_NAME_PATTERN } from '../../endpoint-config-resource/contract';
import { describeKeyShaped } from '../../endpoint/errors';
import { formatCidr, isPrivateIpv4, parseIpv4 } from '../../net/address';
import { GatewayKind } from '../gateway-choice';
import { SiteOptions } from '../props';
import { checkCidr, checkInteger, checkOneOf, isKnown, show } from './checks';
import { Location, Problems } from './problems';
import { TunnelInsideCidrs, validateTunnel } from './tunnel-rules';

export interface SiteContext {
  readonly gatewayKind: GatewayKind;
  /** Amazon side ASN when known (always for a virtual private gateway). */
  readonly amazonSideAsn?: number;
}

/** Validates a site; returns its tunnels' inside CIDRs (index 0 = tunnel 1) for the gateway-wide uniqueness check. */
export function validateSite(problems: Problems, site: SiteOptions, ctx: SiteContext): TunnelInsideCidrs[] {
  const at: Location = { site: site.name };
  if (!isKnown(site.name) || !SITE_NAME_PATTERN.test(site.name)) {
    problems.error(at, `\`name\` ${show(site.name)} must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
  checkCustomerGatewayIp(problems, site, at);
  checkRouting(problems, site, ctx, at);
  checkConnectionOptions(problems, site, ctx.gatewayKind, at);
  // Named for the key, so a key may be pasted into it: a wrong value is shown by type and length only.
  checkOneOf(problems, at, 'preSharedKeyStorage', site.preSharedKeyStorage, PRE_SHARED_KEY_STORAGES, (v) => `(${describeKeyShaped(v)})`);
  checkCertificate(problems, site, at);
  return checkTunnels(problems, site, ctx, at);
}

function checkCertificate(problems: Problems, site: SiteOptions, at: Location): void {
  if (site.certificateArn === undefined) return;
  if (isKnown(site.certificateArn) && !/^arn:[a-z-]+:acm(-pca)?:/.test(site.certificateArn)) {
    problems.error(at, `\`certificateArn\` ${site.certificateArn} is not an ACM certificate ARN`);
  }
  (site.tunnels ?? []).forEach((tunnel, i) => {
    if (tunnel.preSharedKeySecret) {
      problems.warn({ site: site.name, tunnel: i + 1 }, '`preSharedKeySecret` is set, but the site authenticates with `certificateArn`: the key is not used');
    }
  });
}

function checkCustomerGatewayIp(problems: Problems, site: SiteOptions, at: Location): void {
  if (!isKnown(site.customerGatewayIp)) {
    if (site.customerGatewayIp === undefined) problems.error(at, '`customerGatewayIp` is required');
    return;
  }
  const address = parseIpv4(site.customerGatewayIp);
  if (address === undefined) {
    problems.error(at, `\`customerGatewayIp\` ${show(site.customerGatewayIp)} is not an IPv4 address`);
  } else if ((site.outsideIpAddressType ?? 'PublicIpv4') === 'PublicIpv4' && isPrivateIpv4(address)) {
    problems.warn(at, `\`customerGatewayIp\` ${site.customerGatewayIp} is not internet-routable, but \`outsideIpAddressType\` is PublicIpv4: ` +
      'AWS needs the address it can reach the device at (behind NAT: the NAT\'s public address)');
  }
}

/** A site routes with BGP (`bgpAsn`) or static routes (`staticRoutes`): exactly one of them. */
function checkRouting(problems: Problems, site: SiteOptions, ctx: SiteContext, at: Location): void {
  const hasAsn = site.bgpAsn !== undefined;
  const hasRoutes = site.staticRoutes !== undefined;
  if (hasAsn === hasRoutes) {
    problems.error(at, hasAsn
      ? '`bgpAsn` and `staticRoutes` are both set: a site uses either BGP or static routes'
      : 'neither `bgpAsn` (BGP) nor `staticRoutes` (static routing) is set: set one');
  }
  checkCustomerAsn(problems, site.bgpAsn, ctx, at);
  if (!isKnown(site.staticRoutes)) return;
  if (ctx.gatewayKind === 'transitGateway' && site.staticRoutes.length > 0) {
    problems.error(at, `\`staticRoutes\` ${site.staticRoutes.join(', ')} cannot be set on a Transit Gateway connection: ` +
      'add them to the Transit Gateway route table, and pass `staticRoutes: []`');
  }
  if (ctx.gatewayKind === 'virtualPrivateGateway' && site.staticRoutes.length === 0) {
    problems.error(at, '`staticRoutes` is empty: list the on-premises CIDRs to route to this site');
  }
  const seen = new Set<string>();
  site.staticRoutes.forEach((route, i) => {
    const cidr = checkCidr(problems, at, `staticRoutes[${i}]`, route, 4);
    if (!cidr) return;
    const text = formatCidr(cidr);
    if (seen.has(text)) problems.error(at, `\`staticRoutes[${i}]\` ${route} is listed more than once`);
    seen.add(text);
  });
}

function checkCustomerAsn(problems: Problems, asn: number | undefined, ctx: SiteContext, at: Location): void {
  if (!isKnown(asn)) return;
  const range = { min: CUSTOMER_BGP_ASN.min, max: CUSTOMER_BGP_ASN_EXTENDED.max };
  if (!Number.isInteger(asn) || asn < range.min || asn > range.max) {
    checkInteger(problems, at, 'bgpAsn', asn, range);
  } else if (asn >= CUSTOMER_ASN_UNSUPPORTED_PRIVATE.min && asn <= CUSTOMER_ASN_UNSUPPORTED_PRIVATE.max) {
    problems.error(at, `\`bgpAsn\` ${asn} is in the private 4-byte range ${CUSTOMER_ASN_UNSUPPORTED_PRIVATE.min}-` +
      `${CUSTOMER_ASN_UNSUPPORTED_PRIVATE.max}, which AWS does not support for customer gateways`);
  } else if (ctx.amazonSideAsn !== undefined && asn === ctx.amazonSideAsn) {
    problems.error(at, `\`bgpAsn\` ${asn} equals the Amazon side ASN: the two BGP peers need different ASNs`);
  }
}

function checkConnectionOptions(problems: Problems, site: SiteOptions, gateway: GatewayKind, at: Location): void {
  const onTgw = gateway === 'transitGateway';
  const insideVersion = site.tunnelInsideIpVersion ?? 'ipv4';
  checkOneOf(problems, at, 'outsideIpAddressType', site.outsideIpAddressType, OUTSIDE_IP_ADDRESS_TYPES);
  checkOneOf(problems, at, 'tunnelInsideIpVersion', site.tunnelInsideIpVersion, TUNNEL_INSIDE_IP_VERSIONS);
  checkOneOf(problems, at, 'tunnelBandwidth', site.tunnelBandwidth, TUNNEL_BANDWIDTHS);
  checkNetworkCidr(problems, at, 'localIpv4NetworkCidr', site.localIpv4NetworkCidr, 4, insideVersion);
  checkNetworkCidr(problems, at, 'remoteIpv4NetworkCidr', site.remoteIpv4NetworkCidr, 4, insideVersion);
  checkNetworkCidr(problems, at, 'localIpv6NetworkCidr', site.localIpv6NetworkCidr, 6, insideVersion);
  checkNetworkCidr(problems, at, 'remoteIpv6NetworkCidr', site.remoteIpv6NetworkCidr, 6, insideVersion);
  if (insideVersion === 'ipv6' && !onTgw) {
    problems.error(at, '`tunnelInsideIpVersion` ipv6 needs a Transit Gateway; a virtual private gateway has only IPv4 tunnels');
  }
  if (site.enableAcceleration === true && !onTgw) {
    problems.error(at, '`enableAcceleration` true needs a Transit Gateway; a virtual private gateway does not support acceleration');
  }
  if (site.tunnelBandwidth === 'large') {
    if (!onTgw) problems.error(at, '`tunnelBandwidth` large needs a Transit Gateway; a virtual private gateway supports only standard');
    if (site.enableAcceleration === true) problems.error(at, '`tunnelBandwidth` large cannot be combined with `enableAcceleration` true');
  }
  const privateOutside = site.outsideIpAddressType === 'PrivateIpv4';
  if (privateOutside && !onTgw) {
    problems.error(at, '`outsideIpAddressType` PrivateIpv4 needs a Transit Gateway with a Direct Connect attachment');
  }
  if (privateOutside && site.transportTransitGatewayAttachmentId === undefined) {
    problems.error(at, '`outsideIpAddressType` PrivateIpv4 needs `transportTransitGatewayAttachmentId`');
  }
  if (!privateOutside && site.transportTransitGatewayAttachmentId !== undefined) {
    problems.error(at, `\`transportTransitGatewayAttachmentId\` ${site.transportTransitGatewayAttachmentId} applies only with \`outsideIpAddressType\` PrivateIpv4`);
  }
}

/** IPv4 network CIDRs belong to ipv4 tunnels, IPv6 ones to ipv6 tunnels. */
function checkNetworkCidr(problems: Problems, at: Location, prop: string, value: string | undefined, version: 4 | 6,
  insideVersion: string): void {
  if (!isKnown(value)) return;
  if (insideVersion !== `ipv${version}`) {
    problems.error(at, `\`${prop}\` ${value} needs \`tunnelInsideIpVersion\` ipv${version}, but it is ${insideVersion}`);
    return;
  }
  checkCidr(problems, at, prop, value, version);
}

function checkTunnels(problems: Problems, site: SiteOptions, ctx: SiteContext, at: Location): TunnelInsideCidrs[] {
  const tunnels = site.tunnels ?? [];
  if (tunnels.length > MAX_TUNNELS_PER_CONNECTION) {
    problems.error(at, `\`tunnels\` has ${tunnels.length} option sets; a VPN connection has at most ${MAX_TUNNELS_PER_CONNECTION} tunnels`);
  }
  const outside = site.tunnelOutsideIpAddresses;
  if (isKnown(outside)) {
    if (outside.length > MAX_TUNNELS_PER_CONNECTION) {
      problems.error(at, `\`tunnelOutsideIpAddresses\` has ${outside.length} addresses; a VPN connection has ${MAX_TUNNELS_PER_CONNECTION} tunnels`);
    }
    outside.filter((ip) => isKnown(ip) && parseIpv4(ip) === undefined)
      .forEach((ip) => problems.error(at, `\`tunnelOutsideIpAddresses\` ${ip} is not an IPv4 address`));
  }
  return tunnels.map((tunnel, i) => validateTunnel(problems, tunnel, {
    at: { site: site.name, tunnel: i + 1 },
    gatewayKind: ctx.gatewayKind,
    insideIpVersion: site.tunnelInsideIpVersion ?? 'ipv4',
    bgp: site.bgpAsn !== undefined,
  }));
}

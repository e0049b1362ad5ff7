/**
 * Pairs each XML `ipsec_tunnel` with its `Options.TunnelOptions[]` entry by AWS's outside address. AWS does
 * not promise the two lists share an order. When an address repeats, the entry whose `TunnelInsideCidr`
 * (or IPv6 one) holds the XML's AWS inside address wins; failing that, order decides (the k-th XML tunnel
 * with address A takes the k-th options entry with address A).
 */
import type { TunnelOption } from '@aws-sdk/client-ec2';
import { cidrContains, formatIp, parseCidr, parseIp } from '../net/address';
import { EndpointConfigError, quote } from './errors';
import type { XmlTunnel } from './customer-gateway-xml';

export interface MatchedTunnel {
  readonly xml: XmlTunnel;
  readonly options: TunnelOption;
  /** The options entry's path, e.g. `Options.TunnelOptions[1]`. */
  readonly optionsPath: string;
}

/** One canonical text per address, so `2001:DB8::1` and `2001:db8:0::1` compare equal. */
export function canonicalAddress(text: string, field: string): string {
  const ip = parseIp(text.trim());
  if (!ip) throw new EndpointConfigError(field, `${quote(text)} is not an IP address`);
  return formatIp(ip.version, ip.address);
}

export function matchTunnelOptions(xmlTunnels: readonly XmlTunnel[], tunnelOptions: readonly TunnelOption[]): MatchedTunnel[] {
  const unused = tunnelOptions.map((options, i) => {
    const path = `Options.TunnelOptions[${i}]`;
    if (options === null || typeof options !== 'object') throw new EndpointConfigError(path, 'is not an object');
    if (!options.OutsideIpAddress) throw new EndpointConfigError(`${path}.OutsideIpAddress`, 'is missing');
    return { options, path, address: canonicalAddress(options.OutsideIpAddress, `${path}.OutsideIpAddress`) };
  });

  const matched = xmlTunnels.map((xml) => {
    const field = `${xml.path}/vpn_gateway/tunnel_outside_address/ip_address`;
    const address = canonicalAddress(xml.vpnGateway.outsideAddress, field);
    const sameAddress = unused.filter((candidate) => candidate.address === address);
    const best = sameAddress.find((candidate) => holdsInsideAddress(candidate.options, xml)) ?? sameAddress[0];
    const at = best ? unused.indexOf(best) : -1;
    if (at < 0) {
      const known = tunnelOptions.map((o) => o.OutsideIpAddress).join(', ') || 'none';
      throw new EndpointConfigError(
        'Options.TunnelOptions',
        `no unused entry has OutsideIpAddress ${address} (the AWS outside address of ${xml.path}); entries have: ${known}`,
      );
    }
    const [match] = unused.splice(at, 1);
    return { xml, options: match.options, optionsPath: match.path };
  });
  if (unused.length > 0) {
    throw new EndpointConfigError(unused[0].path, `OutsideIpAddress ${unused[0].address} matches no ipsec_tunnel in CustomerGatewayConfiguration`);
  }
  return matched;
}

/** True when the options' inside CIDR (IPv4 or IPv6) contains the AWS inside address the XML gives. */
function holdsInsideAddress(options: TunnelOption, xml: XmlTunnel): boolean {
  const pairs: [string | undefined, string | undefined][] = [
    [options.TunnelInsideCidr, xml.vpnGateway.insideAddress?.ipAddress],
    [options.TunnelInsideIpv6Cidr, xml.vpnGateway.insideIpv6Address],
  ];
  return pairs.some(([cidrText, ipText]) => {
    const cidr = cidrText ? parseCidr(cidrText) : undefined;
    const ip = ipText ? parseIp(ipText) : undefined;
    return !!cidr && !!ip && cidrContains(cidr, { ...ip, prefixLength: ip.version === 4 ? 32 : 128 });
  });
}

/**
 * Where the live stage's pings go. AWS carries only traffic between its selectors (the connection's
 * `Local/RemoteIpv4NetworkCidr`, or `Local/RemoteIpv6NetworkCidr` for an IPv6 tunnel), so a ping between the
 * tunnel's inside addresses proves the tunnel only when the selectors contain them (0.0.0.0/0 or ::/0,
 * AWS's default); otherwise each side pings from the first host of its first selector of the inside
 * addresses' IP version, as traffic between the networks would.
 */
import type { TrafficSelectors } from '../../endpoint';
import { cidrContains, formatIp, IpVersion, networkOf, parseCidr, parseIp, bitsOf } from '../../net/address';

export interface PingAddresses {
  /** 4: ICMP echo; 6: ICMPv6 echo (ping6). */
  readonly version: IpVersion;
  readonly onPrem: string;
  readonly aws: string;
  /** True when an address came from a selector instead of the inside address. */
  readonly fromSelectors: boolean;
}

/**
 * Undefined when the inside addresses are missing or of different IP versions, or a side has no selector
 * of their version to ping from. Addresses come back in canonical text (RFC 5952 for IPv6).
 */
export function pingAddresses(inside: { readonly onPrem?: string; readonly aws?: string }, ts: TrafficSelectors): PingAddresses | undefined {
  const onPremIp = inside.onPrem === undefined ? undefined : parseIp(inside.onPrem);
  const awsIp = inside.aws === undefined ? undefined : parseIp(inside.aws);
  if (!onPremIp || !awsIp || onPremIp.version !== awsIp.version) return undefined;
  const version = onPremIp.version;
  const onPrem = addressIn(onPremIp.address, version, ts.local);
  const aws = addressIn(awsIp.address, version, ts.remote);
  if (onPrem === undefined || aws === undefined) return undefined;
  return {
    version,
    onPrem: formatIp(version, onPrem),
    aws: formatIp(version, aws),
    fromSelectors: onPrem !== onPremIp.address || aws !== awsIp.address,
  };
}

function addressIn(address: bigint, version: IpVersion, selectors: readonly string[]): bigint | undefined {
  const cidrs = selectors.map(parseCidr).filter((c) => c?.version === version);
  const host = { version, address, prefixLength: bitsOf(version) };
  if (cidrs.some((c) => cidrContains(c!, host))) return address;
  const first = cidrs[0];
  if (!first) return undefined;
  return first.prefixLength >= bitsOf(version) - 1 ? networkOf(first) : networkOf(first) + 1n;
}

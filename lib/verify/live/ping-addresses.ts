/**
 * Where the live stage's pings go. AWS carries only traffic between its selectors (the connection's
 * `Local/RemoteIpv4NetworkCidr`), so a ping between the tunnel's inside addresses proves the tunnel only
 * when the selectors contain them (0.0.0.0/0, AWS's default); otherwise each side pings from the first host
 * of its first IPv4 selector, as traffic between the networks would.
 */
import type { TrafficSelectors } from '../../endpoint';
import { cidrContains, formatIpv4, networkOf, parseCidr } from '../../net/address';

export interface PingAddresses {
  readonly onPrem: string;
  readonly aws: string;
  /** True when an address came from a selector instead of the inside address. */
  readonly fromSelectors: boolean;
}

/** Undefined when a side has no IPv4 address to ping from (no IPv4 inside address or selector). */
export function pingAddresses(inside: { readonly onPrem?: string; readonly aws?: string }, ts: TrafficSelectors): PingAddresses | undefined {
  const onPrem = addressIn(inside.onPrem, ts.local);
  const aws = addressIn(inside.aws, ts.remote);
  if (!onPrem || !aws) return undefined;
  return { onPrem, aws, fromSelectors: onPrem !== inside.onPrem || aws !== inside.aws };
}

function addressIn(address: string | undefined, selectors: readonly string[]): string | undefined {
  const cidrs = selectors.map(parseCidr).filter((c) => c?.version === 4);
  const host = address === undefined ? undefined : parseCidr(`${address}/32`);
  if (host && cidrs.some((c) => cidrContains(c!, host))) return address;
  const first = cidrs[0];
  if (!first) return undefined;
  return formatIpv4(first.prefixLength >= 31 ? networkOf(first) : networkOf(first) + 1n);
}

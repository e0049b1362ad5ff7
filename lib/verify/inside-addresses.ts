/**
 * The inside addresses a tunnel's traffic checks use (the loopback exchange, the live pings, probe): IPv4
 * when the tunnel has them on both ends, else IPv6 (a `TunnelInsideIpVersion: ipv6` tunnel has only those).
 * Hosts without prefix; the on-prem config's own address first, AWS's record second.
 */
import type { TunnelConfig } from '../endpoint';
import type { OnPremTunnel } from './on-prem';

export interface InsideAddresses {
  readonly onPrem?: string;
  readonly aws?: string;
}

/**
 * `awsFrom`: `aws` takes AWS's inside address from AWS's tunnel options only (the side our engine plays
 * AWS on); `config` prefers the on-prem config's peer address (what the customer gateway sends to).
 */
export function insideAddresses(onPrem: OnPremTunnel, t: TunnelConfig | undefined, awsFrom: 'aws' | 'config' = 'aws'): InsideAddresses {
  const v4 = {
    onPrem: onPrem.localInside ?? t?.local.insideCidr,
    aws: (awsFrom === 'config' ? onPrem.remoteInside : undefined) ?? t?.remote.insideCidr,
  };
  const v6 = {
    onPrem: onPrem.localInsideIpv6 ?? t?.local.insideIpv6Cidr,
    aws: (awsFrom === 'config' ? onPrem.remoteInsideIpv6 : undefined) ?? t?.remote.insideIpv6Cidr,
  };
  const chosen = v4.onPrem !== undefined && v4.aws !== undefined ? v4 : v6.onPrem !== undefined || v6.aws !== undefined ? v6 : v4;
  return { onPrem: host(chosen.onPrem), aws: host(chosen.aws) };
}

function host(cidr: string | undefined): string | undefined {
  return cidr?.split('/')[0];
}

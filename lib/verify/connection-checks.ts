/**
 * Static checks that follow from the connection rather than the crypto: how the tunnel authenticates
 * (certificates instead of a key), forced UDP encapsulation for accelerated connections, and the exact
 * traffic selectors AWS negotiates (one SA pair per tunnel).
 */
import { formatCidr, parseCidr } from '../net/address';
import type { AwsSide } from './aws-side';
import type { OnPremTunnel } from './on-prem';
import { CheckResult, fail, pass, warn } from './report';

/** True when either side authenticates with certificates: then {@link certificateAuthCheck} replaces the key check. */
export function usesCertificates(onPrem: OnPremTunnel, aws: AwsSide): boolean {
  return aws.tunnel.auth !== undefined || onPrem.certificateAuth !== undefined;
}

export function certificateAuthCheck(onPrem: OnPremTunnel, aws: AwsSide): CheckResult {
  const awsAuth = aws.tunnel.auth;
  const mine = onPrem.certificateAuth;
  if (!awsAuth) {
    return fail('authentication', 'static', 'Authentication: this side uses certificates, but AWS authenticates the tunnel with a pre-shared key',
      `set auth = psk on both sides of ${onPrem.name} and add the tunnel's key`);
  }
  if (!mine) {
    return fail('authentication', 'static', 'Authentication: AWS authenticates this tunnel with certificates (VgwTelemetry CertificateArn), this side with a pre-shared key',
      `set auth = pubkey on both sides of ${onPrem.name}, with this gateway's certificate and remote id "${awsAuth.awsIdentity}"`);
  }
  if (!mine.bothSides) {
    return fail('authentication', 'static', 'Authentication: only one side of the connection uses certificates', `set ${mine.field} = pubkey`);
  }
  if (mine.remoteId === undefined) {
    return warn('authentication', 'static', "Authentication: certificates, but any identity your CA signed is accepted as AWS's",
      `set remote.id = "${awsAuth.awsIdentity}" to accept only AWS's certificate for this tunnel`);
  }
  if (mine.remoteId !== awsAuth.awsIdentity) {
    return fail('authentication', 'static', `Authentication: remote id "${mine.remoteId}" is not AWS's certificate identity for this tunnel`,
      `set remote.id = "${awsAuth.awsIdentity}"`);
  }
  return pass('authentication', 'static', `Authentication: certificates; AWS's identity ${awsAuth.awsIdentity}`);
}

/** Accelerated connections need NAT-T whatever the path (AWS UG, "Accelerated Site-to-Site VPN connections"). */
export function encapsulationChecks(onPrem: OnPremTunnel, aws: AwsSide): CheckResult[] {
  if (!aws.transport?.accelerated) return [];
  if (onPrem.forcesUdpEncapsulation) return [pass('udp-encapsulation', 'static', 'UDP encapsulation: forced, as an accelerated connection requires')];
  return [fail('udp-encapsulation', 'static', 'UDP encapsulation: the connection is accelerated, which requires NAT-T, but this side does not force it',
    `set encap = yes in connection ${onPrem.name}`)];
}

/** The CHILD_SA's selectors must be exactly the ones AWS negotiates, per address family. */
export function trafficSelectorChecks(onPrem: OnPremTunnel, aws: AwsSide): CheckResult[] {
  const mine = onPrem.trafficSelectors;
  if (!mine) return [];
  const want = aws.trafficSelectors;
  if (sameCidrSet(mine.local, want.local) && sameCidrSet(mine.remote, want.remote)) {
    return [pass('traffic-selectors', 'static', `Traffic selectors: ${want.local.join(',')} <-> ${want.remote.join(',')}, as AWS negotiates`)];
  }
  const ipv6Only = want.local.every((c) => c.includes(':'));
  return [fail('traffic-selectors', 'static',
    `Traffic selectors: ${mine.local.join(',')} <-> ${mine.remote.join(',')}; AWS negotiates exactly ${want.local.join(',')} <-> ${want.remote.join(',')}` +
      (ipv6Only ? ' (an IPv6-only connection: IPv6 selectors only)' : ''),
    `set ${mine.field}.local_ts = ${want.local.join(',')} and ${mine.field}.remote_ts = ${want.remote.join(',')}`)];
}

/** True when two selector lists name the same CIDRs (written canonically, repeats and order ignored). */
export function sameCidrSet(a: readonly string[], b: readonly string[]): boolean {
  return canonicalSet(a).join() === canonicalSet(b).join();
}

function canonicalSet(cidrs: readonly string[]): string[] {
  return [...new Set(cidrs.map((c) => {
    const parsed = parseCidr(c.trim());
    return parsed ? formatCidr(parsed) : c.trim();
  }))].sort();
}

/**
 * The tunnel MTU of an endpoint config: the smallest inner MTU over every ESP suite the tunnel may
 * negotiate, never above AWS's maximum. The per-suite arithmetic is the ESP engine's (`maxInnerMtu`).
 */
import { encryptionByKeyword } from '../algorithms';
import type { AwsEncryptionKeyword as EncryptionKeyword, AwsIntegrityKeyword as IntegrityKeyword } from '../algorithms';
import { MAX_TUNNEL_MTU } from '../aws-rules';
import { EspSuite, espSuiteFor, maxInnerMtu } from '../esp';

/** The outer path: ESP in UDP (NAT traversal) adds 8 bytes; an IPv6 outer header 20 more than IPv4. */
export interface OuterPath {
  readonly natTraversal: boolean;
  /** @default 4 */
  readonly outerIpVersion?: 4 | 6;
}

/** Every ESP suite the lists allow: each AEAD cipher alone, each other cipher with each integrity algorithm. */
export function espSuitesOf(encryption: readonly EncryptionKeyword[], integrity: readonly IntegrityKeyword[]): EspSuite[] {
  return encryption.flatMap((enc) => (encryptionByKeyword(enc)?.aead ? [espSuiteFor(enc)] : integrity.map((integ) => espSuiteFor(enc, integ))))
    .filter((suite): suite is EspSuite => suite !== undefined);
}

export function tunnelMtu(
  encryption: readonly EncryptionKeyword[],
  integrity: readonly IntegrityKeyword[],
  path: OuterPath,
): number {
  const suites = espSuitesOf(encryption, integrity);
  if (suites.length === 0) throw new RangeError('no ESP suite: a non-AEAD cipher needs at least one integrity algorithm');
  const mtus = suites.map((suite) => maxInnerMtu(suite, { natT: path.natTraversal, outerIpVersion: path.outerIpVersion }));
  return Math.min(MAX_TUNNEL_MTU, ...mtus);
}

/** Inner IP + TCP header bytes a TCP segment carries: 20 + 20 over IPv4, 40 + 20 over IPv6. */
const TCP_HEADERS: Record<4 | 6, number> = { 4: 40, 6: 60 };

/** The largest TCP MSS whose segments fit an inner MTU of `mtu` without fragmentation. */
export function maxTcpMss(mtu: number, innerIpVersion: 4 | 6): number {
  return mtu - TCP_HEADERS[innerIpVersion];
}

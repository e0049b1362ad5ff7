/**
 * Validation of SA configuration shared by ESP and AH SAs. Errors name the field and the bad value,
 * never key bytes.
 */
import { ipToBytes } from '../net/address';
import { NAT_T_PORT } from './nat-t';
import type { NatTPorts, OuterAddresses } from './types';

export function checkSpi(spi: unknown): number {
  if (typeof spi !== 'number' || !Number.isInteger(spi) || spi < 1 || spi > 0xffffffff) {
    throw new Error(`\`spi\` must be an integer from 1 to 0xffffffff (0 is reserved), not ${String(spi)}`);
  }
  return spi;
}

export function checkMode(mode: unknown): 'tunnel' | 'transport' {
  if (mode !== 'tunnel' && mode !== 'transport') throw new Error(`\`mode\` must be 'tunnel' or 'transport', not ${JSON.stringify(mode)}`);
  return mode;
}

export interface OuterBytes {
  readonly version: 4 | 6;
  readonly src: Buffer;
  readonly dst: Buffer;
}

export function checkOuter(outer: OuterAddresses | undefined): OuterBytes | undefined {
  if (outer === undefined) return undefined;
  const src = ipToBytes(String(outer.src));
  const dst = ipToBytes(String(outer.dst));
  if (!src) throw new Error(`\`outer.src\` ${JSON.stringify(outer.src)} is not an IPv4 or IPv6 address`);
  if (!dst) throw new Error(`\`outer.dst\` ${JSON.stringify(outer.dst)} is not an IPv4 or IPv6 address`);
  if (src.length !== dst.length) throw new Error(`\`outer.src\` ${outer.src} and \`outer.dst\` ${outer.dst} must be the same IP version`);
  return { version: src.length === 4 ? 4 : 6, src, dst };
}

export function checkNatT(natT: boolean | NatTPorts | undefined): NatTPorts | undefined {
  if (natT === undefined || natT === false) return undefined;
  if (natT === true) return { srcPort: NAT_T_PORT, dstPort: NAT_T_PORT };
  const ok = (p: unknown) => typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535;
  if (typeof natT !== 'object' || !ok(natT.srcPort) || !ok(natT.dstPort)) {
    throw new Error(`\`natT\` must be a boolean or { srcPort, dstPort } with ports from 1 to 65535, not ${JSON.stringify(natT)}`);
  }
  return { srcPort: natT.srcPort, dstPort: natT.dstPort };
}

export function checkBoolean(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new Error(`\`${field}\` must be a boolean, not ${JSON.stringify(value)}`);
  return value;
}

const MAX_SEQUENCE_32 = 0xffffffffn;
const MAX_SEQUENCE_64 = 0xffffffffffffffffn;

/**
 * `initialSequence` as a bigint (1 when unset): 1..2^32-1, or 1..2^64-1 with ESN. A number must be a safe
 * integer; larger ESN values come as a bigint.
 */
export function checkInitialSequence(value: unknown, esn: boolean): bigint {
  if (value === undefined) return 1n;
  const max = esn ? MAX_SEQUENCE_64 : MAX_SEQUENCE_32;
  const asBigint = typeof value === 'bigint' ? value : typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (asBigint === undefined || asBigint < 1n || asBigint > max) {
    const range = esn ? '1 to 2^64 - 1 (a bigint past 2^53 - 1)' : '1 to 2^32 - 1 (more needs `esn`)';
    const shown = typeof value === 'bigint' ? `${value}n` : typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
    throw new Error(`\`initialSequence\` must be an integer from ${range}, not ${shown}`);
  }
  return asBigint;
}

/**
 * The IKEv2 pseudo-random function and its expansion prf+ (RFC 7296 section 2.13), over HMAC.
 */
import { createHmac } from 'node:crypto';

/** The PRF side of a registry PRF transform: the HMAC hash and its output length. */
export interface PrfAlgorithm {
  readonly hash: string;
  readonly outputLength: number;
}

export function prf(alg: PrfAlgorithm, key: Buffer, data: Buffer): Buffer {
  return createHmac(alg.hash, key).update(data).digest();
}

/** prf+ (K,S) = T1 | T2 | ..., T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n); at most 255 blocks. */
export function prfPlus(alg: PrfAlgorithm, key: Buffer, seed: Buffer, length: number): Buffer {
  const blocks = Math.ceil(length / alg.outputLength);
  if (blocks > 255) throw new Error(`prf+ can produce at most 255 blocks; ${length} bytes need ${blocks}`);
  const out: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let n = 1; n <= blocks; n++) {
    previous = createHmac(alg.hash, key).update(previous).update(seed).update(Buffer.from([n])).digest();
    out.push(previous);
  }
  return Buffer.concat(out).subarray(0, length);
}

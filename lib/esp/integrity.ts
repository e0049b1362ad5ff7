/**
 * Truncated HMAC ICVs: HMAC-SHA1-96 (RFC 2404) and HMAC-SHA-256-128 / -384-192 / -512-256 (RFC 4868).
 * The key becomes a KeyObject once per SA; each packet creates one HMAC and feeds it its parts.
 */
import { createHmac, createSecretKey, Hmac, KeyObject, timingSafeEqual } from 'node:crypto';

export class TruncatedHmac {
  private readonly key: KeyObject;

  constructor(
    readonly hash: string,
    key: Buffer,
    readonly icvLength: number,
  ) {
    this.key = createSecretKey(key);
  }

  /** A fresh HMAC to `update` with the covered bytes; finish with {@link finish} or {@link matches}. */
  start(): Hmac {
    return createHmac(this.hash, this.key);
  }

  /** Writes the truncated ICV of `mac` at `out[offset]`. */
  finish(mac: Hmac, out: Buffer, offset: number): void {
    mac.digest().copy(out, offset, 0, this.icvLength);
  }

  /** Constant-time comparison of `mac`'s truncated ICV with `icv`. */
  matches(mac: Hmac, icv: Buffer): boolean {
    return icv.length === this.icvLength && timingSafeEqual(mac.digest().subarray(0, this.icvLength), icv);
  }

  /** The truncated ICV of `data` (one-shot). */
  icv(data: Buffer): Buffer {
    return this.start().update(data).digest().subarray(0, this.icvLength);
  }
}

/**
 * IKE SA keys (RFC 7296 sections 2.14 and 2.18):
 *   SKEYSEED = prf(Ni | Nr, g^ir)                         (initial)
 *   SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)      (rekey)
 *   {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr)
 * With an AEAD cipher SK_ai/SK_ar are empty and SK_e includes the salt (RFC 5282 section 7.1).
 */
import { prf, PrfAlgorithm, prfPlus } from './prf';
import type { IkeSuite } from './suite';

export interface IkeKeys {
  readonly skD: Buffer;
  readonly skAi: Buffer;
  readonly skAr: Buffer;
  readonly skEi: Buffer;
  readonly skEr: Buffer;
  readonly skPi: Buffer;
  readonly skPr: Buffer;
}

/**
 * RFC 7296 section 2.14: for HMAC PRFs the nonces are the key whole; for a PRF with a fixed key size
 * (AES-XCBC, not used here) it would be halves of each.
 */
export function initialSkeyseed(alg: PrfAlgorithm, ni: Buffer, nr: Buffer, gir: Buffer): Buffer {
  return prf(alg, Buffer.concat([ni, nr]), gir);
}

export function rekeySkeyseed(alg: PrfAlgorithm, oldSkD: Buffer, gir: Buffer, ni: Buffer, nr: Buffer): Buffer {
  return prf(alg, oldSkD, Buffer.concat([gir, ni, nr]));
}

/** Bytes of keying material the seven keys take for `suite`. */
export function ikeKeyMaterialLength(suite: IkeSuite): number {
  const integ = suite.integrity?.keyLength ?? 0;
  return suite.prf.outputLength * 3 + integ * 2 + suite.encryption.keyMaterialLength * 2;
}

export function deriveIkeKeys(suite: IkeSuite, skeyseed: Buffer, ni: Buffer, nr: Buffer, spiI: Buffer, spiR: Buffer): IkeKeys {
  const material = prfPlus(suite.prf, skeyseed, Buffer.concat([ni, nr, spiI, spiR]), ikeKeyMaterialLength(suite));
  let offset = 0;
  const take = (n: number): Buffer => {
    const part = Buffer.from(material.subarray(offset, offset + n));
    offset += n;
    return part;
  };
  const p = suite.prf.outputLength;
  const a = suite.integrity?.keyLength ?? 0;
  const e = suite.encryption.keyMaterialLength;
  return { skD: take(p), skAi: take(a), skAr: take(a), skEi: take(e), skEr: take(e), skPi: take(p), skPr: take(p) };
}

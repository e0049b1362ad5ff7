/**
 * CHILD_SA keying material (RFC 7296 section 2.17): KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr), taken in
 * the order encryption key (initiator to responder), integrity key (i to r), then the same for r to i. For
 * AEAD ciphers the encryption key includes the salt (RFC 4106 section 8.1), the layout the ESP engine takes.
 */
import { prfPlus, PrfAlgorithm } from './prf';
import type { CipherAlgorithm, IntegrityAlgorithm } from './suite';

export interface ChildSuite {
  readonly encryption: CipherAlgorithm;
  readonly integrity?: IntegrityAlgorithm;
}

export interface DirectionKeys {
  readonly encryptionKey: Buffer;
  /** Empty for AEAD ciphers. */
  readonly integrityKey: Buffer;
}

export interface ChildKeys {
  /** Protects traffic from the initiator of the exchange that created the CHILD_SA to the responder. */
  readonly initiatorToResponder: DirectionKeys;
  readonly responderToInitiator: DirectionKeys;
}

export function deriveChildKeys(alg: PrfAlgorithm, skD: Buffer, suite: ChildSuite, ni: Buffer, nr: Buffer, gir?: Buffer): ChildKeys {
  const e = suite.encryption.keyMaterialLength;
  const a = suite.integrity?.keyLength ?? 0;
  const seed = Buffer.concat(gir ? [gir, ni, nr] : [ni, nr]);
  const km = prfPlus(alg, skD, seed, 2 * (e + a));
  const slice = (from: number, n: number) => Buffer.from(km.subarray(from, from + n));
  return {
    initiatorToResponder: { encryptionKey: slice(0, e), integrityKey: slice(e, a) },
    responderToInitiator: { encryptionKey: slice(e + a, e), integrityKey: slice(2 * e + a, a) },
  };
}

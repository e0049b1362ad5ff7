/**
 * The negotiated algorithms of an IKE SA or CHILD_SA as the key derivation and SK payload see them: the
 * fields of the algorithm registry's entries this folder reads.
 */
import type { PrfAlgorithm } from './prf';

export interface CipherAlgorithm {
  readonly keyword: string;
  readonly mode: string;
  readonly aead: boolean;
  /** Key + salt bytes taken from the keying material per direction. */
  readonly keyMaterialLength: number;
  readonly keyLength: number;
  readonly saltLength: number;
  readonly ivLength: number;
  readonly icvLength: number;
  readonly blockSize: number;
  readonly cipher: string;
}

export interface IntegrityAlgorithm {
  readonly keyword: string;
  readonly hash: string;
  readonly keyLength: number;
  readonly icvLength: number;
}

export interface IkeSuite {
  readonly encryption: CipherAlgorithm;
  /** Absent for AEAD ciphers. */
  readonly integrity?: IntegrityAlgorithm;
  readonly prf: PrfAlgorithm & { readonly keyword: string };
}

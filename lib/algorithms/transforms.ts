/**
 * The symmetric transforms: encryption, PRF, integrity and sequence numbers. One record per algorithm with
 * every name it goes by (AWS's API value, strongSwan's proposal keyword, IANA's transform id and name), its
 * sizes, the `node:crypto` primitive that computes it, and what AWS allows it for.
 *
 * IANA ids: "Internet Key Exchange Version 2 (IKEv2) Parameters", Transform Type 1-5 registries.
 */
import type { EncryptionAlgorithm, IntegrityAlgorithm } from '../aws-rules';

/** IKEv2 transform types (RFC 7296 section 3.3.2). */
export const TransformType = {
  ENCR: 1,
  PRF: 2,
  INTEG: 3,
  /** "Key Exchange Method" in today's registry, "Diffie-Hellman Group" in RFC 7296. */
  DH: 4,
  /** "Sequence Numbers" in today's registry, "Extended Sequence Numbers" in RFC 7296. */
  ESN: 5,
} as const;
export type TransformType = (typeof TransformType)[keyof typeof TransformType];

/**
 * How much an algorithm is worth today.
 * - `weak`: AWS still allows it, but it is SHA-1 or a DH group under 2048 bits or with a small prime-order
 *   subgroup (RFC 8247 and RFC 8221 advise against them); `verify` warns and names a stronger AWS choice.
 * - `standard`: about 128-bit security (AES-128, SHA-256, 2048/3072-bit MODP, P-256, Curve25519).
 * - `strong`: beyond 128-bit security (AES-256, ChaCha20, SHA-384/512, 4096-bit+ MODP, P-384, P-521).
 */
export type Strength = 'weak' | 'standard' | 'strong';

/** Which phases AWS's endpoint accepts an algorithm for (the Phase1 and Phase2 tunnel options); for ESN: none, AWS has no such option. */
export interface AwsPhases {
  readonly phase1: boolean;
  readonly phase2: boolean;
}

const AWS_BOTH: AwsPhases = { phase1: true, phase2: true };
const AWS_PHASE1: AwsPhases = { phase1: true, phase2: false };
const AWS_NEITHER: AwsPhases = { phase1: false, phase2: false };

interface TransformBase {
  /** strongSwan's proposal keyword, the canonical name in this project. */
  readonly keyword: string;
  /** Other keywords strongSwan accepts for the same transform (`sha2_256` for `sha256`). */
  readonly aliases: readonly string[];
  readonly ianaId: number;
  /** The name in IANA's registry. */
  readonly ianaName: string;
  readonly strength: Strength;
  readonly aws: AwsPhases;
  /**
   * Libreswan 4's name in `ike=` / `esp=` (`aes_gcm256`, `sha2_256`); absent where Libreswan as Debian and
   * RHEL build it lacks the algorithm. Checked against Libreswan's own `algparse` (test/site).
   */
  readonly libreswan?: string;
}

/** How an encryption transform protects data. */
export type CipherMode =
  /** AES-CBC (RFC 3602): encryption only, needs an integrity transform. */
  | 'cbc'
  /** AES-GCM AEAD (RFC 4106, RFC 5282 for IKE). */
  | 'gcm'
  /** AES-GMAC (RFC 4543): integrity only, the payload travels in clear. ESP only. */
  | 'gmac'
  /** ChaCha20-Poly1305 AEAD (RFC 7634). */
  | 'chacha20-poly1305';

export interface EncryptionTransform extends TransformBase {
  readonly transformType: typeof TransformType.ENCR;
  /** AWS's `Phase1EncryptionAlgorithms`/`Phase2EncryptionAlgorithms` value, where AWS offers it. */
  readonly awsName?: AwsEncryptionName;
  readonly mode: CipherMode;
  /** Authenticated: carries its own ICV, so a proposal with it takes no integrity transform. GMAC counts. */
  readonly aead: boolean;
  /** The cipher key in bytes (without salt). */
  readonly keyLength: number;
  /** The Key Length transform attribute in bits (RFC 7296 section 3.3.5); undefined: the transform has none. */
  readonly keyLengthAttribute?: number;
  /** Bytes of salt taken from the keying material after the key (RFC 4106 section 8.1, RFC 7634 section 2). */
  readonly saltLength: number;
  /** Keying material per direction: key + salt (the ESP SA's `encryptionKey`, IKE's SK_e). */
  readonly keyMaterialLength: number;
  /** Explicit IV carried in each packet. */
  readonly ivLength: number;
  /** ICV the cipher appends (AEAD only, else 0). */
  readonly icvLength: number;
  /** Payload + padding + trailer align to this (at least 4, RFC 4303 section 2.4). */
  readonly blockSize: number;
  /** The `node:crypto` cipher name. */
  readonly cipher: string;
}

export interface IntegrityTransform extends TransformBase {
  readonly transformType: typeof TransformType.INTEG;
  /** AWS's `Phase1IntegrityAlgorithms`/`Phase2IntegrityAlgorithms` value. */
  readonly awsName: AwsIntegrityName;
  /** The `node:crypto` hash name of the HMAC. */
  readonly hash: string;
  /** HMAC key in bytes (the hash's output length, RFC 2404 / RFC 4868 section 2.1.1). */
  readonly keyLength: number;
  /** The HMAC output truncated to this many bytes is the ICV (RFC 2404: 12; RFC 4868: half the hash). */
  readonly icvLength: number;
}

export interface PrfTransform extends TransformBase {
  readonly transformType: typeof TransformType.PRF;
  /**
   * The `Phase1IntegrityAlgorithms` value that stands for this PRF: AWS names one hash for both, and
   * an AEAD IKE proposal carries the PRF alone.
   */
  readonly awsName: AwsIntegrityName;
  readonly hash: string;
  /** The PRF's output length in bytes (untruncated, RFC 4868 section 2.1.2); also its preferred key length. */
  readonly outputLength: number;
}

export interface EsnTransform extends TransformBase {
  readonly transformType: typeof TransformType.ESN;
  readonly extended: boolean;
}

export type SymmetricTransform = EncryptionTransform | IntegrityTransform | PrfTransform | EsnTransform;

/** AWS's API values (the lists themselves live in `lib/aws-rules.ts`). */
export type AwsEncryptionName = EncryptionAlgorithm;
export type AwsIntegrityName = IntegrityAlgorithm;

function aesCbc(bits: 128 | 256, awsName: AwsEncryptionName, aliases: string[]): EncryptionTransform {
  return {
    transformType: TransformType.ENCR,
    keyword: `aes${bits}`,
    aliases,
    libreswan: `aes${bits}`,
    ianaId: 12,
    ianaName: 'ENCR_AES_CBC',
    awsName,
    mode: 'cbc',
    aead: false,
    keyLength: bits / 8,
    keyLengthAttribute: bits,
    saltLength: 0,
    keyMaterialLength: bits / 8,
    ivLength: 16,
    icvLength: 0,
    blockSize: 16,
    cipher: `aes-${bits}-cbc`,
    strength: bits === 128 ? 'standard' : 'strong',
    aws: AWS_BOTH,
  };
}

/** The salted-nonce transforms: 4-byte salt, 8-byte explicit IV, 16-byte ICV, 4-byte alignment. */
function salted(
  fields: Pick<EncryptionTransform, 'keyword' | 'aliases' | 'ianaId' | 'ianaName' | 'mode' | 'keyLength' | 'cipher' | 'strength' | 'aws' | 'libreswan'> & {
    readonly awsName?: AwsEncryptionName;
    readonly keyLengthAttribute?: number;
  },
): EncryptionTransform {
  return {
    transformType: TransformType.ENCR,
    aead: true,
    saltLength: 4,
    keyMaterialLength: fields.keyLength + 4,
    ivLength: 8,
    icvLength: 16,
    blockSize: 4,
    ...fields,
  };
}

/** Every encryption transform, AWS's first (in AWS's documented order), then what only the ESP engine runs. */
export const ENCRYPTION_TRANSFORMS: readonly EncryptionTransform[] = [
  aesCbc(128, 'AES128', ['aes']),
  aesCbc(256, 'AES256', []),
  salted({
    keyword: 'aes128gcm16', aliases: ['aes128gcm128', 'aes128gcm'], ianaId: 20, ianaName: 'ENCR_AES_GCM_16', awsName: 'AES128-GCM-16', libreswan: 'aes_gcm128',
    mode: 'gcm', keyLength: 16, keyLengthAttribute: 128, cipher: 'aes-128-gcm', strength: 'standard', aws: AWS_BOTH,
  }),
  salted({
    keyword: 'aes256gcm16', aliases: ['aes256gcm128', 'aes256gcm'], ianaId: 20, ianaName: 'ENCR_AES_GCM_16', awsName: 'AES256-GCM-16', libreswan: 'aes_gcm256',
    mode: 'gcm', keyLength: 32, keyLengthAttribute: 256, cipher: 'aes-256-gcm', strength: 'strong', aws: AWS_BOTH,
  }),
  salted({
    keyword: 'aes128gmac', aliases: [], ianaId: 21, ianaName: 'ENCR_NULL_AUTH_AES_GMAC',
    mode: 'gmac', keyLength: 16, keyLengthAttribute: 128, cipher: 'aes-128-gcm', strength: 'standard', aws: AWS_NEITHER,
  }),
  salted({
    keyword: 'aes256gmac', aliases: [], ianaId: 21, ianaName: 'ENCR_NULL_AUTH_AES_GMAC',
    mode: 'gmac', keyLength: 32, keyLengthAttribute: 256, cipher: 'aes-256-gcm', strength: 'strong', aws: AWS_NEITHER,
  }),
  // RFC 7634 section 2: fixed 256-bit key, so no Key Length attribute.
  salted({
    keyword: 'chacha20poly1305', aliases: [], ianaId: 28, ianaName: 'ENCR_CHACHA20_POLY1305', libreswan: 'chacha20_poly1305',
    mode: 'chacha20-poly1305', keyLength: 32, cipher: 'chacha20-poly1305', strength: 'strong', aws: AWS_NEITHER,
  }),
];

function hmac(
  keyword: string,
  aliases: string[],
  ianaId: number,
  ianaName: string,
  awsName: AwsIntegrityName,
  hash: string,
  outputLength: number,
  icvLength: number,
  strength: Strength,
  libreswan: string,
): IntegrityTransform {
  return { transformType: TransformType.INTEG, keyword, aliases, ianaId, ianaName, awsName, hash, keyLength: outputLength, icvLength, strength, aws: AWS_BOTH, libreswan };
}

/** HMAC integrity transforms, in AWS's documented order. */
export const INTEGRITY_TRANSFORMS: readonly IntegrityTransform[] = [
  hmac('sha1', ['sha'], 2, 'AUTH_HMAC_SHA1_96', 'SHA1', 'sha1', 20, 12, 'weak', 'sha1'),
  hmac('sha256', ['sha2_256'], 12, 'AUTH_HMAC_SHA2_256_128', 'SHA2-256', 'sha256', 32, 16, 'standard', 'sha2_256'),
  hmac('sha384', ['sha2_384'], 13, 'AUTH_HMAC_SHA2_384_192', 'SHA2-384', 'sha384', 48, 24, 'strong', 'sha2_384'),
  hmac('sha512', ['sha2_512'], 14, 'AUTH_HMAC_SHA2_512_256', 'SHA2-512', 'sha512', 64, 32, 'strong', 'sha2_512'),
];

function prf(ianaId: number, ianaName: string, awsName: AwsIntegrityName, hash: string, outputLength: number, strength: Strength): PrfTransform {
  return {
    transformType: TransformType.PRF,
    keyword: `prf${hash}`,
    aliases: [],
    ianaId,
    ianaName,
    awsName,
    hash,
    outputLength,
    strength,
    aws: AWS_PHASE1,
  };
}

/** HMAC PRFs (RFC 2104 with SHA-1; RFC 4868 section 2.1.2), in the order of their AWS integrity names. */
export const PRF_TRANSFORMS: readonly PrfTransform[] = [
  prf(2, 'PRF_HMAC_SHA1', 'SHA1', 'sha1', 20, 'weak'),
  prf(5, 'PRF_HMAC_SHA2_256', 'SHA2-256', 'sha256', 32, 'standard'),
  prf(6, 'PRF_HMAC_SHA2_384', 'SHA2-384', 'sha384', 48, 'strong'),
  prf(7, 'PRF_HMAC_SHA2_512', 'SHA2-512', 'sha512', 64, 'strong'),
];

/** ESP sequence numbers: 32-bit, or 64-bit with the high half implicit (RFC 4303 section 2.2.1). */
export const ESN_TRANSFORMS: readonly EsnTransform[] = [
  { transformType: TransformType.ESN, keyword: 'noesn', aliases: [], ianaId: 0, ianaName: '32-bit Sequential Numbers', extended: false, strength: 'standard', aws: AWS_NEITHER },
  {
    transformType: TransformType.ESN, keyword: 'esn', aliases: [], ianaId: 1, ianaName: 'Partially Transmitted 64-bit Sequential Numbers',
    extended: true, strength: 'standard', aws: AWS_NEITHER,
  },
];

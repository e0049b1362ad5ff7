/**
 * The ESP transforms this engine speaks, and their sizes, derived from the algorithm registry
 * (`lib/algorithms/`): read by every other module of the engine.
 *
 * Names follow strongSwan's proposal keywords, so a suite string can be copied from a swanctl.conf.
 */
import { ENCRYPTION_TRANSFORMS, EncryptionTransform, INTEGRITY_TRANSFORMS, IntegrityTransform } from '../algorithms';

export type EspSuite =
  | 'aes128-sha1'
  | 'aes256-sha1'
  | 'aes128-sha256'
  | 'aes256-sha256'
  | 'aes128-sha384'
  | 'aes256-sha384'
  | 'aes128-sha512'
  | 'aes256-sha512'
  | 'aes128gcm16'
  | 'aes256gcm16'
  | 'aes128gmac'
  | 'aes256gmac'
  | 'chacha20poly1305';

/** The suites in a stable order (AWS's CBC/HMAC combinations first); test/esp checks it covers the registry. */
const ESP_SUITE_ORDER: readonly EspSuite[] = [
  'aes128-sha1',
  'aes256-sha1',
  'aes128-sha256',
  'aes256-sha256',
  'aes128-sha384',
  'aes256-sha384',
  'aes128-sha512',
  'aes256-sha512',
  'aes128gcm16',
  'aes256gcm16',
  'aes128gmac',
  'aes256gmac',
  'chacha20poly1305',
];

/** How a suite protects the payload. */
export type SuiteKind =
  /** AES-CBC encryption plus a separate truncated HMAC (RFC 3602 + RFC 2404 / RFC 4868). */
  | 'cbc-hmac'
  /** AES-GCM AEAD (RFC 4106). */
  | 'gcm'
  /** AES-GMAC: integrity only, payload in clear (RFC 4543). */
  | 'gmac'
  /** ChaCha20-Poly1305 AEAD (RFC 7634). */
  | 'chacha20-poly1305';

export interface SuiteInfo {
  readonly suite: EspSuite;
  readonly kind: SuiteKind;
  /** `encryptionKey` length in bytes; for AEAD/GMAC/ChaCha this includes the 4-byte salt. */
  readonly encryptionKeyLength: number;
  /** `integrityKey` length in bytes; 0 when the suite has none (AEAD/GMAC/ChaCha). */
  readonly integrityKeyLength: number;
  /** Bytes of salt at the end of `encryptionKey` (4 for AEAD/GMAC/ChaCha, else 0). */
  readonly saltLength: number;
  /** Explicit IV carried in each packet. */
  readonly ivLength: number;
  /** Integrity check value appended to each packet. */
  readonly icvLength: number;
  /** Payload + padding + 2 trailer bytes are a multiple of this (at least 4, RFC 4303 section 2.4). */
  readonly blockSize: number;
  /** The node:crypto cipher name. */
  readonly cipher: string;
  /** The node:crypto hash name of the HMAC (cbc-hmac suites only). */
  readonly hash?: string;
}

/** The suite of one registry cipher, with one HMAC when the cipher does not authenticate itself. */
function suiteOf(cipher: EncryptionTransform, integrity?: IntegrityTransform): SuiteInfo {
  return {
    suite: (integrity ? `${cipher.keyword}-${integrity.keyword}` : cipher.keyword) as EspSuite,
    kind: cipher.mode === 'cbc' ? 'cbc-hmac' : cipher.mode,
    encryptionKeyLength: cipher.keyMaterialLength,
    integrityKeyLength: integrity?.keyLength ?? 0,
    saltLength: cipher.saltLength,
    ivLength: cipher.ivLength,
    icvLength: integrity?.icvLength ?? cipher.icvLength,
    blockSize: cipher.blockSize,
    cipher: cipher.cipher,
    ...(integrity ? { hash: integrity.hash } : {}),
  };
}

/** Every registry cipher: CBC with each HMAC (AWS's combinations), the authenticated ones alone. */
const SUITES: Readonly<Record<EspSuite, SuiteInfo>> = Object.fromEntries(
  [
    ...ENCRYPTION_TRANSFORMS.filter((c) => !c.aead).flatMap((c) => INTEGRITY_TRANSFORMS.map((i) => suiteOf(c, i))),
    ...ENCRYPTION_TRANSFORMS.filter((c) => c.aead).map((c) => suiteOf(c)),
  ]
    .sort((a, b) => ESP_SUITE_ORDER.indexOf(a.suite) - ESP_SUITE_ORDER.indexOf(b.suite))
    .map((info) => [info.suite, info]),
) as Record<EspSuite, SuiteInfo>;

/** Every suite, in a stable order (AWS's CBC/HMAC combinations first). */
export const ESP_SUITES: readonly EspSuite[] = ESP_SUITE_ORDER;

// A registry cipher without a suite name here (or the reverse) is a programming error: fail on load.
if (Object.keys(SUITES).length !== ESP_SUITE_ORDER.length || !ESP_SUITE_ORDER.every((s) => SUITES[s]?.suite === s)) {
  throw new Error(`ESP suite names (${ESP_SUITE_ORDER.join(', ')}) disagree with the registry (${Object.keys(SUITES).join(', ')})`);
}

export function isEspSuite(value: unknown): value is EspSuite {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SUITES, value);
}

/** Key lengths, IV length, ICV length and block size of a suite. Throws for an unknown suite name. */
export function suiteInfo(suite: EspSuite): SuiteInfo {
  if (!isEspSuite(suite)) throw new Error(`Unknown ESP suite ${JSON.stringify(suite)}; expected one of ${ESP_SUITES.join(', ')}`);
  return SUITES[suite];
}

/**
 * The suite for an ESP proposal's encryption and integrity keywords (strongSwan syntax, as the endpoint
 * config writes them): `aes128` + `sha1` is `aes128-sha1`; an AEAD cipher takes no integrity algorithm.
 * Undefined when the pair names no suite this engine runs.
 */
export function espSuiteFor(encryption: string, integrity?: string): EspSuite | undefined {
  if (isEspSuite(encryption)) return encryption; // AEAD and GMAC suites are named by their cipher alone
  const combined = `${encryption}-${integrity}`;
  return integrity !== undefined && isEspSuite(combined) ? combined : undefined;
}

export interface MtuOptions {
  /** ESP-in-UDP (adds an 8-byte UDP header). @default false */
  readonly natT?: boolean;
  /** @default 4 */
  readonly outerIpVersion?: 4 | 6;
  /** @default 1500 */
  readonly outerMtu?: number;
}

const ESP_HEADER_LENGTH = 8; // SPI + sequence number
const ESP_TRAILER_LENGTH = 2; // pad length + next header
const UDP_HEADER_LENGTH = 8;

/**
 * The largest inner (tunnel-mode) IP packet that fits one outer packet of `outerMtu` bytes.
 *
 * AES-GCM without NAT-T over IPv4 and a 1500-byte MTU gives 1446, AWS's published maximum.
 */
export function maxInnerMtu(suite: EspSuite, options: MtuOptions = {}): number {
  const info = suiteInfo(suite);
  const outerMtu = options.outerMtu ?? 1500;
  const ipHeader = (options.outerIpVersion ?? 4) === 6 ? 40 : 20;
  const fixed = ipHeader + (options.natT ? UDP_HEADER_LENGTH : 0) + ESP_HEADER_LENGTH + info.ivLength + info.icvLength;
  const room = outerMtu - fixed;
  const aligned = Math.floor(room / info.blockSize) * info.blockSize;
  return Math.max(0, aligned - ESP_TRAILER_LENGTH);
}

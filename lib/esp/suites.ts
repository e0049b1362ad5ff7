/**
 * The ESP transforms this engine speaks, and their sizes: one table, read by every other module.
 *
 * Names follow strongSwan's proposal keywords, so a suite string can be copied from a swanctl.conf.
 */

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

function cbc(suite: EspSuite, aesBits: 128 | 256, hash: string, integrityKeyLength: number, icvLength: number): SuiteInfo {
  return {
    suite,
    kind: 'cbc-hmac',
    encryptionKeyLength: aesBits / 8,
    integrityKeyLength,
    saltLength: 0,
    ivLength: 16,
    icvLength,
    blockSize: 16,
    cipher: `aes-${aesBits}-cbc`,
    hash,
  };
}

function aead(suite: EspSuite, kind: SuiteKind, keyLength: number, cipher: string): SuiteInfo {
  return {
    suite,
    kind,
    encryptionKeyLength: keyLength + 4,
    integrityKeyLength: 0,
    saltLength: 4,
    ivLength: 8,
    icvLength: 16,
    blockSize: 4,
    cipher,
  };
}

const SUITES: Readonly<Record<EspSuite, SuiteInfo>> = {
  'aes128-sha1': cbc('aes128-sha1', 128, 'sha1', 20, 12),
  'aes256-sha1': cbc('aes256-sha1', 256, 'sha1', 20, 12),
  'aes128-sha256': cbc('aes128-sha256', 128, 'sha256', 32, 16),
  'aes256-sha256': cbc('aes256-sha256', 256, 'sha256', 32, 16),
  'aes128-sha384': cbc('aes128-sha384', 128, 'sha384', 48, 24),
  'aes256-sha384': cbc('aes256-sha384', 256, 'sha384', 48, 24),
  'aes128-sha512': cbc('aes128-sha512', 128, 'sha512', 64, 32),
  'aes256-sha512': cbc('aes256-sha512', 256, 'sha512', 64, 32),
  aes128gcm16: aead('aes128gcm16', 'gcm', 16, 'aes-128-gcm'),
  aes256gcm16: aead('aes256gcm16', 'gcm', 32, 'aes-256-gcm'),
  aes128gmac: aead('aes128gmac', 'gmac', 16, 'aes-128-gcm'),
  aes256gmac: aead('aes256gmac', 'gmac', 32, 'aes-256-gcm'),
  chacha20poly1305: aead('chacha20poly1305', 'chacha20-poly1305', 32, 'chacha20-poly1305'),
};

/** Every suite, in a stable order (AWS's CBC/HMAC combinations first). */
export const ESP_SUITES: readonly EspSuite[] = Object.keys(SUITES) as EspSuite[];

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

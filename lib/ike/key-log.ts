/**
 * The opt-in key log: rows for Wireshark/tshark's IKEv2 decryption table (`ikev2_decryption_table` UAT:
 * SPIi, SPIr, SK_ei, SK_er, encryption, SK_ai, SK_ar, integrity) and its ESP SA table (`esp_sa` UAT).
 * Secrets leave the state machine only through a sink the caller passes in `IkeSaConfig.keyLog`.
 */
import type { IkeKeys } from './crypto/ike-keys';
import type { IkeSuite } from './crypto/suite';
import type { ChildSaInfo } from './events';
import type { SaConfig } from '../esp/types';

export type KeyLogTable = 'ikev2_decryption_table' | 'esp_sa';

/** Receives one UAT row per table entry, as Wireshark writes them to its profile files. */
export type KeyLogSink = (table: KeyLogTable, row: string) => void;

/** Wireshark's names (epan/dissectors/packet-isakmp.c, packet-ipsec.c), by strongSwan keyword. */
const IKE_ENCRYPTION: Readonly<Record<string, string>> = {
  aes128: 'AES-CBC-128 [RFC3602]',
  aes192: 'AES-CBC-192 [RFC3602]',
  aes256: 'AES-CBC-256 [RFC3602]',
  aes128gcm16: 'AES-GCM-128 with 16 octet ICV [RFC5282]',
  aes192gcm16: 'AES-GCM-192 with 16 octet ICV [RFC5282]',
  aes256gcm16: 'AES-GCM-256 with 16 octet ICV [RFC5282]',
};
const IKE_INTEGRITY: Readonly<Record<string, string>> = {
  sha1: 'HMAC_SHA1_96 [RFC2404]',
  sha256: 'HMAC_SHA2_256_128 [RFC4868]',
  sha384: 'HMAC_SHA2_384_192 [RFC4868]',
  sha512: 'HMAC_SHA2_512_256 [RFC4868]',
};
const ESP_ENCRYPTION: Readonly<Record<string, string>> = {
  cbc: 'AES-CBC [RFC3602]',
  gcm: 'AES-GCM with 16 octet ICV [RFC4106]',
};
const ESP_INTEGRITY: Readonly<Record<string, string>> = {
  sha1: 'HMAC-SHA-1-96 [RFC2404]',
  sha256: 'HMAC-SHA-256-128 [RFC4868]',
  sha384: 'HMAC-SHA-384-192 [RFC4868]',
  sha512: 'HMAC-SHA-512-256 [RFC4868]',
};

const hex = (b: Buffer) => b.toString('hex');
const quote = (s: string) => `"${s}"`;

/** One `ikev2_decryption_table` row, or undefined for a suite Wireshark cannot decrypt. */
export function ikeKeyLogRow(spiI: Buffer, spiR: Buffer, suite: IkeSuite, keys: IkeKeys): string | undefined {
  const encryption = IKE_ENCRYPTION[suite.encryption.keyword];
  const integrity = suite.integrity ? IKE_INTEGRITY[suite.integrity.keyword] : 'NONE [RFC4306]';
  if (!encryption || !integrity) return undefined;
  return [hex(spiI), hex(spiR), hex(keys.skEi), hex(keys.skEr), quote(encryption), hex(keys.skAi), hex(keys.skAr), quote(integrity)].join(',');
}

function espRow(sa: SaConfig): string | undefined {
  const [enc, integ] = sa.suite.includes('gcm') ? ['gcm', undefined] : ['cbc', sa.suite.split('-')[1]];
  const encryption = sa.suite.includes('gmac') || sa.suite.includes('chacha') ? undefined : ESP_ENCRYPTION[enc];
  const authentication = integ ? ESP_INTEGRITY[integ] : 'NULL';
  if (!encryption || !authentication || !sa.outer) return undefined;
  const family = sa.outer.src.includes(':') ? 'IPv6' : 'IPv4';
  const spi = `0x${sa.spi.toString(16).padStart(8, '0')}`;
  const key = (k?: Buffer) => (k && k.length ? `0x${hex(k)}` : '');
  return [family, sa.outer.src, sa.outer.dst, spi, encryption, key(sa.encryptionKey), authentication, key(sa.integrityKey)].map(quote).join(',');
}

/** The two `esp_sa` rows of a CHILD_SA (inbound and outbound); empty for suites Wireshark lacks. */
export function espKeyLogRows(child: ChildSaInfo): string[] {
  return [espRow(child.inbound), espRow(child.outbound)].filter((r): r is string => r !== undefined);
}

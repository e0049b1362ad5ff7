/**
 * AWS algorithm names ↔ strongSwan proposal keywords.
 *
 * The endpoint config speaks strongSwan's keywords (`aes128gcm16`, `sha256`, DH groups as numbers); AWS's
 * API speaks `AES128-GCM-16`, `SHA2-256`. Every translation between the two goes through this table.
 */
import {
  ENCRYPTION_ALGORITHMS,
  EncryptionAlgorithm,
  INTEGRITY_ALGORITHMS,
  IntegrityAlgorithm,
} from './aws-rules';

export type EncryptionKeyword = 'aes128' | 'aes256' | 'aes128gcm16' | 'aes256gcm16';
export type IntegrityKeyword = 'sha1' | 'sha256' | 'sha384' | 'sha512';

const ENCRYPTION_KEYWORDS: Record<EncryptionAlgorithm, EncryptionKeyword> = {
  'AES128': 'aes128',
  'AES256': 'aes256',
  'AES128-GCM-16': 'aes128gcm16',
  'AES256-GCM-16': 'aes256gcm16',
};

const INTEGRITY_KEYWORDS: Record<IntegrityAlgorithm, IntegrityKeyword> = {
  'SHA1': 'sha1',
  'SHA2-256': 'sha256',
  'SHA2-384': 'sha384',
  'SHA2-512': 'sha512',
};

/** strongSwan's keyword for each DH group AWS offers (RFC 3526, RFC 5114, RFC 5903 groups). */
export const DH_GROUP_KEYWORDS: Readonly<Record<number, string>> = {
  2: 'modp1024',
  5: 'modp1536',
  14: 'modp2048',
  15: 'modp3072',
  16: 'modp4096',
  17: 'modp6144',
  18: 'modp8192',
  19: 'ecp256',
  20: 'ecp384',
  21: 'ecp521',
  22: 'modp1024s160',
  23: 'modp2048s224',
  24: 'modp2048s256',
};

export function encryptionKeyword(aws: string): EncryptionKeyword | undefined {
  return (ENCRYPTION_KEYWORDS as Record<string, EncryptionKeyword | undefined>)[aws];
}

export function integrityKeyword(aws: string): IntegrityKeyword | undefined {
  return (INTEGRITY_KEYWORDS as Record<string, IntegrityKeyword | undefined>)[aws];
}

export function awsEncryptionName(keyword: string): EncryptionAlgorithm | undefined {
  return ENCRYPTION_ALGORITHMS.find((a) => ENCRYPTION_KEYWORDS[a] === keyword);
}

export function awsIntegrityName(keyword: string): IntegrityAlgorithm | undefined {
  return INTEGRITY_ALGORITHMS.find((a) => INTEGRITY_KEYWORDS[a] === keyword);
}

/** AEAD ciphers carry their own integrity check: a proposal with one takes no integrity algorithm. */
export function isAead(keyword: string): boolean {
  return keyword.includes('gcm') || keyword.includes('chacha20poly1305');
}

export function dhGroupKeyword(group: number): string | undefined {
  return DH_GROUP_KEYWORDS[group];
}

/**
 * Wireshark's ESP dissector as a judge: decrypt a pcap with a table of SAs (the `esp_sa` UAT) and return the
 * dissected fields per frame. One tshark call per pcap, however many SAs.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { EspSuite } from '../../../lib/esp';
import { runChecked } from './exec';
import { redactKeys } from './redact';

/**
 * tshark 4.0's names for each suite. 4.0's ESP dissector has no AES-GMAC (ENCR_NULL_AUTH_AES_GMAC) and no
 * ChaCha20-Poly1305 (its UAT rejects the names): those suites have no entry here.
 */
export const TSHARK_ALGORITHMS: Partial<Record<EspSuite, { encryption: string; authentication: string }>> = {
  'aes128-sha1': { encryption: 'AES-CBC [RFC3602]', authentication: 'HMAC-SHA-1-96 [RFC2404]' },
  'aes256-sha1': { encryption: 'AES-CBC [RFC3602]', authentication: 'HMAC-SHA-1-96 [RFC2404]' },
  'aes128-sha256': { encryption: 'AES-CBC [RFC3602]', authentication: 'HMAC-SHA-256-128 [RFC4868]' },
  'aes256-sha256': { encryption: 'AES-CBC [RFC3602]', authentication: 'HMAC-SHA-256-128 [RFC4868]' },
  'aes128-sha384': { encryption: 'AES-CBC [RFC3602]', authentication: 'HMAC-SHA-384-192 [RFC4868]' },
  'aes256-sha384': { encryption: 'AES-CBC [RFC3602]', authentication: 'HMAC-SHA-384-192 [RFC4868]' },
  'aes128-sha512': { encryption: 'AES-CBC [RFC3602]', authentication: 'HMAC-SHA-512-256 [RFC4868]' },
  'aes256-sha512': { encryption: 'AES-CBC [RFC3602]', authentication: 'HMAC-SHA-512-256 [RFC4868]' },
  aes128gcm16: { encryption: 'AES-GCM with 16 octet ICV [RFC4106]', authentication: 'NULL' },
  aes256gcm16: { encryption: 'AES-GCM with 16 octet ICV [RFC4106]', authentication: 'NULL' },
};

export interface TsharkSa {
  src: string;
  dst: string;
  spi: number;
  /** Wireshark's name of the encryption algorithm, e.g. `AES-CBC [RFC3602]`. */
  encryption: string;
  encryptionKey: Buffer;
  /** Wireshark's name of the authentication algorithm, e.g. `HMAC-SHA-1-96 [RFC2404]` or `NULL`. */
  authentication: string;
  authenticationKey?: Buffer;
}

const quote = (s: string): string => `"${s}"`;
const hexKey = (k: Buffer | undefined): string => (k && k.length > 0 ? `0x${k.toString('hex')}` : '');

/** One line of Wireshark's `esp_sa` UAT file. */
export function uatLine(sa: TsharkSa): string {
  const family = sa.src.includes(':') ? 'IPv6' : 'IPv4';
  const spi = `0x${sa.spi.toString(16).padStart(8, '0')}`;
  return [family, sa.src, sa.dst, spi, sa.encryption, hexKey(sa.encryptionKey), sa.authentication, hexKey(sa.authenticationKey)]
    .map(quote)
    .join(',');
}

export type TsharkRow = Record<string, string>;

/**
 * Decode `pcapPath` with the given SAs and return one row per frame with the requested fields (multiple
 * occurrences of a field, e.g. outer and inner `ip.src`, are comma-separated, outer first).
 * The SAs go into a private Wireshark config dir next to the pcap (keys never go on a command line).
 */
export async function tsharkFields(
  pcapPath: string,
  sas: readonly TsharkSa[],
  fields: readonly string[],
  opts: { extraArgs?: readonly string[]; timeoutMs?: number } = {},
): Promise<TsharkRow[]> {
  // One config dir per pcap, next to it: a kept failure can be re-run by hand with the same SA table.
  const configDir = `${pcapPath}.wireshark`;
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, 'esp_sa'), sas.map(uatLine).join('\n') + '\n');
  const args = [
    '-n', '-r', pcapPath,
    '-o', 'esp.enable_encryption_decode:TRUE',
    '-o', 'esp.enable_authentication_check:TRUE',
    ...(opts.extraArgs ?? []),
    '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,',
    ...fields.flatMap((f) => ['-e', f]),
  ];
  const env = { ...process.env, WIRESHARK_CONFIG_DIR: configDir };
  const result = await runChecked('tshark', args, { env, timeoutMs: opts.timeoutMs ?? 30_000 });
  // tshark reports a bad UAT line on stderr and carries on without that SA: treat it as a harness error.
  const uatError = /Error loading table[^\n]*/.exec(result.stderr);
  if (uatError) throw new Error(`tshark rejected the SA table: ${redactKeys(uatError[0])}`);
  return result.stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const values = line.split('\t');
      return Object.fromEntries(fields.map((f, i) => [f, values[i] ?? '']));
    });
}

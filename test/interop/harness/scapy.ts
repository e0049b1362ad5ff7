/**
 * scapy (python3-scapy 2.5) as a second, independent ESP implementation: one python process runs a whole
 * list of encrypt/decrypt jobs (test/interop/scapy/esp_jobs.py) and answers in JSON.
 */
import type { AhSuite, EspSuite } from '../../../lib/esp';
import { PythonResult, runPythonJobs } from './python';

/**
 * scapy's names for each suite. scapy 2.5 has no AES-GMAC (ENCR_NULL_AUTH_AES_GMAC): those suites have
 * no entry. ChaCha20-Poly1305 it does have.
 */
export const SCAPY_ALGORITHMS: Partial<Record<EspSuite, { crypt: string; auth: string | null }>> = {
  'aes128-sha1': { crypt: 'AES-CBC', auth: 'HMAC-SHA1-96' },
  'aes256-sha1': { crypt: 'AES-CBC', auth: 'HMAC-SHA1-96' },
  'aes128-sha256': { crypt: 'AES-CBC', auth: 'SHA2-256-128' },
  'aes256-sha256': { crypt: 'AES-CBC', auth: 'SHA2-256-128' },
  'aes128-sha384': { crypt: 'AES-CBC', auth: 'SHA2-384-192' },
  'aes256-sha384': { crypt: 'AES-CBC', auth: 'SHA2-384-192' },
  'aes128-sha512': { crypt: 'AES-CBC', auth: 'SHA2-512-256' },
  'aes256-sha512': { crypt: 'AES-CBC', auth: 'SHA2-512-256' },
  aes128gcm16: { crypt: 'AES-GCM', auth: null },
  aes256gcm16: { crypt: 'AES-GCM', auth: null },
  chacha20poly1305: { crypt: 'CHACHA20-POLY1305', auth: null },
};

export interface ScapySa {
  spi: number;
  crypt_algo: string;
  crypt_key: string;
  auth_algo: string | null;
  auth_key: string | null;
  tunnel: { src: string; dst: string } | null;
  nat_t: { sport: number; dport: number } | null;
  esn: boolean;
}

/** AH in scapy: the SA carries only the integrity algorithm and key. */
export interface ScapyAhSa {
  proto: 'AH';
  spi: number;
  auth_algo: string;
  auth_key: string;
  tunnel: { src: string; dst: string } | null;
  esn: boolean;
}

export const SCAPY_AH_ALGORITHMS: Record<AhSuite, string> = {
  sha1: 'HMAC-SHA1-96',
  sha256: 'SHA2-256-128',
  sha384: 'SHA2-384-192',
  sha512: 'SHA2-512-256',
};

export type ScapyJob =
  | { id: string; op: 'encrypt'; sa: ScapySa | ScapyAhSa; packet: string; seq: string }
  | { id: string; op: 'decrypt'; sa: ScapySa | ScapyAhSa; packet: string; esn_high?: number };

export type ScapyResult = PythonResult;

/** Run all jobs in one python process; results come back keyed by job id. */
export function runScapyJobs(jobs: readonly ScapyJob[]): Promise<Map<string, ScapyResult>> {
  return runPythonJobs('esp_jobs.py', jobs);
}

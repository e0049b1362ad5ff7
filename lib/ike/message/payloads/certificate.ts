/**
 * The CERT and CERTREQ payloads (RFC 7296 sections 3.6 and 3.7): an encoding byte, then the certificate
 * (CERT) or concatenated 20-byte SHA-1 hashes of trusted CA public keys (CERTREQ).
 */
import { Reader } from '../reader';

export interface CertPayload {
  readonly encoding: number;
  readonly data: Buffer;
}

export function decodeCert(bytes: Buffer, name: 'CERT' | 'CERTREQ'): CertPayload {
  const r = new Reader(bytes, name);
  const encoding = r.u8('encoding');
  return { encoding, data: Buffer.from(r.rest()) };
}

export function encodeCert(cert: CertPayload): Buffer {
  return Buffer.concat([Buffer.from([cert.encoding]), cert.data]);
}

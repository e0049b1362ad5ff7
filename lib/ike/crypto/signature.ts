/**
 * Digital signature authentication (RFC 7427): AUTH method 14, whose data is the length of an ASN.1
 * AlgorithmIdentifier, the AlgorithmIdentifier itself and the signature over the signed octets (for ECDSA
 * the DER Ecdsa-Sig-Value). Certificates are X.509 via node:crypto.
 */
import { createHash, KeyObject, sign, verify, X509Certificate } from 'node:crypto';

/** DER AlgorithmIdentifiers of RFC 7427 Appendix A, by the node:crypto hash they use. */
const ALGORITHMS: readonly { readonly key: 'ec' | 'rsa'; readonly hash: string; readonly der: Buffer }[] = [
  { key: 'ec', hash: 'sha256', der: Buffer.from('300a06082a8648ce3d040302', 'hex') },
  { key: 'ec', hash: 'sha384', der: Buffer.from('300a06082a8648ce3d040303', 'hex') },
  { key: 'ec', hash: 'sha512', der: Buffer.from('300a06082a8648ce3d040304', 'hex') },
  { key: 'rsa', hash: 'sha256', der: Buffer.from('300d06092a864886f70d01010b0500', 'hex') },
  { key: 'rsa', hash: 'sha384', der: Buffer.from('300d06092a864886f70d01010c0500', 'hex') },
  { key: 'rsa', hash: 'sha512', der: Buffer.from('300d06092a864886f70d01010d0500', 'hex') },
];

/** RFC 7427 section 4: the hashes we announce in SIGNATURE_HASH_ALGORITHMS (SHA2-256, -384, -512). */
export const SIGNATURE_HASHES = Buffer.from('000200030004', 'hex');

/** The hash that matches a key's strength: SHA-384 for P-384, SHA-512 for P-521, else SHA-256. */
function hashFor(key: KeyObject): string {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve === 'secp384r1' ? 'sha384' : curve === 'secp521r1' ? 'sha512' : 'sha256';
}

export function signAuth(privateKey: KeyObject, octets: Buffer): Buffer {
  const type = privateKey.asymmetricKeyType === 'ec' ? 'ec' : 'rsa';
  const hash = hashFor(privateKey);
  const alg = ALGORITHMS.find((a) => a.key === type && a.hash === hash)!;
  return Buffer.concat([Buffer.from([alg.der.length]), alg.der, sign(hash, octets, privateKey)]);
}

export function verifyAuth(publicKey: KeyObject, octets: Buffer, data: Buffer): boolean {
  if (data.length < 1 || data.length < 1 + data[0]) return false;
  const der = data.subarray(1, 1 + data[0]);
  const alg = ALGORITHMS.find((a) => a.der.equals(der));
  const type = publicKey.asymmetricKeyType === 'ec' ? 'ec' : 'rsa';
  if (!alg || alg.key !== type) return false;
  try {
    return verify(alg.hash, octets, publicKey, data.subarray(1 + data[0]));
  } catch {
    return false;
  }
}

/** CERTREQ data for a trust anchor: the SHA-1 of its SubjectPublicKeyInfo (RFC 7296 section 3.7). */
export function certificateRequestHash(anchor: X509Certificate): Buffer {
  return createHash('sha1').update(anchor.publicKey.export({ type: 'spki', format: 'der' })).digest();
}

export type PeerCertificate = { readonly ok: true; readonly publicKey: KeyObject } | { readonly ok: false; readonly detail: string };

/**
 * The peer's end-entity certificate, checked: issued and signed by one of `anchors`, valid at `now`, and
 * naming `expectedId` (an IP address or host name in its subjectAltName) when one is configured.
 */
export function checkPeerCertificate(der: Buffer, anchors: readonly X509Certificate[], now: Date, expectedId?: string): PeerCertificate {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return { ok: false, detail: 'the CERT payload is not an X.509 certificate' };
  }
  if (!anchors.some((a) => cert.checkIssued(a) && cert.verify(a.publicKey))) return { ok: false, detail: `${cert.subject.replace(/\n/g, ', ')} is not issued by a trusted CA` };
  if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) return { ok: false, detail: `the certificate is not valid now (${cert.validFrom} to ${cert.validTo})` };
  if (expectedId !== undefined) {
    const ip = /^[0-9.]+$|:/.test(expectedId);
    const named = ip ? cert.checkIP(expectedId) : cert.checkHost(expectedId.replace(/^@/, ''));
    if (!named) return { ok: false, detail: `the certificate does not name ${expectedId}` };
  }
  return { ok: true, publicKey: cert.publicKey };
}

/**
 * Our side of IKE_AUTH: pre-shared key (RFC 7296 section 2.15) or X.509 certificate with a digital
 * signature (RFC 7427), what we send and how we check what the peer sent. The signed octets (section 2.15)
 * are the same for both methods.
 */
import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { pskAuth, pskAuthMatches } from './crypto/authentication';
import type { PrfAlgorithm } from './crypto/prf';
import { certificateRequestHash, checkPeerCertificate, SIGNATURE_HASHES, signAuth, verifyAuth } from './crypto/signature';
import { AUTH_METHOD, CERT_ENCODING, NOTIFY, PAYLOAD } from './message/constants';
import { findPayload, findPayloads } from './message/message';
import type { Payload } from './message/payload';

/** Certificate authentication: PEM texts. */
export interface CertificateCredentials {
  /** Our end-entity certificate (PEM). Its subjectAltName should name our `localId`. */
  readonly certificate: string;
  /** Its private key (PEM, PKCS#8 or SEC 1 / PKCS#1). */
  readonly privateKey: string;
  /** The CAs whose certificates we accept from the peer (PEM each). */
  readonly trustAnchors: readonly string[];
}

export class Authenticator {
  private readonly cert?: { readonly der: Buffer; readonly key: KeyObject; readonly anchors: X509Certificate[] };

  constructor(
    private readonly psk: Buffer | undefined,
    credentials: CertificateCredentials | undefined,
  ) {
    if (credentials) {
      const parse = (pem: string, field: string) => {
        try {
          return new X509Certificate(pem);
        } catch {
          throw new Error(`\`${field}\` is not a PEM X.509 certificate`);
        }
      };
      const own = parse(credentials.certificate, 'certificate.certificate');
      let key: KeyObject;
      try {
        key = createPrivateKey(credentials.privateKey);
      } catch {
        throw new Error('`certificate.privateKey` is not a PEM private key');
      }
      if (credentials.trustAnchors.length === 0) throw new Error('`certificate.trustAnchors` must hold at least one CA certificate');
      this.cert = { der: own.raw, key, anchors: credentials.trustAnchors.map((a, i) => parse(a, `certificate.trustAnchors[${i}]`)) };
    }
    if (!this.psk && !this.cert) throw new Error('An IKE SA needs a `psk` or `certificate` credentials');
  }

  /** IKE_SA_INIT: announce RFC 7427 signatures when we authenticate with a certificate. */
  initNotifies(): Payload[] {
    return this.cert ? [{ type: PAYLOAD.N, protocol: 0, spi: Buffer.alloc(0), notifyType: NOTIFY.SIGNATURE_HASH_ALGORITHMS, data: SIGNATURE_HASHES }] : [];
  }

  /** CERT before AUTH and the CERTREQs naming our trust anchors, in RFC 7296 order around IDr. */
  credentialPayloads(): { cert: Payload[]; certReq: Payload[] } {
    if (!this.cert) return { cert: [], certReq: [] };
    return {
      cert: [{ type: PAYLOAD.CERT, encoding: CERT_ENCODING.X509_SIGNATURE, data: this.cert.der }],
      certReq: [{ type: PAYLOAD.CERTREQ, encoding: CERT_ENCODING.X509_SIGNATURE, data: Buffer.concat(this.cert.anchors.map(certificateRequestHash)) }],
    };
  }

  authPayload(prf: PrfAlgorithm, octets: Buffer): Payload {
    if (this.cert) return { type: PAYLOAD.AUTH, method: AUTH_METHOD.DIGITAL_SIGNATURE, data: signAuth(this.cert.key, octets) };
    return { type: PAYLOAD.AUTH, method: AUTH_METHOD.SHARED_KEY_MIC, data: pskAuth(prf, this.psk!, octets) };
  }

  /** Undefined when the peer's AUTH (and certificate) check out, else why not. */
  verify(prf: PrfAlgorithm, payloads: readonly Payload[], octets: Buffer, expectedId: string | undefined, now: Date): string | undefined {
    const auth = findPayload(payloads, PAYLOAD.AUTH);
    if (!auth) return 'no AUTH payload';
    if (auth.method === AUTH_METHOD.SHARED_KEY_MIC) {
      if (!this.psk) return 'the peer authenticates with a pre-shared key; we expect a certificate';
      return pskAuthMatches(prf, this.psk, octets, auth.data) ? undefined : 'the AUTH payload does not match our pre-shared key';
    }
    if (auth.method === AUTH_METHOD.DIGITAL_SIGNATURE) {
      if (!this.cert) return 'the peer authenticates with a signature; we have no trust anchors';
      const cert = findPayloads(payloads, PAYLOAD.CERT).find((c) => c.encoding === CERT_ENCODING.X509_SIGNATURE);
      if (!cert) return 'a signature without a CERT payload';
      const checked = checkPeerCertificate(cert.data, this.cert.anchors, now, expectedId);
      if (!checked.ok) return checked.detail;
      return verifyAuth(checked.publicKey, octets, auth.data) ? undefined : 'the signature does not verify';
    }
    return `AUTH method ${auth.method} is not supported`;
  }
}

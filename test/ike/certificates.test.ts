/**
 * Certificate authentication (RFC 7427 digital signatures, X.509 via node:crypto) back to back, with a
 * test-only PKI (test/fixtures/ike/certs/make-certs.sh): ECDSA P-256 leaves for 192.0.2.1 and 192.0.2.2.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { AUTH_METHOD, parseMessage, PAYLOAD } from '../../lib/ike/message';
import { FIXTURES } from './helpers';
import { Wire } from './wire';

const pem = (name: string) => readFileSync(join(FIXTURES, 'certs', name), 'utf8');
const credentials = (ip: string, ca = 'ca.pem') => ({ certificate: pem(`${ip}.pem`), privateKey: pem(`${ip}.key`), trustAnchors: [pem(ca)] });
const wallClock = () => new Date('2027-06-01T00:00:00Z');

function certWire(o: { iCa?: string; rCa?: string; iCert?: string } = {}): Wire {
  return new Wire({
    initiator: { psk: undefined, certificate: credentials(o.iCert ?? '192.0.2.1', o.iCa), wallClock },
    responder: { psk: undefined, certificate: credentials('192.0.2.2', o.rCa), wallClock },
  });
}

describe('certificate authentication (RFC 7427)', () => {
  test('both sides sign and verify; CERT, CERTREQ and AUTH method 14 on the wire', () => {
    const w = certWire();
    const sent: Buffer[] = [];
    w.policy = ({ bytes }) => (sent.push(bytes), 'deliver');
    w.handshake();
    expect(w.i.state).toBe('established');
    expect(w.r.state).toBe('established');
    expect(w.eventsOf('i', 'child-up')).toHaveLength(1);
    const init = parseMessage(sent[0]);
    if (!init.ok) throw init.error;
    expect(init.value.payloads.some((p) => p.type === PAYLOAD.N && p.notifyType === 16431)).toBe(true);
    // The IKE_AUTH request, opened with the initiator's keys, carries CERT, CERTREQ and a signature.
    const km = w.i.keyMaterial!;
    const { openMessage } = jest.requireActual('../../lib/ike/crypto/encrypted-payload');
    const opened = openMessage({ encryption: km.suite.encryption, integrity: km.suite.integrity, encryptionKey: km.keys.skEi, integrityKey: km.keys.skAi }, sent[2], 28, sent[2][28]);
    expect(opened.ok).toBe(true);
    const types = opened.payloads.map((p: { type: number }) => p.type);
    expect(types).toEqual(expect.arrayContaining([PAYLOAD.IDi, PAYLOAD.CERT, PAYLOAD.CERTREQ, PAYLOAD.AUTH]));
    expect(opened.payloads.find((p: { type: number }) => p.type === PAYLOAD.AUTH).method).toBe(AUTH_METHOD.DIGITAL_SIGNATURE);
  });

  test('a certificate from a CA the responder does not trust: AUTHENTICATION_FAILED on both sides', () => {
    const w = certWire({ rCa: 'other-ca.pem' });
    w.handshake();
    expect(w.eventsOf('r', 'failed')).toEqual([expect.objectContaining({ notify: 'AUTHENTICATION_FAILED', detail: expect.stringMatching(/not issued by a trusted CA/) })]);
    expect(w.eventsOf('i', 'failed')).toEqual([expect.objectContaining({ notify: 'AUTHENTICATION_FAILED' })]);
  });

  test("a valid certificate that names another address than the peer's identity is refused", () => {
    const w = certWire({ iCert: '192.0.2.2' });
    w.handshake();
    expect(w.eventsOf('r', 'failed')).toEqual([expect.objectContaining({ notify: 'AUTHENTICATION_FAILED', detail: expect.stringMatching(/does not name 192\.0\.2\.1/) })]);
  });

  test('outside its validity period the certificate is refused', () => {
    const w = new Wire({
      initiator: { psk: undefined, certificate: credentials('192.0.2.1'), wallClock },
      responder: { psk: undefined, certificate: credentials('192.0.2.2'), wallClock: () => new Date('2070-01-01T00:00:00Z') },
    });
    w.handshake();
    expect(w.eventsOf('r', 'failed')).toEqual([expect.objectContaining({ detail: expect.stringMatching(/not valid now/) })]);
  });

  test('a certificate side and a PSK-only side do not authenticate each other', () => {
    const w = new Wire({ initiator: { psk: undefined, certificate: credentials('192.0.2.1'), wallClock } });
    w.handshake();
    expect(w.eventsOf('r', 'failed')).toEqual([expect.objectContaining({ notify: 'AUTHENTICATION_FAILED', detail: expect.stringMatching(/we have no trust anchors/) })]);
  });

  test('bad credentials are refused at construction, naming the field', () => {
    expect(() => new Wire({ initiator: { psk: undefined, certificate: { ...credentials('192.0.2.1'), privateKey: 'nope' } } })).toThrow(/`certificate.privateKey`/);
    expect(() => new Wire({ initiator: { psk: undefined } })).toThrow(/`psk` or `certificate`/);
  });
});

/**
 * Key derivation and SK payloads against known answers: the NIST CAVS SP 800-135 IKEv2 sample, and two
 * real charon 5.9.8 handshakes (AES-CBC/HMAC-SHA1/MODP-2048 and AES-256-GCM/PRF-SHA384/ECP-384) whose
 * shared secret, keys and IKE_AUTH messages charon logged and sent.
 */
import { encryptionByKeyword, integrityByKeyword, prfByKeyword } from '../../lib/algorithms/lookup';
import { pskAuthMatches, signedOctets } from '../../lib/ike/crypto/authentication';
import { deriveChildKeys } from '../../lib/ike/crypto/child-keys';
import { openMessage, protectMessage, SkKeys } from '../../lib/ike/crypto/encrypted-payload';
import { deriveIkeKeys, initialSkeyseed, rekeySkeyseed } from '../../lib/ike/crypto/ike-keys';
import { prf, prfPlus } from '../../lib/ike/crypto/prf';
import type { IkeSuite } from '../../lib/ike/crypto/suite';
import { encodeId, findNotify, findPayload, NOTIFY, parseMessage, PAYLOAD, Payload } from '../../lib/ike/message';
import { charonCapture, fixtureJson, hex } from './helpers';

interface CavsVector {
  hash: string;
  gir: string;
  girNew: string;
  ni: string;
  nr: string;
  spiI: string;
  spiR: string;
  dkmLength: number;
  skeyseed: string;
  dkm: string;
  dkmChildSa: string;
  dkmChildSaDh: string;
  skeyseedRekey: string;
}

const must = <T>(v: T | undefined, what: string): T => {
  if (v === undefined) throw new Error(`registry lacks ${what}`);
  return v;
};

describe('NIST CAVS SP 800-135 IKEv2 KDF', () => {
  const { vectors } = fixtureJson<{ vectors: CavsVector[] }>('kdf-cavs.json');
  test.each(vectors.map((v, i) => [i, v] as const))('vector %d', (_i, v) => {
    const alg = { hash: v.hash, outputLength: 20 };
    const [ni, nr] = [hex(v.ni), hex(v.nr)];
    const skeyseed = initialSkeyseed(alg, ni, nr, hex(v.gir));
    expect(skeyseed.toString('hex')).toBe(v.skeyseed);
    const dkm = prfPlus(alg, skeyseed, Buffer.concat([ni, nr, hex(v.spiI), hex(v.spiR)]), v.dkmLength);
    expect(dkm.toString('hex')).toBe(v.dkm);
    const skD = dkm.subarray(0, 20);
    expect(prfPlus(alg, skD, Buffer.concat([ni, nr]), v.dkmLength).toString('hex')).toBe(v.dkmChildSa);
    expect(prfPlus(alg, skD, Buffer.concat([hex(v.girNew), ni, nr]), v.dkmLength).toString('hex')).toBe(v.dkmChildSaDh);
    expect(rekeySkeyseed(alg, skD, hex(v.girNew), ni, nr).toString('hex')).toBe(v.skeyseedRekey);
  });

  test('prf+ refuses more than 255 blocks', () => {
    expect(() => prfPlus({ hash: 'sha1', outputLength: 20 }, Buffer.alloc(20), Buffer.alloc(0), 20 * 256)).toThrow(/255 blocks/);
    expect(prf({ hash: 'sha256', outputLength: 32 }, Buffer.from('k'), Buffer.from('d')).length).toBe(32);
  });
});

function suiteOf(enc: string, integ: string | undefined, prfName: string): IkeSuite {
  return {
    encryption: must(encryptionByKeyword(enc), enc),
    integrity: integ ? must(integrityByKeyword(integ), integ) : undefined,
    prf: must(prfByKeyword(prfName), prfName),
  };
}

describe.each([
  ['aes128-sha1-modp2048', suiteOf('aes128', 'sha1', 'prfsha1'), { enc: 'aes128', integ: 'sha1' }],
  ['aes256gcm16-prfsha384-ecp384', suiteOf('aes256gcm16', undefined, 'prfsha384'), { enc: 'aes256gcm16', integ: undefined }],
])('charon 5.9.8 handshake %s', (name, suite, esp) => {
  const cap = charonCapture(name);
  const s = cap.secrets;
  const messages = cap.messages.map((m) => hex(m.hex));
  const payloadsOf = (i: number): readonly Payload[] => {
    const m = parseMessage(messages[i]);
    if (!m.ok) throw m.error;
    return m.value.payloads;
  };
  const ni = findPayload(payloadsOf(0), PAYLOAD.NONCE)!.data;
  const nr = findPayload(payloadsOf(1), PAYLOAD.NONCE)!.data;
  const [spiI, spiR] = [hex(cap.ikeSpiI), hex(cap.ikeSpiR)];
  const skeyseed = initialSkeyseed(suite.prf, ni, nr, hex(s['shared Diffie Hellman secret']));
  const keys = deriveIkeKeys(suite, skeyseed, ni, nr, spiI, spiR);
  const i2r: SkKeys = { encryption: suite.encryption, integrity: suite.integrity, encryptionKey: keys.skEi, integrityKey: keys.skAi };
  const r2i: SkKeys = { encryption: suite.encryption, integrity: suite.integrity, encryptionKey: keys.skEr, integrityKey: keys.skAr };

  test('SKEYSEED and the seven keys equal what charon logged', () => {
    expect(skeyseed.toString('hex')).toBe(s.SKEYSEED);
    expect(keys.skD.toString('hex')).toBe(s['Sk_d secret']);
    expect(keys.skEi.toString('hex')).toBe(s['Sk_ei secret']);
    expect(keys.skEr.toString('hex')).toBe(s['Sk_er secret']);
    expect(keys.skPi.toString('hex')).toBe(s['Sk_pi secret']);
    expect(keys.skPr.toString('hex')).toBe(s['Sk_pr secret']);
    expect(keys.skAi.toString('hex')).toBe(s['Sk_ai secret'] ?? '');
    expect(keys.skAr.toString('hex')).toBe(s['Sk_ar secret'] ?? '');
  });

  test("charon's IKE_AUTH messages open; both AUTH payloads verify with the PSK; a flipped bit is refused", () => {
    const request = openMessage(i2r, messages[2], 28, messages[2][28]);
    const response = openMessage(r2i, messages[3], 28, messages[3][28]);
    if (!request.ok || !response.ok) throw new Error('IKE_AUTH did not open');
    const psk = Buffer.from(cap.psk);
    const idi = findPayload(request.payloads, PAYLOAD.IDi)!;
    const idr = findPayload(response.payloads, PAYLOAD.IDr)!;
    const authI = findPayload(request.payloads, PAYLOAD.AUTH)!;
    const authR = findPayload(response.payloads, PAYLOAD.AUTH)!;
    expect(pskAuthMatches(suite.prf, psk, signedOctets(suite.prf, messages[0], nr, keys.skPi, encodeId(idi)), authI.data)).toBe(true);
    expect(pskAuthMatches(suite.prf, psk, signedOctets(suite.prf, messages[1], ni, keys.skPr, encodeId(idr)), authR.data)).toBe(true);
    expect(pskAuthMatches(suite.prf, Buffer.from('wrong-key-0123456789'), signedOctets(suite.prf, messages[0], nr, keys.skPi, encodeId(idi)), authI.data)).toBe(false);
    const tampered = Buffer.from(messages[2]);
    tampered[tampered.length - 20] ^= 1;
    expect(openMessage(i2r, tampered, 28, tampered[28])).toMatchObject({ ok: false, reason: 'integrity' });
    expect(findNotify(request.payloads, NOTIFY.INITIAL_CONTACT)).toBeDefined();

    // The CHILD_SA keys (RFC 7296 section 2.17 order) equal charon's ESP keys.
    const childSuite = { encryption: must(encryptionByKeyword(esp.enc), esp.enc), integrity: esp.integ ? integrityByKeyword(esp.integ) : undefined };
    const child = deriveChildKeys(suite.prf, keys.skD, childSuite, ni, nr);
    expect(child.initiatorToResponder.encryptionKey.toString('hex')).toBe(s['encryption initiator key']);
    expect(child.responderToInitiator.encryptionKey.toString('hex')).toBe(s['encryption responder key']);
    expect(child.initiatorToResponder.integrityKey.toString('hex')).toBe(s['integrity initiator key'] ?? '');
    expect(child.responderToInitiator.integrityKey.toString('hex')).toBe(s['integrity responder key'] ?? '');
  });

  test('what we protect, we and charon-equivalent keys open; the header length covers the ICV', () => {
    const inner: Payload[] = [{ type: PAYLOAD.N, protocol: 0, spi: Buffer.alloc(0), notifyType: NOTIFY.INITIAL_CONTACT, data: Buffer.alloc(0) }];
    const bytes = protectMessage(i2r, { spiI, spiR, exchange: 37, initiator: true, response: false, messageId: 7 }, inner, Buffer.alloc(suite.encryption.ivLength, 3));
    expect(bytes.readUInt32BE(24)).toBe(bytes.length);
    expect(openMessage(i2r, bytes, 28, bytes[28])).toEqual({ ok: true, payloads: inner });
    expect(openMessage(r2i, bytes, 28, bytes[28]).ok).toBe(false);
  });
});

import fc from 'fast-check';
import {
  decodePayload,
  decodePayloadChain,
  encodeMessage,
  encodePayloadBody,
  encodePayloadChain,
  EXCHANGE,
  findNotify,
  findPayload,
  NOTIFY,
  parseMessage,
  PAYLOAD,
  Payload,
  TRANSFORM_TYPE,
} from '../../lib/ike/message';
import { charonCapture, hex } from './helpers';

const capture = charonCapture('aes128-sha1-modp2048');
const initRequest = hex(capture.messages[0].hex);
const initResponse = hex(capture.messages[1].hex);

describe('a captured charon 5.9.8 IKE_SA_INIT', () => {
  test('request: header, SA, KE, Ni and the NAT detection notifies', () => {
    const m = parseMessage(initRequest);
    if (!m.ok) throw m.error;
    expect(m.value.header).toMatchObject({ exchange: EXCHANGE.IKE_SA_INIT, initiator: true, response: false, messageId: 0, majorVersion: 2 });
    expect(m.value.header.spiR.equals(Buffer.alloc(8))).toBe(true);
    const sa = findPayload(m.value.payloads, PAYLOAD.SA);
    expect(sa?.proposals[0].transforms).toEqual([
      { type: TRANSFORM_TYPE.ENCR, id: 12, keyLength: 128 },
      { type: TRANSFORM_TYPE.INTEG, id: 2 },
      { type: TRANSFORM_TYPE.PRF, id: 2 },
      { type: TRANSFORM_TYPE.DH, id: 14 },
    ]);
    const ke = findPayload(m.value.payloads, PAYLOAD.KE);
    expect(ke?.group).toBe(14);
    expect(ke?.data.length).toBe(256);
    expect(findPayload(m.value.payloads, PAYLOAD.NONCE)?.data.length).toBe(32);
    expect(findNotify(m.value.payloads, NOTIFY.NAT_DETECTION_SOURCE_IP)?.data.length).toBe(20);
    expect(findNotify(m.value.payloads, NOTIFY.NAT_DETECTION_DESTINATION_IP)?.data.length).toBe(20);
  });

  test.each([
    ['request', initRequest],
    ['response', initResponse],
  ])('%s re-encodes to the same bytes', (_name, bytes) => {
    const m = parseMessage(bytes);
    if (!m.ok) throw m.error;
    expect(encodeMessage(m.value.header, m.value.payloads).equals(bytes)).toBe(true);
  });

  test('IKE_AUTH: an SK payload, last, naming its first inner payload', () => {
    const m = parseMessage(hex(capture.messages[2].hex));
    if (!m.ok) throw m.error;
    expect(m.value.payloads).toHaveLength(1);
    const sk = m.value.payloads[0];
    expect(sk.type).toBe(PAYLOAD.SK);
    if (sk.type === PAYLOAD.SK) expect(sk.innerType).toBe(PAYLOAD.IDi);
  });
});

describe('malformed messages are values, never exceptions', () => {
  test('short datagram, wrong version, wrong length', () => {
    expect(parseMessage(Buffer.alloc(10))).toMatchObject({ ok: false, error: { code: 'truncated', field: 'header' } });
    const v1 = Buffer.from(initRequest);
    v1[17] = 0x10;
    expect(parseMessage(v1)).toMatchObject({ ok: false, error: { code: 'invalid-major-version' } });
    expect(parseMessage(initRequest.subarray(0, initRequest.length - 1))).toMatchObject({ ok: false, error: { code: 'bad-length', field: 'header.length' } });
  });

  test('a payload length beyond the message names the payload', () => {
    const bad = Buffer.from(initRequest);
    bad.writeUInt16BE(0xffff, 28 + 2);
    const r = parseMessage(bad);
    expect(r).toMatchObject({ ok: false, error: { code: 'truncated' } });
    if (!r.ok) expect(r.error.field).toMatch(/payloads\[0\] SA\.length/);
  });

  test('an unknown critical payload is refused with its type; an unknown non-critical one is skipped', () => {
    const unknown = Buffer.from([0, 0x80, 0, 6, 1, 2]);
    expect(decodePayloadChain(200, unknown)).toMatchObject({ ok: false, error: { code: 'unsupported-critical-payload', payloadType: 200 } });
    const skipped = Buffer.from([0, 0x00, 0, 6, 1, 2]);
    expect(decodePayloadChain(200, skipped)).toEqual({ ok: true, value: [] });
  });

  test('SK must be the last payload', () => {
    const sk = Buffer.concat([Buffer.from([PAYLOAD.IDi, 0, 0, 8]), Buffer.alloc(4), Buffer.from([0, 0, 0, 4])]);
    expect(decodePayloadChain(PAYLOAD.SK, sk)).toMatchObject({ ok: false, error: { code: 'invalid-syntax' } });
  });

  test('random bytes and mutations of a real message never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const r = parseMessage(Buffer.from(bytes));
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(initRequest.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (edits) => {
        const b = Buffer.from(initRequest);
        for (const [i, v] of edits) b[i] = v;
        const r = parseMessage(b);
        if (r.ok) expect(encodeMessage(r.value.header, r.value.payloads).length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('each payload: encode then decode gives it back; bad bodies name their field', () => {
  const samples: Payload[] = [
    {
      type: PAYLOAD.SA,
      proposals: [
        { number: 1, protocol: 3, spi: hex('01020304'), transforms: [{ type: 1, id: 20, keyLength: 256 }, { type: 5, id: 0 }] },
        { number: 2, protocol: 3, spi: hex('01020304'), transforms: [{ type: 1, id: 12, keyLength: 128 }, { type: 3, id: 12 }, { type: 4, id: 19 }, { type: 5, id: 0 }] },
      ],
    },
    { type: PAYLOAD.KE, group: 19, data: Buffer.alloc(64, 7) },
    { type: PAYLOAD.IDi, idType: 1, data: hex('c0000201') },
    { type: PAYLOAD.IDr, idType: 2, data: Buffer.from('vpn.example.com') },
    { type: PAYLOAD.CERT, encoding: 4, data: Buffer.from('30820101', 'hex') },
    { type: PAYLOAD.CERTREQ, encoding: 4, data: Buffer.alloc(40, 1) },
    { type: PAYLOAD.AUTH, method: 2, data: Buffer.alloc(20, 9) },
    { type: PAYLOAD.NONCE, data: Buffer.alloc(32, 3) },
    { type: PAYLOAD.N, protocol: 3, spi: hex('aabbccdd'), notifyType: NOTIFY.REKEY_SA, data: Buffer.alloc(0) },
    { type: PAYLOAD.N, protocol: 0, spi: Buffer.alloc(0), notifyType: NOTIFY.COOKIE, data: Buffer.alloc(16, 5) },
    { type: PAYLOAD.D, protocol: 3, spis: [hex('00000001'), hex('00000002')] },
    { type: PAYLOAD.D, protocol: 1, spis: [] },
    { type: PAYLOAD.V, data: Buffer.from('strongSwan') },
    {
      type: PAYLOAD.TSi,
      selectors: [
        { tsType: 7, ipProtocol: 0, startPort: 0, endPort: 65535, startAddress: hex('c6336401'), endAddress: hex('c6336401') },
        { tsType: 8, ipProtocol: 6, startPort: 443, endPort: 443, startAddress: Buffer.alloc(16, 0), endAddress: Buffer.alloc(16, 0xff) },
      ],
    },
    { type: PAYLOAD.SK, innerType: PAYLOAD.IDi, body: Buffer.alloc(48, 1) },
    { type: PAYLOAD.SKF, innerType: PAYLOAD.IDi, fragmentNumber: 1, totalFragments: 3, body: Buffer.alloc(48, 1) },
  ];

  test.each(samples.map((p) => [p.type, p] as const))('payload %d round-trips', (_t, p) => {
    const body = encodePayloadBody(p);
    const innerType = 'innerType' in p ? p.innerType : 0;
    expect(decodePayload(p.type, body, innerType)).toEqual({ ok: true, value: p });
    const chain = encodePayloadChain([p]);
    expect(decodePayloadChain(chain.first, chain.bytes)).toEqual({ ok: true, value: [p] });
  });

  test.each([
    [PAYLOAD.SA, '00000008010100', 'SA.proposal[0].body'],
    [PAYLOAD.SA, '0200000801010000', 'SA.proposal[0].last'],
    [PAYLOAD.SA, '0000000c0101000100000004', 'SA.proposal[0].transform[0].length'],
    [PAYLOAD.SA, '0000000c0101000103000008', 'SA.proposal[0].transform[0].last'],
    [PAYLOAD.KE, '0013', 'KE.reserved'],
    [PAYLOAD.NONCE, '00112233', 'Nonce.data'],
    [PAYLOAD.IDi, '01000000c00002', 'IDi.data'],
    [PAYLOAD.N, '0304', 'N.notifyType'],
    [PAYLOAD.N, '03044009aabb', 'N.spi'],
    [PAYLOAD.D, '030401', 'D.spiCount'],
    [PAYLOAD.D, '03020001aabb', 'D.spiSize'],
    [PAYLOAD.D, '0100000100000000', 'D.spiSize'],
    [PAYLOAD.TSi, '00000000', 'TSi.count'],
    [PAYLOAD.TSi, '010000000900000800000000', 'TSi.selector[0].type'],
    [PAYLOAD.TSi, '01000000070000140000ffff', 'TSi.selector[0].length'],
    [PAYLOAD.SKF, '00000001', 'SKF.fragmentNumber'],
    [PAYLOAD.SKF, '00030002', 'SKF.fragmentNumber'],
  ])('payload %d body %s fails at %s', (type, body, field) => {
    const r = decodePayload(type, hex(body));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toBe(field);
  });
});

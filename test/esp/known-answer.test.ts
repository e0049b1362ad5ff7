/**
 * Known-answer tests: whole ESP packets from the RFCs and drafts (test/fixtures/esp/*.json, each with its
 * source), built by the engine byte for byte and opened again.
 */
import { createHmac } from 'node:crypto';
import { buildIpPacket, EspSa, EspSuite, parseIpv4Header } from '../../lib/esp';
import { espSaTestHooks } from '../../lib/esp/esp-sa';
import { TruncatedHmac } from '../../lib/esp/integrity';
import { IvSource } from '../../lib/esp/transforms';
import gcmVectors from '../fixtures/esp/gcm-gmac-esp-vectors.json';
import chacha from '../fixtures/esp/chacha20poly1305-esp-vector.json';
import cbcCase5 from '../fixtures/esp/aes-cbc-esp-vector.json';
import hmacVectors from '../fixtures/esp/hmac-icv-vectors.json';
import { hex } from './helpers';

function fixedIv(iv: Buffer): IvSource {
  return (out, offset, length) => {
    expect(length).toBe(iv.length);
    iv.copy(out, offset);
  };
}

/** The ESP trailer of a plaintext: payload, next header, pad length (padding checked to be 1, 2, 3, ...). */
function splitTrailer(plaintext: Buffer): { payload: Buffer; nextHeader: number; padLength: number } {
  const padLength = plaintext[plaintext.length - 2];
  const payloadLength = plaintext.length - 2 - padLength;
  for (let i = 0; i < padLength; i++) expect(plaintext[payloadLength + i]).toBe(i + 1);
  return { payload: plaintext.subarray(0, payloadLength), nextHeader: plaintext[plaintext.length - 1], padLength };
}

describe('draft-mcgrew-gcm-test-01: AES-GCM-ESP and AES-GMAC-ESP packets', () => {
  const cases = gcmVectors.vectors.map((v) => [`page ${v.page} ${v.algorithm} spi ${v.spi} seq ${v.seq}`, v] as const);

  it.each(cases)('%s: fixture is self-consistent (aad, nonce, packet)', (_name, v) => {
    const seq = hex(v.seq);
    expect(hex(v.aad as string | string[]).subarray(0, 4 + seq.length)).toEqual(Buffer.concat([hex(v.spi), seq]));
    const packet = hex(v.packet);
    const nonce = hex(v.nonce);
    expect(packet.subarray(0, 4)).toEqual(hex(v.spi));
    expect(packet.subarray(4, 8)).toEqual(seq.subarray(seq.length - 4));
    expect(packet.subarray(8, 16)).toEqual(nonce.subarray(4));
    if ('ctextTag' in v) expect(packet.subarray(16)).toEqual(hex(v.ctextTag as string[]));
  });

  it.each(cases)('%s: the engine builds the packet byte for byte and opens it', (_name, v) => {
    const key = hex(v.key);
    const nonce = hex(v.nonce);
    const gmac = v.algorithm === 'AES-GMAC-ESP';
    const suite: EspSuite = gmac ? (key.length === 16 ? 'aes128gmac' : 'aes256gmac') : key.length === 16 ? 'aes128gcm16' : 'aes256gcm16';
    const seqBytes = hex(v.seq);
    const esn = seqBytes.length === 8;
    const seq = BigInt(`0x${v.seq}`);
    // initialSequence starts both sides at the draft's number (ESN: its high half goes into the AAD only).
    const config = { spi: parseInt(v.spi, 16), suite, mode: 'transport' as const, esn, initialSequence: seq, encryptionKey: Buffer.concat([key, nonce.subarray(0, 4)]) };
    const { payload, nextHeader } = splitTrailer(hex(v.plaintext));

    const sender = new EspSa(config);
    espSaTestHooks(sender).setIvSource(fixedIv(nonce.subarray(4)));
    // Transport mode protects an IP packet's payload; the draft's plaintext payload rides in one.
    const original = buildIpPacket({ src: '192.0.2.1', dst: '192.0.2.2', protocol: nextHeader, payload });
    const sealed = sender.encapsulatePayload(original);
    expect(sealed.ok && sealed.packet.toString('hex')).toBe(hex(v.packet).toString('hex'));
    expect(sealed.ok && sealed.sequence).toBe(seq);
    // Pages 17 and 18 start at the last number (2^32 - 1 and 2^64 - 1): the next one would wrap.
    const last = seq === (esn ? 2n ** 64n - 1n : 2n ** 32n - 1n);
    expect(sender.encapsulatePayload(original)).toMatchObject(last ? { ok: false, reason: 'sequence-overflow' } : { ok: true, sequence: seq + 1n });

    const receiver = new EspSa(config);
    const opened = receiver.decapsulatePayload(hex(v.packet));
    expect(opened).toEqual({ ok: true, packet: payload, nextHeader, sequence: seq });

    const forged = hex(v.packet);
    forged[forged.length - 1] ^= 0x01;
    const receiver2 = new EspSa(config);
    expect(receiver2.decapsulatePayload(forged)).toMatchObject({ ok: false, reason: 'authentication-failed' });
  });

  it('page 10 uses SPI 0, which the engine refuses as reserved', () => {
    expect(() => new EspSa({ spi: 0, suite: 'aes128gcm16', mode: 'transport', encryptionKey: Buffer.alloc(20) })).toThrow(/`spi`.*reserved/);
  });
});

describe('RFC 7634 Appendix A: ChaCha20-Poly1305 tunnel-mode ESP packet', () => {
  const config = {
    spi: parseInt(chacha.spi, 16),
    suite: 'chacha20poly1305' as const,
    mode: 'tunnel' as const,
    encryptionKey: hex(chacha.keymat),
    outer: { src: chacha.gateway, dst: chacha.peer },
  };

  it('fixture is self-consistent (ciphertext and tag inside the packet)', () => {
    const packet = hex(chacha.espPacket);
    expect(packet.subarray(36, packet.length - 16)).toEqual(hex(chacha.ciphertext));
    expect(packet.subarray(packet.length - 16)).toEqual(hex(chacha.tag));
    expect(hex(chacha.plaintextWithPadding).subarray(0, hex(chacha.sourcePacket).length)).toEqual(hex(chacha.sourcePacket));
  });

  it('the engine builds the whole outer packet byte for byte', () => {
    const sa = new EspSa(config);
    espSaTestHooks(sa).setIvSource(fixedIv(hex(chacha.iv)));
    espSaTestHooks(sa).setLastSequence(BigInt(chacha.sequence - 1));
    espSaTestHooks(sa).setNextIdentification(parseInt(chacha.outerIdentification, 16));
    const result = sa.encapsulate(hex(chacha.sourcePacket));
    expect(result.ok && result.packet.toString('hex')).toBe(hex(chacha.espPacket).toString('hex'));
  });

  it('the engine opens it to the source packet, and refuses it the second time', () => {
    const sa = new EspSa(config);
    expect(sa.decapsulate(hex(chacha.espPacket))).toEqual({ ok: true, packet: hex(chacha.sourcePacket), nextHeader: 4, sequence: 5n });
    expect(sa.decapsulate(hex(chacha.espPacket))).toMatchObject({ ok: false, reason: 'replay' });
  });
});

describe('RFC 3602 section 4 Case #5: AES-CBC transport-mode ESP packet', () => {
  const integrityKey = Buffer.alloc(20, 0x42); // RFC 3602 has no ICV; any key, checked against an independent HMAC
  const config = {
    spi: parseInt(cbcCase5.spi, 16),
    suite: 'aes128-sha1' as const,
    mode: 'transport' as const,
    encryptionKey: hex(cbcCase5.key),
    integrityKey,
  };
  const original = Buffer.concat([hex(cbcCase5.originalIpHeader), hex(cbcCase5.originalData)]);

  it('encrypts to the RFC bytes, keeps the IP header, and appends HMAC-SHA1-96 over SPI..ciphertext', () => {
    const sa = new EspSa(config);
    espSaTestHooks(sa).setIvSource(fixedIv(hex(cbcCase5.iv)));
    const result = sa.encapsulate(original);
    if (!result.ok) throw new Error(result.detail);
    const packet = result.packet;
    const esp = packet.subarray(20);
    expect(esp.subarray(0, 8)).toEqual(hex(cbcCase5.spiSeq));
    expect(esp.subarray(8, 24)).toEqual(hex(cbcCase5.iv));
    expect(esp.subarray(24, 24 + 80)).toEqual(hex(cbcCase5.encryptedData));
    const icv = createHmac('sha1', integrityKey).update(esp.subarray(0, 104)).digest().subarray(0, 12);
    expect(esp.subarray(104)).toEqual(icv);
    expect(esp.length).toBe(116);
    // The RFC's post-encryption header, except that the 12 ICV bytes lengthen the packet (and so the checksum).
    const rfcHeader = parseIpv4Header(hex(cbcCase5.postEncryptionIpHeader))!;
    const ours = parseIpv4Header(packet)!;
    expect(rfcHeader.checksumValid).toBe(true);
    expect(ours).toEqual({ ...rfcHeader, totalLength: rfcHeader.totalLength + 12, checksum: ours.checksum, checksumValid: true });
  });

  it('the RFC plaintext (padding 1..14, pad length 14, next header 1) is what decryption yields', () => {
    const sa = new EspSa(config);
    espSaTestHooks(sa).setIvSource(fixedIv(hex(cbcCase5.iv)));
    const sealed = sa.encapsulate(original);
    const receiver = new EspSa(config);
    const opened = receiver.decapsulate(sealed.ok ? sealed.packet : Buffer.alloc(0));
    expect(opened).toEqual({ ok: true, packet: original, nextHeader: cbcCase5.nextHeader, sequence: 1n });
    const { payload, padLength, nextHeader } = splitTrailer(hex(cbcCase5.preEncryption));
    expect([payload, padLength, nextHeader]).toEqual([hex(cbcCase5.originalData), cbcCase5.padLength, cbcCase5.nextHeader]);
  });
});

describe('Truncated HMAC ICVs (RFC 2202/2404, RFC 4868 section 2.7.2)', () => {
  const dataOf = (v: { data?: string; dataAscii?: string }): Buffer => {
    if (v.dataAscii !== undefined) return Buffer.from(v.dataAscii, 'ascii');
    const repeated = /^([0-9a-f]{2}) x (\d+)$/.exec(v.data as string);
    return repeated ? Buffer.alloc(Number(repeated[2]), parseInt(repeated[1], 16)) : hex(v.data as string);
  };
  it.each(hmacVectors.vectors.map((v) => [v.id, v] as const))('%s', (_id, v) => {
    const key = 'keyAscii' in v && v.keyAscii ? Buffer.from(v.keyAscii, 'ascii') : hex((v as { key: string }).key);
    const mac = new TruncatedHmac(v.hash, key, v.icvLength);
    expect(mac.icv(dataOf(v)).toString('hex')).toBe(hex(v.icv).toString('hex'));
    expect(hex(v.full).subarray(0, v.icvLength)).toEqual(hex(v.icv));
  });
});

/**
 * AH (RFC 4302): the ICV against an HMAC computed here over the header with its mutable fields zeroed,
 * mutable fields left out of the ICV, tunnel and transport mode, and AH outside ESP.
 */
import { createHmac } from 'node:crypto';
import { AhSa, AhSaConfig, EspSa, parseIpv4Header, SaDatabase } from '../../lib/esp';
import { pingPacket, saConfig } from './helpers';

const key = Buffer.alloc(32, 0x5a);
const transport: AhSaConfig = { spi: 0x1000, suite: 'sha256', integrityKey: key, mode: 'transport' };

/** RFC 4302 section 3.3.3.1 by hand: zero IPv4 TOS, flags/fragment, TTL, checksum and the ICV field. */
function expectedIpv4Icv(packet: Buffer, hash: string, macKey: Buffer, icvLength: number, ahLength: number): Buffer {
  const copy = Buffer.from(packet);
  copy[1] = 0;
  copy.writeUInt16BE(0, 6);
  copy[8] = 0;
  copy.writeUInt16BE(0, 10);
  copy.fill(0, 20 + 12, 20 + ahLength);
  return createHmac(hash, macKey).update(copy).digest().subarray(0, icvLength);
}

describe('AH transport mode, IPv4', () => {
  it.each([
    ['sha1', 20, 12, 24],
    ['sha256', 32, 16, 28],
    ['sha384', 48, 24, 36],
    ['sha512', 64, 32, 44],
  ] as const)('HMAC-%s: layout and ICV match an independent computation', (suite, keyLength, icvLength, ahLength) => {
    const macKey = Buffer.alloc(keyLength, 0x33);
    const inner = pingPacket();
    const result = new AhSa({ ...transport, suite, integrityKey: macKey }).encapsulate(inner);
    if (!result.ok) throw new Error(result.detail);
    const packet = result.packet;
    expect(packet[9]).toBe(51);
    expect(packet.readUInt16BE(2)).toBe(inner.length + ahLength);
    expect(packet[20]).toBe(1); // next header: ICMP
    expect(packet[21]).toBe(ahLength / 4 - 2);
    expect(packet.readUInt32BE(24)).toBe(0x1000);
    expect(packet.readUInt32BE(28)).toBe(1);
    expect(packet.subarray(32, 32 + icvLength)).toEqual(expectedIpv4Icv(packet, suite, macKey, icvLength, ahLength));
    expect(packet.subarray(20 + ahLength)).toEqual(inner.subarray(20));
  });

  it('opens to the original packet; mutable fields may change in flight, immutable ones may not', () => {
    const inner = pingPacket();
    const sent = new AhSa(transport).encapsulate(inner);
    if (!sent.ok) throw new Error(sent.detail);
    const hopped = Buffer.from(sent.packet);
    hopped[8] -= 3; // TTL
    hopped[1] = 0x2e; // DSCP/ECN
    hopped.writeUInt16BE(0x4000, 6); // DF set
    const opened = new AhSa(transport).decapsulate(hopped);
    if (!opened.ok) throw new Error(opened.detail);
    // The original packet as it arrived: the new TTL/TOS/DF, a fresh checksum, everything else as sent.
    const expected = Buffer.from(inner);
    expected[8] = hopped[8];
    expected[1] = 0x2e;
    expected.writeUInt16BE(0x4000, 6);
    expect(parseIpv4Header(opened.packet)?.checksumValid).toBe(true);
    expected.writeUInt16BE(opened.packet.readUInt16BE(10), 10);
    expect(opened.packet).toEqual(expected);
    for (const offset of [4, 9, 12, 16, 19, 20, 24, 28, 32, sent.packet.length - 1]) {
      const forged = Buffer.from(sent.packet);
      forged[offset] ^= 0x01;
      expect([offset, new AhSa(transport).decapsulate(forged).ok]).toEqual([offset, false]);
    }
  });

  it('refuses replays and unknown SPIs', () => {
    const sent = new AhSa(transport).encapsulate(pingPacket());
    if (!sent.ok) throw new Error(sent.detail);
    const receiver = new AhSa(transport);
    expect(receiver.decapsulate(sent.packet).ok).toBe(true);
    expect(receiver.decapsulate(sent.packet)).toMatchObject({ ok: false, reason: 'replay' });
    expect(new AhSa({ ...transport, spi: 0x2000 }).decapsulate(sent.packet)).toMatchObject({ ok: false, reason: 'unknown-spi' });
  });
});

describe('AH tunnel mode and IPv6', () => {
  it('tunnel mode over IPv4 carries an IPv6 inner packet', () => {
    const config: AhSaConfig = { ...transport, mode: 'tunnel', outer: { src: '192.0.2.1', dst: '192.0.2.2' }, esn: true };
    const inner = pingPacket('2001:db8::1', '2001:db8::2');
    const sent = new AhSa(config).encapsulate(inner);
    if (!sent.ok) throw new Error(sent.detail);
    expect(sent.packet[20]).toBe(41);
    expect(new AhSa(config).decapsulate(sent.packet)).toEqual({ ok: true, packet: inner, nextHeader: 41, sequence: 1n });
  });

  it('IPv6 transport: the AH length is padded to 8 bytes and hop limit / flow label are mutable', () => {
    const inner = pingPacket('2001:db8::1', '2001:db8::2');
    const sent = new AhSa(transport).encapsulate(inner);
    if (!sent.ok) throw new Error(sent.detail);
    expect(sent.packet[6]).toBe(51);
    expect((sent.packet[41] + 2) * 4).toBe(32); // 12 + 16-byte ICV, padded to 32
    const hopped = Buffer.from(sent.packet);
    hopped[7] = 1;
    hopped.writeUInt32BE(0x6abcdef1, 0);
    const expected = Buffer.from(inner);
    expected[7] = 1;
    expected.writeUInt32BE(0x6abcdef1, 0);
    expect(new AhSa(transport).decapsulate(hopped)).toEqual({ ok: true, packet: expected, nextHeader: 58, sequence: 1n });
  });
});

describe('AH outside ESP', () => {
  it('round-trips ESP (transport) inside AH (transport), by hand and through the SA database', () => {
    const espConfig = saConfig('aes128-sha1', { mode: 'transport' });
    const inner = pingPacket();
    const esp = new EspSa(espConfig).encapsulate(inner);
    if (!esp.ok) throw new Error(esp.detail);
    const ah = new AhSa(transport).encapsulate(esp.packet);
    if (!ah.ok) throw new Error(ah.detail);
    expect(ah.packet[20]).toBe(50); // AH's next header is ESP

    const unwrapped = new AhSa(transport).decapsulate(ah.packet);
    if (!unwrapped.ok) throw new Error(unwrapped.detail);
    expect(new EspSa(espConfig).decapsulate(unwrapped.packet)).toMatchObject({ ok: true, packet: inner });

    const db = new SaDatabase();
    db.add(new AhSa(transport));
    db.add(new EspSa(espConfig));
    expect(db.decapsulate(ah.packet)).toMatchObject({ ok: true, packet: inner, nextHeader: 1 });
  });

  it('round-trips an ESP tunnel packet inside transport-mode AH', () => {
    const espConfig = saConfig('aes256gcm16');
    const inner = pingPacket();
    const esp = new EspSa(espConfig).encapsulate(inner);
    if (!esp.ok) throw new Error(esp.detail);
    const ah = new AhSa(transport).encapsulate(esp.packet);
    if (!ah.ok) throw new Error(ah.detail);
    const db = new SaDatabase();
    db.add(new AhSa(transport));
    db.add(new EspSa(espConfig));
    expect(db.decapsulate(ah.packet)).toMatchObject({ ok: true, packet: inner, nextHeader: 4 });
  });

  it('refuses bad AH configs without echoing the key', () => {
    expect(() => new AhSa({ ...transport, integrityKey: Buffer.alloc(5, 0x77) })).toThrow(/`integrityKey`.*32 bytes/);
    try {
      new AhSa({ ...transport, integrityKey: Buffer.alloc(5, 0x77) });
    } catch (error) {
      expect(String(error)).not.toMatch(/77/);
    }
    expect(() => new AhSa({ ...transport, suite: 'md5' as never })).toThrow(/Unknown AH suite/);
  });
});

/** RFC 3948 UDP encapsulation: classification, framing, keepalives, and the SA's NAT-T paths. */
import { buildUdpDatagram, classifyUdpEncap, EspSa, frameEspInUdp, frameIkeInUdp, NAT_T_PORT, natKeepalive, NON_ESP_MARKER, SaDatabase } from '../../lib/esp';
import { ipLayout } from '../../lib/esp/ip';
import { pingPacket, saConfig } from './helpers';

describe('classifyUdpEncap (RFC 3948 sections 2.2, 2.3)', () => {
  it.each([
    ['the keepalive byte 0xFF', 'ff', 'keepalive'],
    ['a single other byte', '00', 'invalid'],
    ['three bytes', '010203', 'invalid'],
    ['non-ESP marker + IKE header', '00000000' + '11'.repeat(28), 'ike'],
    ['non-ESP marker alone', '00000000', 'ike'],
    ['SPI + sequence number', '0000010000000001', 'esp'],
    ['non-zero SPI but shorter than an ESP header', '00000100', 'invalid'],
  ])('%s', (_name, payload, kind) => {
    expect(classifyUdpEncap(Buffer.from(payload, 'hex'))).toBe(kind);
  });
});

describe('framing', () => {
  it('natKeepalive is one 0xFF byte', () => {
    expect(natKeepalive()).toEqual(Buffer.from([0xff]));
  });

  it('frameEspInUdp writes ports 4500/4500, the length, and checksum 0 (RFC 3948 section 3.1)', () => {
    const esp = Buffer.from('0000010000000001aabbccdd', 'hex');
    const udp = frameEspInUdp(esp);
    expect(udp.readUInt16BE(0)).toBe(NAT_T_PORT);
    expect(udp.readUInt16BE(2)).toBe(NAT_T_PORT);
    expect(udp.readUInt16BE(4)).toBe(8 + esp.length);
    expect(udp.readUInt16BE(6)).toBe(0);
    expect(udp.subarray(8)).toEqual(esp);
  });

  it('frameIkeInUdp puts the non-ESP marker in front', () => {
    const udp = frameIkeInUdp(Buffer.from('abcd', 'hex'), { srcPort: 4500, dstPort: 61000 });
    expect(udp.readUInt16BE(2)).toBe(61000);
    expect(udp.subarray(8, 12)).toEqual(NON_ESP_MARKER);
    expect(udp.subarray(12)).toEqual(Buffer.from('abcd', 'hex'));
  });
});

describe('NAT-T SAs', () => {
  it('IPv4 outer: UDP 4500/4500, checksum 0, UDP length covering the ESP bytes', () => {
    const sa = new EspSa(saConfig('aes128-sha1', { natT: true }));
    const result = sa.encapsulate(pingPacket());
    if (!result.ok) throw new Error(result.detail);
    const layout = ipLayout(result.packet)!;
    expect(layout.protocol).toBe(17);
    const udp = result.packet.subarray(20);
    expect([udp.readUInt16BE(0), udp.readUInt16BE(2), udp.readUInt16BE(4), udp.readUInt16BE(6)]).toEqual([4500, 4500, udp.length, 0]);
    expect(udp.subarray(8, 12).readUInt32BE(0)).toBe(0x0badcafe);
  });

  it('custom ports are used, and encapsulatePayload gives the bare ESP bytes', () => {
    const config = saConfig('aes256gcm16', { natT: { srcPort: 4500, dstPort: 34567 } });
    const whole = new EspSa(config).encapsulate(pingPacket());
    const bare = new EspSa(config).encapsulatePayload(pingPacket());
    if (!whole.ok || !bare.ok) throw new Error('encapsulation failed');
    expect(whole.packet.readUInt16BE(22)).toBe(34567);
    expect(bare.packet.readUInt32BE(0)).toBe(0x0badcafe);
    expect(bare.packet.length).toBe(whole.packet.length - 28);
  });

  it('IPv6 outer: a real UDP checksum', () => {
    const sa = new EspSa(saConfig('aes128gcm16', { natT: true, outer: { src: '2001:db8::1', dst: '2001:db8::2' } }));
    const result = sa.encapsulate(pingPacket());
    if (!result.ok) throw new Error(result.detail);
    expect(result.packet.readUInt16BE(40 + 6)).not.toBe(0);
    const rebuilt = buildUdpDatagram({ src: '2001:db8::1', dst: '2001:db8::2', srcPort: 4500, dstPort: 4500, data: result.packet.subarray(48), ttl: 64 });
    expect(rebuilt.readUInt16BE(46)).toBe(result.packet.readUInt16BE(46));
  });

  it('keepalives and IKE datagrams on port 4500 are reported, not decrypted', () => {
    const config = saConfig('aes128gcm16', { natT: true });
    const sa = new EspSa(config);
    const db = new SaDatabase();
    db.add(new EspSa(config));
    const keepalive = buildUdpDatagram({ src: '203.0.113.9', dst: '198.51.100.1', srcPort: 4500, dstPort: 4500, data: natKeepalive() });
    const ike = buildUdpDatagram({ src: '203.0.113.9', dst: '198.51.100.1', srcPort: 4500, dstPort: 4500, data: Buffer.concat([NON_ESP_MARKER, Buffer.alloc(28)]) });
    expect(sa.decapsulate(keepalive)).toMatchObject({ ok: false, reason: 'nat-keepalive' });
    expect(sa.decapsulate(ike)).toMatchObject({ ok: false, reason: 'not-esp' });
    expect(sa.decapsulatePayload(natKeepalive())).toMatchObject({ ok: false, reason: 'nat-keepalive' });
    expect(db.decapsulate(keepalive)).toMatchObject({ ok: false, reason: 'nat-keepalive' });
    expect(db.decapsulate(ike)).toMatchObject({ ok: false, reason: 'not-esp' });
    expect(db.decapsulatePayload(Buffer.concat([NON_ESP_MARKER, Buffer.alloc(28)]))).toMatchObject({ ok: false, reason: 'not-esp' });
  });

  it('a NAT-T SA reports plain ESP-in-UDP from a rewritten source port as usual, and a non-NAT-T SA refuses UDP', () => {
    const config = saConfig('aes128-sha256', { natT: true });
    const sent = new EspSa(config).encapsulate(pingPacket());
    if (!sent.ok) throw new Error(sent.detail);
    sent.packet.writeUInt16BE(61234, 20); // a NAT rewrote the source port; UDP checksum is 0 so nothing else changes
    expect(new EspSa(config).decapsulate(sent.packet)).toMatchObject({ ok: true });
    expect(new EspSa({ ...config, natT: false }).decapsulate(sent.packet)).toMatchObject({ ok: false, reason: 'not-esp' });
  });
});

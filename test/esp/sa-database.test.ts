/**
 * SaDatabase demultiplexing (RFC 4301 section 4.1, RFC 3948 section 2): ESP by SPI; UDP as ESP-in-UDP only
 * on a NAT-T port; UDP under transport-mode AH is AH's own payload, never ESP-in-UDP.
 */
import { AhSa, AhSaConfig, buildUdpDatagram, EspSa, frameEspInUdp, natKeepalive, SaDatabase } from '../../lib/esp';
import { pingPacket, saConfig } from './helpers';

const ahTransport: AhSaConfig = { spi: 0x1000, suite: 'sha256', integrityKey: Buffer.alloc(32, 0x5a), mode: 'transport' };
const udp = (dstPort: number, data: Buffer, srcPort = 33333) => buildUdpDatagram({ src: '192.0.2.10', dst: '192.0.2.20', srcPort, dstPort, data });

describe('SaDatabase: UDP under AH', () => {
  it.each([53, 500, 4500])('transport-mode AH protecting a UDP datagram to port %p opens to that datagram, once', (port) => {
    // The payload starts with a non-zero 32-bit word, as ESP would: it must not be looked up as an SPI.
    const original = udp(port, Buffer.from('0badcafe 00000001 application data, not ESP'));
    const sent = new AhSa(ahTransport).encapsulate(original);
    if (!sent.ok) throw new Error(sent.detail);
    const db = new SaDatabase();
    db.add(new AhSa(ahTransport));
    db.add(new EspSa(saConfig('aes128gcm16', { natT: true })));
    expect(db.decapsulate(sent.packet)).toEqual({ ok: true, packet: original, nextHeader: 17, sequence: 1n });
    expect(db.decapsulate(sent.packet)).toMatchObject({ ok: false, reason: 'replay' });
  });

  it('AH over a NAT-keepalive-looking UDP/4500 payload is still AH payload, not a keepalive', () => {
    const original = udp(4500, natKeepalive());
    const sent = new AhSa(ahTransport).encapsulate(original);
    if (!sent.ok) throw new Error(sent.detail);
    const db = new SaDatabase();
    db.add(new AhSa(ahTransport));
    expect(db.decapsulate(sent.packet)).toMatchObject({ ok: true, packet: original, nextHeader: 17 });
  });
});

describe('SaDatabase: ESP-in-UDP by port', () => {
  const ports = { srcPort: 41500, dstPort: 4501 };

  it('opens ESP-in-UDP on the NAT-T SA port and calls UDP to other ports not-esp (no SPI lookup)', () => {
    const config = saConfig('aes256-sha256', { natT: ports });
    const sent = new EspSa(config).encapsulate(pingPacket());
    if (!sent.ok) throw new Error(sent.detail);
    const db = new SaDatabase();
    db.add(new EspSa(config));
    expect(db.isNatTPort(4501)).toBe(true);
    const moved = Buffer.from(sent.packet);
    moved.writeUInt16BE(5353, 20 + 2); // same ESP bytes, another destination port (checksum 0 over IPv4)
    expect(db.decapsulate(moved)).toMatchObject({ ok: false, reason: 'not-esp', detail: expect.stringMatching(/port 5353/) });
    expect(db.decapsulate(sent.packet)).toMatchObject({ ok: true, packet: pingPacket() });
  });

  it('port 4500 is always NAT-T: keepalives are recognised without any NAT-T SA, other ports are not-esp', () => {
    const db = new SaDatabase();
    db.add(new EspSa(saConfig('aes128gcm16')));
    expect(db.decapsulate(udp(4500, natKeepalive(), 4500))).toMatchObject({ ok: false, reason: 'nat-keepalive' });
    expect(db.decapsulate(udp(4501, natKeepalive(), 4500))).toMatchObject({ ok: false, reason: 'not-esp' });
  });

  it('a port stays NAT-T while any SA receiving on it is registered, and stops with the last one', () => {
    const a = new EspSa(saConfig('aes128gcm16', { spi: 0x100, natT: ports }));
    const b = new EspSa(saConfig('aes128gcm16', { spi: 0x200, natT: ports }));
    const db = new SaDatabase();
    db.add(a);
    db.add(b);
    expect(db.remove(0x100)).toBe(true);
    expect(db.isNatTPort(4501)).toBe(true);
    expect(db.remove(0x100)).toBe(false);
    expect(db.isNatTPort(4501)).toBe(true);
    expect(db.remove(0x200)).toBe(true);
    expect(db.isNatTPort(4501)).toBe(false);
    const esp = Buffer.alloc(40, 1);
    expect(db.decapsulate(buildUdpDatagram({ src: '192.0.2.10', dst: '192.0.2.20', srcPort: 41500, dstPort: 4501, data: frameEspInUdp(esp).subarray(8) }))).toMatchObject({ ok: false, reason: 'not-esp' });
  });
});

/** EspSa behaviour beyond the vectors: config validation, headers it writes, padding, dummy and TFC packets. */
import { buildIpPacket, ESP_SUITES, EspSa, espSuiteFor, maxInnerMtu, parseIpv4Header, parseIpv6Header, SaDatabase, suiteInfo } from '../../lib/esp';
import { createTransform } from '../../lib/esp/transforms';
import { MAX_TUNNEL_MTU } from '../../lib/aws-rules';
import { keysFor, pingPacket, saConfig } from './helpers';

describe('config validation', () => {
  const secret = Buffer.alloc(17, 0xab);
  it.each([
    ['a wrong-length encryption key', { encryptionKey: secret }, /`encryptionKey` for aes128-sha1 must be 16 bytes; got 17 bytes/],
    ['a missing integrity key', { integrityKey: undefined }, /`integrityKey` for aes128-sha1 must be 20 bytes; got none/],
    ['SPI 0', { spi: 0 }, /`spi`/],
    ['an SPI over 32 bits', { spi: 2 ** 32 }, /`spi`/],
    ['an unknown suite', { suite: 'des-md5' }, /Unknown ESP suite/],
    ['a bad mode', { mode: 'tunnle' }, /`mode`/],
    ['mixed outer IP versions', { outer: { src: '192.0.2.1', dst: '2001:db8::1' } }, /same IP version/],
    ['a bad outer address', { outer: { src: '192.0.2.300', dst: '192.0.2.1' } }, /`outer.src`/],
    ['a too small replay window', { replayWindow: 16 }, /`replayWindow`/],
    ['bad NAT-T ports', { natT: { srcPort: 0, dstPort: 4500 } }, /`natT`/],
    ['TFC padding in transport mode', { mode: 'transport', tfcPadding: 100 }, /`tfcPadding` needs tunnel mode/],
  ])('refuses %s with a clear error that names no key bytes', (_name, override, message) => {
    const config = { ...saConfig('aes128-sha1'), ...override } as never;
    expect(() => new EspSa(config)).toThrow(message);
    try {
      new EspSa(config);
    } catch (error) {
      expect(String(error)).not.toMatch(/abab|171717/i);
    }
  });

  it('AEAD suites take key || salt and refuse an integrity key', () => {
    expect(() => new EspSa(saConfig('aes128gcm16', { encryptionKey: Buffer.alloc(16) }))).toThrow(/20 bytes \(key \+ 4-byte salt\)/);
    expect(() => new EspSa(saConfig('aes256gcm16', { integrityKey: Buffer.alloc(32) }))).toThrow(/`integrityKey` must be omitted/);
  });
});

describe('suite table and MTU', () => {
  it.each([
    ['aes128gcm16', {}, MAX_TUNNEL_MTU],
    ['aes256gcm16', {}, 1446],
    ['aes128-sha1', { natT: true }, 1422],
    ['aes128-sha1', {}, 1438],
    ['aes256-sha256', {}, 1438],
    ['aes256-sha512', {}, 1422],
    ['aes128gcm16', { outerIpVersion: 6 as const }, 1426],
  ] as const)('maxInnerMtu(%s, %p) = %d', (suite, options, expected) => {
    expect(maxInnerMtu(suite, options)).toBe(expected);
  });

  it('a packet of maxInnerMtu bytes fits the outer MTU exactly or nearly, one byte more overflows it', () => {
    for (const suite of ESP_SUITES) {
      for (const natT of [false, true]) {
        const mtu = maxInnerMtu(suite, { natT });
        const sa = new EspSa(saConfig(suite, { natT }));
        const fits = sa.encapsulate(buildIpPacket({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: Buffer.alloc(mtu - 20) }));
        const over = sa.encapsulate(buildIpPacket({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: Buffer.alloc(mtu - 19) }));
        expect([suite, natT, fits.ok && fits.packet.length <= 1500]).toEqual([suite, natT, true]);
        expect([suite, natT, over.ok && over.packet.length > 1500]).toEqual([suite, natT, true]);
      }
    }
  });

  it('reports key, IV, ICV and block sizes', () => {
    expect(suiteInfo('aes256-sha384')).toMatchObject({ encryptionKeyLength: 32, integrityKeyLength: 48, ivLength: 16, icvLength: 24, blockSize: 16 });
    expect(suiteInfo('chacha20poly1305')).toMatchObject({ encryptionKeyLength: 36, integrityKeyLength: 0, ivLength: 8, icvLength: 16, blockSize: 4 });
  });
});

describe('headers the SA writes', () => {
  it('tunnel mode over IPv4: protocol 50, TTL 64, inner TOS and DF copied, valid checksum', () => {
    const inner = buildIpPacket({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 6, payload: Buffer.alloc(40), tos: 0xb8 });
    inner.writeUInt16BE(0x4000, 6); // DF
    inner.writeUInt16BE(0, 10);
    const sent = new EspSa(saConfig('aes128-sha1')).encapsulate(inner);
    if (!sent.ok) throw new Error(sent.detail);
    expect(parseIpv4Header(sent.packet)).toMatchObject({ protocol: 50, ttl: 64, tos: 0xb8, flags: 0b010, checksumValid: true, totalLength: sent.packet.length, src: '198.51.100.1', dst: '203.0.113.9' });
  });

  it('tunnel mode over IPv6 carrying IPv4: next header 50, payload length, traffic class from the inner TOS', () => {
    const inner = buildIpPacket({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: Buffer.alloc(10), tos: 0x28 });
    const sent = new EspSa(saConfig('aes256gcm16', { outer: { src: '2001:db8::a', dst: '2001:db8::b' } })).encapsulate(inner);
    if (!sent.ok) throw new Error(sent.detail);
    expect(parseIpv6Header(sent.packet)).toMatchObject({ nextHeader: 50, payloadLength: sent.packet.length - 40, trafficClass: 0x28, hopLimit: 64 });
  });

  it('transport mode keeps the original header, sets protocol 50 and fixes length and checksum', () => {
    const inner = pingPacket();
    const sent = new EspSa(saConfig('aes128-sha256', { mode: 'transport' })).encapsulate(inner);
    if (!sent.ok) throw new Error(sent.detail);
    const before = parseIpv4Header(inner)!;
    expect(parseIpv4Header(sent.packet)).toEqual({ ...before, protocol: 50, totalLength: sent.packet.length, checksum: sent.packet.readUInt16BE(10), checksumValid: true });
  });
});

describe('padding, dummy packets and TFC', () => {
  const config = saConfig('aes128gcm16', { mode: 'transport' });

  it.each([
    ['padding 1, 3 instead of 1, 2', Buffer.from([1, 3, 2, 6])],
    ['pad length longer than the payload', Buffer.from([1, 2, 0xff, 6])],
  ])('refuses %s as invalid-padding, even with a good ICV', (_name, tail) => {
    const transform = createTransform({ ...suiteInfo('aes128gcm16') }, { encryptionKey: config.encryptionKey, esn: false });
    const out = Buffer.alloc(8 + 8 + 4 + 4 + 16);
    out.writeUInt32BE(config.spi, 0);
    out.writeUInt32BE(1, 4);
    Buffer.concat([Buffer.from('abcd'), tail]).copy(out, 16);
    transform.seal(out, 0, 24, 0, 1);
    expect(new EspSa(config).decapsulatePayload(out)).toMatchObject({ ok: false, reason: 'invalid-padding' });
  });

  it('writes the monotonic padding 1, 2, 3, ... (RFC 4303 section 2.4) for every length', () => {
    const info = suiteInfo('aes128gmac'); // GMAC leaves the payload in clear, so the padding is visible
    const sa = new EspSa(saConfig('aes128gmac', { mode: 'transport' }));
    for (let length = 0; length < 12; length++) {
      const sent = sa.encapsulatePayload(buildIpPacket({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: Buffer.alloc(length, 0xee) }));
      if (!sent.ok) throw new Error(sent.detail);
      const trailerEnd = sent.packet.length - info.icvLength;
      const padLength = sent.packet[trailerEnd - 2];
      expect((length + padLength + 2) % 4).toBe(0);
      expect(padLength).toBeLessThan(4);
      expect(sent.packet.subarray(trailerEnd - 2 - padLength, trailerEnd - 2)).toEqual(Buffer.from(Array.from({ length: padLength }, (_, i) => i + 1)));
      expect(sent.packet[trailerEnd - 1]).toBe(17);
    }
  });

  it('drops authentic dummy packets quietly, and they still count for anti-replay', () => {
    const tunnel = saConfig('aes256-sha256');
    const sender = new EspSa(tunnel);
    const receiver = new EspSa(tunnel);
    const dummy = sender.encapsulateDummyPayload(100);
    if (!dummy.ok) throw new Error(dummy.detail);
    expect(receiver.decapsulatePayload(dummy.packet)).toMatchObject({ ok: false, reason: 'dummy-packet' });
    expect(receiver.decapsulatePayload(dummy.packet)).toMatchObject({ ok: false, reason: 'replay' });
  });

  it('TFC padding pads every inner packet to the configured length and the receiver strips it', () => {
    const tunnel = saConfig('aes128-sha1', { tfcPadding: 500 });
    const small = pingPacket('10.1.0.1', '10.2.0.1', 0);
    const large = pingPacket('10.1.0.1', '10.2.0.1', 700);
    const sender = new EspSa(tunnel);
    const receiver = new EspSa(tunnel);
    const a = sender.encapsulate(small);
    const b = sender.encapsulate(pingPacket('10.1.0.1', '10.2.0.1', 100));
    const c = sender.encapsulate(large);
    if (!a.ok || !b.ok || !c.ok) throw new Error('encapsulation failed');
    expect(a.packet.length).toBe(b.packet.length);
    expect(c.packet.length).toBeGreaterThan(a.packet.length);
    expect(receiver.decapsulate(a.packet)).toMatchObject({ ok: true, packet: small });
    expect(receiver.decapsulate(c.packet)).toMatchObject({ ok: true, packet: large });
  });
});

describe('input the SA refuses', () => {
  it('tunnel encapsulate without outer addresses, but encapsulatePayload works', () => {
    const sa = new EspSa({ spi: 5, suite: 'aes128gcm16', mode: 'tunnel', ...keysFor('aes128gcm16') });
    expect(sa.encapsulate(pingPacket())).toMatchObject({ ok: false, reason: 'invalid-input' });
    expect(sa.encapsulatePayload(pingPacket())).toMatchObject({ ok: true, sequence: 1n });
  });

  it.each([
    ['not an IP packet', Buffer.from('hello world, this is not IP')],
    ['a length field that disagrees', Buffer.concat([pingPacket(), Buffer.alloc(3)])],
  ])('encapsulate refuses %s as invalid-input without using a sequence number', (_name, input) => {
    const sa = new EspSa(saConfig('aes128-sha1'));
    expect(sa.encapsulate(input)).toMatchObject({ ok: false, reason: 'invalid-input' });
    expect(sa.encapsulate(pingPacket())).toMatchObject({ ok: true, sequence: 1n });
  });

  it('transport mode refuses fragments both ways', () => {
    const fragment = pingPacket();
    fragment.writeUInt16BE(0x2000, 6); // MF
    const sa = new EspSa(saConfig('aes128-sha1', { mode: 'transport' }));
    expect(sa.encapsulate(fragment)).toMatchObject({ ok: false, reason: 'invalid-input' });
    const sent = sa.encapsulate(pingPacket());
    if (!sent.ok) throw new Error(sent.detail);
    sent.packet.writeUInt16BE(0x2000, 6);
    expect(new EspSa(saConfig('aes128-sha1', { mode: 'transport' })).decapsulate(sent.packet)).toMatchObject({ ok: false, reason: 'parse-error' });
  });

  it('non-ESP protocols are not-esp; another SPI is unknown-spi', () => {
    const sa = new EspSa(saConfig('aes128-sha1'));
    expect(sa.decapsulate(pingPacket())).toMatchObject({ ok: false, reason: 'not-esp' });
    const other = new EspSa(saConfig('aes128-sha1', { spi: 99 })).encapsulate(pingPacket());
    expect(sa.decapsulate(other.ok ? other.packet : Buffer.alloc(0))).toMatchObject({ ok: false, reason: 'unknown-spi' });
  });
});

describe('SaDatabase', () => {
  it('finds SAs by SPI, reports unknown ones, and refuses duplicates', () => {
    const db = new SaDatabase();
    const a = saConfig('aes128-sha1', { spi: 0x100 });
    const b = saConfig('aes256gcm16', { spi: 0x200 });
    db.add(new EspSa(a));
    db.add(new EspSa(b));
    expect(() => db.add(new EspSa(a))).toThrow(/already registered/);
    const fromB = new EspSa(b).encapsulate(pingPacket());
    const fromC = new EspSa(saConfig('aes128-sha1', { spi: 0x300 })).encapsulate(pingPacket());
    if (!fromB.ok || !fromC.ok) throw new Error('encapsulation failed');
    expect(db.decapsulate(fromB.packet)).toMatchObject({ ok: true, packet: pingPacket() });
    expect(db.decapsulate(fromC.packet)).toMatchObject({ ok: false, reason: 'unknown-spi' });
    expect(db.remove(0x200)).toBe(true);
    expect(db.decapsulate(fromB.packet)).toMatchObject({ ok: false, reason: 'unknown-spi' });
  });
});

describe('espSuiteFor', () => {
  it.each([
    ['aes128', 'sha1', 'aes128-sha1'],
    ['aes256', 'sha512', 'aes256-sha512'],
    ['aes128gcm16', undefined, 'aes128gcm16'],
    ['aes256gcm16', 'sha256', 'aes256gcm16'], // an AEAD cipher ignores integrity
    ['aes128', undefined, undefined], // CBC needs integrity
    ['3des', 'sha1', undefined],
    ['aes128', 'md5', undefined],
  ] as const)('%s + %s -> %s', (encryption, integrity, expected) => {
    expect(espSuiteFor(encryption, integrity)).toBe(expected);
  });
});

/**
 * Property tests (fast-check): round trips across suites, modes, IP versions, ESN and NAT-T; every bit
 * of the ICV-covered part matters; hostile bytes never throw; replays are refused.
 *
 * Covered bytes: ESP protects from its SPI to the end of the ICV (and, with ESN, the implicit high half).
 * The outer IP header and the NAT-T UDP header are not covered, so bit flips there are not tested here.
 */
import fc from 'fast-check';
import { AhSa, buildIpPacket, ESP_SUITES, EspSa, EspSuite, SaConfig, SaDatabase, suiteInfo } from '../../lib/esp';
import { ipLayout, UDP_HEADER_LENGTH } from '../../lib/esp/ip';

const suiteArb = fc.constantFrom(...ESP_SUITES);
const keyArb = (length: number) => fc.uint8Array({ minLength: length, maxLength: length }).map((a) => Buffer.from(a));
const v4 = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 })).map((p) => p.join('.'));
const v6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(':'));
const addressPair = (version: 4 | 6) => fc.tuple(version === 4 ? v4 : v6, version === 4 ? v4 : v6);

/** A whole IP packet of random version, protocol and payload. */
const innerPacketArb = (maxPayload: number) =>
  fc
    .record({
      version: fc.constantFrom<4 | 6>(4, 6),
      protocol: fc.constantFrom(1, 6, 17, 58, 47, 132),
      payload: fc.uint8Array({ maxLength: maxPayload }),
      ttl: fc.integer({ min: 1, max: 255 }),
      tos: fc.nat(255),
    })
    .chain((p) => addressPair(p.version).map(([src, dst]) => buildIpPacket({ src, dst, protocol: p.protocol, payload: Buffer.from(p.payload), ttl: p.ttl, tos: p.tos })));

const configArb = fc
  .record({
    suite: suiteArb,
    mode: fc.constantFrom<'tunnel' | 'transport'>('tunnel', 'transport'),
    esn: fc.boolean(),
    natT: fc.oneof(fc.boolean(), fc.record({ srcPort: fc.integer({ min: 1, max: 65535 }), dstPort: fc.integer({ min: 1, max: 65535 }) })),
    spi: fc.integer({ min: 1, max: 0xffffffff }),
    outerVersion: fc.constantFrom<4 | 6>(4, 6),
    tfc: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 600 })),
    seed: fc.nat(),
  })
  .chain((c) => {
    const info = suiteInfo(c.suite);
    return fc.record({
      encryptionKey: keyArb(info.encryptionKeyLength),
      integrityKey: info.integrityKeyLength ? keyArb(info.integrityKeyLength) : fc.constant(undefined),
      outer: addressPair(c.outerVersion),
    }).map(
      (k): SaConfig => ({
        spi: c.spi,
        suite: c.suite,
        mode: c.mode,
        esn: c.esn,
        natT: c.natT,
        tfcPadding: c.mode === 'tunnel' ? c.tfc : undefined,
        encryptionKey: k.encryptionKey,
        integrityKey: k.integrityKey,
        outer: { src: k.outer[0], dst: k.outer[1] },
      }),
    );
  });

/** Where the ESP bytes start in a whole packet the engine built. */
function espOffset(packet: Buffer): number {
  const layout = ipLayout(packet)!;
  return layout.headerLength + (layout.protocol === 17 ? UDP_HEADER_LENGTH : 0);
}

describe('ESP properties', () => {
  it('encapsulate then decapsulate is the identity (whole packets)', () => {
    fc.assert(
      fc.property(configArb, innerPacketArb(1400), (config, inner) => {
        const sender = new EspSa(config);
        const receiver = new EspSa(config);
        const sent = sender.encapsulate(inner);
        if (!sent.ok) throw new Error(sent.detail);
        const received = receiver.decapsulate(sent.packet);
        expect(received).toEqual({ ok: true, packet: inner, nextHeader: received.ok ? received.nextHeader : -1, sequence: 1n });
        if (received.ok) expect(received.nextHeader).toBe(config.mode === 'tunnel' ? (inner[0] >> 4 === 4 ? 4 : 41) : ipLayout(inner)!.protocol);
      }),
      { numRuns: 300 },
    );
  });

  it('encapsulatePayload then decapsulatePayload is the identity (bare ESP), over many packets', () => {
    fc.assert(
      fc.property(configArb, fc.array(innerPacketArb(300), { minLength: 1, maxLength: 8 }), (config, inners) => {
        const sender = new EspSa(config);
        const receiver = new EspSa(config);
        inners.forEach((inner, i) => {
          const sent = sender.encapsulatePayload(inner);
          if (!sent.ok) throw new Error(sent.detail);
          expect(sent.sequence).toBe(BigInt(i + 1));
          const received = receiver.decapsulatePayload(sent.packet);
          const expected = config.mode === 'tunnel' ? inner : inner.subarray(ipLayout(inner)!.headerLength);
          expect(received).toMatchObject({ ok: true, packet: expected, sequence: BigInt(i + 1) });
        });
      }),
      { numRuns: 150 },
    );
  });

  it('the SA database finds the SA by SPI for every framing', () => {
    fc.assert(
      fc.property(configArb, innerPacketArb(200), (config, inner) => {
        const db = new SaDatabase();
        db.add(new EspSa({ ...config, spi: config.spi === 1 ? 2 : 1 }));
        db.add(new EspSa(config));
        const sent = new EspSa(config).encapsulate(inner);
        if (!sent.ok) throw new Error(sent.detail);
        expect(db.decapsulate(sent.packet)).toMatchObject({ ok: true, packet: inner });
      }),
      { numRuns: 100 },
    );
  });

  it('every single-bit flip from the SPI to the end of the ICV is rejected', () => {
    fc.assert(
      fc.property(configArb, innerPacketArb(40), (config, inner) => {
        const sent = new EspSa(config).encapsulate(inner);
        if (!sent.ok) throw new Error(sent.detail);
        const receiver = new EspSa(config);
        const start = espOffset(sent.packet);
        for (let byte = start; byte < sent.packet.length; byte++) {
          for (let bit = 0; bit < 8; bit++) {
            const flipped = Buffer.from(sent.packet);
            flipped[byte] ^= 1 << bit;
            const result = receiver.decapsulate(flipped);
            if (result.ok) throw new Error(`flip of byte ${byte - start} bit ${bit} (${config.suite}) was accepted`);
          }
        }
        // Nothing above moved the window: the genuine packet still opens.
        expect(receiver.decapsulate(sent.packet)).toMatchObject({ ok: true, packet: inner });
      }),
      { numRuns: 40 },
    );
  });

  it('random bytes never throw, from any entry point', () => {
    const sas = ESP_SUITES.map((suite: EspSuite) => {
      const info = suiteInfo(suite);
      return new EspSa({ spi: 0x01020304, suite, mode: 'transport', natT: true, encryptionKey: Buffer.alloc(info.encryptionKeyLength, 1), integrityKey: info.integrityKeyLength ? Buffer.alloc(info.integrityKeyLength, 2) : undefined });
    });
    const db = new SaDatabase();
    sas.slice(0, 1).forEach((sa) => db.add(sa));
    const ah = new AhSa({ spi: 0x01020304, suite: 'sha256', integrityKey: Buffer.alloc(32, 3), mode: 'transport' });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const buf = Buffer.from(bytes);
        for (const sa of sas) {
          expect(typeof sa.decapsulate(buf).ok).toBe('boolean');
          expect(typeof sa.decapsulatePayload(buf).ok).toBe('boolean');
          expect(typeof sa.encapsulate(buf).ok).toBe('boolean');
        }
        expect(typeof db.decapsulate(buf).ok).toBe('boolean');
        expect(typeof db.decapsulatePayload(buf).ok).toBe('boolean');
        expect(typeof ah.decapsulate(buf).ok).toBe('boolean');
        expect(typeof ah.encapsulate(buf).ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('mangled real packets (truncated, bytes overwritten, lengths edited) never throw and are never accepted', () => {
    fc.assert(
      fc.property(
        configArb,
        innerPacketArb(100),
        fc.array(fc.record({ at: fc.nat(), value: fc.nat(255) }), { minLength: 1, maxLength: 4 }),
        fc.option(fc.nat(), { nil: undefined }),
        (config, inner, edits, cut) => {
          const sent = new EspSa(config).encapsulate(inner);
          if (!sent.ok) throw new Error(sent.detail);
          const mangled = Buffer.from(sent.packet);
          const start = espOffset(mangled);
          let changed = false;
          for (const edit of edits) {
            const at = start + (edit.at % (mangled.length - start));
            changed ||= mangled[at] !== edit.value;
            mangled[at] = edit.value;
          }
          const packet = cut === undefined ? mangled : mangled.subarray(0, cut % mangled.length);
          const result = new EspSa(config).decapsulate(packet);
          if (changed || cut !== undefined) expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('replayed packets are refused, whatever the delivery order', () => {
    fc.assert(
      fc.property(
        suiteArb,
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 80 }),
        (suite, esn, count, picks) => {
          const info = suiteInfo(suite);
          const config: SaConfig = { spi: 7, suite, mode: 'tunnel', esn, replayWindow: 64, outer: { src: '192.0.2.1', dst: '192.0.2.2' }, encryptionKey: Buffer.alloc(info.encryptionKeyLength, 9), integrityKey: info.integrityKeyLength ? Buffer.alloc(info.integrityKeyLength, 8) : undefined };
          const sender = new EspSa(config);
          const inner = buildIpPacket({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: Buffer.alloc(20) });
          const packets = Array.from({ length: count }, () => {
            const sent = sender.encapsulate(inner);
            if (!sent.ok) throw new Error(sent.detail);
            return sent.packet;
          });
          const receiver = new EspSa(config);
          const delivered = new Set<number>();
          for (const pick of picks) {
            const index = pick % count;
            const result = receiver.decapsulate(packets[index]);
            // Fewer than 64 packets: every first delivery lies inside the window.
            expect([index, result.ok ? 'ok' : result.reason]).toEqual([index, delivered.has(index) ? 'replay' : 'ok']);
            delivered.add(index);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

/**
 * `initialSequence`: an SA resumed or taken over at a given sequence number. The sender's first packet
 * carries it (low half on the wire, high half in the ICV with ESN), the receiver refuses anything below it,
 * the counter still refuses to wrap, and a bad value is a clear error naming the field.
 */
import { AhSa, EspSa } from '../../lib/esp';
import { pingPacket, saConfig } from './helpers';

interface Start {
  esn?: boolean;
  initialSequence?: number | bigint;
}
type Sa = EspSa | AhSa;

// One base config per kind, so every SA made from it shares the keys (sender and receiver of one direction).
const cbc = saConfig('aes256-sha256', { replayWindow: 64 });
const gcm = saConfig('aes128gcm16', { replayWindow: 64 });
const ahBase = { spi: 0x1000, suite: 'sha256', integrityKey: Buffer.alloc(32, 0x5a), mode: 'transport', replayWindow: 64 } as const;
const kinds: [string, (start: Start) => Sa, number][] = [
  ['ESP aes256-sha256', (start) => new EspSa({ ...cbc, ...start }), 20 + 4],
  ['ESP aes128gcm16', (start) => new EspSa({ ...gcm, ...start }), 20 + 4],
  ['AH sha256', (start) => new AhSa({ ...ahBase, ...start }), 20 + 8],
];
const inner = pingPacket();

function send(sa: Sa): bigint {
  const sent = sa.encapsulate(inner);
  if (!sent.ok) throw new Error(sent.detail);
  return sent.sequence;
}

describe.each(kinds)('%s with initialSequence', (_name, make, seqOffset) => {
  it.each([
    [false, 1000, 1000n],
    [false, 0xfffffff0, 0xfffffff0n],
    [true, 2 ** 32 + 5, 2n ** 32n + 5n],
    [true, 2 ** 53 - 1, 2n ** 53n - 1n],
    [true, 2n ** 63n + 17n, 2n ** 63n + 17n],
    [true, 0xffffffffn, 0xffffffffn],
  ])('esn %p, start %p: the first packet carries it, the receiver accepts from it on and refuses below it', (esn, start, first) => {
    const sender = make({ esn, initialSequence: start });
    const receiver = make({ esn, initialSequence: start });
    const packets = [0, 1, 2].map(() => sender.encapsulate(inner));
    packets.forEach((p, i) => {
      if (!p.ok) throw new Error(p.detail);
      expect(p.sequence).toBe(first + BigInt(i));
      expect(p.packet.readUInt32BE(seqOffset)).toBe(Number((first + BigInt(i)) & 0xffffffffn));
    });
    // Out of order within the window is still fine; each exactly once.
    for (const i of [2, 0, 1]) {
      const p = packets[i];
      if (!p.ok) throw new Error(p.detail);
      expect(receiver.decapsulate(p.packet)).toMatchObject({ ok: true, packet: inner, sequence: first + BigInt(i) });
      expect(receiver.decapsulate(p.packet)).toMatchObject({ ok: false, reason: 'replay' });
    }
    // Authentic packets from a sender behind the start count as already received. Further back than the
    // window, ESN puts them 2^32 ahead instead (RFC 4303 Appendix A3), where the ICV fails.
    for (const behind of [1n, 63n, 64n, 65n, 1000n]) {
      if (first - behind < 1n) continue;
      const old = make({ esn, initialSequence: first - behind }).encapsulate(inner);
      if (!old.ok) throw new Error(old.detail);
      const reason = esn && behind > 64n ? 'authentication-failed' : 'replay';
      expect([behind, make({ esn, initialSequence: start }).decapsulate(old.packet)]).toMatchObject([behind, { ok: false, reason }]);
    }
  });

  it('refuses to wrap: the last number is sent, the next is sequence-overflow (32-bit and 64-bit)', () => {
    for (const [esn, last] of [
      [false, 0xffffffffn],
      [true, 2n ** 64n - 1n],
    ] as const) {
      const sender = make({ esn, initialSequence: last - 1n });
      const receiver = make({ esn, initialSequence: last - 1n });
      for (const n of [last - 1n, last]) {
        const p = sender.encapsulate(inner);
        if (!p.ok) throw new Error(p.detail);
        expect(p.sequence).toBe(n);
        expect(receiver.decapsulate(p.packet)).toMatchObject({ ok: true, sequence: n });
      }
      expect(sender.encapsulate(inner)).toMatchObject({ ok: false, reason: 'sequence-overflow' });
      expect(sender.encapsulate(inner)).toMatchObject({ ok: false, reason: 'sequence-overflow' });
    }
  });

  it('unset and 1 are the same start', () => {
    expect(send(make({}))).toBe(1n);
    expect(send(make({ initialSequence: 1 }))).toBe(1n);
    expect(send(make({ initialSequence: 1n, esn: true }))).toBe(1n);
  });

  it.each([
    [false, 0, /`initialSequence` must be an integer from 1 to 2\^32 - 1 \(more needs `esn`\), not 0$/],
    [false, -1, /not -1$/],
    [false, 1.5, /not 1\.5$/],
    [false, Number.NaN, /not NaN$/],
    [false, '5', /not "5"$/],
    [false, 2 ** 32, /more needs `esn`\), not 4294967296$/],
    [false, 2n ** 32n, /not 4294967296n$/],
    [true, 0n, /from 1 to 2\^64 - 1 \(a bigint past 2\^53 - 1\), not 0n$/],
    [true, 2n ** 64n, /not 18446744073709551616n$/],
    [true, 2 ** 53, /not 9007199254740992$/],
  ])('esn %p: initialSequence %p is refused, naming the field and the value', (esn, value, message) => {
    expect(() => make({ esn, initialSequence: value as never })).toThrow(message);
  });
});

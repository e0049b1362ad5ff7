/**
 * Bounded fuzzing of the state machine: 100,000 malformed or mutated datagrams (bit flips, byte stores,
 * truncations, extensions, spliced payloads, header rewrites, random bytes behind real SPIs) delivered to
 * IKE SAs in every state. Nothing may throw; in every state whose progress needs authentication
 * (responder awaiting IKE_AUTH, initiator awaiting its answer, established both sides) no unauthenticated
 * datagram may change anything; and the heap stays flat.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import type { IkeSa, Source } from '../../lib/ike/ike-sa';
import { seededRandom, Wire } from './wire';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

const PER_STATE = 20_000;
const ECP = { ike: ['aes128-sha256-ecp256'], esp: ['aes128gcm16-ecp256'] };

/** A deterministic mutator over a corpus of real datagrams. */
function mutator(corpus: readonly Buffer[], seed: string): () => Buffer {
  const random = seededRandom(seed);
  const int = (n: number) => (n <= 0 ? 0 : random(4).readUInt32BE(0) % n);
  const mutate = (base: Buffer): Buffer => {
    switch (int(8)) {
      case 0: {
        for (let k = 0, n = 1 + int(4); k < n; k++) base[int(base.length)] ^= 1 << int(8);
        return base;
      }
      case 1: {
        for (let k = 0, n = 1 + int(8); k < n; k++) base[int(base.length)] = int(256);
        return base;
      }
      case 2:
        return base.subarray(0, int(base.length));
      case 3:
        return Buffer.concat([base, random(1 + int(64))]);
      case 4: {
        // A payload length or count field rewritten: bytes 28 onwards are the first generic header.
        const at = 28 + int(Math.max(1, base.length - 28));
        if (at + 1 < base.length) base.writeUInt16BE(int(0x10000), at);
        return base;
      }
      case 5: {
        base[18] = 33 + int(6); // exchange type
        base[19] = int(256); // flags
        base.writeUInt32BE(int(4), 20); // message ID
        return base;
      }
      case 6: {
        const other = corpus[int(corpus.length)];
        const cut = int(Math.min(base.length, other.length));
        return Buffer.concat([base.subarray(0, cut), other.subarray(cut)]);
      }
      default:
        return Buffer.concat([base.subarray(0, 28), random(int(400))]);
    }
  };
  return () => {
    const out = mutate(Buffer.from(corpus[int(corpus.length)]));
    // A splice can rebuild a real (authentic) datagram exactly; that one is no fuzz input.
    if (corpus.some((c) => c.equals(out))) out[int(out.length)] ^= 0x80;
    return out;
  };
}

/** Everything observable about an SA, to compare before and after a datagram. */
function snapshot(sa: IkeSa): string {
  return JSON.stringify({ state: sa.state, spis: sa.spis, children: sa.children.map((c) => [c.inSpi, c.outSpi, c.state, c.rekeyAt, c.expireAt]), deadline: sa.nextDeadline() });
}

const from = (address: string, natT: boolean): Source => ({ address, port: natT ? 4500 : 500, natT });

function recordingWire(): { w: Wire; corpus: Buffer[] } {
  const w = new Wire(ECP);
  const corpus: Buffer[] = [];
  w.policy = ({ bytes }) => {
    corpus.push(Buffer.from(bytes));
    return 'deliver';
  };
  return { w, corpus };
}

function fuzz(sa: IkeSa, address: string, next: () => Buffer, count: number, frozen: boolean, now: number): number {
  let changes = 0;
  for (let k = 0; k < count; k++) {
    const before = frozen ? snapshot(sa) : '';
    const step = sa.receive(next(), from(address, (k & 1) === 1), now);
    expect(Array.isArray(step.send)).toBe(true);
    if (frozen && snapshot(sa) !== before) changes++;
  }
  return changes;
}

describe('fuzzing the IKE state machine (100,000 datagrams)', () => {
  // A corpus from a whole lifecycle: handshake, CHILD_SA and IKE SA rekeys, DPD, DELETE.
  const { w: lifecycle, corpus } = recordingWire();
  lifecycle.handshake();
  lifecycle.take('i', lifecycle.i.rekeyChild(lifecycle.now));
  lifecycle.settle();
  lifecycle.take('r', lifecycle.r.rekeyIke(lifecycle.now));
  lifecycle.settle();
  lifecycle.take('i', lifecycle.i.checkLiveness(lifecycle.now));
  lifecycle.settle();

  test('an idle responder and an initiator waiting for IKE_SA_INIT: no exception', () => {
    const next = mutator(corpus, 'init');
    const fresh = () => new Wire(ECP);
    let responder = fresh().r;
    let initiator = fresh();
    initiator.take('i', initiator.i.start(initiator.now));
    for (let k = 0; k < PER_STATE / 2; k++) {
      responder.receive(next(), from('192.0.2.1', false), 0);
      if (responder.state !== 'idle') responder = fresh().r;
      initiator.i.receive(next(), from('192.0.2.2', false), 0);
      if (initiator.i.state !== 'init-sent') {
        initiator = fresh();
        initiator.take('i', initiator.i.start(initiator.now));
      }
    }
  });

  test('awaiting IKE_AUTH (both sides): nothing unauthenticated changes anything', () => {
    // Another pair's whole handshake joins the corpus (same SPIs, other keys).
    const { w, corpus: own } = recordingWire();
    w.handshake();
    // A half-open pair: the IKE_SA_INIT response delivered, the IKE_AUTH request held back.
    const half = new Wire(ECP);
    half.take('i', half.i.start(half.now));
    const request = half.queue.shift()!;
    half.take('r', half.r.receive(request.datagram.bytes, { ...request.from, natT: false }, half.now));
    const response = half.queue.shift()!;
    half.take('i', half.i.receive(response.datagram.bytes, { ...response.from, natT: false }, half.now));
    const auth = half.queue.shift()!;
    expect(half.r.state).toBe('init-replied');
    expect(half.i.state).toBe('auth-sent');
    const next = mutator([...corpus, ...own, request.datagram.bytes, response.datagram.bytes, auth.datagram.bytes], 'auth');
    expect(fuzz(half.r, '192.0.2.1', next, PER_STATE, true, half.now)).toBe(0);
    expect(fuzz(half.i, '192.0.2.2', next, PER_STATE, true, half.now)).toBe(0);
    // The real IKE_AUTH request still completes the handshake afterwards.
    half.take('r', half.r.receive(auth.datagram.bytes, { ...auth.from, natT: false }, half.now));
    half.settle();
    expect(half.i.state).toBe('established');
  });

  test('established, both sides, heap flat: nothing unauthenticated changes anything', () => {
    const { w, corpus: own } = recordingWire();
    w.handshake();
    const next = mutator([...corpus, ...own], 'established');
    fuzz(w.i, '192.0.2.2', next, 2000, true, w.now); // warm-up
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    expect(fuzz(w.i, '192.0.2.2', next, PER_STATE, true, w.now)).toBe(0);
    expect(fuzz(w.r, '192.0.2.1', next, PER_STATE - 2000, true, w.now)).toBe(0);
    gc();
    const grown = process.memoryUsage().heapUsed - heapBefore;
    expect(grown).toBeLessThan(8 * 1024 * 1024);
    // Still fully working: a rekey and a liveness check go through.
    w.take('i', w.i.rekeyChild(w.now));
    w.settle();
    w.take('r', w.r.checkLiveness(w.now));
    w.settle();
    expect(w.eventsOf('r', 'peer-alive')).toHaveLength(1);
  });
});

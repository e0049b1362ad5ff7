/**
 * The replay window against an independent reference model of RFC 4303 section 3.4.3 and Appendix A,
 * on random streams (fast-check) that cross 2^32 and run up to 2^64 - 1, windows 32..65536 (and 0 = off).
 *
 * The model is deliberately naive: BigInt sequence numbers and a Set of every number received. Its ESN
 * inference is Appendix A3 restated without the two cases: the received number is the one candidate
 * (Th - 1, Th or Th + 1 in front of the low half) that lies in [B, B + 2^32), B = T - W + 1 the bottom of
 * the window, i.e. B + ((Seql - B) mod 2^32).
 */
import fc from 'fast-check';
import { screenSequence } from '../../lib/esp/inbound';
import { ReplayWindow } from '../../lib/esp/replay-window';

const TWO_32 = 1n << 32n;
const MAX_SEQ = (1n << 64n) - 1n;

type Verdict = 'new' | 'replay' | 'sequence-overflow';

class ReferenceWindow {
  private top = 0n;
  private readonly received = new Set<bigint>();
  /** Every number at or below this counts as received (an SA started above it). */
  private receivedUpTo = 0n;

  constructor(
    private readonly size: number,
    private readonly esn: boolean,
  ) {}

  startAt(top: bigint, everythingBelowReceived: boolean): void {
    this.top = top;
    this.receivedUpTo = everythingBelowReceived ? top : 0n;
  }

  /** The full number a receiver reconstructs from the 32 bits on the wire. */
  infer(low: bigint): bigint {
    if (!this.esn) return low;
    const w = BigInt(this.size === 0 ? 2 ** 31 : this.size);
    const bottom = this.top - w + 1n;
    return bottom + ((((low - bottom) % TWO_32) + TWO_32) % TWO_32);
  }

  verdict(n: bigint): Verdict {
    if (n > MAX_SEQ) return 'sequence-overflow';
    if (n <= 0n) return 'replay'; // 0 is never sent; negative: below sequence number 0
    if (this.size === 0 || n > this.top) return 'new';
    if (this.top - n >= BigInt(this.size)) return 'replay';
    return this.received.has(n) || n <= this.receivedUpTo ? 'replay' : 'new';
  }

  accept(n: bigint): void {
    this.received.add(n);
    if (n > this.top) this.top = n;
  }

  get highest(): bigint {
    return this.top;
  }
}

const halves = (n: bigint): [number, number] => [Number(n >> 32n), Number(n & 0xffffffffn)];

/** Where a stream starts: near a 2^32 boundary (and near 2^64) often, anywhere sometimes. */
const startArb = (esn: boolean): fc.Arbitrary<bigint> => {
  const low = fc.oneof(fc.integer({ min: 0, max: 70000 }), fc.integer({ min: 0, max: 70000 }).map((d) => 0xffffffff - d), fc.nat(0xffffffff));
  if (!esn) return low.map(BigInt);
  const high = fc.oneof(
    fc.constantFrom(0, 1, 2 ** 26 - 1, 2 ** 26, 2 ** 26 + 1, 2 ** 31, 0xfffffffe, 0xffffffff),
    fc.integer({ min: 2 ** 26, max: 0xffffffff }),
    fc.nat(0xffffffff),
  );
  return fc.tuple(high, low).map(([h, l]) => (BigInt(h) << 32n) | BigInt(l));
};

interface Step {
  /** The sender's number, relative to the receiver's current top. */
  readonly delta: bigint;
  /** false: a forgery, which fails the ICV whatever its number. */
  readonly authentic: boolean;
}

const stepArb = (size: number): fc.Arbitrary<Step> => {
  const w = Math.max(size, 32);
  const delta = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: -w - 40, max: 40 }) },
    { weight: 2, arbitrary: fc.constantFrom(-w, -w + 1, 0, 1, 2) },
    { weight: 1, arbitrary: fc.integer({ min: -3 * w, max: 3 * w }) },
    { weight: 1, arbitrary: fc.integer({ min: -(2 ** 32) - 2 * w, max: 2 ** 32 + 2 * w }) },
  );
  return fc.record({ delta: delta.map(BigInt), authentic: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) });
};

const sizeArb = fc.oneof(fc.constantFrom(0, 32, 33, 63, 64, 65, 1024, 4096, 65535, 65536), fc.integer({ min: 32, max: 65536 }));

/** What the random streams covered, asserted below so a weakened generator fails the test. */
const coverage = { verdicts: 0, accepted: 0, refused: 0, crossed2to32: 0, highPast2to26: 0, near2to64: 0, overflow: 0 };

/** Runs one stream through the engine's window and the model; returns the first disagreement, or undefined. */
function disagreement(size: number, esn: boolean, start: bigint, startKind: 'fresh' | 'restart' | 'above', steps: Step[]): string | undefined {
  const window = new ReplayWindow(size);
  const model = new ReferenceWindow(size, esn);
  if (startKind !== 'fresh') {
    const [hi, lo] = halves(start);
    if (startKind === 'restart') window.restartAt(hi, lo);
    else window.startAbove(hi, lo);
    model.startAt(start, startKind === 'above');
  }
  for (const [i, step] of steps.entries()) {
    const sent = model.highest + step.delta;
    if (sent < 0n || sent > MAX_SEQ) continue; // a sender never produces these
    if (!esn && sent >= TWO_32) continue;
    const low = sent & 0xffffffffn;
    const inferred = model.infer(low);
    const expected = model.verdict(inferred);
    const screened = screenSequence(window, esn, Number(low));
    const got: Verdict = typeof screened === 'number' ? 'new' : (screened.reason as Verdict);
    const where = `step ${i}: sent ${sent} (top ${model.highest}, window ${size}, esn ${esn})`;
    if (got !== expected) return `${where}: engine says ${got}, model says ${expected} for ${inferred}`;
    coverage.verdicts++;
    if (got === 'sequence-overflow') coverage.overflow++;
    if (got !== 'new') coverage.refused++;
    if (typeof screened !== 'number') continue;
    if (BigInt(screened) !== inferred >> 32n) return `${where}: engine infers high half ${screened}, model ${inferred >> 32n}`;
    // The ICV covers the high half: a misinferred number fails it just like a forgery.
    if (step.authentic && inferred === sent) {
      if (sent >> 32n !== model.highest >> 32n) coverage.crossed2to32++;
      if (sent >> 32n >= 1n << 26n) coverage.highPast2to26++;
      if (sent > MAX_SEQ - (1n << 33n)) coverage.near2to64++;
      coverage.accepted++;
      window.accept(screened, Number(low));
      model.accept(sent);
      const top = window.top;
      if ((BigInt(top[0]) << 32n) + BigInt(top[1]) !== model.highest) return `${where}: engine top ${top} after accepting`;
    }
  }
  return undefined;
}

describe('replay window vs a reference model of RFC 4303 section 3.4.3 / Appendix A', () => {
  const streamArb = fc.boolean().chain((esn) =>
    fc.record({
      esn: fc.constant(esn),
      size: sizeArb,
      start: startArb(esn),
      startKind: fc.constantFrom<'fresh' | 'restart' | 'above'>('fresh', 'restart', 'above'),
    }),
  );

  it('agrees on every verdict and inferred high half, on random streams crossing 2^32 and near 2^64', () => {
    fc.assert(
      fc.property(
        streamArb.chain((s) => fc.record({ stream: fc.constant(s), steps: fc.array(stepArb(s.size), { minLength: 1, maxLength: 300, size: 'max' }) })),
        ({ stream, steps }) => {
          const problem = disagreement(stream.size, stream.esn, stream.start, stream.startKind, steps);
          if (problem) throw new Error(problem);
        },
      ),
      { numRuns: 1000 },
    );
    if (process.env.ESP_FIGURES) console.log(`replay model: ${JSON.stringify(coverage)}`);
    expect(coverage.verdicts).toBeGreaterThan(100000);
    expect(Math.min(coverage.accepted, coverage.refused, coverage.crossed2to32, coverage.highPast2to26, coverage.near2to64, coverage.overflow)).toBeGreaterThan(20);
  });

  it('in order, ESN, across every 2^32 boundary class: each number once, each replay refused', () => {
    for (const high of [0, 1, 2 ** 26, 2 ** 27 + 3, 2 ** 31, 0xfffffffe]) {
      for (const size of [32, 64, 65536]) {
        const steps: Step[] = [];
        for (let i = 0; i < 200; i++) steps.push({ delta: 1n, authentic: true }, { delta: -BigInt(i % size), authentic: true });
        const start = (BigInt(high) << 32n) | 0xffffff9cn; // 100 below the boundary
        expect(disagreement(size, true, start, 'restart', steps)).toBeUndefined();
      }
    }
  });

  it('a replay inside the window is refused with the high half past 2^26 (the word index once exceeded 2^53)', () => {
    // Before the fix, 1001 was accepted again after 1056 here: the slide cleared a word still in the window.
    const window = new ReplayWindow(64);
    const hi = 2 ** 31 + 12345;
    window.restartAt(hi, 1000);
    for (let lo = 1001; lo < 1200; lo++) {
      expect([lo, screenSequence(window, true, lo)]).toEqual([lo, hi]);
      window.accept(hi, lo);
      for (let old = Math.max(1001, lo - 63); old <= lo; old++) expect([lo, old, window.check(hi, old)]).toEqual([lo, old, 1]);
    }
  });

  it('startAbove counts the top and everything below it as received, nothing above it', () => {
    for (const size of [32, 64, 100, 65536]) {
      for (const lo of [0x1f, 0x20, 0x21, 1000, 0xffffffff]) {
        const window = new ReplayWindow(size);
        window.startAbove(5, lo);
        expect([size, lo, window.check(5, lo)]).toEqual([size, lo, 1]);
        expect([size, lo, window.check(5, lo - 1)]).toEqual([size, lo, 1]);
        expect([size, lo, window.check(lo === 0xffffffff ? 6 : 5, (lo + 1) >>> 0)]).toEqual([size, lo, 0]);
        const next = lo === 0xffffffff ? [6, 0] : [5, lo + 1];
        const later = lo === 0xffffffff ? [6, 5] : [5, lo + 5];
        window.accept(later[0], later[1]);
        expect([size, lo, window.check(next[0], next[1])]).toEqual([size, lo, 0]);
      }
    }
  });
});

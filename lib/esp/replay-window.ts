/**
 * Inbound anti-replay (RFC 4303 section 3.4.3 and Appendix A): a sliding bitmap window over 64-bit
 * sequence numbers kept as two uint32 halves, plus the high-half inference of Appendix A3.
 *
 * Two steps, used in this order: `check` before the ICV is verified (cheap rejection, no state change),
 * `accept` only after the ICV is good (so forged packets can not move the window).
 */

const TWO_32 = 4294967296;
const BITS_PER_WORD = 32;
const WORDS_PER_SUBSPACE = TWO_32 / BITS_PER_WORD;

/** Window sizes outside 32..MAX_REPLAY_WINDOW (and not 0 = off) are refused. */
export const MIN_REPLAY_WINDOW = 32;
export const MAX_REPLAY_WINDOW = 65536;

/** Result of {@link ReplayWindow.check}. */
export const ReplayCheck = {
  New: 0,
  Duplicate: 1,
  /** Below the bottom of the window. */
  TooOld: 2,
  /** Sequence number 0 is never sent (RFC 4303 section 2.2). */
  Zero: 3,
} as const;
export type ReplayCheck = (typeof ReplayCheck)[keyof typeof ReplayCheck];

export class ReplayWindow {
  /** Window size in packets; 0 means anti-replay is off (the highest number is still tracked for ESN). */
  readonly size: number;
  private readonly bitmap: Uint32Array;
  /** Ring length in words minus one; the ring is a power of two words, at least one word longer than the window. */
  private readonly wordMask: number;
  private readonly bitMask: number;
  /** T, the highest authenticated sequence number (0 before the first packet). */
  private topHi = 0;
  private topLo = 0;

  constructor(size: number) {
    if (!Number.isInteger(size) || (size !== 0 && (size < MIN_REPLAY_WINDOW || size > MAX_REPLAY_WINDOW))) {
      throw new Error(`\`replayWindow\` must be 0 (off) or an integer from ${MIN_REPLAY_WINDOW} to ${MAX_REPLAY_WINDOW}, not ${size}`);
    }
    this.size = size;
    let words = 1;
    while (words * BITS_PER_WORD < size + BITS_PER_WORD) words *= 2;
    this.bitmap = new Uint32Array(words);
    this.wordMask = words - 1;
    this.bitMask = words * BITS_PER_WORD - 1;
  }

  /** The highest authenticated sequence number so far, as [high, low] uint32 halves. */
  get top(): [number, number] {
    return [this.topHi, this.topLo];
  }

  /**
   * The high 32 bits of a received ESN packet whose low 32 bits are `lo` (RFC 4303 Appendix A3): the
   * value that puts it inside or above the window. Returns -1 when it would lie below sequence number 0,
   * and 2^32 when it would lie above 2^64 - 1; callers treat both as unacceptable.
   * With anti-replay off, the window is taken as half the 32-bit space.
   */
  inferHigh(lo: number): number {
    const w = this.size === 0 ? 2 ** 31 : this.size;
    const tl = this.topLo;
    const th = this.topHi;
    if (tl >= w - 1) {
      // Case A: the window lies within one 2^32 subspace.
      return lo >= tl - w + 1 ? th : th + 1;
    }
    // Case B: the window spans two subspaces; its bottom is in the previous one.
    return lo >= tl - w + 1 + TWO_32 ? th - 1 : th;
  }

  /** Forgets every seen number and makes (hi, lo) the highest one (resuming saved state; tests). */
  restartAt(hi: number, lo: number): void {
    this.bitmap.fill(0);
    this.topHi = hi;
    this.topLo = lo;
  }

  /**
   * Forgets the window and makes (hi, lo) the highest number, every number up to it counted as received:
   * only numbers above it are accepted (an SA resumed or taken over at a given sequence number).
   */
  startAbove(hi: number, lo: number): void {
    this.restartAt(hi, lo);
    if (this.size === 0) return;
    this.bitmap.fill(0xffffffff);
    // The top's own word also holds numbers above the top; they have not been received.
    const above = (lo & 31) === 31 ? 0 : ~0 << ((lo & 31) + 1);
    this.bitmap[(lo >>> 5) & this.wordMask] &= ~above;
  }

  /** Step 1 (before the ICV): is (hi, lo) acceptable? Changes nothing. */
  check(hi: number, lo: number): ReplayCheck {
    if (hi === 0 && lo === 0) return ReplayCheck.Zero;
    if (this.size === 0) return ReplayCheck.New;
    // How far below the top (hi, lo) lies, computed from the halves so it stays exact up to 2^64.
    let behind: number;
    if (hi === this.topHi) {
      if (lo > this.topLo) return ReplayCheck.New;
      behind = this.topLo - lo;
    } else if (hi > this.topHi) {
      return ReplayCheck.New;
    } else {
      if (this.topHi - hi > 1) return ReplayCheck.TooOld;
      behind = this.topLo + (TWO_32 - lo);
    }
    if (behind >= this.size) return ReplayCheck.TooOld;
    const bit = lo & this.bitMask;
    return (this.bitmap[bit >>> 5] & (1 << (bit & 31))) === 0 ? ReplayCheck.New : ReplayCheck.Duplicate;
  }

  /** Step 2 (after the ICV verified): marks (hi, lo) as seen, sliding the window when it is the new top. */
  accept(hi: number, lo: number): void {
    if (hi > this.topHi || (hi === this.topHi && lo > this.topLo)) {
      if (this.size !== 0) this.slide(hi, lo);
      this.topHi = hi;
      this.topLo = lo;
    }
    if (this.size === 0) return;
    const bit = lo & this.bitMask;
    this.bitmap[bit >>> 5] |= 1 << (bit & 31);
  }

  /**
   * Clears the ring words after the old top's word up to the new top's word (at most the whole ring).
   * Word numbers are 59 bits wide, so the distance is taken from the high halves first, never as one number.
   */
  private slide(hi: number, lo: number): void {
    const ringWords = this.wordMask + 1;
    const highGap = hi - this.topHi;
    const steps = highGap > 1 ? ringWords : Math.min(highGap * WORDS_PER_SUBSPACE + (lo >>> 5) - (this.topLo >>> 5), ringWords);
    let index = this.topLo >>> 5;
    for (let i = 0; i < steps; i++) {
      index = (index + 1) & this.wordMask;
      this.bitmap[index] = 0;
    }
  }
}

/** Why a sequence number was refused, for a drop result's detail. */
export function replayRefusal(check: ReplayCheck, hi: number, lo: number): string {
  const seq = hi === 0 ? String(lo) : String(BigInt(hi) * 4294967296n + BigInt(lo));
  if (check === ReplayCheck.Zero) return 'sequence number 0 is never sent';
  return check === ReplayCheck.Duplicate ? `sequence number ${seq} was already received` : `sequence number ${seq} lies below the window`;
}

import { checkInitialSequence } from './config';
import { ReplayWindow } from './replay-window';

const DEFAULT_REPLAY_WINDOW = 64;

/**
 * The outbound sequence counter (RFC 4303 section 3.3.3): 32-bit or 64-bit (ESN), starting at 1, never
 * wrapping. Kept as two uint32 halves so the per-packet path does no BigInt arithmetic.
 */
export class OutboundSequence {
  private hi = 0;
  private lo = 0;

  constructor(private readonly esn: boolean) {}

  /** Advances to the next number; false (counter unchanged) when that would wrap: the SA must be rekeyed. */
  next(): boolean {
    if (this.lo !== 0xffffffff) {
      this.lo++;
      return true;
    }
    if (!this.esn || this.hi === 0xffffffff) return false;
    this.hi++;
    this.lo = 0;
    return true;
  }

  /** High half of the number `next()` just produced. */
  get high(): number {
    return this.hi;
  }

  /** Low half (the on-the-wire field) of the number `next()` just produced. */
  get low(): number {
    return this.lo;
  }

  /** Makes the next number `value + 1` (an SA started at a given number; tests). */
  setLast(value: bigint): void {
    this.hi = Number(value >> 32n) >>> 0;
    this.lo = Number(value & 0xffffffffn);
  }
}

/** (hi, lo) as one bigint, for results. */
export function sequenceOf(hi: number, lo: number): bigint {
  return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
}

/** The sequence fields an ESP or AH SA config shares. */
export interface SequenceConfig {
  readonly replayWindow?: number;
  readonly initialSequence?: number | bigint;
}

/**
 * The outbound counter and inbound window of a new SA. With `initialSequence` S > 1, the first packet
 * sent is S and inbound numbers up to S - 1 count as already received. Throws on a bad field.
 */
export function startSequences(config: SequenceConfig, esn: boolean): { outbound: OutboundSequence; window: ReplayWindow } {
  const first = checkInitialSequence(config.initialSequence, esn);
  const outbound = new OutboundSequence(esn);
  const window = new ReplayWindow(config.replayWindow ?? DEFAULT_REPLAY_WINDOW);
  if (first > 1n) {
    const last = first - 1n;
    outbound.setLast(last);
    window.startAbove(Number(last >> 32n), Number(last & 0xffffffffn));
  }
  return { outbound, window };
}

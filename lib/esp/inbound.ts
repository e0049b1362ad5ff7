/** Step 1 of inbound sequence handling, shared by ESP and AH: infer the ESN high half and screen for replays. */
import { ReplayCheck, replayRefusal, ReplayWindow } from './replay-window';
import { drop } from './results';
import type { DecapDrop } from './types';

/**
 * The high 32 bits for the received low half `lo` (always 0 without ESN), or the drop result when the
 * number is a replay, below the window, or past 2^64 - 1. Changes nothing; `window.accept` comes after the ICV.
 */
export function screenSequence(window: ReplayWindow, esn: boolean, lo: number): number | DecapDrop {
  const hi = esn ? window.inferHigh(lo) : 0;
  if (hi < 0) return drop('replay', `sequence number ${lo} lies below the window`);
  if (hi > 0xffffffff) return drop('sequence-overflow', 'sequence number would exceed 2^64 - 1');
  const check = window.check(hi, lo);
  return check === ReplayCheck.New ? hi : drop('replay', replayRefusal(check, hi, lo));
}

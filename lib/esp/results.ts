/** Small constructors for failure results, so every drop carries a reason and a human detail. */
import type { DecapDrop, DropReason, EncapFailure, EncapResult } from './types';

export function drop(reason: DropReason, detail: string): DecapDrop {
  return { ok: false, reason, detail };
}

export function refuse(reason: EncapFailure, detail: string): EncapResult {
  return { ok: false, reason, detail };
}

/** A bug must not escape as an exception from a per-packet call: report it as a result instead. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

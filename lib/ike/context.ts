/**
 * One IKE SA in the RFC's sense: SPIs, negotiated suite, keys per direction, message-ID windows (size 1
 * each way) and the request in flight. `IkeSa` keeps one current context and, briefly after a rekey, the
 * old one until its DELETE completes.
 */
import type { IkeKeys } from './crypto/ike-keys';
import type { SkKeys } from './crypto/encrypted-payload';
import type { IkeSuite } from './crypto/suite';
import type { Payload } from './message/payload';
import type { Selection } from './proposals';

export interface PendingRequest {
  readonly exchange: number;
  readonly name: string;
  readonly messageId: number;
  readonly bytes: Buffer;
  /** Retransmissions so far. */
  attempts: number;
  nextAt: number;
  /** Give up at this time even if retransmissions remain (DPD timeout). */
  readonly giveUpAt?: number;
  readonly onResponse: (payloads: Payload[], now: number) => void;
  readonly onTimeout: (now: number) => void;
}

export interface IkeContext {
  readonly spiI: Buffer;
  readonly spiR: Buffer;
  /** We are the original initiator of this IKE SA (the I flag in our messages). */
  readonly originalInitiator: boolean;
  readonly selection: Selection;
  readonly suite: IkeSuite;
  readonly keys: IkeKeys;
  readonly send: SkKeys;
  readonly recv: SkKeys;
  nextRequestId: number;
  /** The message ID the peer's next request must carry. */
  peerNextId: number;
  /** Our last response, resent when its request is retransmitted (RFC 7296 section 2.1). */
  lastResponse?: { readonly messageId: number; readonly bytes: Buffer };
  pending?: PendingRequest;
  /** Requests waiting for the window. */
  readonly queue: ((now: number) => void)[];
  readonly createdAt: number;
  rekeyAt: number;
  readonly expireAt: number;
  /** Our own rekey of this IKE SA is in flight (collision handling). */
  rekeying?: { readonly ni: Buffer; peer?: { readonly nonces: readonly Buffer[]; readonly fresh: IkeContext } };
}

export function spiText(spiI: Buffer, spiR: Buffer): string {
  return `${spiI.toString('hex')}_${spiR.toString('hex')}`;
}

export function contextMatches(ctx: IkeContext, spiI: Buffer, spiR: Buffer): boolean {
  return ctx.spiI.equals(spiI) && ctx.spiR.equals(spiR);
}

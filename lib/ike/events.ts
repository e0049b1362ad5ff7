/**
 * What the state machine hands back: datagrams to send and events. Timers are one deadline
 * (`IkeSa.nextDeadline()`), at which the owner calls `tick`.
 */
import type { SaConfig } from '../esp/types';
import type { TrafficSelector } from './message/payloads/traffic-selector';

export interface Outgoing {
  readonly bytes: Buffer;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /**
   * Send from the NAT-T socket with the 4-byte non-ESP marker in front (RFC 3948 section 2.2): true once
   * the exchange floated to port 4500.
   */
  readonly natT: boolean;
}

/** A CHILD_SA both ways, ready for the ESP engine. */
export interface ChildSaInfo {
  /** strongSwan proposal text, e.g. `aes256gcm16-ecp384` (with the PFS group when one was used). */
  readonly proposal: string;
  readonly inbound: SaConfig;
  readonly outbound: SaConfig;
  readonly localTs: readonly TrafficSelector[];
  readonly remoteTs: readonly TrafficSelector[];
  /** Traffic selectors as text (`198.51.100.0/24`). */
  readonly localTsText: readonly string[];
  readonly remoteTsText: readonly string[];
}

export type DeleteReason = 'local' | 'peer' | 'dpd-timeout' | 'expired' | 'unreachable' | 'rekeyed' | 'redundant';

export type IkeEvent =
  | {
      readonly type: 'ike-up';
      /** strongSwan proposal text, e.g. `aes256gcm16-prfsha384-ecp384`. */
      readonly proposal: string;
      readonly spiI: string;
      readonly spiR: string;
      /** Either side saw a NAT (or encapsulation was forced): IKE and ESP run over UDP 4500. */
      readonly natT: boolean;
      readonly remoteId: string;
    }
  | { readonly type: 'child-up'; readonly child: ChildSaInfo }
  | {
      readonly type: 'rekeyed';
      readonly what: 'child' | 'ike';
      /** The inbound SPI (child) or SPI pair (IKE) of the SA replaced. */
      readonly old: string;
      readonly new: string;
      readonly child?: ChildSaInfo;
      readonly proposal?: string;
    }
  | { readonly type: 'child-deleted'; readonly inboundSpi: number; readonly outboundSpi: number; readonly reason: DeleteReason }
  | { readonly type: 'deleted'; readonly reason: DeleteReason }
  | {
      readonly type: 'failed';
      /** The exchange that failed. */
      readonly exchange: string;
      /** The RFC 7296 notify (sent or received), e.g. AUTHENTICATION_FAILED; absent for a timeout. */
      readonly notify?: string;
      readonly detail: string;
    }
  /** The peer answered a liveness check (DPD). */
  | { readonly type: 'peer-alive' }
  | { readonly type: 'ignored'; readonly detail: string };

export interface Step {
  readonly send: Outgoing[];
  readonly events: IkeEvent[];
}

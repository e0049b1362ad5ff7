/**
 * What the parent and the endpoint process (peer-main.ts: AWS's side in `verify --live`, our side in the IKE
 * interop tests) say to each other: config, commands, lines.
 */
import type { IkeSaConfig } from '../../ike/config';
import type { DpdAction, PingResult } from './tunnel-endpoint';

/** The IKE SA's policy in JSON: proposals as strongSwan text, the key in hex (absent with certificates). */
export interface PeerConfig {
  readonly ike: Omit<IkeSaConfig, 'psk' | 'ikeProposals' | 'espProposals' | 'random' | 'keyExchange' | 'localPort' | 'localNatPort'>;
  readonly ikeProposals: readonly string[];
  readonly espProposals: readonly string[];
  readonly pskHex?: string;
  readonly insideAddress: string;
  /** What the endpoint does after a DPD timeout (AWS's DPD action). @default 'clear' */
  readonly dpdAction?: DpdAction;
}

export type PeerCommand =
  | { readonly cmd: 'start' | 'rekey-child' | 'rekey-ike' | 'dpd' | 'delete' }
  | { readonly cmd: 'ping'; readonly destination: string; readonly count: number; readonly timeoutMs: number; readonly intervalMs?: number; readonly tag: number }
  | { readonly cmd: 'answered'; readonly tag: number }
  | { readonly cmd: 'exit'; readonly deleteTimeoutMs?: number };

/** An IKE event as printed: `type` plus its fields, CHILD_SA keys replaced by SPIs. */
export type PrintedEvent = Readonly<Record<string, unknown>> & { readonly type: string };

export type PeerLine =
  | { readonly ready: { ikePort: number; natPort: number } }
  | { readonly event: PrintedEvent }
  | { readonly ping: PingResult; readonly tag: number }
  | { readonly answered: number; readonly tag: number };

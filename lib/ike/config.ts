/**
 * What one IKE SA needs to know: addresses and ports, identities and key, proposals, traffic selectors,
 * lifetimes, DPD, retransmission, and the sources of randomness and key exchanges (injected, so tests are
 * deterministic). Built from an endpoint-config tunnel or AWS's tunnel options by `policy.ts`.
 */
import { randomBytes } from 'node:crypto';
import type { DhGroup } from '../algorithms/dh-groups';
import { createKeyExchange, KeyExchange } from '../algorithms/key-exchange';
import type { CertificateCredentials } from './authenticator';
import type { KeyLogSink } from './key-log';
import type { ChoiceRule, ConfiguredProposal } from './proposals';

export interface Lifetimes {
  /** IKE SA lifetime; the SA is rekeyed `marginSeconds` (plus fuzz) before it ends. */
  readonly ikeSeconds: number;
  readonly childSeconds: number;
  readonly marginSeconds: number;
  /** Up to this percentage of the margin is added at random, so two peers rarely rekey at once. */
  readonly fuzzPercent: number;
}

export interface DpdSettings {
  /** Send a liveness check after this many seconds without an inbound message. 0: never. */
  readonly intervalSeconds: number;
  /** Declare the peer dead when a request stays unanswered this long. */
  readonly timeoutSeconds: number;
}

export interface RetransmitSettings {
  /** First retransmission after this many milliseconds. */
  readonly timeoutMs: number;
  /** Each later wait is this factor longer (strongSwan: 1.8). */
  readonly backoff: number;
  /** Retransmissions before giving up. */
  readonly tries: number;
}

export interface IkeSaConfig {
  readonly role: 'initiator' | 'responder';
  readonly localAddress: string;
  readonly remoteAddress: string;
  /** Where IKE starts. @default 500 */
  readonly localPort?: number;
  readonly remotePort?: number;
  /** Where IKE and ESP float when a NAT is detected (RFC 3948). @default 4500 */
  readonly localNatPort?: number;
  readonly remoteNatPort?: number;
  /** Our identity: an IP address (ID_IPV4_ADDR/ID_IPV6_ADDR), `user@host` or an FQDN. */
  readonly localId: string;
  /** The identity the peer must present. @default any */
  readonly remoteId?: string;
  /** The pre-shared key; optional when `certificate` is set. */
  readonly psk?: Buffer;
  /** Certificate authentication (RFC 7427 signatures) instead of, or besides, the key. @default none */
  readonly certificate?: CertificateCredentials;
  /** Wall-clock time, for certificate validity only. @default () => new Date() */
  readonly wallClock?: () => Date;
  readonly ikeProposals: readonly ConfiguredProposal[];
  readonly espProposals: readonly ConfiguredProposal[];
  /** How this side chooses as responder. @default 'configured-order' */
  readonly choiceRule?: ChoiceRule;
  /** Our side's protected networks (CIDRs). */
  readonly localTs: readonly string[];
  readonly remoteTs: readonly string[];
  readonly lifetimes?: Lifetimes;
  readonly dpd?: DpdSettings;
  readonly retransmit?: RetransmitSettings;
  /** Responder: demand a COOKIE round trip before keeping any state (RFC 7296 section 2.6). @default false */
  readonly requireCookie?: boolean;
  /** Behave as if a NAT were detected (float to the NAT-T port and encapsulate ESP). @default false */
  readonly forceEncapsulation?: boolean;
  /** Inbound ESP anti-replay window. @default 64 */
  readonly replayWindow?: number;
  /** Bytes of randomness: SPIs, nonces, IVs, fuzz. @default node:crypto randomBytes */
  readonly random?: (n: number) => Buffer;
  /**
   * Opt-in key log: receives Wireshark UAT rows with the IKE SA keys (once IKE_SA_INIT completes, and on
   * each IKE SA rekey) and the CHILD_SA keys. Secrets: only set this when you asked for a key log.
   * @default none
   */
  readonly keyLog?: KeyLogSink;
  /** A key exchange in a group. @default a fresh node:crypto key pair */
  readonly keyExchange?: (group: DhGroup) => KeyExchange;
}

export const DEFAULT_LIFETIMES: Lifetimes = { ikeSeconds: 28800, childSeconds: 3600, marginSeconds: 270, fuzzPercent: 100 };
export const DEFAULT_RETRANSMIT: RetransmitSettings = { timeoutMs: 4000, backoff: 1.8, tries: 5 };

export interface ResolvedConfig extends IkeSaConfig {
  readonly localPort: number;
  readonly remotePort: number;
  readonly localNatPort: number;
  readonly remoteNatPort: number;
  readonly choiceRule: ChoiceRule;
  readonly lifetimes: Lifetimes;
  readonly retransmit: RetransmitSettings;
  readonly random: (n: number) => Buffer;
  readonly keyExchange: (group: DhGroup) => KeyExchange;
}

function positive(value: number, field: string): void {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`\`${field}\` must be a positive number, not ${value}`);
}

/** Fills defaults and checks what a wrong value would only reveal on the wire. Never echoes the key. */
export function resolveConfig(config: IkeSaConfig): ResolvedConfig {
  if (config.role !== 'initiator' && config.role !== 'responder') throw new Error(`\`role\` must be 'initiator' or 'responder', not ${JSON.stringify(config.role)}`);
  if (config.psk !== undefined && (!Buffer.isBuffer(config.psk) || config.psk.length === 0)) throw new Error('`psk` must be a non-empty Buffer');
  if (config.psk === undefined && config.certificate === undefined) throw new Error('An IKE SA needs a `psk` or `certificate` credentials');
  if (config.ikeProposals.length === 0) throw new Error('`ikeProposals` must hold at least one proposal');
  if (config.espProposals.length === 0) throw new Error('`espProposals` must hold at least one proposal');
  if (config.ikeProposals.some((p) => p.protocol !== 'ike')) throw new Error('`ikeProposals` must all be IKE proposals');
  if (config.espProposals.some((p) => p.protocol !== 'esp')) throw new Error('`espProposals` must all be ESP proposals');
  if (config.localTs.length === 0 || config.remoteTs.length === 0) throw new Error('`localTs` and `remoteTs` must each hold at least one CIDR');
  const lifetimes = config.lifetimes ?? DEFAULT_LIFETIMES;
  positive(lifetimes.ikeSeconds, 'lifetimes.ikeSeconds');
  positive(lifetimes.childSeconds, 'lifetimes.childSeconds');
  if (lifetimes.marginSeconds < 0 || lifetimes.marginSeconds * 2 > Math.min(lifetimes.ikeSeconds, lifetimes.childSeconds) * 2) {
    throw new Error(`\`lifetimes.marginSeconds\` ${lifetimes.marginSeconds} must be from 0 to the shorter lifetime`);
  }
  const retransmit = config.retransmit ?? DEFAULT_RETRANSMIT;
  positive(retransmit.timeoutMs, 'retransmit.timeoutMs');
  return {
    ...config,
    localPort: config.localPort ?? 500,
    remotePort: config.remotePort ?? 500,
    localNatPort: config.localNatPort ?? 4500,
    remoteNatPort: config.remoteNatPort ?? 4500,
    choiceRule: config.choiceRule ?? 'configured-order',
    lifetimes,
    retransmit,
    random: config.random ?? randomBytes,
    keyExchange: config.keyExchange ?? createKeyExchange,
  };
}

/**
 * IKE SA configs from the project's two descriptions of a tunnel:
 * - the customer gateway's side, from an endpoint-config tunnel (`lib/endpoint/model.ts` TunnelConfig,
 *   matched structurally here because lib/ike sits below lib/endpoint);
 * - AWS's side, from the tunnel's options as DescribeVpnConnections returns them (`TunnelOption`), with
 *   AWS's defaults for what is unset and AWS's choice rule (lib/aws-rules.ts).
 * Both give one proposal per cipher kind (strongSwan refuses AEAD and CBC ciphers in one proposal), each
 * allowing every combination of the tunnel's values, which is what AWS accepts.
 */
import type { DhGroup } from '../algorithms/dh-groups';
import { dhGroupById, encryptionByAwsName, encryptionByKeyword, integrityByAwsName, integrityByKeyword, prfForIntegrity } from '../algorithms/lookup';
import type { Proposal } from '../algorithms/proposal';
import type { EncryptionTransform, IntegrityTransform, PrfTransform } from '../algorithms/transforms';
import {
  DPD_INTERVAL_SECONDS,
  DPD_TIMEOUT_SECONDS,
  ENCRYPTION_ALGORITHMS,
  INTEGRITY_ALGORITHMS,
  PHASE1_DH_GROUPS,
  PHASE1_LIFETIME_SECONDS,
  PHASE2_DH_GROUPS,
  PHASE2_LIFETIME_SECONDS,
  REKEY_FUZZ_PERCENTAGE,
  REKEY_MARGIN_TIME_SECONDS,
  REPLAY_WINDOW_SIZE,
} from '../aws-rules';
import type { IkeSaConfig } from './config';

/** The fields of an endpoint-config `TunnelConfig` an IKE SA needs. */
export interface TunnelPolicy {
  readonly name: string;
  readonly local: { readonly outsideAddress: string };
  readonly remote: { readonly outsideAddress: string };
  readonly ike: { readonly encryption: readonly string[]; readonly integrity: readonly string[]; readonly dhGroups: readonly number[]; readonly lifetimeSeconds: number };
  readonly esp: { readonly encryption: readonly string[]; readonly integrity: readonly string[]; readonly pfsGroups: readonly number[]; readonly lifetimeSeconds: number; readonly replayWindow: number };
  readonly rekey: { readonly marginSeconds: number; readonly fuzzPercent: number };
  readonly dpd: { readonly intervalSeconds: number; readonly timeoutSeconds: number };
  readonly startupAction: 'add' | 'start';
}

/** The fields of EC2's `TunnelOption` (DescribeVpnConnections) AWS's endpoint runs by. */
export interface AwsTunnelOptions {
  readonly OutsideIpAddress?: string;
  readonly Phase1LifetimeSeconds?: number;
  readonly Phase2LifetimeSeconds?: number;
  readonly RekeyMarginTimeSeconds?: number;
  readonly RekeyFuzzPercentage?: number;
  readonly ReplayWindowSize?: number;
  readonly DpdTimeoutSeconds?: number;
  readonly Phase1EncryptionAlgorithms?: readonly { readonly Value?: string }[];
  readonly Phase2EncryptionAlgorithms?: readonly { readonly Value?: string }[];
  readonly Phase1IntegrityAlgorithms?: readonly { readonly Value?: string }[];
  readonly Phase2IntegrityAlgorithms?: readonly { readonly Value?: string }[];
  readonly Phase1DHGroupNumbers?: readonly { readonly Value?: number }[];
  readonly Phase2DHGroupNumbers?: readonly { readonly Value?: number }[];
  readonly StartupAction?: string;
}

/** What neither description holds: the key, the other address, traffic selectors, test hooks. */
export interface PolicyExtras extends Partial<Pick<IkeSaConfig, 'random' | 'keyExchange' | 'retransmit' | 'localPort' | 'remotePort' | 'localNatPort' | 'remoteNatPort' | 'forceEncapsulation'>> {
  readonly psk: Buffer;
  /** @default ['0.0.0.0/0'] (AWS's route-based tunnels) */
  readonly localTs?: readonly string[];
  /** @default ['0.0.0.0/0'] */
  readonly remoteTs?: readonly string[];
}

function lookup<T>(value: string | number, field: string, find: (v: never) => T | undefined): T {
  const t = find(value as never);
  if (!t) throw new Error(`\`${field}\` ${JSON.stringify(value)} names no algorithm this IKE implementation runs`);
  return t;
}

/** One proposal per cipher kind: CBC ciphers with integrity (and, for IKE, the PRFs of the same hashes), AEAD ciphers alone. */
function proposals(protocol: 'ike' | 'esp', encryption: readonly EncryptionTransform[], integrity: readonly IntegrityTransform[], groups: readonly DhGroup[]): Proposal[] {
  const prfs = integrity.map(prfForIntegrity).filter((p): p is PrfTransform => p !== undefined);
  const cbc = encryption.filter((e) => !e.aead);
  const aead = encryption.filter((e) => e.aead);
  const out: Proposal[] = [];
  if (cbc.length) out.push({ protocol, encryption: cbc, integrity, prf: protocol === 'ike' ? prfs : [], dhGroups: groups, esn: [] });
  if (aead.length) out.push({ protocol, encryption: aead, integrity: [], prf: protocol === 'ike' ? prfs : [], dhGroups: groups, esn: [] });
  return out;
}

/** The customer gateway's IKE SA for an endpoint-config tunnel: it initiates unless AWS does (`start`). */
export function customerGatewayConfig(tunnel: TunnelPolicy, extras: PolicyExtras): IkeSaConfig {
  const f = `tunnels[${tunnel.name}]`;
  const enc = (list: readonly string[], phase: string) => list.map((k, i) => lookup(k, `${f}.${phase}.encryption[${i}]`, encryptionByKeyword));
  const integ = (list: readonly string[], phase: string) => list.map((k, i) => lookup(k, `${f}.${phase}.integrity[${i}]`, integrityByKeyword));
  const groups = (list: readonly number[], field: string) => list.map((g, i) => lookup(g, `${f}.${field}[${i}]`, dhGroupById));
  return {
    ...extras,
    role: tunnel.startupAction === 'start' ? 'responder' : 'initiator',
    localAddress: tunnel.local.outsideAddress,
    remoteAddress: tunnel.remote.outsideAddress,
    localId: tunnel.local.outsideAddress,
    remoteId: tunnel.remote.outsideAddress,
    ikeProposals: proposals('ike', enc(tunnel.ike.encryption, 'ike'), integ(tunnel.ike.integrity, 'ike'), groups(tunnel.ike.dhGroups, 'ike.dhGroups')),
    espProposals: proposals('esp', enc(tunnel.esp.encryption, 'esp'), integ(tunnel.esp.integrity, 'esp'), groups(tunnel.esp.pfsGroups, 'esp.pfsGroups')),
    localTs: extras.localTs ?? ['0.0.0.0/0'],
    remoteTs: extras.remoteTs ?? ['0.0.0.0/0'],
    lifetimes: { ikeSeconds: tunnel.ike.lifetimeSeconds, childSeconds: tunnel.esp.lifetimeSeconds, marginSeconds: tunnel.rekey.marginSeconds, fuzzPercent: tunnel.rekey.fuzzPercent },
    dpd: { intervalSeconds: tunnel.dpd.intervalSeconds, timeoutSeconds: tunnel.dpd.timeoutSeconds },
    replayWindow: tunnel.esp.replayWindow,
  };
}

/**
 * AWS's endpoint for a tunnel: its configured values (AWS's defaults where unset), AWS's choice rule, its
 * lifetimes, rekey margin and fuzz, DPD, replay window; it initiates when the startup action is `start`.
 * `customerGatewayAddress` is the peer; AWS identifies itself by its outside address.
 */
export function awsEndpointConfig(options: AwsTunnelOptions, customerGatewayAddress: string, extras: PolicyExtras): IkeSaConfig {
  if (!options.OutsideIpAddress) throw new Error('`OutsideIpAddress` is missing from the tunnel options');
  const values = <T>(list: readonly { readonly Value?: T }[] | undefined, defaults: readonly T[]): T[] => {
    const set = (list ?? []).map((v) => v.Value).filter((v): v is T => v !== undefined);
    return set.length ? set : [...defaults];
  };
  const enc = (field: string, list: readonly string[]) => list.map((v, i) => lookup(v, `${field}[${i}]`, encryptionByAwsName));
  const integ = (field: string, list: readonly string[]) => list.map((v, i) => lookup(v, `${field}[${i}]`, integrityByAwsName));
  const groups = (field: string, list: readonly number[]) => list.map((v, i) => lookup(v, `${field}[${i}]`, dhGroupById));
  const margin = options.RekeyMarginTimeSeconds ?? REKEY_MARGIN_TIME_SECONDS.default;
  return {
    ...extras,
    role: options.StartupAction === 'start' ? 'initiator' : 'responder',
    localAddress: options.OutsideIpAddress,
    remoteAddress: customerGatewayAddress,
    localId: options.OutsideIpAddress,
    remoteId: customerGatewayAddress,
    choiceRule: 'aws-lowest',
    ikeProposals: proposals(
      'ike',
      enc('Phase1EncryptionAlgorithms', values(options.Phase1EncryptionAlgorithms, ENCRYPTION_ALGORITHMS)),
      integ('Phase1IntegrityAlgorithms', values(options.Phase1IntegrityAlgorithms, INTEGRITY_ALGORITHMS)),
      groups('Phase1DHGroupNumbers', values<number>(options.Phase1DHGroupNumbers, PHASE1_DH_GROUPS)),
    ),
    espProposals: proposals(
      'esp',
      enc('Phase2EncryptionAlgorithms', values(options.Phase2EncryptionAlgorithms, ENCRYPTION_ALGORITHMS)),
      integ('Phase2IntegrityAlgorithms', values(options.Phase2IntegrityAlgorithms, INTEGRITY_ALGORITHMS)),
      groups('Phase2DHGroupNumbers', values<number>(options.Phase2DHGroupNumbers, PHASE2_DH_GROUPS)),
    ),
    localTs: extras.localTs ?? ['0.0.0.0/0'],
    remoteTs: extras.remoteTs ?? ['0.0.0.0/0'],
    lifetimes: {
      ikeSeconds: options.Phase1LifetimeSeconds ?? PHASE1_LIFETIME_SECONDS.default,
      childSeconds: options.Phase2LifetimeSeconds ?? PHASE2_LIFETIME_SECONDS.default,
      marginSeconds: margin,
      fuzzPercent: options.RekeyFuzzPercentage ?? REKEY_FUZZ_PERCENTAGE.default,
    },
    dpd: { intervalSeconds: DPD_INTERVAL_SECONDS, timeoutSeconds: options.DpdTimeoutSeconds ?? DPD_TIMEOUT_SECONDS.default },
    replayWindow: options.ReplayWindowSize ?? REPLAY_WINDOW_SIZE.default,
  };
}

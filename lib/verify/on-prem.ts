/**
 * What the on-prem side of one tunnel offers and does, whatever file it came from (endpoint config JSON or
 * TypeScript, or a swanctl.conf): the single shape the static checks and the loopback exchange read.
 */
import type { IkeVersion } from '../aws-rules';

/**
 * One proposal: any of its ciphers with any of its integrity algorithms (PRFs, for AEAD IKE proposals) and
 * any of its DH groups. Keywords are strongSwan's; `unknown` keeps tokens AWS has no name for.
 */
export interface Proposal {
  readonly encryption: readonly string[];
  readonly integrity: readonly string[];
  readonly dhGroups: readonly number[];
  readonly unknown: readonly string[];
  /** The proposal as written, for messages. */
  readonly text: string;
}

/** When the on-prem side rekeys one SA: at a random moment in [rekey - rand, rekey]; gone at `lifetime`. */
export interface Schedule {
  readonly rekeySeconds: number;
  readonly randSeconds: number;
  /** Hard lifetime: the SA is deleted then, rekeyed or not. */
  readonly lifetimeSeconds: number;
}

/** Where a setting lives in the source file, so a failure can say what to change. */
export type SettingField =
  | 'ikeVersions'
  | 'ikeProposals'
  | 'espProposals'
  | 'ikeLifetime'
  | 'ikeRekey'
  | 'espLifetime'
  | 'espRekey'
  | 'dpdDelay'
  | 'startAction'
  | 'dpdAction'
  | 'localInside'
  | 'remoteInside'
  | 'localAsn'
  | 'remoteAsn'
  | 'preSharedKey'
  | 'mtu'
  | 'tcpMss'
  | 'replayWindow';

/** The pre-shared key as the on-prem file gives it. `value` is a secret: never print it. */
export type OnPremKey =
  | { readonly kind: 'inline'; readonly value: string }
  | { readonly kind: 'secrets-manager'; readonly arn: string }
  | { readonly kind: 'describe'; readonly vpnConnectionId: string; readonly awsOutsideAddress: string }
  /** swanctl.conf includes a secrets file that is not there to read. */
  | { readonly kind: 'external'; readonly where: string }
  | { readonly kind: 'missing' };

export interface OnPremTunnel {
  /** `tunnel1`, or the swanctl connection name. */
  readonly name: string;
  /** Where it came from: decides how a fix is worded. */
  readonly format: 'endpoint-config' | 'swanctl';
  readonly ikeVersions: readonly IkeVersion[];
  readonly ikeProposals: readonly Proposal[];
  readonly espProposals: readonly Proposal[];
  readonly ike: Schedule;
  readonly esp: Schedule;
  readonly replayWindow?: number;
  /** 0: the on-prem side never probes. */
  readonly dpdDelaySeconds: number;
  /** True when the on-prem side brings the tunnel up itself (swanctl `start_action = start|trap`). */
  readonly initiates: boolean;
  /** True when the on-prem side re-initiates after a DPD timeout (swanctl `dpd_action = restart`). */
  readonly restartsAfterDpd: boolean;
  readonly localOutside?: string;
  readonly remoteOutside: string;
  /** Inside addresses with their prefix (`169.254.10.2/30`), when the file sets them. */
  readonly localInside?: string;
  readonly remoteInside?: string;
  readonly localInsideIpv6?: string;
  readonly remoteInsideIpv6?: string;
  readonly localAsn?: number;
  readonly remoteAsn?: number;
  readonly preSharedKey: OnPremKey;
  /** The CHILD_SA's traffic selectors as CIDRs (swanctl local_ts/remote_ts); absent: 0.0.0.0/0 both ways. */
  readonly trafficSelectors?: { readonly local: readonly string[]; readonly remote: readonly string[] };
  readonly mtu?: number;
  readonly tcpMss?: number;
  /** The setting's name in the source file, e.g. `tunnels[0].esp.lifetimeSeconds`. */
  readonly field: Readonly<Record<SettingField, string>>;
}

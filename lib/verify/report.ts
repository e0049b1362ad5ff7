/**
 * The verify report: one result per check, grouped by tunnel, with a summary. Plain JSON-serialisable data;
 * `--json` prints exactly this shape (see {@link VERIFY_REPORT_FORMAT_VERSION}).
 *
 * Nothing in a report is secret: checks about pre-shared keys say whether a key is acceptable, never what it is.
 */

/** Bumped on any incompatible change to the report shape. */
export const VERIFY_REPORT_FORMAT_VERSION = 1;

/** `live`: charon with the config against our engine as AWS's endpoint, in network namespaces (`--live`). */
export type CheckStage = 'static' | 'dynamic' | 'live';

/**
 * `warn`: works, but not as well as it could (e.g. needless fragmentation); `skip`: the check could not run
 * (missing input). Neither fails the run.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** One check on one tunnel. */
export interface CheckResult {
  /** Stable identifier, e.g. `ike-proposals`, `esp-lifetime`, `exchange-aes256gcm16`. */
  readonly id: string;
  readonly stage: CheckStage;
  readonly status: CheckStatus;
  /** One line: what was checked and what was found. */
  readonly summary: string;
  /** What to change, for failures and warnings: "set `esp.lifetimeSeconds` to at most 3600". */
  readonly fix?: string;
  /** Extra lines (e.g. the proposal AWS will choose). */
  readonly details?: readonly string[];
}

/** Counters of one direction of the loopback ESP exchange. */
export interface DirectionStats {
  /** ESP datagrams sent, injected replays and tampered packets included. */
  readonly sent: number;
  readonly delivered: number;
  /** Dropped by the receiving SA, by the engine's drop reason. */
  readonly dropped: Readonly<Record<string, number>>;
  /** Neither delivered nor dropped before the timeout. */
  readonly lost: number;
  /** Delivered, but the inner packet differed from what was sent (a bug if ever non-zero). */
  readonly corrupted: number;
}

/** The loopback exchange of one ESP suite. */
export interface ExchangeResult {
  /** The engine's suite name, e.g. `aes256gcm16`, `aes128-sha256`. */
  readonly suite: string;
  /** Largest inner packet used: `maxInnerMtu(suite)` with NAT-T, capped by the tunnel MTU. */
  readonly mtu: number;
  readonly onPremToAws: DirectionStats;
  readonly awsToOnPrem: DirectionStats;
  /** ICMP echo requests the on-prem side sent and correct echo replies it got back. */
  readonly echo: { readonly requests: number; readonly replies: number };
  /** RFC 3948 traffic that is not ESP: NAT-keepalives and non-ESP-marker (IKE) datagrams, sent and recognised. */
  readonly natT: { readonly keepalivesSent: number; readonly keepalivesRecognised: number; readonly nonEspSent: number; readonly nonEspRecognised: number };
  /** Measured over the whole exchange on loopback: an engine figure, not a network one. */
  readonly throughput: { readonly packetsPerSecond: number; readonly megabitsPerSecond: number };
}

export interface TunnelReport {
  /** The on-prem side's name for the tunnel (`tunnel1`, or the swanctl connection). */
  readonly name: string;
  /** AWS's outside address of the tunnel. */
  readonly awsOutsideAddress: string;
  readonly checks: readonly CheckResult[];
  readonly exchanges: readonly ExchangeResult[];
}

export interface VerifyReport {
  readonly formatVersion: typeof VERIFY_REPORT_FORMAT_VERSION;
  /** The file verified, as given. */
  readonly config: string;
  readonly configFormat: 'json' | 'ts' | 'swanctl';
  /** `describe`: the tunnels' real AWS parameters; `aws-rules`: AWS's allowed values (no --describe). */
  readonly awsSide: 'describe' | 'aws-rules';
  /** Assumptions the checks rely on, in words. */
  readonly assumptions: readonly string[];
  readonly tunnels: readonly TunnelReport[];
  readonly summary: { readonly passed: number; readonly warnings: number; readonly failed: number; readonly skipped: number; readonly ok: boolean };
}

/** Counts pass/fail/skip over every tunnel; `ok` only when nothing failed. */
export function summarise(tunnels: readonly TunnelReport[]): VerifyReport['summary'] {
  const all = tunnels.flatMap((t) => t.checks);
  const count = (s: CheckStatus) => all.filter((c) => c.status === s).length;
  const failed = count('fail');
  return { passed: count('pass'), warnings: count('warn'), failed, skipped: count('skip'), ok: failed === 0 };
}

/** Small constructors so every check reads the same. */
export function pass(id: string, stage: CheckStage, summary: string, details?: readonly string[]): CheckResult {
  return details && details.length > 0 ? { id, stage, status: 'pass', summary, details } : { id, stage, status: 'pass', summary };
}

export function fail(id: string, stage: CheckStage, summary: string, fix: string, details?: readonly string[]): CheckResult {
  return details && details.length > 0 ? { id, stage, status: 'fail', summary, fix, details } : { id, stage, status: 'fail', summary, fix };
}

export function skip(id: string, stage: CheckStage, summary: string): CheckResult {
  return { id, stage, status: 'skip', summary };
}

export function warn(id: string, stage: CheckStage, summary: string, fix: string): CheckResult {
  return { id, stage, status: 'warn', summary, fix };
}

/**
 * Normalises one `Options.TunnelOptions[]` entry of DescribeVpnConnections: the truth for crypto, IKE
 * versions, lifetimes, rekey timing, DPD, replay window and startup action. AWS omits whatever is at its
 * default (an omitted list means every allowed value); those defaults come from `lib/aws-rules.ts`.
 */
import type { TunnelOption } from '@aws-sdk/client-ec2';
import { awsEncryptionKeyword, awsIntegrityKeyword } from '../algorithms';
import type { AwsEncryptionKeyword, AwsIntegrityKeyword } from '../algorithms';
import {
  DPD_TIMEOUT_ACTIONS,
  DPD_TIMEOUT_ACTION_DEFAULT,
  DPD_TIMEOUT_SECONDS,
  ENCRYPTION_ALGORITHMS,
  IKE_VERSIONS,
  INTEGRITY_ALGORITHMS,
  IkeVersion,
  PHASE1_DH_GROUPS,
  PHASE1_LIFETIME_SECONDS,
  PHASE2_DH_GROUPS,
  PHASE2_LIFETIME_SECONDS,
  REKEY_FUZZ_PERCENTAGE,
  REKEY_MARGIN_TIME_SECONDS,
  REPLAY_WINDOW_SIZE,
  Range,
  STARTUP_ACTIONS,
  STARTUP_ACTION_DEFAULT,
  StartupAction,
  maxRekeyMarginSeconds,
} from '../aws-rules';
import { EndpointConfigError, isWholeNumberIn, quote } from './errors';
import type { DpdParameters, EspParameters, IkeParameters, RekeyParameters } from './model';

/** A tunnel's options with AWS's defaults filled in; `dpd.intervalSeconds` comes from the XML later. */
export interface NormalisedTunnelOptions {
  readonly ike: IkeParameters;
  readonly esp: EspParameters;
  readonly rekey: RekeyParameters;
  readonly dpd: Omit<DpdParameters, 'intervalSeconds'>;
  readonly startupAction: StartupAction;
}

/** `path` is the entry's own path, e.g. `Options.TunnelOptions[0]`, used in every error. */
export function normaliseTunnelOptions(options: TunnelOption, path: string): NormalisedTunnelOptions {
  const phase1Encryption = algorithmList(options.Phase1EncryptionAlgorithms, `${path}.Phase1EncryptionAlgorithms`, ENCRYPTION_ALGORITHMS, awsEncryptionKeyword);
  const phase2Encryption = algorithmList(options.Phase2EncryptionAlgorithms, `${path}.Phase2EncryptionAlgorithms`, ENCRYPTION_ALGORITHMS, awsEncryptionKeyword);
  const phase1Integrity = algorithmList(options.Phase1IntegrityAlgorithms, `${path}.Phase1IntegrityAlgorithms`, INTEGRITY_ALGORITHMS, awsIntegrityKeyword);
  const phase2Integrity = algorithmList(options.Phase2IntegrityAlgorithms, `${path}.Phase2IntegrityAlgorithms`, INTEGRITY_ALGORITHMS, awsIntegrityKeyword);
  const phase1Groups = groupList(options.Phase1DHGroupNumbers, `${path}.Phase1DHGroupNumbers`, PHASE1_DH_GROUPS);
  const phase2Groups = groupList(options.Phase2DHGroupNumbers, `${path}.Phase2DHGroupNumbers`, PHASE2_DH_GROUPS);
  const versions = ikeVersions(options.IkeVersions, `${path}.IkeVersions`);

  const phase1Lifetime = integerInRange(options.Phase1LifetimeSeconds, `${path}.Phase1LifetimeSeconds`, PHASE1_LIFETIME_SECONDS);
  const phase2Lifetime = integerInRange(options.Phase2LifetimeSeconds, `${path}.Phase2LifetimeSeconds`, PHASE2_LIFETIME_SECONDS);
  const margin = integerInRange(options.RekeyMarginTimeSeconds, `${path}.RekeyMarginTimeSeconds`, {
    ...REKEY_MARGIN_TIME_SECONDS,
    max: Math.min(REKEY_MARGIN_TIME_SECONDS.max, maxRekeyMarginSeconds(phase2Lifetime)),
  });

  return {
    ike: {
      versions,
      encryption: phase1Encryption,
      integrity: phase1Integrity,
      dhGroups: phase1Groups,
      lifetimeSeconds: phase1Lifetime,
    },
    esp: {
      encryption: phase2Encryption,
      integrity: phase2Integrity,
      pfsGroups: phase2Groups,
      lifetimeSeconds: phase2Lifetime,
      replayWindow: integerInRange(options.ReplayWindowSize, `${path}.ReplayWindowSize`, REPLAY_WINDOW_SIZE),
      mode: 'tunnel',
    },
    rekey: {
      marginSeconds: margin,
      fuzzPercent: integerInRange(options.RekeyFuzzPercentage, `${path}.RekeyFuzzPercentage`, REKEY_FUZZ_PERCENTAGE),
    },
    dpd: {
      timeoutSeconds: integerInRange(options.DpdTimeoutSeconds, `${path}.DpdTimeoutSeconds`, DPD_TIMEOUT_SECONDS),
      action: oneOf(options.DpdTimeoutAction, `${path}.DpdTimeoutAction`, DPD_TIMEOUT_ACTIONS, DPD_TIMEOUT_ACTION_DEFAULT),
    },
    startupAction: oneOf(options.StartupAction, `${path}.StartupAction`, STARTUP_ACTIONS, STARTUP_ACTION_DEFAULT),
  };
}

type ValueList<T> = readonly { Value?: T }[] | undefined;

/** The `[{Value}]` list as keywords, deduplicated in order; omitted or empty means all of `allowed`. */
function algorithmList<K extends AwsEncryptionKeyword | AwsIntegrityKeyword>(
  list: ValueList<string>,
  path: string,
  allowed: readonly string[],
  toKeyword: (aws: string) => K | undefined,
): K[] {
  const names = list && list.length > 0 ? list.map((item, i) => requireValue(item, `${path}[${i}].Value`)) : allowed;
  const keywords = names.map((name, i) => {
    const keyword = typeof name === 'string' ? toKeyword(name) : undefined;
    if (!keyword) {
      throw new EndpointConfigError(`${path}[${i}].Value`, `unknown algorithm ${quote(name)}; AWS allows ${allowed.join(', ')}`);
    }
    return keyword;
  });
  return [...new Set(keywords)];
}

function groupList(list: ValueList<number>, path: string, allowed: readonly number[]): number[] {
  if (!list || list.length === 0) return [...allowed];
  const groups = list.map((item, i) => {
    const group = requireValue(item, `${path}[${i}].Value`);
    if (typeof group !== 'number' || !allowed.includes(group)) {
      throw new EndpointConfigError(`${path}[${i}].Value`, `unsupported Diffie-Hellman group ${quote(group)}; AWS allows ${allowed.join(', ')}`);
    }
    return group;
  });
  return [...new Set(groups)];
}

function ikeVersions(list: ValueList<string>, path: string): IkeVersion[] {
  if (!list || list.length === 0) return [...IKE_VERSIONS];
  const given = list.map((item, i) => {
    const version = requireValue(item, `${path}[${i}].Value`);
    if (!(IKE_VERSIONS as readonly unknown[]).includes(version)) {
      throw new EndpointConfigError(`${path}[${i}].Value`, `unknown IKE version ${quote(version)}; AWS allows ${IKE_VERSIONS.join(', ')}`);
    }
    return version as IkeVersion;
  });
  return IKE_VERSIONS.filter((v) => given.includes(v)); // canonical order: ikev1, ikev2
}

function requireValue<T>(item: { Value?: T } | undefined, path: string): T {
  if (item === null || typeof item !== 'object' || item.Value === undefined || item.Value === null) {
    throw new EndpointConfigError(path, 'is missing');
  }
  return item.Value;
}

function integerInRange(value: number | undefined, path: string, range: Range): number {
  if (value === undefined || value === null) return range.default;
  if (!isWholeNumberIn(value, range.min, range.max)) {
    throw new EndpointConfigError(path, `${quote(value)} is not a whole number from ${range.min} to ${range.max}`);
  }
  return value;
}

function oneOf<T extends string>(value: string | undefined, path: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === null) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new EndpointConfigError(path, `unknown value ${quote(value)}; AWS allows ${allowed.join(', ')}`);
  }
  return value as T;
}

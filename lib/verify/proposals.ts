/**
 * Proposal matching against AWS, and the proposal AWS will choose.
 *
 * AWS's rule (Site-to-Site VPN User Guide, "Tunnel options"): "the tunnel endpoints evaluate proposals from
 * your customer gateway starting with the lowest configured value from the list below, regardless of the
 * proposal order from the customer gateway." "Lowest" is the position in AWS's documented list of each
 * option, which is the order of `lib/aws-rules.ts`: encryption AES128 < AES256 < AES128-GCM-16 <
 * AES256-GCM-16, integrity SHA1 < SHA2-256 < SHA2-384 < SHA2-512, DH groups by number, IKE versions
 * ikev1 < ikev2. Applied per transform, in the order encryption, then integrity, then DH group: of every
 * combination both sides accept, AWS takes the one with the lowest encryption, among those the lowest
 * integrity, then the lowest group.
 */
import { dhGroupById, encryptionByKeyword, integrityByKeyword, Proposal as RegistryProposal, scanProposal } from '../algorithms';
import type { AwsPhase } from '../algorithms';
import { AwsCombination, compareAwsPreference, EncryptionAlgorithm, IKE_VERSIONS, IkeVersion, IntegrityAlgorithm } from '../aws-rules';
import type { Proposal } from './on-prem';

export type Phase = 'ike' | 'esp';

/** What AWS's endpoint accepts for one phase of one tunnel (strongSwan keywords, DH group numbers). */
export interface AcceptedSet {
  readonly encryption: readonly string[];
  readonly integrity: readonly string[];
  readonly dhGroups: readonly number[];
}

/** One concrete transform combination. `integrity` is undefined for AEAD ESP (the cipher authenticates). */
export interface Combination {
  readonly encryption: string;
  readonly integrity?: string;
  /** Undefined: an ESP proposal without a PFS group. */
  readonly dhGroup?: number;
}

const awsEncryptionName = (keyword: string) => encryptionByKeyword(keyword)?.awsName;
const awsIntegrityName = (keyword: string) => integrityByKeyword(keyword)?.awsName;
const isAead = (keyword: string) => encryptionByKeyword(keyword)?.aead === true;

export function awsPhaseOf(phase: Phase): AwsPhase {
  return phase === 'ike' ? 'phase1' : 'phase2';
}

/**
 * A registry proposal as AWS sees it: its ciphers, integrity algorithms (for an AEAD IKE proposal, the
 * hashes of its PRFs, as AWS's Phase1IntegrityAlgorithms name them) and groups. Transforms AWS offers in
 * neither phase (ChaCha20, GMAC, Curve25519) join `unknown`; one AWS offers only in the other phase (group 5
 * in phase 1) stays, and the match against AWS's set refuses it.
 */
export function onPremProposal(p: RegistryProposal, text: string, unknown: readonly string[] = []): Proposal {
  const notAws: string[] = [];
  const known = (t: { keyword: string; aws: { phase1: boolean; phase2: boolean } }) => t.aws.phase1 || t.aws.phase2 || (notAws.push(t.keyword), false);
  const offered = <T extends { keyword: string; aws: { phase1: boolean; phase2: boolean } }>(list: readonly T[]) => list.filter(known).map((t) => t.keyword);
  const encryption = offered(p.encryption);
  const aead = p.encryption.some((e) => e.aead);
  const integrity =
    p.protocol === 'ike' && aead
      ? p.prf.filter(known).map((f) => integrityByKeyword(f.hash)?.keyword ?? f.keyword)
      : offered(p.integrity);
  const dhGroups = p.dhGroups.filter(known).map((g) => g.ianaId);
  return { offered: p, encryption, integrity, dhGroups, unknown: [...unknown, ...notAws], text: text.trim() };
}

/** A strongSwan proposal string (`aes256gcm16-prfsha384-ecp384`, `aes128-sha1-modp2048`) as AWS sees it. */
export function parseOnPremProposal(text: string, phase: Phase): Proposal {
  const { proposal, unknown } = scanProposal(text, phase);
  return onPremProposal(proposal, text, unknown);
}

/** Every combination a proposal allows. */
export function combinations(proposal: Proposal, phase: Phase): Combination[] {
  const groups: (number | undefined)[] = proposal.dhGroups.length > 0 ? [...proposal.dhGroups] : [undefined];
  return proposal.encryption.flatMap((encryption) => {
    const integrities: (string | undefined)[] = isAead(encryption) && phase === 'esp' ? [undefined] : [...proposal.integrity];
    return integrities.flatMap((integrity) => groups.map((dhGroup) => ({ encryption, integrity, dhGroup })));
  });
}

export function isAccepted(c: Combination, accepted: AcceptedSet): boolean {
  return (
    accepted.encryption.includes(c.encryption) &&
    (c.integrity === undefined || accepted.integrity.includes(c.integrity)) &&
    c.dhGroup !== undefined &&
    accepted.dhGroups.includes(c.dhGroup)
  );
}

/** A keyword combination in AWS's names, for AWS's choice rule. */
function asAwsCombination(c: Combination): AwsCombination {
  return {
    encryption: awsEncryptionName(c.encryption) as EncryptionAlgorithm,
    integrity: c.integrity === undefined ? undefined : (awsIntegrityName(c.integrity) as IntegrityAlgorithm),
    dhGroup: c.dhGroup,
  };
}

const compare = (a: Combination, b: Combination): number => compareAwsPreference(asAwsCombination(a), asAwsCombination(b));

/** The combination AWS will choose among those both sides accept, or undefined when there is none. */
export function chooseLowest(candidates: readonly Combination[]): Combination | undefined {
  return [...candidates].sort(compare)[0];
}

/** The IKE version AWS will use: the lowest both sides allow. */
export function chooseIkeVersion(onPrem: readonly IkeVersion[], aws: readonly IkeVersion[]): IkeVersion | undefined {
  return IKE_VERSIONS.find((v) => onPrem.includes(v) && aws.includes(v));
}

/** `aes256gcm16-prfsha256-ecp384` / `aes128-sha256-modp2048` style text for one combination. */
export function formatCombination(c: Combination, phase: Phase): string {
  const integrity = c.integrity === undefined ? [] : [phase === 'ike' && isAead(c.encryption) ? `prf${c.integrity}` : c.integrity];
  const group = c.dhGroup === undefined ? [] : [dhGroupById(c.dhGroup)?.keyword ?? `group${c.dhGroup}`];
  return [c.encryption, ...integrity, ...group].join('-');
}

/**
 * Why AWS refuses every combination of a proposal, naming what AWS accepts instead; undefined when at
 * least one combination is accepted.
 */
export function refusal(proposal: Proposal, phase: Phase, accepted: AcceptedSet): string | undefined {
  if (combinations(proposal, phase).some((c) => isAccepted(c, accepted))) return undefined;
  const reasons: string[] = [];
  const encryption = proposal.encryption.filter((e) => accepted.encryption.includes(e));
  if (encryption.length === 0) reasons.push(`no encryption AWS accepts (AWS: ${accepted.encryption.join(', ')})`);
  const needsIntegrity = proposal.encryption.some((e) => !(isAead(e) && phase === 'esp'));
  if (needsIntegrity && encryption.length > 0 && !proposal.integrity.some((i) => accepted.integrity.includes(i))) {
    reasons.push(`no ${phase === 'ike' ? 'integrity/PRF' : 'integrity'} algorithm AWS accepts (AWS: ${accepted.integrity.join(', ')})`);
  }
  if (proposal.dhGroups.length === 0) reasons.push(`no Diffie-Hellman group${phase === 'esp' ? ' (AWS always uses PFS on phase 2)' : ''}`);
  else if (!proposal.dhGroups.some((g) => accepted.dhGroups.includes(g))) reasons.push(`no DH group AWS accepts (AWS: ${accepted.dhGroups.join(', ')})`);
  if (proposal.unknown.length > 0) reasons.push(`unknown to AWS: ${proposal.unknown.join(', ')}`);
  return reasons.length > 0 ? reasons.join('; ') : 'no combination of its algorithms is one AWS accepts';
}

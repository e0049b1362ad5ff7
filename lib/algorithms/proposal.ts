/**
 * One IKE or ESP proposal as registry transforms, and strongSwan's proposal syntax for it
 * (`aes256gcm16-prfsha384-ecp384`, `aes256-sha256-modp2048`): keywords joined by `-`, any order, any number
 * of each transform type; a proposal allows every combination of its transforms.
 */
import type { DhGroup } from './dh-groups';
import { prfForIntegrity, transformByKeyword } from './lookup';
import { EncryptionTransform, EsnTransform, IntegrityTransform, PrfTransform, TransformType } from './transforms';

export type Protocol = 'ike' | 'esp';

export interface Proposal {
  readonly protocol: Protocol;
  readonly encryption: readonly EncryptionTransform[];
  /** Empty in an AEAD proposal. */
  readonly integrity: readonly IntegrityTransform[];
  /** IKE only. Empty in a non-AEAD IKE proposal means "the PRFs of the integrity hashes" (see {@link prfsOf}). */
  readonly prf: readonly PrfTransform[];
  /** For ESP: the PFS groups; empty means no PFS. */
  readonly dhGroups: readonly DhGroup[];
  /** ESP only. Empty means `noesn`, strongSwan's default. */
  readonly esn: readonly EsnTransform[];
}

export type ProposalProblem =
  | 'empty'
  | 'unknown-keyword'
  /** A PRF in an ESP proposal, or sequence numbers in an IKE proposal. */
  | 'wrong-protocol'
  | 'no-encryption'
  /** strongSwan refuses AEAD and non-AEAD ciphers in one proposal. */
  | 'aead-mixed'
  /** AEAD ciphers authenticate themselves: an integrity algorithm next to them is a mistake. */
  | 'aead-with-integrity'
  | 'no-integrity'
  /** An AEAD IKE proposal has no integrity algorithm to derive its PRF from. */
  | 'no-prf'
  /** IKE_SA_INIT always carries a KE payload. */
  | 'no-dh-group';

/** A proposal string this registry cannot accept; `token` is the offending keyword, when there is one. */
export class ProposalError extends Error {
  constructor(
    readonly text: string,
    readonly problem: ProposalProblem,
    readonly detail: string,
    readonly token?: string,
  ) {
    super(`${JSON.stringify(text)}: ${detail}`);
    this.name = 'ProposalError';
  }
}

/** What {@link scanProposal} makes of a string: the transforms it knows and the tokens it does not. */
export interface ScannedProposal {
  readonly proposal: Proposal;
  /** Tokens that name no registry transform for this protocol, in order. */
  readonly unknown: readonly string[];
}

/** Reads every token it knows and keeps the rest, without judging the result (see {@link proposalProblems}). */
export function scanProposal(text: string, protocol: Protocol): ScannedProposal {
  const encryption: EncryptionTransform[] = [];
  const integrity: IntegrityTransform[] = [];
  const prf: PrfTransform[] = [];
  const dhGroups: DhGroup[] = [];
  const esn: EsnTransform[] = [];
  const unknown: string[] = [];
  const add = <T>(list: T[], t: T) => {
    if (!list.includes(t)) list.push(t);
  };
  // Tokens compare in lowercase, as the old verify parser did; unknown ones are kept as written.
  for (const token of text.trim().split('-').filter(Boolean)) {
    const t = transformByKeyword(token.toLowerCase());
    if (t === undefined) unknown.push(token);
    else if (t.transformType === TransformType.ENCR) add(encryption, t);
    else if (t.transformType === TransformType.INTEG) add(integrity, t);
    else if (t.transformType === TransformType.DH) add(dhGroups, t);
    else if (t.transformType === TransformType.PRF && protocol === 'ike') add(prf, t);
    else if (t.transformType === TransformType.ESN && protocol === 'esp') add(esn, t);
    else unknown.push(token);
  }
  return { proposal: { protocol, encryption, integrity, prf, dhGroups, esn }, unknown };
}

/** Why a scanned proposal is not one strongSwan (and IKEv2) would use; empty when it is. */
export function proposalProblems(text: string, scanned: ScannedProposal): ProposalError[] {
  const { proposal: p, unknown } = scanned;
  const problems: ProposalError[] = [];
  const problem = (kind: ProposalProblem, detail: string, token?: string) => problems.push(new ProposalError(text, kind, detail, token));
  if (text.trim() === '') return [new ProposalError(text, 'empty', 'empty proposal')];
  for (const token of unknown) {
    const t = transformByKeyword(token.toLowerCase());
    if (t) problem('wrong-protocol', `${token} has no place in an ${p.protocol.toUpperCase()} proposal`, token);
    else problem('unknown-keyword', `unknown algorithm keyword ${JSON.stringify(token)}`, token);
  }
  const aead = p.encryption.filter((e) => e.aead);
  if (p.encryption.length === 0) problem('no-encryption', 'no encryption algorithm');
  else if (aead.length > 0 && aead.length < p.encryption.length) {
    problem('aead-mixed', `AEAD (${aead.map((e) => e.keyword).join(', ')}) and non-AEAD ciphers cannot share a proposal`);
  } else if (aead.length > 0 && p.integrity.length > 0) {
    problem('aead-with-integrity', `${aead[0].keyword} authenticates itself; drop ${p.integrity.map((i) => i.keyword).join(', ')}`);
  } else if (aead.length === 0 && p.integrity.length === 0) problem('no-integrity', `${p.encryption[0].keyword} needs an integrity algorithm`);
  if (p.protocol === 'ike') {
    if (aead.length > 0 && p.prf.length === 0) problem('no-prf', `an AEAD IKE proposal needs a PRF (prfsha256, prfsha384, ...)`);
    if (p.dhGroups.length === 0) problem('no-dh-group', 'an IKE proposal needs a Diffie-Hellman group');
  }
  return problems;
}

/** A strongSwan proposal string as registry transforms. Throws the first {@link ProposalError}. */
export function parseProposal(text: string, protocol: Protocol): Proposal {
  const scanned = scanProposal(text, protocol);
  const [first] = proposalProblems(text, scanned);
  if (first) throw first;
  return scanned.proposal;
}

/** strongSwan's syntax for a proposal: ciphers, integrity, PRFs, groups, sequence numbers. */
export function formatProposal(p: Proposal): string {
  return [...p.encryption, ...p.integrity, ...p.prf, ...p.dhGroups, ...p.esn].map((t) => t.keyword).join('-');
}

/** The PRFs an IKE proposal offers: its own, else those of its integrity hashes (RFC 7296 pairs them). */
export function prfsOf(p: Proposal): readonly PrfTransform[] {
  if (p.prf.length > 0) return p.prf;
  return p.integrity.map(prfForIntegrity).filter((x): x is PrfTransform => x !== undefined);
}

/** True when the proposal's ciphers are AEAD (they authenticate; no integrity transform). */
export function isAeadProposal(p: Proposal): boolean {
  return p.encryption.length > 0 && p.encryption.every((e) => e.aead);
}

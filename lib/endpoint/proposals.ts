/**
 * The proposals an on-prem endpoint offers for the model's algorithm lists, as registry proposals (what
 * `verify` reads) and as strongSwan proposal strings (what the swanctl renderer writes). AEAD and non-AEAD
 * ciphers never share a proposal (strongSwan refuses that); AEAD IKE proposals name PRFs instead of
 * integrity algorithms.
 *
 * IKEv2 takes several algorithms of a kind in one proposal, so two proposals at most cover every
 * combination. IKEv1 keeps only the first algorithm of each kind, so an IKEv1-only tunnel gets one
 * proposal per combination.
 */
import {
  dhGroupById,
  DhGroup,
  EncryptionTransform,
  encryptionByKeyword,
  formatProposal,
  integrityByKeyword,
  IntegrityTransform,
  prfForIntegrity,
  PrfTransform,
  Proposal,
} from '../algorithms';
import type { EspParameters, IkeParameters } from './model';

export function ikeProposalSet(ike: IkeParameters): Proposal[] {
  const integrity = ike.integrity.map(integrityOf);
  const prfs = integrity.map(prfForIntegrity).filter((p): p is PrfTransform => p !== undefined);
  return proposals('ike', ike.encryption.map(encryptionOf), integrity, prfs, ike.dhGroups.map(groupOf), onlyIkev1(ike));
}

export function espProposalSet(esp: EspParameters, ike: IkeParameters): Proposal[] {
  return proposals('esp', esp.encryption.map(encryptionOf), esp.integrity.map(integrityOf), [], esp.pfsGroups.map(groupOf), onlyIkev1(ike));
}

export function ikeProposals(ike: IkeParameters): string[] {
  return ikeProposalSet(ike).map(formatProposal);
}

export function espProposals(esp: EspParameters, ike: IkeParameters): string[] {
  return espProposalSet(esp, ike).map(formatProposal);
}

function onlyIkev1(ike: IkeParameters): boolean {
  return ike.versions.length === 1 && ike.versions[0] === 'ikev1';
}

/**
 * Group the ciphers into AEAD and non-AEAD sets (first-seen order), then either one compact proposal per
 * set or, for IKEv1, one per combination of cipher, integrity (or PRF) and group.
 */
function proposals(
  protocol: 'ike' | 'esp',
  ciphers: readonly EncryptionTransform[],
  integrity: readonly IntegrityTransform[],
  prfs: readonly PrfTransform[],
  groups: readonly DhGroup[],
  expand: boolean,
): Proposal[] {
  const sets: EncryptionTransform[][] = [];
  for (const cipher of ciphers) {
    const set = sets.find((s) => s[0].aead === cipher.aead);
    if (set) set.push(cipher);
    else sets.push([cipher]);
  }
  return sets.flatMap((set) => {
    const aead = set[0].aead;
    const base = { protocol, integrity: aead ? [] : integrity, prf: aead && protocol === 'ike' ? prfs : [], esn: [] };
    if (!expand) return [{ ...base, encryption: set, dhGroups: groups }];
    // IKEv1: one transform of each kind per proposal.
    const middles: Pick<Proposal, 'integrity' | 'prf'>[] =
      base.integrity.length > 0 ? base.integrity.map((i) => ({ integrity: [i], prf: [] })) : base.prf.length > 0 ? base.prf.map((p) => ({ integrity: [], prf: [p] })) : [{ integrity: [], prf: [] }];
    return set.flatMap((cipher) => middles.flatMap((m) => groups.map((g) => ({ ...base, ...m, encryption: [cipher], dhGroups: [g] }))));
  });
}

function encryptionOf(keyword: string): EncryptionTransform {
  const t = encryptionByKeyword(keyword);
  if (!t) throw new RangeError(`no encryption algorithm ${JSON.stringify(keyword)} in the registry`);
  return t;
}

function integrityOf(keyword: string): IntegrityTransform {
  const t = integrityByKeyword(keyword);
  if (!t) throw new RangeError(`no integrity algorithm ${JSON.stringify(keyword)} in the registry`);
  return t;
}

function groupOf(group: number): DhGroup {
  const g = dhGroupById(group);
  if (!g) throw new RangeError(`no Diffie-Hellman group ${group} in the registry`);
  return g;
}

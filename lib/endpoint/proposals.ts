/**
 * strongSwan proposal strings from the model's algorithm lists. AEAD and non-AEAD algorithms never share a
 * proposal (strongSwan refuses that); AEAD IKE proposals name PRFs instead of integrity algorithms.
 *
 * IKEv2 takes several algorithms of a kind in one proposal, so two proposals at most cover every
 * combination. IKEv1 keeps only the first algorithm of each kind, so an IKEv1-only tunnel gets one
 * proposal per combination.
 */
import { dhGroupById, encryptionByKeyword } from '../algorithms';
import type { AwsEncryptionKeyword as EncryptionKeyword, AwsIntegrityKeyword as IntegrityKeyword } from '../algorithms';

const isAead = (keyword: string) => encryptionByKeyword(keyword)?.aead === true;
import type { EspParameters, IkeParameters } from './model';

export function ikeProposals(ike: IkeParameters): string[] {
  const groups = ike.dhGroups.map(groupKeyword);
  const prfs = ike.integrity.map(prfKeyword);
  return proposals(ike.encryption, (cipherSet) => (isAead(cipherSet[0]) ? prfs : ike.integrity), groups, onlyIkev1(ike));
}

export function espProposals(esp: EspParameters, ike: IkeParameters): string[] {
  const groups = esp.pfsGroups.map(groupKeyword);
  return proposals(esp.encryption, (cipherSet) => (isAead(cipherSet[0]) ? [] : esp.integrity), groups, onlyIkev1(ike));
}

function onlyIkev1(ike: IkeParameters): boolean {
  return ike.versions.length === 1 && ike.versions[0] === 'ikev1';
}

/**
 * Group the ciphers into AEAD and non-AEAD sets (first-seen order), then either one compact proposal per
 * set or, for IKEv1, the cartesian product cipher × middle × group.
 */
function proposals(
  ciphers: readonly EncryptionKeyword[],
  middleFor: (cipherSet: readonly EncryptionKeyword[]) => readonly string[],
  groups: readonly string[],
  expand: boolean,
): string[] {
  const sets: EncryptionKeyword[][] = [];
  for (const cipher of ciphers) {
    const set = sets.find((s) => isAead(s[0]) === isAead(cipher));
    if (set) set.push(cipher);
    else sets.push([cipher]);
  }
  return sets.flatMap((set) => {
    const middle = middleFor(set);
    if (!expand) return [[...set, ...middle, ...groups].join('-')];
    const middles = middle.length > 0 ? middle : [undefined];
    return set.flatMap((cipher) =>
      middles.flatMap((m) => groups.map((g) => [cipher, m, g].filter((x) => x !== undefined).join('-'))),
    );
  });
}

function groupKeyword(group: number): string {
  const keyword = dhGroupById(group)?.keyword;
  if (!keyword) throw new RangeError(`no strongSwan keyword for Diffie-Hellman group ${group}`);
  return keyword;
}

/** The PRF of the same hash: what an AEAD IKE proposal needs in place of integrity. */
export function prfKeyword(integrity: IntegrityKeyword): string {
  return `prf${integrity}`;
}

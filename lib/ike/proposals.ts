/**
 * Proposals on the wire (SA payload substructures) to and from registry transforms, and the responder's
 * choice: every combination of one peer proposal's transforms that our configured proposals also allow,
 * ranked either by our configured order (strongSwan's default) or by AWS's rule (lib/aws-rules.ts).
 */
import type { DhGroup } from '../algorithms/dh-groups';
import { transformById } from '../algorithms/lookup';
import { isAeadProposal, prfsOf, Proposal as ConfiguredProposal } from '../algorithms/proposal';
import { EncryptionTransform, EsnTransform, IntegrityTransform, PrfTransform, TransformType } from '../algorithms/transforms';
import { AwsCombination, compareAwsPreference } from '../aws-rules';
import { PROTOCOL } from './message/constants';
import type { Proposal as WireProposal, Transform as WireTransform } from './message/payloads/security-association';

export type { ConfiguredProposal };

/** How a responder picks among acceptable combinations. */
export type ChoiceRule =
  /** Our configured proposals in order, then the order of transforms within each (strongSwan's default). */
  | 'configured-order'
  /** AWS's endpoint: the lowest configured value per transform, whatever order the peer proposes. */
  | 'aws-lowest';

/** One transform of each type: what an SA payload with a single chosen proposal says. */
export interface Selection {
  readonly protocol: 'ike' | 'esp';
  /** The proposal number the peer gave it. */
  readonly number: number;
  /** The proposer's SPI (empty in IKE_SA_INIT). */
  readonly spi: Buffer;
  readonly encryption: EncryptionTransform;
  readonly integrity?: IntegrityTransform;
  readonly prf?: PrfTransform;
  readonly dhGroup?: DhGroup;
  readonly esn: boolean;
}

const protocolId = (p: 'ike' | 'esp') => (p === 'ike' ? PROTOCOL.IKE : PROTOCOL.ESP);

/** strongSwan's text for a selection: `aes256gcm16-prfsha384-ecp384`, `aes128-sha1-modp2048`. */
export function selectionText(s: Selection): string {
  const parts: string[] = [s.encryption.keyword];
  if (s.integrity) parts.push(s.integrity.keyword);
  if (s.prf && (s.encryption.aead || s.integrity === undefined || s.prf.hash !== s.integrity.hash)) parts.push(s.prf.keyword);
  if (s.dhGroup) parts.push(s.dhGroup.keyword);
  return parts.join('-');
}

function encryptionTransform(e: EncryptionTransform): WireTransform {
  return { type: TransformType.ENCR, id: e.ianaId, ...(e.keyLengthAttribute !== undefined ? { keyLength: e.keyLengthAttribute } : {}) };
}

/**
 * Our offer as SA payload proposals, numbered from 1. `withDh`: include DH transforms (IKE_SA_INIT and
 * CREATE_CHILD_SA with PFS); IKE_AUTH's CHILD_SA carries none, as no KE payload goes with it.
 */
export function offerProposals(configured: readonly ConfiguredProposal[], spi: Buffer, withDh: boolean): WireProposal[] {
  return configured.map((p, i) => {
    const transforms: WireTransform[] = p.encryption.map(encryptionTransform);
    if (p.protocol === 'ike') transforms.push(...prfsOf(p).map((t) => ({ type: TransformType.PRF, id: t.ianaId })));
    if (!isAeadProposal(p)) transforms.push(...p.integrity.map((t) => ({ type: TransformType.INTEG, id: t.ianaId })));
    if (withDh) transforms.push(...p.dhGroups.map((g) => ({ type: TransformType.DH, id: g.ianaId })));
    if (p.protocol === 'esp') {
      const esn = p.esn.length > 0 ? p.esn : [{ ianaId: 0 } as EsnTransform];
      transforms.push(...esn.map((t) => ({ type: TransformType.ESN, id: t.ianaId })));
    }
    return { number: i + 1, protocol: protocolId(p.protocol), spi, transforms };
  });
}

/** The SA payload proposal that answers with `s`: one transform of each type, the proposer's number. */
export function answerProposal(s: Selection, spi: Buffer): WireProposal {
  const transforms: WireTransform[] = [encryptionTransform(s.encryption)];
  if (s.prf) transforms.push({ type: TransformType.PRF, id: s.prf.ianaId });
  if (s.integrity) transforms.push({ type: TransformType.INTEG, id: s.integrity.ianaId });
  if (s.dhGroup) transforms.push({ type: TransformType.DH, id: s.dhGroup.ianaId });
  if (s.protocol === 'esp') transforms.push({ type: TransformType.ESN, id: s.esn ? 1 : 0 });
  return { number: s.number, protocol: protocolId(s.protocol), spi, transforms };
}

interface Known {
  readonly encryption: EncryptionTransform[];
  readonly integrity: IntegrityTransform[];
  readonly prf: PrfTransform[];
  readonly dh: DhGroup[];
  readonly esn: boolean[];
  /** A transform type holds something the registry does not know, or an attribute RFC 7296 3.3.6 refuses. */
  readonly unknownTypes: boolean;
}

function classify(p: WireProposal): Known {
  const k: Known = { encryption: [], integrity: [], prf: [], dh: [], esn: [], unknownTypes: false };
  for (const t of p.transforms) {
    if (t.unknownAttributes?.length) continue; // "the transform ... MUST NOT be selected"
    if (t.type === TransformType.ESN) {
      if (t.id === 0 || t.id === 1) k.esn.push(t.id === 1);
      continue;
    }
    if (t.type === TransformType.INTEG && t.id === 0) continue; // NONE, which AEAD proposals may carry
    if (t.type === TransformType.DH && t.id === 0) continue;
    const known = transformById(t.type, t.id, t.keyLength);
    if (!known) continue;
    if (known.transformType === TransformType.ENCR) k.encryption.push(known);
    else if (known.transformType === TransformType.INTEG) k.integrity.push(known);
    else if (known.transformType === TransformType.PRF) k.prf.push(known);
    else if (known.transformType === TransformType.DH) k.dh.push(known as DhGroup);
  }
  return k;
}

interface Candidate {
  readonly selection: Selection;
  /** Position of the first configured proposal allowing it, then its transforms' positions there. */
  readonly configuredRank: number[];
}

function configuredRank(c: Omit<Selection, 'number' | 'spi' | 'protocol'>, configured: readonly ConfiguredProposal[], dhMode: DhMode): number[] | undefined {
  for (let i = 0; i < configured.length; i++) {
    const p = configured[i];
    const enc = p.encryption.indexOf(c.encryption);
    if (enc < 0) continue;
    const integ = c.integrity ? p.integrity.indexOf(c.integrity) : isAeadProposal(p) ? 0 : -1;
    if (integ < 0) continue;
    const prf = c.prf ? prfsOf(p).indexOf(c.prf) : 0;
    if (prf < 0) continue;
    let dh = 0;
    if (dhMode !== 'ignore') {
      dh = c.dhGroup ? p.dhGroups.indexOf(c.dhGroup) : p.dhGroups.length === 0 ? 0 : -1;
      if (dh < 0) continue;
    }
    const esnOk = p.protocol === 'ike' || (p.esn.length === 0 ? !c.esn : p.esn.some((e) => e.extended === c.esn));
    if (!esnOk) continue;
    return [i, enc, integ, prf, dh];
  }
  return undefined;
}

/** `ignore`: IKE_AUTH (no KE; DH transforms are not negotiated); `match`: IKE_SA_INIT and CREATE_CHILD_SA. */
export type DhMode = 'match' | 'ignore';

function awsView(s: Selection): AwsCombination | undefined {
  const encryption = s.encryption.awsName;
  const integrity = s.integrity?.awsName ?? (s.encryption.aead && s.protocol === 'ike' ? s.prf?.awsName : undefined);
  if (!encryption) return undefined;
  return { encryption, integrity, dhGroup: s.dhGroup?.ianaId, prf: s.prf?.awsName };
}

/**
 * The combination a responder chooses from the peer's proposals, or undefined (NO_PROPOSAL_CHOSEN).
 * Combinations are taken within one peer proposal (RFC 7296 section 2.7), never across two.
 */
export function chooseProposal(
  offered: readonly WireProposal[],
  configured: readonly ConfiguredProposal[],
  protocol: 'ike' | 'esp',
  rule: ChoiceRule,
  dhMode: DhMode,
): Selection | undefined {
  const candidates: Candidate[] = [];
  for (const p of offered) {
    if (p.protocol !== protocolId(protocol)) continue;
    const k = classify(p);
    const integrities: (IntegrityTransform | undefined)[] = [undefined, ...k.integrity];
    const prfs: (PrfTransform | undefined)[] = protocol === 'ike' ? k.prf : [undefined];
    const groups: (DhGroup | undefined)[] = dhMode === 'ignore' ? [undefined] : [...k.dh, ...(protocol === 'esp' && k.dh.length === 0 ? [undefined] : [])];
    const esns = protocol === 'esp' ? (k.esn.length ? k.esn : [false]) : [false];
    for (const encryption of k.encryption) {
      for (const integrity of integrities) {
        if (encryption.aead !== (integrity === undefined)) continue;
        for (const prf of prfs) {
          for (const dhGroup of groups) {
            for (const esn of esns) {
              const parts = { encryption, integrity, prf, dhGroup, esn };
              const rank = configuredRank(parts, configured, dhMode);
              if (rank) candidates.push({ selection: { protocol, number: p.number, spi: p.spi, ...parts }, configuredRank: rank });
            }
          }
        }
      }
    }
  }
  if (candidates.length === 0) return undefined;
  const byConfigured = (a: Candidate, b: Candidate) => {
    for (let i = 0; i < a.configuredRank.length; i++) if (a.configuredRank[i] !== b.configuredRank[i]) return a.configuredRank[i] - b.configuredRank[i];
    return 0;
  };
  const sorted = [...candidates].sort((a, b) => {
    if (rule === 'aws-lowest') {
      const [x, y] = [awsView(a.selection), awsView(b.selection)];
      if (x && y) return compareAwsPreference(x, y) || byConfigured(a, b);
    }
    return byConfigured(a, b);
  });
  return sorted[0].selection;
}

/**
 * Checks a responder's answer: exactly one proposal, one transform of each type, all of it among what we
 * offered (and so among what we configured). Undefined when the answer is not acceptable.
 */
export function acceptAnswer(answer: readonly WireProposal[], configured: readonly ConfiguredProposal[], protocol: 'ike' | 'esp', dhMode: DhMode): Selection | undefined {
  if (answer.length !== 1) return undefined;
  const types = answer[0].transforms.map((t) => t.type);
  if (new Set(types).size !== types.length) return undefined;
  return chooseProposal(answer, configured, protocol, 'configured-order', dhMode);
}

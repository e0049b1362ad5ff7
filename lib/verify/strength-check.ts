/**
 * Weak but allowed algorithms: AWS still accepts SHA-1 and DH groups 2, 5 and 22-24, and because it takes the
 * lowest value both sides accept, a tunnel that allows them runs on them. The registry's strength classes
 * decide what is weak; the warning names what AWS supports instead.
 */
import { dhGroupById, encryptionByKeyword, integrityByKeyword, isWeak, strongerAwsAlternatives, Transform } from '../algorithms';
import type { OnPremTunnel } from './on-prem';
import { awsPhaseOf, Combination, formatCombination, Phase } from './proposals';
import { CheckResult, pass, warn } from './report';

/** The transforms of a combination, as registry records (an AEAD IKE proposal's integrity stands for its PRF). */
function transformsOf(c: Combination): Transform[] {
  const all: (Transform | undefined)[] = [
    encryptionByKeyword(c.encryption),
    c.integrity === undefined ? undefined : integrityByKeyword(c.integrity),
    c.dhGroup === undefined ? undefined : dhGroupById(c.dhGroup),
  ];
  return all.filter((t): t is Transform => t !== undefined);
}

function awsName(t: Transform): string {
  return 'awsName' in t && t.awsName ? t.awsName : `DH group ${t.ianaId}`;
}

function alternatives(t: Transform, phase: Phase): string {
  const names = strongerAwsAlternatives(t, awsPhaseOf(phase)).map((o) => ('awsName' in o && o.awsName ? o.awsName : String(o.ianaId)));
  return 'awsName' in t ? names.join(', ') : `DH groups ${names.join(', ')}`;
}

/** Warns when the combination AWS will choose for `phase` uses a weak algorithm; undefined without a choice. */
export function strengthCheck(phase: Phase, chosen: Combination | undefined, onPrem: OnPremTunnel): CheckResult | undefined {
  if (!chosen) return undefined;
  const id = `${phase}-strength`;
  const label = phase === 'ike' ? 'Phase 1 (IKE)' : 'Phase 2 (ESP)';
  const field = phase === 'ike' ? onPrem.field.ikeProposals : onPrem.field.espProposals;
  const weak = transformsOf(chosen).filter(isWeak);
  const text = formatCombination(chosen, phase);
  if (weak.length === 0) return pass(id, 'static', `${label}: ${text} uses no weak algorithm`);
  const names = weak.map(awsName);
  return warn(
    id,
    'static',
    `${label}: AWS will choose ${text}, and ${names.join(' and ')} ${weak.length > 1 ? 'are' : 'is'} weak (allowed by AWS, advised against by RFC 8247 / RFC 8221)`,
    `remove ${names.join(' and ')} from ${field} and from the tunnel's ${phase === 'ike' ? 'Phase1' : 'Phase2'} options ` +
      `(AWS takes the lowest value both sides accept); AWS also supports ${weak.map((t) => alternatives(t, phase)).join('; ')}`,
  );
}

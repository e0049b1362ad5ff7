/**
 * Weak-but-allowed algorithms and what to use instead: derived from the registry's strength classes and
 * AWS's phases, so a new transform needs no change here.
 */
import { ALL_TRANSFORMS, Transform } from './lookup';

export type AwsPhase = 'phase1' | 'phase2';

export function isWeak(t: Transform): boolean {
  return t.strength === 'weak';
}

/**
 * The transforms of the same type that AWS allows for `phase` and that are not weak, in registry order
 * (AWS's documented order): what a warning about a weak choice names instead.
 */
export function strongerAwsAlternatives(t: Transform, phase: AwsPhase): Transform[] {
  return ALL_TRANSFORMS.filter((o) => o.transformType === t.transformType && o.aws[phase] && !isWeak(o));
}

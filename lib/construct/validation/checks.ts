/** Generic checks shared by the site and tunnel rules. Each skips values that are unset or unresolved tokens. */
import { Token } from 'aws-cdk-lib';
import { Range } from '../../aws-rules';
import { Cidr, formatCidr, isNetworkAddress, networkOf, parseCidr } from '../../net/address';
import { Location, Problems } from './problems';

/** True when the value is set and known at synth time (not a CloudFormation token). */
export function isKnown<T>(value: T | undefined): value is T {
  return value !== undefined && !Token.isUnresolved(value);
}

/** How a value reads in an error message. */
export function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** An integer inside the inclusive range. `max` may tighten the range's own maximum (e.g. half of phase 2). */
export function checkInteger(problems: Problems, at: Location, prop: string, value: number | undefined,
  range: Pick<Range, 'min' | 'max'>, why = ''): void {
  if (!isKnown(value)) return;
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    problems.error(at, `\`${prop}\` ${show(value)} must be an integer from ${range.min} to ${range.max}${why}`);
  }
}

/** One of the allowed values; `shown` words a wrong value (a field a key could be pasted into shows less). */
export function checkOneOf<T>(problems: Problems, at: Location, prop: string, value: T | undefined,
  allowed: readonly T[], shown: (value: unknown) => string = show): void {
  if (!isKnown(value)) return;
  if (!allowed.includes(value)) {
    problems.error(at, `\`${prop}\` ${shown(value)} is not one of ${allowed.map(show).join(', ')}`);
  }
}

/** A non-empty list of allowed values without repeats. */
export function checkList<T>(problems: Problems, at: Location, prop: string, values: readonly T[] | undefined,
  allowed: readonly T[]): void {
  if (!isKnown(values)) return;
  if (values.length === 0) {
    problems.error(at, `\`${prop}\` is empty: leave it out to allow every value, or list at least one`);
    return;
  }
  const bad = values.filter((v) => !Token.isUnresolved(v) && !allowed.includes(v));
  if (bad.length > 0) {
    problems.error(at, `\`${prop}\` ${bad.map(show).join(', ')} not allowed: use ${allowed.map(show).join(', ')}`);
  }
  const repeated = values.filter((v, i) => values.indexOf(v) !== i);
  if (repeated.length > 0) problems.error(at, `\`${prop}\` lists ${repeated.map(show).join(', ')} more than once`);
}

/** Parses a CIDR of the given IP version written as a network address; reports and returns undefined if not. */
export function checkCidr(problems: Problems, at: Location, prop: string, value: string | undefined,
  version: 4 | 6): Cidr | undefined {
  if (!isKnown(value)) return undefined;
  const cidr = parseCidr(value);
  if (!cidr || cidr.version !== version) {
    problems.error(at, `\`${prop}\` ${show(value)} is not an IPv${version} CIDR`);
    return undefined;
  }
  if (!isNetworkAddress(cidr)) {
    const network = formatCidr({ ...cidr, address: networkOf(cidr) });
    problems.error(at, `\`${prop}\` ${value} has host bits set: write the network address, ${network}`);
    return undefined;
  }
  return cidr;
}

/**
 * Secret canaries: key-shaped strings a bad-input test plants where a user might paste a key. `expectNoCanary`
 * fails when one appears in anything the code printed or threw (stdout, stderr, error messages and stacks).
 */
import { PSK_CANARIES } from '../construct/synth';

/** Valid AWS pre-shared key shapes (8-64 of letters, digits, '.', '_'), so no checker rejects them before echoing. */
export const SECRET_CANARIES = [...PSK_CANARIES, 'Canary.Psk_0000111122223333'] as const;
export const CANARY = SECRET_CANARIES[0];

/** Everything a failure left behind, as text: an Error's message and stack, or the value as is. */
export function textOf(value: unknown): string {
  if (value instanceof Error) return `${value.message}\n${value.stack ?? ''}`;
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

/** Fails naming where a canary appeared; the canary itself is not repeated in the failure. */
export function expectNoCanary(outputs: Readonly<Record<string, unknown>>): void {
  for (const [where, output] of Object.entries(outputs)) {
    const text = textOf(output);
    const leaked = SECRET_CANARIES.findIndex((canary) => text.includes(canary));
    if (leaked >= 0) throw new Error(`secret canary #${leaked} appears in ${where}`);
  }
}

/** Runs `fn`, expecting it to throw; returns the error after checking it carries no canary. */
export function thrownWithoutCanary(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    expectNoCanary({ error: e });
    return e as Error;
  }
  throw new Error('expected a bad-input error, but nothing was thrown');
}

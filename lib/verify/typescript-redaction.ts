/**
 * What an endpoint.ts loader may say about the module without quoting a key. TypeScript's diagnostics quote
 * source text (`Cannot find name 'k3y...'` for a key written without quotes, `Type '"k3y..."' is not
 * assignable to ...` for one pasted into a field of literal type), and a module's own run-time error can
 * quote anything it was given (`JSON.parse` quotes its input). So:
 *
 * - the texts written in `preSharedKey` values (string literals and bare words, whole) are cut out of every
 *   message, the diagnostic's code and position still say where;
 * - a quoted string literal type that AWS would take as a key, and that the package's own types do not name
 *   (`"aes256gcm16"` is shown, a typo of it is not), is shown by its length only;
 * - a run-time error of a module that writes a key inline is shown by its type only.
 */
import type * as TypeScript from 'typescript';
import { preSharedKeyProblem } from '../aws-rules';

/** The config fields whose values are keys (OnPremTunnel.preSharedKey). */
const KEY_FIELDS = new Set(['preSharedKey']);

export interface KeyFields {
  /** The words and string literals written in `preSharedKey` values, longest first. */
  readonly texts: readonly string[];
}

/** The `preSharedKey` values written in `source`. */
export function keyFieldsOf(ts: typeof TypeScript, source: TypeScript.SourceFile): KeyFields {
  const texts = new Set<string>();
  const inKey = (node: TypeScript.Node): void => {
    if (ts.isStringLiteralLike(node) || (ts.isIdentifier(node) && !(ts.isPropertyAssignment(node.parent) && node.parent.name === node))) texts.add(node.text);
    if (ts.isTemplateExpression(node)) [node.head, ...node.templateSpans.map((s) => s.literal)].forEach((part) => texts.add(part.text));
    ts.forEachChild(node, inKey);
  };
  const visit = (node: TypeScript.Node): void => {
    if (ts.isPropertyAssignment(node) && KEY_FIELDS.has(node.name.getText(source))) {
      inKey(node.initializer);
    } else ts.forEachChild(node, visit);
  };
  visit(source);
  return { texts: [...texts].filter((t) => t.length >= 4).sort((a, b) => b.length - a.length) };
}

/** `message` with the key fields' texts and unknown key-shaped literal types cut out. */
export function redacted(message: string, fields: KeyFields, knownLiterals: ReadonlySet<string>): string {
  let out = message;
  for (const text of fields.texts) out = out.split(text).join(`<${text.length} characters of a preSharedKey value>`);
  return out.replace(/"([^"\\]*)"/g, (quoted, literal: string) =>
    knownLiterals.has(literal) || preSharedKeyProblem(literal) !== undefined ? quoted : `"<${literal.length} characters, not shown: it could be a key>"`,
  );
}

/** Every string literal the package's own type files write (the literal types a diagnostic may name). */
export function literalsOf(ts: typeof TypeScript, files: readonly TypeScript.SourceFile[]): Set<string> {
  const literals = new Set<string>();
  const visit = (node: TypeScript.Node): void => {
    if (ts.isStringLiteralLike(node)) literals.add(node.text);
    ts.forEachChild(node, visit);
  };
  files.forEach(visit);
  return literals;
}

/** A module's run-time error: its message, or only its type when the module writes a key inline. */
export function runtimeErrorText(e: unknown, fields: KeyFields): string {
  // Duck-typed: the module runs in the main context, whose Error is not the caller's under a test runner's VM.
  const error = typeof e === 'object' && e !== null && typeof (e as Error).message === 'string' ? (e as Error) : undefined;
  if (fields.texts.length > 0) return `${error ? String(error.name) : `a thrown ${typeof e}`} (the message is not shown: the module writes a key inline, which it could quote)`;
  return error ? error.message : String(e);
}

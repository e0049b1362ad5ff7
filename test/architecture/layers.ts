/**
 * The project's layers and the rule between them: a module imports only from its own layer or from layers
 * below it. Imports are read with TypeScript's own pre-processor (static imports, re-exports, `import()`
 * and `require` calls), not with a regular expression.
 */
import { posix } from 'path';
import * as ts from 'typescript';

/** Top to bottom. Layers of equal rank may not import each other (lambda/ and lib/construct/). */
export const LAYERS: readonly { readonly name: string; readonly rank: number; readonly matches: (path: string) => boolean }[] = [
  { name: 'bin/', rank: 9, matches: (p) => p.startsWith('bin/') },
  { name: 'lib/index.ts', rank: 8.5, matches: (p) => p === 'lib/index.ts' },
  { name: 'lib/construct/', rank: 8, matches: (p) => p.startsWith('lib/construct/') },
  { name: 'lambda/', rank: 8, matches: (p) => p.startsWith('lambda/') },
  { name: 'lib/endpoint-config-resource/', rank: 7, matches: (p) => p.startsWith('lib/endpoint-config-resource/') },
  { name: 'lib/verify/', rank: 6, matches: (p) => p.startsWith('lib/verify/') },
  { name: 'lib/endpoint/', rank: 5, matches: (p) => p.startsWith('lib/endpoint/') },
  { name: 'lib/ike/', rank: 4, matches: (p) => p.startsWith('lib/ike/') },
  { name: 'lib/esp/', rank: 3, matches: (p) => p.startsWith('lib/esp/') },
  {
    name: 'lib/algorithms/, lib/aws-rules.ts, lib/net/',
    rank: 2,
    matches: (p) => p.startsWith('lib/algorithms/') || p === 'lib/aws-rules.ts' || p.startsWith('lib/net/'),
  },
];

export function layerOf(path: string) {
  return LAYERS.find((l) => l.matches(path));
}

/** Relative module specifiers of a source file, resolved to repository paths (`.ts` or `/index.ts`). */
export function localImports(path: string, text: string, exists: (path: string) => boolean): string[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => {
      const base = posix.normalize(posix.join(posix.dirname(path), spec));
      return [`${base}.ts`, `${base}/index.ts`, base].find(exists) ?? `${base}.ts`;
    });
}

export interface Violation {
  readonly from: string;
  readonly to: string;
  readonly message: string;
}

/** Every import that points up (or sideways into another layer of the same rank), and every file in no layer. */
export function layerViolations(files: ReadonlyMap<string, string>): Violation[] {
  const exists = (p: string) => files.has(p);
  const violations: Violation[] = [];
  for (const [from, text] of files) {
    const source = layerOf(from);
    if (!source) {
      violations.push({ from, to: '', message: `${from} is in no layer; add it to test/architecture/layers.ts` });
      continue;
    }
    for (const to of localImports(from, text, exists)) {
      const target = layerOf(to);
      if (!target) {
        if (!to.startsWith('test/')) violations.push({ from, to, message: `${from} imports ${to}, which is in no layer` });
        else violations.push({ from, to, message: `${from} imports test code ${to}` });
        continue;
      }
      if (target === source || target.rank < source.rank) continue;
      violations.push({ from, to, message: `${from} (${source.name}) imports ${to} (${target.name}), a layer ${target.rank > source.rank ? 'above' : 'beside'} it` });
    }
  }
  return violations;
}

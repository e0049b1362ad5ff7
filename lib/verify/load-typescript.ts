/**
 * Loads an `endpoint.ts` module without a build step: type-check it against this package's types with the
 * TypeScript compiler API, then transpile it and evaluate it for its exported `config`. TypeScript is an
 * optional peer dependency, loaded here on first use only: nothing else in the package needs it.
 */
import { existsSync } from 'fs';
import { createRequire } from 'module';
import { join, resolve } from 'path';
import { runInThisContext } from 'vm';
import type * as TypeScript from 'typescript';
import { VerifyInputError } from './errors';
import { keyFieldsOf, literalsOf, redacted, runtimeErrorText } from './typescript-redaction';

const PACKAGE_NAME = 'cdk-site-to-site-vpn';
/** The package root: lib/verify/../.. (the same from lib/ sources and from dist/lib). */
const PACKAGE_ROOT = resolve(__dirname, '..', '..');

let typescript: typeof TypeScript | undefined;

/** The TypeScript compiler, loaded on first use; a clear error when it is not installed. */
function loadTypeScript(): typeof TypeScript {
  if (typescript) return typescript;
  try {
    typescript = require('typescript') as typeof TypeScript;
  } catch {
    throw new VerifyInputError('verifying an endpoint.ts needs the TypeScript compiler, which is not installed: ' +
      'run `npm install --save-dev typescript`, or verify the endpoint.json or swanctl.conf rendering of the same config');
  }
  return typescript;
}

/** Whether the TypeScript compiler can be loaded (an endpoint.ts can be verified). */
export function typeScriptInstalled(): boolean {
  try {
    loadTypeScript();
    return true;
  } catch {
    return false;
  }
}

/**
 * What the package name resolves to. Type-checking sees the endpoint model only (`lib/endpoint/model.ts`):
 * a config module needs `OnPremEndpointConfig` and friends, and the full package drags in the AWS SDK and CDK
 * typings, which would make a check take many seconds. At run time the endpoint API is there too.
 */
function packageEntry(): { types: string; runtime: string } {
  const lib = resolve(__dirname, '..');
  const types = ['endpoint/model.ts', 'endpoint/model.d.ts'].map((f) => join(lib, f)).find(existsSync) as string;
  return { types, runtime: join(lib, 'endpoint') };
}

/**
 * Type errors as `file:line:column: message`, one per line; empty when the module type-checks. A message
 * never quotes a `preSharedKey` value (typescript-redaction.ts).
 */
export function typeCheck(file: string): string[] {
  const ts = loadTypeScript();
  const entry = packageEntry();
  const options: TypeScript.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
    baseUrl: PACKAGE_ROOT,
    paths: { [PACKAGE_NAME]: [entry.types] },
  };
  const program = ts.createProgram([file], options);
  const target = program.getSourceFile(file);
  // Only the config module's own diagnostics: the package's sources are checked by its own build.
  const diagnostics = [...program.getSyntacticDiagnostics(target), ...program.getSemanticDiagnostics(target), ...program.getOptionsDiagnostics()];
  if (diagnostics.length === 0) return [];
  const fields = target ? keyFieldsOf(ts, target) : { texts: [] };
  const known = literalsOf(ts, program.getSourceFiles().filter((f) => f !== target && !program.isSourceFileDefaultLibrary(f)));
  return diagnostics.map((d) => {
    const message = redacted(ts.flattenDiagnosticMessageText(d.messageText, ' '), fields, known);
    if (!d.file || d.start === undefined) return `${file}: error TS${d.code}: ${message}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}:${line + 1}:${character + 1}: error TS${d.code}: ${message}`;
  });
}

/**
 * Type-checks `file`, then evaluates it (CommonJS) and returns its `config` export (or the default export).
 * Throws {@link VerifyInputError} listing the type errors, or when there is no `config` export.
 */
export function loadTypeScriptConfig(file: string, source: string): unknown {
  const errors = typeCheck(file);
  if (errors.length > 0) throw new VerifyInputError(`${file} does not type-check:\n${errors.join('\n')}`);
  const ts = loadTypeScript();
  const { outputText } = ts.transpileModule(source, {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const fileRequire = createRequire(resolve(file));
  const entry = packageEntry();
  const moduleRequire = (id: string): unknown => (id === PACKAGE_NAME ? require(entry.runtime) : fileRequire(id));
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${outputText}\n})`, { filename: file }) as (
    ...args: unknown[]
  ) => void;
  try {
    wrapper(module.exports, moduleRequire, module, resolve(file), resolve(file, '..'));
  } catch (e) {
    const fields = keyFieldsOf(ts, ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true));
    throw new VerifyInputError(`${file}: evaluating the module failed: ${runtimeErrorText(e, fields)}`);
  }
  const value = module.exports.config ?? module.exports.default;
  if (value === undefined) throw new VerifyInputError(`${file}: exports no \`config\` (expected \`export const config: OnPremEndpointConfig = ...\`)`);
  return value;
}

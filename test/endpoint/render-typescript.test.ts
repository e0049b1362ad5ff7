/** The TypeScript module: compiles under `--strict` against the package's own types, and says what the JSON says. */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import * as ts from 'typescript';
import { endpointConfigFromDescribe, renderJson, renderTypeScript } from '../../lib/endpoint';
import { FIXTURE_NAMES, loadConnection } from './fixtures';

const REPO = resolve(__dirname, '..', '..');

/**
 * Type-check files with tsc's API, `cdk-site-to-site-vpn` mapped to this repo's endpoint module.
 * Returns the diagnostics per file. One program for everything: loading the SDK's types takes seconds.
 */
function typeCheck(files: Record<string, string>): Record<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'endpoint-ts-'));
  try {
    const paths = Object.entries(files).map(([name, text]) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    });
    const program = ts.createProgram(paths, {
      strict: true,
      noEmit: true,
      noUnusedLocals: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(REPO, 'node_modules', '@types')],
      baseUrl: REPO,
      paths: { 'cdk-site-to-site-vpn': ['lib/endpoint/index.ts'] },
    });
    const byFile: Record<string, string[]> = Object.fromEntries(Object.keys(files).map((name) => [name, []]));
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const name = d.file?.fileName.startsWith(dir) ? d.file.fileName.slice(dir.length + 1) : '(other)';
      (byFile[name] ??= []).push(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    }
    return byFile;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('renderTypeScript', () => {
  test('every fixture\'s module compiles with --strict; a module that breaks the type does not', () => {
    const files = Object.fromEntries(
      FIXTURE_NAMES.map((name) => [`${name}.ts`, renderTypeScript(endpointConfigFromDescribe(loadConnection(name), { inlineSecrets: name === 'static-routing' }))]),
    );
    // The control: proves the check can fail.
    files['broken.ts'] = files['hq.ts'].replace('formatVersion: 1', 'formatVersion: 2').replace("mode: 'tunnel'", "mode: 'transport'");
    const { 'broken.ts': brokenErrors, ...rest } = typeCheck(files);
    expect(rest).toEqual(Object.fromEntries(FIXTURE_NAMES.map((name) => [`${name}.ts`, []])));
    expect(brokenErrors.join('\n')).toMatch(/Type '2' is not assignable to type '1'/);
    expect(brokenErrors.join('\n')).toMatch(/'"transport"' is not assignable to type '"tunnel"'/);
  });

  test('header, type import and export', () => {
    const text = renderTypeScript(endpointConfigFromDescribe(loadConnection('hq')));
    expect(text).toMatch(/^\/\/ On-prem endpoint config for AWS Site-to-Site VPN connection vpn-0123456789abcdef0\.\n/);
    expect(text).toContain("import type { OnPremEndpointConfig } from 'cdk-site-to-site-vpn';\n\nexport const config: OnPremEndpointConfig = {\n  formatVersion: 1,\n");
    expect(text.endsWith('};\n')).toBe(true);
  });

  test('options: import path and export name', () => {
    const text = renderTypeScript(endpointConfigFromDescribe(loadConnection('hq')), { importFrom: '../lib', exportName: 'hq' });
    expect(text).toContain("import type { OnPremEndpointConfig } from '../lib';");
    expect(text).toContain('export const hq: OnPremEndpointConfig = {');
    expect(() => renderTypeScript(endpointConfigFromDescribe(loadConnection('hq')), { exportName: 'not-an-identifier' })).toThrow(/not a TypeScript identifier/);
  });

  test.each(FIXTURE_NAMES)('%s: the module evaluates to the same object as the JSON', (name) => {
    const config = endpointConfigFromDescribe(loadConnection(name));
    const js = ts.transpileModule(renderTypeScript(config), { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
    const module = { exports: {} as { config?: unknown } };
    new Function('module', 'exports', 'require', js)(module, module.exports, () => ({}));
    expect(module.exports.config).toEqual(JSON.parse(renderJson(config)));
  });

  test('strings are escaped', () => {
    const config = endpointConfigFromDescribe(loadConnection('hq'));
    const odd = { ...config, customerGatewayId: "cgw-'quoted'\\\n" };
    const js = ts.transpileModule(renderTypeScript(odd), { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
    const module = { exports: {} as { config?: { customerGatewayId: string } } };
    new Function('module', 'exports', 'require', js)(module, module.exports, () => ({}));
    expect(module.exports.config?.customerGatewayId).toBe("cgw-'quoted'\\\n");
  });
});

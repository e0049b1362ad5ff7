/** endpoint.ts configs: type-checked against the package's types, then evaluated for `config`. */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { verifyConfig, VerifyInputError } from '../../lib/verify';
import { convertedConfig, tempDir, writeAllFormats } from './helpers';

const dir = tempDir();
const files = writeAllFormats(convertedConfig('hq'), dir);

test('a rendered endpoint.ts loads and verifies like its JSON twin', async () => {
  const [fromTs, fromJson] = await Promise.all([
    verifyConfig({ configPath: files.ts, dynamic: false }),
    verifyConfig({ configPath: files.json, dynamic: false }),
  ]);
  expect(fromTs.configFormat).toBe('ts');
  expect(fromTs.tunnels).toEqual(fromJson.tunnels);
});

test('a type error is reported as such, with file:line:column', async () => {
  const source = readFileSync(files.ts, 'utf8');
  const lines = source.split('\n');
  const mtuLine = lines.findIndex((l) => /^\s+mtu: \d+,$/.test(l));
  lines[mtuLine] = lines[mtuLine].replace(/mtu: \d+/, "mtu: 'large'");
  const file = join(dir, 'broken.ts');
  writeFileSync(file, lines.join('\n'));
  const error = await verifyConfig({ configPath: file, dynamic: false }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(VerifyInputError);
  const message = (error as Error).message;
  expect(message).toContain('does not type-check');
  expect(message).toMatch(new RegExp(`broken\\.ts:${mtuLine + 1}:\\d+: error TS2322: Type 'string' is not assignable to type 'number'`));
});

test('a module without a `config` export is bad input', async () => {
  const file = join(dir, 'empty.ts');
  writeFileSync(file, 'export const other = 1;\n');
  await expect(verifyConfig({ configPath: file, dynamic: false })).rejects.toThrow('exports no `config`');
});

/**
 * endpoint.ts configs: type-checked against the package's types, then evaluated for `config`. Every bad
 * module here carries the secret canary as its tunnels' keys (plantInEndpointConfig), and what verify threw,
 * printed or wrote is scanned for it (test/helpers/bad-input.ts): TypeScript's diagnostics quote source
 * text, and a module's run-time error can quote anything.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { verifyConfig, VerifyInputError } from '../../lib/verify';
import { CANARY, cliScanned, plantInEndpointConfig, refused, SECRET_CANARIES } from '../helpers/bad-input';
import { convertedConfig, tempDir, writeAllFormats } from './helpers';

const dir = tempDir();
const files = writeAllFormats(convertedConfig('hq'), dir);
const planted = writeAllFormats(plantInEndpointConfig(convertedConfig('hq')), dir, 'planted');
const source = readFileSync(planted.ts, 'utf8');
const quotedKey = `'${CANARY}'`;

/** The planted endpoint.ts edited, written next to the others; returns its path. */
function edited(name: string, edit: (text: string) => string): string {
  const text = edit(source);
  if (text === source) throw new Error(`the edit for ${name} changed nothing`);
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, text);
  return file;
}

/** verify's refusal of `file` (scanned), and the CLI's exit 2 on it (stdout and stderr scanned). */
async function refusal(file: string): Promise<string> {
  const error = await refused(() => verifyConfig({ configPath: file, dynamic: false }), { dirs: [dir], inputs: [file] });
  expect(error).toBeInstanceOf(VerifyInputError);
  const run = await cliScanned(['verify', file, '--static-only'], { dirs: [dir], inputs: [file] });
  expect(run.code).toBe(2);
  return error.message;
}

const lineOf = (file: string, needle: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

test('a rendered endpoint.ts loads and verifies like its JSON twin', async () => {
  const [fromTs, fromJson] = await Promise.all([
    verifyConfig({ configPath: files.ts, dynamic: false }),
    verifyConfig({ configPath: files.json, dynamic: false }),
  ]);
  expect(fromTs.configFormat).toBe('ts');
  expect(fromTs.tunnels).toEqual(fromJson.tunnels);
});

test('a type error is reported as such, with file:line:column', async () => {
  const file = edited('broken', (t) => t.replace(/mtu: \d+/, "mtu: 'large'"));
  const message = await refusal(file);
  expect(message).toContain('does not type-check');
  expect(message).toMatch(new RegExp(`broken\\.ts:${lineOf(file, "mtu: 'large'")}:\\d+: error TS2322: Type 'string' is not assignable to type 'number'`));
});

describe('a key in a bad endpoint.ts is never quoted', () => {
  test('written without quotes: "Cannot find name" names the position, not the key', async () => {
    const file = edited('unquoted', (t) => t.replace(quotedKey, CANARY));
    expect(await refusal(file)).toMatch(new RegExp(`unquoted\\.ts:${lineOf(file, CANARY)}:\\d+: error TS2304: Cannot find name '<${CANARY.length} characters of a preSharedKey value>'\\.$`));
  });

  test('written without quotes, a key with a dot: neither word is quoted', async () => {
    const second = SECRET_CANARIES[1];
    const file = edited('unquoted-dot', (t) => t.replace(`'${second}'`, second));
    expect(second).toContain('.');
    const message = await refusal(file);
    expect(message).toContain(`error TS2304: Cannot find name '<${second.split('.')[0].length} characters of a preSharedKey value>'`);
    expect(message).not.toContain(second.split('.')[0]);
  });

  test('pasted into a field of literal type: the literal is shown by its length, the known ones still by name', async () => {
    // A key written in no preSharedKey (a third canary): only its shape gives it away.
    const pasted = SECRET_CANARIES[2];
    const file = edited('in-encryption', (t) => t.replace("encryption: ['aes256gcm16', 'aes256']", `encryption: ['${pasted}', 'aes256']`));
    expect(await refusal(file)).toMatch(
      new RegExp(`in-encryption\\.ts:${lineOf(file, pasted)}:\\d+: error TS2322: Type '"<${pasted.length} characters, not shown: it could be a key>"' is not assignable to type 'AwsEncryptionKeyword'`),
    );
    // The same key in the field of a tunnel's own key is cut out as that.
    const own = await refusal(edited('own-key-in-encryption', (t) => t.replace("encryption: ['aes256gcm16', 'aes256']", `encryption: [${quotedKey}, 'aes256']`)));
    expect(own).toContain(`Type '"<${CANARY.length} characters of a preSharedKey value>"' is not assignable`);
    // A key-shaped typo is not shown either; the package's own literals it is checked against are.
    const ip = await refusal(edited('ip-type', (t) => t.replace("outsideIpAddressType: 'PublicIpv4'", "outsideIpAddressType: 'PublicIpv5'")));
    expect(ip).toMatch(/Type '"<10 characters, not shown: it could be a key>"' is not assignable to type '.*"PublicIpv4".*'/);
    const typo = await refusal(edited('ikev3', (t) => t.replace("versions: ['ikev2']", "versions: ['ikev3']")));
    expect(typo).toContain(`Type '"ikev3"' is not assignable to type '"ikev1" | "ikev2"'`);
  });

  test('a const holding the key, used in a field of literal type', async () => {
    const file = edited('const-key', (t) => t.replace(quotedKey, 'psk').replace("encryption: ['aes256gcm16', 'aes256']", "encryption: [psk, 'aes256']").replace('export const config', `const psk = ${quotedKey};\nexport const config`));
    expect(await refusal(file)).toContain(`Type '"<${CANARY.length} characters, not shown: it could be a key>"' is not assignable`);
  });

  test('an unterminated string, a misspelt field, a field too many', async () => {
    expect(await refusal(edited('unterminated', (t) => t.replace(quotedKey, `'${CANARY}`)))).toMatch(/error TS1002: Unterminated string literal\.$/m);
    expect(await refusal(edited('valu', (t) => t.replace(`value: ${quotedKey}`, `valu: ${quotedKey}`)))).toContain("error TS2353: Object literal may only specify known properties, and 'valu' does not exist in type 'PreSharedKeyRef'");
    expect(await refusal(edited('extra', (t) => t.replace(`value: ${quotedKey}`, `value: ${quotedKey}, kind: ${quotedKey}`)))).toContain("and 'kind' does not exist in type 'PreSharedKeyRef'");
  });

  test('a run-time error of a module that writes a key inline is shown by its type only', async () => {
    const thrown = await refusal(edited('throws', (t) => t.replace(quotedKey, `(() => { throw new Error(${quotedKey}); })()`)));
    expect(thrown).toMatch(/throws\.ts: evaluating the module failed: Error \(the message is not shown: the module writes a key inline, which it could quote\)$/);
    // JSON.parse quotes the start of what it was given: a prefix of the key, which no whole-key scan would see.
    const parsed = await refusal(edited('json-parse', (t) => t.replace(quotedKey, `JSON.parse(${quotedKey}) as string`)));
    expect(parsed).toMatch(/evaluating the module failed: SyntaxError \(the message is not shown/);
    expect(parsed).not.toContain(CANARY.slice(0, 8));
  });

  test('a run-time error of a module without an inline key keeps its message', async () => {
    const file = join(dir, 'no-key-throws.ts');
    writeFileSync(file, "export const config = (() => { throw new Error('no endpoint here'); })();\n");
    expect(await refusal(file)).toContain('evaluating the module failed: no endpoint here');
  });
});

test('a module without a `config` export is bad input', async () => {
  const file = join(dir, 'empty.ts');
  writeFileSync(file, `export const other = { preSharedKey: { value: ${quotedKey} } };\n`);
  expect(await refusal(file)).toContain('exports no `config`');
});

/** swanctl.conf: the nested-section parser, what a connection offers, and checks driven by a hand edit. */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { endpointConfigFromDescribe, renderSwanctl } from '../../lib/endpoint';
import { loadConfig, parseDuration, parseSwanctl, verifyConfig, VerifyInputError } from '../../lib/verify';
import { readLoadableSwanctl } from '../../lib/verify/swanctl-schema';
import { CANARY, cliScanned, plantedDescribeJson, plantInDescribe, plantInSwanctl, refused, scanned } from '../helpers/bad-input';
import { convertedConfig, describeOf, loadConnection, tempDir, writeAllFormats } from './helpers';
import { secretLineMutations } from './swanctl-mutations';

describe('parseSwanctl', () => {
  test('nested sections, settings, quoted values with # and escapes, includes, comments', () => {
    const file = parseSwanctl(
      [
        '# header comment',
        'connections {',
        '  a { version = 2   # trailing comment',
        '    children { c { esp_proposals = aes128gcm16-ecp256 } }',
        '  }',
        '}',
        'secrets {',
        '  ike-a { secret = "x#y\\"z" }',
        '  include other.conf',
        '}',
      ].join('\n'),
    );
    const a = file.root.sections.get('connections')?.sections.get('a');
    expect(a?.settings.get('version')).toBe('2');
    expect(a?.sections.get('children')?.sections.get('c')?.settings.get('esp_proposals')).toBe('aes128gcm16-ecp256');
    expect(file.root.sections.get('secrets')?.sections.get('ike-a')?.settings.get('secret')).toBe('x#y"z');
    expect(file.root.sections.get('secrets')?.includes).toEqual(['other.conf']);
    expect(file.comments).toEqual([' header comment', ' trailing comment']);
  });

  test('syntax errors name the line (a secret canary in each file, never echoed)', async () => {
    const parsed = (text: string, options?: Parameters<typeof parseSwanctl>[1]) => refused(() => parseSwanctl(plantInSwanctl(text), options));
    expect((await parsed('connections {\n  a {\n', { file: '/etc/swanctl/swanctl.conf' })).message).toBe('/etc/swanctl/swanctl.conf: line 2: section `a` is never closed with `}`');
    expect((await parsed('}')).message).toMatch(/line 1: unexpected `}`/);
    expect((await parsed('connections {\n  what is this\n}')).message).toMatch(/line 2: expected `=` or `\{` after a name, found a name$/);
    expect((await parsed('connections {\n  what is this\n}', { quotableName: (n) => n === 'what' })).message).toMatch(/line 2: expected `=` or `\{` after `what`, found a name$/);
    // The key slipped to the line after `secret =`: the stray word is not quoted, the line says where.
    expect((await parsed(`secrets {\n  ike-a {\n    secret =\n      ${CANARY} here\n  }\n}`)).message).toMatch(/line 5: expected `=` or `\{` after a name, found `}`$/);
  });

  test('durations', () => {
    expect([parseDuration('3060s'), parseDuration('51m'), parseDuration('8h'), parseDuration('1d'), parseDuration('90')]).toEqual([3060, 3060, 28800, 86400, 90]);
    expect(parseDuration('soon')).toBeUndefined();
  });
});

describe('swanctl.conf as rendered from a fixture', () => {
  const dir = tempDir();
  const files = writeAllFormats(convertedConfig('static-routing'), dir);

  test('offers what the endpoint config says, read back from the file', () => {
    const [fromJson] = loadConfig(files.json).tunnels;
    const [fromSwanctl] = loadConfig(files.swanctl).tunnels;
    expect(fromSwanctl.ikeVersions).toEqual(fromJson.ikeVersions);
    expect(fromSwanctl.espProposals.map((p) => p.text)).toEqual(fromJson.espProposals.map((p) => p.text));
    expect(fromSwanctl.ike).toEqual(fromJson.ike);
    expect(fromSwanctl.esp).toEqual(fromJson.esp);
    expect(fromSwanctl.localInside).toBe(fromJson.localInside);
    expect(fromSwanctl.mtu).toBe(fromJson.mtu);
    expect(fromSwanctl.initiates).toBe(true); // static-routing: startup action add
  });

  test('a swanctl.conf without --describe is bad input', async () => {
    const planted = join(dir, 'planted.swanctl.conf');
    writeFileSync(planted, plantInSwanctl(readFileSync(files.swanctl, 'utf8')));
    const error = await refused(() => verifyConfig({ configPath: planted, dynamic: false }));
    expect(error).toBeInstanceOf(VerifyInputError);
    expect(error.message).toContain('pass --describe FILE');
  });

  test('hand edits: child life_time too long, start_action none, a tunnel missing', async () => {
    const edited = readFileSync(files.swanctl, 'utf8')
      .replace(/life_time = \d+s/, 'life_time = 2h')
      .replace(/start_action = start/, 'start_action = none')
      .replace(/remote_addrs = 192\.0\.2\.51/, 'remote_addrs = 192.0.2.99');
    const file = join(dir, 'edited.swanctl.conf');
    writeFileSync(file, edited);
    const report = await verifyConfig({ configPath: file, describe: describeOf('static-routing'), dynamic: false });
    const first = report.tunnels[0].checks;
    const byId = (id: string) => first.find((c) => c.id === id);
    expect(byId('esp-lifetime')?.summary).toBe("Phase 2 lifetime 7200s is above AWS's maximum 3600s");
    expect(byId('esp-lifetime')?.fix).toMatch(/^set connections\.[\w-]+-tunnel1\.children\.[\w-]+\.life_time to at most 3600/);
    expect(byId('startup')?.status).toBe('fail');
    expect(byId('startup')?.fix).toMatch(/start_action = start$/);
    // The renamed connection points nowhere, and AWS's second tunnel is left without one.
    expect(report.tunnels.filter((t) => t.checks.some((c) => c.id === 'aws-tunnel' && c.status === 'fail')).map((t) => t.awsOutsideAddress)).toEqual([
      '192.0.2.99',
      '192.0.2.51',
    ]);
    expect(report.summary.ok).toBe(false);
  });

  test('an inline secret in the secrets section is checked against AWS, never shown', async () => {
    const withKeys = writeAllFormats(convertedConfig('static-routing', { inlineSecrets: true }), dir, 'inline');
    const ok = await verifyConfig({ configPath: withKeys.swanctl, describe: describeOf('static-routing'), dynamic: false });
    expect(ok.tunnels[0].checks.find((c) => c.id === 'pre-shared-key')?.summary).toContain("matches AWS's key");
    const wrong = join(dir, 'wrong-key.swanctl.conf');
    writeFileSync(wrong, readFileSync(withKeys.swanctl, 'utf8').replace(/secret = "[^"]*"/, 'secret = "short"'));
    const bad = await verifyConfig({ configPath: wrong, describe: describeOf('static-routing'), dynamic: false });
    const psk = bad.tunnels[0].checks.find((c) => c.id === 'pre-shared-key');
    expect(psk?.status).toBe('fail');
    expect(psk?.summary).toContain('must be 8 to 64 characters long (it has 5)');
    expect(JSON.stringify(bad)).not.toContain('"short"');
    // The same key hex-encoded, as strongSwan also accepts it, still matches AWS's.
    const [key] = readFileSync(withKeys.swanctl, 'utf8').match(/secret = "([^"]*)"/)?.slice(1) ?? [];
    const hex = join(dir, 'hex-key.swanctl.conf');
    writeFileSync(hex, readFileSync(withKeys.swanctl, 'utf8').replace(/secret = "[^"]*"/, `secret = 0x${Buffer.from(key).toString('hex')}`));
    const decoded = await verifyConfig({ configPath: hex, describe: describeOf('static-routing'), dynamic: false });
    expect(decoded.tunnels[0].checks.find((c) => c.id === 'pre-shared-key')?.status).toBe('pass');
  });
});

/**
 * Every refused swanctl.conf carries the secret canary as its keys (plantInSwanctl), and what verify threw,
 * reported or printed is scanned for it: the bad lines here are the secret's own line and its neighbours.
 */
describe('a swanctl.conf refused around its secret line never echoes the key', () => {
  const dir = tempDir();
  const connection = loadConnection('vgw-bgp-multi-algorithm');
  const describePath = join(dir, 'describe.json');
  writeFileSync(describePath, plantedDescribeJson([connection]));
  const describe = { connection: plantInDescribe(connection), file: describePath };
  const planted = plantInSwanctl(renderSwanctl(endpointConfigFromDescribe(connection, { inlineSecrets: true }), { startAction: 'none' }));
  // The same keys written quoted, as a user would (`secret = "..."`): a quote elsewhere then pairs with theirs.
  const quoted = planted.replace(/^(\s*secret = )(\S+)$/gm, '$1"$2"');
  const cases = [...secretLineMutations(planted).map((m) => ['bare', m] as const), ...secretLineMutations(quoted).map((m) => ['quoted', m] as const)];
  let refusals = 0;
  const writeTo = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  test('the mutations do plant the key', () => {
    expect(cases.length).toBeGreaterThan(40);
    for (const [, m] of cases) expect(m.text).toContain(CANARY);
  });

  test.each(cases.map(([form, m], i) => [`${form}: ${m.description}`, m, i] as const))('%s', async (_name, m, i) => {
    const path = writeTo(`secret-line-${i}.swanctl.conf`, m.text);
    const read = readLoadableSwanctl(m.text, path);
    const options = { dirs: [dir], inputs: [path, describePath] };
    if ('refused' in read) {
      refusals++;
      const error = await refused(() => verifyConfig({ configPath: path, describe, dynamic: false }), options);
      expect(error).toBeInstanceOf(VerifyInputError);
      expect(error.message).toMatch(/: line \d+: /);
    } else {
      await scanned(() => verifyConfig({ configPath: path, describe, dynamic: false }).catch((e: unknown) => e), options);
    }
    const run = await cliScanned(['verify', path, '--describe', describePath, '--static-only'], options);
    if ('refused' in read) expect(run.code).toBe(2);
  });

  test('a value that ran into a `secret =` line is named by its line, keyword and length, never shown', async () => {
    const [, onMobike] = cases.find(([form, m]) => form === 'bare' && m.description === 'the secret on the line of mobike') as (typeof cases)[number];
    const line = onMobike.text.split('\n').findIndex((l) => l.includes('mobike =')) + 1;
    const error = await refused(() => loadConfig(writeTo('on-mobike.swanctl.conf', onMobike.text)));
    expect(error.message).toMatch(new RegExp(`: line ${line}: connections\\.[\\w-]+\\.mobike: a value of ${`no secret = ${CANARY}`.length} characters \\(not shown: it runs into another setting, which could hold a key\\) is not one of yes, no`));
  });

  test('most of them are refusals', () => {
    expect(refusals).toBeGreaterThan(cases.length / 2);
  });
});

/** swanctl.conf: the nested-section parser, what a connection offers, and checks driven by a hand edit. */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { loadConfig, parseDuration, parseSwanctl, verifyConfig, VerifyInputError } from '../../lib/verify';
import { convertedConfig, describeOf, tempDir, writeAllFormats } from './helpers';

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

  test('syntax errors name the line', () => {
    expect(() => parseSwanctl('connections {\n  a {\n', { file: '/etc/swanctl/swanctl.conf' })).toThrow('/etc/swanctl/swanctl.conf: line 2: section `a` is never closed with `}`');
    expect(() => parseSwanctl('}')).toThrow('line 1: unexpected `}`');
    expect(() => parseSwanctl('connections {\n  what is this\n}')).toThrow(/line 2: expected `=` or `\{` after a name, found a name$/);
    expect(() => parseSwanctl('connections {\n  what is this\n}', { quotableName: (n) => n === 'what' })).toThrow(/line 2: expected `=` or `\{` after `what`, found a name$/);
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
    await expect(verifyConfig({ configPath: files.swanctl, dynamic: false })).rejects.toThrow(VerifyInputError);
    await expect(verifyConfig({ configPath: files.swanctl, dynamic: false })).rejects.toThrow('pass --describe FILE');
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

/**
 * verify refuses what strongSwan refuses (swanctl.conf) and keys the model does not have (endpoint.json,
 * endpoint.ts), naming where: the file and line, or the JSON path, and the closest known key.
 * The verdicts themselves are proven against the real charon in swanctl-charon-differential.test.ts.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { renderJson } from '../../lib/endpoint';
import { ENDPOINT_CONFIG_KEYS, rejectUnknownKeys } from '../../lib/endpoint/unknown-keys';
import { loadConfig, parseSwanctl, verifyConfig, VerifyInputError } from '../../lib/verify';
import { readLoadableSwanctl, SCHEMA_KEYWORDS } from '../../lib/verify/swanctl-schema';
import { storedKeywords } from '../endpoint/strongswan/swanctl-keywords';
import { proposalProblem, time, tokens, uint32 } from '../../lib/verify/swanctl-schema-values';
import { cliProcessScanned, plantInEndpointConfig, refused, scanned } from '../helpers/bad-input';
import { convertedConfig, describeOf, FIXTURE_NAMES, tempDir, writeAllFormats, writeJson } from './helpers';

const dir = tempDir();
// The configs refused here carry a secret canary as every tunnel's key (swanctl.conf: `secret = `); every
// error, report and output is scanned for it (test/helpers/bad-input.ts).
const planted = (name: string) => plantInEndpointConfig(convertedConfig(name));
const cli = (...args: string[]) => cliProcessScanned(args, { dirs: [dir], inputs: [] });

describe('swanctl.conf: what charon would refuse is bad input', () => {
  const files = writeAllFormats(planted('hq'), dir);
  const typo = join(dir, 'typo.swanctl.conf');
  const text = readFileSync(files.swanctl, 'utf8');
  const line = text.split('\n').findIndex((l) => l.includes('replay_window')) + 1;
  writeFileSync(typo, text.replace('replay_window', 'replay_windw'));

  test('replay_windw: the file, the line, the keyword, charon\'s words and the keyword meant', async () => {
    const error = await refused(() => verifyConfig({ configPath: typo, describe: describeOf('hq'), dynamic: false }));
    expect(error).toBeInstanceOf(VerifyInputError);
    expect((error as Error).message).toBe(
      `${typo}: line ${line}: connections.vpn-0123456789abcdef0-tunnel1.children.vpn-0123456789abcdef0-tunnel1.replay_windw: ` +
        'unknown keyword in a CHILD_SA (charon: "unknown option: replay_windw, config discarded"); did you mean `replay_window`?',
    );
  });

  test('the CLI exits 2 with that message', async () => {
    const run = await cli('verify', typo, '--describe', describeOf('hq').file, '--static-only');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${typo}: line ${line}: `);
    expect(run.stderr).toContain('did you mean `replay_window`?');
    expect(run.stdout).not.toContain('PASS');
  }, 30_000);

  test('every problem is listed, each on its line; a secret\'s value never is', async () => {
    const edited = text
      .replace('mobike = no', 'mobike = maybe')
      .replace(/(esp_proposals = )\S+/, '$1aes128gcm16-aes128')
      .replace(/secret = "[^"]*"/, 'secret = ""');
    const read = await scanned(() => readLoadableSwanctl(edited, join(dir, 'many.conf')));
    expect('refused' in read && read.refused.map((r) => r.replace(/^.*?: line \d+: /, ''))).toEqual([
      'connections.vpn-0123456789abcdef0-tunnel1.mobike: "maybe" is not one of yes, no, true, false, enabled, disabled, 1, 0 (charon: "invalid value for: mobike, config discarded")',
      expect.stringMatching(/^connections\.vpn-0123456789abcdef0-tunnel1\.children\.vpn-0123456789abcdef0-tunnel1\.esp_proposals: proposal "aes128gcm16-aes128" mixes combined-mode/),
      // The first tunnel's key emptied; the second's (a canary) stays, and the scan sees it is not echoed.
      'secrets.ike-vpn-0123456789abcdef0-tunnel1.secret: is empty (charon: "shared key data missing")',
    ]);
    const withSecret = convertedConfig('vgw-bgp-multi-algorithm', { inlineSecrets: true });
    const key = (withSecret.tunnels[0].preSharedKey as { value: string }).value;
    writeAllFormats(withSecret, dir, 'inline');
    const inline = readFileSync(join(dir, 'inline.swanctl.conf'), 'utf8').replace(/(secret = "[^"]*")/, '$1\n    secret = 0x');
    const refused = readLoadableSwanctl(inline, join(dir, 'inline.swanctl.conf'));
    expect('refused' in refused && refused.refused).toEqual([expect.stringMatching(/secrets\.ike-vpn-0a1b2c3d4e5f60718-tunnel1\.secret: is empty \(charon: "shared key data missing"\)$/)]);
    expect(JSON.stringify(refused)).not.toContain(key);
  });

  test('a key that slipped to the line after `secret =` is not echoed by the syntax error', () => {
    const read = readLoadableSwanctl('secrets {\n  ike-a {\n    secret =\n      EXAMPLE.k3yNotReal here\n  }\n}\n', join(dir, 'slipped.conf'));
    expect('refused' in read && read.refused).toEqual([expect.stringContaining('slipped.conf: line 4: expected `=` or `{` after a name, found `.`')]);
    expect(JSON.stringify(read)).not.toContain('k3yNotReal');
    const known = readLoadableSwanctl('connections {\n  a {\n    mobike no\n  }\n}\n', join(dir, 'known.conf'));
    expect('refused' in known && known.refused[0]).toContain('line 3: expected `=` or `{` after `mobike`, found a name');
  });

  test('what strongSwan takes is taken: joined words, unset keys, merged sections, inheritance, includes in place', () => {
    const f = parseSwanctl(
      [
        'connections {',
        '  base { version = 2\n    rekey_time = 1h }',
        '  a : connections.base {',
        '    remote_addrs = 192.0.2.1   198.51.100.1 "x y"',
        '    dpd_delay = 10s',
        '    dpd_delay =',
        '    include conf.d/*.conf',
        '  }',
        '  a { mobike = no }',
        '}',
        'include = not-an-include',
      ].join('\n'),
      {
        file: '/etc/swanctl/swanctl.conf',
        resolveInclude: (pattern, from) => (pattern === 'conf.d/*.conf' && from === '/etc/swanctl/swanctl.conf' ? [{ path: '/etc/swanctl/conf.d/1.conf', text: '\n\nlocal { auth = psk }\n' }] : []),
      },
    );
    const a = f.root.sections.get('connections')?.sections.get('a');
    expect(Object.fromEntries(a?.settings ?? [])).toEqual({ remote_addrs: '192.0.2.1 198.51.100.1 x y', mobike: 'no', version: '2', rekey_time: '1h' });
    expect(a?.sections.get('local')?.settingAt.get('auth')).toEqual({ file: '/etc/swanctl/conf.d/1.conf', line: 3 });
    expect(f.root.settings.get('include')).toBe('not-an-include');
  });

  test('an included file\'s error names that file and its line', () => {
    const main = join(dir, 'main.conf');
    writeFileSync(join(dir, 'part.conf'), 'connections {\n  x {\n    remote_addrs = 192.0.2.1\n    dpd_dealy = 10s\n  }\n}\n');
    const read = readLoadableSwanctl('include part.conf\n', main);
    expect('refused' in read && read.refused).toEqual([`${join(dir, 'part.conf')}: line 4: connections.x.dpd_dealy: unknown keyword in a connection (charon: "unknown option: dpd_dealy, config discarded"); did you mean \`dpd_delay\`?`]);
  });

  test('the schema knows every keyword swanctl.conf(5) of 5.9.8 documents for connections, CHILD_SAs and auth rounds', () => {
    const documented = storedKeywords().filter((k) => k.startsWith('connections.<conn>.'));
    const kindOf = (k: string): [keyof typeof SCHEMA_KEYWORDS, string] | undefined => {
      const rest = k.slice('connections.<conn>.'.length);
      let m = /^children\.<child>\.([a-z_0-9]+)$/.exec(rest);
      if (m) return ['child', m[1]];
      m = /^(?:local|remote)<suffix>\.(?:ca)?cert<suffix>\.([a-z_0-9]+)$/.exec(rest);
      if (m) return ['cert', m[1]];
      m = /^(?:local|remote)<suffix>\.([a-z_0-9]+)$/.exec(rest);
      if (m) return ['auth', m[1]];
      m = /^([a-z_0-9]+)$/.exec(rest);
      return m ? ['connection', m[1]] : undefined;
    };
    const keywords = documented.map(kindOf).filter((x): x is [keyof typeof SCHEMA_KEYWORDS, string] => x !== undefined);
    expect(keywords.length).toBeGreaterThan(100);
    expect(keywords.filter(([kind, key]) => !SCHEMA_KEYWORDS[kind].includes(key))).toEqual([]);
    // and the other way round: the schema (read from vici_config.c) has nothing the man page lacks
    const documentedSet = new Set(keywords.map(([kind, key]) => `${kind}.${key}`));
    const extra = (Object.entries(SCHEMA_KEYWORDS) as [string, string[]][]).flatMap(([kind, keys]) => keys.map((k) => `${kind}.${k}`)).filter((k) => !documentedSet.has(k));
    expect(extra).toEqual([]);
  });

  test('values charon takes are read as charon reads them (hex, octal, units in any case, after a blank)', () => {
    const edited = text.replace(/replay_window = \d+/, 'replay_window = 0x400').replace(/dpd_delay = 10s/, 'dpd_delay = 10 S').replace(/over_time = (\d+)s/, 'over_time = 0$1');
    const file = join(dir, 'charon-numbers.swanctl.conf');
    writeFileSync(file, edited);
    const [fromText] = loadConfig(file).tunnels;
    const [original] = loadConfig(files.swanctl).tunnels;
    expect(fromText.replayWindow).toBe(1024);
    expect(fromText.dpdDelaySeconds).toBe(10);
    expect(edited).toMatch(/over_time = 0\d+\n/);
    expect(fromText.ike.lifetimeSeconds).not.toBe(original.ike.lifetimeSeconds); // a leading 0 is octal, as in C
  });

  test('values as charon reads them: C strtoul, units after blanks, buffers, token lists', () => {
    expect(['', '0x10', '010', '-1', '123456789012345xyz'].map(uint32)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(['08', '1 0', 'ten'].map((x) => uint32(x) !== undefined)).toEqual([true, true, true]);
    expect(['1h', '1 H', 's', '0x10m', ''].map(time)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(['1hour', '1.5h', '4h30m'].map((x) => time(x) !== undefined)).toEqual([true, true, true]);
    expect(tokens(' a, ,b ,"c,d", ', ',', ' ')).toEqual(['a', 'b', 'c,d']);
    expect(proposalProblem('aes128-sha256_96-modp2048', 'ike')).toMatch(/no PRF/);
    expect(proposalProblem('aes128-sha256-modp2048', 'ike')).toBeUndefined();
    expect(proposalProblem('aes128gcm16', 'esp')).toBeUndefined();
  });
});

describe('endpoint.json and endpoint.ts: a key the model does not have is bad input', () => {
  test('tunnels[0].esp.replayWindw: the JSON path and the key meant', async () => {
    const config = planted('hq') as unknown as { tunnels: { esp: Record<string, unknown> }[] };
    config.tunnels[0].esp.replayWindw = config.tunnels[0].esp.replayWindow;
    delete config.tunnels[0].esp.replayWindow;
    const file = writeJson(config, dir, 'typo.json');
    expect(await refused(() => loadConfig(file))).toBeInstanceOf(VerifyInputError);
    expect(() => loadConfig(file)).toThrow(VerifyInputError);
    expect(() => loadConfig(file)).toThrow(`${file}: tunnels[0].esp.replayWindw: unknown key; did you mean "replayWindow"? (known here: encryption, integrity, pfsGroups, lifetimeSeconds, replayWindow, mode)`);
  });

  test('at the top, in a list element and in a pre-shared key reference', () => {
    const config = convertedConfig('hq', { inlineSecrets: true }) as unknown as Record<string, unknown> & { tunnels: Record<string, unknown>[] };
    expect(() => rejectUnknownKeys({ ...config, vpnConnectionID: 'x' })).toThrow('vpnConnectionID: unknown key; did you mean "vpnConnectionId"?');
    const tunnels = config.tunnels.map((t, i) => (i === 1 ? { ...t, preSharedKey: { valu: 'EXAMPLE.secret' } } : t));
    const error = (() => {
      try {
        rejectUnknownKeys({ ...config, tunnels });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/^tunnels\[1\]\.preSharedKey\.valu: unknown key; did you mean "value"\?/);
    expect(error?.message).not.toContain('EXAMPLE.secret');
  });

  test('an endpoint.ts whose config has an extra key', async () => {
    const files = writeAllFormats(planted('static-routing'), dir, 'extra');
    const ts = readFileSync(files.ts, 'utf8').replace(/(\n\s*)startupAction:/, '$1startupActoin: "add",$1startupAction:');
    expect(ts).toContain('startupActoin');
    const file = join(dir, 'extra-key.ts');
    writeFileSync(file, ts.replace(/: OnPremEndpointConfig\b/, ': any'));
    await refused(() => loadConfig(file));
    expect(() => loadConfig(file)).toThrow(/tunnels\[0\]\.startupActoin: unknown key; did you mean "startupAction"\?/);
  });

  test.each(FIXTURE_NAMES)('%s: everything the converter writes is a known key (so the key list keeps up with the model)', (name) => {
    for (const inlineSecrets of [false, true]) {
      const value: unknown = JSON.parse(renderJson(convertedConfig(name, { inlineSecrets })));
      expect(() => rejectUnknownKeys(value)).not.toThrow();
    }
    // `site` is the user's own addition (withSiteRouting); the converter never writes it.
    const known = Object.keys(ENDPOINT_CONFIG_KEYS).filter((k) => k !== 'site');
    expect(known.sort()).toEqual(Object.keys(JSON.parse(renderJson(convertedConfig(name))) as object).sort());
  });
});

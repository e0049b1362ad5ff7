/**
 * Mutations of a rendered swanctl.conf for the verify-vs-charon differential test: each is one edit a
 * person could make (a typo, a key in the wrong section, a lost brace, a bad value, ...). Whether charon
 * accepts it is not decided here: the real charon is the oracle. Deterministic: the same input gives the
 * same mutations.
 */

export type MutationClass =
  | 'keyword-typo'
  | 'wrong-nesting'
  | 'braces'
  | 'bad-value'
  | 'edge-value'
  | 'unknown-section'
  | 'duplicate'
  | 'syntax'
  | 'secrets'
  | 'include'
  | 'documented-keyword';

export interface Mutation {
  readonly kind: MutationClass;
  readonly description: string;
  readonly text: string;
  /** Files to write next to the swanctl.conf (name → content). */
  readonly extraFiles?: Record<string, string>;
}

interface Line {
  readonly index: number;
  readonly indent: string;
  /** Section path of the line (the names of open sections), without the line's own section. */
  readonly path: readonly string[];
  readonly key?: string;
  readonly value?: string;
  readonly opens?: string;
  readonly closes?: boolean;
}

/** The rendered file's lines with their section paths (the renderer writes one statement a line). */
function lines(text: string): Line[] {
  const path: string[] = [];
  return text.split('\n').map((raw, index) => {
    const indent = /^\s*/.exec(raw)?.[0] ?? '';
    const code = raw.replace(/#.*$/, '').trim();
    const here = [...path];
    const open = /^(\S+) \{$/.exec(code);
    if (open) {
      path.push(open[1]);
      return { index, indent, path: here, opens: open[1] };
    }
    if (code === '}') {
      path.pop();
      return { index, indent, path: here, closes: true };
    }
    const setting = /^(\S+) = (.*)$/.exec(code);
    if (setting) return { index, indent, path: here, key: setting[1], value: setting[2] };
    return { index, indent, path: here };
  });
}

/** Which kind of section a path is: the renderer's connections, CHILD_SAs, auth rounds and secrets. */
function contextOf(path: readonly string[]): 'conn' | 'child' | 'auth' | 'secret' | 'other' {
  if (path[0] === 'connections' && path.length === 2) return 'conn';
  if (path[0] === 'connections' && path.length === 4 && path[2] === 'children') return 'child';
  if (path[0] === 'connections' && path.length === 3 && /^(local|remote)/.test(path[2])) return 'auth';
  if (path[0] === 'secrets' && path.length === 2) return 'secret';
  return 'other';
}

const TYPOS: ((k: string) => string)[] = [
  (k) => k.slice(0, -1), // replay_windo
  (k) => (k.length > 3 ? k.slice(0, 2) + k[3] + k[2] + k.slice(4) : `${k}x`), // swapped letters
  (k) => k.replace(/_/, '-') === k ? `${k}s` : k.replace(/_/, '-'), // dash for underscore
  (k) => k[0].toUpperCase() + k.slice(1), // charon compares keywords case-sensitively
  (k) => k.replace(/(.)(.)$/, '$1$1$2'), // a doubled letter
];

/** Values that charon refuses or (edge-value) takes by its own parsing rules, per keyword. */
const VALUES: Record<string, { bad: string[]; edge: string[] }> = {
  version: { bad: ['two', '2.0', '1,2'], edge: ['0x2', '""', '02'] },
  encap: { bad: ['maybe', 'on', '2'], edge: ['YES', 'disabled', 'False'] },
  mobike: { bad: ['nope', 'off'], edge: ['0', 'Enabled'] },
  dpd_delay: { bad: ['10x', '10 secs', 'ten'], edge: ['10 s', '1M', 's'] },
  rekey_time: { bad: ['1hour', '-', '4h30m'], edge: ['0x10', '4H', '"  3600s"'] },
  over_time: { bad: ['5min', '1.5h'], edge: ['0', '9m'] },
  rand_time: { bad: ['1w', 'random'], edge: ['""', '1d'] },
  keyingtries: { bad: ['%forever', 'forever'], edge: ['00', '0x0'] },
  if_id_in: { bad: ['one', '%uniq', '1/1'], edge: ['%unique', '%UNIQUE-dir', '0x1'] },
  if_id_out: { bad: ['%unique-dirx', '1a'], edge: ['%unique-dir', '010'] },
  proposals: {
    bad: ['aes128-sha256', 'aes999-sha256-modp2048', 'aes128gcm16-aes128-sha256-modp2048', 'AES128-SHA256-MODP2048', 'aes128-modp2048', 'aes128-sha256-none'],
    edge: ['default', 'aes128gcm16-prfsha256-ecp256', 'aes128-sha256_96-prfsha256-modp2048, ,', 'aes128-sha256-modpnull'],
  },
  esp_proposals: {
    bad: ['sha256-modp2048', 'aes128gcm16-aes128', 'aes128-prfsha999', 'aes128gcm16-ecp999'],
    edge: ['aes128', 'aes128-sha256-prfsha256', 'aes128gcm16-esn-noesn', 'default'],
  },
  mode: { bad: ['tunel', 'route'], edge: ['TUNNEL', 'transport_proxy'] },
  local_ts: { bad: ['0.0.0.0/0[tcpx]', '256.0.0.0/8', 'anywhere'], edge: ['0.0.0.0/33', '10.0.0.0/8[tcp/443]', 'dynamic'] },
  remote_ts: { bad: ['0.0.0.0/0[tcp', '10.0.0.1-fd00::1'], edge: ['10.0.0.1-10.0.0.9', '::/0', '0.0.0.0/x'] },
  life_time: { bad: ['1800ss', 's1800'], edge: ['30m', '0x708'] },
  replay_window: { bad: ['1024k', 'big', '-'], edge: ['-1', '0x400', '""'] },
  dpd_action: { bad: ['reset', 'restart|trap'], edge: ['CLEAR', 'trap|none', '""'] },
  start_action: { bad: ['initiate', 'route|start'], edge: ['none|trap', 'Trap', 'none | trap'] },
  close_action: { bad: ['close', 'start|route'], edge: ['none', 'clear', 'start|'] },
  auth: { bad: ['pskk', 'PSK-eap', 'certificate'], edge: ['PSK', 'eap-md5', 'pubkey-sha256'] },
  id: { bad: ['"Zürich"'], edge: ['"CN=on prem, O=Example"', '%any', '@vpn.example.com'] },
  local_addrs: { bad: [], edge: ['%any', '198.51.100.0/24'] },
  remote_addrs: { bad: [], edge: ['192.0.2.0-192.0.2.255'] },
  secret: { bad: ['""', '0x'], edge: ['0sRVhBTVBMRS4xMjM0NTY3OA=='] },
};

/** Every mutation of `conf` (a rendered swanctl.conf); `salt` varies the choices between fixtures. */
export function mutations(conf: string, salt: number): Mutation[] {
  const ls = lines(conf);
  const text = (edit: (all: string[]) => void): string => {
    const all = conf.split('\n');
    edit(all);
    return all.join('\n');
  };
  const out: Mutation[] = [];
  const add = (kind: MutationClass, description: string, edited: string, extraFiles?: Record<string, string>) => out.push({ kind, description, text: edited, extraFiles });
  const settingsIn = (ctx: ReturnType<typeof contextOf>) => ls.filter((l) => l.key !== undefined && contextOf(l.path) === ctx);
  const firstOf = (ctx: ReturnType<typeof contextOf>) => {
    const seen = new Map<string, Line>();
    for (const l of settingsIn(ctx)) if (!seen.has(l.key as string)) seen.set(l.key as string, l);
    return [...seen.values()];
  };
  const replaceLine = (l: Line, replacement: string) => text((all) => (all[l.index] = replacement));

  // 1. a typo in each keyword (first occurrence in each kind of section)
  let n = salt;
  for (const ctx of ['conn', 'child', 'auth', 'secret'] as const) {
    for (const l of firstOf(ctx)) {
      const typo = TYPOS[n++ % TYPOS.length](l.key as string);
      add('keyword-typo', `${ctx} keyword ${l.key} written ${typo}`, replaceLine(l, `${l.indent}${typo} = ${l.value}`));
    }
  }

  // 2. keys and sections in the wrong section
  const firstConn = ls.find((l) => l.opens && contextOf([...l.path, l.opens]) === 'conn') as Line;
  const firstChild = ls.find((l) => l.opens && contextOf([...l.path, l.opens]) === 'child') as Line;
  const firstAuth = ls.find((l) => l.opens && contextOf([...l.path, l.opens]) === 'auth') as Line;
  const insertAfter = (l: Line, added: string[]) => text((all) => all.splice(l.index + 1, 0, ...added));
  const conn = firstOf('conn');
  const child = firstOf('child');
  for (const l of [...conn.filter((c) => !child.some((x) => x.key === c.key)).slice(0, 4), ...child.filter((c) => !conn.some((x) => x.key === c.key)).slice(0, 4)]) {
    const inChild = contextOf(l.path) === 'conn';
    add('wrong-nesting', `${l.key} moved into ${inChild ? 'the CHILD_SA' : 'the connection'}`, insertAfter(inChild ? firstChild : firstConn, [`        ${l.key} = ${l.value}`]));
  }
  add('wrong-nesting', 'auth = psk at connection level', insertAfter(firstConn, ['    auth = psk']));
  add('wrong-nesting', 'rekey_time in the local section', insertAfter(firstAuth, ['      rekey_time = 3600s']));
  add('wrong-nesting', 'secret in the connection', insertAfter(firstConn, ['    secret = "EXAMPLE.not-a-real-key"']));
  add('wrong-nesting', 'a CHILD_SA directly in the connection (no children section)', insertAfter(firstConn, ['    extra-child {', '      mode = tunnel', '    }']));
  add('wrong-nesting', 'a local section inside the CHILD_SA', insertAfter(firstChild, ['        local {', '          auth = psk', '        }']));
  add('wrong-nesting', 'a children section inside local', insertAfter(firstAuth, ['      children {', '        c { mode = tunnel }', '      }']));
  add('wrong-nesting', 'a connection setting directly in connections', insertAfter(ls.find((l) => l.opens === 'connections') as Line, ['  version = 2']));
  add('wrong-nesting', 'a setting directly in children', insertAfter(ls.find((l) => l.opens === 'children') as Line, ['      mode = tunnel']));

  // 3. unbalanced braces
  const closes = ls.filter((l) => l.closes);
  const opens = ls.filter((l) => l.opens);
  for (const l of [closes[salt % closes.length], closes[closes.length - 1], closes[(salt * 3 + 1) % closes.length]]) add('braces', `the } on line ${l.index + 1} removed`, replaceLine(l, ''));
  for (const l of [opens[salt % opens.length], opens[(salt + 2) % opens.length]]) add('braces', `the { on line ${l.index + 1} removed`, replaceLine(l, `${l.indent}${l.opens}`));
  add('braces', 'an extra } at the end', `${conf}}\n`);
  add('braces', 'an extra } after a setting', replaceLine(settingsIn('child')[salt % settingsIn('child').length], `${settingsIn('child')[salt % settingsIn('child').length].indent}}`));
  add('braces', 'an extra { after a section', replaceLine(firstChild, `${firstChild.indent}${firstChild.opens} { {`));
  add('braces', 'a one-line section closed on its line', insertAfter(firstChild, ['        inner { }']));

  // 4./5. values: refused ones and ones charon's parsing takes
  // A third of each list per fixture (by salt), so the seven fixtures together try every value.
  const share = <T>(list: readonly T[], offset: number) => list.filter((_, i) => (i + offset) % 3 === salt % 3);
  [...firstOf('conn'), ...firstOf('child'), ...firstOf('auth'), ...firstOf('secret')].forEach((l, k) => {
    const values = VALUES[l.key as string];
    if (!values) return;
    for (const bad of share(values.bad, k)) add('bad-value', `${l.key} = ${bad}`, replaceLine(l, `${l.indent}${l.key} = ${bad}`));
    for (const edge of share(values.edge, k)) add('edge-value', `${l.key} = ${edge}`, replaceLine(l, `${l.indent}${l.key} = ${edge}`));
  });

  // 6. sections nobody asked for
  add('unknown-section', 'a top-level section', `${conf}\nextras {\n  foo = bar\n}\n`);
  add('unknown-section', 'a section in the connection', insertAfter(firstConn, ['    timers {', '      dpd = 10s', '    }']));
  add('unknown-section', 'a section in the CHILD_SA', insertAfter(firstChild, ['        timers {', '          life = 1h', '        }']));
  add('unknown-section', 'a section in local', insertAfter(firstAuth, ['      extra {', '      }']));
  add('unknown-section', 'a cert section in local without file or handle', insertAfter(firstAuth, ['      cert-1 {', '        slot = 1', '      }']));
  add('unknown-section', 'a second auth round local-2', insertAfter(firstConn, ['    local-2 {', '      auth = psk', '    }']));
  add('unknown-section', 'a section named with different case (Children)', text((all) => (all[(ls.find((l) => l.opens === 'children') as Line).index] = all[(ls.find((l) => l.opens === 'children') as Line).index].replace('children', 'Children'))));
  add('unknown-section', 'an empty pools section and a pool without addrs', `${conf}\npools {\n  p1 {\n    dns = 192.0.2.53\n  }\n}\n`);
  add('unknown-section', 'a pool with a misspelt attribute', `${conf}\npools {\n  p1 {\n    addrs = 198.51.100.128/28\n    dnss = 192.0.2.53\n  }\n}\n`);
  add('unknown-section', 'an authority without a certificate', `${conf}\nauthorities {\n  ca1 {\n    crl_uris = http://crl.example.com/ca.crl\n  }\n}\n`);

  // 7. duplicates: strongSwan keeps the last value, and merges a section written twice
  const dupe = child.find((l) => l.key === 'replay_window') ?? child[0];
  add('duplicate', `${dupe.key} repeated with a bad value last`, insertAfter(dupe, [`${dupe.indent}${dupe.key} = bogus`]));
  add('duplicate', `${dupe.key} repeated with a bad value first`, text((all) => all.splice(dupe.index, 0, `${dupe.indent}${dupe.key} = bogus`)));
  add('duplicate', `${dupe.key} unset by an empty assignment`, insertAfter(dupe, [`${dupe.indent}${dupe.key} =`]));
  const connName = firstConn.opens as string;
  add('duplicate', 'the connection written twice (merged)', insertAfter(ls.find((l) => l.opens === 'connections') as Line, [`  ${connName} {`, '    dpd_delay = 30s', '  }']));
  add('duplicate', 'the connection written twice, the second with a typo', insertAfter(ls.find((l) => l.opens === 'connections') as Line, [`  ${connName} {`, '    dpd_dealy = 30s', '  }']));

  // 8. syntax
  const s0 = settingsIn('child')[(salt + 1) % settingsIn('child').length];
  add('syntax', 'a setting without =', replaceLine(s0, `${s0.indent}${s0.key} ${s0.value}`));
  add('syntax', 'a quoted keyword', replaceLine(s0, `${s0.indent}"${s0.key}" = ${s0.value}`));
  add('syntax', 'a dot in a keyword', replaceLine(s0, `${s0.indent}${s0.key}.x = ${s0.value}`));
  add('syntax', 'an unterminated string', replaceLine(s0, `${s0.indent}${s0.key} = "${s0.value}`));
  add('syntax', 'a value on the next line', replaceLine(s0, `${s0.indent}${s0.key} =\n${s0.indent}  ${s0.value}`));
  add('syntax', 'a colon in a keyword', replaceLine(s0, `${s0.indent}${s0.key}: ${s0.value}`));
  add('syntax', 'a trailing comment and a quoted # in a value', replaceLine(s0, `${s0.indent}${s0.key} = ${s0.value} # note`));
  add('syntax', 'a value split over two words', replaceLine(s0, `${s0.indent}${s0.key} = ${s0.value} extra`));
  add('syntax', 'a section inheriting from another (conn : ref)', text((all) => (all[firstConn.index] = `${firstConn.indent}${firstConn.opens} : connections.${firstConn.opens} {`)));
  add('syntax', 'two statements on one line', replaceLine(s0, `${s0.indent}x { } ${s0.key} = ${s0.value}`));
  add('syntax', 'an = with no key', replaceLine(s0, `${s0.indent}= ${s0.value}`));
  const inherits = (template: string) => `${text((all) => (all[firstConn.index] = `${firstConn.indent}${firstConn.opens} : templates.base {`))}\ntemplates {\n  base {\n${template}\n  }\n}\n`;
  add('syntax', 'a connection inheriting a template with a typo', inherits('    dpd_dealy = 10s'));
  add('syntax', 'a connection inheriting a template whose CHILD_SA has a bad value', inherits(`    children {\n      ${firstChild.opens} {\n        tfc_padding = lots\n      }\n    }`));
  add('syntax', 'a connection inheriting a template it overrides', inherits('    dpd_delay = soon\n    mobike = yes'));
  add('syntax', 'a reference to a section that does not exist', text((all) => (all[firstConn.index] = `${firstConn.indent}${firstConn.opens} : templates.none, x {`)));

  // 9. secrets
  const secret = ls.find((l) => l.opens && contextOf([...l.path, l.opens]) === 'secret');
  if (secret) {
    add('secrets', 'a secret section without a type prefix', replaceLine(secret, `${secret.indent}psk-${secret.opens} {`));
    add('secrets', 'a secret section with an upper-case type', replaceLine(secret, `${secret.indent}IKE-${secret.opens} {`));
    const key = ls.find((l) => l.key === 'secret') as Line;
    add('secrets', 'a secret section without its secret', replaceLine(key, ''));
    add('secrets', 'a private-key secret section (not a shared key)', replaceLine(secret, `${secret.indent}private-${secret.opens} {`));
  } else {
    add('secrets', 'an ike secret without secret', `${conf}\nsecrets {\n  ike-x {\n    id = 192.0.2.1\n  }\n}\n`);
    add('secrets', 'an eap secret with an empty secret', `${conf}\nsecrets {\n  eap-x {\n    secret = ""\n  }\n}\n`);
  }

  // 10. includes: read in place, relative to the file; a missing one is skipped
  add('include', 'an include of a missing file', `${conf}\ninclude conf.d/missing-*.conf\n`);
  add('include', 'an included file with an unknown keyword', `${conf}\ninclude extra.conf\n`, { 'extra.conf': 'connections {\n  extra {\n    remote_addrs = 192.0.2.1\n    replay_windw = 64\n  }\n}\n' });
  add('include', 'an included file with a syntax error', `${conf}\ninclude extra.conf\n`, { 'extra.conf': 'connections {\n  extra {\n' });
  add('include', 'an included secrets file with a good secret', `${conf}\nsecrets {\n  include extra.conf\n}\n`, { 'extra.conf': 'ike-extra {\n  secret = "EXAMPLE.included_key"\n}\n' });
  add('include', 'a glob include of two files, one with a bad value', `${conf}\ninclude conf.d/*.conf\n`, {
    'conf.d/a.conf': 'connections {\n  a1 {\n    remote_addrs = 192.0.2.1\n  }\n}\n',
    'conf.d/b.conf': 'connections {\n  a1 {\n    mobike = perhaps\n  }\n}\n',
  });
  add('include', 'an include inside a connection', insertAfter(firstConn, ['    include part.conf']), { 'part.conf': 'dpd_timeout = 150s\nfragmentation = maybe\n' });
  add('include', 'an included secrets file whose secret is missing', `${conf}\nsecrets {\n  include extra.conf\n}\n`, { 'extra.conf': 'ike-extra {\n  id = 192.0.2.1\n}\n' });
  return out;
}

/**
 * Edits of the first `secret = ` line (and the lines around it) that a hand edit could make: a typo'd
 * keyword, a lost `=`, an unbalanced quote or brace, the value on the next line, the line outside any
 * secret section, and quotes elsewhere that swallow it into another setting's value. These are where a
 * reader's error could echo the key, so the bad-input scans run them with the canary as the value.
 */
export function secretLineMutations(conf: string): Mutation[] {
  const ls = lines(conf);
  const l = ls.find((x) => x.key === 'secret');
  if (!l) return [];
  const key = l.value as string;
  const bare = key.replace(/^"(.*)"$/, '$1');
  const text = (edit: (all: string[]) => void): string => {
    const all = conf.split('\n');
    edit(all);
    return all.join('\n');
  };
  const at = (replacement: string) => text((all) => (all[l.index] = replacement));
  const before = (added: string) => text((all) => all.splice(l.index, 0, added));
  const out: Mutation[] = [];
  const add = (description: string, edited: string) => out.push({ kind: 'secrets', description, text: edited });
  for (const typo of TYPOS) add(`the secret keyword written ${typo('secret')}`, at(`${l.indent}${typo('secret')} = ${key}`));
  add('the secret line without =', at(`${l.indent}secret ${key}`));
  add('the secret line with a colon', at(`${l.indent}secret: ${key}`));
  add('the secret keyword quoted', at(`${l.indent}"secret" = ${key}`));
  add('the secret value with an opening quote only', at(`${l.indent}secret = "${bare}`));
  add('the secret value with a closing quote only', at(`${l.indent}secret = ${bare}"`));
  add('the secret value followed by }', at(`${l.indent}secret = ${key} }`));
  add('the secret value followed by {', at(`${l.indent}secret = ${key} {`));
  add('the secret value after a {', at(`${l.indent}secret = {${bare}`));
  add('the secret line as a section', at(`${l.indent}secret { ${key} }`));
  add('the secret value as a section name', at(`${l.indent}${bare} {`));
  add('the secret value on the next line', at(`${l.indent}secret =\n${l.indent}  ${key}`));
  add('the secret value alone on its line', at(`${l.indent}${key}`));
  add('the secret value in two words', at(`${l.indent}secret = ${bare} ${bare}`));
  add('the secret value not hex after 0x', at(`${l.indent}secret = 0x${bare}`));
  add('an unbalanced quote on the line before the secret', before(`${l.indent}id-x = "192.0.2.1`));
  add('a setting before the secret left without its value', before(`${l.indent}id-x =`));
  add('the secret directly in secrets', text((all) => all.splice((ls.find((x) => x.opens === 'secrets') as Line).index + 1, 0, `  secret = ${key}`)));
  add('the secret at the top level', `${conf}\nsecret = ${key}\n`);
  add('the secret in a connection', text((all) => all.splice((ls.find((x) => x.opens && contextOf([...x.path, x.opens]) === 'conn') as Line).index + 1, 0, `    secret = ${key}`)));
  add('the secret in a CHILD_SA', text((all) => all.splice((ls.find((x) => x.opens && contextOf([...x.path, x.opens]) === 'child') as Line).index + 1, 0, `        secret = ${key}`)));
  add('the secret in local', text((all) => all.splice((ls.find((x) => x.opens === 'local') as Line).index + 1, 0, `      secret = ${key}`)));
  // A quote opened in the last connection setting runs on to the next quote: the secrets become its value.
  const last = [...ls].reverse().find((x) => x.key !== undefined && x.path[0] === 'connections') as Line;
  add('an unbalanced quote in a connection setting, swallowing the secrets', text((all) => (all[last.index] = `${last.indent}${last.key} = "${last.value}`)));
  add('a quote opened in a connection setting and closed after the secret', text((all) => {
    all[last.index] = `${last.indent}${last.key} = "${last.value}`;
    all[l.index] = `${l.indent}secret = ${bare}"`;
  }));
  const proposals = ls.find((x) => x.key === 'esp_proposals') as Line;
  add('a quote opened in a proposal and closed after the secret', text((all) => {
    all[proposals.index] = `${proposals.indent}esp_proposals = "${proposals.value}`;
    all[l.index] = `${l.indent}secret = ${bare}"`;
  }));
  // The key written where it does not belong, on the line of (or after a quote opened in) a checked setting.
  for (const setting of ['mobike', 'esp_proposals', 'auth', 'id']) {
    const x = ls.find((y) => y.key === setting) as Line;
    add(`the secret on the line of ${setting}`, text((all) => (all[x.index] = `${x.indent}${x.key} = ${x.value} secret = ${key}`)));
    add(`a quote opened in ${setting} and closed after a secret on the next line`, text((all) => (all[x.index] = `${x.indent}${x.key} = "${x.value}\n${x.indent}secret = ${bare}"`)));
  }
  return out;
}

/** Certificate material for the keywords that name files (made by openssl in the test, in PEM). */
export interface Credentials {
  readonly caPem: string;
  readonly peerPem: string;
  readonly peerPub: string;
  /** Where the same files are, by absolute path, for `cert*`/`cacert*` sections (which charon opens itself). */
  readonly caPath: string;
  readonly peerPath: string;
  /** A file that is neither a certificate nor a key. */
  readonly junkPath: string;
}

/**
 * A valid value for each keyword swanctl.conf(5) documents for connections, CHILD_SAs and auth rounds, as the
 * man page describes them: so keywords the renderer does not write are tried too.
 */
function documentedSamples(c: Credentials): { ctx: 'conn' | 'child' | 'local' | 'remote'; lines: string[] }[] {
  const conn = (l: string) => ({ ctx: 'conn' as const, lines: [l] });
  const child = (l: string) => ({ ctx: 'child' as const, lines: [l] });
  const local = (...l: string[]) => ({ ctx: 'local' as const, lines: l });
  const remote = (...l: string[]) => ({ ctx: 'remote' as const, lines: l });
  return [
    conn('aggressive = no'), conn('childless = allow'), conn('dpd_timeout = 150s'), conn('dscp = 101110'), conn('fragmentation = accept'),
    conn('local_port = 4500'), conn('remote_port = 4500'), conn('over_time = 10m'), conn('pools = p1, p2'), conn('ppk_id = ppk@example.com'),
    conn('ppk_required = no'), conn('pull = yes'), conn('reauth_time = 0'), conn('send_cert = always'), conn('send_certreq = no'),
    conn('unique = replace'), conn('vips = 0.0.0.0, ::'), conn('encap = yes'), conn('mediation = no'), conn('mediation_peer = peer@example.com'),
    { ctx: 'conn', lines: ['mediated_by = other', 'mediation_peer = peer@example.com'] }, { ctx: 'conn', lines: ['mediation = yes', 'mediated_by = other', 'mediation_peer = peer@example.com'] },
    child('ah_proposals = sha256'), child('copy_df = no'), child('copy_dscp = out'), child('copy_ecn = no'), child('hostaccess = yes'),
    child('hw_offload = auto'), child('inactivity = 5m'), child('interface = eth0'), child('ipcomp = no'), child('label = system_u:object_r:ipsec_spd_t:s0'),
    child('label_mode = simple'), child('life_bytes = 2g'), child('life_packets = 100000'), child('mark_in = 0x10/0xff'), child('mark_in_sa = yes'),
    child('mark_out = %unique'), child('policies = no'), child('policies_fwd_out = yes'), child('priority = 100'), child('rand_bytes = 1m'),
    child('rand_packets = 10'), child('rekey_bytes = 1g'), child('rekey_packets = 50000'), child('reqid = 5'), child('set_mark_in = %same'),
    child('set_mark_out = 0x1/0xff'), child('tfc_padding = mtu'), child('updown = /usr/lib/ipsec/_updown iptables'), child('sha256_96 = yes'),
    local('aaa_id = aaa@example.com'), local('eap_id = %any'), local('xauth_id = user'), local('round = 1'), local('certs = peer.pem'),
    local('pubkeys = peer.pub'), local(`cert-hsm {`, `  file = ${c.peerPath}`, `}`), local('auth = pubkey', 'certs = peer.pem', 'id = vpn.example.com'),
    remote('ca_id = "CN=Example CA"'), remote('cacerts = ca.pem'), remote('cert_policy = 1.3.6.1.4.1.36906.1.1.1'), remote('groups = admins, ops'),
    remote('revocation = relaxed'), remote(`cacert-1 {`, `  file = ${c.caPath}`, `}`), remote('auth = pubkey', 'cacerts = ca.pem'),
    // files swanctl cannot read or charon cannot parse (absolute paths outside the credential directories,
    // which --load-all also loads on its own)
    local('certs = missing.pem'), local(`certs = ${c.junkPath}`), local(`pubkeys = ${c.junkPath}`), remote(`cacerts = ${c.peerPath}`),
    remote(`cacerts = ${c.caPath}`), local('certs = 0sAAAA'), local(`cert-2 {`, `  file = /nonexistent/peer.pem`, `}`),
    local(`cert-3 {`, `  file = ${c.peerPath}`, `  handle = 0102`, `}`),
  ];
}

/** Each documented keyword (a third of them per fixture, by salt) added with a valid value. */
export function documentedKeywordMutations(conf: string, salt: number, c: Credentials): Mutation[] {
  const ls = lines(conf);
  const at = {
    conn: ls.find((l) => l.opens && contextOf([...l.path, l.opens]) === 'conn') as Line,
    child: ls.find((l) => l.opens && contextOf([...l.path, l.opens]) === 'child') as Line,
    local: ls.find((l) => l.opens === 'local') as Line,
    remote: ls.find((l) => l.opens === 'remote') as Line,
  };
  const files = { 'x509/peer.pem': c.peerPem, 'x509ca/ca.pem': c.caPem, 'pubkey/peer.pub': c.peerPub };
  return documentedSamples(c)
    .filter((_, i) => i % 3 === salt % 3)
    .map(({ ctx, lines: added }) => {
      const all = conf.split('\n');
      const indent = `${at[ctx].indent}  `;
      // A setting the renderer already writes is replaced (a repeated key would keep the last value anyway).
      for (const l of added) {
        const key = /^(\S+) = /.exec(l)?.[1];
        const existing = key && ls.find((x) => x.key === key && x.path.join('.') === [...at[ctx].path, at[ctx].opens].join('.'));
        if (existing) all[existing.index] = '';
      }
      all.splice(at[ctx].index + 1, 0, ...added.map((l) => `${indent}${l}`));
      return { kind: 'documented-keyword' as const, description: `${ctx}: ${added.join('; ')}`, text: all.join('\n'), extraFiles: files };
    });
}

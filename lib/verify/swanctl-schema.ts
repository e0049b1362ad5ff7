/**
 * Which swanctl.conf keywords, sections and values strongSwan 5.9.8 refuses, so that `verify` refuses
 * the same files: a keyword charon does not know makes it discard the whole connection ("unknown option:
 * replay_windw, config discarded"), where a reader that skipped it would check the default instead.
 *
 * Written from reading swanctl (commands/load_conns.c, load_creds.c, load_pools.c, load_authorities.c:
 * which sections it sends, which keys it splits into lists) and charon's vici plugin (vici_config.c,
 * vici_cred.c, vici_attribute.c, vici_authority.c: the keys each section takes, how each value is parsed,
 * which sections are an error and which are skipped). Keyword names are exact (charon compares with
 * strcmp); section names `children`, `local*`, `remote*`, `cert*` are matched in any case, as charon does.
 * Sections and settings swanctl never sends (top-level ones other than connections, secrets, pools and
 * authorities; settings directly in `connections` or `children`; sections inside a CHILD_SA) are skipped
 * by strongSwan without a word, and so here.
 */
import { X509Certificate, createPublicKey } from 'crypto';
import { readFileSync } from 'fs';
import { dirname, isAbsolute, join, resolve } from 'path';
import { closestKey } from '../endpoint/unknown-keys';
import { parseSwanctl, SwanctlFile, SwanctlLocation, SwanctlSection, SwanctlSyntaxError } from './swanctl-parse';
import * as v from './swanctl-schema-values';
import type { ValueCheck } from './swanctl-schema-values';

/** One thing charon would refuse, where it is written. Never carries a secret's value. */
export interface SwanctlProblem {
  readonly at: SwanctlLocation;
  /** The keyword or section, as a path: `connections.vpn-1.children.vpn-1.replay_windw`. */
  readonly path: string;
  readonly problem: string;
}

export function formatProblem(p: SwanctlProblem): string {
  return `${p.at.file}: line ${p.at.line}: ${p.path}: ${p.problem}`;
}

/** Keys swanctl sends as lists, split at commas (is_list_key; any case). */
const LIST_KEYS = ['local_addrs', 'remote_addrs', 'proposals', 'esp_proposals', 'ah_proposals', 'local_ts', 'remote_ts', 'vips', 'pools', 'groups', 'cert_policy'];
/** Keys swanctl sends as lists of file contents (is_file_list_key), each looked up in its directory. */
const FILE_LIST_DIRS: Record<string, string> = { certs: 'x509', cacerts: 'x509ca', pubkeys: 'pubkey' };

const isListKey = (key: string) => LIST_KEYS.includes(key.toLowerCase()) || FILE_LIST_DIRS[key.toLowerCase()] !== undefined;

/** A section of a connection as charon parses it: its settings, its list items, its sub-sections. */
interface Context {
  /** What the section is, with its article: `a CHILD_SA`. */
  readonly what: string;
  readonly kv: Record<string, ValueCheck> | 'skipped';
  readonly li: Record<string, ValueCheck> | 'skipped';
  /** The context a sub-section is read in, 'skipped', or undefined for "invalid section". */
  readonly section: (name: string) => Context | 'skipped' | undefined;
  /** Checks on the section as a whole, after its settings. */
  readonly whole?: (s: SwanctlSection) => string | undefined;
}

const certSection: Context = {
  what: 'a certificate section',
  kv: { handle: v.text(), slot: v.uint32, module: v.text(), file: v.text() },
  li: 'skipped',
  section: () => 'skipped',
  whole: (s) => {
    const [handle, file] = [s.settings.has('handle'), s.settings.has('file')];
    if (!handle && !file) return 'needs `file` or `handle` (charon: "handle or file path missing")';
    if (handle && file) return 'has both `file` and `handle` (charon: "handle and file path given")';
    // charon opens the file itself, from its working directory (/ under systemd); a PKCS#11 handle is not checked here
    const path = s.settings.get('file');
    if (path !== undefined && !isCertificate(resolve('/', path))) return `${v.shownValue(path)} is not a readable X.509 certificate (charon: "unable to load certificate: ${s.name}")`;
    return undefined;
  },
};

const id = v.text(512);

const authSection: Context = {
  what: 'an authentication round (local*/remote*)',
  kv: { auth: v.auth, id, ca_id: id, aaa_id: id, eap_id: id, xauth_id: id, revocation: v.oneOf('strict', 'ifuri', 'relaxed'), round: v.uint32 },
  li: { groups: id, cert_policy: id, certs: v.text(), cacerts: v.text(), pubkeys: v.text() },
  section: (name) => (/^(cert|cacert)/i.test(name) ? certSection : undefined),
};

const childSection: Context = {
  what: 'a CHILD_SA',
  kv: {
    updown: v.text(),
    hostaccess: v.bool,
    mode: v.oneOf('tunnel', 'transport', 'transport_proxy', 'beet', 'drop', 'pass'),
    policies: v.bool,
    policies_fwd_out: v.bool,
    replay_window: v.uint32,
    rekey_time: v.time,
    life_time: v.time,
    rand_time: v.time,
    rekey_bytes: v.bytes,
    life_bytes: v.bytes,
    rand_bytes: v.bytes,
    rekey_packets: v.uint64,
    life_packets: v.uint64,
    rand_packets: v.uint64,
    dpd_action: v.action,
    start_action: v.action,
    close_action: v.action,
    ipcomp: v.bool,
    inactivity: v.time,
    reqid: v.uint32,
    mark_in: v.markValue,
    mark_in_sa: v.bool,
    mark_out: v.markValue,
    set_mark_in: v.setMarkValue,
    set_mark_out: v.setMarkValue,
    tfc_padding: v.tfc,
    priority: v.uint32,
    interface: v.text(),
    hw_offload: v.oneOf('no', 'yes', 'auto'),
    sha256_96: v.bool,
    copy_df: v.bool,
    copy_ecn: v.bool,
    copy_dscp: v.oneOf('no', 'in', 'out', 'yes'),
    if_id_in: v.ifId,
    if_id_out: v.ifId,
    label: v.label,
    label_mode: v.labelMode,
  },
  li: { ah_proposals: v.proposals('ah'), esp_proposals: v.proposals('esp'), local_ts: v.trafficSelector, remote_ts: v.trafficSelector },
  section: () => 'skipped',
};

const childrenSection: Context = { what: 'children', kv: 'skipped', li: 'skipped', section: () => childSection };

const connection: Context = {
  what: 'a connection',
  kv: {
    version: v.uint32,
    aggressive: v.bool,
    pull: v.bool,
    dscp: v.dscp,
    encap: v.bool,
    mobike: v.bool,
    dpd_delay: v.time,
    dpd_timeout: v.time,
    fragmentation: v.oneOf('yes', 'accept', 'no', 'force'),
    childless: v.oneOf('allow', 'never', 'force'),
    send_certreq: v.bool,
    send_cert: v.oneOf('ifasked', 'always', 'never'),
    keyingtries: v.uint32,
    unique: v.oneOf('never', 'no', 'replace', 'keep'),
    local_port: v.uint32,
    remote_port: v.uint32,
    reauth_time: v.time,
    rekey_time: v.time,
    over_time: v.time,
    rand_time: v.time,
    ppk_id: id,
    ppk_required: v.bool,
    if_id_in: v.ifId,
    if_id_out: v.ifId,
    // IKEv2 mediation (Debian's charon is built with it)
    mediation: v.bool,
    mediated_by: v.text(),
    mediation_peer: id,
  },
  li: { local_addrs: v.text(), remote_addrs: v.text(), proposals: v.proposals('ike'), vips: v.host, pools: v.text() },
  section: (name) => (/^children$/i.test(name) ? childrenSection : /^(local|remote)/i.test(name) ? authSection : undefined),
  whole: (s) => {
    if (!s.settings.has('mediated_by')) return undefined;
    if (v.bool(s.settings.get('mediation') ?? '') === undefined && /^(yes|true|enabled|1)$/i.test(s.settings.get('mediation') ?? '')) {
      return 'sets both `mediation` and `mediated_by` (charon: "parsing request failed"; its log: "a mediation connection cannot be a mediated connection at the same time, config discarded")';
    }
    // Without mediation_peer, 5.9.8 takes the remote identity from the wrong structure (vici_config.c) and dies.
    if (!s.settings.has('mediation_peer')) return 'sets `mediated_by` without `mediation_peer`, which makes charon 5.9.8 crash while loading it; set mediation_peer';
    return undefined;
  },
};

/** Every keyword a connection, CHILD_SA or authentication round takes: for "did you mean". */
function known(c: Context): string[] {
  return [...(c.kv === 'skipped' ? [] : Object.keys(c.kv)), ...(c.li === 'skipped' ? [] : Object.keys(c.li))];
}

/** Whether the schema knows `name`: a syntax error may quote these (any other word could be a stray value). */
function isKeyword(name: string): boolean {
  const sections = ['connections', 'children', 'local', 'remote', 'secrets', 'pools', 'authorities', 'include', 'secret'];
  return [...Object.values(SCHEMA_KEYWORDS).flat(), ...sections, 'addrs', ...POOL_ATTRIBUTES, ...Object.keys(AUTHORITY_KEYS)].includes(name);
}

/** The keywords of each kind of section, for tests that compare them with swanctl.conf(5). */
export const SCHEMA_KEYWORDS = {
  connection: known(connection),
  child: known(childSection),
  auth: known(authSection),
  cert: known(certSection),
};

/** Keys whose values are never shown. */
const SECRET_KEYS = /^(secret|pin)/;

/**
 * `text` read as swanctl.conf at path `file`, or why strongSwan 5.9.8 would not load it: the syntax error,
 * or every keyword, section and value charon would refuse (one line each, `FILE: line N: PATH: problem`).
 */
export function readLoadableSwanctl(text: string, file: string): { parsed: SwanctlFile } | { refused: string[] } {
  let parsed: SwanctlFile;
  try {
    parsed = parseSwanctl(text, { file, quotableName: isKeyword });
  } catch (e) {
    if (e instanceof SwanctlSyntaxError) return { refused: [`${e.message} (swanctl: "parsing '${file}' failed")`] };
    throw e;
  }
  const problems = swanctlProblems(parsed);
  return problems.length === 0 ? { parsed } : { refused: problems.map(formatProblem) };
}

/** Everything in `file` that strongSwan 5.9.8 (swanctl --load-all, then charon) would refuse. */
export function swanctlProblems(file: SwanctlFile, swanctlDir: string = dirname(file.root.file)): SwanctlProblem[] {
  const out: SwanctlProblem[] = [];
  const root = file.root;
  const connections = root.sections.get('connections');
  for (const [name, conn] of connections?.sections ?? []) checkSection(conn, connection, `connections.${name}`, swanctlDir, out);
  const secrets = root.sections.get('secrets');
  for (const [name, s] of secrets?.sections ?? []) checkSecret(name, s, out);
  const pools = root.sections.get('pools');
  for (const [name, s] of pools?.sections ?? []) checkPool(name, s, out);
  const authorities = root.sections.get('authorities');
  for (const [name, s] of authorities?.sections ?? []) checkAuthority(name, s, swanctlDir, out);
  return out;
}

function checkSection(s: SwanctlSection, c: Context, path: string, swanctlDir: string, out: SwanctlProblem[]): void {
  for (const [key, value] of s.settings) {
    const at = s.settingAt.get(key) as SwanctlLocation;
    const keyPath = `${path}.${key}`;
    const report = (problem: string) => out.push({ at, path: keyPath, problem });
    const fileDir = FILE_LIST_DIRS[key.toLowerCase()];
    if (isListKey(key)) {
      const items = v.tokens(value, ',', ' ');
      if (items.length === 0) continue; // an empty list is never sent, so never checked
      if (fileDir !== undefined) {
        const bad = items.map((item) => fileListProblem(key.toLowerCase(), item, join(swanctlDir, fileDir))).find(Boolean);
        if (bad) {
          report(bad);
          continue;
        }
      }
      if (c.li === 'skipped') continue;
      const check = own(c.li, key);
      if (!check) report(unknown(key, c));
      else {
        const bad = items.map((item) => check(item)).find(Boolean);
        if (bad) report(invalid(key, bad));
      }
      continue;
    }
    if (c.kv === 'skipped') continue;
    const check = own(c.kv, key);
    if (!check) report(unknown(key, c));
    else {
      const bad = check(value);
      if (bad) report(invalid(key, SECRET_KEYS.test(key) ? bad : `${v.shownValue(value)} ${bad}`));
    }
  }
  for (const [name, sub] of s.sections) {
    const subContext = c.section(name);
    if (subContext === 'skipped') continue;
    const subPath = `${path}.${name}`;
    if (!subContext) {
      const expected = c === connection ? 'children, local*, remote*' : 'cert*, cacert*';
      out.push({ at: { file: sub.file, line: sub.line }, path: subPath, problem: `charon does not take a section \`${name}\` in ${c.what} (charon: "invalid section: ${name}"); expected ${expected}` });
      continue;
    }
    checkSection(sub, subContext, subPath, swanctlDir, out);
  }
  const whole = c.whole?.(s);
  if (whole) out.push({ at: { file: s.file, line: s.line }, path, problem: whole });
}

function own(table: Record<string, ValueCheck>, key: string): ValueCheck | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

function unknown(key: string, c: Context): string {
  const near = closestKey(key, known(c));
  return `unknown keyword in ${c.what} (charon: "unknown option: ${key}, config discarded")${near ? `; did you mean \`${near}\`?` : ''}`;
}

function invalid(key: string, problem: string): string {
  return `${problem} (charon: "invalid value for: ${key}, config discarded")`;
}

function isCertificate(path: string): boolean {
  try {
    new X509Certificate(readFileSync(path));
    return true;
  } catch {
    return false;
  }
}

/** swanctl reads `certs`/`cacerts`/`pubkeys` entries from its x509, x509ca and pubkey directories (or inline 0x/0s). */
function fileListProblem(key: string, item: string, dir: string): string | undefined {
  let data: Buffer;
  if (/^0[xs]/i.test(item)) data = Buffer.from(item.slice(2), /^0x/i.test(item) ? 'hex' : 'base64');
  else {
    const path = isAbsolute(item) ? item : join(dir, item);
    try {
      data = readFileSync(path);
    } catch (e) {
      const shown = v.shownValue(path, { quote: (p) => p });
      return `${shown} cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'error'} (swanctl: "loading ${key} certificate '${shown}' failed")`;
    }
  }
  try {
    if (key === 'pubkeys') createPublicKey(data.toString('utf8').includes('-----BEGIN') ? data.toString('utf8') : { key: data, format: 'der', type: 'spki' });
    else new X509Certificate(data);
    return undefined;
  } catch {
    return `${v.shownValue(item)} is not ${key === 'pubkeys' ? 'a public key' : 'an X.509 certificate'} (charon: "invalid value for: ${key}, config discarded")`;
  }
}

/** load_creds.c: the section name's prefix is the secret's type; shared secrets need a non-empty `secret`. */
const SECRET_TYPES = ['eap', 'xauth', 'ntlm', 'ike', 'ppk', 'private', 'rsa', 'ecdsa', 'bliss', 'pkcs8', 'pkcs12', 'token'];
const SHARED_TYPES = ['eap', 'xauth', 'ntlm', 'ike', 'ppk'];

function checkSecret(name: string, s: SwanctlSection, out: SwanctlProblem[]): void {
  const path = `secrets.${name}`;
  const type = SECRET_TYPES.find((t) => name.startsWith(t));
  if (!type) {
    out.push({ at: { file: s.file, line: s.line }, path, problem: `a secret's section name must start with its type (${SECRET_TYPES.join(', ')}), e.g. ike-${name} (swanctl: "ignoring unsupported secret '${name}'")` });
    return;
  }
  if (!SHARED_TYPES.includes(type)) return;
  const secret = s.settings.get('secret');
  if (secret === undefined) {
    out.push({ at: { file: s.file, line: s.line }, path, problem: `has no \`secret\` (swanctl: "missing secret in '${name}', ignored")` });
    return;
  }
  const data = /^0x/i.test(secret) ? Buffer.from(secret.slice(2), 'hex') : /^0s/i.test(secret) ? Buffer.from(secret.slice(2), 'base64') : Buffer.from(secret);
  if (data.length === 0) out.push({ at: s.settingAt.get('secret') as SwanctlLocation, path: `${path}.secret`, problem: 'is empty (charon: "shared key data missing")' });
}

/** vici_attribute.c: `addrs` (a range or subnet) is required; other keys are attributes with address values. */
const POOL_ATTRIBUTES = ['address', 'dns', 'nbns', 'dhcp', 'netmask', 'server', 'subnet', 'split_include', 'split_exclude'];

function checkPool(name: string, s: SwanctlSection, out: SwanctlProblem[]): void {
  const path = `pools.${name}`;
  for (const [key, value] of s.settings) {
    const at = s.settingAt.get(key) as SwanctlLocation;
    if (key === 'addrs') {
      if (!poolAddrs(value)) out.push({ at, path: `${path}.addrs`, problem: `${v.shownValue(value)} is not an address range or subnet (charon: "invalid addrs value")` });
      continue;
    }
    const items = v.tokens(value, ',', ' ');
    if (items.length === 0) continue;
    if (!POOL_ATTRIBUTES.includes(key) && !(Number.parseInt(key, 10) > 0)) {
      const near = closestKey(key, ['addrs', ...POOL_ATTRIBUTES]);
      out.push({ at, path: `${path}.${key}`, problem: `unknown pool attribute (charon: "invalid attribute: ${key}")${near ? `; did you mean \`${near}\`?` : ''}` });
    } else if (POOL_ATTRIBUTES.includes(key) && items.some((i) => !poolAddrs(i.includes('/') ? i : `${i}/0`))) {
      out.push({ at, path: `${path}.${key}`, problem: `${v.shownValue(value)} is not a list of addresses (charon: "invalid attribute value for ${key}")` });
    }
  }
  if (!s.settings.has('addrs')) out.push({ at: { file: s.file, line: s.line }, path, problem: `has no \`addrs\` (charon: "missing addrs for pool '${name}'")` });
}

function poolAddrs(value: string): boolean {
  const dash = value.indexOf('-');
  if (dash >= 0) return v.host(value.slice(0, dash)) === undefined && v.host(value.slice(dash + 1)) === undefined;
  const slash = value.indexOf('/');
  return v.host(slash < 0 ? value : value.slice(0, slash)) === undefined;
}

/** vici_authority.c: the keys an authority takes; it needs a CA certificate (`cacert`, `file` or `handle`). */
const AUTHORITY_KEYS: Record<string, ValueCheck> = {
  cacert: v.text(),
  file: v.text(),
  handle: v.text(),
  slot: v.uint32,
  module: v.text(),
  cert_uri_base: v.text(),
  crl_uris: v.text(),
  ocsp_uris: v.text(),
};

function checkAuthority(name: string, s: SwanctlSection, swanctlDir: string, out: SwanctlProblem[]): void {
  const path = `authorities.${name}`;
  for (const [key, value] of s.settings) {
    const at = s.settingAt.get(key) as SwanctlLocation;
    const check = own(AUTHORITY_KEYS, key);
    if (!check) {
      const near = closestKey(key, Object.keys(AUTHORITY_KEYS));
      out.push({ at, path: `${path}.${key}`, problem: `unknown keyword in an authority (charon: "unknown option: ${key}, authority discarded")${near ? `; did you mean \`${near}\`?` : ''}` });
      continue;
    }
    const bad = key === 'cacert' ? fileListProblem('cacerts', value, join(swanctlDir, 'x509ca')) : check(value);
    if (bad) out.push({ at, path: `${path}.${key}`, problem: bad });
  }
  if (!['cacert', 'file', 'handle'].some((k) => s.settings.has(k))) {
    out.push({ at: { file: s.file, line: s.line }, path, problem: `has no \`cacert\`, \`file\` or \`handle\` (charon: "CA certificate missing: ${name}")` });
  }
}

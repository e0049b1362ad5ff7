/**
 * What charon 5.9.8 accepts as the value of each kind of swanctl.conf setting: the parse_* functions of
 * its vici plugin (vici_config.c), rewritten from reading them. Each check answers what charon would,
 * including its quirks: numbers are C `strtoul` (base 0: `0x10`, `010`; an empty value is 0), a value is
 * cut to the buffer charon copies it into (15 characters for numbers and times), and a value with a
 * character outside printable ASCII is refused.
 */
import { isIPv4, isIPv6 } from 'net';

/** Why a value is refused (shown after the keyword), or undefined when charon takes it. */
export type ValueCheck = (value: string) => string | undefined;

/**
 * A value as an error may quote it (`quote`, JSON by default), unless it ran into another statement: an
 * `=` (`auth = psk secret = KEY` on one line) or a newline (a quote left open runs on over the next lines,
 * a `secret = ` line among them). Then only its length says what it was; the error's line and keyword say where.
 */
export function shownValue(value: string, options: { readonly noun?: string; readonly quote?: (value: string) => string } = {}): string {
  const { noun, quote = JSON.stringify } = options;
  if (!/[=\n]/.test(value)) return noun ? `${noun} ${quote(value)}` : quote(value);
  const lines = value.split('\n').length;
  return `a ${noun ?? 'value'} of ${value.length} characters${lines > 1 ? ` over ${lines} lines` : ''} (not shown: it runs into another setting, which could hold a key)`;
}

/** charon's vici_stringify(): printable ASCII only, cut to the buffer (size - 1 characters). */
function stringify(value: string, size: number): string | undefined {
  return printable(value) ? value.slice(0, size - 1) : undefined;
}

function printable(value: string): boolean {
  return [...value].every((c) => c >= ' ' && c <= '~');
}

const NOT_PRINTABLE = 'has a character outside printable ASCII';

/** How many characters C's strtoul(3) consumes (0 when nothing converts: endptr is then the start). */
function strtoulLength(text: string, base: 0 | 2): number {
  const m = (base === 2 ? /^[ \t\n\v\f\r]*[+-]?[01]+/ : /^[ \t\n\v\f\r]*[+-]?(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/).exec(text);
  return m ? m[0].length : 0;
}

function wholeNumber(size: number, base: 0 | 2 = 0): ValueCheck {
  return (value) => {
    const text = stringify(value, size);
    if (text === undefined) return NOT_PRINTABLE;
    return strtoulLength(text, base) === text.length ? undefined : base === 2 ? 'is not a binary number' : 'is not a whole number';
  };
}

/** A number with an optional unit letter after optional spaces (parse_time, parse_bytes). */
function withUnit(units: string, what: string): ValueCheck {
  return (value) => {
    const text = stringify(value, 16);
    if (text === undefined) return NOT_PRINTABLE;
    let rest = text.slice(strtoulLength(text, 0)).replace(/^ +/, '');
    if (rest !== '' && units.includes(rest[0].toLowerCase())) rest = rest.slice(1);
    return rest === '' ? undefined : `is not ${what}`;
  };
}

/** The number C's strtoul(3) makes of `text` (0 when nothing converts; a minus sign wraps, as in C). */
function strtoulValue(text: string, bits: 32 | 64): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text);
  if (!m) return 0;
  const digits = m[2];
  const n = /^0[xX]/.test(digits) ? Number.parseInt(digits.slice(2), 16) : digits.startsWith('0') ? Number.parseInt(digits, 8) : Number(digits);
  return m[1] === '-' && n !== 0 ? 2 ** bits - n : n;
}

/** A whole-number setting's value as charon stores it (uint32), or undefined when charon refuses it. */
export function wholeNumberValue(value: string): number | undefined {
  return uint32(value) === undefined ? strtoulValue(value.slice(0, 15), 32) % 2 ** 32 : undefined;
}

/** A time setting in seconds as charon reads it (`1h`, `90`, `0x10m`, `""` is 0), or undefined when charon refuses it. */
export function timeSeconds(value: string): number | undefined {
  if (time(value) !== undefined) return undefined;
  const text = value.slice(0, 15);
  const len = strtoulLength(text, 0);
  const unit = text.slice(len).trim().toLowerCase();
  return strtoulValue(text, 64) * ({ d: 86400, h: 3600, m: 60, s: 1 }[unit] ?? 1);
}

export const uint32 = wholeNumber(16);
export const uint64 = wholeNumber(16);
export const dscp = wholeNumber(16, 2);
export const time = withUnit('smhd', 'a time (a number of seconds, or with s, m, h or d)');
export const bytes = withUnit('kmg', 'a volume (a number of bytes, or with k, m or g)');

/** One of `names`, any case (parse_map: strcaseeq). */
export function oneOf(...names: string[]): ValueCheck {
  return (value) => {
    const text = stringify(value, 512);
    if (text === undefined) return NOT_PRINTABLE;
    return names.some((n) => n.toLowerCase() === text.toLowerCase()) ? undefined : `is not one of ${names.join(', ')}`;
  };
}

export const bool = oneOf('yes', 'no', 'true', 'false', 'enabled', 'disabled', '1', '0');

/** parse_action: a name, or flags `none|trap|start` (any case, `|`-separated, blanks trimmed; empty is none). */
export const action: ValueCheck = (value) => {
  if (oneOf('start', 'restart', 'route', 'trap', 'none', 'clear')(value) === undefined) return undefined;
  const text = stringify(value, 512);
  if (text === undefined) return NOT_PRINTABLE;
  const ok = tokens(text, '|', ' ').every((t) => ['none', 'trap', 'start'].includes(t.toLowerCase()));
  return ok ? undefined : 'is not one of start, restart, route, trap, none, clear (or none|trap|start flags)';
};

/** Any printable text (parse_string, identities, string lists). */
export function text(size = Infinity): ValueCheck {
  return (value) => (stringify(value, size) === undefined ? NOT_PRINTABLE : undefined);
}

/** parse_tfc: exactly `mtu`, or a whole number. */
export const tfc: ValueCheck = (value) => (value === 'mtu' ? undefined : uint32(value) && 'is not `mtu` or a whole number');

/** parse_if_id: `%unique`, `%unique-dir` (any case) or a whole number. */
export const ifId: ValueCheck = (value) => {
  const t = stringify(value, 32);
  if (t === undefined) return NOT_PRINTABLE;
  const ok = /^%unique/i.test(t) ? /^%unique(-dir)?$/i.test(t) : strtoulLength(t, 0) === t.length;
  return ok ? undefined : 'is not %unique, %unique-dir or a whole number';
};

/** mark_from_string: VALUE[/MASK], VALUE a number, `%unique`/`%unique-dir` (marks) or `%same` (set_mark). */
function mark(special: RegExp): ValueCheck {
  return (value) => {
    const t = stringify(value, 32);
    if (t === undefined) return NOT_PRINTABLE;
    const problem = 'is not a mark (VALUE[/MASK])';
    let rest: string;
    if (/^%unique/i.test(t) || /^%same/i.test(t)) {
      const m = special.exec(t);
      if (!m) return problem;
      rest = t.slice(m[0].length);
    } else rest = t.slice(strtoulLength(t, 0));
    if (rest === '') return undefined;
    if (!rest.startsWith('/')) return problem;
    const mask = rest.slice(1);
    return strtoulLength(mask, 0) === mask.length ? undefined : problem;
  };
}
export const markValue = mark(/^%unique(-dir)?/i);
export const setMarkValue = mark(/^%same/i);

/** parse_label: any non-empty text. */
export const label: ValueCheck = (value) => (stringify(value, 512) === undefined ? NOT_PRINTABLE : value === '' ? 'is empty' : undefined);

/** sec_label_mode_from_string: `selinux` only where SELinux is enabled, which charon here is not. */
export const labelMode = oneOf('system', 'simple');

/** parse_auth: pubkey/rsa/ecdsa/bliss/ike:... (exact case, any suffix), psk, xauth..., eap... */
export const auth: ValueCheck = (value) => {
  const t = stringify(value, 64);
  if (t === undefined) return NOT_PRINTABLE;
  if (/^(ike:|pubkey|rsa|ecdsa|bliss)/.test(t) || /^psk$/i.test(t) || /^(xauth|eap)/i.test(t)) return undefined;
  return 'is not psk, pubkey, rsa, ecdsa, bliss, ike:..., eap... or xauth...';
};

/** parse_hosts (vips): an IP address, `%any`, `%any4` or `%any6`. */
export const host: ValueCheck = (value) => {
  const t = stringify(value, 64);
  if (t === undefined) return NOT_PRINTABLE;
  return isHost(t) ? undefined : 'is not an IP address or %any';
};

function isHost(t: string, family?: 4 | 6): boolean {
  if (t === '%any') return true;
  if (family !== 6 && (t === '%any4' || isIPv4(t))) return true;
  if (family !== 4 && (t === '%any6' || (!t.includes('.') && isIPv6(t)))) return true;
  return false;
}

/** parse_ts: `dynamic`, CIDR (`/` prefix as atoi reads it), or FROM-TO range, each with an optional `[proto/port]`. */
export const trafficSelector: ValueCheck = (value) => {
  const t = stringify(value, 512);
  if (t === undefined) return NOT_PRINTABLE;
  const problem = 'is not a traffic selector (CIDR, FROM-TO range or dynamic, optionally [proto/port])';
  let addr = t;
  const open = t.indexOf('[');
  if (open >= 0) {
    addr = t.slice(0, open);
    const close = t.lastIndexOf(']');
    if (close < open) return problem;
    const inner = t.slice(open + 1, close);
    const slash = inner.indexOf('/');
    const proto = slash < 0 ? inner : inner.slice(0, slash);
    const port = slash < 0 ? '' : inner.slice(slash + 1);
    if (!validProtocol(proto) || !validPort(port)) return problem;
  }
  if (addr === 'dynamic') return undefined;
  if (addr.includes('-')) {
    const dash = addr.indexOf('-');
    const to = addr.slice(dash + 1).replace(/^ +/, '');
    const from = addr.slice(0, dash).replace(/ +$/, '');
    const toFamily = to === '%any' || to === '%any4' || isIPv4(to) ? 4 : 6;
    return isHost(to) && isHost(from, toFamily) ? undefined : problem;
  }
  const slash = addr.indexOf('/');
  return isHost(slash < 0 ? addr : addr.slice(0, slash)) ? undefined : problem;
};

/** getprotobyname(3) names (Debian's /etc/protocols, common ones) or a number 0-255. */
const PROTOCOLS = new Set(['ip', 'icmp', 'igmp', 'tcp', 'udp', 'ipv6', 'ipv6-route', 'ipv6-frag', 'gre', 'esp', 'ah', 'ipv6-icmp', 'ipv6-nonxt', 'ipv6-opts', 'ospf', 'pim', 'vrrp', 'l2tp', 'sctp', 'udplite', 'mpls-in-ip', 'ipip', 'encap', 'egp', 'pup', 'hmp', 'xns-idp', 'rdp', 'iso-tp4', 'dccp', 'xtp', 'ddp', 'idpr-cmtp', 'rsvp', 'idrp', 'skip', 'rspf', 'vmtp', 'ax.25', 'etherip', 'ipcomp', 'isis', 'manet', 'hip', 'shim6', 'wesp', 'rohc', 'ethernet', 'mptcp', 'st', 'cbt', 'igp', 'bbn-rcc', 'nvp', 'argus', 'emcon', 'xnet', 'chaos', 'mux', 'dcn', 'hmp', 'prm', 'trunk-1', 'trunk-2', 'leaf-1', 'leaf-2', 'irtp', 'netblt', 'mfe-nsp', 'merit-inp', '3pc', 'idpr', 'tp++', 'il', 'sdrp', 'mobile', 'tlsp', 'ipv6-nonxt', 'fc', 'mobility-header']);

function validProtocol(proto: string): boolean {
  if (proto === 'any' || PROTOCOLS.has(proto.toLowerCase())) return true;
  const m = /^[ \t]*[+-]?(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(proto);
  if (!m) return proto === ''; // strtol of "" converts nothing and leaves nothing behind
  const n = Number.parseInt(proto.trim(), /^[+-]?0[xX]/.test(proto.trim()) ? 16 : /^[+-]?0[0-7]/.test(proto.trim()) ? 8 : 10);
  return n >= 0 && n <= 255;
}

function validPort(port: string): boolean {
  if (port === '' || port === 'any' || port === 'opaque' || SERVICES.has(port)) return true;
  const m = /^([ \t]*[+-]?\d*)(?:-([ \t]*[+-]?\d*))?$/.exec(port);
  if (!m) return false;
  return [m[1], m[2]].every((p) => p === undefined || (Number(p || '0') >= 0 && Number(p || '0') <= 0xffff));
}

/** getservbyname(3) names a traffic selector may use (a few common ones). */
const SERVICES = new Set(['http', 'https', 'ssh', 'domain', 'bgp', 'ntp', 'snmp', 'isakmp', 'ipsec-nat-t', 'telnet', 'ftp', 'smtp', 'imap', 'pop3']);

// ---------------------------------------------------------------------------------------------------
// Proposals (proposal_create_from_string and check_proposal in libstrongswan/crypto/proposal).

type Transform = 'encr' | 'integ' | 'prf' | 'ke' | 'esn';

/** strongSwan's proposal keywords (proposal_keywords_static.txt), exact case. */
const KEYWORDS: Record<Transform, string> = {
  encr:
    'null des 3des aes aes128 aes192 aes256 aes128ctr aes192ctr aes256ctr blowfish blowfish128 blowfish192 blowfish256 ' +
    'camellia camellia128 camellia192 camellia256 camellia128ctr camellia192ctr camellia256ctr cast128 serpent serpent128 ' +
    'serpent192 serpent256 twofish twofish128 twofish192 twofish256 aes128gmac aes192gmac aes256gmac chacha20poly1305 ' +
    'chacha20poly1305compat ' +
    ['aes128', 'aes192', 'aes256'].flatMap((a) => ['ccm', 'gcm'].flatMap((m) => ['8', '64', '12', '96', '16', '128', ''].map((i) => `${a}${m}${i}`))).join(' ') +
    ' ' +
    ['camellia128', 'camellia192', 'camellia256'].flatMap((a) => ['8', '64', '12', '96', '16', '128'].map((i) => `${a}ccm${i}`)).join(' '),
  integ: 'sha sha1 sha1_160 sha256 sha2_256 sha256_96 sha2_256_96 sha384 sha2_384 sha512 sha2_512 md5 md5_128 aesxcbc camelliaxcbc aescmac',
  prf: 'prfsha1 prfsha256 prfsha384 prfsha512 prfmd5 prfaesxcbc prfcamelliaxcbc prfaescmac',
  ke:
    'none modpnone modpnull modp768 modp1024 modp1536 modp2048 modp3072 modp4096 modp6144 modp8192 ecp192 ecp224 ecp256 ' +
    'ecp384 ecp521 modp1024s160 modp2048s224 modp2048s256 ecp224bp ecp256bp ecp384bp ecp512bp curve25519 x25519 curve448 ' +
    'x448 ntru112 ntru128 ntru192 ntru256 newhope128',
  esn: 'noesn esn',
};

const TRANSFORM_OF = new Map<string, Transform>(
  (Object.entries(KEYWORDS) as [Transform, string][]).flatMap(([type, names]) => names.split(' ').filter(Boolean).map((n) => [n, type] as [string, Transform])),
);

/** Combined-mode ciphers: CCM, GCM, GMAC (null cipher + GMAC) and ChaCha20-Poly1305. */
const isAead = (name: string) => /ccm|gcm|gmac|chacha20poly1305/.test(name);
/** Integrity algorithms IKE derives a PRF from when none is named (integ_prf_map). */
const hasPrfOf = (name: string) => !/^sha2?_?256_96$/.test(name);
/** Key exchange keywords that mean "none" (removed from IKE proposals). */
const isNoKe = (name: string) => name === 'none' || name === 'modpnone';

/** Why charon refuses one proposal (`aes128-sha256-modp2048`) for `protocol`, or undefined. */
export function proposalProblem(proposal: string, protocol: 'ike' | 'esp' | 'ah'): string | undefined {
  if (proposal.toLowerCase() === 'default') return undefined;
  const names = tokens(proposal, '-', ' ');
  if (names.length === 0) return 'is an empty proposal';
  const types: Transform[] = [];
  for (const n of names) {
    const type = TRANSFORM_OF.get(n);
    if (!type) return `has ${shownValue(n)}, which is not a strongSwan algorithm keyword`;
    types.push(type);
  }
  const of = (t: Transform) => names.filter((_, i) => types[i] === t);
  if (protocol === 'ike') {
    if (of('prf').length === 0 && !of('integ').some(hasPrfOf)) return 'has no PRF (name one, e.g. prfsha256, or an integrity algorithm)';
    if (!of('ke').some((n) => !isNoKe(n))) return 'has no DH group (IKE proposals need one)';
  }
  if (protocol === 'ah') return of('integ').length > 0 || of('encr').some((n) => /gmac/.test(n)) ? undefined : 'has no integrity algorithm (AH needs one)';
  const encr = of('encr');
  if (encr.length === 0) return `has no encryption algorithm (${protocol.toUpperCase()} proposals need one)`;
  const aead = encr.filter(isAead).length;
  if (aead > 0 && aead < encr.length) return 'mixes combined-mode (AEAD) and classic encryption algorithms';
  if (protocol === 'ike' && aead === 0 && of('integ').length === 0) return 'has a classic cipher but no integrity algorithm';
  return undefined;
}

/** A comma-separated list of proposals (`proposals`, `esp_proposals`, `ah_proposals`), item by item. */
export function proposals(protocol: 'ike' | 'esp' | 'ah'): ValueCheck {
  return (item) => {
    const t = stringify(item, 512);
    if (t === undefined) return NOT_PRINTABLE;
    const problem = proposalProblem(t, protocol);
    return problem && `${shownValue(t, { noun: 'proposal' })} ${problem}`;
  };
}

/**
 * strongSwan's token enumerator (enumerator_create_token): splits at any of `separators`, trims `trim`
 * characters, takes a token starting with a quote up to the matching quote, drops an empty last token.
 */
export function tokens(text: string, separators: string, trim: string): string[] {
  const out: string[] = [];
  let pos = 0;
  for (;;) {
    while (pos < text.length && (trim.includes(text[pos]) || separators.includes(text[pos]))) {
      // strongSwan skips at most one trim and one separator character per round, which amounts to this
      pos++;
    }
    const q = text[pos];
    if ((q === '"' || q === "'") && text.indexOf(q, pos + 1) > 0) {
      const end = text.indexOf(q, pos + 1);
      out.push(text.slice(pos + 1, end));
      pos = end + 1;
      continue;
    }
    let end = pos;
    while (end < text.length && !separators.includes(text[end])) end++;
    let token = text.slice(pos, end);
    while (token !== '' && trim.includes(token[token.length - 1])) token = token.slice(0, -1);
    const last = end >= text.length;
    if (last) {
      if (token !== '') out.push(token);
      return out;
    }
    out.push(token);
    pos = end + 1;
  }
}

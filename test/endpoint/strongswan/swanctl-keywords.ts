/**
 * Which swanctl.conf keywords a file uses, as the man page names them (`connections.<conn>.children.<child>.rekey_time`),
 * and which keywords swanctl.conf(5) documents. charon ignores unknown keywords silently, so loading alone
 * does not prove every keyword is real.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { gunzipSync } from 'zlib';

export const MAN_PAGE = '/usr/share/man/man5/swanctl.conf.5.gz';
/** The documented keywords of strongSwan 5.9.8, extracted from Debian's swanctl.conf(5) by {@link documentedKeywords}. */
export const KEYWORD_LIST = join(__dirname, 'swanctl-5.9.8-keywords.txt');

/** Every `.B`/`.BR` keyword heading of the man page (roff source). */
export function documentedKeywords(manRoff: string): string[] {
  const out = new Set<string>();
  for (const line of manRoff.split('\n')) {
    const m = /^\.BR? ((?:connections|secrets|pools|authorities)[^\s"]*)/.exec(line.replace(/\\f[BIRP]/g, ''));
    if (m) out.add(m[1]);
  }
  return [...out].sort();
}

export function readManPage(): string {
  return gunzipSync(readFileSync(MAN_PAGE)).toString('utf8');
}

export function storedKeywords(): string[] {
  return readFileSync(KEYWORD_LIST, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
}

/** The generic names of the settings a swanctl.conf sets (comments and includes skipped). */
export function usedKeywords(conf: string): string[] {
  const path: string[] = [];
  const out = new Set<string>();
  for (const raw of conf.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '' || line.startsWith('include ')) continue;
    if (line === '}') {
      path.pop();
      continue;
    }
    const open = /^(\S+) \{$/.exec(line);
    if (open) {
      path.push(open[1]);
      continue;
    }
    const setting = /^(\S+) = /.exec(line);
    if (!setting) throw new Error(`unparsed swanctl.conf line: ${raw}`);
    out.add(generic([...path, setting[1]]));
  }
  return [...out].sort();
}

/** `connections.vpn-1-tunnel1.local.auth` → `connections.<conn>.local<suffix>.auth`, and so on. */
function generic(parts: string[]): string {
  const [top, ...rest] = parts;
  if (top === 'connections') {
    const [, second, third, fourth] = rest;
    if (second === 'children') return `connections.<conn>.children.<child>.${fourth}`;
    if ((second === 'local' || second === 'remote') && third !== undefined) return `connections.<conn>.${second}<suffix>.${third}`;
    return `connections.<conn>.${second}`;
  }
  if (top === 'secrets') {
    const [section, key] = rest;
    const kind = /^(ike|eap|xauth|ntlm|ppk|private|rsa|ecdsa|pkcs8|pkcs12|token)/.exec(section)?.[1] ?? section;
    return `secrets.${kind}<suffix>.${key.startsWith('id') ? 'id<suffix>' : key}`;
  }
  return parts.join('.');
}

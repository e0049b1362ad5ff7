/**
 * Reads back what charon actually loaded: with `cfg = 2` logging, charon dumps every setting of each
 * connection it receives over vici (`conn NAME:`, `child NAME:`, `key = value`). `swanctl --list-conns`
 * in 5.9.8 shows no proposals, lifetimes or replay window; this dump does.
 */

export interface LoadedChild {
  [setting: string]: string;
}

export interface LoadedConnection {
  settings: Record<string, string>;
  children: Record<string, LoadedChild>;
}

const LINE = /^\S+ \d+\[CFG\] ( +)(.*)$/;

/** The connections in a charon log, the last dump of each name winning (a reload replaces a connection). */
export function parseConfigDump(log: string): Record<string, LoadedConnection> {
  const conns: Record<string, LoadedConnection> = {};
  let conn: LoadedConnection | undefined;
  let child: LoadedChild | undefined;
  let auth: string | undefined; // `local:` / `remote:` round: their settings go to `local.id`, `remote.cacert`, ...
  for (const raw of log.split('\n')) {
    const m = LINE.exec(raw);
    if (!m) continue;
    const depth = m[1].length;
    const text = m[2];
    const header = /^(conn|child) (.+):$/.exec(text);
    const authHeader = /^((?:local|remote)[^:\s]*):$/.exec(text);
    if (header && header[1] === 'conn' && depth === 1) {
      conn = { settings: {}, children: {} };
      conns[header[2]] = conn;
      child = undefined;
      auth = undefined;
    } else if (header && header[1] === 'child' && depth === 2 && conn) {
      child = {};
      conn.children[header[2]] = child;
      auth = undefined;
    } else if (authHeader && depth === 2 && conn) {
      child = undefined;
      auth = authHeader[1];
    } else {
      const kv = /^(\w+) = (.*)$/.exec(text);
      if (!kv && depth >= 2 && conn) continue; // a remark inside the dump, e.g. "id not specified, defaulting to cert subject ..."
      if (!kv || !conn) {
        conn = undefined;
        child = undefined;
        auth = undefined;
        continue;
      }
      if (depth === 3 && auth) conn.settings[`${auth}.${kv[1]}`] = kv[2];
      else if (depth === 3 && child) child[kv[1]] = kv[2];
      else if (depth === 2) conn.settings[kv[1]] = kv[2];
    }
  }
  return conns;
}

/**
 * Every algorithm combination a proposal list offers, as `ENC/INTEG-or-PRF/GROUP` strings (IKE) or
 * `ENC/INTEG/GROUP`, `ENC/GROUP` (ESP). strongSwan's own PRFs on non-AEAD IKE proposals are left out.
 */
export function offeredCombinations(proposals: string): string[] {
  const out = new Set<string>();
  for (const proposal of proposals.split(', ')) {
    const [protocol, algorithms] = proposal.split(':');
    const parts = algorithms.split('/').filter((a) => a !== 'NO_EXT_SEQ');
    const enc = parts.filter((a) => a.startsWith('AES_'));
    const integ = parts.filter((a) => a.startsWith('HMAC_'));
    const prf = parts.filter((a) => a.startsWith('PRF_'));
    const groups = parts.filter((a) => a.startsWith('MODP_') || a.startsWith('ECP_'));
    const aead = enc.every((e) => e.startsWith('AES_GCM'));
    const middles = protocol === 'IKE' ? (aead ? prf : integ) : aead ? [undefined] : integ;
    for (const e of enc) for (const m of middles) for (const g of groups) out.add([e, m, g].filter(Boolean).join('/'));
  }
  return [...out].sort();
}

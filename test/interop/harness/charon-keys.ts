/**
 * Read a CHILD_SA's SPIs and keys out of charon: SPIs from `swanctl --list-sas`, keys from the level-4
 * (`chd = 4`) log, which hex-dumps them (the Debian build has no save-keys plugin).
 */

export interface LoggedChildKeys {
  /** Keys for initiator -> responder traffic (RFC 7296 section 2.17: SK_ei/SK_ai). GCM keys end in the salt. */
  initiator: { encryption: Buffer; integrity: Buffer };
  /** Keys for responder -> initiator traffic. */
  responder: { encryption: Buffer; integrity: Buffer };
}

type KeyName = 'encryption initiator' | 'encryption responder' | 'integrity initiator' | 'integrity responder';

/**
 * The most recently logged CHILD_SA keys. Lines look like
 *   `07:37:49 15[CHD] encryption initiator key => 16 bytes @ 0x55e3...`
 *   `07:37:49 15[CHD]    0: 81 76 FA E8 20 E5 3D A8 24 CD D4 A9 EC 8C 09 83  .v.. .=.$.......`
 */
export function parseChildKeys(log: string): LoggedChildKeys {
  const lines = log.split('\n');
  const found = new Map<KeyName, Buffer>();
  for (let i = 0; i < lines.length; i++) {
    const m = /\[CHD\] ((?:encryption|integrity) (?:initiator|responder)) key => (\d+) bytes/.exec(lines[i]);
    if (!m) continue;
    const length = Number(m[2]);
    let hex = '';
    for (let j = i + 1; j < lines.length && hex.length < 2 * length; j++) {
      const dump = /\]\s+\d+: ((?:[0-9A-F]{2} ){1,16})/.exec(lines[j]);
      if (!dump) break;
      hex += dump[1].replace(/ /g, '');
    }
    const key = Buffer.from(hex.slice(0, 2 * length), 'hex');
    if (key.length !== length) throw new Error(`charon log: the ${m[1]} key dump is incomplete`);
    found.set(m[1] as KeyName, key); // later entries (rekeys) replace earlier ones
  }
  const get = (name: KeyName): Buffer => {
    const k = found.get(name);
    if (!k) throw new Error(`charon log has no ${name} key (is chd = 4 set?)`);
    return k;
  };
  // AEAD proposals log zero-length (or no) integrity keys.
  const integrity = (name: KeyName): Buffer => found.get(name) ?? Buffer.alloc(0);
  return {
    initiator: { encryption: get('encryption initiator'), integrity: integrity('integrity initiator') },
    responder: { encryption: get('encryption responder'), integrity: integrity('integrity responder') },
  };
}

export interface ListedChildSa {
  /** e.g. `AES_CBC-128/HMAC_SHA1_96` or `AES_GCM_16-256`. */
  algorithm: string;
  /** e.g. `TUNNEL-in-UDP`. */
  mode: string;
  /** SPI this daemon receives on. */
  spiIn: number;
  /** SPI this daemon sends with. */
  spiOut: number;
  /** Which end of the IKE_SA this daemon is (the `*` marks our own SPI in `..._i ..._r*`). */
  role: 'initiator' | 'responder';
}

/** The first INSTALLED CHILD_SA named `child` in `swanctl --list-sas` output. */
export function parseListSas(text: string, child: string): ListedChildSa {
  const ike = /[0-9a-f]{16}_i(\*?) [0-9a-f]{16}_r(\*?)/.exec(text);
  const head = new RegExp(`${child}: #\\d+, reqid \\d+, INSTALLED, (\\S+), ESP:(\\S+)`).exec(text);
  if (!ike || !head) throw new Error(`no installed CHILD_SA "${child}" in swanctl --list-sas output:\n${text}`);
  const rest = text.slice(head.index);
  const spiIn = /\n\s+in\s+([0-9a-f]{8})/.exec(rest);
  const spiOut = /\n\s+out\s+([0-9a-f]{8})/.exec(rest);
  if (!spiIn || !spiOut) throw new Error(`CHILD_SA "${child}" has no in/out SPIs:\n${text}`);
  return {
    mode: head[1],
    algorithm: head[2],
    spiIn: parseInt(spiIn[1], 16),
    spiOut: parseInt(spiOut[1], 16),
    role: ike[1] === '*' ? 'initiator' : 'responder',
  };
}

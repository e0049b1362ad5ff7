/**
 * A parsed swanctl.conf as what each connection's on-prem side offers and does, with strongSwan 5.9's
 * defaults for whatever the file leaves out (swanctl.conf(5)).
 *
 * Inside addresses, MTU and MSS clamping are not swanctl settings: they live on the XFRM interface. The
 * interface setup comments `s2s-vpn config --format swanctl` writes (`ip addr add ... dev ipsecN`) are
 * read when present.
 */
import type { IkeVersion } from '../aws-rules';
import { VerifyInputError } from './errors';
import type { OnPremCertificateAuth, OnPremKey, OnPremTunnel, Schedule, SettingField } from './on-prem';
import { parseOnPremProposal } from './proposals';
import { parseDuration, SwanctlSection } from './swanctl-parse';
import { readLoadableSwanctl } from './swanctl-schema';
import { shownValue, wholeNumberValue } from './swanctl-schema-values';

const DEFAULTS = {
  ikeRekeySeconds: 4 * 3600,
  childRekeySeconds: 3600,
  replayWindow: 32,
};

/**
 * Reads `file` (and the files it includes, when present) into one on-prem tunnel per connection. What
 * strongSwan would refuse to load (syntax, keywords, values; see swanctl-schema.ts) is bad input.
 */
export function onPremTunnelsFromSwanctl(text: string, file: string): OnPremTunnel[] {
  const read = readLoadableSwanctl(text, file);
  if ('refused' in read) {
    const [first, ...more] = read.refused;
    throw new VerifyInputError([first, ...more.slice(0, 9), ...(more.length > 9 ? [`(and ${more.length - 9} more)`] : [])].join('\n'));
  }
  const { parsed } = read;
  const connections = parsed.root.sections.get('connections');
  if (!connections || connections.sections.size === 0) throw new VerifyInputError(`${file}: no \`connections { ... }\` section with a connection in it`);
  const secrets = secretSections(parsed.root);
  const interfaces = interfaceSetup(parsed.comments);
  return [...connections.sections].map(([name, conn]) => connection(name, conn, { file, secrets, interfaces }));
}

interface Context {
  readonly file: string;
  readonly secrets: Map<string, SwanctlSection> | { external: string };
  readonly interfaces: Map<number, InterfaceSetup>;
}

function connection(name: string, conn: SwanctlSection, ctx: Context): OnPremTunnel {
  const at = `connections.${name}`;
  const [childName, child] = [...conn.sections.get('children')?.sections ?? []][0] ?? [];
  if (!child) throw new VerifyInputError(`${ctx.file}: ${at}.children has no CHILD_SA; AWS runs one ESP SA pair per tunnel`);
  const childAt = `${at}.children.${childName}`;
  const get = (s: SwanctlSection, key: string) => s.settings.get(key);
  const seconds = (s: SwanctlSection, key: string, field: string, fallback: number): number => {
    const text = get(s, key);
    if (text === undefined) return fallback;
    const value = parseDuration(text);
    if (value === undefined) throw new VerifyInputError(`${ctx.file}: ${field}: ${shownValue(text)} is not a time (e.g. 3600s, 60m, 1h)`);
    return value;
  };
  // Values have passed swanctl-schema.ts, so they convert as charon converts them (`%unique` if_ids: no number).
  const integer = (s: SwanctlSection, key: string): number | undefined => {
    const text = get(s, key);
    return text === undefined ? undefined : wholeNumberValue(text);
  };

  const remoteOutside = firstAddress(get(conn, 'remote_addrs'));
  if (!remoteOutside) throw new VerifyInputError(`${ctx.file}: ${at}.remote_addrs is missing; it must be the tunnel's AWS outside address`);

  const ikeRekey = seconds(conn, 'rekey_time', `${at}.rekey_time`, DEFAULTS.ikeRekeySeconds);
  const overTime = seconds(conn, 'over_time', `${at}.over_time`, Math.floor(ikeRekey / 10));
  const ike: Schedule = { rekeySeconds: ikeRekey, randSeconds: seconds(conn, 'rand_time', `${at}.rand_time`, overTime), lifetimeSeconds: ikeRekey + overTime };
  const childRekey = seconds(child, 'rekey_time', `${childAt}.rekey_time`, DEFAULTS.childRekeySeconds);
  const childLife = seconds(child, 'life_time', `${childAt}.life_time`, Math.floor(childRekey * 1.1));
  const esp: Schedule = { rekeySeconds: childRekey, randSeconds: seconds(child, 'rand_time', `${childAt}.rand_time`, childLife - childRekey), lifetimeSeconds: childLife };

  const startAction = (get(child, 'start_action') ?? 'none').split(/[\s|,]+/);
  const ifId = integer(conn, 'if_id_out') ?? integer(child, 'if_id_out');
  const iface = ifId === undefined ? undefined : ctx.interfaces.get(ifId);
  const localOutside = firstAddress(get(conn, 'local_addrs'));
  return {
    name,
    format: 'swanctl',
    ikeVersions: versions(get(conn, 'version'), `${at}.version`, ctx.file),
    ikeProposals: list(get(conn, 'proposals') ?? 'default').map((p) => parseOnPremProposal(p, 'ike')),
    espProposals: list(get(child, 'esp_proposals') ?? 'default').map((p) => parseOnPremProposal(p, 'esp')),
    ike,
    esp,
    replayWindow: integer(child, 'replay_window') ?? DEFAULTS.replayWindow,
    dpdDelaySeconds: seconds(conn, 'dpd_delay', `${at}.dpd_delay`, 0),
    initiates: startAction.includes('start') || startAction.includes('trap'),
    restartsAfterDpd: ['restart', 'trap'].includes(get(child, 'dpd_action') ?? 'clear'),
    localOutside,
    remoteOutside,
    localInside: iface?.ipv4,
    localInsideIpv6: iface?.ipv6,
    preSharedKey: keyFor(name, conn, localOutside, remoteOutside, ctx),
    certificateAuth: certificateAuthOf(conn, at),
    forcesUdpEncapsulation: get(conn, 'encap') === 'yes',
    trafficSelectors: { local: list(get(child, 'local_ts') ?? 'dynamic'), remote: list(get(child, 'remote_ts') ?? 'dynamic'), field: childAt },
    mtu: iface?.mtu,
    tcpMss: iface?.mss,
    field: fields(name, childAt, ifId),
  };
}

/** `auth = pubkey` written on either side (strongSwan's default is pubkey, but a file that never says so is read as PSK). */
function certificateAuthOf(conn: SwanctlSection, at: string): OnPremCertificateAuth | undefined {
  const auth = (side: string) => conn.sections.get(side)?.settings.get('auth');
  const local = auth('local') === 'pubkey';
  const remote = auth('remote') === 'pubkey';
  if (!local && !remote) return undefined;
  const id = conn.sections.get('remote')?.settings.get('id');
  return { remoteId: id?.replace(/^"(.*)"$/, '$1'), bothSides: local && remote, field: `${at}.${local ? 'remote' : 'local'}.auth` };
}

function versions(text: string | undefined, field: string, file: string): IkeVersion[] {
  switch (text === undefined ? 0 : wholeNumberValue(text)) {
    case 0:
      return ['ikev1', 'ikev2'];
    case 1:
      return ['ikev1'];
    case 2:
      return ['ikev2'];
    default:
      throw new VerifyInputError(`${file}: ${field}: ${shownValue(String(text))} is not 0, 1 or 2`);
  }
}

function list(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

/** The first address of an `*_addrs` list, unless it is a range, a subnet or `%any`. */
function firstAddress(text: string | undefined): string | undefined {
  const first = text === undefined ? undefined : list(text)[0];
  return first && !first.startsWith('%') ? first : undefined;
}

/** `secrets { ike-<name> { id-*, secret } }` (included files read in place), or the include that was not found. */
function secretSections(root: SwanctlSection): Map<string, SwanctlSection> | { external: string } {
  const secrets = root.sections.get('secrets');
  const found = new Map(secrets?.sections ?? []);
  const missing = secrets?.missingIncludes[0];
  return found.size === 0 && missing !== undefined ? { external: missing } : found;
}

function keyFor(name: string, conn: SwanctlSection, localOutside: string | undefined, remoteOutside: string, ctx: Context): OnPremKey {
  if ('external' in ctx.secrets) return { kind: 'external', where: ctx.secrets.external };
  const remoteId = conn.sections.get('remote')?.settings.get('id') ?? remoteOutside;
  const localId = conn.sections.get('local')?.settings.get('id') ?? localOutside;
  for (const [sectionName, s] of ctx.secrets) {
    if (!sectionName.startsWith('ike')) continue;
    const ids = [...s.settings].filter(([k]) => k === 'id' || k.startsWith('id-')).map(([, v]) => v);
    const matches = sectionName === `ike-${name}` || ids.includes(remoteId) || (ids.length === 0 && localId !== undefined);
    const secret = s.settings.get('secret');
    if (matches && secret !== undefined) return { kind: 'inline', value: decodeSecret(secret) };
  }
  return { kind: 'missing' };
}

/** strongSwan also takes secrets as `0x<hex>` or `0s<base64>` (strongswan.conf(5), "secrets"). */
function decodeSecret(secret: string): string {
  if (/^0x[0-9a-fA-F]+$/.test(secret)) return Buffer.from(secret.slice(2), 'hex').toString('utf8');
  if (/^0s[A-Za-z0-9+/=]+$/.test(secret)) return Buffer.from(secret.slice(2), 'base64').toString('utf8');
  return secret;
}

interface InterfaceSetup {
  ipv4?: string;
  ipv6?: string;
  mtu?: number;
  mss?: number;
}

/** The XFRM interface setup written as comments: `ip link add DEV type xfrm if_id N`, `ip addr add`, mtu, TCPMSS. */
function interfaceSetup(comments: readonly string[]): Map<number, InterfaceSetup> {
  const devices = new Map<string, number>();
  for (const c of comments) {
    const m = /ip link add (\S+) type xfrm if_id (\d+)/.exec(c);
    if (m) devices.set(m[1], Number(m[2]));
  }
  const out = new Map<number, InterfaceSetup>();
  const of = (dev: string): InterfaceSetup | undefined => {
    const id = devices.get(dev);
    if (id === undefined) return undefined;
    if (!out.has(id)) out.set(id, {});
    return out.get(id);
  };
  for (const c of comments) {
    const addr = /ip addr add (\S+) dev (\S+)/.exec(c);
    if (addr) {
      const s = of(addr[2]);
      if (s) s[addr[1].includes(':') ? 'ipv6' : 'ipv4'] = addr[1];
    }
    const mtu = /ip link set (\S+) mtu (\d+)/.exec(c);
    if (mtu) {
      const s = of(mtu[1]);
      if (s) s.mtu = Number(mtu[2]);
    }
    const mss = /-o (\S+) .*--set-mss (\d+)/.exec(c);
    if (mss) {
      const s = of(mss[1]);
      if (s) s.mss = Number(mss[2]);
    }
  }
  return out;
}

function fields(name: string, childAt: string, ifId: number | undefined): Record<SettingField, string> {
  const at = `connections.${name}`;
  const dev = ifId === undefined ? 'the tunnel interface' : `the XFRM interface with if_id ${ifId}`;
  return {
    ikeVersions: `${at}.version`,
    ikeProposals: `${at}.proposals`,
    espProposals: `${childAt}.esp_proposals`,
    ikeLifetime: `${at}.rekey_time + over_time`,
    ikeRekey: `${at}.rekey_time`,
    espLifetime: `${childAt}.life_time`,
    espRekey: `${childAt}.rekey_time`,
    dpdDelay: `${at}.dpd_delay`,
    startAction: `${childAt}.start_action`,
    dpdAction: `${childAt}.dpd_action`,
    localInside: `the inside address of ${dev}`,
    remoteInside: `the BGP neighbor / peer inside address`,
    localAsn: 'the local AS of your BGP daemon',
    remoteAsn: 'the remote-as of your BGP neighbor',
    preSharedKey: `secrets.ike-${name}.secret`,
    mtu: `the MTU of ${dev}`,
    tcpMss: `the TCP MSS clamp on ${dev}`,
    replayWindow: `${childAt}.replay_window`,
  };
}

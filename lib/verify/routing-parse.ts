/**
 * What `verify` needs from an FRR `frr.conf` or a BIRD 2 `bird.conf`: the BGP neighbours (address, ASNs,
 * timers, outbound prefix limit) and the prefixes the file announces. A reader, not a validator: the real
 * parsers (`vtysh --dryrun`, `bird -p`) judge syntax; this reads the statements that decide whether AWS's
 * BGP sessions come up and stay up.
 */
import { VerifyInputError } from './errors';

export type RoutingFormat = 'frr' | 'bird';

export interface BgpNeighbor {
  readonly address: string;
  readonly remoteAsn?: number;
  readonly localAsn?: number;
  /** BIRD `local ADDRESS`; FRR `update-source ADDRESS`. */
  readonly localAddress?: string;
  /** Configured, or undefined for the daemon's default. */
  readonly holdTime?: number;
  readonly keepalive?: number;
  /** FRR `maximum-prefix-out`, BIRD `export limit`. */
  readonly exportLimit?: number;
}

export interface RoutingDaemonConfig {
  readonly format: RoutingFormat;
  readonly neighbors: readonly BgpNeighbor[];
  /** FRR `network` / `aggregate-address`; BIRD routes of static protocols. */
  readonly announced: readonly string[];
  /** The hold time the daemon uses when none is configured (FRR 8 traditional: 180 s; BIRD 2: 240 s). */
  readonly defaultHoldTime: number;
}

/** `frr` for FRR's `router bgp` syntax, `bird` for BIRD's `protocol bgp { ... }`. */
export function routingFormatOf(text: string, file: string): RoutingFormat {
  if (/^\s*router bgp \d+/m.test(text) || /^\s*(ip|ipv6) route /m.test(text) || /^\s*frr /m.test(text)) return 'frr';
  if (/^\s*protocol\s+\w+/m.test(text)) return 'bird';
  throw new VerifyInputError(`${file}: neither an FRR frr.conf (router bgp ...) nor a BIRD bird.conf (protocol ...)`);
}

export function parseRoutingConfig(text: string, file: string): RoutingDaemonConfig {
  return routingFormatOf(text, file) === 'frr' ? parseFrr(text) : parseBird(text);
}

function parseFrr(text: string): RoutingDaemonConfig {
  const neighbors = new Map<string, { remoteAsn?: number; localAsn?: number; localAddress?: string; holdTime?: number; keepalive?: number; exportLimit?: number; group?: string }>();
  const announced: string[] = [];
  let localAsn: number | undefined;
  let inBgp = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/!.*$/, '').trimEnd();
    const router = /^router bgp (\d+)/.exec(line);
    if (router) {
      inBgp = true;
      localAsn = Number(router[1]);
      continue;
    }
    if (/^\S/.test(line)) inBgp = false;
    if (!inBgp) continue;
    const words = line.trim().split(/\s+/);
    if ((words[0] === 'network' || words[0] === 'aggregate-address') && words[1]) announced.push(words[1]);
    if (words[0] !== 'neighbor' || !words[1]) continue;
    const n = neighbors.get(words[1]) ?? {};
    neighbors.set(words[1], n);
    const [, , key, a, b] = words;
    if (key === 'remote-as') n.remoteAsn = Number(a);
    if (key === 'local-as') n.localAsn = Number(a);
    if (key === 'update-source') n.localAddress = a;
    if (key === 'peer-group' && a) n.group = a;
    if (key === 'timers' && a !== 'connect' && b !== undefined) [n.keepalive, n.holdTime] = [Number(a), Number(b)];
    if (key === 'maximum-prefix-out') n.exportLimit = Number(a);
  }
  const resolved = [...neighbors.entries()]
    .filter(([address]) => /[.:]/.test(address)) // peer groups are names, not addresses
    .map(([address, n]) => {
      const group = n.group ? neighbors.get(n.group) : undefined;
      const pick = <K extends keyof typeof n>(k: K) => n[k] ?? group?.[k];
      return { address, remoteAsn: pick('remoteAsn'), localAsn: pick('localAsn') ?? localAsn, localAddress: pick('localAddress'), holdTime: pick('holdTime') as number | undefined, keepalive: pick('keepalive') as number | undefined, exportLimit: pick('exportLimit') as number | undefined };
    });
  return { format: 'frr', neighbors: resolved, announced, defaultHoldTime: 180 };
}

/** The `{ ... }` body of each `protocol KIND NAME {` block, braces balanced, comments removed. */
function birdBlocks(text: string, kind: string): string[] {
  const clean = text.replace(/#.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
  const blocks: string[] = [];
  const start = new RegExp(`\\bprotocol\\s+${kind}\\b[^{;]*\\{`, 'g');
  for (const m of clean.matchAll(start)) {
    let depth = 1;
    let i = (m.index ?? 0) + m[0].length;
    const from = i;
    for (; i < clean.length && depth > 0; i++) {
      if (clean[i] === '{') depth++;
      if (clean[i] === '}') depth--;
    }
    blocks.push(clean.slice(from, i - 1));
  }
  return blocks;
}

function parseBird(text: string): RoutingDaemonConfig {
  const number = (body: string, re: RegExp) => {
    const m = re.exec(body);
    return m ? Number(m[1]) : undefined;
  };
  const neighbors = birdBlocks(text, 'bgp').flatMap((body): BgpNeighbor[] => {
    const neighbor = /\bneighbor\s+([0-9A-Fa-f.:]+)(?:\s+port\s+\d+)?(?:\s+as\s+(\d+))?\s*;/.exec(body);
    if (!neighbor) return [];
    const local = /\blocal(?:\s+([0-9A-Fa-f.:]+))?(?:\s+port\s+\d+)?(?:\s+as\s+(\d+))?\s*;/.exec(body);
    return [{
      address: neighbor[1],
      remoteAsn: neighbor[2] !== undefined ? Number(neighbor[2]) : undefined,
      localAsn: local?.[2] !== undefined ? Number(local[2]) : undefined,
      localAddress: local?.[1],
      holdTime: number(body, /\bhold\s+time\s+(\d+)\s*;/),
      keepalive: number(body, /\bkeepalive\s+time\s+(\d+)\s*;/),
      exportLimit: number(body, /\bexport\s+limit\s+(\d+)/),
    }];
  });
  const announced = birdBlocks(text, 'static').flatMap((body) => [...body.matchAll(/\broute\s+([0-9A-Fa-f.:]+\/\d+)/g)].map((m) => m[1]));
  return { format: 'bird', neighbors, announced, defaultHoldTime: 240 };
}

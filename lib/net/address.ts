/**
 * IPv4/IPv6 addresses and CIDRs as plain values: parse, format, contain, compare.
 *
 * Parsing returns undefined for anything malformed so callers can name the field in their own error.
 */

export type IpVersion = 4 | 6;

export interface Cidr {
  readonly version: IpVersion;
  /** The address as written, as an unsigned integer (32 or 128 bits). */
  readonly address: bigint;
  readonly prefixLength: number;
}

const IPV4_PART = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => IPV4_PART.test(p))) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

export function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || text.split('::').length > 2) return undefined;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const pieces = s.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  if (!h || !t) return undefined;
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  return [...h, ...new Array<number>(missing).fill(0), ...t].reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

export function parseIp(text: string): { version: IpVersion; address: bigint } | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { version: 4, address: v4 };
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { version: 6, address: v6 };
}

export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefix = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(prefix)) return undefined;
  const prefixLength = Number(prefix);
  if (prefixLength > bitsOf(ip.version)) return undefined;
  return { version: ip.version, address: ip.address, prefixLength };
}

export function bitsOf(version: IpVersion): number {
  return version === 4 ? 32 : 128;
}

/** The network address: the CIDR's address with its host bits cleared. */
export function networkOf(cidr: Cidr): bigint {
  const hostBits = BigInt(bitsOf(cidr.version) - cidr.prefixLength);
  return (cidr.address >> hostBits) << hostBits;
}

/** True when the CIDR is written with its host bits clear (`10.0.0.0/16`, not `10.0.0.1/16`). */
export function isNetworkAddress(cidr: Cidr): boolean {
  return networkOf(cidr) === cidr.address;
}

/** True when `inner` lies wholly inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.version !== inner.version || inner.prefixLength < outer.prefixLength) return false;
  return networkOf({ ...inner, prefixLength: outer.prefixLength }) === networkOf(outer);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

export function formatIpv4(address: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((address >> s) & 0xffn)).join('.');
}

/** RFC 5952 text: lower case, longest run of zero groups (two or more) folded to `::`. */
export function formatIpv6(address: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((address >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j > i ? j : i + 1;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function formatIp(version: IpVersion, address: bigint): string {
  return version === 4 ? formatIpv4(address) : formatIpv6(address);
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.version, cidr.address)}/${cidr.prefixLength}`;
}

const PRIVATE_IPV4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '127.0.0.0/8'].map(
  (c) => parseCidr(c) as Cidr,
);

/** True for RFC 1918, shared (RFC 6598), link-local and loopback IPv4 addresses: not internet-routable. */
export function isPrivateIpv4(address: bigint): boolean {
  const host: Cidr = { version: 4, address, prefixLength: 32 };
  return PRIVATE_IPV4.some((range) => cidrContains(range, host));
}

/** The address in network byte order (4 or 16 bytes), or undefined when `text` is not an IP address. */
export function ipToBytes(text: string): Buffer | undefined {
  const ip = parseIp(text);
  if (!ip) return undefined;
  const length = bitsOf(ip.version) / 8;
  const out = Buffer.alloc(length);
  let value = ip.address;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

/** Text form of a 4- or 16-byte address in network byte order (IPv6 per RFC 5952). */
export function ipFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 4 && bytes.length !== 16) throw new Error(`An IP address has 4 or 16 bytes, not ${bytes.length}`);
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return formatIpv6(value);
}

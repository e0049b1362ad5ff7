/**
 * Traffic selectors (RFC 7296 section 2.9) as address/port ranges: from CIDRs, and the responder's
 * narrowing (the intersection of what the initiator proposes with what the responder's policy allows).
 */
import { bitsOf, formatIp, parseCidr, networkOf } from '../net/address';
import { TS_TYPE } from './message/constants';
import type { TrafficSelector } from './message/payloads/traffic-selector';

function toBytes(value: bigint, length: number): Buffer {
  const out = Buffer.alloc(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function toBigInt(bytes: Buffer): bigint {
  return BigInt(`0x${bytes.toString('hex') || '0'}`);
}

/** A CIDR (`198.51.100.0/24`, `0.0.0.0/0`, `2001:db8::/64`) as an any-protocol, any-port selector. */
export function selectorFromCidr(text: string): TrafficSelector {
  const cidr = parseCidr(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`);
  if (!cidr) throw new Error(`Traffic selector ${JSON.stringify(text)} is not a CIDR`);
  const bits = bitsOf(cidr.version);
  const start = networkOf(cidr);
  const end = start | ((1n << BigInt(bits - cidr.prefixLength)) - 1n);
  const length = bits / 8;
  return {
    tsType: cidr.version === 4 ? TS_TYPE.IPV4_ADDR_RANGE : TS_TYPE.IPV6_ADDR_RANGE,
    ipProtocol: 0,
    startPort: 0,
    endPort: 65535,
    startAddress: toBytes(start, length),
    endAddress: toBytes(end, length),
  };
}

/** `198.51.100.0/24`, or `a - b` for a range that is no CIDR, with `[proto/ports]` when not "any". */
export function selectorText(ts: TrafficSelector): string {
  const version = ts.tsType === TS_TYPE.IPV4_ADDR_RANGE ? 4 : 6;
  const start = toBigInt(ts.startAddress);
  const end = toBigInt(ts.endAddress);
  const size = end - start + 1n;
  const bits = bitsOf(version);
  let text = `${formatIp(version, start)} - ${formatIp(version, end)}`;
  if (size > 0n && (size & (size - 1n)) === 0n && start % size === 0n) {
    const prefix = bits - (size.toString(2).length - 1);
    text = `${formatIp(version, start)}/${prefix}`;
  }
  const anyPort = ts.startPort === 0 && ts.endPort === 65535;
  if (ts.ipProtocol !== 0 || !anyPort) text += `[${ts.ipProtocol}/${ts.startPort}-${ts.endPort}]`;
  return text;
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** The intersection of two selectors, or undefined when they share nothing. */
export function intersectSelector(a: TrafficSelector, b: TrafficSelector): TrafficSelector | undefined {
  if (a.tsType !== b.tsType) return undefined;
  if (a.ipProtocol !== 0 && b.ipProtocol !== 0 && a.ipProtocol !== b.ipProtocol) return undefined;
  const start = max(toBigInt(a.startAddress), toBigInt(b.startAddress));
  const end = min(toBigInt(a.endAddress), toBigInt(b.endAddress));
  const startPort = Math.max(a.startPort, b.startPort);
  const endPort = Math.min(a.endPort, b.endPort);
  if (start > end || startPort > endPort) return undefined;
  const length = a.startAddress.length;
  return { tsType: a.tsType, ipProtocol: a.ipProtocol || b.ipProtocol, startPort, endPort, startAddress: toBytes(start, length), endAddress: toBytes(end, length) };
}

/**
 * Narrowing: every non-empty intersection of a proposed selector with a policy selector. RFC 7296 section
 * 2.9 lets the first proposed selector be the packet that triggered the request; narrowing to all of the
 * intersections covers it too. Empty means TS_UNACCEPTABLE.
 */
export function narrowSelectors(proposed: readonly TrafficSelector[], policy: readonly TrafficSelector[]): TrafficSelector[] {
  const out: TrafficSelector[] = [];
  for (const p of proposed) {
    for (const q of policy) {
      const x = intersectSelector(p, q);
      if (x && !out.some((o) => selectorText(o) === selectorText(x))) out.push(x);
    }
  }
  return out;
}

/** True when each of `inner` lies within one of `outer` (a responder may only narrow, never widen). */
export function selectorsWithin(inner: readonly TrafficSelector[], outer: readonly TrafficSelector[]): boolean {
  return inner.every((i) => outer.some((o) => {
    const x = intersectSelector(i, o);
    return x !== undefined && selectorText(x) === selectorText(i);
  }));
}

/**
 * The IP headers an SA writes around its protocol header: a fresh outer header in tunnel mode, the
 * original header with protocol and lengths changed in transport mode, and the reverse on the way in.
 * Shared by ESP and AH so the rules live in one place.
 */
import type { OuterBytes } from './config';
import { fillIpv4Checksum, V4, V6, writeIpv4Header, writeIpv6Header } from './ip';

const OUTER_TTL = 64;
const DONT_FRAGMENT = 0b010;

/**
 * Tunnel mode: writes the outer header at `out[0]` for `payloadLength` bytes after it, copying the inner
 * DSCP/ECN (RFC 4301 section 5.1.2.1) and, for an IPv4 inner packet, its DF bit. Returns the header length.
 */
export function writeTunnelHeader(out: Buffer, outer: OuterBytes, protocol: number, payloadLength: number, inner: Buffer, identification: number): number {
  const innerIsV4 = inner[0] >> 4 === 4;
  const tos = innerIsV4 ? inner[V4.TOS] : ((inner[0] & 0x0f) << 4) | (inner[1] >> 4);
  if (outer.version === 4) {
    const df = innerIsV4 && (inner[V4.FLAGS_FRAGMENT] & 0x40) !== 0 ? DONT_FRAGMENT : 0;
    writeIpv4Header(out, 0, outer.src, outer.dst, protocol, payloadLength, tos, identification, df, OUTER_TTL);
    return V4.MIN_LENGTH;
  }
  writeIpv6Header(out, 0, outer.src, outer.dst, protocol, payloadLength, tos, 0, OUTER_TTL);
  return V6.LENGTH;
}

export function tunnelHeaderLength(outer: OuterBytes): number {
  return outer.version === 4 ? V4.MIN_LENGTH : V6.LENGTH;
}

/**
 * Transport mode: copies `source`'s first `headerLength` bytes to `out[0]`, sets the protocol byte at
 * `protocolOffset` and the length fields for `payloadLength` bytes after the header, and fixes the IPv4
 * checksum.
 */
export function writeTransportHeader(out: Buffer, source: Buffer, headerLength: number, protocolOffset: number, protocol: number, payloadLength: number): void {
  source.copy(out, 0, 0, headerLength);
  out[protocolOffset] = protocol;
  if (source[0] >> 4 === 4) {
    out.writeUInt16BE(headerLength + payloadLength, V4.TOTAL_LENGTH);
    fillIpv4Checksum(out, 0);
  } else {
    out.writeUInt16BE(headerLength - V6.LENGTH + payloadLength, V6.PAYLOAD_LENGTH);
  }
}

/** Transport mode inbound: the original packet, i.e. the outer header (protocol restored) + `payload`. */
export function rebuildTransportPacket(outer: Buffer, headerLength: number, protocolOffset: number, protocol: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(headerLength + payload.length);
  writeTransportHeader(out, outer, headerLength, protocolOffset, protocol, payload.length);
  payload.copy(out, headerLength);
  return out;
}

/** The source and destination address bytes of an IP packet (views, no copy). */
export function addressesOf(packet: Buffer): { src: Buffer; dst: Buffer } {
  return packet[0] >> 4 === 4
    ? { src: packet.subarray(V4.SRC, V4.SRC + 4), dst: packet.subarray(V4.DST, V4.DST + 4) }
    : { src: packet.subarray(V6.SRC, V6.SRC + 16), dst: packet.subarray(V6.DST, V6.DST + 16) };
}

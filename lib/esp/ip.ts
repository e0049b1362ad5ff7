/**
 * IPv4 (RFC 791) and IPv6 (RFC 8200) headers: named offsets, build, parse, checksums.
 *
 * Parsers return undefined for anything malformed; they never throw on hostile bytes.
 */
import { ipFromBytes, ipToBytes } from '../net/address';

/** IP protocol numbers the engine uses. */
export const IPPROTO = {
  HOPOPTS: 0,
  ICMP: 1,
  IPV4: 4,
  TCP: 6,
  UDP: 17,
  IPV6: 41,
  ROUTING: 43,
  FRAGMENT: 44,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  NONE: 59,
  DSTOPTS: 60,
} as const;

/** IPv4 header offsets. */
export const V4 = {
  VERSION_IHL: 0,
  TOS: 1,
  TOTAL_LENGTH: 2,
  IDENTIFICATION: 4,
  FLAGS_FRAGMENT: 6,
  TTL: 8,
  PROTOCOL: 9,
  CHECKSUM: 10,
  SRC: 12,
  DST: 16,
  MIN_LENGTH: 20,
} as const;

/** IPv6 header offsets. */
export const V6 = {
  VERSION_CLASS_FLOW: 0,
  PAYLOAD_LENGTH: 4,
  NEXT_HEADER: 6,
  HOP_LIMIT: 7,
  SRC: 8,
  DST: 24,
  LENGTH: 40,
} as const;

export const UDP_HEADER_LENGTH = 8;

export interface Ipv4Header {
  readonly version: 4;
  /** Bytes, including options. */
  readonly headerLength: number;
  readonly tos: number;
  readonly totalLength: number;
  readonly identification: number;
  /** The 3 flag bits (0b010 = DF, 0b001 = MF). */
  readonly flags: number;
  readonly fragmentOffset: number;
  readonly ttl: number;
  readonly protocol: number;
  readonly checksum: number;
  /** True when the header checksum verifies. */
  readonly checksumValid: boolean;
  readonly src: string;
  readonly dst: string;
}

export interface Ipv6Header {
  readonly version: 6;
  /** Always 40: extension headers are payload here. */
  readonly headerLength: 40;
  readonly trafficClass: number;
  readonly flowLabel: number;
  readonly payloadLength: number;
  readonly nextHeader: number;
  readonly hopLimit: number;
  readonly src: string;
  readonly dst: string;
}

export type IpHeader = Ipv4Header | Ipv6Header;

/** The 16-bit one's-complement sum of RFC 1071, folded; `initial` continues a previous partial sum. */
export function onesComplementSum(data: Uint8Array, start = 0, end = data.length, initial = 0): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (data[i] << 8) | data[i + 1];
  if (i < end) sum += data[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The Internet checksum (RFC 1071) of `data[start, end)`: the value to write into a checksum field. */
export function internetChecksum(data: Uint8Array, start = 0, end = data.length): number {
  return ~onesComplementSum(data, start, end) & 0xffff;
}

/** Writes a correct IPv4 header checksum into `packet` at `offset` (header length read from the IHL). */
export function fillIpv4Checksum(packet: Buffer, offset = 0): void {
  const headerLength = (packet[offset] & 0x0f) * 4;
  packet.writeUInt16BE(0, offset + V4.CHECKSUM);
  packet.writeUInt16BE(internetChecksum(packet, offset, offset + headerLength), offset + V4.CHECKSUM);
}

export function parseIpv4Header(packet: Buffer): Ipv4Header | undefined {
  if (packet.length < V4.MIN_LENGTH || packet[0] >> 4 !== 4) return undefined;
  const headerLength = (packet[0] & 0x0f) * 4;
  const totalLength = packet.readUInt16BE(V4.TOTAL_LENGTH);
  if (headerLength < V4.MIN_LENGTH || totalLength < headerLength || packet.length < headerLength) return undefined;
  const flagsFragment = packet.readUInt16BE(V4.FLAGS_FRAGMENT);
  return {
    version: 4,
    headerLength,
    tos: packet[V4.TOS],
    totalLength,
    identification: packet.readUInt16BE(V4.IDENTIFICATION),
    flags: flagsFragment >>> 13,
    fragmentOffset: flagsFragment & 0x1fff,
    ttl: packet[V4.TTL],
    protocol: packet[V4.PROTOCOL],
    checksum: packet.readUInt16BE(V4.CHECKSUM),
    checksumValid: onesComplementSum(packet, 0, headerLength) === 0xffff,
    src: ipFromBytes(packet.subarray(V4.SRC, V4.SRC + 4)),
    dst: ipFromBytes(packet.subarray(V4.DST, V4.DST + 4)),
  };
}

export function parseIpv6Header(packet: Buffer): Ipv6Header | undefined {
  if (packet.length < V6.LENGTH || packet[0] >> 4 !== 6) return undefined;
  const first = packet.readUInt32BE(0);
  return {
    version: 6,
    headerLength: V6.LENGTH,
    trafficClass: (first >>> 20) & 0xff,
    flowLabel: first & 0xfffff,
    payloadLength: packet.readUInt16BE(V6.PAYLOAD_LENGTH),
    nextHeader: packet[V6.NEXT_HEADER],
    hopLimit: packet[V6.HOP_LIMIT],
    src: ipFromBytes(packet.subarray(V6.SRC, V6.SRC + 16)),
    dst: ipFromBytes(packet.subarray(V6.DST, V6.DST + 16)),
  };
}

/** Parses the fixed header of either version (chosen by the version nibble). */
export function parseIpHeader(packet: Buffer): IpHeader | undefined {
  if (packet.length === 0) return undefined;
  const version = packet[0] >> 4;
  if (version === 4) return parseIpv4Header(packet);
  if (version === 6) return parseIpv6Header(packet);
  return undefined;
}

export interface Ipv4HeaderFields {
  readonly src: string;
  readonly dst: string;
  readonly protocol: number;
  /** Bytes after the header. */
  readonly payloadLength: number;
  /** @default 0 */
  readonly tos?: number;
  /** @default 0 */
  readonly identification?: number;
  /** The 3 flag bits; 0b010 = don't fragment. @default 0 */
  readonly flags?: number;
  /** @default 64 */
  readonly ttl?: number;
}

export interface Ipv6HeaderFields {
  readonly src: string;
  readonly dst: string;
  readonly nextHeader: number;
  readonly payloadLength: number;
  /** @default 0 */
  readonly trafficClass?: number;
  /** @default 0 */
  readonly flowLabel?: number;
  /** @default 64 */
  readonly hopLimit?: number;
}

function addressBytes(text: string, version: 4 | 6, field: string): Buffer {
  const bytes = ipToBytes(text);
  if (!bytes || bytes.length !== (version === 4 ? 4 : 16)) throw new Error(`\`${field}\` ${JSON.stringify(text)} is not an IPv${version} address`);
  return bytes;
}

/** A 20-byte IPv4 header (no options) with its checksum filled in. */
export function buildIpv4Header(fields: Ipv4HeaderFields): Buffer {
  const header = Buffer.alloc(V4.MIN_LENGTH);
  writeIpv4Header(
    header,
    0,
    addressBytes(fields.src, 4, 'src'),
    addressBytes(fields.dst, 4, 'dst'),
    fields.protocol,
    fields.payloadLength,
    fields.tos,
    fields.identification,
    fields.flags,
    fields.ttl,
  );
  return header;
}

/**
 * Writes a 20-byte IPv4 header at `offset`, checksum included. `src`/`dst` are 4 bytes each. Positional
 * arguments so the per-packet path allocates nothing.
 */
export function writeIpv4Header(
  out: Buffer,
  offset: number,
  src: Uint8Array,
  dst: Uint8Array,
  protocol: number,
  payloadLength: number,
  tos = 0,
  identification = 0,
  flags = 0,
  ttl = 64,
): void {
  const totalLength = V4.MIN_LENGTH + payloadLength;
  if (totalLength > 0xffff) throw new RangeError(`IPv4 total length ${totalLength} exceeds 65535`);
  const versionTos = 0x4500 | (tos & 0xff);
  const id = identification & 0xffff;
  const flagsFragment = (flags & 0x7) << 13;
  const ttlProtocol = ((ttl & 0xff) << 8) | (protocol & 0xff);
  out.writeUInt16BE(versionTos, offset);
  out.writeUInt16BE(totalLength, offset + V4.TOTAL_LENGTH);
  out.writeUInt16BE(id, offset + V4.IDENTIFICATION);
  out.writeUInt16BE(flagsFragment, offset + V4.FLAGS_FRAGMENT);
  out.writeUInt16BE(ttlProtocol, offset + V4.TTL);
  // Byte by byte: for 4 bytes this beats TypedArray#set, a native call per address on the per-packet path.
  for (let i = 0; i < 4; i++) {
    out[offset + V4.SRC + i] = src[i];
    out[offset + V4.DST + i] = dst[i];
  }
  // The checksum (RFC 1071) from the field values just written, rather than reading the header back.
  const sum = onesComplementSum(dst, 0, 4, onesComplementSum(src, 0, 4, versionTos + totalLength + id + flagsFragment + ttlProtocol));
  out.writeUInt16BE(~sum & 0xffff, offset + V4.CHECKSUM);
}

/** A 40-byte IPv6 header. */
export function buildIpv6Header(fields: Ipv6HeaderFields): Buffer {
  const header = Buffer.alloc(V6.LENGTH);
  writeIpv6Header(
    header,
    0,
    addressBytes(fields.src, 6, 'src'),
    addressBytes(fields.dst, 6, 'dst'),
    fields.nextHeader,
    fields.payloadLength,
    fields.trafficClass,
    fields.flowLabel,
    fields.hopLimit,
  );
  return header;
}

/** Writes a 40-byte IPv6 header at `offset`. `src`/`dst` are 16 bytes each. */
export function writeIpv6Header(
  out: Buffer,
  offset: number,
  src: Uint8Array,
  dst: Uint8Array,
  nextHeader: number,
  payloadLength: number,
  trafficClass = 0,
  flowLabel = 0,
  hopLimit = 64,
): void {
  if (payloadLength > 0xffff) throw new RangeError(`IPv6 payload length ${payloadLength} exceeds 65535 (no jumbograms)`);
  out.writeUInt32BE(((6 << 28) | ((trafficClass & 0xff) << 20) | (flowLabel & 0xfffff)) >>> 0, offset);
  out.writeUInt16BE(payloadLength, offset + V6.PAYLOAD_LENGTH);
  out[offset + V6.NEXT_HEADER] = nextHeader;
  out[offset + V6.HOP_LIMIT] = hopLimit;
  out.set(src, offset + V6.SRC);
  out.set(dst, offset + V6.DST);
}

/**
 * A whole IP packet: header (version chosen by `src`) + `payload`. Handy for tests and tools.
 * `protocol` is the IPv4 protocol / IPv6 next header.
 */
export function buildIpPacket(fields: { src: string; dst: string; protocol: number; payload: Buffer; ttl?: number; tos?: number; identification?: number }): Buffer {
  const version = ipToBytes(fields.src)?.length === 16 ? 6 : 4;
  const header =
    version === 4
      ? buildIpv4Header({ ...fields, payloadLength: fields.payload.length })
      : buildIpv6Header({ src: fields.src, dst: fields.dst, nextHeader: fields.protocol, payloadLength: fields.payload.length, hopLimit: fields.ttl, trafficClass: fields.tos });
  return Buffer.concat([header, fields.payload]);
}

/**
 * The UDP checksum (RFC 768 / RFC 8200 section 8.1) of `udp` (header + data, checksum field zero) between
 * `src` and `dst` (4 or 16 bytes each). Returns 0xffff for a computed 0, as the RFCs require.

 */
export function udpChecksum(src: Uint8Array, dst: Uint8Array, udp: Uint8Array, start = 0, end = udp.length): number {
  let sum = onesComplementSum(src);
  sum = onesComplementSum(dst, 0, dst.length, sum);
  sum += IPPROTO.UDP + (end - start);
  sum = onesComplementSum(udp, start, end, sum);
  const checksum = ~sum & 0xffff;
  return checksum === 0 ? 0xffff : checksum;
}

/**
 * Writes a UDP header at `offset` for `dataLength` bytes of data that already follow it. With `src`/`dst`
 * given the checksum is computed (mandatory over IPv6); without them it is 0 (allowed over IPv4, and what
 * RFC 3948 section 3.1 tells ESP-in-UDP senders to send).
 */
export function writeUdpHeader(out: Buffer, offset: number, srcPort: number, dstPort: number, dataLength: number, src?: Uint8Array, dst?: Uint8Array): void {
  out.writeUInt16BE(srcPort, offset);
  out.writeUInt16BE(dstPort, offset + 2);
  out.writeUInt16BE(UDP_HEADER_LENGTH + dataLength, offset + 4);
  out.writeUInt16BE(0, offset + 6);
  if (src && dst) out.writeUInt16BE(udpChecksum(src, dst, out, offset, offset + UDP_HEADER_LENGTH + dataLength), offset + 6);
}

/** A whole IP + UDP packet carrying `data`. The UDP checksum is computed for both IP versions. */
export function buildUdpDatagram(fields: { src: string; dst: string; srcPort: number; dstPort: number; data: Buffer; ttl?: number }): Buffer {
  const src = addressBytes(fields.src, ipToBytes(fields.src)?.length === 16 ? 6 : 4, 'src');
  const dst = addressBytes(fields.dst, src.length === 16 ? 6 : 4, 'dst');
  const udp = Buffer.alloc(UDP_HEADER_LENGTH + fields.data.length);
  fields.data.copy(udp, UDP_HEADER_LENGTH);
  writeUdpHeader(udp, 0, fields.srcPort, fields.dstPort, fields.data.length, src, dst);
  return buildIpPacket({ src: fields.src, dst: fields.dst, protocol: IPPROTO.UDP, payload: udp, ttl: fields.ttl });
}

/**
 * Where an IP packet's upper-layer data starts and which protocol it is, skipping IPv6 hop-by-hop, routing
 * and destination-options headers. Undefined when malformed or when the lengths disagree with the buffer.
 */
export interface IpLayout {
  readonly version: 4 | 6;
  /** Bytes of the IP header (IPv4 with options; IPv6 fixed header plus skipped extension headers). */
  readonly headerLength: number;
  readonly protocol: number;
  /** Offset of the byte holding `protocol` (IPv4 protocol field or the last next-header field). */
  readonly protocolOffset: number;
  /** The packet length the header claims (never more than the buffer). */
  readonly packetLength: number;
}

/**
 * The length an IP packet's own header claims (IPv4 total length, IPv6 40 + payload length), or -1 when the
 * buffer does not start with a plausible IPv4/IPv6 header of at most `packet.length` bytes. Allocation-free.
 */
export function ipPacketLength(packet: Buffer): number {
  if (packet.length < V4.MIN_LENGTH) return -1;
  const version = packet[0] >> 4;
  if (version === 4) {
    const headerLength = (packet[0] & 0x0f) * 4;
    const totalLength = (packet[2] << 8) | packet[3];
    return headerLength >= V4.MIN_LENGTH && totalLength >= headerLength && totalLength <= packet.length ? totalLength : -1;
  }
  if (version === 6 && packet.length >= V6.LENGTH) {
    const length = V6.LENGTH + ((packet[4] << 8) | packet[5]);
    return length <= packet.length ? length : -1;
  }
  return -1;
}

export function ipLayout(packet: Buffer): IpLayout | undefined {
  if (packet.length < 1) return undefined;
  const version = packet[0] >> 4;
  if (version === 4) {
    if (packet.length < V4.MIN_LENGTH) return undefined;
    const headerLength = (packet[0] & 0x0f) * 4;
    const totalLength = (packet[2] << 8) | packet[3];
    if (headerLength < V4.MIN_LENGTH || totalLength < headerLength || totalLength > packet.length) return undefined;
    return { version: 4, headerLength, protocol: packet[V4.PROTOCOL], protocolOffset: V4.PROTOCOL, packetLength: totalLength };
  }
  if (version === 6) {
    if (packet.length < V6.LENGTH) return undefined;
    const packetLength = V6.LENGTH + ((packet[4] << 8) | packet[5]);
    if (packetLength > packet.length) return undefined;
    let protocolOffset: number = V6.NEXT_HEADER;
    let offset: number = V6.LENGTH;
    let protocol = packet[protocolOffset];
    while (protocol === IPPROTO.HOPOPTS || protocol === IPPROTO.ROUTING || protocol === IPPROTO.DSTOPTS) {
      if (offset + 8 > packetLength) return undefined;
      protocolOffset = offset;
      protocol = packet[offset];
      offset += (packet[offset + 1] + 1) * 8;
    }
    if (offset > packetLength) return undefined;
    return { version: 6, headerLength: offset, protocol, protocolOffset, packetLength };
  }
  return undefined;
}

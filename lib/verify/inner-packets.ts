/**
 * The inner (tunnelled) packets of the loopback exchange: ICMP/ICMPv6 echo and UDP, padded to an exact
 * IP packet length, and the echo reply a peer sends back.
 */
import { buildIpPacket, buildUdpDatagram, internetChecksum, IPPROTO, parseIpHeader } from '../esp';
import { ipToBytes } from '../net/address';

const ICMP_HEADER = 8;
const UDP_HEADER = 8;
/** Ports of the test datagrams: discard (RFC 863), from an ephemeral port. */
export const TEST_UDP_PORTS = { srcPort: 49152, dstPort: 9 } as const;

function ipHeaderLength(src: string): number {
  return ipToBytes(src)?.length === 16 ? 40 : 20;
}

/** A payload of `length` bytes that starts with `tag` (so each packet is distinct) and then counts. */
function payload(length: number, tag: number): Buffer {
  const out = Buffer.alloc(Math.max(0, length));
  for (let i = 0; i < out.length; i++) out[i] = (i + tag) & 0xff;
  if (out.length >= 4) out.writeUInt32BE(tag >>> 0, 0);
  return out;
}

/** ICMP (v4) or ICMPv6 message with its checksum (ICMPv6 covers the RFC 8200 pseudo-header). */
function icmpMessage(src: string, dst: string, type: number, identifier: number, sequence: number, data: Buffer): Buffer {
  const message = Buffer.alloc(ICMP_HEADER + data.length);
  message[0] = type;
  message.writeUInt16BE(identifier, 4);
  message.writeUInt16BE(sequence, 6);
  data.copy(message, ICMP_HEADER);
  const v6 = ipToBytes(src)?.length === 16;
  if (!v6) {
    message.writeUInt16BE(internetChecksum(message), 2);
    return message;
  }
  const pseudo = Buffer.alloc(40);
  (ipToBytes(src) as Buffer).copy(pseudo, 0);
  (ipToBytes(dst) as Buffer).copy(pseudo, 16);
  pseudo.writeUInt32BE(message.length, 32);
  pseudo[39] = IPPROTO.ICMPV6;
  message.writeUInt16BE(internetChecksum(Buffer.concat([pseudo, message])), 2);
  return message;
}

const ECHO = { 4: { request: 8, reply: 0, protocol: IPPROTO.ICMP }, 6: { request: 128, reply: 129, protocol: IPPROTO.ICMPV6 } } as const;

/** An echo request whose whole IP packet is `size` bytes. */
export function echoRequest(src: string, dst: string, size: number, sequence: number): Buffer {
  const kind = ECHO[ipHeaderLength(src) === 40 ? 6 : 4];
  const data = payload(size - ipHeaderLength(src) - ICMP_HEADER, sequence);
  return buildIpPacket({ src, dst, protocol: kind.protocol, payload: icmpMessage(src, dst, kind.request, 0x5356, sequence & 0xffff, data) });
}

/** A UDP datagram whose whole IP packet is `size` bytes. */
export function udpPacket(src: string, dst: string, size: number, tag: number): Buffer {
  return buildUdpDatagram({ src, dst, ...TEST_UDP_PORTS, data: payload(size - ipHeaderLength(src) - UDP_HEADER, tag) });
}

/**
 * The echo reply to an echo request (addresses swapped, same identifier, sequence and data), or undefined
 * when `packet` is not an echo request with a correct checksum.
 */
export function echoReply(packet: Buffer): Buffer | undefined {
  const header = parseIpHeader(packet);
  if (!header) return undefined;
  const kind = ECHO[header.version];
  const protocol = header.version === 4 ? header.protocol : header.nextHeader;
  if (protocol !== kind.protocol) return undefined;
  const icmp = packet.subarray(header.headerLength);
  if (icmp.length < ICMP_HEADER || icmp[0] !== kind.request) return undefined;
  const expected = icmpMessage(header.src, header.dst, kind.request, icmp.readUInt16BE(4), icmp.readUInt16BE(6), icmp.subarray(ICMP_HEADER));
  if (!expected.equals(icmp)) return undefined;
  const message = icmpMessage(header.dst, header.src, kind.reply, icmp.readUInt16BE(4), icmp.readUInt16BE(6), icmp.subarray(ICMP_HEADER));
  return buildIpPacket({ src: header.dst, dst: header.src, protocol: kind.protocol, payload: message });
}

/** True when `reply` is the correct echo reply to `request`. */
export function isEchoReplyTo(reply: Buffer, request: Buffer): boolean {
  const expected = echoReply(request);
  return expected !== undefined && expected.equals(reply);
}

/** The smallest packet the exchange sends: 64 bytes, as ping's default. */
export const MIN_PACKET = 64;

/**
 * ICMP echo request/reply, over IPv4 (RFC 792) and IPv6 (ICMPv6, RFC 4443): enough for pings through the
 * tunnel. The IP version follows the addresses; ICMPv6's checksum covers the IPv6 pseudo-header
 * (RFC 8200 section 8.1), ICMPv4's only the message.
 */
import { IPPROTO, buildIpPacket, internetChecksum, parseIpHeader } from '../../esp';
import { ipToBytes } from '../../net/address';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_ECHO_REQUEST = 8;
export const ICMPV6_ECHO_REQUEST = 128;
export const ICMPV6_ECHO_REPLY = 129;

export interface IcmpEcho {
  src: string;
  dst: string;
  /** ICMP_ECHO_REQUEST or ICMP_ECHO_REPLY, whatever the IP version (the ICMPv6 types are mapped to them). */
  type: number;
  id: number;
  seq: number;
  data: Buffer;
}

export function buildIcmpEcho(e: IcmpEcho): Buffer {
  const v6 = ipToBytes(e.src)?.length === 16;
  const icmp = Buffer.alloc(8 + e.data.length);
  icmp[0] = v6 ? (e.type === ICMP_ECHO_REQUEST ? ICMPV6_ECHO_REQUEST : ICMPV6_ECHO_REPLY) : e.type;
  icmp.writeUInt16BE(e.id, 4);
  icmp.writeUInt16BE(e.seq, 6);
  e.data.copy(icmp, 8);
  icmp.writeUInt16BE(icmpChecksum(icmp, v6 ? { src: e.src, dst: e.dst } : undefined), 2);
  return buildIpPacket({ src: e.src, dst: e.dst, protocol: v6 ? IPPROTO.ICMPV6 : IPPROTO.ICMP, payload: icmp });
}

/** The echo request/reply in an IPv4 or IPv6 packet, or undefined (not ICMP, not an echo, or a bad checksum). */
export function parseIcmpEcho(packet: Buffer): IcmpEcho | undefined {
  const ip = parseIpHeader(packet);
  if (!ip) return undefined;
  let icmp: Buffer;
  let type: number | undefined;
  if (ip.version === 4) {
    if (!ip.checksumValid || ip.protocol !== IPPROTO.ICMP || ip.totalLength > packet.length) return undefined;
    icmp = packet.subarray(ip.headerLength, ip.totalLength);
    if (icmp.length < 8 || icmpChecksum(icmp) !== 0) return undefined;
    type = icmp[0] === ICMP_ECHO_REQUEST || icmp[0] === ICMP_ECHO_REPLY ? icmp[0] : undefined;
  } else {
    // Echoes carry no extension headers here: ICMPv6 must follow the fixed header directly.
    if (ip.nextHeader !== IPPROTO.ICMPV6 || ip.headerLength + ip.payloadLength > packet.length) return undefined;
    icmp = packet.subarray(ip.headerLength, ip.headerLength + ip.payloadLength);
    if (icmp.length < 8 || icmpChecksum(icmp, ip) !== 0) return undefined;
    type = icmp[0] === ICMPV6_ECHO_REQUEST ? ICMP_ECHO_REQUEST : icmp[0] === ICMPV6_ECHO_REPLY ? ICMP_ECHO_REPLY : undefined;
  }
  if (type === undefined) return undefined;
  return { src: ip.src, dst: ip.dst, type, id: icmp.readUInt16BE(4), seq: icmp.readUInt16BE(6), data: Buffer.from(icmp.subarray(8)) };
}

/** The reply a host gives to an echo request: addresses swapped, same id, seq and data. */
export function echoReplyFor(request: IcmpEcho): Buffer {
  return buildIcmpEcho({ ...request, src: request.dst, dst: request.src, type: ICMP_ECHO_REPLY });
}

/**
 * The checksum of an ICMP message (its checksum field zero to compute it, as sent to verify it: 0 when
 * right). With IPv6 addresses it is ICMPv6's: the pseudo-header (source, destination, upper-layer length,
 * next header 58) is summed first.
 */
function icmpChecksum(icmp: Buffer, v6?: { src: string; dst: string }): number {
  if (!v6) return internetChecksum(icmp);
  const pseudo = Buffer.alloc(40);
  ipToBytes(v6.src)!.copy(pseudo, 0);
  ipToBytes(v6.dst)!.copy(pseudo, 16);
  pseudo.writeUInt32BE(icmp.length, 32);
  pseudo[39] = IPPROTO.ICMPV6;
  return internetChecksum(Buffer.concat([pseudo, icmp]));
}

/** ICMPv4 echo request/reply (RFC 792): enough for pings through the tunnel. */
import { IPPROTO, buildIpPacket, internetChecksum, parseIpv4Header } from '../../esp';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_ECHO_REQUEST = 8;

export interface IcmpEcho {
  src: string;
  dst: string;
  type: number;
  id: number;
  seq: number;
  data: Buffer;
}

export function buildIcmpEcho(e: IcmpEcho): Buffer {
  const icmp = Buffer.alloc(8 + e.data.length);
  icmp[0] = e.type;
  icmp.writeUInt16BE(e.id, 4);
  icmp.writeUInt16BE(e.seq, 6);
  e.data.copy(icmp, 8);
  icmp.writeUInt16BE(internetChecksum(icmp), 2);
  return buildIpPacket({ src: e.src, dst: e.dst, protocol: IPPROTO.ICMP, payload: icmp });
}

/** The echo request/reply in an IPv4 packet, or undefined (not ICMP, not an echo, or a bad checksum). */
export function parseIcmpEcho(packet: Buffer): IcmpEcho | undefined {
  const ip = parseIpv4Header(packet);
  if (!ip || !ip.checksumValid || ip.protocol !== IPPROTO.ICMP || ip.totalLength > packet.length) return undefined;
  const icmp = packet.subarray(ip.headerLength, ip.totalLength);
  if (icmp.length < 8 || internetChecksum(icmp) !== 0) return undefined;
  if (icmp[0] !== ICMP_ECHO_REQUEST && icmp[0] !== ICMP_ECHO_REPLY) return undefined;
  return {
    src: ip.src,
    dst: ip.dst,
    type: icmp[0],
    id: icmp.readUInt16BE(4),
    seq: icmp.readUInt16BE(6),
    data: Buffer.from(icmp.subarray(8)),
  };
}

/** The reply a host gives to an echo request: addresses swapped, same id, seq and data. */
export function echoReplyFor(request: IcmpEcho): Buffer {
  return buildIcmpEcho({ ...request, src: request.dst, dst: request.src, type: ICMP_ECHO_REPLY });
}

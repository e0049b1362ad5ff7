/**
 * UDP encapsulation of ESP (RFC 3948): what a UDP/4500 datagram holds, and how to frame one.
 */
import { UDP_HEADER_LENGTH, writeUdpHeader } from './ip';
import type { NatTPorts } from './types';

/** The IKE/ESP-in-UDP port (RFC 3948 section 2). */
export const NAT_T_PORT = 4500;

/** Four zero bytes in front of IKE messages on port 4500 (RFC 3948 section 2.2): SPI 0 is never ESP. */
export const NON_ESP_MARKER: Buffer = Buffer.alloc(4);

/** The NAT-keepalive payload byte (RFC 3948 section 2.3). */
export const NAT_KEEPALIVE = 0xff;

/**
 * What a UDP/4500 payload is: `esp` (first 4 bytes a non-zero SPI, at least 8 bytes), `ike` (non-ESP marker),
 * `keepalive` (the single byte 0xFF) or `invalid` (anything else, e.g. too short).
 */
export type UdpEncapKind = 'esp' | 'ike' | 'keepalive' | 'invalid';

/** Classifies a UDP/4500 datagram payload per RFC 3948 sections 2.2 and 2.3. */
export function classifyUdpEncap(payload: Uint8Array): UdpEncapKind {
  if (payload.length === 1) return payload[0] === NAT_KEEPALIVE ? 'keepalive' : 'invalid';
  if (payload.length < 4) return 'invalid';
  const spiIsZero = (payload[0] | payload[1] | payload[2] | payload[3]) === 0;
  if (spiIsZero) return 'ike';
  // An ESP header (SPI + sequence number) is 8 bytes; RFC 3948 section 2.2 sends shorter non-zero
  // payloads nowhere, so they are not ESP.
  return payload.length >= 8 ? 'esp' : 'invalid';
}

/** A NAT-keepalive datagram payload: one byte 0xFF. */
export function natKeepalive(): Buffer {
  return Buffer.from([NAT_KEEPALIVE]);
}

/** The UDP header + `esp`, checksum 0 (RFC 3948 section 3.1). Default ports 4500/4500. */
export function frameEspInUdp(esp: Buffer, ports: NatTPorts = { srcPort: NAT_T_PORT, dstPort: NAT_T_PORT }): Buffer {
  const out = Buffer.allocUnsafe(UDP_HEADER_LENGTH + esp.length);
  esp.copy(out, UDP_HEADER_LENGTH);
  writeUdpHeader(out, 0, ports.srcPort, ports.dstPort, esp.length);
  return out;
}

/** The UDP header + non-ESP marker + `ike`, checksum 0. Default ports 4500/4500. */
export function frameIkeInUdp(ike: Buffer, ports: NatTPorts = { srcPort: NAT_T_PORT, dstPort: NAT_T_PORT }): Buffer {
  return frameEspInUdp(Buffer.concat([NON_ESP_MARKER, ike]), ports);
}

/**
 * Inbound SA lookup by SPI (RFC 4301 section 4.1: unicast SAs are found by SPI alone).
 * AH outside ESP is unwrapped in one call: the AH SA first, then the ESP SA its next header points to.
 *
 * A UDP datagram is ESP-in-UDP only on a NAT-T port (RFC 3948 section 2: the port IKE floated to, 4500, or
 * the destination port of a registered NAT-T ESP SA); any other UDP is not ESP. UDP under AH is always the
 * payload AH protects: RFC 3948 encapsulates ESP alone, since AH cannot cross a NAT.
 */
import { AhSa } from './ah-sa';
import { EspSa } from './esp-sa';
import { IPPROTO, ipLayout, UDP_HEADER_LENGTH } from './ip';
import { classifyUdpEncap, NAT_T_PORT } from './nat-t';
import { describeError, drop } from './results';
import type { DecapResult } from './types';

const AH_SPI_OFFSET = 4;
const UDP_DST_PORT_OFFSET = 2;

export class SaDatabase {
  private readonly esp = new Map<number, EspSa>();
  private readonly ah = new Map<number, AhSa>();
  /** Destination port -> how many registered NAT-T ESP SAs receive on it. */
  private readonly natTPorts = new Map<number, number>();

  /** Registers an inbound SA. Throws when an SA of the same protocol already has that SPI. */
  add(sa: EspSa | AhSa): void {
    const table: Map<number, EspSa | AhSa> = sa instanceof AhSa ? this.ah : this.esp;
    if (table.has(sa.spi)) throw new Error(`An ${sa instanceof AhSa ? 'AH' : 'ESP'} SA with SPI 0x${sa.spi.toString(16)} is already registered`);
    table.set(sa.spi, sa);
    if (sa instanceof EspSa && sa.natT) this.countNatTPort(sa.natT.dstPort, 1);
  }

  /** Removes the SA with this SPI (both protocols); true when one was removed. */
  remove(spi: number): boolean {
    const esp = this.esp.get(spi);
    if (esp?.natT) this.countNatTPort(esp.natT.dstPort, -1);
    const removedEsp = this.esp.delete(spi);
    return this.ah.delete(spi) || removedEsp;
  }

  /** True when UDP datagrams to `port` carry ESP-in-UDP, keepalives and IKE (RFC 3948 section 2). */
  isNatTPort(port: number): boolean {
    return port === NAT_T_PORT || this.natTPorts.has(port);
  }

  get(spi: number): EspSa | undefined {
    return this.esp.get(spi);
  }

  /** Opens a whole IP packet carrying ESP, ESP-in-UDP, AH, or AH then ESP. `unknown-spi` when no SA matches. */
  decapsulate(outer: Buffer): DecapResult {
    try {
      return this.open(outer);
    } catch (error) {
      return drop('parse-error', `unexpected error: ${describeError(error)}`);
    }
  }

  /** Opens bare ESP bytes (or a UDP/4500 payload: keepalives and IKE are reported, not looked up). */
  decapsulatePayload(esp: Buffer): DecapResult {
    if (!Buffer.isBuffer(esp)) return drop('parse-error', 'expected a Buffer');
    const kind = classifyUdpEncap(esp);
    if (kind === 'keepalive') return drop('nat-keepalive', 'NAT-keepalive (RFC 3948 section 2.3)');
    if (kind === 'ike') return drop('not-esp', 'non-ESP marker: an IKE message');
    if (kind === 'invalid') return drop('parse-error', `${esp.length} bytes is too short for ESP`);
    const sa = this.esp.get(esp.readUInt32BE(0));
    return sa ? sa.decapsulatePayload(esp) : drop('unknown-spi', `no SA with SPI 0x${esp.readUInt32BE(0).toString(16)}`);
  }

  private countNatTPort(port: number, change: 1 | -1): void {
    const count = (this.natTPorts.get(port) ?? 0) + change;
    if (count > 0) this.natTPorts.set(port, count);
    else this.natTPorts.delete(port);
  }

  private open(outer: Buffer): DecapResult {
    if (!Buffer.isBuffer(outer)) return drop('parse-error', 'expected a Buffer');
    const layout = ipLayout(outer);
    if (!layout) return drop('parse-error', 'not a well-formed IPv4 or IPv6 packet');
    const at = layout.headerLength;
    const end = layout.packetLength;
    if (layout.protocol === IPPROTO.AH) {
      if (end - at < AH_SPI_OFFSET + 4) return drop('parse-error', 'truncated AH header');
      const spi = outer.readUInt32BE(at + AH_SPI_OFFSET);
      const ah = this.ah.get(spi);
      if (!ah) return drop('unknown-spi', `no AH SA with SPI 0x${spi.toString(16)}`);
      const result = ah.decapsulate(outer);
      // Transport-mode AH around ESP: the rebuilt packet now carries ESP. Anything else (UDP too) is AH's payload.
      if (result.ok && ah.mode === 'transport' && result.nextHeader === IPPROTO.ESP) return this.openEsp(result.packet);
      return result;
    }
    return this.openEsp(outer);
  }

  private openEsp(outer: Buffer): DecapResult {
    const layout = ipLayout(outer);
    if (!layout) return drop('parse-error', 'not a well-formed IPv4 or IPv6 packet');
    let at = layout.headerLength;
    if (layout.protocol === IPPROTO.UDP) {
      if (layout.packetLength - at < UDP_HEADER_LENGTH) return drop('parse-error', 'truncated UDP header');
      const port = outer.readUInt16BE(at + UDP_DST_PORT_OFFSET);
      if (!this.isNatTPort(port)) return drop('not-esp', `UDP datagram to port ${port}, which no NAT-T SA receives on`);
      const kind = classifyUdpEncap(outer.subarray(at + UDP_HEADER_LENGTH, layout.packetLength));
      if (kind === 'keepalive') return drop('nat-keepalive', 'NAT-keepalive (RFC 3948 section 2.3)');
      if (kind === 'ike') return drop('not-esp', 'non-ESP marker: an IKE message');
      if (kind === 'invalid') return drop('parse-error', 'UDP payload is too short for ESP');
      at += UDP_HEADER_LENGTH;
    } else if (layout.protocol !== IPPROTO.ESP) {
      return drop('not-esp', `IP protocol ${layout.protocol} is neither ESP nor AH`);
    }
    if (layout.packetLength - at < 8) return drop('parse-error', 'truncated ESP header');
    const spi = outer.readUInt32BE(at);
    const sa = this.esp.get(spi);
    return sa ? sa.decapsulate(outer) : drop('unknown-spi', `no ESP SA with SPI 0x${spi.toString(16)}`);
  }
}

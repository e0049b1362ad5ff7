/**
 * One direction of one AH security association (RFC 4302), HMAC-SHA1-96 or HMAC-SHA-2 (RFC 4868).
 *
 *   tunnel:    outer IP | AH (next header 4/41) | inner IP packet
 *   transport: IP header (protocol 51) | AH (next header = original protocol) | payload
 * The ICV covers the IP header with its mutable fields zeroed (IPv4 TOS, flags/fragment offset, TTL,
 * checksum; IPv6 traffic class, flow label, hop limit), the AH header with the ICV field zeroed, the payload
 * and, with ESN, the high sequence half. To combine with ESP, put AH outside: `ah.encapsulate(esp packet)`.
 * Limits: IPv4 options and IPv6 extension headers in front of AH are refused (their mutability rules are
 * not implemented).
 */
import { Hmac, randomInt } from 'node:crypto';
import { TruncatedHmac } from './integrity';
import { checkBoolean, checkMode, checkOuter, checkSpi, OuterBytes } from './config';
import { screenSequence } from './inbound';
import { IPPROTO, ipLayout, ipPacketLength, V4, V6 } from './ip';
import { rebuildTransportPacket, tunnelHeaderLength, writeTransportHeader, writeTunnelHeader } from './ip-rewrite';
import { ReplayWindow } from './replay-window';
import { describeError, drop, refuse } from './results';
import { OutboundSequence, sequenceOf, startSequences } from './sequence';
import type { DecapResult, EncapResult, OuterAddresses } from './types';

export type AhSuite = 'sha1' | 'sha256' | 'sha384' | 'sha512';

interface AhSuiteInfo {
  readonly hash: string;
  readonly keyLength: number;
  readonly icvLength: number;
}

/** HMAC-SHA1-96 (RFC 2404) and HMAC-SHA-256-128 / -384-192 / -512-256 (RFC 4868). */
export const AH_SUITES: Readonly<Record<AhSuite, AhSuiteInfo>> = {
  sha1: { hash: 'sha1', keyLength: 20, icvLength: 12 },
  sha256: { hash: 'sha256', keyLength: 32, icvLength: 16 },
  sha384: { hash: 'sha384', keyLength: 48, icvLength: 24 },
  sha512: { hash: 'sha512', keyLength: 64, icvLength: 32 },
};

export interface AhSaConfig {
  readonly spi: number;
  readonly suite: AhSuite;
  readonly integrityKey: Buffer;
  readonly mode: 'tunnel' | 'transport';
  /** Tunnel endpoints; required for `encapsulate` in tunnel mode. */
  readonly outer?: OuterAddresses;
  /** @default false */
  readonly esn?: boolean;
  /** 0 = off, else 32..65536. @default 64 */
  readonly replayWindow?: number;
  /** As `SaConfig.initialSequence`: the first number sent; inbound, lower numbers are refused. @default 1 */
  readonly initialSequence?: number | bigint;
}

const AH_FIXED_LENGTH = 12; // next header, payload len, reserved, SPI, sequence

/** AH length: 12 + ICV, padded to 4 bytes (IPv4) or 8 bytes (IPv6) (RFC 4302 section 2.6). */
function ahLength(icvLength: number, ipVersion: number): number {
  const align = ipVersion === 6 ? 8 : 4;
  return Math.ceil((AH_FIXED_LENGTH + icvLength) / align) * align;
}

export class AhSa {
  readonly spi: number;
  readonly suite: AhSuite;
  readonly mode: 'tunnel' | 'transport';
  readonly esn: boolean;
  private readonly info: AhSuiteInfo;
  private readonly mac: TruncatedHmac;
  private readonly outbound: OutboundSequence;
  private readonly window: ReplayWindow;
  private readonly outer: OuterBytes | undefined;
  private readonly mutableZeroed = Buffer.alloc(V6.LENGTH);
  private readonly zeros = Buffer.alloc(64);
  private readonly seqHighBytes = Buffer.alloc(4);
  private identification = randomInt(0x10000);

  /** Throws an Error naming the bad field (never key bytes) when `config` is invalid. */
  constructor(config: AhSaConfig) {
    if (typeof config !== 'object' || config === null) throw new Error('An AH SA needs a config object');
    this.spi = checkSpi(config.spi);
    if (!Object.prototype.hasOwnProperty.call(AH_SUITES, config.suite)) {
      throw new Error(`Unknown AH suite ${JSON.stringify(config.suite)}; expected one of ${Object.keys(AH_SUITES).join(', ')}`);
    }
    this.suite = config.suite;
    this.info = AH_SUITES[config.suite];
    if (!Buffer.isBuffer(config.integrityKey) || config.integrityKey.length !== this.info.keyLength) {
      throw new Error(`\`integrityKey\` for AH ${config.suite} must be ${this.info.keyLength} bytes`);
    }
    this.mac = new TruncatedHmac(this.info.hash, config.integrityKey, this.info.icvLength);
    this.mode = checkMode(config.mode);
    this.esn = checkBoolean(config.esn, 'esn');
    ({ outbound: this.outbound, window: this.window } = startSequences(config, this.esn));
    this.outer = checkOuter(config.outer);
  }

  /** Tunnel mode: `inner` is the packet to carry. Transport mode: an IP packet to authenticate in place. */
  encapsulate(inner: Buffer): EncapResult {
    try {
      return this.build(inner);
    } catch (error) {
      return refuse('invalid-input', describeError(error));
    }
  }

  /** Verifies a whole IP packet carrying AH; returns the inner packet (tunnel) or the original packet (transport). */
  decapsulate(outer: Buffer): DecapResult {
    try {
      return this.open(outer);
    } catch (error) {
      return drop('parse-error', `unexpected error: ${describeError(error)}`);
    }
  }

  private build(inner: Buffer): EncapResult {
    if (!Buffer.isBuffer(inner)) return refuse('invalid-input', 'expected a Buffer holding an IP packet');
    const layout = ipLayout(inner);
    if (!layout || layout.packetLength !== inner.length) return refuse('invalid-input', 'not a well-formed IPv4 or IPv6 packet of its buffer length');
    let payload: Buffer;
    let nextHeader: number;
    let ipVersion: number;
    if (this.mode === 'tunnel') {
      if (!this.outer) return refuse('invalid-input', 'encapsulate in tunnel mode needs `outer` addresses in the SA config');
      payload = inner;
      nextHeader = layout.version === 4 ? IPPROTO.IPV4 : IPPROTO.IPV6;
      ipVersion = this.outer.version;
    } else {
      if (layout.headerLength !== (layout.version === 4 ? V4.MIN_LENGTH : V6.LENGTH)) {
        return refuse('invalid-input', 'AH here supports no IPv4 options or IPv6 extension headers');
      }
      payload = inner.subarray(layout.headerLength);
      nextHeader = layout.protocol;
      ipVersion = layout.version;
    }
    if (!this.outbound.next()) return refuse('sequence-overflow', 'the sequence number is exhausted; rekey the SA');
    const seqHi = this.outbound.high;
    const seqLo = this.outbound.low;

    const ipHeaderLength = this.mode === 'tunnel' ? tunnelHeaderLength(this.outer as OuterBytes) : layout.headerLength;
    const ahLen = ahLength(this.info.icvLength, ipVersion);
    const out = Buffer.alloc(ipHeaderLength + ahLen + payload.length);
    if (this.mode === 'tunnel') {
      this.identification = (this.identification + 1) & 0xffff;
      writeTunnelHeader(out, this.outer as OuterBytes, IPPROTO.AH, ahLen + payload.length, inner, this.identification);
    } else {
      writeTransportHeader(out, inner, layout.headerLength, layout.protocolOffset, IPPROTO.AH, ahLen + payload.length);
    }
    const ah = ipHeaderLength;
    out[ah] = nextHeader;
    out[ah + 1] = ahLen / 4 - 2;
    out.writeUInt32BE(this.spi, ah + 4);
    out.writeUInt32BE(seqLo, ah + 8);
    payload.copy(out, ah + ahLen);
    this.mac.finish(this.covered(out, ipHeaderLength, ahLen, seqHi), out, ah + AH_FIXED_LENGTH);
    return { ok: true, packet: out, sequence: sequenceOf(seqHi, seqLo) };
  }

  private open(packet: Buffer): DecapResult {
    if (!Buffer.isBuffer(packet)) return drop('parse-error', 'expected a Buffer');
    const layout = ipLayout(packet);
    if (!layout) return drop('parse-error', 'not a well-formed IPv4 or IPv6 packet');
    if (layout.protocol !== IPPROTO.AH) return drop('not-esp', `IP protocol ${layout.protocol} is not AH`);
    if (layout.headerLength !== (layout.version === 4 ? V4.MIN_LENGTH : V6.LENGTH)) {
      return drop('parse-error', 'AH here supports no IPv4 options or IPv6 extension headers');
    }
    if (layout.version === 4 && (packet.readUInt16BE(V4.FLAGS_FRAGMENT) & 0x3fff) !== 0) return drop('parse-error', 'IP fragment: reassemble first');
    const ah = layout.headerLength;
    const ahLen = ahLength(this.info.icvLength, layout.version);
    if (layout.packetLength - ah < ahLen) return drop('parse-error', 'truncated AH header');
    if ((packet[ah + 1] + 2) * 4 !== ahLen) return drop('parse-error', `AH payload length ${packet[ah + 1]} does not fit ${this.suite}`);
    const spi = packet.readUInt32BE(ah + 4);
    if (spi !== this.spi) return drop('unknown-spi', `SPI 0x${spi.toString(16)} is not this SA's`);
    const seqLo = packet.readUInt32BE(ah + 8);
    const seqHi = screenSequence(this.window, this.esn, seqLo);
    if (typeof seqHi !== 'number') return seqHi;

    const view = packet.subarray(0, layout.packetLength);
    const icv = packet.subarray(ah + AH_FIXED_LENGTH, ah + AH_FIXED_LENGTH + this.info.icvLength);
    if (!this.mac.matches(this.covered(view, ah, ahLen, seqHi), icv)) {
      return drop('authentication-failed', 'ICV did not verify');
    }
    this.window.accept(seqHi, seqLo);

    const nextHeader = packet[ah];
    const payload = view.subarray(ah + ahLen);
    const sequence = sequenceOf(seqHi, seqLo);
    if (this.mode === 'transport') {
      return { ok: true, packet: rebuildTransportPacket(view, ah, layout.protocolOffset, nextHeader, payload), nextHeader, sequence };
    }
    if (nextHeader !== IPPROTO.IPV4 && nextHeader !== IPPROTO.IPV6) return drop('parse-error', `tunnel-mode SA got next header ${nextHeader}`);
    const innerLength = ipPacketLength(payload);
    if (innerLength !== payload.length) return drop('parse-error', 'inner packet is not a well-formed IP packet');
    return { ok: true, packet: payload, nextHeader, sequence };
  }

  /** An HMAC fed the packet with mutable IP fields and the ICV field zeroed (RFC 4302 section 3.3.3.1). */
  private covered(packet: Buffer, ah: number, ahLen: number, seqHi: number): Hmac {
    const header = this.mutableZeroed.subarray(0, ah);
    packet.copy(header, 0, 0, ah);
    if (header[0] >> 4 === 4) {
      header[V4.TOS] = 0;
      header.writeUInt16BE(0, V4.FLAGS_FRAGMENT);
      header[V4.TTL] = 0;
      header.writeUInt16BE(0, V4.CHECKSUM);
    } else {
      header[0] = 0x60; // version kept; traffic class and flow label zeroed
      header[1] = 0;
      header[2] = 0;
      header[3] = 0;
      header[V6.HOP_LIMIT] = 0;
    }
    const mac = this.mac
      .start()
      .update(header)
      .update(packet.subarray(ah, ah + AH_FIXED_LENGTH))
      .update(this.zeros.subarray(0, ahLen - AH_FIXED_LENGTH))
      .update(packet.subarray(ah + ahLen));
    if (this.esn) {
      this.seqHighBytes.writeUInt32BE(seqHi, 0);
      mac.update(this.seqHighBytes);
    }
    return mac;
  }
}

/**
 * One direction of one ESP security association (RFC 4303): builds and opens whole packets or bare ESP.
 *
 * The outer packet, whole:
 *   tunnel:    outer IP | [UDP] | ESP header | IV | E(inner IP packet | TFC | pad | pad len | 4/41) | ICV
 *   transport: IP header (protocol changed) | [UDP] | ESP header | IV | E(upper payload | pad | ... ) | ICV
 * The ICV covers the ESP header through the trailer (and the ESN high half); outer IP and UDP headers are
 * not protected.
 *
 * Limits: IPv6 hop-by-hop, routing and destination-options headers all stay in front of ESP in transport
 * mode; transport mode over NAT-T does not fix up inner TCP/UDP checksums (RFC 3948 section 3.1.2); an
 * ESN packet whose high half is misinferred (RFC 4303 Appendix A3) is not retried with the next value.
 */
import { randomInt } from 'node:crypto';
import { checkBoolean, checkMode, checkNatT, checkOuter, checkSpi, OuterBytes } from './config';
import { IPPROTO, ipLayout, ipPacketLength, UDP_HEADER_LENGTH, V4, writeUdpHeader } from './ip';
import { addressesOf, rebuildTransportPacket, tunnelHeaderLength, writeTransportHeader, writeTunnelHeader } from './ip-rewrite';
import { NAT_KEEPALIVE } from './nat-t';
import { allocPacket } from './packet-buffer';
import { screenSequence } from './inbound';
import { ReplayWindow } from './replay-window';
import { describeError, drop, refuse } from './results';
import { OutboundSequence, sequenceOf, startSequences } from './sequence';
import { EspSuite, SuiteInfo, suiteInfo } from './suites';
import { createTransform, EspTransform, IvSource } from './transforms';
import type { DecapResult, EncapResult, NatTPorts, SaConfig } from './types';

const ESP_HEADER_LENGTH = 8;
const TRAILER_LENGTH = 2;

/** Hooks for known-answer tests (fixed IVs, a counter near its end). Not exported from the package index. */
export interface EspSaTestHooks {
  setIvSource(source: IvSource): void;
  /** The next packet gets sequence number `value + 1`. */
  setLastSequence(value: bigint): void;
  /** The inbound window's highest seen number becomes `value` (nothing seen yet). */
  setReplayTop(value: bigint): void;
  /** The next tunnel-mode outer IPv4 header gets this identification. */
  setNextIdentification(value: number): void;
}
const testHooks = new WeakMap<object, EspSaTestHooks>();

/** Tests only: reach into an SA to fix its IVs or sequence counter. */
export function espSaTestHooks(sa: EspSa): EspSaTestHooks {
  return testHooks.get(sa) as EspSaTestHooks;
}

/**
 * One direction of an ESP SA: use one instance for outbound and another (same keys as the peer's
 * outbound) for inbound. Per-packet methods never throw; they return a result with a reason.
 */
export class EspSa {
  readonly spi: number;
  readonly suite: EspSuite;
  readonly mode: 'tunnel' | 'transport';
  readonly esn: boolean;
  private readonly info: SuiteInfo;
  private readonly transform: EspTransform;
  private readonly outbound: OutboundSequence;
  private readonly window: ReplayWindow;
  private readonly outer: OuterBytes | undefined;
  /** ESP-in-UDP ports (RFC 3948), or undefined for plain ESP. Inbound, `dstPort` is the port datagrams arrive on. */
  readonly natT: NatTPorts | undefined;
  private readonly tfcPadding: number;
  private identification = randomInt(0x10000);

  /** Throws an Error naming the bad field (never key bytes) when `config` is invalid. */
  constructor(config: SaConfig) {
    if (typeof config !== 'object' || config === null) throw new Error('An ESP SA needs a config object');
    this.spi = checkSpi(config.spi);
    this.info = suiteInfo(config.suite);
    this.suite = config.suite;
    this.mode = checkMode(config.mode);
    this.esn = checkBoolean(config.esn, 'esn');
    this.transform = createTransform(this.info, { encryptionKey: config.encryptionKey, integrityKey: config.integrityKey, esn: this.esn });
    ({ outbound: this.outbound, window: this.window } = startSequences(config, this.esn));
    this.outer = checkOuter(config.outer);
    this.natT = checkNatT(config.natT);
    const tfc = config.tfcPadding ?? 0;
    if (!Number.isInteger(tfc) || tfc < 0 || tfc > 0xffff) throw new Error(`\`tfcPadding\` must be an integer from 0 to 65535, not ${tfc}`);
    if (tfc > 0 && this.mode !== 'tunnel') throw new Error('`tfcPadding` needs tunnel mode: only there does the inner header tell the receiver where the padding starts');
    this.tfcPadding = tfc;
    testHooks.set(this, {
      setIvSource: (source) => this.transform.setIvSource(source),
      setLastSequence: (value) => this.outbound.setLast(value),
      setReplayTop: (value) => this.window.restartAt(Number(value >> 32n), Number(value & 0xffffffffn)),
      setNextIdentification: (value) => {
        this.identification = (value - 1) & 0xffff;
      },
    });
  }

  /**
   * Protects one packet and returns the whole outer IP packet (with the UDP header under NAT-T).
   * Tunnel mode: `inner` is the IPv4/IPv6 packet to carry; needs `outer` in the config.
   * Transport mode: `inner` is an IP packet whose upper-layer payload gets protected; its header is reused.
   */
  encapsulate(inner: Buffer): EncapResult {
    return this.guardedBuild(inner, true, -1);
  }

  /** Like {@link encapsulate} but returns only the ESP bytes (for a UDP/4500 socket or your own IP header). */
  encapsulatePayload(inner: Buffer): EncapResult {
    return this.guardedBuild(inner, false, -1);
  }

  /** Bare ESP bytes of a dummy packet (next header 59, RFC 4303 section 2.6) carrying `length` zero bytes. */
  encapsulateDummyPayload(length = 0): EncapResult {
    return this.guardedBuild(undefined, false, length);
  }

  /**
   * Opens a whole outer IP packet (ESP, or UDP/4500 under NAT-T). Tunnel mode returns the inner packet;
   * transport mode returns the original IP packet rebuilt (protocol restored, lengths and checksum fixed).
   */
  decapsulate(outer: Buffer): DecapResult {
    try {
      return this.openWhole(outer);
    } catch (error) {
      return drop('parse-error', `unexpected error: ${describeError(error)}`);
    }
  }

  /**
   * Opens bare ESP bytes (a UDP/4500 datagram payload is accepted too: keepalives and non-ESP-marker
   * datagrams are reported as such). Tunnel mode returns the inner packet; transport mode the upper payload.
   */
  decapsulatePayload(esp: Buffer): DecapResult {
    try {
      if (!Buffer.isBuffer(esp)) return drop('parse-error', 'expected a Buffer');
      return this.openEsp(esp);
    } catch (error) {
      return drop('parse-error', `unexpected error: ${describeError(error)}`);
    }
  }

  private guardedBuild(inner: Buffer | undefined, whole: boolean, dummyLength: number): EncapResult {
    try {
      return this.build(inner, whole, dummyLength);
    } catch (error) {
      return refuse('invalid-input', describeError(error));
    }
  }

  private build(inner: Buffer | undefined, whole: boolean, dummyLength: number): EncapResult {
    let payload: Buffer;
    let nextHeader: number;
    let headerLength = 0; // transport mode: bytes of the original IP header reused in front
    let protocolOffset = 0;
    if (dummyLength >= 0) {
      if (!Number.isInteger(dummyLength) || dummyLength > 0xffff) return refuse('invalid-input', `dummy length must be an integer from 0 to 65535, not ${dummyLength}`);
      payload = Buffer.alloc(dummyLength);
      nextHeader = IPPROTO.NONE;
    } else if (!Buffer.isBuffer(inner)) {
      return refuse('invalid-input', 'expected a Buffer holding an IP packet');
    } else if (this.mode === 'tunnel') {
      const length = ipPacketLength(inner);
      if (length < 0) return refuse('invalid-input', 'inner packet is not a well-formed IPv4 or IPv6 packet');
      if (length !== inner.length) return refuse('invalid-input', `inner packet is ${inner.length} bytes but its header says ${length}`);
      payload = inner;
      nextHeader = inner[0] >> 4 === 4 ? IPPROTO.IPV4 : IPPROTO.IPV6;
    } else {
      const layout = ipLayout(inner);
      if (!layout) return refuse('invalid-input', 'packet is not a well-formed IPv4 or IPv6 packet');
      if (layout.packetLength !== inner.length) return refuse('invalid-input', `packet is ${inner.length} bytes but its header says ${layout.packetLength}`);
      if (layout.version === 4 && (inner.readUInt16BE(V4.FLAGS_FRAGMENT) & 0x3fff) !== 0) {
        return refuse('invalid-input', 'transport mode protects whole datagrams, not fragments (RFC 4303 section 3.3.1)');
      }
      payload = inner.subarray(layout.headerLength);
      nextHeader = layout.protocol;
      headerLength = layout.headerLength;
      protocolOffset = layout.protocolOffset;
    }
    if (whole && this.mode === 'tunnel' && !this.outer) return refuse('invalid-input', 'encapsulate in tunnel mode needs `outer` addresses in the SA config');
    if (whole && dummyLength >= 0) return refuse('invalid-input', 'dummy packets are built as bare ESP only');

    if (!this.outbound.next()) {
      return refuse('sequence-overflow', `the ${this.esn ? '64' : '32'}-bit sequence number is exhausted; rekey the SA (RFC 4303 section 3.3.3)`);
    }
    const seqHi = this.outbound.high;
    const seqLo = this.outbound.low;

    const { blockSize, ivLength, icvLength } = this.info;
    const dataLength = payload.length < this.tfcPadding ? this.tfcPadding : payload.length;
    const padLength = (blockSize - ((dataLength + TRAILER_LENGTH) % blockSize)) % blockSize;
    const espLength = ESP_HEADER_LENGTH + ivLength + dataLength + padLength + TRAILER_LENGTH + icvLength;
    const ipHeaderLength = !whole ? 0 : this.mode === 'tunnel' ? tunnelHeaderLength(this.outer as OuterBytes) : headerLength;
    const udpLength = whole && this.natT ? UDP_HEADER_LENGTH : 0;
    const esp = ipHeaderLength + udpLength;
    const out = allocPacket(esp + espLength);

    out.writeUInt32BE(this.spi, esp);
    out.writeUInt32BE(seqLo, esp + 4);
    const end = writePlaintext(out, esp + ESP_HEADER_LENGTH + ivLength, payload, dataLength, padLength, nextHeader);
    this.transform.seal(out, esp, end, seqHi, seqLo);

    if (whole) this.writeOuterHeaders(out, inner as Buffer, ipHeaderLength, udpLength, espLength, headerLength, protocolOffset);
    return { ok: true, packet: out, sequence: sequenceOf(seqHi, seqLo) };
  }

  private writeOuterHeaders(out: Buffer, inner: Buffer, ipHeaderLength: number, udpLength: number, espLength: number, headerLength: number, protocolOffset: number): void {
    const protocol = udpLength ? IPPROTO.UDP : IPPROTO.ESP;
    if (this.mode === 'tunnel') {
      this.identification = (this.identification + 1) & 0xffff;
      writeTunnelHeader(out, this.outer as OuterBytes, protocol, udpLength + espLength, inner, this.identification);
    } else {
      writeTransportHeader(out, inner, headerLength, protocolOffset, protocol, udpLength + espLength);
    }
    if (!udpLength) return;
    const ports = this.natT as NatTPorts;
    // RFC 3948 section 3.1: checksum 0 over IPv4; IPv6 requires a real one (RFC 8200 section 8.1).
    if (out[0] >> 4 === 4) {
      writeUdpHeader(out, ipHeaderLength, ports.srcPort, ports.dstPort, espLength);
    } else {
      const { src, dst } = addressesOf(out);
      writeUdpHeader(out, ipHeaderLength, ports.srcPort, ports.dstPort, espLength, src, dst);
    }
  }

  private openWhole(packet: Buffer): DecapResult {
    if (!Buffer.isBuffer(packet)) return drop('parse-error', 'expected a Buffer');
    const layout = ipLayout(packet);
    if (!layout) return drop('parse-error', 'not a well-formed IPv4 or IPv6 packet');
    if (layout.version === 4 && (packet.readUInt16BE(V4.FLAGS_FRAGMENT) & 0x3fff) !== 0) {
      return drop('parse-error', 'IP fragment: reassemble before ESP processing (RFC 4303 section 3.4.1)');
    }
    let start = layout.headerLength;
    let end = layout.packetLength;
    if (layout.protocol === IPPROTO.UDP) {
      if (!this.natT) return drop('not-esp', 'UDP datagram, and this SA does not use NAT-T');
      if (end - start < UDP_HEADER_LENGTH) return drop('parse-error', 'truncated UDP header');
      const udpLength = packet.readUInt16BE(start + 4);
      if (udpLength < UDP_HEADER_LENGTH || udpLength > end - start) return drop('parse-error', `UDP length ${udpLength} disagrees with the packet`);
      end = start + udpLength;
      start += UDP_HEADER_LENGTH;
    } else if (layout.protocol !== IPPROTO.ESP) {
      return drop('not-esp', `IP protocol ${layout.protocol} is not ESP`);
    }
    const result = this.openEsp(packet.subarray(start, end));
    if (!result.ok || this.mode === 'tunnel') return result;
    return { ...result, packet: rebuildTransportPacket(packet, layout.headerLength, layout.protocolOffset, result.nextHeader, result.packet) };
  }

  private openEsp(esp: Buffer): DecapResult {
    if (esp.length === 1 && esp[0] === NAT_KEEPALIVE) return drop('nat-keepalive', 'NAT-keepalive (RFC 3948 section 2.3)');
    const { ivLength, icvLength, blockSize, kind } = this.info;
    if (esp.length >= 4 && esp.readUInt32BE(0) === 0) return drop('not-esp', 'SPI 0: a non-ESP marker (IKE on port 4500) or reserved');
    const cipherLength = esp.length - ESP_HEADER_LENGTH - ivLength - icvLength;
    if (cipherLength < TRAILER_LENGTH) return drop('parse-error', `${esp.length} bytes is too short for ESP with ${this.suite}`);
    if (kind === 'cbc-hmac' && cipherLength % blockSize !== 0) return drop('parse-error', `ciphertext length ${cipherLength} is not a multiple of ${blockSize}`);
    const spi = esp.readUInt32BE(0);
    if (spi !== this.spi) return drop('unknown-spi', `SPI 0x${spi.toString(16)} is not this SA's`);

    const seqLo = esp.readUInt32BE(4);
    const seqHi = screenSequence(this.window, this.esn, seqLo);
    if (typeof seqHi !== 'number') return seqHi;

    const plaintext = this.transform.open(esp, seqHi);
    if (!plaintext) return drop('authentication-failed', 'ICV did not verify');
    this.window.accept(seqHi, seqLo);

    const padLength = plaintext[plaintext.length - 2];
    const nextHeader = plaintext[plaintext.length - 1];
    const payloadLength = plaintext.length - TRAILER_LENGTH - padLength;
    if (payloadLength < 0) return drop('invalid-padding', `pad length ${padLength} exceeds the payload`);
    for (let i = 0; i < padLength; i++) {
      if (plaintext[payloadLength + i] !== i + 1) return drop('invalid-padding', 'padding is not 1, 2, 3, ... (RFC 4303 section 2.4)');
    }
    if (nextHeader === IPPROTO.NONE) return drop('dummy-packet', 'dummy packet (next header 59)');
    let packet = plaintext.subarray(0, payloadLength);
    if (this.mode === 'tunnel') {
      if (nextHeader !== IPPROTO.IPV4 && nextHeader !== IPPROTO.IPV6) return drop('parse-error', `tunnel-mode SA got next header ${nextHeader}`);
      const innerLength = ipPacketLength(packet);
      if (innerLength < 0 || packet[0] >> 4 !== (nextHeader === IPPROTO.IPV4 ? 4 : 6)) return drop('parse-error', 'inner packet is not a well-formed IP packet of the version next header names');
      packet = packet.subarray(0, innerLength); // drops TFC padding
    }
    return { ok: true, packet, nextHeader, sequence: sequenceOf(seqHi, seqLo) };
  }
}

/**
 * Lays out the plaintext at `out[start]`: the payload, TFC zeros up to `dataLength`, the monotonic padding
 * 1, 2, 3, ... (RFC 4303 section 2.4), pad length and next header. Returns where it ends.
 */
function writePlaintext(out: Buffer, start: number, payload: Buffer, dataLength: number, padLength: number, nextHeader: number): number {
  out.set(payload, start);
  let at = start + payload.length;
  const dataEnd = start + dataLength;
  if (at < dataEnd) {
    out.fill(0, at, dataEnd);
    at = dataEnd;
  }
  for (let i = 1; i <= padLength; i++) out[at++] = i;
  out[at++] = padLength;
  out[at++] = nextHeader;
  return at;
}

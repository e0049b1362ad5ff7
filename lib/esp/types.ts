/**
 * The public shapes of the ESP/AH engine: SA configuration and per-packet results.
 *
 * Per-packet outcomes are values, never exceptions: a hostile or broken packet is an ordinary event.
 */
import type { EspSuite } from './suites';

export interface OuterAddresses {
  /** Source address of the outer header (IPv4 or IPv6 text). */
  readonly src: string;
  /** Destination address of the outer header (same IP version as `src`). */
  readonly dst: string;
}

/** ESP-in-UDP ports (RFC 3948). */
export interface NatTPorts {
  readonly srcPort: number;
  readonly dstPort: number;
}

export interface SaConfig {
  /** The 32-bit SPI this SA uses on the wire (1..2^32-1; 1..255 are reserved by IANA but accepted). */
  readonly spi: number;
  readonly suite: EspSuite;
  /** AEAD/GMAC/ChaCha: key || 4-byte salt (as strongSwan and Wireshark lay it out). */
  readonly encryptionKey: Buffer;
  /** The HMAC key; CBC/HMAC suites only. */
  readonly integrityKey?: Buffer;
  readonly mode: 'tunnel' | 'transport';
  /**
   * Tunnel endpoints (outer header source and destination). Required for `encapsulate` in tunnel mode;
   * transport mode reuses the packet's own header. Inbound packets are matched by SPI only (RFC 4301
   * section 4.1), so a NAT may rewrite the outer addresses.
   * @default none (then `encapsulatePayload` still works)
   */
  readonly outer?: OuterAddresses;
  /** 64-bit extended sequence numbers (RFC 4303 section 2.2.1). @default false */
  readonly esn?: boolean;
  /** Inbound anti-replay window in packets: 0 = off, else 32..65536. @default 64 */
  readonly replayWindow?: number;
  /**
   * Where the sequence numbers start, for an SA resumed or taken over from a peer. Outbound: the number of
   * the first packet sent (one above the last one sent on the SA). Inbound: the lowest number accepted (one
   * above the highest received); lower ones count as already received (unless `replayWindow` is 0).
   * 1..2^32 - 1, or 1..2^64 - 1 with `esn`: a number, or a bigint past 2^53 - 1. The counter still refuses
   * to wrap (`sequence-overflow`).
   * @default 1
   */
  readonly initialSequence?: number | bigint;
  /**
   * ESP-in-UDP (RFC 3948); `true` means ports 4500/4500. Give an inbound SA the ports its peer sends with:
   * `dstPort` is the local port the datagrams arrive on, which `SaDatabase` then treats as ESP-in-UDP.
   * @default false
   */
  readonly natT?: boolean | NatTPorts;
  /** Tunnel mode only: pad each inner packet with zeros to this length (RFC 4303 section 2.7). @default none */
  readonly tfcPadding?: number;
}

export type EncapFailure = 'sequence-overflow' | 'invalid-input';

export type EncapResult =
  | { readonly ok: true; readonly packet: Buffer; readonly sequence: bigint }
  | { readonly ok: false; readonly reason: EncapFailure; readonly detail: string };

export type DropReason =
  /** Too short, inconsistent lengths, wrong protocol or wrong addresses. */
  | 'parse-error'
  /** The ICV (or AEAD tag) did not verify. */
  | 'authentication-failed'
  /** Sequence number already seen or below the window. */
  | 'replay'
  /** No SA with this SPI (or the SA's SPI differs). */
  | 'unknown-spi'
  /** Reserved; an inbound sequence number can not be represented (not produced by the 64-bit inference). */
  | 'sequence-overflow'
  /** Decrypted padding is not 1, 2, 3, ... (RFC 4303 section 2.4) or longer than the payload. */
  | 'invalid-padding'
  /** Authentic dummy packet (next header 59): drop quietly (RFC 4303 section 2.6). */
  | 'dummy-packet'
  /** A NAT-T keepalive (single 0xFF byte, RFC 3948 section 2.3). */
  | 'nat-keepalive'
  /** Not ESP at all: an IKE datagram (non-ESP marker) or another protocol. */
  | 'not-esp';

export type DecapResult =
  | {
      readonly ok: true;
      /** Tunnel mode: the inner IP packet. Transport mode: the rebuilt IP packet (`decapsulate`) or the bare payload (`decapsulatePayload`). */
      readonly packet: Buffer;
      /** The ESP next header: 4 (IPv4) or 41 (IPv6) in tunnel mode, the upper protocol in transport mode. */
      readonly nextHeader: number;
      readonly sequence: bigint;
    }
  | { readonly ok: false; readonly reason: DropReason; readonly detail: string };

/** The failure half of {@link DecapResult}. */
export type DecapDrop = Extract<DecapResult, { ok: false }>;

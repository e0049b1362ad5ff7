/**
 * The interop test matrix shared by the tshark and scapy suites: suites x mode x plain/NAT-T, one SA per
 * cell (fresh random keys, a unique SPI) and the probe packets each cell carries.
 */
import { randomBytes } from 'crypto';
import { EspSuite, IPPROTO, SaConfig, buildUdpDatagram, suiteInfo } from '../../../lib/esp';
import { buildIcmpEcho, ICMP_ECHO_REQUEST } from '../../../lib/verify/live/icmp';

export type Mode = 'tunnel' | 'transport';

/** One matrix cell; `S` is the suite type (ESP suites, or AH's for the AH suite). */
export interface Cell<S extends string = EspSuite> {
  /** Printable, key-free: e.g. `aes128-sha1 tunnel nat-t`. */
  name: string;
  suite: S;
  mode: Mode;
  natT: boolean;
  /** 64-bit sequence numbers (only where the peer implementation gets them right). */
  esn: boolean;
  /** IP version of the outer header. */
  outer: 4 | 6;
}

/** Outer (host) addresses of the matrix SAs, and the inner addresses tunnel mode carries. */
export const HOSTS = { src: '192.0.2.1', dst: '192.0.2.2' } as const;
export const HOSTS6 = { src: '2001:db8:0:1::1', dst: '2001:db8:0:2::1' } as const;
export const INNER4 = { src: '198.51.100.1', dst: '203.0.113.1' } as const;
export const INNER6 = { src: '2001:db8:1::1', dst: '2001:db8:2::1' } as const;
/** A translated source port, as behind a NAT, so the non-default-port path is exercised too. */
export const NAT_T_PORTS = { srcPort: 41500, dstPort: 4500 } as const;

export function hostsOf(cell: Pick<Cell, 'outer'>): { src: string; dst: string } {
  return cell.outer === 6 ? HOSTS6 : HOSTS;
}

export function cellName(c: Omit<Cell<string>, 'name'>): string {
  return [c.suite, c.mode, c.natT ? 'nat-t' : 'plain', ...(c.outer === 6 ? ['ipv6'] : []), ...(c.esn ? ['esn'] : [])].join(' ');
}

/**
 * suites x tunnel/transport x plain/NAT-T over IPv4; the same again with ESN for `esnSuites` and over an
 * IPv6 outer header for `ipv6Suites`. `natT: false` leaves out the NAT-T half (AH cannot cross a NAT).
 */
export function buildMatrix<S extends string = EspSuite>(
  suites: readonly S[],
  opts: { esnSuites?: readonly S[]; ipv6Suites?: readonly S[]; natT?: boolean } = {},
): Cell<S>[] {
  const variants = (suite: S): { esn: boolean; outer: 4 | 6 }[] => [
    { esn: false, outer: 4 },
    ...(opts.esnSuites?.includes(suite) ? [{ esn: true, outer: 4 as const }] : []),
    ...(opts.ipv6Suites?.includes(suite) ? [{ esn: false, outer: 6 as const }] : []),
  ];
  const cells: Cell<S>[] = [];
  for (const suite of suites) {
    for (const { esn, outer } of variants(suite)) {
      for (const mode of ['tunnel', 'transport'] as const) {
        for (const natT of opts.natT === false ? [false] : [false, true]) cells.push({ suite, mode, natT, esn, outer, name: cellName({ suite, mode, natT, esn, outer }) });
      }
    }
  }
  return cells;
}

/** SPIs of the matrix: distinct per cell so one pcap (and one SA table) can hold them all. */
export function cellSpi(index: number): number {
  return 0x49500000 + index;
}

/** An SA for the cell with fresh random keys of the suite's lengths. */
export function cellSaConfig(cell: Cell, index: number): SaConfig {
  const info = suiteInfo(cell.suite);
  return {
    spi: cellSpi(index),
    suite: cell.suite,
    encryptionKey: randomBytes(info.encryptionKeyLength),
    integrityKey: info.integrityKeyLength > 0 ? randomBytes(info.integrityKeyLength) : undefined,
    mode: cell.mode,
    outer: { ...hostsOf(cell) },
    natT: cell.natT ? { ...NAT_T_PORTS } : false,
    esn: cell.esn,
    replayWindow: 64,
  };
}

/** A packet a cell protects, and what any correct peer must find inside after decryption. */
export interface Probe {
  label: string;
  /** The IP packet handed to encapsulate (tunnel: the inner packet; transport: the host's own packet). */
  packet: Buffer;
  /** The ESP next header the peer must see: 4/41 in tunnel mode, the upper protocol in transport mode. */
  nextHeader: number;
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  l4: 'udp' | 'icmp';
  /** UDP payload or ICMP echo data. */
  payload: Buffer;
}

export const PROBE_PORTS = { src: 40000, dst: 40001 } as const;

/** Payloads of 0..46 bytes so the suites' padding sees several remainders; each names its cell and probe. */
function probePayload(cell: Cell<string>, label: string, extra: number): Buffer {
  return Buffer.concat([Buffer.from(`ipx|${cell.name}|${label}|`), Buffer.alloc(extra, 0x61 + extra)]);
}

function udpProbe(cell: Cell<string>, label: string, addrs: { src: string; dst: string }, extra: number): Probe {
  const payload = probePayload(cell, label, extra);
  const v6 = addrs.src.includes(':');
  return {
    label,
    packet: buildUdpDatagram({ src: addrs.src, dst: addrs.dst, srcPort: PROBE_PORTS.src, dstPort: PROBE_PORTS.dst, data: payload }),
    nextHeader: cell.mode === 'transport' ? IPPROTO.UDP : v6 ? IPPROTO.IPV6 : IPPROTO.IPV4,
    ipVersion: v6 ? 6 : 4,
    ...addrs,
    l4: 'udp',
    payload,
  };
}

function icmpProbe(cell: Cell<string>, label: string, addrs: { src: string; dst: string }, extra: number): Probe {
  const payload = probePayload(cell, label, extra);
  return {
    label,
    packet: buildIcmpEcho({ ...addrs, type: ICMP_ECHO_REQUEST, id: 0x4950, seq: extra, data: payload }),
    nextHeader: cell.mode === 'transport' ? IPPROTO.ICMP : IPPROTO.IPV4,
    ipVersion: 4,
    ...addrs,
    l4: 'icmp',
    payload,
  };
}

/**
 * Tunnel cells carry IPv4/UDP, IPv4/ICMP and IPv6/UDP inner packets; transport cells the hosts' own UDP and
 * ICMP (over IPv6: two UDP datagrams).
 */
export function cellProbes(cell: Cell<string>, index: number): Probe[] {
  const extra = (k: number): number => (index * 7 + k * 13) % 47;
  if (cell.mode === 'tunnel') {
    return [udpProbe(cell, 'udp4', INNER4, extra(0)), icmpProbe(cell, 'icmp4', INNER4, extra(1)), udpProbe(cell, 'udp6', INNER6, extra(2))];
  }
  if (cell.outer === 6) return [udpProbe(cell, 'udp6', HOSTS6, extra(0)), udpProbe(cell, 'udp6b', HOSTS6, extra(1))];
  return [udpProbe(cell, 'udp4', HOSTS, extra(0)), icmpProbe(cell, 'icmp4', HOSTS, extra(1))];
}

/**
 * Sequence numbers a peer sends towards the engine, per probe. With ESN they jump into the second 2^32
 * block (100, then 2^32 + 2: RFC 4303 appendix A infers the high half from the window).
 */
export function inboundSequences(cell: Cell<string>): bigint[] {
  return cell.esn ? [100n, (1n << 32n) + 2n, (1n << 32n) + 3n] : [1n, 2n, 3n];
}

/** With ESN the engine's outbound SA starts after this number (`initialSequence` is one more), so its packets straddle 2^32. */
export const ENGINE_ESN_START = 0xfffffffen;

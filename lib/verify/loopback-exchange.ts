/**
 * Stage 2: one ESP suite exercised end to end on loopback with the project's ESP engine.
 *
 * Two UDP sockets on 127.0.0.1 (ephemeral ports) play the customer gateway and AWS's endpoint. Each side
 * has an outbound `EspSa` and an inbound `SaDatabase` keyed with random test keys (never printed). The
 * datagrams carry RFC 3948 ESP-in-UDP payloads; the tunnel's outside addresses appear only in the outer
 * headers written to the capture, never as a destination: everything is sent to 127.0.0.1.
 *
 * Traffic: a NAT-keepalive and a non-ESP-marker datagram each way; ICMP echo requests from 64 bytes up to
 * the MTU, answered by the AWS side; UDP both ways at the same sizes; a bounded burst each way for
 * throughput; then one replayed and one bit-flipped packet each way, which the receiver must drop as
 * `replay` and `authentication-failed`.
 */
import { randomBytes, randomInt } from 'crypto';
import { createSocket, Socket } from 'dgram';
import {
  buildIpPacket,
  classifyUdpEncap,
  EspSa,
  EspSuite,
  frameEspInUdp,
  IPPROTO,
  natKeepalive,
  NON_ESP_MARKER,
  PcapWriter,
  SaDatabase,
  suiteInfo,
} from '../esp';
import { echoReply, echoRequest, isEchoReplyTo, MIN_PACKET, udpPacket } from './inner-packets';
import type { DirectionStats, ExchangeResult } from './report';

export interface ExchangeEndpoint {
  /** Outside address: written into outer headers only. */
  readonly outside: string;
  /** Inside address (no prefix): the inner packets' source/destination. */
  readonly inside: string;
  /** This side's inbound anti-replay window. */
  readonly replayWindow: number;
}

export interface ExchangeOptions {
  readonly suite: EspSuite;
  /** Largest inner packet to send. */
  readonly mtu: number;
  readonly onPrem: ExchangeEndpoint;
  readonly aws: ExchangeEndpoint;
  /** Packets per direction in the throughput burst. @default 256 */
  readonly burstPackets?: number;
  /** The whole exchange gives up after this long. @default 10000 */
  readonly timeoutMs?: number;
  /** Records every datagram sent, as an IPv4/IPv6 + UDP/4500 outer packet. */
  readonly pcap?: PcapWriter;
}

/** Replay and tamper injections per direction: the drops the receiver must report. */
export const INJECTED_DROPS = { replay: 1, 'authentication-failed': 1 } as const;

/** Datagrams in flight per direction: well inside the default 208 KiB socket receive buffer (about 3 KiB each). */
const BATCH = 32;

interface MutableStats {
  sent: number;
  delivered: number;
  dropped: Record<string, number>;
  corrupted: number;
  deliveredBytes: number;
}

/** One side: a socket, an outbound SA, the inbound SAs, and what it expects to receive. */
class Side {
  readonly stats: MutableStats = { sent: 0, delivered: 0, dropped: {}, corrupted: 0, deliveredBytes: 0 };
  /** Inner packets sent by this side, by ESP sequence number, until the peer delivers them. */
  readonly pending = new Map<bigint, Buffer>();
  keepalivesRecognised = 0;
  nonEspRecognised = 0;
  /** The last ESP datagram this side sent that the peer will have accepted: replayed later. */
  lastSent?: Buffer;
  peer!: Side;
  onInner: (inner: Buffer) => void = () => undefined;

  constructor(
    readonly socket: Socket,
    readonly out: EspSa,
    readonly inbound: SaDatabase,
    readonly outer: { src: string; dst: string },
    private readonly pcap: PcapWriter | undefined,
    private readonly notify: () => void,
  ) {
    socket.on('message', (msg) => this.receive(msg));
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Sends a raw UDP/4500 payload to the peer's loopback socket (and into the capture). */
  sendRaw(payload: Buffer): void {
    this.socket.send(payload, this.peer.port, '127.0.0.1');
    this.pcap?.add(buildIpPacket({ ...this.outer, protocol: IPPROTO.UDP, payload: frameEspInUdp(payload) }));
  }

  /** Protects and sends one inner packet; false when the engine refused it. */
  send(inner: Buffer): boolean {
    const result = this.out.encapsulatePayload(inner);
    if (!result.ok) return false;
    this.pending.set(result.sequence, inner);
    this.stats.sent++;
    this.lastSent = result.packet;
    this.sendRaw(result.packet);
    return true;
  }

  /** A fresh packet with one ciphertext bit flipped: must fail authentication, not replay. */
  sendTampered(inner: Buffer): void {
    const result = this.out.encapsulatePayload(inner);
    if (!result.ok) return;
    const tampered = Buffer.from(result.packet);
    tampered[tampered.length - suiteInfo(this.out.suite).icvLength - 1] ^= 0x01;
    this.stats.sent++;
    this.sendRaw(tampered);
  }

  /** Resends the last accepted datagram unchanged: must be dropped as a replay. */
  sendReplay(): void {
    if (!this.lastSent) return;
    this.stats.sent++;
    this.sendRaw(this.lastSent);
  }

  private receive(msg: Buffer): void {
    const peerStats = this.peer.stats;
    const kind = classifyUdpEncap(msg);
    if (kind === 'keepalive') this.keepalivesRecognised++;
    else if (kind === 'ike') this.nonEspRecognised++;
    else {
      const result = this.inbound.decapsulatePayload(msg);
      if (!result.ok) {
        peerStats.dropped[result.reason] = (peerStats.dropped[result.reason] ?? 0) + 1;
      } else {
        const expected = this.peer.pending.get(result.sequence);
        this.peer.pending.delete(result.sequence);
        if (expected && expected.equals(result.packet)) {
          peerStats.delivered++;
          peerStats.deliveredBytes += result.packet.length;
          this.onInner(result.packet);
        } else {
          peerStats.corrupted++;
        }
      }
    }
    this.notify();
  }
}

/** Waits for `done()` to hold, re-checking whenever a datagram has been processed. */
class Progress {
  private waiter?: () => void;
  readonly notify = (): void => this.waiter?.();

  constructor(private readonly deadline: number) {}

  async until(done: () => boolean): Promise<boolean> {
    if (done()) return true;
    return new Promise<boolean>((resolvePromise) => {
      const timer = setTimeout(() => finish(false), Math.max(0, this.deadline - Date.now()));
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolvePromise(ok);
      };
      this.waiter = () => {
        if (done()) finish(true);
      };
    });
  }
}

async function boundSocket(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolvePromise, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolvePromise();
    });
  });
  return socket;
}

function keysFor(suite: EspSuite) {
  const info = suiteInfo(suite);
  return {
    encryptionKey: randomBytes(info.encryptionKeyLength),
    integrityKey: info.integrityKeyLength > 0 ? randomBytes(info.integrityKeyLength) : undefined,
  };
}

/** Packet sizes from 64 bytes up to the MTU, the MTU itself included. */
export function exchangeSizes(mtu: number): number[] {
  return [...new Set([MIN_PACKET, 128, 256, 512, 1024, 1280, mtu].filter((s) => s <= mtu))].sort((a, b) => a - b);
}

/** Runs the exchange; always closes both sockets. */
export async function runLoopbackExchange(options: ExchangeOptions): Promise<ExchangeResult> {
  const { suite, mtu } = options;
  const burst = options.burstPackets ?? 256;
  const progress = new Progress(Date.now() + (options.timeoutMs ?? 10000));
  const spiToAws = randomInt(0x100, 0x7fffffff);
  const spiToOnPrem = spiToAws + 1;
  const toAwsKeys = keysFor(suite);
  const toOnPremKeys = keysFor(suite);
  const sa = (spi: number, keys: ReturnType<typeof keysFor>, replayWindow: number) => new EspSa({ spi, suite, mode: 'tunnel', replayWindow, ...keys });
  const onPremDb = new SaDatabase();
  const awsDb = new SaDatabase();
  awsDb.add(sa(spiToAws, toAwsKeys, options.aws.replayWindow));
  onPremDb.add(sa(spiToOnPrem, toOnPremKeys, options.onPrem.replayWindow));

  const sockets: Socket[] = [];
  try {
    sockets.push(await boundSocket(), await boundSocket());
    const onPrem = new Side(sockets[0], sa(spiToAws, toAwsKeys, 0), onPremDb, { src: options.onPrem.outside, dst: options.aws.outside }, options.pcap, progress.notify);
    const aws = new Side(sockets[1], sa(spiToOnPrem, toOnPremKeys, 0), awsDb, { src: options.aws.outside, dst: options.onPrem.outside }, options.pcap, progress.notify);
    onPrem.peer = aws;
    aws.peer = onPrem;
    const [a, b] = [options.onPrem.inside, options.aws.inside];

    // AWS's side answers echo requests; the on-prem side checks each reply against its request.
    const requests: Buffer[] = [];
    let replies = 0;
    aws.onInner = (inner) => {
      const reply = echoReply(inner);
      if (reply) aws.send(reply);
    };
    onPrem.onInner = (inner) => {
      if (replies < requests.length && requests.some((r) => isEchoReplyTo(inner, r))) replies++;
    };
    const settled = (side: Side) => side.stats.delivered + side.stats.corrupted + Object.values(side.stats.dropped).reduce((x, y) => x + y, 0) >= side.stats.sent;
    const bothSettled = () => settled(onPrem) && settled(aws);

    // RFC 3948 non-ESP traffic: a NAT-keepalive and an IKE datagram (non-ESP marker) each way.
    for (const side of [onPrem, aws]) {
      side.sendRaw(natKeepalive());
      side.sendRaw(Buffer.concat([NON_ESP_MARKER, Buffer.from('IKE')]));
    }
    await progress.until(() => onPrem.keepalivesRecognised + aws.keepalivesRecognised >= 2 && onPrem.nonEspRecognised + aws.nonEspRecognised >= 2);

    const sizes = exchangeSizes(mtu);
    sizes.forEach((size, i) => {
      requests.push(echoRequest(a, b, size, i + 1));
      onPrem.send(requests[i]);
    });
    await progress.until(() => replies >= requests.length);
    for (const [i, size] of sizes.entries()) {
      onPrem.send(udpPacket(a, b, size, i));
      aws.send(udpPacket(b, a, size, i));
    }
    await progress.until(bothSettled);

    // Built before the clock starts: the burst measures the ESP path, not packet construction.
    const burstInner = sizes.map((size, i) => [udpPacket(a, b, size, 0x10000 + i), udpPacket(b, a, size, 0x10000 + i)]);
    const before = { onPrem: onPrem.stats.deliveredBytes + aws.stats.deliveredBytes, packets: onPrem.stats.delivered + aws.stats.delivered };
    const started = process.hrtime.bigint();
    for (let sent = 0; sent < burst; sent += BATCH) {
      for (let i = sent; i < Math.min(burst, sent + BATCH); i++) {
        const [toAws, toOnPrem] = burstInner[i % burstInner.length];
        onPrem.send(toAws);
        aws.send(toOnPrem);
      }
      if (!(await progress.until(bothSettled))) break;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const burstDelivered = onPrem.stats.delivered + aws.stats.delivered - before.packets;
    const burstBytes = onPrem.stats.deliveredBytes + aws.stats.deliveredBytes - before.onPrem;

    // Deliberate attacks, then one more good packet each way: the SA must still work.
    for (const side of [onPrem, aws]) {
      side.sendReplay();
      side.sendTampered(udpPacket(side === onPrem ? a : b, side === onPrem ? b : a, MIN_PACKET, 0xbad));
    }
    await progress.until(bothSettled);
    onPrem.send(udpPacket(a, b, MIN_PACKET, 0xfeed));
    aws.send(udpPacket(b, a, MIN_PACKET, 0xfeed));
    await progress.until(bothSettled);

    return {
      suite,
      mtu,
      onPremToAws: finalStats(onPrem.stats),
      awsToOnPrem: finalStats(aws.stats),
      echo: { requests: requests.length, replies },
      natT: {
        keepalivesSent: 2,
        keepalivesRecognised: onPrem.keepalivesRecognised + aws.keepalivesRecognised,
        nonEspSent: 2,
        nonEspRecognised: onPrem.nonEspRecognised + aws.nonEspRecognised,
      },
      throughput: {
        packetsPerSecond: seconds > 0 ? Math.round(burstDelivered / seconds) : 0,
        megabitsPerSecond: seconds > 0 ? Math.round(((burstBytes * 8) / 1e6 / seconds) * 10) / 10 : 0,
      },
    };
  } finally {
    for (const socket of sockets) socket.close();
  }
}

function finalStats(s: MutableStats): DirectionStats {
  const dropped = Object.values(s.dropped).reduce((x, y) => x + y, 0);
  return { sent: s.sent, delivered: s.delivered, dropped: { ...s.dropped }, lost: Math.max(0, s.sent - s.delivered - dropped - s.corrupted), corrupted: s.corrupted };
}

/** Whether an exchange went exactly as it must: everything delivered but the injected drops, echo answered. */
export function exchangeProblems(r: ExchangeResult): string[] {
  const problems: string[] = [];
  for (const [name, d] of [['on-prem → AWS', r.onPremToAws], ['AWS → on-prem', r.awsToOnPrem]] as const) {
    const injected = Object.values(INJECTED_DROPS).reduce((x, y) => x + y, 0);
    if (d.delivered !== d.sent - injected) problems.push(`${name}: delivered ${d.delivered} of ${d.sent} sent, expected ${d.sent - injected}`);
    for (const [reason, count] of Object.entries(INJECTED_DROPS)) {
      if ((d.dropped[reason] ?? 0) !== count) problems.push(`${name}: ${d.dropped[reason] ?? 0} dropped as ${reason}, expected ${count}`);
    }
    const unexpected = Object.keys(d.dropped).filter((reason) => !(reason in INJECTED_DROPS));
    if (unexpected.length > 0) problems.push(`${name}: unexpected drops: ${unexpected.map((k) => `${k} ${d.dropped[k]}`).join(', ')}`);
    if (d.lost > 0) problems.push(`${name}: ${d.lost} lost before the timeout`);
    if (d.corrupted > 0) problems.push(`${name}: ${d.corrupted} delivered with different contents`);
  }
  if (r.echo.replies !== r.echo.requests) problems.push(`echo: ${r.echo.replies} correct replies to ${r.echo.requests} requests`);
  if (r.natT.keepalivesRecognised !== r.natT.keepalivesSent) problems.push(`NAT-T: ${r.natT.keepalivesRecognised} of ${r.natT.keepalivesSent} keepalives recognised`);
  if (r.natT.nonEspRecognised !== r.natT.nonEspSent) problems.push(`NAT-T: ${r.natT.nonEspRecognised} of ${r.natT.nonEspSent} non-ESP-marker datagrams recognised`);
  return problems;
}

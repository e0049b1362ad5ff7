/**
 * The loopback transport of the exchange: two UDP sockets on 127.0.0.1 (ephemeral ports) playing the
 * customer gateway and AWS's endpoint, each with its side of the SA pair. Datagrams carry RFC 3948
 * ESP-in-UDP payloads; the tunnel's outside addresses appear only in the outer headers written to the
 * capture, never as a destination: everything is sent to 127.0.0.1.
 */
import { createSocket, Socket } from 'dgram';
import { buildIpPacket, classifyUdpEncap, EspSa, frameEspInUdp, IPPROTO, PcapWriter, SaDatabase, suiteInfo } from '../esp';
import type { SaPair } from './sa-pair';

export interface MutableStats {
  sent: number;
  delivered: number;
  dropped: Record<string, number>;
  corrupted: number;
  deliveredBytes: number;
}

/** One side: a socket, an outbound SA, the inbound SAs, and what it expects to receive. */
export class LoopbackSide {
  readonly stats: MutableStats = { sent: 0, delivered: 0, dropped: {}, corrupted: 0, deliveredBytes: 0 };
  /** Inner packets sent by this side, by ESP sequence number, until the peer delivers them. */
  readonly pending = new Map<bigint, Buffer>();
  keepalivesRecognised = 0;
  nonEspRecognised = 0;
  /** The last ESP datagram this side sent that the peer will have accepted: replayed later. */
  lastSent?: Buffer;
  peer!: LoopbackSide;
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
export class Progress {
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

export async function boundSocket(): Promise<Socket> {
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

export interface LoopbackPair {
  readonly onPrem: LoopbackSide;
  readonly aws: LoopbackSide;
  /** Closes both sockets. */
  close(): void;
}

/** Binds two sockets and wires each to its side of the SA pair. */
export async function openLoopbackPair(
  sas: SaPair,
  outside: { readonly onPrem: string; readonly aws: string },
  pcap: PcapWriter | undefined,
  notify: () => void,
): Promise<LoopbackPair> {
  const sockets: Socket[] = [];
  const close = () => sockets.forEach((s) => s.close());
  try {
    sockets.push(await boundSocket(), await boundSocket());
  } catch (e) {
    close();
    throw e;
  }
  const onPrem = new LoopbackSide(sockets[0], sas.onPrem.outbound, sas.onPrem.inbound, { src: outside.onPrem, dst: outside.aws }, pcap, notify);
  const aws = new LoopbackSide(sockets[1], sas.aws.outbound, sas.aws.inbound, { src: outside.aws, dst: outside.onPrem }, pcap, notify);
  onPrem.peer = aws;
  aws.peer = onPrem;
  return { onPrem, aws, close };
}

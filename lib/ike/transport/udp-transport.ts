/**
 * The IKE SA's UDP adapter (node:dgram): one socket where IKE starts (500 by default) and one for NAT-T
 * (4500 by default), any port including 0 for an unprivileged ephemeral one. On the NAT-T socket IKE
 * carries the non-ESP marker and shares the port with ESP-in-UDP (RFC 3948), so the socket is shared with
 * the ESP engine: ESP datagrams go to `onEsp`, IKE to the state machine, keepalives are dropped.
 * It owns the one timer the state machine asks for and sends NAT keepalives while NAT-T is in use.
 */
import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { classifyUdpEncap, natKeepalive, NON_ESP_MARKER } from '../../esp/nat-t';
import type { IkeEvent, Step } from '../events';
import type { IkeSa } from '../ike-sa';

export interface UdpTransportOptions {
  readonly localAddress: string;
  /** @default 500 */
  readonly ikePort?: number;
  /** @default 4500 */
  readonly natPort?: number;
  /** NAT keepalive interval while NAT-T is in use (RFC 3948 section 2.3). 0: never. @default 20000 */
  readonly keepaliveMs?: number;
  /** The clock, in milliseconds. @default Date.now */
  readonly now?: () => number;
}

export interface BoundPorts {
  readonly ikePort: number;
  readonly natPort: number;
}

export class UdpTransport {
  private readonly ike: Socket;
  private readonly nat: Socket;
  private sa?: IkeSa;
  private timer?: NodeJS.Timeout;
  private keepalive?: NodeJS.Timeout;
  private peer?: { address: string; port: number };
  private closed = false;
  private readonly now: () => number;
  /** Every event the state machine emitted. */
  onEvent: (event: IkeEvent) => void = () => undefined;
  /** ESP-in-UDP datagrams from the peer (the UDP payload: SPI onwards). */
  onEsp: (packet: Buffer, from: RemoteInfo) => void = () => undefined;
  /** A send failed (the datagram is lost; IKE retransmits). */
  onSendError: (error: Error) => void = () => undefined;

  private constructor(private readonly options: UdpTransportOptions) {
    const family = isIP(options.localAddress) === 6 ? 'udp6' : 'udp4';
    this.ike = createSocket({ type: family, reuseAddr: false });
    this.nat = createSocket({ type: family, reuseAddr: false });
    this.now = options.now ?? Date.now;
  }

  /** Binds both sockets; the ports (ephemeral ones resolved) go into the IKE SA's config. */
  static async open(options: UdpTransportOptions): Promise<{ transport: UdpTransport; ports: BoundPorts }> {
    const t = new UdpTransport(options);
    const bind = (s: Socket, port: number) =>
      new Promise<number>((resolve, reject) => {
        s.once('error', reject);
        s.bind(port, options.localAddress, () => {
          s.off('error', reject);
          resolve(s.address().port);
        });
      });
    try {
      const ikePort = await bind(t.ike, options.ikePort ?? 500);
      const natPort = await bind(t.nat, options.natPort ?? 4500);
      return { transport: t, ports: { ikePort, natPort } };
    } catch (e) {
      t.close();
      throw e;
    }
  }

  /** Connects the state machine: inbound datagrams feed it, its output goes out. */
  attach(sa: IkeSa): void {
    this.sa = sa;
    this.ike.on('message', (msg, from) => this.deliver(msg, from, false));
    this.nat.on('message', (msg, from) => {
      const kind = classifyUdpEncap(msg);
      if (kind === 'ike') this.deliver(msg.subarray(NON_ESP_MARKER.length), from, true);
      else if (kind === 'esp') {
        this.sa?.noteInboundTraffic(this.now());
        this.onEsp(msg, from);
      }
    });
  }

  /** Runs a step the caller obtained from the state machine (start, rekey, delete...). */
  apply(step: Step): void {
    for (const o of step.send) {
      this.peer = { address: o.remoteAddress, port: o.remotePort };
      const bytes = o.natT ? Buffer.concat([NON_ESP_MARKER, o.bytes]) : o.bytes;
      (o.natT ? this.nat : this.ike).send(bytes, o.remotePort, o.remoteAddress, (err) => err && this.onSendError(err));
      if (o.natT) this.startKeepalives();
    }
    for (const e of step.events) this.onEvent(e);
    this.schedule();
  }

  /** Sends an ESP-in-UDP packet (SPI onwards) to the peer's current NAT-T address and port. */
  sendEsp(packet: Buffer): void {
    if (!this.peer || this.closed) return;
    this.nat.send(packet, this.peer.port, this.peer.address, (err) => err && this.onSendError(err));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.keepalive);
    for (const s of [this.ike, this.nat]) {
      try {
        s.close();
      } catch {
        /* not bound */
      }
    }
  }

  private deliver(msg: Buffer, from: RemoteInfo, natT: boolean): void {
    if (!this.sa || this.closed) return;
    this.apply(this.sa.receive(Buffer.from(msg), { address: from.address, port: from.port, natT }, this.now()));
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const at = this.sa?.nextDeadline();
    if (at === undefined || this.closed) return;
    this.timer = setTimeout(() => this.sa && this.apply(this.sa.tick(this.now())), Math.max(0, Math.min(at - this.now(), 2 ** 31 - 1)));
  }

  private startKeepalives(): void {
    const every = this.options.keepaliveMs ?? 20_000;
    if (this.keepalive || every <= 0) return;
    this.keepalive = setInterval(() => {
      if (this.peer) this.nat.send(natKeepalive(), this.peer.port, this.peer.address, () => undefined);
    }, every);
    this.keepalive.unref();
  }
}

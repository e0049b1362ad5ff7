/**
 * One end of a live tunnel run by our engines: an IKEv2 SA (lib/ike) over its UDP transport, its CHILD_SAs
 * installed into the ESP engine, ICMP echo answered on the tunnel's inside address and sent on request.
 * `verify --live` runs it as AWS's endpoint inside a namespace (live/peer-main.ts); `probe` runs it in
 * process as the customer gateway on unprivileged ports.
 *
 * After a DPD timeout it acts as AWS's `DPDTimeoutAction` says: `clear` leaves the SAs deleted (lib/ike's own
 * behaviour), `restart` opens a new IKE SA as initiator at once, `none` keeps the SA (lib/ike is then given no
 * DPD deadline, so only its retransmissions giving up would end the SA).
 */
import { ChildSaTable } from '../../ike/child-sa-table';
import type { DpdSettings, IkeSaConfig as FullIkeSaConfig } from '../../ike/config';
import type { IkeEvent, Step } from '../../ike/events';
import { IkeSa } from '../../ike/ike-sa';
import { UdpTransport } from '../../ike/transport/udp-transport';
import { formatIp, parseIp } from '../../net/address';
import { buildIcmpEcho, echoReplyFor, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, parseIcmpEcho } from './icmp';

export type DpdAction = 'clear' | 'none' | 'restart';

export interface TunnelEndpointOptions {
  /** The IKE SA's policy; its local ports come from the sockets bound here. */
  readonly ike: Omit<FullIkeSaConfig, 'localPort' | 'localNatPort'>;
  /** What a DPD timeout does (AWS's `DPDTimeoutAction`). @default 'clear' */
  readonly dpdAction?: DpdAction;
  /** Where IKE starts and where NAT-T floats. 0: an ephemeral (unprivileged) port. @default 500, 4500 */
  readonly ikePort?: number;
  readonly natPort?: number;
  /** The inside address (IPv4 or IPv6) this end answers pings on and sends them from. */
  readonly insideAddress: string;
  /** NAT keepalive interval. @default 20000 */
  readonly keepaliveMs?: number;
}

export interface PingResult {
  readonly sent: number;
  readonly received: number;
  readonly rttMs: readonly number[];
}

/** IKE events, and `dpd-restart`: the endpoint opened a new IKE SA (initiator) after a DPD timeout. */
export type EndpointEvent = IkeEvent | { readonly type: 'dpd-restart' };

type Listener = (e: EndpointEvent) => void;

let nextPingId = 0x5100;

export class TunnelEndpoint {
  /** Every event so far, in order (across restarts). */
  readonly events: EndpointEvent[] = [];
  /** Echo requests from the peer this end answered. */
  answered = 0;
  private readonly listeners = new Set<Listener>();
  /** The CHILD_SAs in the ESP engine, and which one goes outbound (lib/ike's rule for rekeys). */
  private readonly childSas = new ChildSaTable();
  private readonly pending = new Map<number, { at: number; resolve: (rtt: number) => void }>();
  private pingId = nextPingId++ & 0xffff;
  private closed = false;
  /** The inside address as parsed packets write it (RFC 5952 for IPv6), to compare with their destination. */
  private readonly insideAddress: string;

  private constructor(
    private current: { sa: IkeSa; transport: UdpTransport },
    readonly ports: { ikePort: number; natPort: number },
    private readonly options: TunnelEndpointOptions,
  ) {
    const inside = parseIp(options.insideAddress);
    if (!inside) throw new Error(`insideAddress ${options.insideAddress}: not an IP address`);
    this.insideAddress = formatIp(inside.version, inside.address);
    this.wire(current.transport, current.sa);
  }

  static async open(o: TunnelEndpointOptions): Promise<TunnelEndpoint> {
    const { transport, ports } = await openTransport(o, o.ikePort, o.natPort);
    try {
      const sa = new IkeSa(saConfig(o, ports, o.ike.role));
      return new TunnelEndpoint({ sa, transport }, ports, o);
    } catch (e) {
      transport.close();
      throw e;
    }
  }

  /** The IKE SA now (a new one after a DPD restart). */
  get sa(): IkeSa {
    return this.current.sa;
  }

  private get transport(): UdpTransport {
    return this.current.transport;
  }

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.run(this.sa.start(Date.now()));
  }

  rekeyChild(): void {
    this.run(this.sa.rekeyChild(Date.now()));
  }

  rekeyIke(): void {
    this.run(this.sa.rekeyIke(Date.now()));
  }

  checkLiveness(): void {
    this.run(this.sa.checkLiveness(Date.now()));
  }

  /**
   * The first event from now on (or, with `since`, from that index of `events`) that `match` accepts, or
   * undefined after `timeoutMs`.
   */
  waitFor(match: (e: EndpointEvent) => boolean, timeoutMs: number, since = this.events.length): Promise<EndpointEvent | undefined> {
    const seen = this.events.slice(since).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(undefined);
      }, timeoutMs);
      const off = this.onEvent((e) => {
        if (!match(e)) return;
        clearTimeout(timer);
        off();
        resolve(e);
      });
    });
  }

  /** ICMP echo (ICMPv6 from an IPv6 inside address) through the tunnel, one request every `intervalMs`; waits up to `timeoutMs` for each reply. */
  async ping(destination: string, count: number, timeoutMs = 2000, intervalMs = 200): Promise<PingResult> {
    const rtts: number[] = [];
    const waits: Promise<void>[] = [];
    for (let seq = 1; seq <= count; seq++) {
      if (seq > 1) await sleep(intervalMs);
      const id = this.pingId;
      const key = (id << 16) | seq;
      // A timer per request, cleared by its reply: a pending one would keep the process alive.
      const reply = new Promise<number | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), timeoutMs);
        this.pending.set(key, { at: performance.now(), resolve: (rtt) => (clearTimeout(timer), resolve(rtt)) });
      });
      waits.push(
        reply.then((rtt) => {
          this.pending.delete(key);
          if (rtt !== undefined && !Number.isNaN(rtt)) rtts.push(Math.round(rtt * 100) / 100);
        }),
      );
      this.sendInner(buildIcmpEcho({ src: this.insideAddress, dst: destination, type: ICMP_ECHO_REQUEST, id, seq, data: Buffer.alloc(32, seq) }));
    }
    await Promise.all(waits);
    this.pingId = nextPingId++ & 0xffff;
    return { sent: count, received: rtts.length, rttMs: rtts };
  }

  /** Sends DELETE for the IKE SA and waits (up to `timeoutMs`) for the answer. */
  async delete(timeoutMs = 3000): Promise<void> {
    if (this.sa.state !== 'established') return;
    const since = this.events.length;
    this.run(this.sa.delete(Date.now()));
    await this.waitFor((e) => e.type === 'deleted', timeoutMs, since);
  }

  close(): void {
    this.closed = true;
    this.transport.close();
    for (const p of this.pending.values()) p.resolve(NaN);
    this.pending.clear();
  }

  private run(step: Step): void {
    this.transport.apply(step);
  }

  private wire(transport: UdpTransport, sa: IkeSa): void {
    transport.onEvent = (e) => this.handle(e);
    transport.onEsp = (packet) => this.receiveEsp(packet);
    transport.attach(sa);
  }

  private handle(e: EndpointEvent): void {
    if (e.type !== 'dpd-restart') this.childSas.apply(e);
    this.events.push(e);
    for (const l of [...this.listeners]) l(e);
    if (e.type === 'deleted' && e.reason === 'dpd-timeout' && this.options.dpdAction === 'restart') void this.restart();
  }

  /**
   * DPD action `restart`: a new IKE SA, as initiator, on the same ports. The transport is bound to one IKE SA,
   * so it is reopened; UDP has no TIME_WAIT, the ports are free once the old sockets are closed.
   */
  private async restart(): Promise<void> {
    this.transport.close();
    const { transport } = await openTransport(this.options, this.ports.ikePort, this.ports.natPort);
    if (this.closed) return transport.close();
    const sa = new IkeSa(saConfig(this.options, this.ports, 'initiator'));
    this.current = { sa, transport };
    this.wire(transport, sa);
    this.handle({ type: 'dpd-restart' });
    this.start();
  }

  private sendInner(packet: Buffer): void {
    const r = this.childSas.outbound?.encapsulatePayload(packet);
    if (r?.ok) this.transport.sendEsp(r.packet);
  }

  private receiveEsp(packet: Buffer): void {
    const d = this.childSas.decapsulate(packet);
    if (!d.ok) return;
    const echo = parseIcmpEcho(d.packet);
    if (echo?.type === ICMP_ECHO_REQUEST && echo.dst === this.insideAddress) {
      this.answered++;
      this.sendInner(echoReplyFor(echo));
    } else if (echo?.type === ICMP_ECHO_REPLY && echo.dst === this.insideAddress) {
      const p = this.pending.get((echo.id << 16) | echo.seq);
      if (p) p.resolve(performance.now() - p.at);
    }
  }
}

function openTransport(o: TunnelEndpointOptions, ikePort: number | undefined, natPort: number | undefined) {
  return UdpTransport.open({ localAddress: o.ike.localAddress, ikePort, natPort, keepaliveMs: o.keepaliveMs });
}

/** lib/ike's config for the endpoint's IKE SA; DPD action `none` gets no DPD deadline (the SA is kept). */
function saConfig(o: TunnelEndpointOptions, ports: { ikePort: number; natPort: number }, role: FullIkeSaConfig['role']): FullIkeSaConfig {
  const dpd: DpdSettings | undefined = o.ike.dpd && o.dpdAction === 'none' ? { ...o.ike.dpd, timeoutSeconds: 0 } : o.ike.dpd;
  return { ...o.ike, role, dpd, localPort: ports.ikePort, localNatPort: ports.natPort };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

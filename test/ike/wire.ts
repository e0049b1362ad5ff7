/**
 * Two of our IKE SAs back to back on a simulated wire: a virtual clock, seeded randomness, and hooks to
 * drop, duplicate or hold datagrams. No sockets and no real timers.
 */
import { createHash } from 'node:crypto';
import { parseProposal } from '../../lib/algorithms/proposal';
import type { IkeSaConfig } from '../../lib/ike/config';
import type { IkeEvent, Outgoing } from '../../lib/ike/events';
import { IkeSa } from '../../lib/ike/ike-sa';

export const PSK = Buffer.from('back-to-back-psk-0123456789');

/** Deterministic bytes: SHA-256 of a seed and a counter. */
export function seededRandom(seed: string): (n: number) => Buffer {
  let counter = 0;
  return (n: number) => {
    const out: Buffer[] = [];
    let have = 0;
    while (have < n) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      out.push(block);
      have += block.length;
    }
    return Buffer.concat(out).subarray(0, n);
  };
}

export interface PairOptions {
  ike?: string[];
  esp?: string[];
  initiator?: Partial<IkeSaConfig>;
  responder?: Partial<IkeSaConfig>;
}

export function pairConfigs(o: PairOptions = {}): { initiator: IkeSaConfig; responder: IkeSaConfig } {
  const ike = (o.ike ?? ['aes128-sha256-modp2048']).map((p) => parseProposal(p, 'ike'));
  const esp = (o.esp ?? ['aes128-sha256-modp2048']).map((p) => parseProposal(p, 'esp'));
  const common = { psk: PSK, ikeProposals: ike, espProposals: esp };
  return {
    initiator: {
      ...common,
      role: 'initiator',
      localAddress: '192.0.2.1',
      remoteAddress: '192.0.2.2',
      localId: '192.0.2.1',
      remoteId: '192.0.2.2',
      localTs: ['198.51.100.0/24'],
      remoteTs: ['203.0.113.0/24'],
      random: seededRandom('initiator'),
      ...o.initiator,
    },
    responder: {
      ...common,
      role: 'responder',
      localAddress: '192.0.2.2',
      remoteAddress: '192.0.2.1',
      localId: '192.0.2.2',
      remoteId: '192.0.2.1',
      localTs: ['203.0.113.0/24'],
      remoteTs: ['198.51.100.0/24'],
      random: seededRandom('responder'),
      ...o.responder,
    },
  };
}

type Side = 'i' | 'r';

interface InFlight {
  readonly to: Side;
  readonly datagram: Outgoing;
  readonly from: { address: string; port: number };
}

/** What the wire does with one datagram: deliver it (default), drop it, or deliver it twice. */
export type WirePolicy = (d: { from: Side; to: Side; index: number; bytes: Buffer; natT: boolean }) => 'deliver' | 'drop' | 'duplicate';

export class Wire {
  readonly i: IkeSa;
  readonly r: IkeSa;
  now = 1_000_000;
  readonly events: { side: Side; at: number; event: IkeEvent }[] = [];
  readonly queue: InFlight[] = [];
  policy: WirePolicy = () => 'deliver';
  sent = 0;

  private readonly addresses: Record<Side, string>;

  /** `configs`: two complete configs instead of the default pair (the first initiates). */
  constructor(o: PairOptions = {}, configs?: { initiator: IkeSaConfig; responder: IkeSaConfig }) {
    const { initiator, responder } = configs ?? pairConfigs(o);
    this.i = new IkeSa(initiator);
    this.r = new IkeSa(responder);
    this.addresses = { i: initiator.localAddress, r: responder.localAddress };
  }

  eventsOf(side: Side, type?: IkeEvent['type']): IkeEvent[] {
    return this.events.filter((e) => e.side === side && (type === undefined || e.event.type === type)).map((e) => e.event);
  }

  private sa(side: Side): IkeSa {
    return side === 'i' ? this.i : this.r;
  }

  take(side: Side, step: { send: Outgoing[]; events: IkeEvent[] }): void {
    for (const event of step.events) this.events.push({ side, at: this.now, event });
    const to: Side = side === 'i' ? 'r' : 'i';
    const address = this.addresses[side];
    for (const datagram of step.send) {
      const verdict = this.policy({ from: side, to, index: this.sent++, bytes: datagram.bytes, natT: datagram.natT });
      if (verdict === 'drop') continue;
      const port = datagram.natT ? 4500 : 500;
      this.queue.push({ to, datagram, from: { address, port } });
      if (verdict === 'duplicate') this.queue.push({ to, datagram, from: { address, port } });
    }
  }

  /** Delivers queued datagrams (and whatever they cause) until the wire is quiet. */
  settle(limit = 1000): void {
    for (let n = 0; this.queue.length > 0; n++) {
      if (n > limit) throw new Error('the exchange does not settle');
      const d = this.queue.shift()!;
      this.take(d.to, this.sa(d.to).receive(d.datagram.bytes, { ...d.from, natT: d.datagram.natT }, this.now));
    }
  }

  /** Advances the virtual clock to the next deadline of either side (at most `until`), running timers. */
  advance(until: number): boolean {
    const deadlines = [this.i.nextDeadline(), this.r.nextDeadline()].filter((d): d is number => d !== undefined);
    const next = Math.min(...deadlines, until);
    if (next < this.now) return false;
    this.now = next;
    this.take('i', this.i.tick(this.now));
    this.take('r', this.r.tick(this.now));
    this.settle();
    return next < until;
  }

  /** Runs the clock forward to `until`, deadline by deadline. */
  runUntil(until: number): void {
    for (let n = 0; n < 10_000 && this.advance(until); n++);
    this.now = until;
  }

  handshake(): void {
    this.take('i', this.i.start(this.now));
    this.settle();
  }
}

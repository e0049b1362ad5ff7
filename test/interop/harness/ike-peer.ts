/**
 * Our IKEv2 + ESP engine as a standalone peer (bundled by ike-peer-runner.ts, run with `ip netns exec NS
 * node ...`): the IKE SA over the UDP transport on 500/4500, CHILD_SAs installed into the ESP engine, ICMP
 * echo answered through the tunnel and sent on command.
 *
 * argv[2]: a JSON IkePeerConfig file (the key stays in the temp dir). stdin: one JSON command a line.
 * stdout: one JSON line per event (`ready`, IKE events without key material, ping replies). Nothing
 * secret is printed.
 */
import { readFileSync } from 'fs';
import { createInterface } from 'readline';
import { parseProposal } from '../../../lib/algorithms/proposal';
import { ChildSaTable } from '../../../lib/ike/child-sa-table';
import type { IkeEvent, Step } from '../../../lib/ike/events';
import { IkeSa } from '../../../lib/ike/ike-sa';
import { UdpTransport } from '../../../lib/ike/transport/udp-transport';
import { buildIcmpEcho, echoReplyFor, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, parseIcmpEcho } from './icmp';

export interface IkePeerConfig {
  role: 'initiator' | 'responder';
  localAddress: string;
  remoteAddress: string;
  localId: string;
  remoteId?: string;
  /** Hex; absent with certificate authentication. */
  pskHex?: string;
  certificate?: { certificate: string; privateKey: string; trustAnchors: string[] };
  ike: string[];
  esp: string[];
  localTs: string[];
  remoteTs: string[];
  inner: { local: string; remote: string };
  dpd?: { intervalSeconds: number; timeoutSeconds: number };
  choiceRule?: 'configured-order' | 'aws-lowest';
  requireCookie?: boolean;
}

export type IkePeerCommand =
  | { cmd: 'start' }
  | { cmd: 'rekey-child' }
  | { cmd: 'rekey-ike' }
  | { cmd: 'dpd' }
  | { cmd: 'delete' }
  | { cmd: 'ping'; count: number; id: number }
  | { cmd: 'exit' };

/** An event as printed: CHILD_SA keys replaced by SPIs and suite. */
export type PrintedEvent = Record<string, unknown> & { type: string };

function printable(e: IkeEvent): PrintedEvent {
  if (e.type === 'child-up' || (e.type === 'rekeyed' && e.child)) {
    const c = e.child!;
    const { child: _child, ...rest } = e;
    return { ...rest, proposal: c.proposal, inboundSpi: c.inbound.spi, outboundSpi: c.outbound.spi, natT: c.outbound.natT !== undefined, localTs: c.localTsText, remoteTs: c.remoteTsText };
  }
  return { ...e };
}

const print = (line: unknown): void => void process.stdout.write(JSON.stringify(line) + '\n');

async function main(): Promise<void> {
  const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8')) as IkePeerConfig;
  const { transport, ports } = await UdpTransport.open({ localAddress: cfg.localAddress, keepaliveMs: 5000 });
  const sa = new IkeSa({
    role: cfg.role,
    localAddress: cfg.localAddress,
    remoteAddress: cfg.remoteAddress,
    localPort: ports.ikePort,
    localNatPort: ports.natPort,
    localId: cfg.localId,
    remoteId: cfg.remoteId,
    psk: cfg.pskHex ? Buffer.from(cfg.pskHex, 'hex') : undefined,
    certificate: cfg.certificate,
    ikeProposals: cfg.ike.map((p) => parseProposal(p, 'ike')),
    espProposals: cfg.esp.map((p) => parseProposal(p, 'esp')),
    localTs: cfg.localTs,
    remoteTs: cfg.remoteTs,
    dpd: cfg.dpd,
    choiceRule: cfg.choiceRule,
    requireCookie: cfg.requireCookie,
  });
  const children = new ChildSaTable();
  const pingsSent = new Map<number, number>();

  const sendInner = (packet: Buffer): void => {
    const outbound = children.outbound;
    if (!outbound) return;
    const r = outbound.encapsulatePayload(packet);
    if (r.ok) transport.sendEsp(r.packet);
  };
  transport.onEvent = (e) => {
    children.apply(e);
    print({ event: printable(e) });
  };
  transport.onEsp = (packet) => {
    const d = children.decapsulate(packet);
    if (!d.ok) return print({ drop: d.reason });
    const echo = parseIcmpEcho(d.packet);
    if (echo?.type === ICMP_ECHO_REQUEST && echo.dst === cfg.inner.local) {
      sendInner(echoReplyFor(echo));
      print({ answered: { seq: echo.seq, from: echo.src } });
    } else if (echo?.type === ICMP_ECHO_REPLY && pingsSent.has(echo.seq)) {
      print({ reply: { seq: echo.seq, rttMs: Date.now() - pingsSent.get(echo.seq)! } });
    }
  };
  transport.attach(sa);
  const run = (step: Step) => transport.apply(step);

  createInterface({ input: process.stdin }).on('line', (line) => {
    const c = JSON.parse(line) as IkePeerCommand;
    const now = Date.now();
    if (c.cmd === 'start') run(sa.start(now));
    else if (c.cmd === 'rekey-child') run(sa.rekeyChild(now));
    else if (c.cmd === 'rekey-ike') run(sa.rekeyIke(now));
    else if (c.cmd === 'dpd') run(sa.checkLiveness(now));
    else if (c.cmd === 'delete') run(sa.delete(now));
    else if (c.cmd === 'ping') {
      for (let seq = 1; seq <= c.count; seq++) {
        pingsSent.set(seq, Date.now());
        sendInner(buildIcmpEcho({ src: cfg.inner.local, dst: cfg.inner.remote, type: ICMP_ECHO_REQUEST, id: c.id, seq, data: Buffer.alloc(32, seq) }));
      }
    } else if (c.cmd === 'exit') {
      transport.close();
      process.exit(0);
    }
  });
  print({ ready: ports });
}

void main().catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`);
  process.exit(1);
});

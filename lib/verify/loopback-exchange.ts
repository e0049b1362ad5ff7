/**
 * The loopback stage's traffic: one ESP suite exercised end to end with the project's ESP engine, over the
 * SA pair (`sa-pair.ts`: random test keys unless the caller brings keys) and the loopback transport
 * (`loopback-transport.ts`).
 *
 * Traffic: a NAT-keepalive and a non-ESP-marker datagram each way; ICMP echo requests from 64 bytes up to
 * the MTU, answered by the AWS side; UDP both ways at the same sizes; a bounded burst each way for
 * throughput; then one replayed and one bit-flipped packet each way, which the receiver must drop as
 * `replay` and `authentication-failed`.
 */
import { EspSuite, natKeepalive, NON_ESP_MARKER, PcapWriter } from '../esp';
import { echoReply, echoRequest, isEchoReplyTo, MIN_PACKET, udpPacket } from './inner-packets';
import { LoopbackSide, MutableStats, openLoopbackPair, Progress } from './loopback-transport';
import type { DirectionStats, ExchangeResult } from './report';
import { buildSaPair, ChildSaKeys, randomTestKeys } from './sa-pair';

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
  /** The CHILD_SA keys. @default fresh random test keys ({@link randomTestKeys}) */
  readonly keys?: ChildSaKeys;
}

/** Replay and tamper injections per direction: the drops the receiver must report. */
export const INJECTED_DROPS = { replay: 1, 'authentication-failed': 1 } as const;

/** Datagrams in flight per direction: well inside the default 208 KiB socket receive buffer (about 3 KiB each). */
const BATCH = 32;

/** Packet sizes from 64 bytes up to the MTU, the MTU itself included. */
export function exchangeSizes(mtu: number): number[] {
  return [...new Set([MIN_PACKET, 128, 256, 512, 1024, 1280, mtu].filter((s) => s <= mtu))].sort((a, b) => a - b);
}

/** Runs the exchange; always closes both sockets. */
export async function runLoopbackExchange(options: ExchangeOptions): Promise<ExchangeResult> {
  const { suite, mtu } = options;
  const burst = options.burstPackets ?? 256;
  const progress = new Progress(Date.now() + (options.timeoutMs ?? 10000));
  const sas = buildSaPair(suite, options.keys ?? randomTestKeys(suite), { onPrem: options.onPrem.replayWindow, aws: options.aws.replayWindow });
  const pair = await openLoopbackPair(sas, { onPrem: options.onPrem.outside, aws: options.aws.outside }, options.pcap, progress.notify);
  try {
    const { onPrem, aws } = pair;
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
    const settled = (side: LoopbackSide) => side.stats.delivered + side.stats.corrupted + Object.values(side.stats.dropped).reduce((x, y) => x + y, 0) >= side.stats.sent;
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
    pair.close();
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

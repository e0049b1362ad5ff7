/**
 * The engine standing in for a killed charon: a standalone program (bundled by engine-peer-runner.ts and run
 * with `ip netns exec NS node ...`) that speaks ESP-in-UDP on port 4500 with the dead daemon's SAs.
 * It answers the peer's ICMP echo requests through the tunnel, sends its own and collects the replies.
 *
 * argv[2]: a JSON EnginePeerConfig file (keys stay in the temp dir). stdout: `ready` once bound, then one
 * JSON EnginePeerReport line. Nothing secret is printed.
 */
import { createSocket, RemoteInfo } from 'dgram';
import { readFileSync } from 'fs';
import { classifyUdpEncap, EspSa, EspSuite, SaDatabase } from '../../../lib/esp';
import { buildIcmpEcho, echoReplyFor, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, parseIcmpEcho } from '../../../lib/verify/live/icmp';

export interface WireSa {
  spi: number;
  suite: EspSuite;
  encryptionKey: string;
  integrityKey?: string;
}

export interface EnginePeerConfig {
  bind: { address: string; port: number };
  peer: { address: string; port: number };
  /** Peer -> engine. */
  inbound: WireSa;
  /** Engine -> peer. */
  outbound: WireSa;
  /** Tunnel-mode inner addresses: ours (answers echo requests) and the peer's (target of our pings). */
  inner: { local: string; remote: string };
  ping: { count: number; id: number; intervalMs: number };
  /** Stop once this many of the peer's echo requests were answered (and all our pings came back)... */
  expectRequests: number;
  /** ... and this many non-ESP datagrams (IKE with the non-ESP marker, keepalives) were seen and skipped. */
  expectNotEsp: number;
  timeoutMs: number;
}

export interface EnginePeerReport {
  /** Sequence numbers of the peer's echo requests we answered. */
  answeredRequests: number[];
  /** Sequence numbers of the echo replies to our own pings (id and data checked). */
  repliesReceived: number[];
  /** Why inbound ESP was dropped, counted. */
  drops: Record<string, number>;
  /** Datagrams on 4500 that were not ESP (IKE with the non-ESP marker, keepalives). */
  notEsp: number;
  /** Decrypted packets that were neither (unexpected traffic through the tunnel). */
  otherInner: number;
  sendErrors: string[];
  timedOut: boolean;
}

function saFrom(w: WireSa, local: string, remote: string): EspSa {
  return new EspSa({
    spi: w.spi,
    suite: w.suite,
    encryptionKey: Buffer.from(w.encryptionKey, 'hex'),
    integrityKey: w.integrityKey ? Buffer.from(w.integrityKey, 'hex') : undefined,
    mode: 'tunnel',
    outer: { src: local, dst: remote },
    natT: true,
  });
}

function pingData(id: number, seq: number): Buffer {
  return Buffer.from(`engine-ping id=${id} seq=${seq} `.padEnd(48, '.'));
}

function main(): void {
  const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8')) as EnginePeerConfig;
  // Inbound goes through the SPI lookup, as a real gateway's would.
  const inbound = new SaDatabase();
  inbound.add(saFrom(cfg.inbound, cfg.peer.address, cfg.bind.address));
  const outbound = saFrom(cfg.outbound, cfg.bind.address, cfg.peer.address);
  const report: EnginePeerReport = { answeredRequests: [], repliesReceived: [], drops: {}, notEsp: 0, otherInner: 0, sendErrors: [], timedOut: false };
  const socket = createSocket('udp4');
  const timers: NodeJS.Timeout[] = [];

  let inFlight = 0;
  let finishing = false;
  // Close only once every send has completed: the last echo reply must not die in the socket.
  const closeWhenFlushed = (): void => {
    if (!finishing || inFlight > 0) return;
    finishing = false;
    socket.close();
    process.stdout.write(JSON.stringify(report) + '\n');
  };
  const finish = (): void => {
    timers.forEach(clearTimeout);
    finishing = true;
    closeWhenFlushed();
  };
  const maybeDone = (): void => {
    const done =
      report.repliesReceived.length >= cfg.ping.count && report.answeredRequests.length >= cfg.expectRequests && report.notEsp >= cfg.expectNotEsp;
    if (done) finish();
  };
  const sendInner = (inner: Buffer): void => {
    const r = outbound.encapsulatePayload(inner);
    if (!r.ok) {
      report.sendErrors.push(`${r.reason}: ${r.detail}`);
      return;
    }
    inFlight++;
    socket.send(r.packet, cfg.peer.port, cfg.peer.address, (err) => {
      inFlight--;
      if (err) report.sendErrors.push(err.message);
      closeWhenFlushed();
    });
  };

  socket.on('message', (msg: Buffer, from: RemoteInfo) => {
    if (from.address !== cfg.peer.address) return;
    if (classifyUdpEncap(msg) !== 'esp') {
      report.notEsp++;
      maybeDone();
      return;
    }
    const d = inbound.decapsulatePayload(msg);
    if (!d.ok) {
      report.drops[d.reason] = (report.drops[d.reason] ?? 0) + 1;
      return;
    }
    const echo = parseIcmpEcho(d.packet);
    if (echo?.type === ICMP_ECHO_REQUEST && echo.dst === cfg.inner.local && echo.src === cfg.inner.remote) {
      sendInner(echoReplyFor(echo));
      report.answeredRequests.push(echo.seq);
    } else if (echo?.type === ICMP_ECHO_REPLY && echo.id === cfg.ping.id && echo.data.equals(pingData(echo.id, echo.seq))) {
      if (!report.repliesReceived.includes(echo.seq)) report.repliesReceived.push(echo.seq);
    } else {
      report.otherInner++;
    }
    maybeDone();
  });

  socket.bind(cfg.bind.port, cfg.bind.address, () => {
    process.stdout.write('ready\n');
    for (let seq = 1; seq <= cfg.ping.count; seq++) {
      timers.push(
        setTimeout(() => {
          const data = pingData(cfg.ping.id, seq);
          sendInner(buildIcmpEcho({ src: cfg.inner.local, dst: cfg.inner.remote, type: ICMP_ECHO_REQUEST, id: cfg.ping.id, seq, data }));
        }, (seq - 1) * cfg.ping.intervalMs),
      );
    }
    timers.push(
      setTimeout(() => {
        report.timedOut = true;
        finish();
      }, cfg.timeoutMs),
    );
  });
}

if (require.main === module) main();

/** Stage 2: the loopback ESP exchange, as counters and as a capture. */
import { parsePcap, parseIpHeader, PcapWriter } from '../../lib/esp';
import { exchangeProblems, exchangeSizes, runLoopbackExchange, verifyConfig } from '../../lib/verify';
import { echoReply, echoRequest, isEchoReplyTo } from '../../lib/verify/inner-packets';
import { convertedConfig, describeOf, tempDir, writeAllFormats } from './helpers';

const endpoints = {
  onPrem: { outside: '198.51.100.10', inside: '169.254.10.2', replayWindow: 64 },
  aws: { outside: '192.0.2.101', inside: '169.254.10.1', replayWindow: 1024 },
};

test.each(['aes256gcm16', 'aes128-sha1'] as const)('%s: delivered = sent - injected drops, both directions, drops by reason', async (suite) => {
  const pcap = new PcapWriter();
  const r = await runLoopbackExchange({ suite, mtu: 1400, burstPackets: 64, ...endpoints, pcap });
  for (const d of [r.onPremToAws, r.awsToOnPrem]) {
    expect(d.delivered).toBe(d.sent - 2);
    expect(d.dropped).toEqual({ replay: 1, 'authentication-failed': 1 });
    expect(d.lost).toBe(0);
    expect(d.corrupted).toBe(0);
  }
  expect(r.echo).toEqual({ requests: exchangeSizes(1400).length, replies: exchangeSizes(1400).length });
  expect(r.natT).toEqual({ keepalivesSent: 2, keepalivesRecognised: 2, nonEspSent: 2, nonEspRecognised: 2 });
  expect(exchangeProblems(r)).toEqual([]);
  // The capture holds every datagram sent, framed with the tunnel's outside addresses (never sent to them).
  const records = parsePcap(pcap.toBuffer()).records;
  expect(records).toHaveLength(r.onPremToAws.sent + r.awsToOnPrem.sent + 4);
  const outer = records.map((rec) => parseIpHeader(rec.data));
  expect(new Set(outer.map((h) => `${h?.src}>${h?.dst}`))).toEqual(new Set(['198.51.100.10>192.0.2.101', '192.0.2.101>198.51.100.10']));
});

test('sizes run from 64 bytes to the MTU', () => {
  expect(exchangeSizes(1438)).toEqual([64, 128, 256, 512, 1024, 1280, 1438]);
  expect(exchangeSizes(100)).toEqual([64, 100]);
});

test('echo replies: swapped addresses, same identifier, sequence and data; IPv6 too', () => {
  for (const [a, b] of [
    ['169.254.10.2', '169.254.10.1'],
    ['fd00::2', 'fd00::1'],
  ]) {
    const request = echoRequest(a, b, 200, 7);
    expect(request).toHaveLength(200);
    const reply = echoReply(request) as Buffer;
    expect(parseIpHeader(reply)).toMatchObject({ src: b, dst: a });
    expect(isEchoReplyTo(reply, request)).toBe(true);
    const flipped = Buffer.from(request);
    flipped[flipped.length - 1] ^= 1;
    expect(echoReply(flipped)).toBeUndefined(); // bad checksum
  }
});

test('verify runs one exchange per agreed suite, and the counters land in the report', async () => {
  const files = writeAllFormats(convertedConfig('vgw-bgp-multi-algorithm'), tempDir());
  const report = await verifyConfig({ configPath: files.swanctl, describe: describeOf('vgw-bgp-multi-algorithm'), tunnel: 1, burstPackets: 32 });
  expect(report.tunnels).toHaveLength(1);
  expect(report.tunnels[0].exchanges.map((e) => e.suite).sort()).toEqual(['aes128gcm16', 'aes256gcm16']);
  const dynamic = report.tunnels[0].checks.filter((c) => c.stage === 'dynamic');
  expect(dynamic.map((c) => [c.id, c.status])).toEqual([
    ['esp-exchange-aes256gcm16', 'pass'],
    ['esp-exchange-aes128gcm16', 'pass'],
  ]);
  expect(report.summary.ok).toBe(true);
});

/**
 * strongSwan interop: two charon daemons (user-space ESP via libipsec, always ESP-in-UDP on 4500) bring up a
 * tunnel; then the responder is SIGKILLed and the engine takes its place with the keys charon logged. Pings
 * must cross the tunnel both ways: the initiator's kernel pings the engine (charon encrypts, the engine
 * decapsulates, answers, encapsulates; charon decrypts), and the engine pings the initiator's kernel.
 */
import { mkdirSync } from 'fs';
import { join } from 'path';
import { EspSuite, suiteInfo } from '../../lib/esp';
import { run } from './harness/exec';
import { stopCharon, swanctl } from './harness/charon';
import { childSaOf, CHILD_NAME, startSwanPair, stopSwanPair, SwanPair } from './harness/swan-pair';
import { bundleEnginePeer, startEnginePeer } from './harness/engine-peer-runner';
import { describeWithTools } from './harness/tools';
import { keepOnFailure, TempDir } from './harness/tempdir';

/**
 * ESP suites libipsec negotiates here, each with an IKE proposal (ECP groups: quicker than MODP on 2 cores).
 * Not aes128gmac/aes256gmac: charon agrees on them, then libipsec fails with "unsupported AEAD algorithm
 * NULL_AES_GMAC" and the CHILD_SA is never installed.
 */
const SWAN_SUITES: readonly { esp: EspSuite; ike: string }[] = [
  { esp: 'aes128-sha1', ike: 'aes128-sha1-modp2048' },
  { esp: 'aes256-sha256', ike: 'aes256-sha256-ecp256' },
  { esp: 'aes256-sha512', ike: 'aes256-sha384-ecp384' },
  { esp: 'aes128gcm16', ike: 'aes128-sha256-ecp256' },
  { esp: 'aes256gcm16', ike: 'aes256gcm16-prfsha384-ecp384' },
  { esp: 'chacha20poly1305', ike: 'aes128-sha256-ecp256' },
];

const PINGS = 3;

/** Packets counted on the `in` line of the CHILD_SA in `swanctl --list-sas`. */
function inboundPackets(listSas: string): number {
  const m = new RegExp(`${CHILD_NAME}: [\\s\\S]*?\\n\\s+in\\s+[0-9a-f]{8},\\s+\\d+ bytes,\\s+(\\d+) packets`).exec(listSas);
  if (!m) throw new Error(`no inbound counters in:\n${listSas}`);
  return Number(m[1]);
}

/** Kill the responder charon, run the engine with its SAs in its namespace, ping both ways, check everything. */
async function replaceResponderWithEngine(pair: SwanPair, esp: EspSuite, dir: string, bundle: string): Promise<void> {
  const { a, b } = pair.net;
  // The responder's view of the CHILD_SA: it receives with initiator keys and sends with responder keys.
  const child = await childSaOf(pair.b);
  expect(child.listed.role).toBe('responder');
  expect(child.listed.mode).toBe('TUNNEL-in-UDP');
  const info = suiteInfo(esp);
  expect(child.keys.initiator.encryption.length).toBe(info.encryptionKeyLength);
  expect(child.keys.initiator.integrity.length).toBe(info.integrityKeyLength);

  // SIGKILL: no DELETE reaches the initiator, which keeps its SAs and keeps talking to the responder's :4500.
  await stopCharon(pair.b, { signal: 'SIGKILL', keepDir: true });
  const before = inboundPackets((await swanctl(pair.a, ['--list-sas'])).stdout);

  const hex = (k: Buffer): string => k.toString('hex');
  const peer = await startEnginePeer(
    bundle,
    b.ns,
    {
      bind: { address: b.outer, port: 4500 },
      peer: { address: a.outer, port: 4500 },
      inbound: { spi: child.listed.spiIn, suite: esp, encryptionKey: hex(child.keys.initiator.encryption), integrityKey: hex(child.keys.initiator.integrity) },
      outbound: { spi: child.listed.spiOut, suite: esp, encryptionKey: hex(child.keys.responder.encryption), integrityKey: hex(child.keys.responder.integrity) },
      inner: { local: b.inner, remote: a.inner },
      ping: { count: PINGS, id: 0x4950, intervalMs: 100 },
      expectRequests: PINGS,
      expectNotEsp: 1,
      timeoutMs: 8000,
    },
    join(dir, 'engine-peer.json'),
  );
  const ping = await run('ip', ['netns', 'exec', a.ns, 'ping', '-n', '-c', String(PINGS), '-i', '0.2', '-W', '2', '-I', a.inner, b.inner], { timeoutMs: 10_000 });
  // An IKE request (CREATE_CHILD_SA, behind the non-ESP marker on 4500) must be told apart from ESP and skipped.
  const rekey = await swanctl(pair.a, ['--rekey', '--child', CHILD_NAME]);
  expect(rekey.exitCode).toBe(0);
  const report = await peer.report;

  // charon -> engine -> charon: the initiator's kernel got an echo reply, built by the engine, for every request.
  expect(ping.stdout).toContain(`${PINGS} packets transmitted, ${PINGS} received`);
  expect(ping.exitCode).toBe(0);
  expect([...report.answeredRequests].sort()).toEqual([1, 2, 3]);
  // engine -> charon -> engine: the initiator's kernel answered every echo request the engine sent.
  expect([...report.repliesReceived].sort()).toEqual([1, 2, 3]);
  expect(report.notEsp).toBeGreaterThanOrEqual(1);
  expect(report.drops).toEqual({});
  expect(report.otherInner).toBe(0);
  expect(report.sendErrors).toEqual([]);
  expect(report.timedOut).toBe(false);
  // And charon really decrypted them: 3 echo replies + 3 echo requests from the engine.
  const after = inboundPackets((await swanctl(pair.a, ['--list-sas'])).stdout);
  expect(after - before).toBe(2 * PINGS);
}

describeWithTools('strongSwan interop: the engine replaces a charon', ['root', 'ip', 'charon', 'swanctl', 'ping', 'esbuild'], () => {
  let tmp: TempDir;
  let bundle: string;
  const running = new Set<SwanPair>();

  beforeAll(() => {
    tmp = new TempDir('ipx-strongswan');
    bundle = bundleEnginePeer(tmp.path);
  });

  afterAll(async () => {
    for (const p of running) await stopSwanPair(p);
    tmp?.cleanup();
  });

  test.each(SWAN_SUITES)('$esp: pings cross the tunnel both ways between charon and the engine', ({ esp, ike }) =>
    keepOnFailure(tmp, async () => {
      const dir = join(tmp.path, esp);
      mkdirSync(dir);
      const pair = await startSwanPair({ ikeProposal: ike, espProposal: esp, dir });
      running.add(pair);
      try {
        await replaceResponderWithEngine(pair, esp, dir, bundle);
      } finally {
        await stopSwanPair(pair);
        running.delete(pair);
      }
    }),
  );
});

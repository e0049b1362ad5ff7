/**
 * ESP engine throughput against the bare node:crypto loop, single core.
 *
 *   npm run bench                 full run (table)
 *   npm run bench -- --json       one JSON object per line
 *   npm run bench -- --quick      short rounds, for a smoke run
 *   npm run bench -- --suite aes128gcm16 --bytes 1400 --op decap   one focused case (for --cpu-prof)
 *
 * Each case times the engine and the baseline in alternating wall-clock rounds and reports the median of each,
 * so load from other processes hits both alike (run it on a quiet machine; `uptime` is printed with the table).
 * Wall clock, not process CPU time: CPU time is accounted in scheduler ticks (too coarse for short rounds) and
 * adds V8's GC helper threads, which skews whichever side allocates more. The baseline is what a packet costs in node:crypto alone:
 * one cipher object and update/final (+ one HMAC) over a buffer already padded and laid out.
 */
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import { loadavg } from 'node:os';
import { TUNNEL_MAX_GBPS, TUNNEL_MAX_PACKETS_PER_SECOND } from '../lib/aws-rules';
import { buildIpPacket, EspSa, EspSuite, SaConfig, suiteInfo, SuiteInfo } from '../lib/esp';
import { espSaTestHooks } from '../lib/esp/esp-sa';

type Op = 'encap' | 'decap';

interface Options {
  json: boolean;
  roundMs: number;
  rounds: number;
  suites: EspSuite[];
  sizes: number[];
  ops: Op[];
  engineOnly: boolean;
}

const AWS_SUITES: EspSuite[] = ['aes128-sha1', 'aes256-sha1', 'aes128-sha256', 'aes256-sha256', 'aes128-sha384', 'aes256-sha512', 'aes128gcm16', 'aes256gcm16'];
const SIZES = [64, 512, 1400];
const POOL = 2048; // packets prepared per decap case; the receiver's window restarts when it wraps

function parseArgs(argv: string[]): Options {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  return {
    json: argv.includes('--json'),
    roundMs: Number(value('--round-ms') ?? (quick ? 30 : 100)),
    rounds: Number(value('--rounds') ?? (quick ? 5 : 11)),
    suites: value('--suite') ? [value('--suite') as EspSuite] : AWS_SUITES,
    sizes: value('--bytes') ? [Number(value('--bytes'))] : SIZES,
    ops: value('--op') ? [value('--op') as Op] : ['encap', 'decap'],
    engineOnly: argv.includes('--engine-only'),
  };
}

/** Calls `step` as often as it can for `ms` milliseconds of wall-clock time; returns operations per second. */
function rate(step: () => void, ms: number): number {
  const budget = BigInt(ms) * 1_000_000n;
  const start = process.hrtime.bigint();
  let count = 0;
  let elapsed = 0n;
  do {
    for (let i = 0; i < 64; i++) step();
    count += 64;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < budget);
  return (count * 1e9) / Number(elapsed);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function configFor(suite: EspSuite): SaConfig {
  const info = suiteInfo(suite);
  return {
    spi: 0x1000,
    suite,
    mode: 'tunnel',
    outer: { src: '198.51.100.1', dst: '203.0.113.1' },
    replayWindow: 1024, // AWS's default
    encryptionKey: randomBytes(info.encryptionKeyLength),
    integrityKey: info.integrityKeyLength ? randomBytes(info.integrityKeyLength) : undefined,
  };
}

function innerPacket(bytes: number): Buffer {
  return buildIpPacket({ src: '10.0.0.1', dst: '10.0.1.1', protocol: 17, payload: randomBytes(bytes - 20) });
}

/** The bare crypto for one packet in each direction, with everything precomputed that can be. */
function baseline(info: SuiteInfo, config: SaConfig, inner: Buffer, packets: Buffer[]): Record<Op, () => void> {
  const padded = Math.ceil((inner.length + 2) / info.blockSize) * info.blockSize;
  const plaintext = Buffer.concat([inner, Buffer.alloc(padded - inner.length)]);
  const header = randomBytes(8 + info.ivLength); // SPI, sequence, IV
  let next = 0;
  if (info.kind === 'cbc-hmac') {
    const key: KeyObject = createSecretKey(config.encryptionKey);
    const macKey: KeyObject = createSecretKey(config.integrityKey as Buffer);
    const iv = header.subarray(8);
    const hash = info.hash as string;
    return {
      encap: () => {
        const ct = createCipheriv(info.cipher, key, iv).setAutoPadding(false).update(plaintext);
        createHmac(hash, macKey).update(header).update(ct).digest();
      },
      decap: () => {
        const packet = packets[next++ % packets.length];
        const icvAt = packet.length - info.icvLength;
        const esp = packet.subarray(20); // after the outer IPv4 header
        const mac = createHmac(hash, macKey).update(esp.subarray(0, esp.length - info.icvLength)).digest();
        timingSafeEqual(mac.subarray(0, info.icvLength), packet.subarray(icvAt));
        createDecipheriv(info.cipher, key, esp.subarray(8, 24)).setAutoPadding(false).update(esp.subarray(24, esp.length - info.icvLength));
      },
    };
  }
  const keyLength = config.encryptionKey.length - 4;
  const key = createSecretKey(config.encryptionKey.subarray(0, keyLength));
  const nonce = Buffer.concat([config.encryptionKey.subarray(keyLength), header.subarray(8, 16)]);
  const aad = header.subarray(0, 8);
  return {
    encap: () => {
      const cipher = createCipheriv(info.cipher as 'aes-128-gcm', key, nonce, { authTagLength: 16 });
      cipher.setAAD(aad);
      cipher.update(plaintext);
      cipher.final();
      cipher.getAuthTag();
    },
    decap: () => {
      const esp = packets[next++ % packets.length].subarray(20);
      const decipher = createDecipheriv(info.cipher as 'aes-128-gcm', key, Buffer.concat([nonce.subarray(0, 4), esp.subarray(8, 16)]), { authTagLength: 16 });
      decipher.setAAD(esp.subarray(0, 8));
      decipher.setAuthTag(esp.subarray(esp.length - 16));
      decipher.update(esp.subarray(16, esp.length - 16));
      decipher.final();
    },
  };
}

function engine(config: SaConfig, inner: Buffer, packets: Buffer[]): Record<Op, () => void> {
  const sender = new EspSa(config);
  let receiver = new EspSa(config);
  let next = 0;
  return {
    encap: () => {
      const result = sender.encapsulate(inner);
      if (!result.ok) throw new Error(result.detail);
    },
    decap: () => {
      if (next === packets.length) {
        next = 0;
        espSaTestHooks(receiver).setReplayTop(0n);
      }
      const result = receiver.decapsulate(packets[next++]);
      if (!result.ok) {
        receiver = new EspSa(config);
        throw new Error(`${result.reason}: ${result.detail}`);
      }
    },
  };
}

interface Row {
  case: string;
  suite: EspSuite;
  bytes: number;
  op: Op;
  pps: number;
  gbps: number;
  baselinePps: number;
  overheadPct: number;
}

function measure(suite: EspSuite, bytes: number, op: Op, options: Options): Row {
  const info = suiteInfo(suite);
  const config = configFor(suite);
  const inner = innerPacket(bytes);
  const sender = new EspSa(config);
  const packets = Array.from({ length: POOL }, () => {
    const r = sender.encapsulate(inner);
    if (!r.ok) throw new Error(r.detail);
    return r.packet;
  });
  const ours = engine(config, inner, packets)[op];
  const bare = baseline(info, config, inner, packets)[op];
  rate(ours, 200); // warm up both: let V8 optimise the per-packet paths before anything counts
  if (!options.engineOnly) rate(bare, 200);
  const engineRates: number[] = [];
  const baselineRates: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    // Many short rounds, alternating which goes first; the overhead is the median of the per-round
    // ratios, so a burst of load from other processes spoils one pair, not the result.
    let engineRate: number;
    let baselineRate = NaN;
    if (round % 2 === 0) {
      engineRate = rate(ours, options.roundMs);
      if (!options.engineOnly) baselineRate = rate(bare, options.roundMs);
    } else {
      if (!options.engineOnly) baselineRate = rate(bare, options.roundMs);
      engineRate = rate(ours, options.roundMs);
    }
    engineRates.push(engineRate);
    baselineRates.push(baselineRate);
    ratios.push(baselineRate / engineRate);
  }
  const pps = median(engineRates);
  const baselinePps = options.engineOnly ? NaN : median(baselineRates);
  const overhead = options.engineOnly ? NaN : median(ratios) - 1;
  return {
    case: `${suite}/${bytes}/${op}`,
    suite,
    bytes,
    op,
    pps: Math.round(pps),
    gbps: Number(((pps * bytes * 8) / 1e9).toFixed(3)),
    baselinePps: Math.round(baselinePps),
    overheadPct: Number((overhead * 100).toFixed(1)),
  };
}

function printTable(rows: Row[]): void {
  const head = ['suite', 'bytes', 'op', 'engine pps', 'Gbps', 'bare crypto pps', 'overhead', 'of AWS 140k pps'];
  const lines = rows.map((r) => [
    r.suite,
    String(r.bytes),
    r.op,
    r.pps.toLocaleString('en-US'),
    r.gbps.toFixed(3),
    Number.isNaN(r.baselinePps) ? '-' : r.baselinePps.toLocaleString('en-US'),
    Number.isNaN(r.overheadPct) ? '-' : `${r.overheadPct.toFixed(1)}%`,
    `${((r.pps / TUNNEL_MAX_PACKETS_PER_SECOND) * 100).toFixed(0)}%`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(format(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(format(line));
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  if (!options.json) {
    console.log(`ESP engine vs bare node:crypto, one core, node ${process.version}; medians of ${options.rounds} alternating rounds of ${options.roundMs} ms wall clock; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`AWS per-tunnel ceiling: ${TUNNEL_MAX_PACKETS_PER_SECOND.toLocaleString('en-US')} packets/s, ${TUNNEL_MAX_GBPS} Gbps (lib/aws-rules.ts)`);
    console.log('overhead = median over rounds of (bare crypto pps / engine pps) - 1, the cost beyond the crypto alone; Gbps counts inner bytes\n');
  }
  const rows: Row[] = [];
  for (const suite of options.suites) {
    for (const bytes of options.sizes) {
      for (const op of options.ops) {
        const row = measure(suite, bytes, op, options);
        rows.push(row);
        if (options.json) console.log(JSON.stringify(row));
      }
    }
  }
  if (!options.json) {
    printTable(rows);
    console.log(`\n${rows.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

main();

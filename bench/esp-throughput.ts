/**
 * ESP engine throughput against the bare node:crypto loop, single core.
 *
 *   npm run bench                 full run (table)
 *   npm run bench -- --json       one JSON object per line
 *   npm run bench -- --quick      short rounds, for a smoke run
 *   npm run bench -- --suite aes128gcm16 --bytes 1400 --op decap   one focused case (for --cpu-prof)
 *
 * Each case runs in a fresh process of its own and times the engine and the baseline in alternating
 * wall-clock rounds, reporting the median of each, so load from other processes hits both alike (run it on
 * a quiet machine; `uptime` is printed with the table). Wall clock, not process CPU time: CPU time is
 * accounted in scheduler ticks (too coarse for short rounds) and adds V8's GC helper threads, which skews
 * whichever side allocates more. The baseline is what a packet costs in node:crypto alone: one cipher object
 * and update/final (+ one HMAC) over a buffer already padded and laid out. (The engine's CBC suites reuse one
 * cipher object per SA, see ChainedCbc, so they can beat it.)
 *
 * Encap cases also time a second reference, "bare+packet": the same crypto producing a fresh packet the way
 * the engine must (a slab slice, the plaintext copied in, since node:crypto cannot encrypt in place, and the
 * ciphertext and ICV copied back). It shows the floor for AES-GCM; the headline overhead stays against the
 * bare loop.
 */
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { TUNNEL_MAX_GBPS, TUNNEL_MAX_PACKETS_PER_SECOND } from '../lib/aws-rules';
import { buildIpPacket, EspSa, EspSuite, SaConfig, suiteInfo, SuiteInfo } from '../lib/esp';
import { espSaTestHooks } from '../lib/esp/esp-sa';
import { allocPacket } from '../lib/esp/packet-buffer';

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

/** The bare crypto of one encap plus producing the packet: outer IPv4 + ESP header + IV + ciphertext + ICV. */
function barePacket(info: SuiteInfo, config: SaConfig, inner: Buffer): () => void {
  const padded = Math.ceil((inner.length + 2) / info.blockSize) * info.blockSize;
  const plaintext = Buffer.concat([inner, Buffer.alloc(padded - inner.length)]);
  const start = 20 + 8 + info.ivLength;
  const end = start + padded;
  const header = randomBytes(8 + info.ivLength);
  if (info.kind === 'cbc-hmac') {
    const key = createSecretKey(config.encryptionKey);
    const macKey = createSecretKey(config.integrityKey as Buffer);
    const iv = header.subarray(8);
    return () => {
      const out = allocPacket(end + info.icvLength);
      out.set(plaintext, start);
      out.set(createCipheriv(info.cipher, key, iv).setAutoPadding(false).update(out.subarray(start, end)), start);
      createHmac(info.hash as string, macKey).update(out.subarray(20, end)).digest().copy(out, end, 0, info.icvLength);
    };
  }
  const keyLength = config.encryptionKey.length - 4;
  const key = createSecretKey(config.encryptionKey.subarray(0, keyLength));
  const nonce = Buffer.concat([config.encryptionKey.subarray(keyLength), header.subarray(8, 16)]);
  const aad = header.subarray(0, 8);
  return () => {
    const out = allocPacket(end + 16);
    out.set(plaintext, start);
    const cipher = createCipheriv(info.cipher as 'aes-128-gcm', key, nonce, { authTagLength: 16 });
    cipher.setAAD(aad);
    out.set(cipher.update(out.subarray(start, end)), start);
    cipher.final();
    out.set(cipher.getAuthTag(), end);
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
  /** Encap only: the bare crypto that also produces a packet (see the file comment); NaN otherwise. */
  barePacketPps: number;
  /** What producing the packet alone adds to the bare loop: the floor for the engine's overhead. */
  packetFloorPct: number;
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
  const steps = [engine(config, inner, packets)[op]];
  if (!options.engineOnly) steps.push(baseline(info, config, inner, packets)[op]);
  if (!options.engineOnly && op === 'encap') steps.push(barePacket(info, config, inner));
  for (const step of steps) rate(step, 200); // warm up: let V8 optimise the per-packet paths before anything counts
  const rates: number[][] = steps.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    // Many short rounds, alternating which goes first; overheads are medians of per-round ratios, so a
    // burst of load from other processes spoils one round, not the result.
    const order = round % 2 === 0 ? steps.map((_, i) => i) : steps.map((_, i) => steps.length - 1 - i);
    for (const i of order) rates[i].push(rate(steps[i], options.roundMs));
  }
  const [engineRates, baselineRates = [], packetRates = []] = rates;
  const pps = median(engineRates);
  const ratioOver = (a: number[], b: number[]) => (a.length && b.length ? median(a.map((v, i) => v / b[i])) - 1 : NaN);
  return {
    case: `${suite}/${bytes}/${op}`,
    suite,
    bytes,
    op,
    pps: Math.round(pps),
    gbps: Number(((pps * bytes * 8) / 1e9).toFixed(3)),
    baselinePps: baselineRates.length ? Math.round(median(baselineRates)) : NaN,
    overheadPct: Number((ratioOver(baselineRates, engineRates) * 100).toFixed(1)),
    barePacketPps: packetRates.length ? Math.round(median(packetRates)) : NaN,
    packetFloorPct: Number((ratioOver(baselineRates, packetRates) * 100).toFixed(1)),
  };
}

function printTable(rows: Row[]): void {
  const head = ['suite', 'bytes', 'op', 'engine pps', 'Gbps', 'bare crypto pps', 'overhead', 'bare+packet pps', 'packet floor', 'of AWS 140k pps'];
  const count = (n: number) => (Number.isNaN(n) ? '-' : n.toLocaleString('en-US'));
  const percent = (n: number) => (Number.isNaN(n) ? '-' : `${n.toFixed(1)}%`);
  const lines = rows.map((r) => [
    r.suite,
    String(r.bytes),
    r.op,
    r.pps.toLocaleString('en-US'),
    r.gbps.toFixed(3),
    count(r.baselinePps),
    percent(r.overheadPct),
    count(r.barePacketPps),
    percent(r.packetFloorPct),
    `${((r.pps / TUNNEL_MAX_PACKETS_PER_SECOND) * 100).toFixed(0)}%`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(format(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(format(line));
}

/**
 * Runs one case in a fresh process (this script, compiled, with that case alone). Cases sharing a process
 * disturb each other, and a child under ts-node carries the TypeScript compiler's heap: both change how V8
 * sizes its young generation and so what a fresh packet costs, by tens of percent. A single case runs
 * in-process, so `node --cpu-prof` profiles it.
 */
function measureInChild(suite: EspSuite, bytes: number, op: Op): Row {
  const caseFlags = ['--suite', '--bytes', '--op', '--json'];
  const flags = process.argv.slice(2).filter((arg, i, all) => !caseFlags.includes(arg) && !['--suite', '--bytes', '--op'].includes(all[i - 1]));
  const child = spawnSync(process.execPath, [compiledSelf(), ...flags, '--json', '--suite', suite, '--bytes', String(bytes), '--op', op], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`${suite}/${bytes}/${op} failed: ${child.stderr}`);
  // JSON wrote NaN as null
  return JSON.parse(child.stdout.trim().split('\n').pop() as string, (_key, value) => (value === null ? NaN : value)) as Row;
}

let compiled: string | undefined;

/** This script as one plain JavaScript file (bundled once per run when it runs under ts-node). */
function compiledSelf(): string {
  if (!__filename.endsWith('.ts')) return __filename;
  if (compiled === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'esp-bench-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    compiled = join(dir, 'bench.js');
    // Loaded here, and left out of the bundle: only this parent process ever compiles anything.
    const { buildSync } = require('esbuild') as typeof import('esbuild');
    buildSync({ entryPoints: [__filename], bundle: true, platform: 'node', outfile: compiled, external: ['esbuild'], logLevel: 'warning' });
  }
  return compiled;
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  if (!options.json) {
    console.log(`ESP engine vs bare node:crypto, one core, node ${process.version}; medians of ${options.rounds} alternating rounds of ${options.roundMs} ms wall clock; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`AWS per-tunnel ceiling: ${TUNNEL_MAX_PACKETS_PER_SECOND.toLocaleString('en-US')} packets/s, ${TUNNEL_MAX_GBPS} Gbps (lib/aws-rules.ts)`);
    console.log('overhead = median over rounds of (bare crypto pps / engine pps) - 1, the cost beyond the crypto alone; Gbps counts inner bytes');
    console.log('packet floor = the same for bare+packet (encap only): what producing a fresh packet adds to the bare crypto\n');
  }
  const rows: Row[] = [];
  const cases = options.suites.length * options.sizes.length * options.ops.length;
  for (const suite of options.suites) {
    for (const bytes of options.sizes) {
      for (const op of options.ops) {
        const row = cases === 1 ? measure(suite, bytes, op, options) : measureInChild(suite, bytes, op);
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

/**
 * IKEv2 handshake time (IKE_SA_INIT + IKE_AUTH until the CHILD_SA is up on both sides), per DH group:
 * ours, two of our IKE SAs back to back in one process (both sides' work on one core, no network), against
 * strongSwan charon 5.9.8 initiating to charon in two network namespaces (two daemons, two cores,
 * veth), in the same run.
 *
 *   npx ts-node --transpile-only bench/ike-handshake.ts [--rounds N] [--json]
 *
 * charon's time is the wall time of `swanctl --initiate --child` (it returns once the CHILD_SA is
 * installed) minus the median wall time of a no-op vici call (`swanctl --stats`), which is the cost of
 * starting swanctl and talking to the daemon. Medians of N rounds. Needs root and strongSwan.
 *
 * ecp521 is the outlier, and not by our code: charon uses the system libcrypto, whose P-521 has OpenSSL's
 * 64-bit nistp521 arithmetic (`openssl speed ecdhp521` here: 0.33 ms a derive, faster than its P-384), while
 * node 20's bundled OpenSSL 3.0 runs generic P-521 code (keygen 2.3 ms, derive with peer validation 3.3 ms).
 * Our four P-521 operations per handshake are ~11.5 ms of ~12.7 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { swanctl } from '../test/interop/harness/charon';
import { startSwanPair, stopSwanPair, CHILD_NAME } from '../test/interop/harness/swan-pair';
import { Wire } from '../test/ike/wire';

const GROUPS = ['modp1024', 'modp2048', 'modp3072', 'modp4096', 'ecp256', 'ecp384', 'ecp521', 'curve25519'];

const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1]) || 15;
const json = args.includes('--json');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

function ours(group: string): number {
  const times: number[] = [];
  for (let r = 0; r < rounds + 2; r++) {
    const w = new Wire({ ike: [`aes128-sha256-${group}`], esp: ['aes128-sha256'] });
    const t0 = performance.now();
    w.handshake();
    const t = performance.now() - t0;
    if (w.eventsOf('i', 'child-up').length !== 1 || w.eventsOf('r', 'child-up').length !== 1) throw new Error(`our handshake failed for ${group}`);
    if (r >= 2) times.push(t); // two warm-up rounds (JIT)
  }
  return median(times);
}

async function charon(group: string, dir: string): Promise<{ ms: number; overheadMs: number }> {
  const pair = await startSwanPair({ ikeProposal: `aes128-sha256-${group}`, espProposal: 'aes128-sha256', dir });
  try {
    const net: number[] = [];
    const overhead: number[] = [];
    for (let r = 0; r < rounds; r++) {
      await swanctl(pair.a, ['--terminate', '--ike', 'pair', '--timeout', '5']);
      let t0 = performance.now();
      await swanctl(pair.a, ['--stats']);
      const o = performance.now() - t0;
      t0 = performance.now();
      const init = await swanctl(pair.a, ['--initiate', '--child', CHILD_NAME, '--timeout', '10']);
      const t = performance.now() - t0;
      if (init.exitCode !== 0) throw new Error(`charon handshake failed for ${group}: ${init.stdout}`);
      overhead.push(o);
      net.push(Math.max(0, t - o)); // paired with the overhead of the same moment
    }
    return { ms: median(net), overheadMs: median(overhead) };
  } finally {
    await stopSwanPair(pair);
  }
}

async function main(): Promise<void> {
  for (const group of GROUPS) ours(group); // warm-up: module loading and JIT for every group's code path
  const rows: { group: string; oursMs: number; charonMs: number; ratio: number; swanctlOverheadMs: number }[] = [];
  for (const group of GROUPS) {
    const dir = mkdtempSync(join(tmpdir(), 'ipx-ike-bench-'));
    try {
      const oursMs = ours(group);
      const c = await charon(group, dir);
      const row = { group, oursMs: +oursMs.toFixed(2), charonMs: +c.ms.toFixed(2), ratio: +(oursMs / c.ms).toFixed(2), swanctlOverheadMs: +c.overheadMs.toFixed(2) };
      rows.push(row);
      if (json) process.stdout.write(JSON.stringify(row) + '\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (!json) {
    process.stdout.write(`IKEv2 handshake to CHILD_SA up, median of ${rounds} rounds; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
    process.stdout.write('group         ours (ms)  charon->charon (ms)  ours/charon  (swanctl overhead subtracted, ms)\n');
    for (const r of rows) {
      process.stdout.write(`${r.group.padEnd(13)} ${String(r.oursMs).padStart(9)}  ${String(r.charonMs).padStart(19)}  ${String(r.ratio).padStart(11)}  ${r.swanctlOverheadMs}\n`);
    }
  }
}

void main().catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`);
  process.exit(1);
});

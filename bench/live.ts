/**
 * End-to-end wall time of the live commands (root and strongSwan needed):
 * - `verify --live` on the example (examples/hq.describe.json, both tunnels, rendered endpoint config),
 *   live stage only (no static-stage exchange), without and with the DPD check (which waits for AWS's
 *   DPD timeout, 30 s here, by design);
 * - `probe` of one tunnel, as the bundled CLI process in the customer gateway's namespace against charon
 *   set up as AWS (aes256gcm16-prfsha384-ecp384), node start-up included; next to it, the same bundle's
 *   `probe --help` in the same namespace (start-up and loading alone).
 *
 *   npm run bench:live [-- --runs N] [-- --json]
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDescribe } from '../bin/cli/verify';
import { endpointConfigFromDescribe, renderJson } from '../lib/endpoint';
import { missingLiveRequirements, verifyConfig } from '../lib/verify';
import { bundleCli, startAwsCharon, stopAwsCharon } from '../test/live/helpers';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const json = args.includes('--json');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timeVerify(config: string, describe: string, dpd: boolean): Promise<number> {
  const t0 = performance.now();
  const report = await verifyConfig({ configPath: config, describe: { connection: readDescribe(describe), file: describe }, dynamic: false, live: { psk: 'bench-live-key-0123456789abcdef', dpd } });
  const ms = performance.now() - t0;
  if (report.tunnels.some((t) => t.checks.some((c) => c.stage === 'live' && c.status === 'fail'))) throw new Error('verify --live failed during the bench');
  return ms;
}

async function main(): Promise<void> {
  const missing = missingLiveRequirements();
  if (missing.length > 0) throw new Error(`bench:live needs ${missing.join('; ')}`);
  const dir = mkdtempSync(join(tmpdir(), 's2s-bench-live-'));
  try {
    const describe = join(__dirname, '..', 'examples', 'hq.describe.json');
    const config = join(dir, 'endpoint.json');
    writeFileSync(config, renderJson(endpointConfigFromDescribe(readDescribe(describe))));
    const results: Record<string, number[]> = { 'verify --live, example, 2 tunnels, --no-dpd': [], 'verify --live, example, 2 tunnels, with DPD': [], 'probe, 1 tunnel, process': [], 'node start-up + CLI load (probe --help), same ns': [] };
    for (let i = 0; i < runs; i++) results['verify --live, example, 2 tunnels, --no-dpd'].push(await timeVerify(config, describe, false));
    results['verify --live, example, 2 tunnels, with DPD'].push(await timeVerify(config, describe, true));

    const cli = bundleCli(dir);
    const psk = join(dir, 'psk');
    writeFileSync(psk, 'bench-probe-key-0123456789abcdef\n', { mode: 0o600 });
    const probeConfig = join(dir, 'probe.json');
    const c = JSON.parse(renderJson(endpointConfigFromDescribe(readDescribe(describe))));
    Object.assign(c.tunnels[0].ike, { encryption: ['aes256gcm16'], integrity: ['sha384'], dhGroups: [20] });
    Object.assign(c.tunnels[0].esp, { encryption: ['aes256gcm16'], integrity: ['sha384'], pfsGroups: [20] });
    writeFileSync(probeConfig, JSON.stringify(c));
    for (let i = 0; i < runs; i++) {
      const aws = await startAwsCharon(join(dir, `aws-${i}`), { ike: 'aes256gcm16-prfsha384-ecp384', esp: 'aes256gcm16-ecp384', psk: 'bench-probe-key-0123456789abcdef' });
      try {
        const t0 = performance.now();
        const run = await cli(['probe', probeConfig, '--tunnel', '1', '--psk-file', psk, '--count', '3'], aws.net.onPremNs);
        results['probe, 1 tunnel, process'].push(performance.now() - t0);
        if (run.code !== 0) throw new Error(`probe failed during the bench: ${run.stderr}`);
        // What of that is node start-up and loading the CLI: the same bundle doing nothing (`probe --help`).
        const t1 = performance.now();
        await cli(['probe', '--help'], aws.net.onPremNs);
        results['node start-up + CLI load (probe --help), same ns'].push(performance.now() - t1);
      } finally {
        await stopAwsCharon(aws);
      }
    }
    if (json) for (const [name, xs] of Object.entries(results)) process.stdout.write(JSON.stringify({ name, runs: xs.length, medianMs: Math.round(median(xs)), allMs: xs.map(Math.round) }) + '\n');
    else {
      process.stdout.write(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${runs} run(s), median wall time\n`);
      for (const [name, xs] of Object.entries(results)) process.stdout.write(`  ${name.padEnd(50)} ${(median(xs) / 1000).toFixed(2).padStart(7)} s   (${xs.map((x) => (x / 1000).toFixed(2)).join(', ')})\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e: Error) => {
  process.stderr.write(`bench:live: ${e.message}\n`);
  process.exit(1);
});

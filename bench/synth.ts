/**
 * `cdk synth` of the example (examples/hq.json through bin/app.ts: the construct, its endpoint-config resource,
 * alarms, cdk-nag's checks) against a bare aws-cdk-lib app with the same VPN (bench/bare-vpn-app.ts), measured
 * side by side in the same run: rounds alternate, so load from other processes hits both alike.
 *
 *   npm run bench:synth               5 rounds
 *   npm run bench:synth -- --rounds 9
 *
 * Both run through the real CDK CLI. The example's synth includes cdk.json's pre-synth `build` (esbuild bundles the
 * handlers and the app, then plain node runs it); the bare app runs as a consumer's would, through ts-node
 * (transpile only). Each pair runs twice: with aws-cdk-lib's built-in CloudFormation template validation (the
 * default, a WebAssembly validator that dominates both) and with `--no-validation` (the apps' own cost).
 * Figures: wall clock median, and CPU time (user + system of the whole process tree) median, which load disturbs less.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { loadavg, tmpdir } from 'os';
import { join } from 'path';

const ROOT = join(__dirname, '..');
const CDK = join(ROOT, 'node_modules', '.bin', 'cdk');
const RUNNER = 'npx ts-node --transpile-only --prefer-ts-exts';

interface Sample { wall: number; cpu: number }

/** Runs `cdk synth` under /usr/bin/time: wall and CPU seconds of the process tree. */
function synth(args: string[], outdir: string): Sample {
  const run = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S', CDK, 'synth', '--quiet', '-o', outdir, ...args], { cwd: ROOT, encoding: 'utf8' });
  const time = /TIME ([\d.]+) ([\d.]+) ([\d.]+)/.exec(run.stderr);
  if (run.status !== 0 || !time) throw new Error(`cdk synth ${args.join(' ')} failed (${run.status}):\n${run.stderr}`);
  return { wall: Number(time[1]), cpu: Number(time[2]) + Number(time[3]) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const i = process.argv.indexOf('--rounds');
  const rounds = i > 0 ? Number(process.argv[i + 1]) : 5;
  const dir = mkdtempSync(join(tmpdir(), 's2s-bench-synth-'));
  const validation = { validated: [], 'no validation': ['--no-validation'] } as const;
  const cases: Record<string, () => Sample> = {};
  for (const [mode, flags] of Object.entries(validation)) {
    cases[`example, ${mode}`] = () => synth([...flags], join(dir, 'example'));
    cases[`bare, ${mode}`] = () => synth([...flags, '--app', `${RUNNER} bench/bare-vpn-app.ts`, '--build', 'true'], join(dir, 'bare'));
  }
  const names = Object.keys(cases);
  const samples: Record<string, Sample[]> = Object.fromEntries(names.map((n) => [n, []]));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const name of r % 2 === 0 ? names : [...names].reverse()) samples[name].push(cases[name]());
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const figure = (name: string) => ({ wall: median(samples[name].map((s) => s.wall)), cpu: median(samples[name].map((s) => s.cpu)) });
  process.stdout.write(`cdk synth, median of ${rounds} alternating rounds (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);
  for (const mode of Object.keys(validation)) {
    const example = figure(`example, ${mode}`);
    const bare = figure(`bare, ${mode}`);
    process.stdout.write(`  ${mode}\n`);
    process.stdout.write(`    example (construct + endpoint config + alarms + cdk-nag)  wall ${example.wall.toFixed(2)} s  cpu ${example.cpu.toFixed(2)} s\n`);
    process.stdout.write(`    bare aws-cdk-lib app, same VPN                           wall ${bare.wall.toFixed(2)} s  cpu ${bare.cpu.toFixed(2)} s\n`);
    process.stdout.write(`    ratio example / bare                                     wall ${(example.wall / bare.wall).toFixed(2)}x   cpu ${(example.cpu / bare.cpu).toFixed(2)}x\n`);
  }
}

main();

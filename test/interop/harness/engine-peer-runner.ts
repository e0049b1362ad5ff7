/**
 * Runs engine-peer.ts inside a namespace: bundles it once with esbuild (fast, no ts-node start-up per run),
 * writes its config file, waits for `ready`, and hands back its final report.
 */
import { spawn } from 'child_process';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { buildSync } from 'esbuild';
import type { EnginePeerConfig, EnginePeerReport } from './engine-peer';
import { trackPid, untrackPid } from './cleanup';

/** Bundle engine-peer.ts (and the engine it imports) into one plain JS file in `dir`. */
export function bundleEnginePeer(dir: string): string {
  const outfile = join(dir, 'engine-peer.js');
  buildSync({ entryPoints: [join(__dirname, 'engine-peer.ts')], bundle: true, platform: 'node', target: 'node20', outfile, logLevel: 'silent' });
  return outfile;
}

export interface RunningEnginePeer {
  /** Resolves with the report once the peer has finished (or rejects if it crashed). */
  report: Promise<EnginePeerReport>;
}

/** Start the peer in `ns`; resolves once its UDP socket is bound. */
export async function startEnginePeer(bundle: string, ns: string, cfg: EnginePeerConfig, configPath: string): Promise<RunningEnginePeer> {
  writeFileSync(configPath, JSON.stringify(cfg), { mode: 0o600 });
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, bundle, configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not spawn the engine peer');
  const pid = child.pid;
  trackPid(pid);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Hard stop a little after the peer's own timeout, whatever happens inside it.
  const killer = setTimeout(() => child.kill('SIGKILL'), cfg.timeoutMs + 5000);
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      untrackPid(pid);
      resolve(code);
    }),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.startsWith('ready\n')) resolve();
    });
    void exited.then((code) => reject(new Error(`engine peer exited (${code}) before it was ready: ${stderr}`)));
  });
  await ready;
  const report = exited.then((code) => {
    const line = stdout.split('\n')[1];
    if (code !== 0 || !line) throw new Error(`engine peer failed (exit ${code}): ${stderr}`);
    return JSON.parse(line) as EnginePeerReport;
  });
  return { report };
}

/**
 * Last-resort teardown: whatever the harness starts (daemons, namespaces) is registered here, so that
 * even a crashed or timed-out jest worker kills its charons and deletes its namespaces on exit.
 * Normal teardown goes through afterAll; this only catches what that missed.
 */
import { execFileSync } from 'child_process';
import { rmSync } from 'fs';

const pids = new Set<number>();
const namespaces = new Set<string>();
const dirs = new Set<string>();
let hooked = false;

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    for (const ns of namespaces) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore', timeout: 5000 });
      } catch {
        /* already gone */
      }
    }
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
}

export function trackPid(pid: number): void {
  hook();
  pids.add(pid);
}

export function untrackPid(pid: number): void {
  pids.delete(pid);
}

export function trackNamespace(ns: string): void {
  hook();
  namespaces.add(ns);
}

export function untrackNamespace(ns: string): void {
  namespaces.delete(ns);
}

/** A temp dir (it may hold keys) removed on exit. */
export function trackDir(dir: string): void {
  hook();
  dirs.add(dir);
}

export function untrackDir(dir: string): void {
  dirs.delete(dir);
}

/**
 * Ctrl-C and SIGTERM end the process through its exit hook, so the daemons, namespaces and temp dirs
 * registered here go with it. Returns the function that removes the handlers again.
 */
export function teardownOnSignals(): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => process.exit(signal === 'SIGINT' ? 130 : 143);
    process.once(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}

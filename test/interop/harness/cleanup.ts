/**
 * Last-resort teardown: whatever the harness starts (daemons, namespaces) is registered here, so that
 * even a crashed or timed-out jest worker kills its charons and deletes its namespaces on exit.
 * Normal teardown goes through afterAll; this only catches what that missed.
 */
import { execFileSync } from 'child_process';

const pids = new Set<number>();
const namespaces = new Set<string>();
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

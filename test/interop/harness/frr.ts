/**
 * One FRR instance (zebra + bgpd) inside a network namespace, with its own config, pid files, zserv socket
 * and vty sockets in a private dir, so several run side by side. The daemons run in the foreground as
 * children of the test (tracked for last-resort cleanup), as user frr (its group frrvty owns the vty sockets).
 */
import { ChildProcess, spawn } from 'child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { run, RunResult, settlesWithin, waitFor } from './exec';
import { trackPid, untrackPid } from './cleanup';

/** zebra first: the others connect to it. A static site runs staticd instead of bgpd. */
export type FrrDaemon = 'zebra' | 'bgpd' | 'staticd';

export interface FrrInstance {
  readonly ns: string;
  readonly dir: string;
  readonly children: { readonly name: string; readonly child: ChildProcess; readonly exited: Promise<void> }[];
  stopped: boolean;
}

/** Starts zebra, then bgpd (or `daemons`), on `config` (an frr.conf); resolves once every vty socket exists. `dir`'s parents must be traversable by user frr. */
export async function startFrr(ns: string, dir: string, config: string, daemons: readonly FrrDaemon[] = ['zebra', 'bgpd']): Promise<FrrInstance> {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777); // the daemons drop to user frr and write their sockets and pid files here
  const conf = join(dir, 'frr.conf');
  writeFileSync(conf, config);
  const instance: FrrInstance = { ns, dir, children: [], stopped: false };
  try {
    for (const name of daemons) {
      const log = openSync(join(dir, `${name}.log`), 'w');
      const child = spawn('ip', ['netns', 'exec', ns, `/usr/lib/frr/${name}`,
        '-u', 'frr', '-g', 'frr', '-f', conf, '-i', join(dir, `${name}.pid`), '-z', join(dir, 'zserv.api'),
        '--vty_socket', dir, '-A', '127.0.0.1', '-P', '0'], { stdio: ['ignore', log, log] });
      closeSync(log);
      if (child.pid === undefined) throw new Error(`could not spawn ${name}`);
      trackPid(child.pid);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      instance.children.push({ name, child, exited });
      const socket = join(dir, `${name}.vty`);
      if (!(await waitFor(() => existsSync(socket), 10_000))) {
        throw new Error(`${name} did not open ${socket} in ${ns}: ${readFileSync(join(dir, `${name}.log`), 'utf8')}`);
      }
    }
    return instance;
  } catch (e) {
    await stopFrr(instance);
    throw e;
  }
}

/** `vtysh -c COMMAND` against this instance. */
export function vtysh(frr: FrrInstance, command: string): Promise<RunResult> {
  return run('ip', ['netns', 'exec', frr.ns, 'vtysh', '--vty_socket', frr.dir, '-c', command], { timeoutMs: 15_000 });
}

/** Stops the daemons in reverse order (bgpd, then zebra) (SIGTERM, then SIGKILL after 3 s). Idempotent. */
export async function stopFrr(frr: FrrInstance): Promise<void> {
  if (frr.stopped) return;
  frr.stopped = true;
  for (const { child, exited } of [...frr.children].reverse()) {
    if (child.pid === undefined) continue;
    child.kill('SIGTERM');
    if (!(await settlesWithin(exited, 3000))) {
      child.kill('SIGKILL');
      await exited;
    }
    untrackPid(child.pid);
  }
}

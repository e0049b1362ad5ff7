/**
 * One BIRD 2 daemon inside a network namespace, on its own config and control socket in a private dir, run in
 * the foreground as a child of the test (tracked for last-resort cleanup).
 */
import { ChildProcess, spawn } from 'child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { run, RunResult, settlesWithin, waitFor } from './exec';
import { trackPid, untrackPid } from './cleanup';

export interface BirdInstance {
  readonly ns: string;
  readonly socket: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  stopped: boolean;
}

/** Starts bird on `config` (a bird.conf); resolves once its control socket answers. */
export async function startBird(ns: string, dir: string, config: string): Promise<BirdInstance> {
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'bird.conf');
  writeFileSync(conf, config);
  const socket = join(dir, 'bird.ctl');
  const log = openSync(join(dir, 'bird.log'), 'w');
  const child = spawn('ip', ['netns', 'exec', ns, 'bird', '-f', '-c', conf, '-s', socket], { stdio: ['ignore', log, log] });
  closeSync(log);
  if (child.pid === undefined) throw new Error('could not spawn bird');
  trackPid(child.pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const instance: BirdInstance = { ns, socket, child, exited, stopped: false };
  const answers = async () => existsSync(socket) && (await birdc(instance, 'show status')).exitCode === 0;
  if (!(await waitFor(answers, 10_000))) {
    await stopBird(instance);
    throw new Error(`bird did not answer on ${socket} in ${ns}: ${readFileSync(join(dir, 'bird.log'), 'utf8')}`);
  }
  return instance;
}

/** `birdc COMMAND` against this instance. */
export function birdc(bird: BirdInstance, command: string): Promise<RunResult> {
  return run('birdc', ['-s', bird.socket, ...command.split(' ')], { timeoutMs: 15_000 });
}

/** SIGTERM, then SIGKILL after 3 s. Idempotent. */
export async function stopBird(bird: BirdInstance): Promise<void> {
  if (bird.stopped || bird.child.pid === undefined) return;
  bird.stopped = true;
  bird.child.kill('SIGTERM');
  if (!(await settlesWithin(bird.exited, 3000))) {
    bird.child.kill('SIGKILL');
    await bird.exited;
  }
  untrackPid(bird.child.pid);
}

/**
 * Runs ike-peer.ts inside a namespace: bundles it once with esbuild, writes its config (mode 0600), and
 * gives the test a handle to send commands and wait for the events it prints.
 */
import { ChildProcess, spawn } from 'child_process';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { buildSync } from 'esbuild';
import { trackPid, untrackPid } from './cleanup';
import type { IkePeerCommand, IkePeerConfig } from './ike-peer';

export function bundleIkePeer(dir: string): string {
  const outfile = join(dir, 'ike-peer.js');
  buildSync({ entryPoints: [join(__dirname, 'ike-peer.ts')], bundle: true, platform: 'node', target: 'node20', outfile, logLevel: 'silent' });
  return outfile;
}

/** One printed line of the peer: `{event}`, `{ready}`, `{reply}`, `{answered}` or `{drop}`. */
export type PeerLine = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export class IkePeer {
  readonly lines: PeerLine[] = [];
  private waiters: { match: (l: PeerLine) => boolean; resolve: (l: PeerLine) => void }[] = [];
  private stderr = '';
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    let buffer = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffer += d.toString();
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = JSON.parse(buffer.slice(0, nl)) as PeerLine;
        buffer = buffer.slice(nl + 1);
        this.lines.push(line);
        this.waiters = this.waiters.filter((w) => (w.match(line) ? (w.resolve(line), false) : true));
      }
    });
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    child.on('exit', () => (this.exited = true));
  }

  static async start(bundle: string, ns: string, cfg: IkePeerConfig, configPath: string): Promise<IkePeer> {
    writeFileSync(configPath, JSON.stringify(cfg), { mode: 0o600 });
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, bundle, configPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error('could not spawn the IKE peer');
    trackPid(child.pid);
    const peer = new IkePeer(child);
    await peer.waitFor((l) => 'ready' in l, 10_000);
    return peer;
  }

  send(command: IkePeerCommand): void {
    this.child.stdin!.write(JSON.stringify(command) + '\n');
  }

  /** Events printed so far, of one type. */
  events(type?: string): PeerLine[] {
    return this.lines.filter((l) => l.event && (type === undefined || l.event.type === type)).map((l) => l.event);
  }

  /** The first line (already printed or still to come) that matches, or an error naming what was seen. */
  waitFor(match: (l: PeerLine) => boolean, timeoutMs = 15_000, skip = 0): Promise<PeerLine> {
    const seen = this.lines.filter(match);
    if (seen.length > skip) return Promise.resolve(seen[skip]);
    return new Promise((resolve, reject) => {
      let count = seen.length;
      const timer = setTimeout(() => {
        reject(new Error(`IKE peer: timed out; exited=${this.exited}; lines: ${JSON.stringify(this.lines).slice(-3000)}; stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      this.waiters.push({
        match: (l) => match(l) && count++ >= skip,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }

  waitForEvent(type: string, timeoutMs?: number, skip = 0): Promise<PeerLine> {
    return this.waitFor((l) => l.event?.type === type, timeoutMs, skip).then((l) => l.event);
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      this.send({ cmd: 'exit' });
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.child.kill('SIGKILL');
          resolve();
        }, 3000);
        this.child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    if (this.child.pid !== undefined) untrackPid(this.child.pid);
  }
}

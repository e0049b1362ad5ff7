/**
 * AWS's endpoint process in its namespace: peer-main.ts bundled once per run with esbuild (the same code
 * whether this runs from TypeScript sources or the compiled package), its config written mode 0600, and a
 * handle to send commands and wait for what it prints.
 */
import { ChildProcess, spawn } from 'child_process';
import { existsSync, writeFileSync } from 'fs';
import { join } from 'path';
import { trackPid, untrackPid } from './cleanup';
import type { PeerCommand, PeerConfig, PeerLine, PrintedEvent } from './peer-protocol';
import type { PingResult } from './tunnel-endpoint';

/**
 * The script that runs AWS's side with node. The built package ships `peer-main.js`, which node runs as it is;
 * from TypeScript sources (a checkout) it is bundled into `dir` with esbuild, a development dependency that
 * only a checkout has, so it is loaded only then.
 */
export function bundlePeer(dir: string): string {
  const built = join(__dirname, 'peer-main.js');
  if (existsSync(built)) return built;
  const source = join(__dirname, 'peer-main.ts');
  if (!existsSync(source)) throw new Error(`peer-main is missing next to ${__filename}`);
  const outfile = join(dir, 'aws-endpoint.js');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { buildSync } = require('esbuild') as typeof import('esbuild');
  buildSync({ entryPoints: [source], bundle: true, platform: 'node', target: 'node20', outfile, logLevel: 'silent' });
  return outfile;
}

export class PeerProcess {
  readonly lines: PeerLine[] = [];
  private waiters: { match: (l: PeerLine) => boolean; resolve: (l: PeerLine | undefined) => void }[] = [];
  private stderr = '';
  private exited = false;
  private readonly exit: Promise<void>;
  private tag = 0;

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
    child.stdin!.on('error', () => undefined);
    this.exit = new Promise((resolve) =>
      child.once('exit', () => {
        this.exited = true;
        for (const w of this.waiters) w.resolve(undefined);
        this.waiters = [];
        resolve();
      }),
    );
  }

  static async start(bundle: string, ns: string, config: PeerConfig, configPath: string): Promise<PeerProcess> {
    writeFileSync(configPath, JSON.stringify(config), { mode: 0o600 });
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, bundle, configPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error("could not start AWS's endpoint process");
    trackPid(child.pid);
    const peer = new PeerProcess(child);
    if (!(await peer.waitFor((l) => 'ready' in l, 10_000))) throw new Error(`AWS's endpoint did not start: ${peer.stderr.trim() || 'no output'}`);
    return peer;
  }

  /** What the process wrote to stderr so far (a crash's message). */
  get errorOutput(): string {
    return this.stderr;
  }

  get hasExited(): boolean {
    return this.exited;
  }

  send(command: PeerCommand): void {
    if (!this.exited) this.child.stdin!.write(JSON.stringify(command) + '\n');
  }

  /** IKE events printed so far. */
  events(): PrintedEvent[] {
    return this.lines.flatMap((l) => ('event' in l ? [l.event] : []));
  }

  /** The first line from index `since` on that matches, or undefined after `timeoutMs` (or on exit). */
  waitFor(match: (l: PeerLine) => boolean, timeoutMs: number, since = 0): Promise<PeerLine | undefined> {
    const seen = this.lines.slice(since).find(match);
    if (seen) return Promise.resolve(seen);
    if (this.exited) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      }, timeoutMs);
      const waiter = {
        match,
        resolve: (l: PeerLine | undefined) => {
          clearTimeout(timer);
          resolve(l);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** The first IKE event of one of `types` from line `since` on. */
  async waitForEvent(types: readonly string[], timeoutMs: number, since = 0): Promise<PrintedEvent | undefined> {
    const line = await this.waitFor((l) => 'event' in l && types.includes(l.event.type), timeoutMs, since);
    return line && 'event' in line ? line.event : undefined;
  }

  /** `intervalMs` between requests: the endpoint's default (200 ms) when not given. */
  async ping(destination: string, count: number, timeoutMs = 2000, intervalMs?: number): Promise<PingResult> {
    const tag = this.tag++;
    this.send({ cmd: 'ping', destination, count, timeoutMs, intervalMs, tag });
    const line = await this.waitFor((l) => 'ping' in l && l.tag === tag, timeoutMs + count * ((intervalMs ?? 200) + 100) + 2000);
    return line && 'ping' in line ? line.ping : { sent: count, received: 0, rttMs: [] };
  }

  /** How many of the peer's echo requests AWS's endpoint answered so far. */
  async answered(): Promise<number> {
    const tag = this.tag++;
    this.send({ cmd: 'answered', tag });
    const line = await this.waitFor((l) => 'answered' in l && l.tag === tag, 3000);
    return line && 'answered' in line ? line.answered : 0;
  }

  /** Deletes the IKE SA (when `deleteTimeoutMs`), exits; SIGKILL after 3 s. */
  async stop(deleteTimeoutMs = 0): Promise<void> {
    if (!this.exited) {
      this.send({ cmd: 'exit', deleteTimeoutMs });
      const t = setTimeout(() => this.child.kill('SIGKILL'), deleteTimeoutMs + 3000);
      await this.exit;
      clearTimeout(t);
    }
    if (this.child.pid !== undefined) untrackPid(this.child.pid);
  }

  /** Ends the process now (a signal handler's teardown). */
  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

/**
 * One strongSwan charon daemon inside a network namespace, with a private /run (the pid file path is
 * compiled in) and its own vici socket, so several can run side by side. User-space ESP via
 * kernel-libipsec, because this kernel has no ESP module.
 */
import { spawn } from 'child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, isAbsolute, join, normalize } from 'path';
import { connect } from 'net';
/** The charon binary of the strongSwan package (Debian/Ubuntu path). */
export const CHARON = '/usr/lib/ipsec/charon';
import { run, RunResult, settlesWithin, waitFor } from './exec';
import { createNamespace, deleteNamespace } from './netns';
import { trackPid, untrackPid } from './cleanup';

/** The recipe's list (kdf and kernel-libipsec are the ones easy to forget) plus pkcs8 for private keys. */
export const DEFAULT_CHARON_PLUGINS = [
  'random', 'nonce', 'openssl', 'aes', 'sha1', 'sha2', 'hmac', 'gcm', 'gmp', 'kdf', 'pem', 'pkcs1', 'pkcs8',
  'x509', 'pubkey', 'kernel-libipsec', 'kernel-netlink', 'socket-default', 'vici', 'updown',
];

export interface CharonOptions {
  /** Run in this existing namespace; default: a fresh one with only `lo`, deleted by stopCharon(). */
  ns?: string;
  /** Working dir for config, log, vici socket and the private /run; default: a new temp dir, removed by stopCharon(). */
  dir?: string;
  plugins?: readonly string[];
  /** Extra text placed inside `charon { ... }` of strongswan.conf. */
  charonExtra?: string;
  /** ms to wait for the vici socket. */
  startTimeoutMs?: number;
  /** Log IKE and CHILD_SA keys (level 4), as the interop tests need; `verify --live` does not. @default true */
  logKeys?: boolean;
}

export interface Charon {
  ns: string;
  dir: string;
  pid: number;
  /** strongswan.conf used by charon and by swanctl against it. */
  strongswanConf: string;
  viciUri: string;
  /** Level-4 log: contains IKE and CHILD_SA keys. */
  logPath: string;
  ownsNamespace: boolean;
  ownsDir: boolean;
  exited: Promise<void>;
  /** Set by stopCharon(): stopping twice is a no-op (and never signals a recycled pid). */
  stopped: boolean;
}

export function renderStrongswanConf(dir: string, plugins: readonly string[], charonExtra = '', logKeys = true): string {
  const ikeLevel = logKeys ? '4      # level 4 ("private") logs the SK_* IKE secrets' : '2';
  const childLevel = logKeys ? '4      # ... and the CHILD_SA encryption/integrity keys' : '2';
  return `charon {
  load = ${plugins.join(' ')}
  install_routes = yes
  retransmit_tries = 3
  filelog {
    main {
      path = ${join(dir, 'charon.log')}
      time_format = %T
      default = 1
      ike = ${ikeLevel}
      chd = ${childLevel}
      knl = 2
      esp = 2
      flush_line = yes
    }
  }
  plugins {
    vici { socket = unix://${join(dir, 'charon.vici')} }
  }
${charonExtra}
}
swanctl {
  load = pem pkcs1 pkcs8 x509 pubkey openssl random
}
`;
}

export async function startCharon(opts: CharonOptions = {}): Promise<Charon> {
  const ownsDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'ipx-charon-'));
  mkdirSync(join(dir, 'run'), { recursive: true });
  const ownsNamespace = opts.ns === undefined;
  const ns = opts.ns ?? (await createNamespace('ch'));
  const strongswanConf = join(dir, 'strongswan.conf');
  writeFileSync(strongswanConf, renderStrongswanConf(dir, opts.plugins ?? DEFAULT_CHARON_PLUGINS, opts.charonExtra, opts.logKeys ?? true));
  const viciSocket = join(dir, 'charon.vici');

  const stdout = openSync(join(dir, 'charon.stdout'), 'w');
  // `ip netns exec`, `unshare`, `sh -c exec` and `env` all exec, so the child pid *is* charon.
  const child = spawn(
    'ip',
    ['netns', 'exec', ns, 'unshare', '-m', '--propagation', 'private', 'sh', '-c',
      `mount --bind "$1/run" /run && exec env STRONGSWAN_CONF="$1/strongswan.conf" ${CHARON}`, 'sh', dir],
    { stdio: ['ignore', stdout, stdout] },
  );
  closeSync(stdout);
  if (child.pid === undefined) throw new Error('could not spawn charon');
  trackPid(child.pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));

  const charon: Charon = {
    ns, dir, pid: child.pid, strongswanConf, viciUri: `unix://${viciSocket}`,
    logPath: join(dir, 'charon.log'), ownsNamespace, ownsDir, exited, stopped: false,
  };
  // The socket file appears at bind(), before charon listens: wait until a connection is accepted, or the
  // first swanctl of a loaded machine is refused.
  const up = await waitFor(async () => gone || (existsSync(viciSocket) && (await acceptsConnections(viciSocket))), opts.startTimeoutMs ?? 10_000);
  if (!up || gone) {
    const out = readFileSync(join(dir, 'charon.stdout'), 'utf8');
    await stopCharon(charon, { signal: 'SIGKILL' });
    throw new Error(`charon did not open its vici socket in ${ns}: ${out}`);
  }
  return charon;
}

/** True once a Unix socket accepts a connection (closed at once). */
function acceptsConnections(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/** Run swanctl against this daemon (its vici socket, its strongswan.conf, optional SWANCTL_DIR). */
export function swanctl(c: Charon, args: readonly string[], opts: { timeoutMs?: number; swanctlDir?: string } = {}): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, STRONGSWAN_CONF: c.strongswanConf };
  if (opts.swanctlDir) env.SWANCTL_DIR = opts.swanctlDir;
  return run('swanctl', [...args, '--uri', c.viciUri], { env, timeoutMs: opts.timeoutMs ?? 15_000 });
}

/**
 * Stop the daemon (idempotent). SIGTERM makes charon send DELETEs to its peers; SIGKILL leaves its SAs in place on the
 * other side (what we want when the engine takes over its role). Waits up to 3 s, then SIGKILL.
 */
export async function stopCharon(c: Charon, opts: { signal?: 'SIGTERM' | 'SIGKILL'; keepDir?: boolean } = {}): Promise<void> {
  if (c.stopped) return;
  c.stopped = true;
  try {
    process.kill(c.pid, opts.signal ?? 'SIGTERM');
  } catch {
    /* already gone */
  }
  if (!(await settlesWithin(c.exited, 3000))) {
    try {
      process.kill(c.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await c.exited;
  }
  untrackPid(c.pid);
  if (c.ownsNamespace) await deleteNamespace(c.ns);
  if (c.ownsDir && !opts.keepDir) rmSync(c.dir, { recursive: true, force: true });
}

export const SWANCTL_SUBDIRS = [
  'x509', 'x509ca', 'x509ocsp', 'x509aa', 'x509ac', 'x509crl', 'pubkey', 'private', 'rsa', 'ecdsa', 'bliss', 'pkcs8', 'pkcs12',
];

export interface LoadResult {
  /** swanctl --load-all exit code (0 = everything loaded). */
  exitCode: number | null;
  /** swanctl --load-all output (stdout + stderr). */
  output: string;
  /** swanctl --list-conns output after loading. */
  listConns: string;
  /** charon's log, for diagnosing a failed load. */
  charonLog: string;
}

/**
 * Prove a swanctl.conf loads: start a charon in a fresh loopback-only namespace, write `confText` as
 * swanctl.conf (plus `extraFiles`, paths relative to the swanctl dir, e.g. `x509/peer.pem`,
 * `private/key.pem`), run `swanctl --load-all`, list the connections, tear everything down.
 */
export async function loadSwanctlConf(
  confText: string,
  opts: { extraFiles?: Record<string, string | Buffer>; plugins?: readonly string[]; timeoutMs?: number } = {},
): Promise<LoadResult> {
  const extraFiles = Object.entries(opts.extraFiles ?? {});
  for (const [rel] of extraFiles) {
    if (isAbsolute(rel) || normalize(rel).startsWith('..')) throw new Error(`extra file escapes the swanctl dir: ${rel}`);
  }
  const charon = await startCharon({ plugins: opts.plugins });
  try {
    const swanctlDir = join(charon.dir, 'swanctl');
    const confPath = join(swanctlDir, 'swanctl.conf');
    // The credential dirs swanctl --load-all scans; creating them keeps its output free of noise.
    for (const sub of SWANCTL_SUBDIRS) mkdirSync(join(swanctlDir, sub), { recursive: true });
    for (const [rel, content] of extraFiles) {
      const target = join(swanctlDir, rel);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    writeFileSync(confPath, confText);
    const timeoutMs = opts.timeoutMs ?? 15_000;
    const load = await swanctl(charon, ['--load-all', '--file', confPath], { swanctlDir, timeoutMs });
    const list = await swanctl(charon, ['--list-conns'], { swanctlDir, timeoutMs });
    return {
      exitCode: load.timedOut ? null : load.exitCode,
      output: load.stdout + load.stderr,
      listConns: list.stdout + list.stderr,
      charonLog: existsSync(charon.logPath) ? readFileSync(charon.logPath, 'utf8') : '',
    };
  } finally {
    await stopCharon(charon, { signal: 'SIGKILL' });
  }
}

/**
 * Bad-input tests go through here: the input is built with a secret canary planted in every field that could
 * hold a key, the code runs, and everything it left behind is scanned: what it threw, printed (stdout, stderr,
 * console), and any file it wrote. A suite that tests bad input uses these instead of its own runner, so a
 * new case is scanned without anyone remembering to (the lambda handlers through test/lambda/harness, the
 * app's JSON config through refused and appProcessScanned, verify's swanctl.conf and endpoint.ts cases, and
 * test/live's probe). Construct validation (test/construct) scans its problems for the canary itself.
 * `--psk-file` contents are planted (plantInPskFile) on paths that refuse the command line before reading the
 * key and, in test/live/probe, against charon, where each shape is read and used.
 */
import { execFile } from 'child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { VpnConnection } from '@aws-sdk/client-ec2';
import { CANARY, expectNoCanary, SECRET_CANARIES } from './canary';
import { runCli, CliRun } from './cli';

export { CANARY, SECRET_CANARIES } from './canary';
export { runCli } from './cli';

const REPO = join(__dirname, '..', '..');
const canary = (i: number) => SECRET_CANARIES[i % SECRET_CANARIES.length];

/** Keys in DescribeVpnConnections: every tunnel's `PreSharedKey` (set where missing) and the XML's `<pre_shared_key>`. */
export function plantInDescribe<T extends VpnConnection>(connection: T, options: { addMissing?: boolean } = {}): T {
  const c = JSON.parse(JSON.stringify(connection)) as T;
  (c.Options?.TunnelOptions ?? []).forEach((t, i) => {
    if (t.PreSharedKey !== undefined || options.addMissing !== false) t.PreSharedKey = canary(i);
  });
  let n = 0;
  if (typeof c.CustomerGatewayConfiguration === 'string') {
    c.CustomerGatewayConfiguration = c.CustomerGatewayConfiguration.replace(/<pre_shared_key>[^<]*<\/pre_shared_key>/g, () => `<pre_shared_key>${canary(n++)}</pre_shared_key>`);
  }
  return c;
}

/** The same for a whole `{ VpnConnections: [...] }` response, as JSON text. */
export function plantedDescribeJson(connections: readonly VpnConnection[], options?: { addMissing?: boolean }): string {
  return JSON.stringify({ VpnConnections: connections.map((c) => plantInDescribe(c, options)) });
}

/** Keys in an endpoint config (json or ts): every tunnel's `preSharedKey` inline. */
export function plantInEndpointConfig<T extends { tunnels: readonly unknown[] }>(config: T): T {
  const c = JSON.parse(JSON.stringify(config)) as T;
  (c.tunnels as Record<string, unknown>[]).forEach((t, i) => {
    if (t.auth === undefined || (t.auth as { type?: string }).type !== 'certificate') t.preSharedKey = { value: canary(i) };
  });
  return c;
}

/** Keys in a swanctl.conf: every `secret = ` value, and one more secrets section at the end (line numbers keep). */
export function plantInSwanctl(text: string): string {
  let n = 0;
  const replaced = text.replace(/^(\s*secret\s*=\s*).*$/gm, (_, lead: string) => `${lead}${canary(n++)}`);
  return `${replaced}\nsecrets {\n  ike-canary {\n    secret = ${CANARY}\n  }\n}\n`;
}

/** Keys in the app's JSON config: every tunnel's `preSharedKeySecret` names the canary (as a user pasting a key would). */
export function plantInAppConfig<T>(config: T): T {
  const c = JSON.parse(JSON.stringify(config)) as { sites?: unknown };
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []); // a bad config may be any shape
  let n = 0;
  for (const site of list(c?.sites)) for (const t of list((site as { tunnels?: unknown } | null)?.tunnels)) if (t && typeof t === 'object') (t as Record<string, unknown>).preSharedKeySecret = { secretName: canary(n++) };
  return c as T;
}

/** `--psk-file` contents with the canary as the key, well-formed or broken in each way a reader could echo it. */
export const PSK_FILE_SHAPES = {
  'one line': `${CANARY}\n`,
  'too short': `${CANARY.slice(0, 5)}\n`,
  'too long': `${CANARY.repeat(3)}\n`,
  'non-printable characters': `${CANARY}\u0007\u0000\n`,
  'two lines': `${CANARY}\n${SECRET_CANARIES[1]}\n`,
  'empty first line': `\n${CANARY}\n`,
} as const;

/** Writes a `--psk-file` of the given shape (mode 0600) into `dir`; returns its path (an input: never scanned). */
export function plantInPskFile(dir: string, shape: keyof typeof PSK_FILE_SHAPES): string {
  const path = join(dir, `psk-${shape.replace(/\W+/g, '-')}`);
  writeFileSync(path, PSK_FILE_SHAPES[shape], { mode: 0o600 });
  return path;
}

/** Every file under `dir` (recursively) with its mtime and size. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isFile()) files.set(path, `${st.mtimeMs}:${st.size}`);
  }
  return files;
}

export interface ScanOptions {
  /** Directories the code may write into: files it creates or changes there during the run are scanned too. */
  readonly dirs?: readonly string[];
  /** Inputs under those directories (they hold the canaries on purpose), never scanned. */
  readonly inputs?: readonly string[];
}

/** Runs `run`, then scans the files it created or changed under `options.dirs` (the inputs excepted). */
async function scanningFiles<T>(options: ScanOptions, run: () => Promise<T>): Promise<T> {
  const dirs = options.dirs ?? [];
  const before = dirs.map(snapshot);
  const result = await run();
  const skip = new Set(options.inputs ?? []);
  dirs.forEach((dir, i) => {
    const changed: Record<string, string> = {};
    for (const [path, stamp] of snapshot(dir)) {
      if (!skip.has(path) && before[i].get(path) !== stamp) changed[`file ${path}`] = readFileSync(path, 'utf8');
    }
    expectNoCanary(changed);
  });
  return result;
}

/** Captures console.log/warn/error while `run` runs (the Lambda handlers log through it). */
async function capturingConsole<T>(run: () => Promise<T>): Promise<{ result?: T; error?: unknown; console: string }> {
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const spies = methods.map((m) => jest.spyOn(console, m).mockImplementation((...args: unknown[]) => void lines.push(args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.message}\n${a.stack}` : JSON.stringify(a))).join(' '))));
  try {
    return { result: await run(), console: lines.join('\n') };
  } catch (error) {
    return { error, console: lines.join('\n') };
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
}

/**
 * Runs library code expected to refuse its input: returns the error after scanning it, the console and any
 * file written (options.dirs) for canaries. Fails when nothing was thrown.
 */
export async function refused(fn: () => unknown, options: ScanOptions = {}): Promise<Error> {
  const { error, console: logged } = await scanningFiles(options, () => capturingConsole(async () => fn()));
  expectNoCanary({ console: logged });
  if (error === undefined) throw new Error('expected a bad-input error, but nothing was thrown');
  expectNoCanary({ error });
  return error as Error;
}

/** Runs code that reports bad input without throwing (a handler's FAILED response, a report): scans its result, console and files. */
export async function scanned<T>(fn: () => T | Promise<T>, options: ScanOptions = {}): Promise<T> {
  const { result, error, console: logged } = await scanningFiles(options, () => capturingConsole(async () => fn()));
  expectNoCanary({ console: logged, ...(error === undefined ? { result } : { error }) });
  if (error !== undefined) throw error;
  return result as T;
}

/** `s2s-vpn` in process (bin/s2s-vpn.ts main), stdout, stderr and files written under options.dirs scanned. */
export function cliScanned(argv: string[], options: ScanOptions & { stdin?: string } = {}): Promise<CliRun> {
  return scanningFiles(options, () => runCli(argv, options.stdin));
}

type ProcessOptions = ScanOptions & { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number };

/** A script of the checkout as a process (node + ts-node), stdout, stderr and written files scanned. */
function scriptScanned(script: string, argv: string[], options: ProcessOptions): Promise<CliRun> {
  return scanningFiles(
    options,
    () =>
      new Promise<CliRun>((done) => {
        execFile(process.execPath, ['-r', 'ts-node/register/transpile-only', join(REPO, 'bin', script), ...argv], { cwd: options.cwd ?? REPO, env: options.env ?? process.env, timeout: options.timeoutMs ?? 60_000 }, (error, stdout, stderr) => {
          done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
      }).then((run) => {
        // Scanned once the process is done: a throw inside execFile's callback would leave the promise pending.
        expectNoCanary({ stdout: run.stdout, stderr: run.stderr });
        return run;
      }),
  );
}

/** `s2s-vpn` as a process (node + ts-node from the checkout), stdout, stderr and written files scanned. */
export function cliProcessScanned(argv: string[], options: ProcessOptions = {}): Promise<CliRun> {
  return scriptScanned('s2s-vpn.ts', argv, options);
}

/**
 * The CDK app (bin/app.ts) as `cdk synth` runs it: context in CDK_CONTEXT_JSON, output in `outdir`. Its
 * stdout, stderr and every file it writes under `outdir` (cdk.out) and options.dirs are scanned.
 */
export function appProcessScanned(context: Record<string, string>, outdir: string, options: ProcessOptions = {}): Promise<CliRun> {
  const env = { ...(options.env ?? process.env), CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir };
  return scriptScanned('app.ts', [], { timeoutMs: 120_000, ...options, env, dirs: [outdir, ...(options.dirs ?? [])] });
}

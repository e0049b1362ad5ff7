/** What every `s2s-vpn` command shares: where output goes, exit codes, how a user error looks, atomic file writes. */
import { chmodSync, closeSync, constants, accessSync, fsyncSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'fs';
import { randomBytes } from 'crypto';
import { basename, dirname, join, resolve } from 'path';
import { describeFsError } from '../../lib/verify/errors';

export { describeFsError };

/**
 * The exit codes of every command (README "Exit codes"). Anything else is a bug (70, EX_SOFTWARE).
 */
export const EXIT = {
  /** Every check passed / the output was written. */
  ok: 0,
  /** A check failed (`verify`, `demo`). */
  checksFailed: 1,
  /** Bad input: usage, an unreadable or malformed file, an unknown connection. */
  badInput: 2,
  /** The VPN connection is still pending: AWS has not assigned its tunnels yet; try again later. */
  pending: 3,
  /** A bug in s2s-vpn. */
  internalError: 70,
} as const;

/** The process's streams, or a test's buffers. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads all of stdin (for `-` as a file name). */
  readStdin(): Promise<string>;
}

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** A problem the user can fix: printed as one line on stderr, never a stack trace; `exitCode` is the process's (bad input unless said). */
export class CliError extends Error {
  constructor(
    message: string,
    public readonly exitCode: number = EXIT.badInput,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface AtomicWriteOptions {
  /** Mode of a file that does not exist yet. */
  readonly newFileMode: number;
  /** The text is secret (inline keys): an existing file's group and other permissions are dropped. */
  readonly ownerOnly?: boolean;
}

/**
 * Write `text` to `path` so that readers see the old file or the new one, never half of either: a temp file
 * next to the target, fsync, then rename over it. A symlink is written through (its target is replaced, the
 * link stays); an existing file keeps its mode; a file without write permission is refused, not replaced.
 */
export function writeFileAtomic(path: string, text: string, options: AtomicWriteOptions): void {
  const target = symlinkTarget(path);
  const existingMode = modeOf(target, path);
  const mode = existingMode === undefined ? options.newFileMode : options.ownerOnly ? existingMode & 0o700 : existingMode;
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', mode);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    chmodSync(temp, mode); // openSync's mode is masked by the umask; the existing file's mode is kept exactly
    renameSync(temp, target);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      /* never created, or already renamed */
    }
    throw new CliError(`cannot write ${path}: ${describeFsError(e)}`);
  }
}

/** Where writing `path` must land: the final target of a symlink chain (which need not exist yet), else `path`. */
function symlinkTarget(path: string): string {
  try {
    if (!lstatSync(path).isSymbolicLink()) return path;
  } catch {
    return path; // does not exist: a new file
  }
  try {
    return realpathSync(path);
  } catch {
    // A dangling link: create its target.
    return resolve(dirname(path), readlinkSync(path));
  }
}

/** The mode of an existing file, or undefined; refuses one the user may not write, rather than replacing it. */
function modeOf(target: string, shownAs: string): number | undefined {
  let mode: number;
  try {
    const stat = statSync(target);
    if (stat.isDirectory()) throw new CliError(`cannot write ${shownAs}: is a directory`);
    mode = stat.mode & 0o7777;
  } catch (e) {
    if (e instanceof CliError) throw e;
    return undefined;
  }
  let writable = (mode & 0o200) !== 0; // root may write anything: the owner's write bit is the user's intent
  try {
    accessSync(target, constants.W_OK);
  } catch {
    writable = false;
  }
  if (!writable) throw new CliError(`cannot write ${shownAs}: permission denied (the file is not writable; it was left unchanged)`);
  return mode;
}

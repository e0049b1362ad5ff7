/** What every `s2s-vpn` command shares: where output goes, how a user error looks, atomic file writes. */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'fs';
import { randomBytes } from 'crypto';
import { basename, dirname, join } from 'path';

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

/** A problem the user can fix: printed as one line on stderr, never a stack trace; `exitCode` is the process's. */
export class CliError extends Error {
  constructor(
    message: string,
    public readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Write `text` to `path` so that readers see the old file or the new one, never half of either:
 * a temp file in the same directory, fsync, then rename over the target.
 */
export function writeFileAtomic(path: string, text: string, mode: number): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', mode);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
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

/** A file system error as a short phrase (`no such file or directory`), without a stack. */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'a path component is not a directory',
    EROFS: 'read-only file system',
  };
  return (err.code && known[err.code]) ?? err.message ?? String(e);
}

/** Bad input to `verify` (unreadable file, syntax or type error, unknown connection): exit code 2. */
export class VerifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyInputError';
  }
}

/** A file system error as a short phrase (`no such file or directory`), without a stack; the same for every command. */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'a path component is not a directory',
    EROFS: 'read-only file system',
    ELOOP: 'too many symbolic links',
  };
  return (err?.code && known[err.code]) ?? err?.message ?? String(e);
}

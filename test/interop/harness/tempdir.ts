/** Per-suite temp dirs: removed after a green run, kept (and their path printed) after a failure. */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

export class TempDir {
  readonly path: string;
  private failed = false;

  constructor(prefix: string) {
    this.path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  }

  file(name: string): string {
    return join(this.path, name);
  }

  /** Call when an assertion failed so that cleanup() keeps the evidence. */
  markFailed(): void {
    this.failed = true;
  }

  cleanup(): void {
    if (this.failed) {
      // eslint-disable-next-line no-console
      console.warn(`interop artefacts kept for inspection: ${this.path}`);
      return;
    }
    if (!process.env.IPX_KEEP) rmSync(this.path, { recursive: true, force: true });
  }
}

/** Run a test body; if it throws, mark the temp dir as evidence to keep. */
export async function keepOnFailure<T>(dir: TempDir, body: () => T | Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    dir.markFailed();
    throw e;
  }
}

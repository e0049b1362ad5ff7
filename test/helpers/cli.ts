/** `s2s-vpn` in process through main(argv, io), its output captured and scanned for secret canaries. */
import type { CliIo } from '../../bin/cli/io';
import { main } from '../../bin/s2s-vpn';
import { expectNoCanary } from './canary';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(argv: string[], stdin = ''): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => stdin };
  const code = await main(argv, io);
  expectNoCanary({ stdout, stderr });
  return { code, stdout, stderr };
}

/** `--psk-file FILE`: one pre-shared key, the file's first line (trailing whitespace dropped). Never echoed. */
import { readFileSync } from 'fs';
import { CliError, describeFsError } from './io';

export function readPskFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read --psk-file ${file}: ${describeFsError(e)}`);
  }
  const key = text.split(/\r?\n/)[0].trimEnd();
  if (key.length === 0) throw new CliError(`--psk-file ${file}: the first line is empty; it must hold the tunnel's pre-shared key`);
  return key;
}

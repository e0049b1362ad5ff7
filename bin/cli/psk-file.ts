/** `--psk-file FILE`: one pre-shared key, the file's first line (trailing whitespace dropped). Never echoed. */
import { readFileSync } from 'fs';
import { preSharedKeyProblem } from '../../lib/aws-rules';
import { CliError, describeFsError } from './io';

export function readPskFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read --psk-file ${shownPath(file)}: ${describeFsError(e)}`);
  }
  const key = text.split(/\r?\n/)[0].trimEnd();
  if (key.length === 0) throw new CliError(`--psk-file ${file}: the first line is empty; it must hold the tunnel's pre-shared key`);
  return key;
}

/**
 * The argument as an error names it: the path, unless it could be the key itself, given where its file
 * belongs (`--psk-file $KEY`): no `/`, no file extension, and a shape AWS takes as a key.
 */
function shownPath(file: string): string {
  const couldBeKey = !file.includes('/') && !/\.[A-Za-z]{1,4}$/.test(file) && preSharedKeyProblem(file) === undefined;
  return couldBeKey ? `(an argument of ${file.length} characters, not shown: it has the shape of a key; --psk-file takes the path of a file holding the key)` : file;
}

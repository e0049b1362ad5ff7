/** Interface state inside a namespace, as the tests read it. */
import { runChecked } from './exec';

/** Whether the interface is administratively up (IFF_UP), whatever its carrier. */
export async function adminUp(ns: string, dev: string): Promise<boolean> {
  const flags = /<([^>]*)>/.exec((await runChecked('ip', ['-n', ns, 'link', 'show', 'dev', dev])).stdout)?.[1] ?? '';
  return flags.split(',').includes('UP');
}

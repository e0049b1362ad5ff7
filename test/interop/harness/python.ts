/** Run one of test/interop/scapy/*.py on a JSON job list: one python process per list, JSON results back. */
import { join } from 'path';
import { runChecked } from './exec';
import { PYTHON } from './tools';
import { redactKeys } from './redact';

export interface PythonResult {
  id: string;
  ok: boolean;
  packet: Buffer;
  error: string;
}

export async function runPythonJobs(script: string, jobs: readonly object[], timeoutMs = 60_000): Promise<Map<string, PythonResult>> {
  const path = join(__dirname, '..', 'scapy', script);
  const r = await runChecked(PYTHON, [path], { input: JSON.stringify({ jobs }), timeoutMs }).catch((e: Error) => {
    throw new Error(redactKeys(e.message));
  });
  const parsed = JSON.parse(r.stdout) as { results: { id: string; ok: boolean; packet: string; error: string }[] };
  return new Map(parsed.results.map((x) => [x.id, { id: x.id, ok: x.ok, packet: Buffer.from(x.packet, 'hex'), error: redactKeys(x.error) }]));
}

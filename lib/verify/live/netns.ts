/**
 * Network namespaces for the interop tests: unique names (pid + counter) so parallel runs don't clash,
 * documentation addresses only, and guaranteed deletion.
 */
import { runChecked, run } from './exec';
import { trackNamespace, untrackNamespace } from './cleanup';

let counter = 0;

/** A fresh namespace with only `lo` up. */
export async function createNamespace(tag: string): Promise<string> {
  const ns = `ipx-${tag}-${process.pid}-${counter++}`;
  await runChecked('ip', ['netns', 'add', ns]);
  trackNamespace(ns);
  await runChecked('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  // libipsec's TUN traffic and asymmetric test routes would otherwise be dropped by reverse-path filtering.
  await runChecked('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0']);
  return ns;
}

export async function deleteNamespace(ns: string): Promise<void> {
  await run('ip', ['netns', 'del', ns], { timeoutMs: 5000 });
  untrackNamespace(ns);
}

/** Run a command inside a namespace. */
export function nsArgs(ns: string, cmd: string, args: readonly string[]): [string, string[]] {
  return ['ip', ['netns', 'exec', ns, cmd, ...args]];
}

export interface Side {
  ns: string;
  /** Address on the veth link between the two namespaces (IKE and ESP run here). */
  outer: string;
  /** Address on `lo`, reachable only through the tunnel. */
  inner: string;
  /** Name of the veth interface inside `ns`. */
  dev: string;
}

export interface NamespacePair {
  a: Side;
  b: Side;
}

export const PAIR_ADDRESSES = {
  a: { outer: '192.0.2.1', inner: '198.51.100.1' },
  b: { outer: '192.0.2.2', inner: '203.0.113.1' },
} as const;

/** Two namespaces joined by a veth pair (outer /24), each with one inner /32 on `lo`. */
export async function createPair(tag: string): Promise<NamespacePair> {
  const nsA = await createNamespace(`${tag}a`);
  const nsB = await createNamespace(`${tag}b`);
  const a: Side = { ns: nsA, dev: 'vA', ...PAIR_ADDRESSES.a };
  const b: Side = { ns: nsB, dev: 'vB', ...PAIR_ADDRESSES.b };
  await runChecked('ip', ['link', 'add', a.dev, 'netns', a.ns, 'type', 'veth', 'peer', 'name', b.dev, 'netns', b.ns]);
  for (const s of [a, b]) {
    await runChecked('ip', ['-n', s.ns, 'addr', 'add', `${s.outer}/24`, 'dev', s.dev]);
    await runChecked('ip', ['-n', s.ns, 'link', 'set', s.dev, 'up']);
    await runChecked('ip', ['-n', s.ns, 'addr', 'add', `${s.inner}/32`, 'dev', 'lo']);
  }
  return { a, b };
}

export async function deletePair(pair: NamespacePair): Promise<void> {
  await deleteNamespace(pair.a.ns);
  await deleteNamespace(pair.b.ns);
}

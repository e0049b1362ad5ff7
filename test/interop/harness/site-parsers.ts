/**
 * The real parsers of the site's files: FRR's vtysh, BIRD, Libreswan (unpacked, never installed) and
 * shellcheck. Each writes the text to a temp file, runs the parser and says whether it accepted the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { run } from './exec';
import { LIBRESWAN_ROOT } from './tools';

export interface ParseResult {
  readonly ok: boolean;
  /** What the parser printed (its reason when it refused). */
  readonly output: string;
}

async function withFile(name: string, text: string, parse: (path: string) => Promise<ParseResult>): Promise<ParseResult> {
  const dir = mkdtempSync(join(tmpdir(), 's2s-parse-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, text);
    return await parse(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function exitsZero(cmd: string, args: readonly string[]): Promise<ParseResult> {
  const r = await run(cmd, args, { timeoutMs: 30_000 });
  return { ok: r.exitCode === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

/** `vtysh --dryrun -f`: unlike `bgpd -C`, it exits non-zero on an unknown command. */
export function frrDryRun(text: string): Promise<ParseResult> {
  return withFile('frr.conf', text, (path) => exitsZero('vtysh', ['--dryrun', '-f', path]));
}

/** `bird -p -c`: parse the configuration and exit. */
export function birdParse(text: string): Promise<ParseResult> {
  return withFile('bird.conf', text, (path) => exitsZero('bird', ['-p', '-c', path]));
}

export function shellcheck(text: string): Promise<ParseResult> {
  return withFile('script.sh', text, (path) => exitsZero('shellcheck', ['--shell=bash', path]));
}

const IPSEC_LIBEXEC = join(LIBRESWAN_ROOT, 'usr', 'libexec', 'ipsec');

/**
 * Libreswan: `addconn --checkconfig` parses ipsec.conf (keywords, syntax) but not algorithm names, so every
 * `ike=` / `esp=` line also goes through `algparse`, with the connection's IKE version and PFS on.
 */
export async function libreswanCheck(text: string): Promise<ParseResult> {
  const conf = await withFile('ipsec.conf', text, (path) => exitsZero(join(IPSEC_LIBEXEC, 'addconn'), ['--checkconfig', '--config', path]));
  if (!conf.ok) return conf;
  const outputs = [conf.output];
  for (const block of text.split(/^conn /m).slice(1)) {
    const version = /^\s*ikev2=no\b/m.test(block) ? '-v1' : '-v2';
    for (const [, kind, proposals] of block.matchAll(/^\s*(ike|esp)=(\S+)/gm)) {
      const r = await exitsZero(join(IPSEC_LIBEXEC, 'algparse'), [version, '-pfs', `${kind}=${proposals}`]);
      outputs.push(r.output);
      if (!r.ok || /ERROR/.test(r.output)) return { ok: false, output: outputs.join('\n') };
    }
  }
  return { ok: true, output: outputs.join('\n') };
}

/** `s2s-vpn demo`: convert, render three formats, verify each; offline. */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { runDemo } from '../../bin/cli/demo';
import { parsePcap } from '../../lib/esp';
import { REPO_ROOT, tempDir } from './helpers';

test('renders endpoint.json, endpoint.ts and swanctl.conf, verifies all three, and says so', async () => {
  const outDir = tempDir();
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), readStdin: async () => '' };
  const ok = await runDemo({ outDir, root: REPO_ROOT }, io);
  const stdout = out.join('');
  expect(ok).toBe(true);
  for (const f of ['endpoint.json', 'endpoint.ts', 'swanctl.conf', 'exchange.pcap']) expect(existsSync(join(outDir, f))).toBe(true);
  expect(stdout.match(/^ {2}PASS {2}(json|ts|swanctl) /gm)).toHaveLength(3);
  expect(stdout).toContain('the config will work with AWS');
  expect(parsePcap(readFileSync(join(outDir, 'exchange.pcap'))).records.length).toBeGreaterThan(0);
  expect(err.join('')).toContain('ESP exchange aes256gcm16 on loopback');
  // As root with strongSwan the live stage runs (both tunnels); elsewhere it says what is missing.
  expect(stdout).toMatch(/\n4\. Live(: strongSwan charon loads \S*swanctl\.conf, our IKEv2 engine plays AWS \(network namespaces\)| stage skipped \(s2s-vpn verify --live\): this host lacks .+)\n/);
  if (process.getuid?.() === 0) expect(stdout).toContain('live: PASS, both tunnels up, pinging, rekeyed both ways');
});

/**
 * `verify --live` interrupted: Ctrl-C (SIGINT) and SIGTERM in the middle of the live stage end the process
 * with 130/143, and charon, AWS's endpoint process, the namespaces and the temp dir with the keys are gone.
 */
import { spawn } from 'child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { renderJson } from '../../lib/endpoint';
import { run } from '../../lib/verify/live/exec';
import { describeWithTools } from '../interop/harness/tools';
import { TempDir } from '../interop/harness/tempdir';
import { convertedConfig } from '../verify/helpers';
import { REPO_ROOT } from './helpers';


describeWithTools('verify --live tears everything down on a signal', ['root', 'ip', 'charon', 'swanctl', 'ping', 'esbuild'], () => {
  let tmp: TempDir;
  beforeAll(() => (tmp = new TempDir('s2s-live-signal')));
  afterAll(() => tmp.cleanup());

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s during the live stage: exit %d, nothing left behind', async (signal, code) => {
    const config = join(tmp.path, 'hq.json');
    writeFileSync(config, renderJson(convertedConfig('hq')));
    const psk = join(tmp.path, 'psk');
    writeFileSync(psk, 'signal-live-key-0123456789abcdef\n', { mode: 0o600 });
    // The child gets a temp directory of its own, so other suites' live runs cannot be mistaken for its own.
    const childTmp = join(tmp.path, `tmp-${signal}`);
    mkdirSync(childTmp, { recursive: true });
    const liveDirs = () => new Set(readdirSync(childTmp).filter((d) => d.startsWith('s2s-vpn-live-')));
    const before = liveDirs();
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'bin/s2s-vpn.ts', 'verify', config, '--describe', join(REPO_ROOT, 'examples', 'hq.describe.json'), '--live', '--psk-file', psk, '--static-only', '--tunnel', '1'], { cwd: REPO_ROOT, env: { ...process.env, TMPDIR: childTmp } });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('live: pings both ways')) resolve();
      }),
    );
    const during = (await run('ip', ['netns', 'list'])).stdout;
    expect(during).toContain(`-${child.pid}-`);
    const mine = [...liveDirs()].filter((d) => !before.has(d));
    expect(mine).toHaveLength(1);
    child.kill(signal);
    expect(await exited).toBe(code);
    expect((await run('ip', ['netns', 'list'])).stdout).not.toContain(`-${child.pid}-`);
    expect(liveDirs().has(mine[0])).toBe(false);
    // Other runs (another suite, a bench) may have charons of their own: only this run's must be gone.
    const charons = (await run('pgrep', ['-f', '/usr/lib/ipsec/charon'])).stdout.split('\n').filter(Boolean);
    for (const pid of charons) expect((await run('cat', [`/proc/${pid}/environ`])).stdout).not.toContain(mine[0]);
  }, 60_000);
});

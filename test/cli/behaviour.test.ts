/**
 * What every command shares: --version, one exit-code scheme and one wording for the same mistake across
 * `config`, `verify` and the app, and `--out` that writes through symlinks, keeps modes and refuses what it may not write.
 */
import { spawnSync } from 'child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { EXIT } from '../../bin/cli/io';
import { fixturePath } from '../endpoint/fixtures';
import { runCli } from '../helpers/cli';

const ROOT = join(__dirname, '..', '..');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 's2s-cli-behaviour-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI in process; fails the test when a canary appears in its stdout or stderr. */
const cli = runCli;

test('--version prints the package version, exit 0', async () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  expect(await cli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
});

describe('the same mistake, the same words and exit code, whichever command', () => {
  test('a file that does not exist', async () => {
    const missing = join(dir, 'missing.json');
    const expected = `cannot read ${missing}: no such file or directory`;
    const config = await cli(['config', '--from-describe', missing]);
    const verifyDescribe = await cli(['verify', fixturePath('hq'), '--describe', missing]);
    const verifyConfig = await cli(['verify', missing]);
    for (const run of [config, verifyDescribe, verifyConfig]) {
      expect(run.code).toBe(EXIT.badInput);
      expect(run.stderr).toContain(expected);
    }
    const app = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'bin/app.ts'], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ config: missing }), CDK_OUTDIR: join(dir, 'out') },
    });
    expect(app.status).toBe(EXIT.badInput);
    expect(app.stderr).toContain(expected);
  });

  test('a file that is not JSON', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "VpnConnections": [ }');
    const expected = `${broken} is not valid JSON`;
    for (const run of [await cli(['config', '--from-describe', broken]), await cli(['verify', fixturePath('hq'), '--describe', broken])]) {
      expect(run.code).toBe(EXIT.badInput);
      expect(run.stderr).toContain(expected);
    }
  });

  test('usage errors are bad input for every command', async () => {
    expect((await cli(['config'])).code).toBe(EXIT.badInput); // required option missing
    expect((await cli(['config', '--from-describe', fixturePath('hq'), '--format', 'yaml'])).code).toBe(EXIT.badInput);
    expect((await cli(['verify', '--no-such-option', 'x'])).code).toBe(EXIT.badInput);
    expect((await cli(['no-such-command'])).code).toBe(EXIT.badInput);
  });
});

describe('--out', () => {
  const convert = (out: string, ...extra: string[]) => cli(['config', '--from-describe', fixturePath('hq'), '--out', out, ...extra]);

  test('through a symlink: the target is replaced, the link stays a link', async () => {
    mkdirSync(join(dir, 'real'));
    const target = join(dir, 'real', 'endpoint.json');
    writeFileSync(target, 'old');
    const link = join(dir, 'endpoint.json');
    symlinkSync(join('real', 'endpoint.json'), link);
    expect((await convert(link)).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(join('real', 'endpoint.json'));
    expect(readFileSync(target, 'utf8')).toContain('"vpnConnectionId": "vpn-0123456789abcdef0"');
    expect(readdirSync(join(dir, 'real'))).toEqual(['endpoint.json']); // no temp file left
  });

  test('a dangling symlink: its target is created', async () => {
    const link = join(dir, 'endpoint.json');
    symlinkSync('created.json', link);
    expect((await convert(link)).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'created.json'), 'utf8')).toContain('vpn-0123456789abcdef0');
  });

  test("an existing file keeps its mode; a new one gets 0644, or 0600 with inline secrets", async () => {
    const kept = join(dir, 'kept.json');
    writeFileSync(kept, 'old');
    chmodSync(kept, 0o640);
    expect((await convert(kept)).code).toBe(0);
    expect(statSync(kept).mode & 0o777).toBe(0o640);
    const fresh = join(dir, 'fresh.json');
    expect((await convert(fresh)).code).toBe(0);
    expect(statSync(fresh).mode & 0o777).toBe(0o644);
    const secret = join(dir, 'secret.json');
    expect((await convert(secret, '--inline-secrets')).code).toBe(0);
    expect(statSync(secret).mode & 0o777).toBe(0o600);
  });

  test('inline secrets into an existing world-readable file: owner-only from now on', async () => {
    const out = join(dir, 'endpoint.json');
    writeFileSync(out, 'old');
    chmodSync(out, 0o644);
    expect((await convert(out, '--inline-secrets')).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  test('a read-only file is refused with a clear message and left as it was, even for root', async () => {
    const out = join(dir, 'endpoint.json');
    writeFileSync(out, 'old');
    chmodSync(out, 0o444);
    const run = await convert(out);
    expect(run).toEqual({ code: EXIT.badInput, stdout: '', stderr: `s2s-vpn: cannot write ${out}: permission denied (the file is not writable; it was left unchanged)\n` });
    expect(readFileSync(out, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['endpoint.json']);
  });

  test('a directory is refused', async () => {
    const run = await convert(dir);
    expect(run.code).toBe(EXIT.badInput);
    expect(run.stderr).toBe(`s2s-vpn: cannot write ${dir}: is a directory\n`);
  });
});

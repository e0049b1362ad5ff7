/** Without root or strongSwan, `--live` exits 2 naming exactly what is missing, before touching anything. */
import { missingLiveRequirements } from '../../lib/verify';
import { cli, REPO_ROOT } from './helpers';
import { join } from 'path';

test('not root: the first missing requirement names root and how to get it', () => {
  const spy = jest.spyOn(process, 'getuid').mockReturnValue(1000);
  try {
    expect(missingLiveRequirements()[0]).toBe('root (network namespaces and a veth pair are created): run as root, e.g. with sudo');
  } finally {
    spy.mockRestore();
  }
});

test('no swanctl, ip or ping on PATH: named one by one', () => {
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    expect(missingLiveRequirements().filter((m) => !m.startsWith('root') && !m.startsWith("strongSwan's charon"))).toEqual([
      'swanctl on PATH: install strongswan-swanctl',
      'ip (iproute2) on PATH',
      'ping (iputils-ping) on PATH',
    ]);
  } finally {
    process.env.PATH = path;
  }
});

test('the CLI: exit 2 with the list on stderr, nothing on stdout', async () => {
  // The requirements are checked before the config is even read.
  const run = await cliWithPath(['verify', join(REPO_ROOT, 'examples', 'missing.json'), '--live']);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain('--live cannot run here; missing: ');
  expect(run.stderr).toContain('swanctl on PATH: install strongswan-swanctl');
});

function cliWithPath(args: string[]) {
  return cli(args, undefined, 60_000, { ...process.env, PATH: '/nonexistent' });
}

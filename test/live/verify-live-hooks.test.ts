/**
 * `verify --live` loads the user's swanctl.conf into its own charon but leaves its `updown` scripts out: a
 * site's updown (the Linux script's `--updown`) rewrites routes and tunnel state on the host. The hook here
 * only records that it ran; the report names the line left out.
 */
import { chmodSync, existsSync, writeFileSync } from 'fs';
import { join } from 'path';
import { renderSwanctl } from '../../lib/endpoint';
import { verifyConfig } from '../../lib/verify';
import { describeWithTools } from '../interop/harness/tools';
import { keepOnFailure, TempDir } from '../interop/harness/tempdir';
import { convertedConfig, describeOf } from '../verify/helpers';
import { liveChecks } from './helpers';

describeWithTools('verify --live: the config\'s updown hooks are not run', ['root', 'ip', 'charon', 'swanctl', 'ping', 'esbuild'], () => {
  let tmp: TempDir;
  beforeAll(() => (tmp = new TempDir('s2s-live-hooks')));
  afterAll(() => tmp.cleanup());

  test('a CHILD_SA with updown: every live check passes, the hook never ran, the IKE SA check names the line left out', async () => {
    await keepOnFailure(tmp, async () => {
      const marker = join(tmp.path, 'hook-ran');
      const hook = join(tmp.path, 'hook.sh');
      writeFileSync(hook, `#!/bin/sh\necho "$PLUTO_VERB" >> ${marker}\n`);
      chmodSync(hook, 0o755);
      const conf = renderSwanctl(convertedConfig('narrow-selectors', { inlineSecrets: true })).replace(/^(\s+)local_ts = (.*)$/m, `$1local_ts = $2\n$1updown = ${hook} --updown`);
      expect(conf).toContain(`updown = ${hook} --updown`);
      const file = join(tmp.path, 'with-updown.swanctl.conf');
      writeFileSync(file, conf, { mode: 0o600 });
      const checks = liveChecks(await verifyConfig({ configPath: file, describe: describeOf('narrow-selectors'), tunnel: 1, dynamic: false, live: { dpd: false } }));
      expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
      expect(checks[0].details).toContain(`not run here: updown = ${hook} --updown (the live stage leaves the host's routes and tunnel state alone)`);
      expect(existsSync(marker)).toBe(false);
    });
  }, 120_000);
});

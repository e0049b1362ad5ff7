/**
 * `verify --live` on broken swanctl.conf files (the example's rendered config, edited the way people get it
 * wrong): each fails the live check that catches it, with the reason and the fix.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { readDescribe } from '../../bin/cli/verify';
import { renderSwanctl } from '../../lib/endpoint';
import { CheckResult, verifyConfig } from '../../lib/verify';
import { describeWithTools } from '../interop/harness/tools';
import { keepOnFailure, TempDir } from '../interop/harness/tempdir';
import { convertedConfig } from '../verify/helpers';
import { liveChecks, REPO_ROOT } from './helpers';

const AWS_KEY = 'broken-live-key-0123456789abcdef';
const DESCRIBE = join(REPO_ROOT, 'examples', 'hq.describe.json');

/** The example's swanctl.conf with its key inline, edited by `edit`. */
function brokenConf(edit: (text: string) => string, key = AWS_KEY): string {
  const text = renderSwanctl(convertedConfig('hq')).replace(/include \S+\.secrets\.conf/, `ike-hq {\n    secret = "${key}"\n  }`);
  const edited = edit(text);
  if (edited === text && key === AWS_KEY) throw new Error('the edit changed nothing');
  return edited;
}

describeWithTools('verify --live: broken configs fail the right live check', ['root', 'ip', 'charon', 'swanctl', 'ping', 'esbuild'], () => {
  let tmp: TempDir;
  let n = 0;
  beforeAll(() => (tmp = new TempDir('s2s-live-broken')));
  afterAll(() => tmp.cleanup());

  async function live(conf: string): Promise<CheckResult[]> {
    return keepOnFailure(tmp, async () => {
      const file = join(tmp.path, `broken-${n++}.swanctl.conf`);
      writeFileSync(file, conf, { mode: 0o600 });
      const report = await verifyConfig({ configPath: file, describe: { connection: readDescribe(DESCRIBE), file: DESCRIBE }, tunnel: 1, dynamic: false, live: { psk: AWS_KEY, dpd: false } });
      return liveChecks(report);
    });
  }

  test('a wrong key: the IKE SA fails with AUTHENTICATION_FAILED, the fix names the key', async () => {
    const checks = await live(brokenConf((t) => t, 'not-the-tunnel-key-0123456789'));
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ id: 'live-ike-sa', status: 'fail', summary: 'IKE SA did not come up: AUTHENTICATION_FAILED: the pre-shared keys differ' });
    expect(checks[0].fix).toMatch(/^use the tunnel's pre-shared key/);
    expect(JSON.stringify(checks)).not.toContain('not-the-tunnel-key');
  });

  test('ESP proposals without a DH group: up and pinging, but the CHILD_SA rekey fails (NO_PROPOSAL_CHOSEN, PFS)', async () => {
    const checks = await live(brokenConf((t) => t.replace(/esp_proposals = aes256gcm16-ecp256-ecp384/g, 'esp_proposals = aes256gcm16')));
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['live-ike-sa', 'pass'],
      ['live-child-sa', 'pass'],
      ['live-ping', 'pass'],
      ['live-rekey-child', 'fail'],
      ['live-prediction', 'skip'],
    ]);
    const rekey = checks[3];
    expect(rekey.summary).toMatch(/^CHILD_SA rekey started by AWS failed: NO_PROPOSAL_CHOSEN in the CHILD_SA rekey: AWS rekeys with perfect forward secrecy \(DH group 19, 20\)/);
    expect(rekey.fix).toContain('without it the tunnel drops at its first rekey');
  });

  test('an IKE proposal AWS does not allow: no IKE SA, NO_PROPOSAL_CHOSEN in IKE_SA_INIT', async () => {
    const checks = await live(brokenConf((t) => t.replace(/proposals = aes256gcm16-prfsha256-prfsha384-ecp256-ecp384-ecp521,aes256-sha256-sha384-ecp256-ecp384-ecp521/g, 'proposals = aes128-sha1-modp1024')));
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ id: 'live-ike-sa', status: 'fail', summary: 'IKE SA did not come up: NO_PROPOSAL_CHOSEN in IKE_SA_INIT: no proposal both sides accept' });
    expect(checks[0].fix).toMatch(/proposals AWS's tunnel options allow$/);
  });

  test("a wrong identity for AWS: AUTHENTICATION_FAILED, the fix names AWS's identity", async () => {
    const checks = await live(brokenConf((t) => t.replace(/ {6}id = 192\.0\.2\.101/, '      id = 192.0.2.199')));
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ id: 'live-ike-sa', status: 'fail', fix: 'set the remote identity (swanctl remote.id) to 192.0.2.101' });
    expect(checks[0].summary).toMatch(/^IKE SA did not come up: AUTHENTICATION_FAILED: the on-prem side expects AWS to be /);
  });
});

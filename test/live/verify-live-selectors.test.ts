/**
 * `verify --live`, traffic selectors: AWS's endpoint negotiates the describe's LocalIpv4NetworkCidr /
 * RemoteIpv4NetworkCidr (the narrow-selectors fixture: 10.0.0.0/16 on-prem, 10.20.0.0/16 AWS), not
 * 0.0.0.0/0. The rendered config gets exactly them; a config offering 0.0.0.0/0 is narrowed to them (a
 * warning naming the traffic AWS does not carry); one sharing nothing with them gets TS_UNACCEPTABLE. The
 * pings then run between addresses inside the selectors (the namespaces hold them; nothing leaves them).
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { renderSwanctl } from '../../lib/endpoint';
import { CheckResult, verifyConfig } from '../../lib/verify';
import { describeWithTools } from '../interop/harness/tools';
import { keepOnFailure, TempDir } from '../interop/harness/tempdir';
import { convertedConfig, describeOf } from '../verify/helpers';
import { liveChecks } from './helpers';

const LIVE_IDS = ['live-ike-sa', 'live-child-sa', 'live-ping', 'live-rekey-child', 'live-rekey-ike', 'live-prediction'];
const SELECTORS = /local_ts = 10\.0\.0\.0\/16\n(\s+)remote_ts = 10\.20\.0\.0\/16/g;

describeWithTools('verify --live: the CHILD_SA carries the describe\'s network CIDRs', ['root', 'ip', 'charon', 'swanctl', 'ping', 'esbuild'], () => {
  let tmp: TempDir;
  let n = 0;
  beforeAll(() => (tmp = new TempDir('s2s-live-ts')));
  afterAll(() => tmp.cleanup());

  /** The fixture's rendered swanctl.conf (keys inline), its selectors edited by `edit`, verified live on tunnel 1. */
  async function live(edit: (conf: string) => string = (c) => c): Promise<CheckResult[]> {
    return keepOnFailure(tmp, async () => {
      const file = join(tmp.path, `narrow-${n++}.swanctl.conf`);
      writeFileSync(file, edit(renderSwanctl(convertedConfig('narrow-selectors', { inlineSecrets: true }))), { mode: 0o600 });
      const report = await verifyConfig({ configPath: file, describe: describeOf('narrow-selectors'), tunnel: 1, dynamic: false, live: { dpd: false } });
      return liveChecks(report);
    });
  }

  test('the rendered config: CHILD_SA 10.0.0.0/16 === 10.20.0.0/16, pings between the networks, every check passes', async () => {
    const checks = await live();
    expect(checks.filter((c) => c.status !== 'pass' && c.id !== 'live-rekey-ike')).toEqual([]);
    expect(checks.map((c) => c.id)).toEqual(LIVE_IDS);
    const child = checks[1];
    expect(child.summary).toMatch(/^CHILD_SA up: \S+, traffic selectors on-prem 10\.0\.0\.0\/16 === 10\.20\.0\.0\/16 AWS$/);
    expect(child.details).toEqual(["pings between 10.0.0.1 and 10.20.0.1: the selectors do not carry the tunnel's inside addresses"]);
    expect(checks[2].summary).toBe('Ping through the tunnel: on-prem 10.0.0.1 → AWS 10.20.0.1: 3/3 answered; AWS → on-prem: 3/3 answered');
  }, 120_000);

  test('a config offering 0.0.0.0/0 both ways: AWS narrows the CHILD_SA to its selectors (warn), traffic between them passes', async () => {
    const checks = await live((c) => c.replace(SELECTORS, 'local_ts = 0.0.0.0/0\n$1remote_ts = 0.0.0.0/0'));
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(checks[1]).toMatchObject({
      id: 'live-child-sa',
      status: 'warn',
      summary: expect.stringMatching(/^CHILD_SA up: \S+, traffic selectors on-prem 10\.0\.0\.0\/16 === 10\.20\.0\.0\/16 AWS: narrowed from the config's 0\.0\.0\.0\/0 === 0\.0\.0\.0\/0 to AWS's selectors$/),
      fix: 'set connections.vpn-1122334455aabbccd-tunnel1.children.vpn-1122334455aabbccd-tunnel1.local_ts = 10.0.0.0/16 and connections.vpn-1122334455aabbccd-tunnel1.children.vpn-1122334455aabbccd-tunnel1.remote_ts = 10.20.0.0/16: AWS carries only that traffic',
    });
    expect(checks[2].status).toBe('pass');
  }, 120_000);

  test('a config whose selectors share nothing with AWS\'s: the CHILD_SA fails with TS_UNACCEPTABLE, the fix names AWS\'s CIDRs', async () => {
    const checks = await live((c) => c.replace(SELECTORS, 'local_ts = 192.0.2.0/24\n$1remote_ts = 198.51.100.0/24'));
    expect(checks.map((c) => [c.id, c.status])).toEqual([['live-ike-sa', 'pass'], ['live-child-sa', 'fail']]);
    expect(checks[1].summary).toBe("CHILD_SA did not come up: TS_UNACCEPTABLE: the traffic selectors share nothing with AWS's (10.0.0.0/16 === 10.20.0.0/16)");
    expect(checks[1].fix).toMatch(/local_ts = 10\.0\.0\.0\/16 and \S+remote_ts = 10\.20\.0\.0\/16 \(the connection's Local\/RemoteIpv4NetworkCidr\)$/);
  }, 120_000);
});

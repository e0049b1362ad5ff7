/**
 * `verify --live`, DPD: the example's tunnel 1 with each `DPDTimeoutAction` AWS has (the example describe
 * edited; 30 s, AWS's minimum timeout). The on-prem charon is frozen past the timeout and then answers again;
 * the check must see what the action does: `clear` deletes the SAs and stays down, `none` keeps the SA
 * (traffic on the same CHILD_SA afterwards), `restart` re-initiates (a new IKE SA AWS started, traffic again).
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { VpnConnection } from '@aws-sdk/client-ec2';
import { renderJson } from '../../lib/endpoint';
import { CheckResult, verifyConfig } from '../../lib/verify';
import { describeWithTools } from '../interop/harness/tools';
import { keepOnFailure, TempDir } from '../interop/harness/tempdir';
import { convertedConfig } from '../verify/helpers';
import { liveChecks, REPO_ROOT } from './helpers';

const KEY = 'dpd-live-key-0123456789abcdef';

/** The example's describe with every tunnel's DPD action set to `action`. */
function exampleWithDpdAction(action: string): VpnConnection {
  const describe = JSON.parse(readFileSync(join(REPO_ROOT, 'examples', 'hq.describe.json'), 'utf8')) as { VpnConnections: VpnConnection[] };
  const connection = describe.VpnConnections[0];
  for (const t of connection.Options!.TunnelOptions!) t.DpdTimeoutAction = action;
  return connection;
}

describeWithTools('verify --live: DPD does what AWS\'s DPD action says', ['root', 'ip', 'charon', 'swanctl', 'ping', 'esbuild'], () => {
  let tmp: TempDir;
  beforeAll(() => (tmp = new TempDir('s2s-live-dpd')));
  afterAll(() => tmp.cleanup());

  async function dpdCheck(action: string): Promise<CheckResult> {
    return keepOnFailure(tmp, async () => {
      const config = join(tmp.path, `hq-${action}.json`);
      writeFileSync(config, renderJson(convertedConfig('hq')));
      const file = join(tmp.path, `hq-${action}.describe.json`);
      const report = await verifyConfig({ configPath: config, describe: { connection: exampleWithDpdAction(action), file }, tunnel: 1, dynamic: false, live: { psk: KEY } });
      const live = liveChecks(report);
      expect(live.filter((c) => c.status === 'fail')).toEqual([]);
      return live.find((c) => c.id === 'live-dpd')!;
    });
  }

  test('clear: AWS declares the silent side dead, deletes the SAs, and stays down when it answers again', async () => {
    const c = await dpdCheck('clear');
    expect(c.status).toBe('pass');
    expect(c.summary).toMatch(/^DPD: on-prem silent, AWS declared it dead after 3\d(\.\d)?s \(timeout 30s\), deleted the SAs and stayed down \(DPD action clear\)$/);
    expect(c.details).toEqual(['within 4s of the on-prem side answering again: no IKE_SA_INIT from AWS; AWS → on-prem pings 0/3 (no SA left to send them on)']);
  }, 120_000);

  test('none: AWS keeps the SA through the timeout; traffic passes again on the same CHILD_SA', async () => {
    const c = await dpdCheck('none');
    expect(c.status).toBe('pass');
    expect(c.summary).toMatch(/^DPD: on-prem silent for 3\d(\.\d)?s \(timeout 30s\), AWS kept the SA \(DPD action none\): traffic passed again on the same CHILD_SA$/);
    expect(c.details).toEqual([expect.stringMatching(/AWS's probe answered afterwards: yes$/), 'then pings 3/3 on-prem → AWS, 3/3 AWS → on-prem']);
  }, 120_000);

  test('restart: AWS re-initiates after the timeout; the tunnel comes back once the on-prem side answers', async () => {
    const c = await dpdCheck('restart');
    expect(c.status).toBe('pass');
    expect(c.summary).toMatch(/^DPD: on-prem silent, AWS declared it dead after 3\d(\.\d)?s \(timeout 30s\) and re-initiated \(DPD action restart\): the tunnel came back, traffic passed$/);
    expect(c.details).toEqual([expect.stringMatching(/^AWS re-initiated: IKE_SA_INIT sent after the timeout; IKE SA up \(\S+\); CHILD_SA up \(\S+\)$/), 'then pings 3/3 on-prem → AWS, 3/3 AWS → on-prem']);
  }, 120_000);
});

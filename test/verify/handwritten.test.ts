/** A hand-written swanctl.conf (strongSwan defaults, legacy algorithms) fails for the right reasons. */
import { join } from 'path';
import { verifyConfig } from '../../lib/verify';
import { describeOf } from './helpers';

const CONFIG = join(__dirname, '..', 'fixtures', 'verify', 'handwritten.swanctl.conf');

test('each problem is reported with a fix naming the swanctl setting', async () => {
  const report = await verifyConfig({ configPath: CONFIG, describe: describeOf('static-routing'), dynamic: false });
  const failed = (tunnel: number) =>
    Object.fromEntries(report.tunnels[tunnel].checks.filter((c) => c.status === 'fail').map((c) => [c.id, c.fix]));
  expect(report.tunnels.map((t) => t.name)).toEqual(['aws-a', 'aws-b']);
  expect(failed(0)).toEqual({
    'ike-proposals': expect.stringContaining('connections.aws-a.proposals'),
    'esp-proposals': expect.stringContaining('connections.aws-a.children.net.esp_proposals'),
    startup: 'set connections.aws-a.children.net.start_action = start',
    // strongSwan's default selectors are the outside addresses ("dynamic"), not the 0.0.0.0/0 AWS negotiates.
    'traffic-selectors': 'set connections.aws-a.children.net.local_ts = 0.0.0.0/0 and connections.aws-a.children.net.remote_ts = 0.0.0.0/0',
    dpd: 'set connections.aws-a.dpd_delay to 10s',
    'pre-shared-key': expect.stringContaining('secrets.ike-aws-a.secret'),
    // strongSwan's CHILD_SA defaults: rekey at 1h (too late for AWS's 3600s), gone at 1h6m (too long).
    'esp-lifetime': 'set connections.aws-a.children.net.life_time to at most 3600 (seconds)',
    'esp-rekey': expect.stringContaining('connections.aws-a.children.net.rekey_time so the on-prem side rekeys by 3540s'),
  });
  const esp = report.tunnels[0].checks.find((c) => c.id === 'esp-proposals');
  expect(esp?.details).toContain('aes128-sha1: no Diffie-Hellman group (AWS always uses PFS on phase 2)');
  // aws-b: rekey_time 8h is AWS's whole phase 1 lifetime, and the default 10% over time goes past it; no key.
  expect(failed(1)).toEqual({
    'ike-lifetime': 'set connections.aws-b.rekey_time + over_time to at most 28800 (seconds)',
    'ike-rekey': "set connections.aws-b.rekey_time so the on-prem side rekeys by 28740s (60s before AWS's SA expires)",
    'pre-shared-key': "add secrets.ike-aws-b.secret (the tunnel's PreSharedKey from DescribeVpnConnections)",
    'traffic-selectors': 'set connections.aws-b.children.net.local_ts = 0.0.0.0/0 and connections.aws-b.children.net.remote_ts = 0.0.0.0/0',
    'esp-lifetime': 'set connections.aws-b.children.net.life_time to at most 3600 (seconds)',
    'esp-rekey': expect.stringContaining('connections.aws-b.children.net.rekey_time'),
  });
});

/**
 * The two namespaces of one live tunnel: the customer gateway's (charon) and AWS's (our engine), joined by
 * a veth pair carrying only the two outside addresses (host routes, whatever their subnets). The on-prem
 * inside address sits on `lo` of the customer gateway's namespace, reachable from AWS only through the tunnel.
 */
import { runChecked } from './exec';
import { createNamespace, deleteNamespace } from './netns';

export interface LiveNetwork {
  readonly onPremNs: string;
  readonly awsNs: string;
}

export async function createLiveNetwork(a: { onPremOutside: string; awsOutside: string; onPremInside?: string }): Promise<LiveNetwork> {
  const onPremNs = await createNamespace('cgw');
  let awsNs: string | undefined;
  try {
    awsNs = await createNamespace('aws');
    // IPv4 outside and inside addresses only; IPv6 link-local chatter would only fill charon's log.
    for (const ns of [onPremNs, awsNs]) await runChecked('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    await runChecked('ip', ['link', 'add', 'cgw0', 'netns', onPremNs, 'type', 'veth', 'peer', 'name', 'aws0', 'netns', awsNs]);
    for (const [ns, dev, local, remote] of [[onPremNs, 'cgw0', a.onPremOutside, a.awsOutside], [awsNs, 'aws0', a.awsOutside, a.onPremOutside]]) {
      await runChecked('ip', ['-n', ns, 'addr', 'add', `${local}/32`, 'dev', dev]);
      await runChecked('ip', ['-n', ns, 'link', 'set', dev, 'up']);
      await runChecked('ip', ['-n', ns, 'route', 'add', `${remote}/32`, 'dev', dev, 'src', local]);
    }
    if (a.onPremInside) await runChecked('ip', ['-n', onPremNs, 'addr', 'add', `${a.onPremInside}/32`, 'dev', 'lo']);
    return { onPremNs, awsNs };
  } catch (e) {
    await deleteLiveNetwork({ onPremNs, awsNs: awsNs ?? '' });
    throw e;
  }
}

export async function deleteLiveNetwork(n: LiveNetwork): Promise<void> {
  await deleteNamespace(n.onPremNs);
  if (n.awsNs) await deleteNamespace(n.awsNs);
}

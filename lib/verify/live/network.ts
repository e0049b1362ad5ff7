/**
 * The two namespaces of one live tunnel: the customer gateway's (charon) and AWS's (our engine), joined by
 * a veth pair carrying only the two outside addresses (host routes, whatever their subnets). The on-prem
 * inside address sits on `lo` of the customer gateway's namespace, reachable from AWS only through the tunnel;
 * an AWS inside address, when given (a charon playing AWS), on `lo` of AWS's.
 */
import { runChecked } from './exec';
import { createNamespace, deleteNamespace } from './netns';

export interface LiveNetwork {
  readonly onPremNs: string;
  readonly awsNs: string;
}

export async function createLiveNetwork(a: { onPremOutside: string; awsOutside: string; onPremInside?: string; awsInside?: string }): Promise<LiveNetwork> {
  const onPremNs = await createNamespace('cgw');
  let awsNs: string | undefined;
  try {
    awsNs = await createNamespace('aws');
    for (const [ns, inside] of [[onPremNs, a.onPremInside], [awsNs, a.awsInside]] as const) await setIpv6(ns, inside?.includes(':') ?? false);
    await runChecked('ip', ['link', 'add', 'cgw0', 'netns', onPremNs, 'type', 'veth', 'peer', 'name', 'aws0', 'netns', awsNs]);
    for (const [ns, dev, local, remote] of [[onPremNs, 'cgw0', a.onPremOutside, a.awsOutside], [awsNs, 'aws0', a.awsOutside, a.onPremOutside]]) {
      // Outside addresses are IPv4; IPv6 link-local chatter on the veth would only fill charon's log.
      await runChecked('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `net.ipv6.conf.${dev}.disable_ipv6=1`]);
      await runChecked('ip', ['-n', ns, 'addr', 'add', hostPrefix(local), 'dev', dev]);
      await runChecked('ip', ['-n', ns, 'link', 'set', dev, 'up']);
      await runChecked('ip', ['-n', ns, 'route', 'add', hostPrefix(remote), 'dev', dev, 'src', local]);
    }
    for (const [ns, inside] of [[onPremNs, a.onPremInside], [awsNs, a.awsInside]] as const) {
      if (inside) await runChecked('ip', ['-n', ns, 'addr', 'add', hostPrefix(inside), 'dev', 'lo', ...(inside.includes(':') ? ['nodad'] : [])]);
    }
    return { onPremNs, awsNs };
  } catch (e) {
    await deleteLiveNetwork({ onPremNs, awsNs: awsNs ?? '' });
    throw e;
  }
}

/**
 * IPv6 off in a namespace without an IPv6 inside address. With one, on: on `lo` for the address and by
 * default for the TUN device charon's kernel-libipsec creates later (IPv6 routes into the tunnel need it),
 * without router solicitations into the tunnel.
 */
async function setIpv6(ns: string, on: boolean): Promise<void> {
  const settings = on
    ? ['net.ipv6.conf.all.disable_ipv6=0', 'net.ipv6.conf.default.disable_ipv6=0', 'net.ipv6.conf.default.router_solicitations=0', 'net.ipv6.conf.default.accept_ra=0']
    : ['net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'];
  await runChecked('ip', ['netns', 'exec', ns, 'sysctl', '-qw', ...settings]);
}

function hostPrefix(address: string): string {
  return `${address}/${address.includes(':') ? 128 : 32}`;
}

export async function deleteLiveNetwork(n: LiveNetwork): Promise<void> {
  await deleteNamespace(n.onPremNs);
  if (n.awsNs) await deleteNamespace(n.awsNs);
}

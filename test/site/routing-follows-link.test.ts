/**
 * A static site whose routing daemon is FRR or BIRD: their static routes into the tunnel interfaces must follow
 * the tunnels, as the Linux script's own routes do. The script's updown hook sets a dead tunnel's interface down
 * (and up when it is back); zebra (staticd) and BIRD then withdraw the routes through it, and the standby's take
 * over. Run for real in a namespace, with FRR's and BIRD's own daemons on our rendered files.
 *
 * This kernel has no XFRM interfaces, so veth pairs named as the tunnel interfaces stand in (as in
 * linux-script.test.ts): what is under test is the link state, which a veth has like an XFRM interface.
 */
import { chmodSync, writeFileSync } from 'fs';
import { endpointConfigFromDescribe } from '../../lib/endpoint';
import { renderBird, renderFrr, renderLinux, withSiteRouting } from '../../lib/endpoint/site';
import { loadConnection } from '../endpoint/fixtures';
import { birdc, startBird, stopBird } from '../interop/harness/bird';
import { runChecked, waitFor } from '../interop/harness/exec';
import { FrrInstance, startFrr, stopFrr, vtysh } from '../interop/harness/frr';
import { createNamespace, deleteNamespace } from '../interop/harness/netns';
import { TempDir } from '../interop/harness/tempdir';
import { describeWithTools } from '../interop/harness/tools';

jest.setTimeout(60_000);

const PREFIX = '10.0.0.0/16';
const config = withSiteRouting(endpointConfigFromDescribe(loadConnection('static-routing')), {
  awsPrefixes: [PREFIX],
  preference: { mode: 'active-standby', primaryTunnel: 'tunnel1' },
});

/** A namespace with stand-in tunnel interfaces and the rendered Linux script applied. */
async function withSite(body: (ns: string, dir: TempDir, updown: (verb: string, ifId: number) => Promise<void>) => Promise<void>): Promise<void> {
  const dir = new TempDir('s2s-follow');
  chmodSync(dir.path, 0o711); // FRR's daemons run as user frr
  const ns = await createNamespace('fl');
  try {
    for (const [i, name] of ['ipsec1', 'ipsec2'].entries()) {
      await runChecked('ip', ['-n', ns, 'link', 'add', name, 'type', 'veth', 'peer', 'name', `peer${i}`]);
      await runChecked('ip', ['-n', ns, 'link', 'set', `peer${i}`, 'up']);
    }
    const script = dir.file('tunnels.sh');
    writeFileSync(script, renderLinux(config, { stateDir: dir.file('state') }));
    await runChecked('ip', ['netns', 'exec', ns, 'bash', script]);
    const updown = async (verb: string, ifId: number) => {
      await runChecked('ip', ['netns', 'exec', ns, 'env', `PLUTO_VERB=${verb}`, `PLUTO_IF_ID_OUT=${ifId}`, 'bash', script, '--updown']);
    };
    await body(ns, dir, updown);
  } finally {
    await deleteNamespace(ns);
    dir.cleanup();
  }
}

/** The kernel's routes to PREFIX that `proto` installed (the daemon's, not the script's). */
async function kernelRoutes(ns: string, proto: string): Promise<string> {
  return (await runChecked('ip', ['-n', ns, 'route', 'show', PREFIX, 'proto', proto])).stdout.trim();
}

/** The interface the kernel forwards a VPC address through. */
async function forwardingDevice(ns: string): Promise<string | undefined> {
  return / dev (\S+)/.exec((await runChecked('ip', ['-n', ns, 'route', 'get', '10.0.0.1'])).stdout)?.[1];
}

async function settlesOn<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let last = await read();
  await waitFor(async () => done((last = await read())), 15_000, 100);
  return last;
}

interface FrrRoute {
  protocol: string;
  distance: number;
  selected?: boolean;
  nexthops: { interfaceName?: string; active?: boolean }[];
}

/** zebra's RIB for PREFIX: which route it selected (what it would redistribute), and its static routes' state. */
async function frrRib(frr: FrrInstance): Promise<{ selectedVia?: string; activeStatic: string[] }> {
  const routes = (JSON.parse((await vtysh(frr, `show ip route ${PREFIX} json`)).stdout)[PREFIX] ?? []) as FrrRoute[];
  const viaActive = (r: FrrRoute) => r.nexthops.filter((n) => n.active).map((n) => n.interfaceName ?? '?');
  return {
    selectedVia: routes.filter((r) => r.selected).flatMap(viaActive)[0],
    activeStatic: routes.filter((r) => r.protocol === 'static').flatMap(viaActive).sort(),
  };
}

describeWithTools('static routes of FRR and BIRD follow the tunnel interface', ['root', 'ip', 'nft', 'vtysh', 'staticd', 'bird', 'birdc'], () => {
  test('FRR (zebra + staticd): tunnel 1 goes down, its static route goes inactive and the standby is selected; it comes back', async () => {
    await withSite(async (ns, dir, updown) => {
      const frr = await startFrr(ns, dir.file('frr'), renderFrr(config), ['zebra', 'staticd']);
      try {
        // zebra also learns the script's kernel routes (distance 0) and prefers them; either way, what it
        // selects and its static routes' state must follow the tunnels.
        expect(await settlesOn(() => frrRib(frr), (r) => r.activeStatic.length === 2)).toEqual({ selectedVia: 'ipsec1', activeStatic: ['ipsec1', 'ipsec2'] });
        await updown('down-client', 1);
        expect(await settlesOn(() => frrRib(frr), (r) => !r.activeStatic.includes('ipsec1'))).toEqual({ selectedVia: 'ipsec2', activeStatic: ['ipsec2'] });
        expect(await forwardingDevice(ns)).toBe('ipsec2');
        await updown('up-client', 1);
        expect(await settlesOn(() => frrRib(frr), (r) => r.activeStatic.length === 2)).toEqual({ selectedVia: 'ipsec1', activeStatic: ['ipsec1', 'ipsec2'] });
        expect(await forwardingDevice(ns)).toBe('ipsec1');
      } finally {
        await stopFrr(frr);
      }
    });
  });

  test('BIRD: tunnel 1 goes down, its route leaves the kernel and the standby\'s is exported; it comes back', async () => {
    await withSite(async (ns, dir, updown) => {
      const bird = await startBird(ns, dir.file('bird'), renderBird(config));
      try {
        // BIRD's kernel route (metric 32) is below the script's (100, 200): it is the one traffic follows.
        expect(await settlesOn(() => kernelRoutes(ns, 'bird'), (r) => r !== '')).toBe('10.0.0.0/16 dev ipsec1 scope link metric 32');
        expect(await forwardingDevice(ns)).toBe('ipsec1');
        await updown('down-client', 1);
        expect(await settlesOn(() => kernelRoutes(ns, 'bird'), (r) => !r.includes('ipsec1'))).toBe('10.0.0.0/16 dev ipsec2 scope link metric 32');
        expect(await forwardingDevice(ns)).toBe('ipsec2');
        expect((await birdc(bird, `show route ${PREFIX}`)).stdout).not.toContain('ipsec1');
        await updown('up-client', 1);
        expect(await settlesOn(() => kernelRoutes(ns, 'bird'), (r) => r.includes('ipsec1'))).toBe('10.0.0.0/16 dev ipsec1 scope link metric 32');
      } finally {
        await stopBird(bird);
      }
    });
  });
});

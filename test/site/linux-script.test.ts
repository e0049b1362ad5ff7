/**
 * The rendered Linux data-plane script, run for real in a network namespace: addresses, MTU, sysctls,
 * static routes (ECMP and standby metrics) and the nftables MSS clamp; twice (idempotent), then `--undo` twice.
 *
 * This kernel has no XFRM interfaces (`ip link add ... type xfrm` fails), so the test first proves that, then
 * creates veth interfaces with the tunnel interfaces' names: the script finds them and skips only its
 * `ip link add ... type xfrm` step. Every other step runs as written.
 */
import { writeFileSync } from 'fs';
import type { OnPremEndpointConfig } from '../../lib/endpoint';
import { renderLinux, withSiteRouting } from '../../lib/endpoint/site';
import { endpointConfigFromDescribe } from '../../lib/endpoint';
import { loadConnection } from '../endpoint/fixtures';
import { run, runChecked } from '../interop/harness/exec';
import { createNamespace, deleteNamespace } from '../interop/harness/netns';
import { adminUp } from '../interop/harness/links';
import { TempDir } from '../interop/harness/tempdir';
import { describeWithTools } from '../interop/harness/tools';

jest.setTimeout(60_000);

async function state(ns: string): Promise<string> {
  const parts = await Promise.all([
    runChecked('ip', ['-n', ns, '-br', 'addr', 'show']),
    runChecked('ip', ['-n', ns, 'link', 'show']),
    runChecked('ip', ['-n', ns, 'route', 'show']),
    run('ip', ['netns', 'exec', ns, 'nft', 'list', 'ruleset']),
    runChecked('ip', ['netns', 'exec', ns, 'sysctl', 'net.ipv4.ip_forward', 'net.ipv4.conf.all.rp_filter']),
  ]);
  return parts.map((p) => p.stdout).join('\n');
}

async function withScript(config: OnPremEndpointConfig, body: (ns: string, script: string) => Promise<void>): Promise<void> {
  const dir = new TempDir('s2s-linux');
  const ns = await createNamespace('lx');
  try {
    const script = dir.file('tunnels.sh');
    writeFileSync(script, renderLinux(config, { stateDir: dir.file('state') }));
    await body(ns, script);
  } finally {
    await deleteNamespace(ns);
    dir.cleanup();
  }
}


async function standInInterfaces(ns: string, names: readonly string[]): Promise<void> {
  for (const [i, name] of names.entries()) {
    await runChecked('ip', ['-n', ns, 'link', 'add', name, 'type', 'veth', 'peer', 'name', `peer${i}`]);
    await runChecked('ip', ['-n', ns, 'link', 'set', `peer${i}`, 'up']);
  }
}

describeWithTools('Linux data-plane script in a namespace', ['root', 'ip', 'nft'], () => {
  const staticSite = withSiteRouting(endpointConfigFromDescribe(loadConnection('static-routing')), {
    awsPrefixes: ['10.0.0.0/16'],
    preference: { mode: 'active-standby', primaryTunnel: 'tunnel1' },
  });

  test('the XFRM interface step cannot run on this kernel (why the test stands in veths)', async () => {
    await withScript(staticSite, async (ns, script) => {
      const r = await run('ip', ['netns', 'exec', ns, 'bash', script]);
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toMatch(/Unknown device type|not supported|Error/i);
    });
  });

  test('applies, is idempotent, and --undo removes everything it added', async () => {
    await withScript(staticSite, async (ns, script) => {
      await standInInterfaces(ns, ['ipsec1', 'ipsec2']);
      await runChecked('ip', ['netns', 'exec', ns, 'bash', script]);
      const first = await state(ns);
      expect(first).toMatch(/ipsec1@peer0\s+UP\s+169\.254\.44\.42\/30/);
      expect(first).toMatch(/ipsec2@peer1\s+UP\s+169\.254\.45\.146\/30/);
      expect(first).toMatch(/ipsec1@peer0: .* mtu 1422 /);
      expect(first).toContain('10.0.0.0/16 dev ipsec1 metric 100');
      expect(first).toContain('10.0.0.0/16 dev ipsec2 metric 200');
      expect(first).toMatch(/oifname "ipsec1" tcp flags syn \/ syn,rst tcp option maxseg size > 1379 tcp option maxseg size set 1379/);
      expect(first).toContain('net.ipv4.ip_forward = 1');
      expect(first).toContain('net.ipv4.conf.all.rp_filter = 2');
      const rp = await runChecked('ip', ['netns', 'exec', ns, 'sysctl', '-n', 'net.ipv4.conf.ipsec1.rp_filter']);
      expect(rp.stdout.trim()).toBe('0');

      await runChecked('ip', ['netns', 'exec', ns, 'bash', script]);
      expect(await state(ns)).toBe(first);

      await runChecked('ip', ['netns', 'exec', ns, 'bash', script, '--undo']);
      const undone = await state(ns);
      expect(undone).not.toMatch(/ipsec[12]/);
      expect(undone).not.toContain('table inet');
      await runChecked('ip', ['netns', 'exec', ns, 'bash', script, '--undo']);
      expect((await run('ip', ['netns', 'exec', ns, 'bash', script, '--bogus'])).exitCode).toBe(2);
    });
  });

  test('active-active: one multipath route over both tunnels', async () => {
    const config = withSiteRouting(endpointConfigFromDescribe(loadConnection('static-routing')), { awsPrefixes: ['10.0.0.0/16'] });
    await withScript(config, async (ns, script) => {
      await standInInterfaces(ns, ['ipsec1', 'ipsec2']);
      await runChecked('ip', ['netns', 'exec', ns, 'bash', script]);
      const routes = (await runChecked('ip', ['-n', ns, 'route', 'show', '10.0.0.0/16'])).stdout;
      expect(routes).toMatch(/10\.0\.0\.0\/16 metric 100\s+nexthop dev ipsec1 weight 1\s+nexthop dev ipsec2 weight 1/);
    });
  });

  /** The script as strongSwan's updown runs it when the CHILD_SA with `ifId` comes up or goes. */
  async function updown(ns: string, script: string, verb: string, ifId: number): Promise<void> {
    await runChecked('ip', ['netns', 'exec', ns, 'env', `PLUTO_VERB=${verb}`, `PLUTO_IF_ID_OUT=${ifId}`, 'bash', script, '--updown']);
  }

  test('--updown (swanctl updown): a tunnel that goes down loses its static routes, the standby carries on, and it gets them back when it comes up', async () => {
    await withScript(staticSite, async (ns, script) => {
      await standInInterfaces(ns, ['ipsec1', 'ipsec2']);
      await runChecked('ip', ['netns', 'exec', ns, 'bash', script]);
      const routes = async () => (await runChecked('ip', ['-n', ns, 'route', 'show', '10.0.0.0/16'])).stdout;
      await updown(ns, script, 'down-client', 1);
      expect(await routes()).not.toContain('ipsec1');
      expect(await routes()).toContain('10.0.0.0/16 dev ipsec2 metric 200');
      // The interface follows the tunnel, so routing daemons' static routes into it are withdrawn too.
      expect(await adminUp(ns, 'ipsec1')).toBe(false);
      expect(await adminUp(ns, 'ipsec2')).toBe(true);
      // Re-running the script (a reboot of the service) keeps the down tunnel out.
      await runChecked('ip', ['netns', 'exec', ns, 'bash', script]);
      expect(await routes()).not.toContain('ipsec1');
      expect(await adminUp(ns, 'ipsec1')).toBe(false);
      await updown(ns, script, 'up-client', 1);
      expect(await adminUp(ns, 'ipsec1')).toBe(true);
      expect(await routes()).toContain('10.0.0.0/16 dev ipsec1 metric 100');
      expect(await routes()).toContain('10.0.0.0/16 dev ipsec2 metric 200');
      // Other verbs and other tunnels' if_ids leave the routes alone.
      await updown(ns, script, 'prepare-client', 1);
      await updown(ns, script, 'down-client', 99);
      expect(await routes()).toContain('ipsec1');
    });
  });

  /** The script as Libreswan's leftupdown runs it: the tunnel named by its ipsec-interface device, no if_id. */
  async function libreswanUpdown(ns: string, script: string, verb: string, device: string): Promise<void> {
    await runChecked('ip', ['netns', 'exec', ns, 'env', `PLUTO_VERB=${verb}`, `PLUTO_VIRT_INTERFACE=${device}`, 'PLUTO_CONNECTION=vpn-tunnel', 'bash', script, '--updown']);
  }

  test("--updown (Libreswan's leftupdown): the tunnel is found from PLUTO_VIRT_INTERFACE, and every other verb exits 0", async () => {
    await withScript(staticSite, async (ns, script) => {
      await standInInterfaces(ns, ['ipsec1', 'ipsec2']);
      await runChecked('ip', ['netns', 'exec', ns, 'bash', script]);
      const routes = async () => (await runChecked('ip', ['-n', ns, 'route', 'show', '10.0.0.0/16'])).stdout;
      await libreswanUpdown(ns, script, 'down-client', 'ipsec1');
      expect(await routes()).not.toContain('ipsec1');
      expect(await routes()).toContain('10.0.0.0/16 dev ipsec2 metric 200');
      expect(await adminUp(ns, 'ipsec1')).toBe(false);
      await libreswanUpdown(ns, script, 'up-client', 'ipsec1');
      expect(await adminUp(ns, 'ipsec1')).toBe(true);
      expect(await routes()).toContain('10.0.0.0/16 dev ipsec1 metric 100');
      // Libreswan unwinds a connection whose route verb fails: these must succeed and change nothing.
      for (const verb of ['prepare-client', 'route-client', 'unroute-client', 'prepare-host-v6', 'route-host']) await libreswanUpdown(ns, script, verb, 'ipsec1');
      await libreswanUpdown(ns, script, 'down-client', 'NULL');
      await libreswanUpdown(ns, script, 'down-client', 'ipsec99');
      expect(await routes()).toContain('ipsec1');
    });
  });

  test('--updown, active-active: the multipath route loses the down tunnel and keeps the other', async () => {
    const config = withSiteRouting(endpointConfigFromDescribe(loadConnection('static-routing')), { awsPrefixes: ['10.0.0.0/16'] });
    await withScript(config, async (ns, script) => {
      await standInInterfaces(ns, ['ipsec1', 'ipsec2']);
      await runChecked('ip', ['netns', 'exec', ns, 'bash', script]);
      await updown(ns, script, 'down-client', 2);
      const routes = (await runChecked('ip', ['-n', ns, 'route', 'show', '10.0.0.0/16'])).stdout;
      expect(routes.trim()).toBe('10.0.0.0/16 dev ipsec1 metric 100');
      await updown(ns, script, 'down-client', 1);
      expect((await runChecked('ip', ['-n', ns, 'route', 'show', '10.0.0.0/16'])).stdout.trim()).toBe('');
    });
  });

  test('--updown, IPv6 inside addresses: a tunnel set down keeps its address (keep_addr_on_down) and loses its route', async () => {
    const ipv6 = endpointConfigFromDescribe(loadConnection('ipv6-inside'));
    const config = withSiteRouting({ ...ipv6, routing: { type: 'static', onPremCidrs: ['fd00:1::/64'] } }, { awsPrefixes: ['fd00:2::/64'] });
    await withScript(config, async (ns, script) => {
      await standInInterfaces(ns, ['ipsec1', 'ipsec2']);
      await runChecked('ip', ['netns', 'exec', ns, 'bash', script]);
      const routes = async () => (await runChecked('ip', ['-n', ns, '-6', 'route', 'show', 'fd00:2::/64'])).stdout;
      const addresses = async (dev: string) => (await runChecked('ip', ['-n', ns, '-6', 'addr', 'show', 'dev', dev, 'scope', 'global'])).stdout;
      expect(await routes()).toMatch(/nexthop via fd00:ec2:0:1::1 dev ipsec1 .*\n\s+nexthop via fd00:ec2:0:2::1 dev ipsec2/);
      await updown(ns, script, 'down-client-v6', 1);
      expect(await adminUp(ns, 'ipsec1')).toBe(false);
      expect(await addresses('ipsec1')).toContain('fd00:ec2:0:1::2/126');
      expect(await routes()).not.toContain('ipsec1');
      expect(await routes()).toContain('fd00:2::/64 via fd00:ec2:0:2::1 dev ipsec2 metric 100');
      await updown(ns, script, 'up-client-v6', 1);
      expect(await addresses('ipsec1')).toContain('fd00:ec2:0:1::2/126');
      expect(await routes()).toMatch(/nexthop via fd00:ec2:0:1::1 dev ipsec1 .*\n\s+nexthop via fd00:ec2:0:2::1 dev ipsec2/);
    });
  });
});

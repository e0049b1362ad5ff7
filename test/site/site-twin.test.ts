/**
 * The whole site in network namespaces: both tunnels up, both BGP sessions Established, the VPC prefix
 * learned on the primary (the standby's path held in reserve), the LAN host pings a VPC address; then
 * tunnel 1's path is cut and traffic moves to tunnel 2 once BGP notices.
 * See test/interop/harness/site-twin.ts for the namespaces and what runs where; the static site: site-twin-static.test.ts.
 */
import { endpointConfigFromDescribe } from '../../lib/endpoint';
import { withSiteRouting } from '../../lib/endpoint/site';
import { loadConnection } from '../endpoint/fixtures';
import { run, waitFor } from '../interop/harness/exec';
import { vtysh } from '../interop/harness/frr';
import { measureFailover, SiteTwin, startSiteTwin, stopSiteTwin, sentInto } from '../interop/harness/site-twin';
import { keepOnFailure, TempDir } from '../interop/harness/tempdir';
import { describeWithTools } from '../interop/harness/tools';

jest.setTimeout(240_000);

const VPC = { prefix: '203.0.113.0/24', host: '203.0.113.10' };
const LAN = { prefix: '198.51.100.128/25', gateway: '198.51.100.129', host: '198.51.100.130' };

const config = withSiteRouting(endpointConfigFromDescribe(loadConnection('vgw-bgp-multi-algorithm'), { inlineSecrets: true }), {
  announcePrefixes: ['198.51.100.128/25'],
  preference: { mode: 'active-standby', primaryTunnel: 'tunnel1', method: 'med' },
});
const [tunnel1, tunnel2] = config.tunnels;
const peer = (cidr: string | undefined) => (cidr as string).split('/')[0];

async function peerStates(twin: SiteTwin): Promise<Record<string, string>> {
  const r = await vtysh(twin.onpremFrr!, 'show bgp ipv4 unicast summary json');
  const peers = (JSON.parse(r.stdout || '{}').peers ?? {}) as Record<string, { state: string }>;
  return Object.fromEntries(Object.entries(peers).map(([k, v]) => [k, v.state]));
}

/** The next hop on-prem routes the VPC prefix to: AWS's inside address of one tunnel. */
async function vpcNextHop(twin: SiteTwin): Promise<string | undefined> {
  const r = await run('ip', ['-n', twin.onprem, 'route', 'show', VPC.prefix]);
  return /via (\S+)/.exec(r.stdout)?.[1];
}

describeWithTools('site twin: BGP over both tunnels, rendered files only on-prem', ['root', 'ip', 'charon', 'swanctl', 'ping', 'nft', 'bgpd', 'vtysh'], () => {
  const dir = new TempDir('s2s-twin');
  let twin: SiteTwin | undefined;

  afterAll(async () => {
    if (twin) await stopSiteTwin(twin);
    dir.cleanup();
  });

  test('both tunnels and both BGP sessions up, VPC prefix learned on the primary, LAN pings the VPC; cut tunnel 1: traffic moves to tunnel 2', async () => {
    await keepOnFailure(dir, async () => {
      twin = await startSiteTwin({ config, dir: dir.path, vpc: VPC, lan: LAN });
      const t = twin;
      const established = await waitFor(async () => {
        const s = await peerStates(t);
        return s[peer(tunnel1.remote.insideCidr)] === 'Established' && s[peer(tunnel2.remote.insideCidr)] === 'Established';
      }, 60_000, 500);
      expect(established).toBe(true);
      expect(await waitFor(async () => (await vpcNextHop(t)) === peer(tunnel1.remote.insideCidr), 30_000, 500)).toBe(true);
      const summary = (await vtysh(t.onpremFrr!, 'show bgp summary')).stdout;
      console.log(`on-prem FRR, both sessions up, VPC prefix learned:\n${summary}`);
      // One prefix each way on both sessions: the VPC's in, the LAN's out.
      for (const t2 of [tunnel1, tunnel2]) expect(summary).toMatch(new RegExp(`^${peer(t2.remote.insideCidr).replace(/\./g, '\\.')}\\s+4\\s+64512\\s.*\\s1\\s+1 ${t2.name} AWS$`, 'm'));
      // The standby's route is there too, at the lower local preference.
      const routes = (await vtysh(t.onpremFrr!, `show bgp ipv4 unicast ${VPC.prefix}`)).stdout;
      expect(routes).toMatch(/Paths: \(2 available, best #\d+/);
      expect(routes).toMatch(/localpref 200, valid, external, best/);
      expect(routes).toMatch(/localpref 100, valid, external/);

      const before = await sentInto(t, 0);
      const ping = await run('ip', ['netns', 'exec', t.lan, 'ping', '-c', '3', '-i', '0.2', '-W', '2', VPC.host]);
      expect(ping.stdout).toMatch(/3 received/);
      expect(await sentInto(t, 0)).toBeGreaterThanOrEqual(before + 3);

      // Cut tunnel 1's path; measure until on-prem's route to the VPC moves to tunnel 2 (BGP's hold timer)
      // and the longest run of unanswered LAN -> VPC pings.
      const { movedAfterMs, longestGapMs } = await measureFailover(t, tunnel1.remote.outsideAddress, VPC.host, async () => (await vpcNextHop(t)) === peer(tunnel2.remote.insideCidr), 90_000);
      expect(movedAfterMs).toBeDefined();
      const seconds = (movedAfterMs as number) / 1000;
      console.log(
        `tunnel 1 cut: on-prem route to ${VPC.prefix} moved to tunnel 2 after ${seconds.toFixed(1)} s; ` +
          `LAN -> VPC pings unanswered for ${(longestGapMs / 1000).toFixed(1)} s at most (probe every 0.2 s, 1 s timeout)`,
      );
      console.log(`on-prem FRR after the cut:\n${(await vtysh(t.onpremFrr!, 'show bgp summary')).stdout}`);
      expect((await peerStates(t))[peer(tunnel1.remote.insideCidr)]).not.toBe('Established');
      expect((await peerStates(t))[peer(tunnel2.remote.insideCidr)]).toBe('Established');
      // BGP noticed within AWS's hold time (plus a probe's margin).
      expect(seconds).toBeLessThanOrEqual((tunnel1.remote.bgpHoldTime ?? 30) + 5);
      const onStandby = await sentInto(t, 1);
      expect((await run('ip', ['netns', 'exec', t.lan, 'ping', '-c', '3', '-i', '0.2', '-W', '2', VPC.host])).stdout).toMatch(/3 received/);
      expect(await sentInto(t, 1)).toBeGreaterThanOrEqual(onStandby + 3);

    });
  });
});

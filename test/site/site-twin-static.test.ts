/**
 * The static-routing site in network namespaces: both tunnels up, our Linux script routes the VPC prefix into
 * both (the standby at the higher metric), the LAN host pings a VPC address over tunnel 1; then tunnel 1's
 * path is cut: DPD declares it dead, swanctl.conf's updown runs our script (`--updown`), which takes tunnel
 * 1's route away, and traffic moves to tunnel 2. Its own file so that jest runs it beside the BGP twin.
 * See test/interop/harness/site-twin.ts for the namespaces and what runs where.
 */
import { endpointConfigFromDescribe } from '../../lib/endpoint';
import { withSiteRouting } from '../../lib/endpoint/site';
import { loadConnection } from '../endpoint/fixtures';
import { run, waitFor } from '../interop/harness/exec';
import { measureFailover, TUNNEL_DEVICES, restoreTunnel, SiteTwin, startSiteTwin, stopSiteTwin, sentInto } from '../interop/harness/site-twin';
import { adminUp } from '../interop/harness/links';
import { keepOnFailure, TempDir } from '../interop/harness/tempdir';
import { describeWithTools } from '../interop/harness/tools';

jest.setTimeout(360_000);


const LAN = { prefix: '198.51.100.128/25', gateway: '198.51.100.129', host: '198.51.100.130' };
// The static fixture: AWS outside 192.0.2.50/51, on-prem 203.0.113.50; the VPC here is 198.51.100.0/25.
const VPC = { prefix: '198.51.100.0/25', host: '198.51.100.10' };

describeWithTools('site twin: a static-routing site, rendered files only on-prem', ['root', 'ip', 'charon', 'swanctl', 'ping', 'nft'], () => {
  const dir = new TempDir('s2s-twin-static');
  let twin: SiteTwin | undefined;
  const config = withSiteRouting(endpointConfigFromDescribe(loadConnection('static-routing'), { inlineSecrets: true }), {
    awsPrefixes: [VPC.prefix],
    preference: { mode: 'active-standby', primaryTunnel: 'tunnel1' },
  });
  const [tunnel1] = config.tunnels;
  const [primary, standby] = TUNNEL_DEVICES;
  const routes = async (t: SiteTwin) => (await run('ip', ['-n', t.onprem, 'route', 'show', VPC.prefix])).stdout;

  afterAll(async () => {
    if (twin) await stopSiteTwin(twin);
    dir.cleanup();
  });

  test('both tunnels up, the VPC routed into both (standby at the higher metric), LAN pings the VPC over tunnel 1; cut tunnel 1: DPD + updown move traffic to tunnel 2', async () => {
    await keepOnFailure(dir, async () => {
      twin = await startSiteTwin({ config, dir: dir.path, vpc: VPC, lan: LAN });
      const t = twin;
      expect(await routes(t)).toContain(`${VPC.prefix} dev ${primary} metric 100`);
      expect(await routes(t)).toContain(`${VPC.prefix} dev ${standby} metric 200`);
      const before = await sentInto(t, 0);
      const ping = await run('ip', ['netns', 'exec', t.lan, 'ping', '-c', '3', '-i', '0.2', '-W', '2', VPC.host]);
      expect(ping.stdout).toMatch(/3 received/);
      expect(await sentInto(t, 0)).toBeGreaterThanOrEqual(before + 3);

      // Cut tunnel 1's path; measure until tunnel 1's route is gone (DPD timeout, then updown) and the
      // longest run of unanswered LAN -> VPC pings.
      const { movedAfterMs, longestGapMs } = await measureFailover(t, tunnel1.remote.outsideAddress, VPC.host, async () => !(await routes(t)).includes(primary), 120_000);
      expect(movedAfterMs).toBeDefined();
      const seconds = (movedAfterMs as number) / 1000;
      console.log(
        `static site, tunnel 1 cut: on-prem route to ${VPC.prefix} left tunnel 1 after ${seconds.toFixed(1)} s ` +
          `(DPD every ${tunnel1.dpd.intervalSeconds} s, timeout ${tunnel1.dpd.timeoutSeconds} s); ` +
          `LAN -> VPC pings unanswered for ${(longestGapMs / 1000).toFixed(1)} s at most (probe every 0.2 s, 1 s timeout)`,
      );
      expect((await routes(t)).trim()).toBe(`${VPC.prefix} dev ${standby} metric 200`);
      // IKEv1 DPD declares the peer dead once it has been silent for the timeout, checked every interval.
      expect(seconds).toBeLessThanOrEqual(tunnel1.dpd.timeoutSeconds + tunnel1.dpd.intervalSeconds + 5);
      const onStandby = await sentInto(t, 1);
      expect((await run('ip', ['netns', 'exec', t.lan, 'ping', '-c', '3', '-i', '0.2', '-W', '2', VPC.host])).stdout).toMatch(/3 received/);
      expect(await sentInto(t, 1)).toBeGreaterThanOrEqual(onStandby + 3);
      // The updown hook set tunnel 1's interface down, so any routing daemon's static routes left it too.
      expect(await adminUp(t.onprem, primary)).toBe(false);

      // The path heals: on-prem's charon brings tunnel 1 back (dpd_action restart), updown sets its
      // interface up and gives it the VPC route again.
      await restoreTunnel(t);
      const healedAt = Date.now();
      const back = await waitFor(async () => (await routes(t)).includes(`${VPC.prefix} dev ${primary} metric 100`), 120_000, 200);
      console.log(`static site, tunnel 1 path restored: route back on tunnel 1 after ${((Date.now() - healedAt) / 1000).toFixed(1)} s`);
      expect(back).toBe(true);
      expect(await adminUp(t.onprem, primary)).toBe(true);
      const onPrimary = await sentInto(t, 0);
      expect((await run('ip', ['netns', 'exec', t.lan, 'ping', '-c', '3', '-i', '0.2', '-W', '2', VPC.host])).stdout).toMatch(/3 received/);
      expect(await sentInto(t, 0)).toBeGreaterThanOrEqual(onPrimary + 3);
    });
  });
});

/**
 * Our IKEv2 against strongSwan charon 5.9.8 with kernel-libipsec, in network namespaces: our initiator to
 * charon's responder and charon's initiator to our responder, for every AWS family and DH group charon
 * runs; pings through the CHILD_SA both ways with our ESP engine (libipsec always reports a NAT, so NAT-T
 * and ESP-in-UDP are exercised); rekeys by either side with traffic continuing; DPD and DELETE both ways;
 * a wrong key and disjoint proposals fail with the RFC notify on both sides; COOKIE and INVALID_KE_PAYLOAD
 * round trips demanded by either side, in IKE_SA_INIT and in our IKE SA rekey.
 */
import { join } from 'path';
import { swanctl } from './harness/charon';
import { waitFor } from './harness/exec';
import { bundleIkePeer } from './harness/ike-peer-runner';
import { bringUp, charonLog, IKE_CHILD, IKE_CONN, IkeInterop, IkeInteropOptions, leaveHalfOpenSa, listSas, pingFromCharon, pingFromUs, reloadCharonSettings, startIkeInterop, stopIkeInterop } from './harness/ike-interop';
import { keepOnFailure, TempDir } from './harness/tempdir';
import { describeWithTools } from './harness/tools';

/** The AWS families: AES-CBC x SHA-1/SHA-2 with MODP 2048, AES-GCM-16 with a PRF. PFS on the CHILD_SA. */
const FAMILIES: readonly { ike: string; esp: string }[] = [
  { ike: 'aes128-sha1-modp2048', esp: 'aes128-sha1-modp2048' },
  { ike: 'aes256-sha1-modp2048', esp: 'aes256-sha1-modp2048' },
  { ike: 'aes128-sha256-modp2048', esp: 'aes128-sha256-modp2048' },
  { ike: 'aes256-sha256-modp2048', esp: 'aes256-sha256-modp2048' },
  { ike: 'aes128-sha384-ecp384', esp: 'aes128-sha384-ecp384' },
  { ike: 'aes256-sha384-ecp384', esp: 'aes256-sha384-ecp384' },
  { ike: 'aes128-sha512-ecp256', esp: 'aes128-sha512-ecp256' },
  { ike: 'aes256-sha512-ecp521', esp: 'aes256-sha512-ecp521' },
  { ike: 'aes128gcm16-prfsha256-ecp256', esp: 'aes128gcm16-ecp256' },
  { ike: 'aes256gcm16-prfsha384-ecp384', esp: 'aes256gcm16-ecp384' },
];

/** DH groups AWS offers (phase 1: 2, 14-24), by strongSwan keyword. */
const GROUPS = ['modp1024', 'modp2048', 'modp3072', 'modp4096', 'modp6144', 'modp8192', 'ecp256', 'ecp384', 'ecp521', 'modp1024s160', 'modp2048s224', 'modp2048s256'];

const ROLES = ['initiator', 'responder'] as const;

describeWithTools('IKEv2 interop with strongSwan charon 5.9.8', ['root', 'ip', 'charon', 'swanctl', 'ping', 'esbuild'], () => {
  let tmp: TempDir;
  let bundle: string;
  let n = 0;

  beforeAll(() => {
    tmp = new TempDir('ipx-ike');
    bundle = bundleIkePeer(tmp.path);
  });
  afterAll(() => tmp.cleanup());

  async function withInterop(o: Omit<IkeInteropOptions, 'dir' | 'bundle'>, body: (x: IkeInterop) => Promise<void>): Promise<void> {
    await keepOnFailure(tmp, async () => {
      const x = await startIkeInterop({ ...o, dir: join(tmp.path, `case-${n++}`), bundle });
      try {
        await body(x);
      } finally {
        await stopIkeInterop(x);
      }
    });
  }

  async function expectTraffic(x: IkeInterop): Promise<void> {
    const ping = await pingFromCharon(x);
    expect({ exit: ping.exitCode, out: ping.stdout.split('\n').slice(-3).join('\n') }).toMatchObject({ exit: 0 });
    expect(await pingFromUs(x)).toBe(2);
  }

  describe.each(ROLES)('every AWS family, we are the %s', (role) => {
    test.each(FAMILIES.map((f) => [f.ike, f.esp] as const))('IKE %s, ESP %s: up, NAT-T, pings both ways', async (ike, esp) => {
      await withInterop({ ourRole: role, ike, esp }, async (x) => {
        const child = await bringUp(x, role);
        // The first CHILD_SA comes with IKE_AUTH and so without a PFS group (RFC 7296 section 1.2).
        expect(child).toMatchObject({ proposal: esp.replace(/-(modp|ecp)\w+$/, ''), natT: true, localTs: ['198.51.100.1/32'], remoteTs: ['203.0.113.1/32'] });
        expect(x.peer.events('ike-up')[0]).toMatchObject({ proposal: ike, natT: true });
        expect(await listSas(x)).toMatch(/ours: #\d+, ESTABLISHED, IKEv2/);
        await expectTraffic(x);
      });
    });
  });

  describe.each(ROLES)('every DH group, we are the %s', (role) => {
    test.each(GROUPS)('IKE and PFS group %s', async (group) => {
      await withInterop({ ourRole: role, ike: `aes128-sha256-${group}`, esp: `aes128-sha256-${group}` }, async (x) => {
        await bringUp(x, role);
        expect(x.peer.events('ike-up')[0]).toMatchObject({ proposal: `aes128-sha256-${group}` });
        // PFS: the group is used again in a CHILD_SA rekey, started by charon.
        await swanctl(x.charon, ['--rekey', '--child', IKE_CHILD]);
        await x.peer.waitForEvent('rekeyed');
        await expectTraffic(x);
      });
    });
  });

  describe.each(ROLES)('certificate authentication (RFC 7427, ECDSA P-256), we are the %s', (role) => {
    test('up with signatures both ways, pings both ways', async () => {
      await withInterop({ ourRole: role, ike: 'aes256-sha256-ecp256', esp: 'aes256-sha256-ecp256', certificates: true }, async (x) => {
        await bringUp(x, role);
        expect(charonLog(x)).toMatch(/authentication of '192\.0\.2\.1' with ECDSA_WITH_SHA256_DER successful/);
        await expectTraffic(x);
      });
    });
  });

  /** How often charon's log says `re`. */
  const logCount = (x: IkeInterop, re: RegExp): number => charonLog(x).match(new RegExp(re.source, 'g'))?.length ?? 0;

  describe('COOKIE and INVALID_KE_PAYLOAD round trips (RFC 7296 sections 1.2, 2.6)', () => {
    test('charon demands a COOKIE (cookie_threshold 1, one half-open SA pending): our initiator returns it and comes up', async () => {
      const ike = 'aes128-sha256-modp2048';
      await withInterop({ ourRole: 'initiator', ike, esp: 'aes128-sha256-modp2048', charonSettings: '  cookie_threshold = 1' }, async (x) => {
        await leaveHalfOpenSa(x, ike);
        await bringUp(x, 'initiator');
        // Our second IKE_SA_INIT carries charon's cookie first; only that one reaches charon's IKE layer.
        expect(charonLog(x)).toMatch(/parsed IKE_SA_INIT request 0 \[ N\(COOKIE\) SA KE No /);
        expect(x.peer.events('ike-up')[0]).toMatchObject({ proposal: ike });
        await expectTraffic(x);
      });
    });

    test('we demand a COOKIE: charon as initiator returns it and comes up', async () => {
      await withInterop({ ourRole: 'responder', ike: 'aes128-sha256-modp2048', esp: 'aes128-sha256-modp2048', requireCookie: true }, async (x) => {
        await bringUp(x, 'responder');
        expect(charonLog(x)).toMatch(/received COOKIE notify/);
        expect(charonLog(x)).toMatch(/generating IKE_SA_INIT request 0 \[ N\(COOKIE\) SA KE No /);
        await expectTraffic(x);
      });
    });

    test('charon wants another DH group than our first KE: INVALID_KE_PAYLOAD, our initiator retries with it', async () => {
      await withInterop({ ourRole: 'initiator', ike: 'aes128-sha256-modp2048-ecp256', esp: 'aes128-sha256-modp2048', charonIke: 'aes128-sha256-ecp256-modp2048' }, async (x) => {
        await bringUp(x, 'initiator');
        expect(logCount(x, /DH group MODP_2048 unacceptable, requesting ECP_256/)).toBe(1);
        expect(x.peer.events('ike-up')[0]).toMatchObject({ proposal: 'aes128-sha256-ecp256' });
        await expectTraffic(x);
      });
    });

    test('we want another DH group than charon\'s first KE: charon retries; then our IKE SA rekey, answered INVALID_KE_PAYLOAD by charon, succeeds after one retry', async () => {
      await withInterop({ ourRole: 'responder', ike: 'aes128-sha256-modp2048-ecp256', esp: 'aes128-sha256-modp2048', charonIke: 'aes128-sha256-ecp256-modp2048' }, async (x) => {
        await bringUp(x, 'responder');
        expect(charonLog(x)).toMatch(/peer didn't accept DH group ECP_256, it requested MODP_2048/);
        expect(x.peer.events('ike-up')[0]).toMatchObject({ proposal: 'aes128-sha256-modp2048' });
        // Our rekey's KE is the IKE SA's group (modp2048); charon, as the rekey's responder, prefers ecp256.
        x.peer.send({ cmd: 'rekey-ike' });
        expect(await x.peer.waitForEvent('rekeyed', 15_000)).toMatchObject({ what: 'ike', proposal: 'aes128-sha256-ecp256' });
        expect(logCount(x, /DH group MODP_2048 unacceptable, requesting ECP_256/)).toBe(1);
        await waitFor(async () => (await listSas(x)).match(/ESTABLISHED/g)?.length === 1, 5000);
        expect(await listSas(x)).toMatch(/ECP_256/);
        expect(x.peer.events('failed')).toEqual([]);
        await expectTraffic(x);
      });
    });

    test('our initiator\'s IKE SA rekey: charon (its preference changed since the IKE SA came up) answers INVALID_KE_PAYLOAD, one retry succeeds', async () => {
      // Up in modp2048, our first group, because charon first prefers what the initiator proposes.
      await withInterop({ ourRole: 'initiator', ike: 'aes128-sha256-modp2048-ecp256', esp: 'aes128-sha256-modp2048', charonIke: 'aes128-sha256-ecp256-modp2048', charonSettings: '  prefer_configured_proposals = no' }, async (x) => {
        await bringUp(x, 'initiator');
        expect(x.peer.events('ike-up')[0]).toMatchObject({ proposal: 'aes128-sha256-modp2048' });
        await reloadCharonSettings(x, '');
        x.peer.send({ cmd: 'rekey-ike' });
        expect(await x.peer.waitForEvent('rekeyed', 15_000)).toMatchObject({ what: 'ike', proposal: 'aes128-sha256-ecp256' });
        expect(logCount(x, /DH group MODP_2048 unacceptable, requesting ECP_256/)).toBe(1);
        expect(x.peer.events('failed')).toEqual([]);
        await expectTraffic(x);
      });
    });
  });

  describe.each(ROLES)('rekeys, DPD and DELETE, we are the %s', (role) => {
    test('charon rekeys the CHILD_SA and the IKE SA; we rekey both; traffic continues each time', async () => {
      await withInterop({ ourRole: role, ike: 'aes256-sha256-modp2048', esp: 'aes256-sha256-modp2048' }, async (x) => {
        const first = await bringUp(x, role);
        await expectTraffic(x);

        await swanctl(x.charon, ['--rekey', '--child', IKE_CHILD]);
        const childRekey = await x.peer.waitForEvent('rekeyed');
        expect(childRekey).toMatchObject({ what: 'child', proposal: 'aes256-sha256-modp2048' });
        expect(childRekey.inboundSpi).not.toBe(first.inboundSpi);
        await x.peer.waitFor((l) => l.event?.type === 'child-deleted' && l.event.inboundSpi === first.inboundSpi);
        await expectTraffic(x);

        await swanctl(x.charon, ['--rekey', '--ike', IKE_CONN]);
        expect(await x.peer.waitForEvent('rekeyed', 15_000, 1)).toMatchObject({ what: 'ike' });
        await expectTraffic(x);

        x.peer.send({ cmd: 'rekey-child' });
        expect(await x.peer.waitForEvent('rekeyed', 15_000, 2)).toMatchObject({ what: 'child' });
        await waitFor(async () => (await listSas(x)).match(/INSTALLED/g)?.length === 1, 5000);
        await expectTraffic(x);

        x.peer.send({ cmd: 'rekey-ike' });
        expect(await x.peer.waitForEvent('rekeyed', 15_000, 3)).toMatchObject({ what: 'ike' });
        await waitFor(async () => (await listSas(x)).match(/ESTABLISHED/g)?.length === 1, 5000);
        const sas = await listSas(x);
        expect(sas.match(/ESTABLISHED/g)).toHaveLength(1);
        expect(sas.match(/INSTALLED/g)).toHaveLength(1);
        await expectTraffic(x);
        expect(x.peer.events('failed')).toEqual([]);
      });
    });

    test('DPD both ways, then we DELETE the IKE SA and charon forgets it', async () => {
      await withInterop({ ourRole: role, ike: 'aes128gcm16-prfsha256-ecp256', esp: 'aes128gcm16-ecp256', charonDpdSeconds: 1 }, async (x) => {
        await bringUp(x, role);
        x.peer.send({ cmd: 'dpd' });
        await x.peer.waitForEvent('peer-alive');
        // charon sends its own liveness checks after 1 s idle; we answer them and the SA stays up.
        await waitFor(() => /sending DPD request/.test(charonLog(x)), 8000);
        await new Promise((r) => setTimeout(r, 2500));
        expect(charonLog(x)).toMatch(/sending DPD request/);
        expect(await listSas(x)).toMatch(/ESTABLISHED/);
        x.peer.send({ cmd: 'delete' });
        expect(await x.peer.waitForEvent('deleted')).toMatchObject({ reason: 'local' });
        expect(await waitFor(async () => !/ESTABLISHED/.test(await listSas(x)), 5000)).toBe(true);
        expect(charonLog(x)).toMatch(/received DELETE for IKE_SA/);
      });
    });

    test('charon DELETEs the IKE SA: we delete ours', async () => {
      await withInterop({ ourRole: role, ike: 'aes128-sha256-modp2048', esp: 'aes128-sha256-modp2048' }, async (x) => {
        await bringUp(x, role);
        await swanctl(x.charon, ['--terminate', '--ike', IKE_CONN]);
        expect(await x.peer.waitForEvent('deleted')).toMatchObject({ reason: 'peer' });
        expect(x.peer.events('child-deleted')).toHaveLength(1);
      });
    });

    test('a wrong key: AUTHENTICATION_FAILED on both sides', async () => {
      await withInterop({ ourRole: role, ike: 'aes128-sha256-modp2048', esp: 'aes128-sha256-modp2048', charonPsk: 'a-different-key-9876543210' }, async (x) => {
        if (role === 'initiator') x.peer.send({ cmd: 'start' });
        else void swanctl(x.charon, ['--initiate', '--child', IKE_CHILD, '--timeout', '5'], { timeoutMs: 10_000 });
        expect(await x.peer.waitForEvent('failed')).toMatchObject({ exchange: 'IKE_AUTH', notify: 'AUTHENTICATION_FAILED' });
        // charon as responder answers N(AUTH_FAILED); as initiator it reports the notify it received.
        const expected = role === 'initiator' ? /generating IKE_AUTH response 1 \[ N\(AUTH_FAILED\) \]/ : /received AUTHENTICATION_FAILED notify error/;
        await waitFor(() => expected.test(charonLog(x)), 5000);
        expect(charonLog(x)).toMatch(expected);
      });
    });

    test('disjoint proposals: NO_PROPOSAL_CHOSEN on both sides', async () => {
      await withInterop({ ourRole: role, ike: 'aes128-sha1-modp2048', esp: 'aes128-sha1', charonIke: 'aes256gcm16-prfsha384-ecp384' }, async (x) => {
        if (role === 'initiator') x.peer.send({ cmd: 'start' });
        else void swanctl(x.charon, ['--initiate', '--child', IKE_CHILD, '--timeout', '5'], { timeoutMs: 10_000 });
        expect(await x.peer.waitForEvent('failed')).toMatchObject({ exchange: 'IKE_SA_INIT', notify: 'NO_PROPOSAL_CHOSEN' });
        const expected = role === 'initiator' ? /generating IKE_SA_INIT response 0 \[ N\(NO_PROP\) \]/ : /received NO_PROPOSAL_CHOSEN notify error/;
        await waitFor(() => expected.test(charonLog(x)), 5000);
        expect(charonLog(x)).toMatch(expected);
      });
    });
  });
});

/** Any tunnel options AWS accepts convert, validate, round-trip through JSON and render. */
import fc from 'fast-check';
import type { TunnelOption } from '@aws-sdk/client-ec2';
import { endpointConfigFromDescribe, parseEndpointConfigJson, renderJson, renderSwanctl, validateEndpointConfig } from '../../lib/endpoint';
import { loadConnection } from './fixtures';

const ENC = ['AES128', 'AES256', 'AES128-GCM-16', 'AES256-GCM-16'];
const INTEG = ['SHA1', 'SHA2-256', 'SHA2-384', 'SHA2-512'];
const P1_GROUPS = [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];
const P2_GROUPS = [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];

const subset = <T>(all: T[]) => fc.option(fc.subarray(all, { minLength: 1 }), { nil: undefined });
const listOf = <T>(values: T[] | undefined) => values?.map((Value) => ({ Value }));

const tunnelOptions = fc
  .record({
    p1enc: subset(ENC), p2enc: subset(ENC), p1int: subset(INTEG), p2int: subset(INTEG),
    p1groups: subset(P1_GROUPS), p2groups: subset(P2_GROUPS), versions: subset(['ikev1', 'ikev2']),
    phase1: fc.option(fc.integer({ min: 900, max: 28800 }), { nil: undefined }),
    phase2: fc.integer({ min: 900, max: 3600 }),
    marginShare: fc.double({ min: 0, max: 1, noNaN: true }),
    fuzz: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    replay: fc.option(fc.integer({ min: 64, max: 2048 }), { nil: undefined }),
    dpd: fc.option(fc.integer({ min: 30, max: 3600 }), { nil: undefined }),
    action: fc.option(fc.constantFrom('clear', 'none', 'restart'), { nil: undefined }),
    startup: fc.option(fc.constantFrom('add', 'start'), { nil: undefined }),
  })
  .map((r): Partial<TunnelOption> => ({
    Phase1EncryptionAlgorithms: listOf(r.p1enc), Phase2EncryptionAlgorithms: listOf(r.p2enc),
    Phase1IntegrityAlgorithms: listOf(r.p1int), Phase2IntegrityAlgorithms: listOf(r.p2int),
    Phase1DHGroupNumbers: listOf(r.p1groups), Phase2DHGroupNumbers: listOf(r.p2groups), IkeVersions: listOf(r.versions),
    Phase1LifetimeSeconds: r.phase1, Phase2LifetimeSeconds: r.phase2,
    RekeyMarginTimeSeconds: 60 + Math.floor(r.marginShare * (Math.floor(r.phase2 / 2) - 60)),
    RekeyFuzzPercentage: r.fuzz, ReplayWindowSize: r.replay, DpdTimeoutSeconds: r.dpd, DpdTimeoutAction: r.action, StartupAction: r.startup,
  }));

test('random valid tunnel options: convert, validate, JSON round-trip, swanctl lifetimes', () => {
  fc.assert(
    fc.property(tunnelOptions, tunnelOptions, (a, b) => {
      const c = loadConnection('tgw-bgp-defaults');
      c.Options!.TunnelOptions = c.Options!.TunnelOptions!.map((base, i) => ({ ...base, ...(i === 0 ? a : b) }));
      const config = endpointConfigFromDescribe(c);
      validateEndpointConfig(config);
      expect(parseEndpointConfigJson(renderJson(config))).toEqual(config);
      const conf = renderSwanctl(config);
      config.tunnels.forEach((t, i) => {
        const o = i === 0 ? a : b;
        expect(t.esp.lifetimeSeconds).toBe(o.Phase2LifetimeSeconds);
        expect(t.rekey.marginSeconds).toBe(o.RekeyMarginTimeSeconds);
        if (o.Phase1EncryptionAlgorithms) expect(t.ike.encryption).toHaveLength(o.Phase1EncryptionAlgorithms.length);
        expect(t.mtu).toBeGreaterThanOrEqual(1390);
        expect(t.mtu).toBeLessThanOrEqual(1446);
        expect(conf).toContain(`        rekey_time = ${t.esp.lifetimeSeconds - t.rekey.marginSeconds}s\n        life_time = ${t.esp.lifetimeSeconds}s\n`);
      });
    }),
    { numRuns: 200 },
  );
});

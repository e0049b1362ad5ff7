/** The tunnel MTU against AWS's published figures and hand-computed packets. */
import { espSuitesOf, tunnelMtu } from '../../lib/endpoint';

describe('tunnelMtu', () => {
  test('AWS: 1446 for AES-GCM without NAT-T', () => {
    expect(tunnelMtu(['aes128gcm16'], [], { natTraversal: false })).toBe(1446);
    expect(tunnelMtu(['aes256gcm16'], ['sha512'], { natTraversal: false })).toBe(1446);
  });

  test('AWS: 1422 (MSS 1382) for AES-CBC + SHA1 with NAT-T', () => {
    const mtu = tunnelMtu(['aes128'], ['sha1'], { natTraversal: true });
    expect(mtu).toBe(1422);
    expect(mtu - 20 - 20).toBe(1382);
  });

  test('longer ICVs and IPv6 outer headers shrink it', () => {
    // 1500 - 20 (IPv4) - 8 (ESP) - 16 (IV) - 32 (ICV) = 1424, a multiple of 16, minus 2 trailer bytes
    expect(tunnelMtu(['aes256'], ['sha512'], { natTraversal: false })).toBe(1422);
    // 1500 - 40 (IPv6) - 8 (UDP) - 8 (ESP) - 8 (IV) - 16 (ICV) = 1420, a multiple of 4, minus 2
    expect(tunnelMtu(['aes128gcm16'], [], { natTraversal: true, outerIpVersion: 6 })).toBe(1418);
  });

  test('the worst suite wins; integrity does not pair with GCM', () => {
    // aes128-sha512 with NAT-T: 1500 - 20 - 8 - 8 - 16 - 32 = 1416 -> 1408 (multiple of 16) - 2
    expect(tunnelMtu(['aes256gcm16', 'aes128'], ['sha1', 'sha512'], { natTraversal: true })).toBe(1406);
    expect(espSuitesOf(['aes256gcm16', 'aes128'], ['sha1', 'sha512'])).toEqual(['aes256gcm16', 'aes128-sha1', 'aes128-sha512']);
  });

  test('no suite at all is an error', () => {
    expect(() => tunnelMtu(['aes128'], [], { natTraversal: true })).toThrow(/no ESP suite/);
  });
});

/**
 * The KE payload data and shared secrets IKE uses, against RFC 5903 (ECP groups 19, 20: x || y in, x out)
 * and RFC 7748 / RFC 8031 (Curve25519, group 31), through the registry's key exchange with fixed keys.
 */
import { createKeyExchange, KeyExchangeError } from '../../lib/algorithms/key-exchange';
import { dhGroupById } from '../../lib/algorithms/lookup';
import { fixtureJson, hex } from './helpers';

interface EcpVector {
  group: number;
  i: string;
  gi: string;
  gr: string;
  girx: string;
}
interface X25519Vector {
  group: number;
  i: string;
  gi: string;
  r: string;
  gr: string;
  shared: string;
}
const vectors = fixtureJson<{ ecp: { vectors: EcpVector[] }; curve25519: { vectors: X25519Vector[] } }>('dh-vectors.json');

const group = (id: number) => {
  const g = dhGroupById(id);
  if (!g) throw new Error(`no group ${id}`);
  return g;
};

describe('RFC 5903 ECP groups', () => {
  test.each(vectors.ecp.vectors.map((v) => [v.group, v] as const))('group %d: KEi is gix || giy; g^ir is girx', (_g, v) => {
    const kex = createKeyExchange(group(v.group), hex(v.i));
    expect(kex.publicKey.toString('hex')).toBe(hex(v.gi).toString('hex'));
    expect(kex.computeSharedSecret(hex(v.gr)).toString('hex')).toBe(hex(v.girx).toString('hex'));
  });

  test('a 0x04-prefixed (SEC 1) value and a point off the curve are refused', () => {
    const v = vectors.ecp.vectors[0];
    const kex = createKeyExchange(group(19), hex(v.i));
    expect(() => kex.computeSharedSecret(Buffer.concat([Buffer.from([4]), hex(v.gr)]))).toThrow(KeyExchangeError);
    const off = hex(v.gr);
    off[63] ^= 1;
    expect(() => kex.computeSharedSecret(off)).toThrow(KeyExchangeError);
  });
});

describe('RFC 7748 section 6.1 / RFC 8031 Curve25519', () => {
  test.each(vectors.curve25519.vectors.map((v) => [v.group, v] as const))('group %d: both sides', (_g, v) => {
    const a = createKeyExchange(group(v.group), hex(v.i));
    const b = createKeyExchange(group(v.group), hex(v.r));
    expect(a.publicKey.toString('hex')).toBe(v.gi);
    expect(b.publicKey.toString('hex')).toBe(v.gr);
    expect(a.computeSharedSecret(hex(v.gr)).toString('hex')).toBe(v.shared);
    expect(b.computeSharedSecret(hex(v.gi)).toString('hex')).toBe(v.shared);
    // RFC 8031 section 2.3: an all-zero secret (small-order point) is refused.
    expect(() => a.computeSharedSecret(Buffer.alloc(32))).toThrow(KeyExchangeError);
  });
});

describe('every DH group AWS offers agrees with itself across two exchanges', () => {
  test.each([2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 31])('group %d', (id) => {
    const g = group(id);
    const [a, b] = [createKeyExchange(g), createKeyExchange(g)];
    expect(a.publicKey.length).toBe(g.keyExchangeLength);
    expect(a.computeSharedSecret(b.publicKey).equals(b.computeSharedSecret(a.publicKey))).toBe(true);
  });
});

test('group 2 (BigInt path, OpenSSL would re-verify its prime each time) agrees with node:crypto', async () => {
  const { createDiffieHellman } = await import('node:crypto');
  const g = group(2);
  if (g.kind !== 'modp') throw new Error('group 2 is MODP');
  const ours = createKeyExchange(g);
  const node = createDiffieHellman(Buffer.from(g.prime, 'hex'), Buffer.from(g.generator, 'hex'));
  const nodePublic = node.generateKeys();
  const secret = ours.computeSharedSecret(Buffer.concat([Buffer.alloc(128 - nodePublic.length), nodePublic]));
  const expected = node.computeSecret(ours.publicKey);
  expect(secret.equals(Buffer.concat([Buffer.alloc(128 - expected.length), expected]))).toBe(true);
  expect(() => ours.computeSharedSecret(Buffer.alloc(128))).toThrow(KeyExchangeError);
});

import { createECDH } from 'crypto';
import { createKeyExchange, DH_GROUPS, dhGroupById, KeyExchangeError, ModpGroup } from '../../lib/algorithms';

function reason(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof KeyExchangeError) return e.reason;
    throw e;
  }
  return undefined;
}

describe('createKeyExchange', () => {
  it.each(DH_GROUPS.map((g) => [g.ianaId, g.keyword, g] as const))('group %i (%s): both sides derive one secret from KE data of the registry length', (_id, _kw, group) => {
    const a = createKeyExchange(group);
    const b = createKeyExchange(group);
    expect([a.publicKey.length, b.publicKey.length]).toEqual([group.keyExchangeLength, group.keyExchangeLength]);
    const secret = a.computeSharedSecret(b.publicKey);
    expect(secret.equals(b.computeSharedSecret(a.publicKey))).toBe(true);
    const expectedLength = group.kind === 'modp' ? group.keyExchangeLength : group.kind === 'ecp' ? group.coordinateLength : 32;
    expect(secret.length).toBe(expectedLength);
  });

  it('ECP: the secret is the x coordinate node:crypto computes from the uncompressed point (RFC 5903 section 7)', () => {
    const group = dhGroupById(19)!;
    const ours = createKeyExchange(group);
    const peer = createECDH('prime256v1');
    const peerPoint = peer.generateKeys();
    expect(ours.computeSharedSecret(peerPoint.subarray(1)).equals(peer.computeSecret(Buffer.concat([Buffer.from([4]), ours.publicKey])))).toBe(true);
  });

  it('refuses unusable peer values with a named reason', () => {
    const modp = createKeyExchange(dhGroupById(14)!);
    const prime = Buffer.from((dhGroupById(14) as ModpGroup).prime, 'hex');
    const one = Buffer.alloc(256);
    one[255] = 1;
    const pMinusOne = Buffer.from(prime);
    pMinusOne[255] -= 1;
    expect(reason(() => modp.computeSharedSecret(Buffer.alloc(255, 7)))).toBe('length');
    expect(reason(() => modp.computeSharedSecret(one))).toBe('range');
    expect(reason(() => modp.computeSharedSecret(pMinusOne))).toBe('range');
    const two = Buffer.alloc(128);
    two[127] = 2; // 2 is outside the 160-bit subgroup of group 22
    expect(reason(() => createKeyExchange(dhGroupById(22)!).computeSharedSecret(two))).toBe('subgroup');
    expect(reason(() => createKeyExchange(dhGroupById(19)!).computeSharedSecret(Buffer.alloc(64, 1)))).toBe('point');
    expect(reason(() => createKeyExchange(dhGroupById(31)!).computeSharedSecret(Buffer.alloc(32)))).toBe('zero-secret');
  });
});

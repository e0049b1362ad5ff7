import { createECDH } from 'crypto';
import { createKeyExchange, DH_GROUPS, dhGroupById, EcpGroup, KeyExchangeError, ModpGroup } from '../../lib/algorithms';

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

  it.each([20, 21])('group %i: a fixed scalar gives the point and secrets createECDH gives, the secret at full field length', (id) => {
    const group = dhGroupById(id) as EcpGroup;
    const scalar = Buffer.alloc(group.coordinateLength, 0x5a);
    scalar[0] = 0x01; // below the order of either curve
    const reference = createECDH(group.curve);
    reference.setPrivateKey(scalar);
    expect(createKeyExchange(group, scalar).publicKey.equals(reference.getPublicKey().subarray(1))).toBe(true);
    // The top byte of a P-521 x coordinate is zero about half the time, of a P-384 one 1/256 of the time.
    let leadingZero = 0;
    for (let i = 0; i < 24; i++) {
      const ours = createKeyExchange(group, scalar);
      const peer = createECDH(group.curve);
      const secret = ours.computeSharedSecret(peer.generateKeys().subarray(1));
      expect(secret.equals(peer.computeSecret(Buffer.concat([Buffer.from([4]), ours.publicKey])))).toBe(true);
      expect(secret.length).toBe(group.coordinateLength);
      if (secret[0] === 0) leadingZero++;
    }
    if (id === 21) expect(leadingZero).toBeGreaterThan(0); // fails once in 2^24 runs
  });

  it.each([19, 20, 21])('group %i: an all-zero, off-curve, SEC 1-prefixed or short point is refused', (id) => {
    const group = dhGroupById(id) as EcpGroup;
    const ours = createKeyExchange(group);
    const point = createECDH(group.curve).generateKeys().subarray(1);
    const offCurve = Buffer.from(point);
    offCurve[offCurve.length - 1] ^= 1;
    expect(reason(() => ours.computeSharedSecret(Buffer.alloc(group.keyExchangeLength)))).toBe('point');
    expect(reason(() => ours.computeSharedSecret(offCurve))).toBe('point');
    expect(reason(() => ours.computeSharedSecret(Buffer.concat([Buffer.from([4]), point])))).toBe('length');
    expect(reason(() => ours.computeSharedSecret(point.subarray(1)))).toBe('length');
  });

  it('group 21: an x coordinate not reduced mod p (x + p, same y) is refused', () => {
    const group = dhGroupById(21) as EcpGroup;
    const n = group.coordinateLength;
    const p = (1n << 521n) - 1n;
    let point: Buffer;
    do point = createECDH(group.curve).generateKeys().subarray(1);
    while (BigInt(`0x${point.subarray(0, n).toString('hex')}`) + p >= 1n << BigInt(8 * n)); // x + p must fit in 66 bytes
    const unreduced = Buffer.concat([Buffer.from((BigInt(`0x${point.subarray(0, n).toString('hex')}`) + p).toString(16).padStart(2 * n, '0'), 'hex'), point.subarray(n)]);
    expect(reason(() => createKeyExchange(group).computeSharedSecret(unreduced))).toBe('point');
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

describe('known answers', () => {
  const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

  it('group 19: RFC 5903 section 8.1 (KE data g^i = x || y, shared secret the x coordinate of g^ir)', () => {
    const initiator = createKeyExchange(dhGroupById(19)!, hex('C88F01F5 10D9AC3F 70A292DA A2316DE5 44E9AAB8 AFE84049 C62A9C57 862D1433'));
    expect(initiator.publicKey.toString('hex')).toBe(
      hex('DAD0B653 94221CF9 B051E1FE CA5787D0 98DFE637 FC90B9EF 945D0C37 72581180 5271A046 1CDB8252 D61F1C45 6FA3E59A B1F45B33 ACCF5F58 389E0577 B8990BB3').toString('hex'),
    );
    const gr = hex('D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755 4494BF63 56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33 039872AB');
    expect(initiator.computeSharedSecret(gr).toString('hex')).toBe(hex('D6840F6B 42F6EDAF D13116E0 E1256520 2FEF8E9E CE7DCE03 812464D0 4B9442DE').toString('hex'));
  });

  it('group 31: RFC 7748 section 6.1 (the X25519 exchange RFC 8031 uses)', () => {
    const alice = createKeyExchange(dhGroupById(31)!, hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'));
    expect(alice.publicKey.toString('hex')).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(alice.computeSharedSecret(hex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f')).toString('hex')).toBe(
      '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742',
    );
  });

  it('MODP with a given private key: g^x mod p, and the same secret as a fresh peer computes', () => {
    const group = dhGroupById(14)!;
    const x = Buffer.alloc(32, 0x42);
    const a = createKeyExchange(group, x);
    const b = createKeyExchange(group);
    expect(a.publicKey.length).toBe(256);
    expect(a.computeSharedSecret(b.publicKey).equals(b.computeSharedSecret(a.publicKey))).toBe(true);
    expect(createKeyExchange(group, x).publicKey.equals(a.publicKey)).toBe(true);
  });
});

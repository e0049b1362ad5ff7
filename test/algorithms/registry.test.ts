/**
 * The registry against sources we did not write: IANA's IKEv2 registry, strongSwan's keyword table, the
 * RFCs' sizes and numbers, OpenSSL's built-in groups (node:crypto and the openssl CLI), and AWS's rules.
 */
import { createHash, getCipherInfo, getCiphers, getCurves, getDiffieHellman } from 'crypto';
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  ALL_TRANSFORMS,
  DH_GROUPS,
  dhGroupById,
  ENCRYPTION_TRANSFORMS,
  encryptionByAwsName,
  INTEGRITY_TRANSFORMS,
  integrityByAwsName,
  ModpGroup,
  PRF_TRANSFORMS,
  prfByAwsName,
  transformById,
  transformByKeyword,
  TransformType,
  isWeak,
  strongerAwsAlternatives,
} from '../../lib/algorithms';
import { ENCRYPTION_ALGORITHMS, INTEGRITY_ALGORITHMS, PHASE1_DH_GROUPS, PHASE2_DH_GROUPS } from '../../lib/aws-rules';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const hex = (text: string) => BigInt(`0x${text.replace(/\s+/g, '')}`);

describe('IANA IKEv2 Parameters', () => {
  const rows = fixture('iana-ikev2-transform-ids.txt')
    .split('\n')
    .filter((l) => /^\d/.test(l))
    .map((l) => {
      const [, type, id, name] = /^(\d+) (\d+) (.+)$/.exec(l)!;
      return { type: Number(type), id: Number(id), name };
    });

  it('every transform carries the type, id and name IANA assigned', () => {
    for (const t of ALL_TRANSFORMS) {
      const row = rows.find((r) => r.type === t.transformType && r.id === t.ianaId);
      expect({ keyword: t.keyword, name: row?.name }).toEqual({ keyword: t.keyword, name: t.ianaName });
    }
  });

  it('transform type numbers are the registry\'s', () => {
    const types = Object.fromEntries(
      fixture('iana-ikev2-transform-ids.txt')
        .split('\n')
        .filter((l) => l.startsWith('type '))
        .map((l) => [/\((\w+)\)/.exec(l)![1], Number(l.split(' ')[1])]),
    );
    expect(types).toEqual({ ENCR: TransformType.ENCR, PRF: TransformType.PRF, INTEG: TransformType.INTEG, KE: TransformType.DH, SN: TransformType.ESN });
  });

  it('(type, id, key length) finds exactly one transform', () => {
    for (const t of ALL_TRANSFORMS) {
      const bits = t.transformType === TransformType.ENCR ? t.keyLengthAttribute : undefined;
      expect(transformById(t.transformType, t.ianaId, bits)).toBe(t);
    }
    expect(transformById(TransformType.ENCR, 12, 192)).toBeUndefined(); // AES-192: strongSwan has it, we do not
    expect(transformById(TransformType.DH, 1)).toBeUndefined();
  });
});

describe("strongSwan's proposal keywords", () => {
  const rows = fixture('strongswan-proposal-keywords.txt')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [keyword, type, constant, keysize] = l.split(',').map((s) => s.trim());
      return { keyword, type, constant, keysize: Number(keysize) };
    });
  const TYPE: Record<string, number> = {
    ENCRYPTION_ALGORITHM: 1,
    PSEUDO_RANDOM_FUNCTION: 2,
    INTEGRITY_ALGORITHM: 3,
    KEY_EXCHANGE_METHOD: 4,
    EXTENDED_SEQUENCE_NUMBERS: 5,
  };

  it('every keyword and alias is one strongSwan knows, and strongSwan knows no other name for them', () => {
    const ours = ALL_TRANSFORMS.flatMap((t) => [t.keyword, ...t.aliases]).sort();
    expect(ours).toEqual(rows.map((r) => r.keyword).sort());
  });

  it('each keyword names the transform type and key size strongSwan gives it', () => {
    for (const r of rows) {
      const t = transformByKeyword(r.keyword)!;
      expect([r.keyword, t.transformType]).toEqual([r.keyword, TYPE[r.type]]);
      if (t.transformType === TransformType.ENCR) expect([r.keyword, t.keyLengthAttribute ?? 0]).toEqual([r.keyword, r.keysize]);
    }
  });

  it('keywords for one strongSwan algorithm and key size are aliases of one transform, and no others are', () => {
    for (const a of rows) {
      for (const b of rows) {
        const same = a.constant === b.constant && a.keysize === b.keysize;
        expect([a.keyword, b.keyword, transformByKeyword(a.keyword) === transformByKeyword(b.keyword)]).toEqual([a.keyword, b.keyword, same]);
      }
    }
  });
});

describe('sizes: the RFCs and node:crypto', () => {
  it('encryption transforms: key, salt, IV, ICV and block size', () => {
    const sizes = Object.fromEntries(ENCRYPTION_TRANSFORMS.map((t) => [t.keyword, [t.keyLength, t.saltLength, t.ivLength, t.icvLength, t.blockSize, t.aead]]));
    expect(sizes).toEqual({
      aes128: [16, 0, 16, 0, 16, false], // RFC 3602 sections 2.3, 2.4
      aes256: [32, 0, 16, 0, 16, false],
      aes128gcm16: [16, 4, 8, 16, 4, true], // RFC 4106 sections 3.1, 8.1
      aes256gcm16: [32, 4, 8, 16, 4, true],
      aes128gmac: [16, 4, 8, 16, 4, true], // RFC 4543 sections 3.1, 3.2
      aes256gmac: [32, 4, 8, 16, 4, true],
      chacha20poly1305: [32, 4, 8, 16, 4, true], // RFC 7634 section 2
    });
    for (const t of ENCRYPTION_TRANSFORMS) {
      expect(t.keyMaterialLength).toBe(t.keyLength + t.saltLength);
      expect(getCiphers()).toContain(t.cipher);
      expect(getCipherInfo(t.cipher)?.keyLength).toBe(t.keyLength);
      if (t.mode === 'cbc') expect([getCipherInfo(t.cipher)?.ivLength, getCipherInfo(t.cipher)?.blockSize]).toEqual([t.ivLength, t.blockSize]);
    }
  });

  it('integrity: HMAC key is the hash output, ICV the RFC 2404 / RFC 4868 truncation', () => {
    expect(INTEGRITY_TRANSFORMS.map((t) => [t.keyword, t.keyLength, t.icvLength])).toEqual([
      ['sha1', 20, 12],
      ['sha256', 32, 16],
      ['sha384', 48, 24],
      ['sha512', 64, 32],
    ]);
    for (const t of INTEGRITY_TRANSFORMS) expect(createHash(t.hash).digest().length).toBe(t.keyLength);
  });

  it('PRFs: untruncated HMAC output (RFC 4868 section 2.1.2)', () => {
    for (const t of PRF_TRANSFORMS) expect(createHash(t.hash).digest().length).toBe(t.outputLength);
    expect(PRF_TRANSFORMS.map((t) => t.keyword)).toEqual(['prfsha1', 'prfsha256', 'prfsha384', 'prfsha512']);
  });
});

/** pi * 2^bits, floored, by Machin's formula in fixed point (enough for RFC 3526's 8192-bit group). */
function piTimesTwoTo(bits: number): bigint {
  const guard = 64;
  const one = 1n << BigInt(bits + guard);
  const arctanInv = (x: bigint) => {
    let sum = 0n;
    let term = one / x;
    const x2 = x * x;
    for (let k = 0n; term !== 0n; k++) {
      sum += (k % 2n === 0n ? 1n : -1n) * (term / (2n * k + 1n));
      term /= x2;
    }
    return sum;
  };
  return (4n * (4n * arctanInv(5n) - arctanInv(239n))) >> BigInt(guard);
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  for (; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
  }
  return r;
}

/** Miller-Rabin with fixed bases: a transcription error in a prime shows up as "composite". */
function probablyPrime(n: bigint): boolean {
  let d = n - 1n;
  let s = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    s++;
  }
  for (const a of [2n, 3n, 5n, 7n, 11n, 13n, 17n, 19n]) {
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let i = 1; i < s && composite; i++) {
      x = (x * x) % n;
      if (x === n - 1n) composite = false;
    }
    if (composite) return false;
  }
  return true;
}

describe('Diffie-Hellman groups', () => {
  const modp = (id: number) => dhGroupById(id) as ModpGroup;

  it('holds exactly the groups AWS offers plus Curve25519, with AWS\'s phase 1 and phase 2 lists', () => {
    expect(DH_GROUPS.map((g) => g.ianaId)).toEqual([2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 31]);
    expect(DH_GROUPS.filter((g) => g.aws.phase1).map((g) => g.ianaId)).toEqual([...PHASE1_DH_GROUPS]);
    expect(DH_GROUPS.filter((g) => g.aws.phase2).map((g) => g.ianaId)).toEqual([...PHASE2_DH_GROUPS]);
  });

  it.each([
    [2, 'modp2'],
    [5, 'modp5'],
    [14, 'modp14'],
    [15, 'modp15'],
    [16, 'modp16'],
    [17, 'modp17'],
    [18, 'modp18'],
  ])('group %i is OpenSSL\'s %s (RFC 2409 / RFC 3526)', (id, name) => {
    const builtIn = getDiffieHellman(name);
    expect(modp(id).prime).toBe(builtIn.getPrime('hex'));
    expect(BigInt(`0x${modp(id).generator}`)).toBe(BigInt(`0x${builtIn.getGenerator('hex')}`));
  });

  // RFC 2409 section 6.2 and RFC 3526 sections 2-7: p = 2^N - 2^(N-64) - 1 + 2^64 * (floor(2^(N-130) pi) + k).
  it.each([
    [2, 1024, 129093n],
    [5, 1536, 741804n],
    [14, 2048, 124476n],
    [15, 3072, 1690314n],
    [16, 4096, 240904n],
    [17, 6144, 929484n],
    [18, 8192, 4743158n],
  ])('group %i follows the RFC formula for %i bits with k = %s', (id, n, k) => {
    const N = BigInt(n);
    const p = 2n ** N - 2n ** (N - 64n) - 1n + 2n ** 64n * (piTimesTwoTo(n - 130) + k);
    expect(modp(id).prime).toBe(p.toString(16));
    expect(modp(id).primeBits).toBe(n);
    expect(modp(id).keyExchangeLength).toBe(n / 8);
  });

  const rfc5114 = fixture('rfc5114-section-2.txt').split(/\n2\.\d\. {2}/).slice(1);
  const field = (section: string, name: string) => hex(new RegExp(`\\n\\s+${name} = ([0-9A-F\\s]+?)\\n\\n`).exec(`${section}\n\n`)![1]);

  it.each([
    [22, 1, 1],
    [23, 2, 2],
    [24, 3, 3],
  ])('group %i is RFC 5114 section 2.%i and OpenSSL\'s dh_rfc5114:%i, and its generator has the prime order q', (id, section, opensslGroup) => {
    const g = modp(id);
    const [p, gen, q] = [BigInt(`0x${g.prime}`), BigInt(`0x${g.generator}`), BigInt(`0x${g.subgroupOrder}`)];
    const text = rfc5114[section - 1];
    expect([p, gen, q]).toEqual([field(text, 'p'), field(text, 'g'), field(text, 'q')]);
    const pem = execFileSync('openssl', ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', `dh_rfc5114:${opensslGroup}`]);
    const integers = [...execFileSync('openssl', ['asn1parse'], { input: pem }).toString().matchAll(/INTEGER\s+:([0-9A-F]+)/g)].map((m) => BigInt(`0x${m[1]}`));
    expect(integers.slice(0, 2)).toEqual([p, gen]);
    expect((p - 1n) % q).toBe(0n);
    expect(modPow(gen, q, p)).toBe(1n);
    expect(probablyPrime(p) && probablyPrime(q)).toBe(true);
    expect(g.keyExchangeLength).toBe(id === 22 ? 128 : 256);
  });

  it('ECP groups use the RFC 5903 curves, KE data x || y (RFC 5903 section 7)', () => {
    const ecp = DH_GROUPS.filter((g) => g.kind === 'ecp');
    expect(ecp.map((g) => [g.ianaId, g.kind === 'ecp' && g.curve, g.keyExchangeLength])).toEqual([
      [19, 'prime256v1', 64],
      [20, 'secp384r1', 96],
      [21, 'secp521r1', 132],
    ]);
    for (const g of ecp) if (g.kind === 'ecp') expect(getCurves()).toContain(g.curve);
  });
});

describe('AWS names', () => {
  it('every AWS encryption and integrity name maps to one transform, in AWS\'s documented order', () => {
    expect(ENCRYPTION_ALGORITHMS.map((n) => encryptionByAwsName(n)?.keyword)).toEqual(['aes128', 'aes256', 'aes128gcm16', 'aes256gcm16']);
    expect(INTEGRITY_ALGORITHMS.map((n) => integrityByAwsName(n)?.keyword)).toEqual(['sha1', 'sha256', 'sha384', 'sha512']);
    expect(INTEGRITY_ALGORITHMS.map((n) => prfByAwsName(n)?.keyword)).toEqual(['prfsha1', 'prfsha256', 'prfsha384', 'prfsha512']);
    expect(ENCRYPTION_TRANSFORMS.filter((t) => t.aws.phase1 && t.aws.phase2).map((t) => t.awsName)).toEqual([...ENCRYPTION_ALGORITHMS]);
    expect(ENCRYPTION_TRANSFORMS.filter((t) => !t.aws.phase1 && !t.aws.phase2).map((t) => t.keyword)).toEqual(['aes128gmac', 'aes256gmac', 'chacha20poly1305']);
    expect(encryptionByAwsName('AES192')).toBeUndefined();
  });
});

describe('strength', () => {
  it('weak: SHA-1 and the DH groups under 2048 bits or with small subgroups, all of them still allowed by AWS', () => {
    const weak = ALL_TRANSFORMS.filter(isWeak);
    expect(weak.map((t) => t.keyword)).toEqual(['prfsha1', 'sha1', 'modp1024', 'modp1536', 'modp1024s160', 'modp2048s224', 'modp2048s256']);
    for (const t of weak) expect(t.aws.phase1 || t.aws.phase2).toBe(true);
  });

  it('names the AWS alternatives that are not weak, for the phase', () => {
    expect(strongerAwsAlternatives(transformByKeyword('sha1')!, 'phase2').map((t) => t.keyword)).toEqual(['sha256', 'sha384', 'sha512']);
    expect(strongerAwsAlternatives(transformByKeyword('modp1536')!, 'phase2').map((t) => t.ianaId)).toEqual([14, 15, 16, 17, 18, 19, 20, 21]);
    expect(strongerAwsAlternatives(transformByKeyword('aes128')!, 'phase1').map((t) => t.keyword)).toEqual(['aes128', 'aes256', 'aes128gcm16', 'aes256gcm16']);
  });
});

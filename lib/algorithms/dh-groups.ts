/**
 * The Diffie-Hellman groups (IKEv2 transform type 4): IANA id, strongSwan keyword, the group itself and how
 * `node:crypto` computes it, the KE payload's length, and what AWS allows it for.
 */
import { PHASE1_DH_GROUPS, PHASE2_DH_GROUPS } from '../aws-rules';
import { MODP_NUMBERS } from './modp-primes';
import { AwsPhases, Strength, TransformType } from './transforms';

interface DhGroupBase {
  readonly transformType: typeof TransformType.DH;
  readonly ianaId: number;
  readonly ianaName: string;
  readonly keyword: string;
  readonly aliases: readonly string[];
  /** Length of the KE payload's Key Exchange Data (and of the shared secret for MODP). */
  readonly keyExchangeLength: number;
  readonly strength: Strength;
  /** AWS's `Phase1DHGroupNumbers` / `Phase2DHGroupNumbers`. */
  readonly aws: AwsPhases;
  /** Libreswan 4's name; absent for the groups its Debian and RHEL builds lack (2 and 22-24). */
  readonly libreswan?: string;
}

/**
 * A MODP group (RFC 2409, RFC 3526, RFC 5114). `node:crypto`: `createDiffieHellman(prime, generator)`; KE
 * data and shared secret are big-endian, zero-padded to the prime's length (RFC 7296 sections 3.4, 2.14).
 */
export interface ModpGroup extends DhGroupBase {
  readonly kind: 'modp';
  /** The prime, big-endian hexadecimal without spaces (even length: `Buffer.from(prime, 'hex')`). */
  readonly prime: string;
  readonly generator: string;
  /** RFC 5114 groups: the order of the prime-order subgroup the generator generates. */
  readonly subgroupOrder?: string;
  readonly primeBits: number;
}

/**
 * A NIST prime curve (RFC 5903). `node:crypto`: `createECDH(curve)` for P-256, KeyObjects and `diffieHellman`
 * for P-384 and P-521 (faster there); KE data is x || y, each coordinate
 * zero-padded to the field size (RFC 5903 section 7), and the shared secret is the x coordinate.
 */
export interface EcpGroup extends DhGroupBase {
  readonly kind: 'ecp';
  /** The `node:crypto` / OpenSSL curve name. */
  readonly curve: 'prime256v1' | 'secp384r1' | 'secp521r1';
  readonly coordinateLength: number;
}

/**
 * Curve25519 (RFC 8031). `node:crypto`: `generateKeyPairSync('x25519')` and `diffieHellman`; KE data is
 * the 32-byte u coordinate, and an all-zero shared secret must be refused (RFC 8031 section 2.3).
 */
export interface MontgomeryGroup extends DhGroupBase {
  readonly kind: 'curve25519';
  /** The `node:crypto` key type. */
  readonly keyType: 'x25519';
}

export type DhGroup = ModpGroup | EcpGroup | MontgomeryGroup;

function awsPhases(id: number): AwsPhases {
  return { phase1: (PHASE1_DH_GROUPS as readonly number[]).includes(id), phase2: (PHASE2_DH_GROUPS as readonly number[]).includes(id) };
}

/** RFC text to even-length lowercase hex (what `Buffer.from(hex, 'hex')` reads whole). */
function hexOf(rfcText: string): string {
  const digits = rfcText.replace(/\s+/g, '').toLowerCase();
  return digits.length % 2 === 1 ? `0${digits}` : digits;
}

function modp(ianaId: keyof typeof MODP_NUMBERS, ianaName: string, keyword: string, strength: Strength, libreswan?: string): ModpGroup {
  const numbers = MODP_NUMBERS[ianaId];
  const prime = hexOf(numbers.prime);
  return {
    transformType: TransformType.DH,
    kind: 'modp',
    ianaId,
    ianaName,
    keyword,
    aliases: [],
    prime,
    generator: hexOf(numbers.generator),
    ...(numbers.subgroupOrder ? { subgroupOrder: hexOf(numbers.subgroupOrder) } : {}),
    primeBits: prime.length * 4,
    keyExchangeLength: prime.length / 2,
    strength,
    aws: awsPhases(ianaId),
    ...(libreswan ? { libreswan } : {}),
  };
}

function ecp(ianaId: number, bits: 256 | 384 | 521, curve: EcpGroup['curve'], strength: Strength): EcpGroup {
  const coordinateLength = Math.ceil(bits / 8);
  return {
    transformType: TransformType.DH,
    kind: 'ecp',
    ianaId,
    ianaName: `${bits}-bit random ECP group`,
    keyword: `ecp${bits}`,
    aliases: [],
    curve,
    coordinateLength,
    keyExchangeLength: 2 * coordinateLength,
    strength,
    aws: awsPhases(ianaId),
    libreswan: `dh${ianaId}`,
  };
}

/** Every group, by IANA id. */
export const DH_GROUPS: readonly DhGroup[] = [
  modp(2, '1024-bit MODP Group', 'modp1024', 'weak'),
  modp(5, '1536-bit MODP Group', 'modp1536', 'weak', 'modp1536'),
  modp(14, '2048-bit MODP Group', 'modp2048', 'standard', 'modp2048'),
  modp(15, '3072-bit MODP Group', 'modp3072', 'standard', 'modp3072'),
  modp(16, '4096-bit MODP Group', 'modp4096', 'strong', 'modp4096'),
  modp(17, '6144-bit MODP Group', 'modp6144', 'strong', 'modp6144'),
  modp(18, '8192-bit MODP Group', 'modp8192', 'strong', 'modp8192'),
  ecp(19, 256, 'prime256v1', 'standard'),
  ecp(20, 384, 'secp384r1', 'strong'),
  ecp(21, 521, 'secp521r1', 'strong'),
  modp(22, '1024-bit MODP Group with 160-bit Prime Order Subgroup', 'modp1024s160', 'weak'),
  modp(23, '2048-bit MODP Group with 224-bit Prime Order Subgroup', 'modp2048s224', 'weak'),
  modp(24, '2048-bit MODP Group with 256-bit Prime Order Subgroup', 'modp2048s256', 'weak'),
  {
    transformType: TransformType.DH,
    kind: 'curve25519',
    ianaId: 31,
    ianaName: 'Curve25519',
    keyword: 'curve25519',
    aliases: ['x25519'],
    keyType: 'x25519',
    keyExchangeLength: 32,
    strength: 'standard',
    aws: awsPhases(31),
    libreswan: 'dh31',
  },
];

/**
 * Finding a transform by any of its names: strongSwan keyword (aliases included), AWS's API value, or
 * IKEv2 (transform type, transform id[, key length]).
 */
import { DH_GROUPS, DhGroup } from './dh-groups';
import {
  AwsEncryptionName,
  AwsIntegrityName,
  ENCRYPTION_TRANSFORMS,
  EncryptionTransform,
  ESN_TRANSFORMS,
  EsnTransform,
  INTEGRITY_TRANSFORMS,
  IntegrityTransform,
  PRF_TRANSFORMS,
  PrfTransform,
  TransformType,
} from './transforms';

/** Any registry entry. */
export type Transform = EncryptionTransform | PrfTransform | IntegrityTransform | DhGroup | EsnTransform;

/** strongSwan keywords of the encryption and integrity algorithms AWS offers (the endpoint config's names). */
export type AwsEncryptionKeyword = 'aes128' | 'aes256' | 'aes128gcm16' | 'aes256gcm16';
export type AwsIntegrityKeyword = 'sha1' | 'sha256' | 'sha384' | 'sha512';

/** An encryption transform AWS offers, with its keyword typed. */
export type AwsEncryptionTransform = EncryptionTransform & { readonly keyword: AwsEncryptionKeyword; readonly awsName: AwsEncryptionName };
export type AwsIntegrityTransform = IntegrityTransform & { readonly keyword: AwsIntegrityKeyword };

/** Every transform, types in IKEv2 order (ENCR, PRF, INTEG, DH, ESN). */
export const ALL_TRANSFORMS: readonly Transform[] = [...ENCRYPTION_TRANSFORMS, ...PRF_TRANSFORMS, ...INTEGRITY_TRANSFORMS, ...DH_GROUPS, ...ESN_TRANSFORMS];

const BY_KEYWORD: ReadonlyMap<string, Transform> = new Map(ALL_TRANSFORMS.flatMap((t) => [t.keyword, ...t.aliases].map((k) => [k, t] as const)));

/** The transform a strongSwan keyword or alias names (exact, lowercase), of any type. */
export function transformByKeyword(keyword: string): Transform | undefined {
  return BY_KEYWORD.get(keyword);
}

function ofType<T extends Transform>(type: TransformType) {
  return (keyword: string): T | undefined => {
    const t = transformByKeyword(keyword);
    return t?.transformType === type ? (t as T) : undefined;
  };
}

export const encryptionByKeyword = ofType<EncryptionTransform>(TransformType.ENCR);
export const prfByKeyword = ofType<PrfTransform>(TransformType.PRF);
export const integrityByKeyword = ofType<IntegrityTransform>(TransformType.INTEG);
export const dhGroupByKeyword = ofType<DhGroup>(TransformType.DH);
export const esnByKeyword = ofType<EsnTransform>(TransformType.ESN);

/** The encryption transform of an AWS `Phase1/2EncryptionAlgorithms` value (`AES128-GCM-16`). */
export function encryptionByAwsName(name: string): AwsEncryptionTransform | undefined {
  return ENCRYPTION_TRANSFORMS.find((t) => t.awsName === name) as AwsEncryptionTransform | undefined;
}

/** The integrity transform of an AWS `Phase1/2IntegrityAlgorithms` value (`SHA2-256`). */
export function integrityByAwsName(name: string): AwsIntegrityTransform | undefined {
  return INTEGRITY_TRANSFORMS.find((t) => t.awsName === name) as AwsIntegrityTransform | undefined;
}

/** The PRF an AWS `Phase1IntegrityAlgorithms` value stands for in an AEAD IKE proposal. */
export function prfByAwsName(name: AwsIntegrityName | string): PrfTransform | undefined {
  return PRF_TRANSFORMS.find((t) => t.awsName === name);
}

/** The PRF of the same hash as an integrity transform (what strongSwan adds to a non-AEAD IKE proposal). */
export function prfForIntegrity(integrity: IntegrityTransform): PrfTransform | undefined {
  return PRF_TRANSFORMS.find((t) => t.hash === integrity.hash);
}

export function dhGroupById(id: number): DhGroup | undefined {
  return DH_GROUPS.find((g) => g.ianaId === id);
}

/**
 * The transform of an IKEv2 Transform substructure: type, id and (for ciphers with variable key length)
 * the Key Length attribute in bits. Undefined for anything the registry does not hold.
 */
export function transformById(type: number, id: number, keyLengthBits?: number): Transform | undefined {
  if (type === TransformType.ENCR) return ENCRYPTION_TRANSFORMS.find((t) => t.ianaId === id && t.keyLengthAttribute === keyLengthBits);
  const table: readonly Transform[] =
    type === TransformType.PRF ? PRF_TRANSFORMS : type === TransformType.INTEG ? INTEGRITY_TRANSFORMS : type === TransformType.DH ? DH_GROUPS : type === TransformType.ESN ? ESN_TRANSFORMS : [];
  return keyLengthBits === undefined ? table.find((t) => t.ianaId === id) : undefined;
}

/** AWS-offered keyword of an AWS encryption name, typed for the endpoint config. */
export function awsEncryptionKeyword(name: string): AwsEncryptionKeyword | undefined {
  return encryptionByAwsName(name)?.keyword;
}

export function awsIntegrityKeyword(name: string): AwsIntegrityKeyword | undefined {
  return integrityByAwsName(name)?.keyword;
}

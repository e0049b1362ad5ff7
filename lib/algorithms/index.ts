/**
 * The algorithm registry: every transform and Diffie-Hellman group this project speaks, under all of its
 * names, with its sizes, its `node:crypto` primitive, its strength and what AWS allows it for. The ESP
 * suites, the endpoint converter and renderers, `verify` and IKE all read it. See README.md here.
 */
export { TransformType, ENCRYPTION_TRANSFORMS, INTEGRITY_TRANSFORMS, PRF_TRANSFORMS, ESN_TRANSFORMS } from './transforms';
export type {
  Strength,
  AwsPhases,
  CipherMode,
  EncryptionTransform,
  IntegrityTransform,
  PrfTransform,
  EsnTransform,
  SymmetricTransform,
  AwsEncryptionName,
  AwsIntegrityName,
} from './transforms';
export { DH_GROUPS } from './dh-groups';
export type { DhGroup, ModpGroup, EcpGroup, MontgomeryGroup } from './dh-groups';
export {
  ALL_TRANSFORMS,
  transformByKeyword,
  encryptionByKeyword,
  prfByKeyword,
  integrityByKeyword,
  dhGroupByKeyword,
  esnByKeyword,
  encryptionByAwsName,
  integrityByAwsName,
  prfByAwsName,
  prfForIntegrity,
  dhGroupById,
  transformById,
  awsEncryptionKeyword,
  awsIntegrityKeyword,
} from './lookup';
export type { Transform, AwsEncryptionKeyword, AwsIntegrityKeyword, AwsEncryptionTransform, AwsIntegrityTransform } from './lookup';
export { ProposalError, scanProposal, proposalProblems, parseProposal, formatProposal, prfsOf, isAeadProposal } from './proposal';
export type { Protocol, Proposal, ProposalProblem, ScannedProposal } from './proposal';
export { createKeyExchange, KeyExchangeError } from './key-exchange';
export type { KeyExchange } from './key-exchange';
export { isWeak, strongerAwsAlternatives } from './strength';
export type { AwsPhase } from './strength';

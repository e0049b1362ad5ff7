/**
 * IKEv2 wire numbers (RFC 7296 section 3 and the IANA "IKEv2 Parameters" registry): one table per field.
 */

export const IKE_HEADER_LENGTH = 28;
export const GENERIC_PAYLOAD_HEADER_LENGTH = 4;
export const IKE_MAJOR_VERSION = 2;

/** Exchange types (RFC 7296 section 3.1). */
export const EXCHANGE = {
  IKE_SA_INIT: 34,
  IKE_AUTH: 35,
  CREATE_CHILD_SA: 36,
  INFORMATIONAL: 37,
} as const;
export type ExchangeType = (typeof EXCHANGE)[keyof typeof EXCHANGE];

/** Header flags (RFC 7296 section 3.1). */
export const FLAG = {
  INITIATOR: 0x08,
  VERSION: 0x10,
  RESPONSE: 0x20,
} as const;

/** Next-payload numbers (RFC 7296 section 3.2, RFC 7383 for SKF). */
export const PAYLOAD = {
  NONE: 0,
  SA: 33,
  KE: 34,
  IDi: 35,
  IDr: 36,
  CERT: 37,
  CERTREQ: 38,
  AUTH: 39,
  NONCE: 40,
  N: 41,
  D: 42,
  V: 43,
  TSi: 44,
  TSr: 45,
  SK: 46,
  CP: 47,
  EAP: 48,
  SKF: 53,
} as const;

/** Transform types (RFC 7296 section 3.3.2): the registry's table. */
export { TransformType as TRANSFORM_TYPE } from '../../algorithms/transforms';

/** The one transform attribute IKEv2 defines (RFC 7296 section 3.3.5): a TV attribute. */
export const ATTRIBUTE_KEY_LENGTH = 14;

/** Security protocol ids (RFC 7296 section 3.3.1). */
export const PROTOCOL = {
  NONE: 0,
  IKE: 1,
  AH: 2,
  ESP: 3,
} as const;

/** Identification types (RFC 7296 section 3.5). */
export const ID_TYPE = {
  IPV4_ADDR: 1,
  FQDN: 2,
  RFC822_ADDR: 3,
  IPV6_ADDR: 5,
  DER_ASN1_DN: 9,
  DER_ASN1_GN: 10,
  KEY_ID: 11,
} as const;

/** Authentication methods (RFC 7296 section 3.8, RFC 7427). */
export const AUTH_METHOD = {
  RSA_DIGITAL_SIGNATURE: 1,
  SHARED_KEY_MIC: 2,
  DSS_DIGITAL_SIGNATURE: 3,
  ECDSA_SHA256_P256: 9,
  ECDSA_SHA384_P384: 10,
  ECDSA_SHA512_P521: 11,
  DIGITAL_SIGNATURE: 14,
} as const;

/** Certificate encodings (RFC 7296 section 3.6). */
export const CERT_ENCODING = {
  X509_SIGNATURE: 4,
  HASH_AND_URL_X509: 12,
} as const;

/** Traffic selector types (RFC 7296 section 3.13.1). */
export const TS_TYPE = {
  IPV4_ADDR_RANGE: 7,
  IPV6_ADDR_RANGE: 8,
} as const;

/** Notify message types (RFC 7296 section 3.10.1, RFC 7383, RFC 7427). Errors are below 16384. */
export const NOTIFY = {
  UNSUPPORTED_CRITICAL_PAYLOAD: 1,
  INVALID_IKE_SPI: 4,
  INVALID_MAJOR_VERSION: 5,
  INVALID_SYNTAX: 7,
  INVALID_MESSAGE_ID: 9,
  INVALID_SPI: 11,
  NO_PROPOSAL_CHOSEN: 14,
  INVALID_KE_PAYLOAD: 17,
  AUTHENTICATION_FAILED: 24,
  SINGLE_PAIR_REQUIRED: 34,
  NO_ADDITIONAL_SAS: 35,
  INTERNAL_ADDRESS_FAILURE: 36,
  FAILED_CP_REQUIRED: 37,
  TS_UNACCEPTABLE: 38,
  INVALID_SELECTORS: 39,
  TEMPORARY_FAILURE: 43,
  CHILD_SA_NOT_FOUND: 44,
  INITIAL_CONTACT: 16384,
  SET_WINDOW_SIZE: 16385,
  ADDITIONAL_TS_POSSIBLE: 16386,
  IPCOMP_SUPPORTED: 16387,
  NAT_DETECTION_SOURCE_IP: 16388,
  NAT_DETECTION_DESTINATION_IP: 16389,
  COOKIE: 16390,
  USE_TRANSPORT_MODE: 16391,
  HTTP_CERT_LOOKUP_SUPPORTED: 16392,
  REKEY_SA: 16393,
  ESP_TFC_PADDING_NOT_SUPPORTED: 16394,
  NON_FIRST_FRAGMENTS_ALSO: 16395,
  MOBIKE_SUPPORTED: 16396,
  MULTIPLE_AUTH_SUPPORTED: 16404,
  REDIRECT_SUPPORTED: 16406,
  IKEV2_FRAGMENTATION_SUPPORTED: 16430,
  SIGNATURE_HASH_ALGORITHMS: 16431,
} as const;

/** Error notify types are 1..16383 (RFC 7296 section 3.10.1). */
export function isErrorNotify(type: number): boolean {
  return type > 0 && type < 16384;
}

/** The RFC name of a notify type, or `NOTIFY(n)` for one this table does not name. */
export function notifyName(type: number): string {
  for (const [name, value] of Object.entries(NOTIFY)) if (value === type) return name;
  return `NOTIFY(${type})`;
}

export function exchangeName(type: number): string {
  for (const [name, value] of Object.entries(EXCHANGE)) if (value === type) return name;
  return `EXCHANGE(${type})`;
}

export function payloadName(type: number): string {
  for (const [name, value] of Object.entries(PAYLOAD)) if (value === type) return name;
  return `PAYLOAD(${type})`;
}

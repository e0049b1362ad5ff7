/**
 * Every payload as one tagged union keyed by its IANA payload type, and the generic payload chain
 * (RFC 7296 section 3.2): next payload | critical bit | length | body, repeated.
 */
import { GENERIC_PAYLOAD_HEADER_LENGTH, PAYLOAD, payloadName } from './constants';
import { MessageError, Parsed, parsed } from './errors';
import { AuthPayload, decodeAuth, encodeAuth } from './payloads/authentication';
import { CertPayload, decodeCert, encodeCert } from './payloads/certificate';
import { decodeDelete, DeletePayload, encodeDelete } from './payloads/delete';
import { decodeSk, decodeSkf, encodeSk, encodeSkf, SkfPayload, SkPayload } from './payloads/encrypted';
import { decodeId, encodeId, IdPayload } from './payloads/identification';
import { decodeKe, encodeKe, KePayload } from './payloads/key-exchange';
import { decodeNonce, encodeNonce, NoncePayload } from './payloads/nonce';
import { decodeNotify, encodeNotify, NotifyPayload } from './payloads/notify';
import { decodeSa, encodeSa, SaPayload } from './payloads/security-association';
import { decodeTs, encodeTs, TsPayload } from './payloads/traffic-selector';
import { decodeVendorId, encodeVendorId, VendorIdPayload } from './payloads/vendor-id';

type P = typeof PAYLOAD;
type Tagged<T extends number, B> = { readonly type: T } & B;

/** A payload whose next-payload field names the first payload inside it (SK, SKF). */
export interface Envelope {
  readonly innerType: number;
}

/** CP and EAP: recognised (so never "unsupported critical") but not interpreted by this implementation. */
export interface OpaquePayload {
  readonly body: Buffer;
}

export type Payload =
  | Tagged<P['SA'], SaPayload>
  | Tagged<P['KE'], KePayload>
  | Tagged<P['IDi'], IdPayload>
  | Tagged<P['IDr'], IdPayload>
  | Tagged<P['CERT'], CertPayload>
  | Tagged<P['CERTREQ'], CertPayload>
  | Tagged<P['AUTH'], AuthPayload>
  | Tagged<P['NONCE'], NoncePayload>
  | Tagged<P['N'], NotifyPayload>
  | Tagged<P['D'], DeletePayload>
  | Tagged<P['V'], VendorIdPayload>
  | Tagged<P['TSi'], TsPayload>
  | Tagged<P['TSr'], TsPayload>
  | Tagged<P['SK'], SkPayload & Envelope>
  | Tagged<P['SKF'], SkfPayload & Envelope>
  | Tagged<P['CP'], OpaquePayload>
  | Tagged<P['EAP'], OpaquePayload>;

export type PayloadOf<T extends Payload['type']> = Extract<Payload, { type: T }>;

const CRITICAL = 0x80;

/** Decodes one payload body of a known type. Throws MessageError; undefined for a type this table lacks. */
function decodeBody(type: number, body: Buffer, innerType: number): Payload | undefined {
  switch (type) {
    case PAYLOAD.SA:
      return { type, ...decodeSa(body) };
    case PAYLOAD.KE:
      return { type, ...decodeKe(body) };
    case PAYLOAD.IDi:
      return { type, ...decodeId(body, 'IDi') };
    case PAYLOAD.IDr:
      return { type, ...decodeId(body, 'IDr') };
    case PAYLOAD.CERT:
      return { type, ...decodeCert(body, 'CERT') };
    case PAYLOAD.CERTREQ:
      return { type, ...decodeCert(body, 'CERTREQ') };
    case PAYLOAD.AUTH:
      return { type, ...decodeAuth(body) };
    case PAYLOAD.NONCE:
      return { type, ...decodeNonce(body) };
    case PAYLOAD.N:
      return { type, ...decodeNotify(body) };
    case PAYLOAD.D:
      return { type, ...decodeDelete(body) };
    case PAYLOAD.V:
      return { type, ...decodeVendorId(body) };
    case PAYLOAD.TSi:
      return { type, ...decodeTs(body, 'TSi') };
    case PAYLOAD.TSr:
      return { type, ...decodeTs(body, 'TSr') };
    case PAYLOAD.SK:
      return { type, innerType, ...decodeSk(body) };
    case PAYLOAD.SKF:
      return { type, innerType, ...decodeSkf(body) };
    case PAYLOAD.CP:
    case PAYLOAD.EAP:
      return { type, body: Buffer.from(body) };
    default:
      return undefined;
  }
}

function encodeBody(p: Payload): Buffer {
  switch (p.type) {
    case PAYLOAD.SA:
      return encodeSa(p);
    case PAYLOAD.KE:
      return encodeKe(p);
    case PAYLOAD.IDi:
    case PAYLOAD.IDr:
      return encodeId(p);
    case PAYLOAD.CERT:
    case PAYLOAD.CERTREQ:
      return encodeCert(p);
    case PAYLOAD.AUTH:
      return encodeAuth(p);
    case PAYLOAD.NONCE:
      return encodeNonce(p);
    case PAYLOAD.N:
      return encodeNotify(p);
    case PAYLOAD.D:
      return encodeDelete(p);
    case PAYLOAD.V:
      return encodeVendorId(p);
    case PAYLOAD.TSi:
    case PAYLOAD.TSr:
      return encodeTs(p);
    case PAYLOAD.SK:
      return encodeSk(p);
    case PAYLOAD.SKF:
      return encodeSkf(p);
    case PAYLOAD.CP:
    case PAYLOAD.EAP:
      return p.body;
  }
}

/**
 * Decodes a payload chain starting with payload type `first`. Unknown non-critical payloads are skipped
 * (RFC 7296 section 2.5); an unknown critical one fails with `unsupported-critical-payload`. SK and SKF
 * must be last: their next-payload field belongs to the payloads inside.
 */
export function decodePayloadChainOrThrow(first: number, bytes: Buffer, context = 'payloads'): Payload[] {
  const payloads: Payload[] = [];
  let type = first;
  let offset = 0;
  for (let i = 0; type !== PAYLOAD.NONE; i++) {
    const ctx = `${context}[${i}] ${payloadName(type)}`;
    if (bytes.length - offset < GENERIC_PAYLOAD_HEADER_LENGTH) {
      throw new MessageError('truncated', ctx, `the generic payload header needs 4 bytes, ${bytes.length - offset} left`);
    }
    const next = bytes[offset];
    const critical = (bytes[offset + 1] & CRITICAL) !== 0;
    const length = bytes.readUInt16BE(offset + 2);
    if (length < GENERIC_PAYLOAD_HEADER_LENGTH) throw new MessageError('bad-length', `${ctx}.length`, `is ${length}, below the 4-byte header`);
    if (offset + length > bytes.length) {
      throw new MessageError('truncated', `${ctx}.length`, `is ${length}, only ${bytes.length - offset} bytes left`);
    }
    const body = bytes.subarray(offset + GENERIC_PAYLOAD_HEADER_LENGTH, offset + length);
    offset += length;
    const payload = decodeBody(type, body, next);
    if (payload === undefined) {
      if (critical) throw new MessageError('unsupported-critical-payload', ctx, `payload type ${type} is not supported and marked critical`, type);
    } else {
      payloads.push(payload);
    }
    if (type === PAYLOAD.SK || type === PAYLOAD.SKF) {
      if (offset !== bytes.length) throw new MessageError('invalid-syntax', ctx, `must be the last payload, ${bytes.length - offset} bytes follow it`);
      return payloads;
    }
    type = next;
  }
  if (offset !== bytes.length) throw new MessageError('bad-length', context, `${bytes.length - offset} bytes follow the last payload`);
  return payloads;
}

export function decodePayloadChain(first: number, bytes: Buffer, context = 'payloads'): Parsed<Payload[]> {
  return parsed(() => decodePayloadChainOrThrow(first, bytes, context), context);
}

/** Decodes one payload body of type `type` (tests and tools). */
export function decodePayload(type: number, body: Buffer, innerType: number = PAYLOAD.NONE): Parsed<Payload | undefined> {
  return parsed(() => decodeBody(type, body, innerType), payloadName(type));
}

export function encodePayloadBody(p: Payload): Buffer {
  return encodeBody(p);
}

/** The generic header of a payload whose body is `bodyLength` bytes. */
export function genericHeader(next: number, bodyLength: number): Buffer {
  const total = GENERIC_PAYLOAD_HEADER_LENGTH + bodyLength;
  if (total > 0xffff) throw new Error(`A payload of ${bodyLength} bytes does not fit its 16-bit length field`);
  const h = Buffer.alloc(GENERIC_PAYLOAD_HEADER_LENGTH);
  h[0] = next;
  h.writeUInt16BE(total, 2);
  return h;
}

/** Encodes a chain; returns the first payload's type (for the header or the enclosing SK) and the bytes. */
export function encodePayloadChain(payloads: readonly Payload[]): { first: number; bytes: Buffer } {
  const parts: Buffer[] = [];
  payloads.forEach((p, i) => {
    const isEnvelope = p.type === PAYLOAD.SK || p.type === PAYLOAD.SKF;
    if (isEnvelope && i !== payloads.length - 1) throw new Error(`${payloadName(p.type)} must be the last payload`);
    const next = isEnvelope ? p.innerType : i + 1 < payloads.length ? payloads[i + 1].type : PAYLOAD.NONE;
    const body = encodeBody(p);
    parts.push(genericHeader(next, body.length), body);
  });
  return { first: payloads.length ? payloads[0].type : PAYLOAD.NONE, bytes: Buffer.concat(parts) };
}

/**
 * A whole IKE message: header plus payload chain. `parseMessage` never throws on malformed input.
 */
import { IKE_HEADER_LENGTH, PAYLOAD } from './constants';
import { Parsed, parsed } from './errors';
import { decodeHeader, encodeHeader, IkeHeader } from './header';
import { decodePayloadChainOrThrow, encodePayloadChain, Payload, PayloadOf } from './payload';

export interface IkeMessage {
  readonly header: IkeHeader;
  /** In wire order; an SK/SKF payload, when present, is last and still encrypted. */
  readonly payloads: readonly Payload[];
}

/** Header fields a sender chooses; the next-payload and length fields are computed. */
export type HeaderFields = Omit<IkeHeader, 'majorVersion' | 'minorVersion' | 'nextPayload' | 'length'>;

export function parseMessage(bytes: Buffer): Parsed<IkeMessage> {
  return parsed(() => {
    const header = decodeHeader(bytes);
    const payloads = decodePayloadChainOrThrow(header.nextPayload, bytes.subarray(IKE_HEADER_LENGTH));
    return { header, payloads };
  }, 'message');
}

/** Only the header: enough to route a datagram to its SA before anything else is trusted. */
export function parseHeader(bytes: Buffer): Parsed<IkeHeader> {
  return parsed(() => decodeHeader(bytes), 'header');
}

export function encodeMessage(fields: HeaderFields, payloads: readonly Payload[]): Buffer {
  const chain = encodePayloadChain(payloads);
  const header = encodeHeader({ ...fields, nextPayload: chain.first, length: IKE_HEADER_LENGTH + chain.bytes.length });
  return Buffer.concat([header, chain.bytes]);
}

export function findPayload<T extends Payload['type']>(payloads: readonly Payload[], type: T): PayloadOf<T> | undefined {
  return payloads.find((p) => p.type === type) as PayloadOf<T> | undefined;
}

export function findPayloads<T extends Payload['type']>(payloads: readonly Payload[], type: T): PayloadOf<T>[] {
  return payloads.filter((p) => p.type === type) as PayloadOf<T>[];
}

export function findNotify(payloads: readonly Payload[], notifyType: number): PayloadOf<typeof PAYLOAD.N> | undefined {
  return findPayloads(payloads, PAYLOAD.N).find((n) => n.notifyType === notifyType);
}

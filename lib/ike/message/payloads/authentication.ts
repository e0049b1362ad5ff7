/** The AUTH payload (RFC 7296 section 3.8): method, three reserved bytes, authentication data. */
import { Reader } from '../reader';

export interface AuthPayload {
  readonly method: number;
  readonly data: Buffer;
}

export function decodeAuth(bytes: Buffer): AuthPayload {
  const r = new Reader(bytes, 'AUTH');
  const method = r.u8('method');
  r.take(3, 'reserved');
  return { method, data: Buffer.from(r.rest()) };
}

export function encodeAuth(auth: AuthPayload): Buffer {
  const head = Buffer.alloc(4);
  head[0] = auth.method;
  return Buffer.concat([head, auth.data]);
}

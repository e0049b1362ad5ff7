/** The KE payload (RFC 7296 section 3.4): DH group number, two reserved bytes, the public value. */
import { Reader } from '../reader';

export interface KePayload {
  readonly group: number;
  readonly data: Buffer;
}

export function decodeKe(bytes: Buffer): KePayload {
  const r = new Reader(bytes, 'KE');
  const group = r.u16('group');
  r.u16('reserved');
  return { group, data: Buffer.from(r.rest()) };
}

export function encodeKe(ke: KePayload): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(ke.group);
  return Buffer.concat([head, ke.data]);
}

/**
 * The Encrypted (SK) payload (RFC 7296 section 3.14) and the Encrypted Fragment (SKF) payload (RFC 7383
 * section 2.5). Their bodies stay opaque here (IV | ciphertext | ICV); `lib/ike/crypto/sk.ts` opens them.
 * The generic header's next-payload field names the first payload inside.
 */
import { MessageError } from '../errors';
import { Reader } from '../reader';

export interface SkPayload {
  readonly body: Buffer;
}

export interface SkfPayload {
  /** 1-based. */
  readonly fragmentNumber: number;
  readonly totalFragments: number;
  readonly body: Buffer;
}

export function decodeSk(bytes: Buffer): SkPayload {
  return { body: Buffer.from(bytes) };
}

export function encodeSk(sk: SkPayload): Buffer {
  return sk.body;
}

export function decodeSkf(bytes: Buffer): SkfPayload {
  const r = new Reader(bytes, 'SKF');
  const fragmentNumber = r.u16('fragmentNumber');
  const totalFragments = r.u16('totalFragments');
  if (fragmentNumber === 0 || fragmentNumber > totalFragments) {
    throw new MessageError('invalid-syntax', 'SKF.fragmentNumber', `is ${fragmentNumber} of ${totalFragments}`);
  }
  return { fragmentNumber, totalFragments, body: Buffer.from(r.rest()) };
}

export function encodeSkf(f: SkfPayload): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(f.fragmentNumber);
  head.writeUInt16BE(f.totalFragments, 2);
  return Buffer.concat([head, f.body]);
}

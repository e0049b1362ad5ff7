/** The Nonce payload (RFC 7296 section 3.9): 16 to 256 random bytes. */
import { MessageError } from '../errors';

export const MIN_NONCE_LENGTH = 16;
export const MAX_NONCE_LENGTH = 256;

export interface NoncePayload {
  readonly data: Buffer;
}

export function decodeNonce(bytes: Buffer): NoncePayload {
  if (bytes.length < MIN_NONCE_LENGTH || bytes.length > MAX_NONCE_LENGTH) {
    throw new MessageError('invalid-syntax', 'Nonce.data', `is ${bytes.length} bytes, not ${MIN_NONCE_LENGTH} to ${MAX_NONCE_LENGTH}`);
  }
  return { data: Buffer.from(bytes) };
}

export function encodeNonce(n: NoncePayload): Buffer {
  return n.data;
}

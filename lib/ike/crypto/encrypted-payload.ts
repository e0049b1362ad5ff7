/**
 * Protecting and opening the SK payload (RFC 7296 section 3.14; AES-GCM per RFC 5282).
 *
 *   CBC + HMAC: IV | E(inner payloads | padding | pad length) | ICV,
 *               ICV = HMAC over the whole message from the IKE header up to the ICV, truncated.
 *   GCM:        IV (8) | E(...) | tag (16), nonce = salt | IV, AAD = IKE header | SK generic header.
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { GENERIC_PAYLOAD_HEADER_LENGTH, IKE_HEADER_LENGTH, PAYLOAD } from '../message/constants';
import { MessageError, Parsed } from '../message/errors';
import { encodeHeader } from '../message/header';
import type { HeaderFields } from '../message/message';
import { decodePayloadChain, encodePayloadChain, genericHeader, Payload } from '../message/payload';
import type { CipherAlgorithm, IntegrityAlgorithm } from './suite';

/** The keys of one direction of an IKE SA. */
export interface SkKeys {
  readonly encryption: CipherAlgorithm;
  readonly integrity?: IntegrityAlgorithm;
  /** SK_ei or SK_er (key || salt for AEAD). */
  readonly encryptionKey: Buffer;
  /** SK_ai or SK_ar; empty for AEAD. */
  readonly integrityKey: Buffer;
}

function icvLength(keys: SkKeys): number {
  return keys.encryption.aead ? keys.encryption.icvLength : (keys.integrity?.icvLength ?? 0);
}

function gcmParts(keys: SkKeys, iv: Buffer) {
  const e = keys.encryption;
  const key = keys.encryptionKey.subarray(0, e.keyLength);
  const salt = keys.encryptionKey.subarray(e.keyLength, e.keyLength + e.saltLength);
  return { key, nonce: Buffer.concat([salt, iv]) };
}

/**
 * A whole protected message: header fields, then an SK payload around `inner`. `iv` must be fresh per
 * message (random for CBC; unique for GCM, e.g. a counter).
 */
export function protectMessage(keys: SkKeys, fields: HeaderFields, inner: readonly Payload[], iv: Buffer): Buffer {
  const e = keys.encryption;
  if (iv.length !== e.ivLength) throw new Error(`${e.keyword} needs a ${e.ivLength}-byte IV, not ${iv.length}`);
  const chain = encodePayloadChain(inner);
  const block = Math.max(e.blockSize, 1);
  const padLength = (block - ((chain.bytes.length + 1) % block)) % block;
  const plaintext = Buffer.concat([chain.bytes, Buffer.alloc(padLength), Buffer.from([padLength])]);
  const icv = icvLength(keys);
  const skBodyLength = iv.length + plaintext.length + icv;
  const header = encodeHeader({ ...fields, nextPayload: PAYLOAD.SK, length: IKE_HEADER_LENGTH + GENERIC_PAYLOAD_HEADER_LENGTH + skBodyLength });
  const skHeader = genericHeader(chain.first, skBodyLength);
  if (e.aead) {
    const { key, nonce } = gcmParts(keys, iv);
    const c = createCipheriv(e.cipher as 'aes-128-gcm', key, nonce, { authTagLength: icv });
    c.setAAD(Buffer.concat([header, skHeader]));
    const ciphertext = Buffer.concat([c.update(plaintext), c.final()]);
    return Buffer.concat([header, skHeader, iv, ciphertext, c.getAuthTag()]);
  }
  const c = createCipheriv(e.cipher, keys.encryptionKey, iv).setAutoPadding(false);
  const ciphertext = Buffer.concat([c.update(plaintext), c.final()]);
  const signed = Buffer.concat([header, skHeader, iv, ciphertext]);
  const mac = createHmac(keys.integrity!.hash, keys.integrityKey).update(signed).digest().subarray(0, icv);
  return Buffer.concat([signed, mac]);
}

export type OpenFailure = 'integrity' | 'malformed';

export type Opened = { readonly ok: true; readonly payloads: Payload[] } | { readonly ok: false; readonly reason: OpenFailure; readonly detail: string; readonly error?: MessageError };

/**
 * Opens the SK payload of `bytes` (a whole message whose last payload is SK starting at `skOffset`, the
 * offset of its generic header). Integrity is checked before anything is decrypted or parsed.
 */
export function openMessage(keys: SkKeys, bytes: Buffer, skOffset: number, innerType: number): Opened {
  const e = keys.encryption;
  const icv = icvLength(keys);
  const bodyStart = skOffset + GENERIC_PAYLOAD_HEADER_LENGTH;
  const body = bytes.subarray(bodyStart);
  if (body.length < e.ivLength + icv + 1) return { ok: false, reason: 'malformed', detail: `SK payload of ${body.length} bytes is shorter than IV + ICV + pad length` };
  const iv = body.subarray(0, e.ivLength);
  const ciphertext = body.subarray(e.ivLength, body.length - icv);
  const tag = body.subarray(body.length - icv);
  let plaintext: Buffer;
  if (e.aead) {
    const { key, nonce } = gcmParts(keys, iv);
    try {
      const d = createDecipheriv(e.cipher as 'aes-128-gcm', key, nonce, { authTagLength: icv });
      d.setAAD(bytes.subarray(0, bodyStart));
      d.setAuthTag(tag);
      plaintext = Buffer.concat([d.update(ciphertext), d.final()]);
    } catch {
      return { ok: false, reason: 'integrity', detail: 'the AES-GCM tag did not verify' };
    }
  } else {
    const mac = createHmac(keys.integrity!.hash, keys.integrityKey).update(bytes.subarray(0, bytes.length - icv)).digest().subarray(0, icv);
    if (!timingSafeEqual(mac, tag)) return { ok: false, reason: 'integrity', detail: 'the ICV did not verify' };
    if (ciphertext.length === 0 || ciphertext.length % e.blockSize !== 0) {
      return { ok: false, reason: 'malformed', detail: `ciphertext of ${ciphertext.length} bytes is not a multiple of the ${e.blockSize}-byte block` };
    }
    const d = createDecipheriv(e.cipher, keys.encryptionKey, iv).setAutoPadding(false);
    plaintext = Buffer.concat([d.update(ciphertext), d.final()]);
  }
  const padLength = plaintext[plaintext.length - 1];
  if (padLength + 1 > plaintext.length) return { ok: false, reason: 'malformed', detail: `pad length ${padLength} exceeds the ${plaintext.length}-byte plaintext` };
  const inner: Parsed<Payload[]> = decodePayloadChain(innerType, plaintext.subarray(0, plaintext.length - padLength - 1), 'SK');
  if (!inner.ok) return { ok: false, reason: 'malformed', detail: inner.error.message, error: inner.error };
  return { ok: true, payloads: inner.value };
}

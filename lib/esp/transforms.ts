/**
 * The per-SA crypto context: seals and opens the protected part of an ESP packet for one suite.
 *
 * ESP layout handled here (RFC 4303 section 2), starting at `esp`:
 *   SPI (4) | sequence (4) | IV | ciphertext of [payload | padding | pad length | next header] | ICV
 * Keys are turned into KeyObjects once; each packet creates only the node:crypto objects it must (no cipher
 * for CBC, see ChainedCbc).
 * Errors name the suite and lengths, never key bytes.
 */
import { Cipher, createCipheriv, createDecipheriv, createSecretKey, Decipher, KeyObject, randomFillSync, timingSafeEqual } from 'node:crypto';
import { TruncatedHmac } from './integrity';
import { SuiteInfo } from './suites';

const ESP_HEADER_LENGTH = 8;
const BLOCK = 16; // the AES block
/** Hoisted so no packet allocates it. */
const GCM_OPTIONS = { authTagLength: 16 } as const;

/** Writes `length` IV bytes at `out[offset]` for the packet with sequence number (hi, lo). */
export type IvSource = (out: Buffer, offset: number, length: number, seqHi: number, seqLo: number) => void;

export interface EspTransform {
  readonly info: SuiteInfo;
  /**
   * `out[esp, esp + 8)` holds SPI and sequence number and `out[esp + 8 + ivLength, end)` the plaintext
   * (payload, TFC zeros, padding, pad length, next header). Writes the IV, encrypts the plaintext in place
   * and writes the ICV at `end`.
   */
  seal(out: Buffer, esp: number, end: number, seqHi: number, seqLo: number): void;
  /**
   * Verifies and decrypts the ESP packet `packet` (exactly the ESP bytes). Returns the plaintext
   * (payload..next header) or undefined when the ICV does not verify. Lengths are checked by the caller.
   */
  open(packet: Buffer, seqHi: number): Buffer | undefined;
  /** Tests only: replaces how IVs are chosen (known-answer vectors fix the IV). */
  setIvSource(source: IvSource): void;
}

/** CBC IVs must be unpredictable (RFC 3602 section 2.3): random bytes, drawn from a refilled pool. */
export class RandomIvPool {
  private readonly pool = Buffer.allocUnsafe(4096);
  private used = this.pool.length;

  readonly source: IvSource = (out, offset, length) => {
    if (this.used + length > this.pool.length) {
      randomFillSync(this.pool);
      this.used = 0;
    }
    copyBytes(this.pool, this.used, out, offset, length);
    this.used += length;
  };
}

/** AEAD IVs must never repeat under one key (RFC 4106 section 3.1): the 64-bit sequence number does that. */
export const sequenceIv: IvSource = (out, offset, _length, seqHi, seqLo) => {
  out.writeUInt32BE(seqHi, offset);
  out.writeUInt32BE(seqLo, offset + 4);
};

/**
 * Copies `length` bytes from `source[from]` to `target[to]`, byte by byte. For the 4- to 16-byte IVs, nonces,
 * AADs and chaining blocks of every packet this beats Buffer#copy (a native call costs more than the bytes
 * it moves) and readUInt32BE/writeUInt32BE pairs (about 3x).
 */
function copyBytes(source: Uint8Array, from: number, target: Uint8Array, to: number, length: number): void {
  for (let i = 0; i < length; i++) target[to + i] = source[from + i];
}

export interface TransformKeys {
  readonly encryptionKey: Buffer;
  readonly integrityKey?: Buffer;
  readonly esn: boolean;
}

/** The transform for `info`, validating key lengths. */
export function createTransform(info: SuiteInfo, keys: TransformKeys): EspTransform {
  if (!Buffer.isBuffer(keys.encryptionKey) || keys.encryptionKey.length !== info.encryptionKeyLength) {
    const got = Buffer.isBuffer(keys.encryptionKey) ? `${keys.encryptionKey.length} bytes` : typeof keys.encryptionKey;
    const salt = info.saltLength ? ` (key + ${info.saltLength}-byte salt)` : '';
    throw new Error(`\`encryptionKey\` for ${info.suite} must be ${info.encryptionKeyLength} bytes${salt}; got ${got}`);
  }
  if (info.kind === 'cbc-hmac') {
    if (!Buffer.isBuffer(keys.integrityKey) || keys.integrityKey.length !== info.integrityKeyLength) {
      const got = Buffer.isBuffer(keys.integrityKey) ? `${keys.integrityKey.length} bytes` : 'none';
      throw new Error(`\`integrityKey\` for ${info.suite} must be ${info.integrityKeyLength} bytes; got ${got}`);
    }
    return new CbcHmacTransform(info, keys.encryptionKey, keys.integrityKey, keys.esn);
  }
  if (keys.integrityKey !== undefined) throw new Error(`\`integrityKey\` must be omitted for ${info.suite}: its integrity comes from the AEAD`);
  return info.kind === 'gmac' ? new GmacTransform(info, keys.encryptionKey, keys.esn) : new AeadTransform(info, keys.encryptionKey, keys.esn);
}

/**
 * AES-CBC on cipher objects kept for the SA's lifetime, because creating one per packet is the largest
 * per-packet cost node:crypto has. CBC carries only the last ciphertext block from one call to the next,
 * so XOR-ing a packet's first plaintext block with (its IV ^ that block) gives exactly CBC under the
 * packet's own IV (RFC 3602); decryption undoes the same XOR on its first output block.
 */
class ChainedCbc {
  private encryptor!: Cipher;
  private decryptor!: Decipher;
  /** The last ciphertext block each context has processed: what it will XOR into the next block. */
  private readonly encryptChain = Buffer.alloc(BLOCK);
  private readonly decryptChain = Buffer.alloc(BLOCK);

  constructor(
    private readonly name: string,
    private readonly key: KeyObject,
  ) {
    this.reset();
  }

  /** Encrypts `out[start, end)` (whole blocks) in place under the IV at `out[ivOffset]`. */
  encrypt(out: Buffer, ivOffset: number, start: number, end: number): void {
    const chain = this.encryptChain;
    for (let i = 0; i < BLOCK; i++) out[start + i] ^= out[ivOffset + i] ^ chain[i];
    const ciphertext = this.update(this.encryptor, out.subarray(start, end));
    out.set(ciphertext, start);
    copyBytes(ciphertext, ciphertext.length - BLOCK, chain, 0, BLOCK);
  }

  /** The plaintext of `packet[start, end)` (whole blocks) encrypted under the IV at `packet[ivOffset]`. */
  decrypt(packet: Buffer, ivOffset: number, start: number, end: number): Buffer {
    const chain = this.decryptChain;
    const plaintext = this.update(this.decryptor, packet.subarray(start, end));
    for (let i = 0; i < BLOCK; i++) plaintext[i] ^= packet[ivOffset + i] ^ chain[i];
    copyBytes(packet, end - BLOCK, chain, 0, BLOCK);
    return plaintext;
  }

  /**
   * One update over whole blocks. Should it throw or hold bytes back (a partial block), the contexts'
   * chaining state is no longer the last block: start afresh rather than garble every later packet.
   */
  private update(context: Cipher | Decipher, data: Buffer): Buffer {
    let output: Buffer;
    try {
      output = context.update(data);
    } catch (error) {
      this.reset();
      throw error;
    }
    if (output.length === data.length) return output;
    this.reset();
    throw new Error(`CBC input of ${data.length} bytes is not whole blocks`);
  }

  private reset(): void {
    this.encryptChain.fill(0);
    this.decryptChain.fill(0);
    this.encryptor = createCipheriv(this.name, this.key, this.encryptChain).setAutoPadding(false);
    this.decryptor = createDecipheriv(this.name, this.key, this.decryptChain).setAutoPadding(false);
  }
}

/** AES-CBC (RFC 3602) + HMAC truncated to the ICV length (RFC 2404, RFC 4868). */
class CbcHmacTransform implements EspTransform {
  private readonly cbc: ChainedCbc;
  private readonly mac: TruncatedHmac;
  private ivSource: IvSource = new RandomIvPool().source;
  /** ESN high half, appended to the ICV input only (RFC 4303 section 2.2.1). */
  private readonly seqHighBytes = Buffer.alloc(4);

  constructor(readonly info: SuiteInfo, encryptionKey: Buffer, integrityKey: Buffer, private readonly esn: boolean) {
    this.cbc = new ChainedCbc(info.cipher, createSecretKey(encryptionKey));
    this.mac = new TruncatedHmac(info.hash as string, integrityKey, info.icvLength);
  }

  setIvSource(source: IvSource): void {
    this.ivSource = source;
  }

  seal(out: Buffer, esp: number, end: number, seqHi: number, seqLo: number): void {
    const ivOffset = esp + ESP_HEADER_LENGTH;
    this.ivSource(out, ivOffset, this.info.ivLength, seqHi, seqLo);
    this.cbc.encrypt(out, ivOffset, ivOffset + this.info.ivLength, end);
    const mac = this.mac.start().update(out.subarray(esp, end));
    if (this.esn) mac.update(this.highBytes(seqHi));
    this.mac.finish(mac, out, end);
  }

  open(packet: Buffer, seqHi: number): Buffer | undefined {
    const icvOffset = packet.length - this.info.icvLength;
    const mac = this.mac.start().update(packet.subarray(0, icvOffset));
    if (this.esn) mac.update(this.highBytes(seqHi));
    if (!this.mac.matches(mac, packet.subarray(icvOffset))) return undefined;
    return this.cbc.decrypt(packet, ESP_HEADER_LENGTH, ESP_HEADER_LENGTH + this.info.ivLength, icvOffset);
  }

  private highBytes(seqHi: number): Buffer {
    this.seqHighBytes.writeUInt32BE(seqHi, 0);
    return this.seqHighBytes;
  }
}

/**
 * What the salted-nonce suites share (RFC 4106 section 4, RFC 4543, RFC 7634): the key material ends in a
 * 4-byte salt, and each packet's nonce is salt || its 8-byte explicit IV.
 */
abstract class SaltedNonceTransform {
  protected readonly key: KeyObject;
  protected readonly nonce = Buffer.alloc(12);
  private ivSource: IvSource = sequenceIv;

  constructor(readonly info: SuiteInfo, encryptionKey: Buffer) {
    const keyLength = encryptionKey.length - info.saltLength;
    this.key = createSecretKey(encryptionKey.subarray(0, keyLength));
    encryptionKey.copy(this.nonce, 0, keyLength);
  }

  setIvSource(source: IvSource): void {
    this.ivSource = source;
  }

  /** Writes the packet's IV after the ESP header at `esp` and puts it into the nonce. */
  protected startNonce(out: Buffer, esp: number, seqHi: number, seqLo: number): void {
    const ivOffset = esp + ESP_HEADER_LENGTH;
    this.ivSource(out, ivOffset, this.info.ivLength, seqHi, seqLo);
    copyBytes(out, ivOffset, this.nonce, 4, 8);
  }

  /** Puts a received packet's IV into the nonce. */
  protected nonceOf(packet: Buffer): void {
    copyBytes(packet, ESP_HEADER_LENGTH, this.nonce, 4, 8);
  }
}

/**
 * AES-GCM (RFC 4106) and ChaCha20-Poly1305 (RFC 7634): nonce = salt || 8-byte IV, AAD = SPI || sequence
 * (32-bit) or SPI || high || low (ESN), ICV = the 16-byte tag.
 */
class AeadTransform extends SaltedNonceTransform implements EspTransform {
  private readonly aadScratch: Buffer;

  constructor(info: SuiteInfo, encryptionKey: Buffer, private readonly esn: boolean) {
    super(info, encryptionKey);
    this.aadScratch = Buffer.alloc(esn ? 12 : ESP_HEADER_LENGTH);
  }

  seal(out: Buffer, esp: number, end: number, seqHi: number, seqLo: number): void {
    this.startNonce(out, esp, seqHi, seqLo);
    const cipher = createCipheriv(this.info.cipher as 'aes-128-gcm', this.key, this.nonce, GCM_OPTIONS);
    cipher.setAAD(this.aad(out, esp, seqHi));
    const start = esp + ESP_HEADER_LENGTH + 8;
    // TypedArray#set: Buffer#copy's argument checks cost more than these exact-size copies need.
    out.set(cipher.update(out.subarray(start, end)), start);
    cipher.final();
    out.set(cipher.getAuthTag(), end);
  }

  open(packet: Buffer, seqHi: number): Buffer | undefined {
    this.nonceOf(packet);
    const icvOffset = packet.length - 16;
    const decipher = createDecipheriv(this.info.cipher as 'aes-128-gcm', this.key, this.nonce, GCM_OPTIONS);
    decipher.setAAD(this.aad(packet, 0, seqHi));
    decipher.setAuthTag(packet.subarray(icvOffset));
    const plaintext = decipher.update(packet.subarray(ESP_HEADER_LENGTH + 8, icvOffset));
    try {
      decipher.final();
    } catch {
      return undefined;
    }
    return plaintext;
  }

  /** SPI || sequence (|| with the ESN high half in between), in a per-SA scratch buffer. */
  private aad(packet: Buffer, esp: number, seqHi: number): Buffer {
    const aad = this.aadScratch;
    if (!this.esn) {
      copyBytes(packet, esp, aad, 0, 8);
      return aad;
    }
    copyBytes(packet, esp, aad, 0, 4);
    aad.writeUInt32BE(seqHi, 4);
    copyBytes(packet, esp + 4, aad, 8, 4);
    return aad;
  }
}

/**
 * AES-GMAC (RFC 4543 section 3): nothing is encrypted; the whole packet up to the ICV (with the ESN high half
 * after the SPI) is GCM AAD and the tag is the ICV.
 */
class GmacTransform extends SaltedNonceTransform implements EspTransform {
  private readonly seqHighBytes = Buffer.alloc(4);

  constructor(info: SuiteInfo, encryptionKey: Buffer, private readonly esn: boolean) {
    super(info, encryptionKey);
  }

  seal(out: Buffer, esp: number, end: number, seqHi: number, seqLo: number): void {
    this.startNonce(out, esp, seqHi, seqLo);
    out.set(this.tag(out.subarray(esp, end), seqHi), end);
  }

  open(packet: Buffer, seqHi: number): Buffer | undefined {
    this.nonceOf(packet);
    const icvOffset = packet.length - 16;
    const expected = this.tag(packet.subarray(0, icvOffset), seqHi);
    if (!timingSafeEqual(expected, packet.subarray(icvOffset))) return undefined;
    return packet.subarray(ESP_HEADER_LENGTH + 8, icvOffset);
  }

  private tag(authenticated: Buffer, seqHi: number): Buffer {
    const cipher = createCipheriv(this.info.cipher as 'aes-128-gcm', this.key, this.nonce, GCM_OPTIONS);
    if (this.esn) {
      this.seqHighBytes.writeUInt32BE(seqHi, 0);
      cipher.setAAD(authenticated.subarray(0, 4));
      cipher.setAAD(this.seqHighBytes);
      cipher.setAAD(authenticated.subarray(4));
    } else {
      cipher.setAAD(authenticated);
    }
    cipher.final();
    return cipher.getAuthTag();
  }
}

/**
 * The fixed IKE header (RFC 7296 section 3.1):
 *   SPIi (8) | SPIr (8) | next payload | major.minor | exchange type | flags | message ID (4) | length (4)
 */
import { FLAG, IKE_HEADER_LENGTH, IKE_MAJOR_VERSION } from './constants';
import { MessageError } from './errors';

export interface IkeHeader {
  /** The initiator's SPI, 8 bytes, never zero. */
  readonly spiI: Buffer;
  /** The responder's SPI, 8 bytes; zero in the first IKE_SA_INIT request. */
  readonly spiR: Buffer;
  readonly nextPayload: number;
  readonly majorVersion: number;
  readonly minorVersion: number;
  readonly exchange: number;
  /** Set by the original initiator of the IKE SA (not of this exchange). */
  readonly initiator: boolean;
  readonly response: boolean;
  readonly messageId: number;
  /** Total length of the message, header included. */
  readonly length: number;
}

/** Reads the header of `bytes`; checks the version and that `length` matches the datagram. */
export function decodeHeader(bytes: Buffer): IkeHeader {
  if (bytes.length < IKE_HEADER_LENGTH) {
    throw new MessageError('truncated', 'header', `needs ${IKE_HEADER_LENGTH} bytes, the datagram has ${bytes.length}`);
  }
  const version = bytes[17];
  const flags = bytes[19];
  const header: IkeHeader = {
    spiI: Buffer.from(bytes.subarray(0, 8)),
    spiR: Buffer.from(bytes.subarray(8, 16)),
    nextPayload: bytes[16],
    majorVersion: version >> 4,
    minorVersion: version & 0x0f,
    exchange: bytes[18],
    initiator: (flags & FLAG.INITIATOR) !== 0,
    response: (flags & FLAG.RESPONSE) !== 0,
    messageId: bytes.readUInt32BE(20),
    length: bytes.readUInt32BE(24),
  };
  if (header.majorVersion !== IKE_MAJOR_VERSION) {
    throw new MessageError('invalid-major-version', 'header.majorVersion', `is ${header.majorVersion}, not 2`);
  }
  if (header.length !== bytes.length) {
    throw new MessageError('bad-length', 'header.length', `says ${header.length} bytes, the datagram has ${bytes.length}`);
  }
  return header;
}

export function encodeHeader(header: Omit<IkeHeader, 'majorVersion' | 'minorVersion'>): Buffer {
  if (header.spiI.length !== 8 || header.spiR.length !== 8) throw new Error('IKE SPIs are 8 bytes each');
  const out = Buffer.alloc(IKE_HEADER_LENGTH);
  header.spiI.copy(out, 0);
  header.spiR.copy(out, 8);
  out[16] = header.nextPayload;
  out[17] = IKE_MAJOR_VERSION << 4;
  out[18] = header.exchange;
  out[19] = (header.initiator ? FLAG.INITIATOR : 0) | (header.response ? FLAG.RESPONSE : 0);
  out.writeUInt32BE(header.messageId >>> 0, 20);
  out.writeUInt32BE(header.length >>> 0, 24);
  return out;
}

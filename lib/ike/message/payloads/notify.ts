/** The Notify payload (RFC 7296 section 3.10): protocol, SPI size, notify type, SPI, data. */
import { Reader } from '../reader';

export interface NotifyPayload {
  /** 0 for notifies about the IKE SA, else the protocol (ESP 3) of the SA named by `spi`. */
  readonly protocol: number;
  readonly spi: Buffer;
  readonly notifyType: number;
  readonly data: Buffer;
}

export function decodeNotify(bytes: Buffer): NotifyPayload {
  const r = new Reader(bytes, 'N');
  const protocol = r.u8('protocol');
  const spiSize = r.u8('spiSize');
  const notifyType = r.u16('notifyType');
  const spi = Buffer.from(r.take(spiSize, 'spi'));
  return { protocol, spi, notifyType, data: Buffer.from(r.rest()) };
}

export function encodeNotify(n: NotifyPayload): Buffer {
  const head = Buffer.alloc(4);
  head[0] = n.protocol;
  head[1] = n.spi.length;
  head.writeUInt16BE(n.notifyType, 2);
  return Buffer.concat([head, n.spi, n.data]);
}

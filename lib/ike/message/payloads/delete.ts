/**
 * The Delete payload (RFC 7296 section 3.11): protocol, SPI size, SPI count, SPIs. Deleting the IKE SA
 * carries protocol 1 and no SPIs; ESP/AH carry 4-byte SPIs.
 */
import { PROTOCOL } from '../constants';
import { Reader } from '../reader';

export interface DeletePayload {
  readonly protocol: number;
  readonly spis: readonly Buffer[];
}

export function decodeDelete(bytes: Buffer): DeletePayload {
  const r = new Reader(bytes, 'D');
  const protocol = r.u8('protocol');
  const spiSize = r.u8('spiSize');
  const count = r.u16('spiCount');
  if (protocol === PROTOCOL.IKE && (spiSize !== 0 || count !== 0)) r.fail('spiSize', `an IKE SA delete carries no SPIs (size ${spiSize}, count ${count})`);
  if ((protocol === PROTOCOL.ESP || protocol === PROTOCOL.AH) && spiSize !== 4) r.fail('spiSize', `is ${spiSize}, ESP/AH SPIs are 4 bytes`);
  const spis: Buffer[] = [];
  for (let i = 0; i < count; i++) spis.push(Buffer.from(r.take(spiSize, `spi[${i}]`)));
  if (r.remaining !== 0) r.fail('spiCount', `says ${count} SPIs but ${r.remaining} bytes follow them`);
  return { protocol, spis };
}

export function encodeDelete(d: DeletePayload): Buffer {
  const spiSize = d.spis.length > 0 ? d.spis[0].length : 0;
  const head = Buffer.alloc(4);
  head[0] = d.protocol;
  head[1] = spiSize;
  head.writeUInt16BE(d.spis.length, 2);
  return Buffer.concat([head, ...d.spis]);
}

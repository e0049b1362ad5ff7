/**
 * The TSi / TSr payloads (RFC 7296 section 3.13): a count, then selectors, each an IP protocol, a port
 * range and an address range (IPv4: 4-byte addresses, type 7; IPv6: 16-byte, type 8).
 */
import { TS_TYPE } from '../constants';
import { MessageError } from '../errors';
import { Reader } from '../reader';

export interface TrafficSelector {
  readonly tsType: number;
  /** 0 means any protocol. */
  readonly ipProtocol: number;
  readonly startPort: number;
  readonly endPort: number;
  readonly startAddress: Buffer;
  readonly endAddress: Buffer;
}

export interface TsPayload {
  readonly selectors: readonly TrafficSelector[];
}

function addressLength(tsType: number): number | undefined {
  if (tsType === TS_TYPE.IPV4_ADDR_RANGE) return 4;
  if (tsType === TS_TYPE.IPV6_ADDR_RANGE) return 16;
  return undefined;
}

export function decodeTs(bytes: Buffer, name: 'TSi' | 'TSr'): TsPayload {
  const r = new Reader(bytes, name);
  const count = r.u8('count');
  r.take(3, 'reserved');
  if (count === 0) r.fail('count', 'is 0; a TS payload carries at least one selector');
  const selectors: TrafficSelector[] = [];
  for (let i = 0; i < count; i++) {
    const ctx = `selector[${i}]`;
    const tsType = r.u8(`${ctx}.type`);
    const ipProtocol = r.u8(`${ctx}.ipProtocol`);
    const length = r.u16(`${ctx}.length`);
    const addrLength = addressLength(tsType) ?? r.fail(`${ctx}.type`, `is ${tsType}, not 7 (IPv4) or 8 (IPv6)`);
    if (length !== 8 + 2 * addrLength) {
      throw new MessageError('bad-length', `${name}.${ctx}.length`, `is ${length}, a type ${tsType} selector is ${8 + 2 * addrLength} bytes`);
    }
    const startPort = r.u16(`${ctx}.startPort`);
    const endPort = r.u16(`${ctx}.endPort`);
    const startAddress = Buffer.from(r.take(addrLength, `${ctx}.startAddress`));
    const endAddress = Buffer.from(r.take(addrLength, `${ctx}.endAddress`));
    selectors.push({ tsType, ipProtocol, startPort, endPort, startAddress, endAddress });
  }
  if (r.remaining !== 0) r.fail('count', `says ${count} selectors but ${r.remaining} bytes follow them`);
  return { selectors };
}

export function encodeTs(ts: TsPayload): Buffer {
  const head = Buffer.alloc(4);
  head[0] = ts.selectors.length;
  const parts = ts.selectors.map((s) => {
    const h = Buffer.alloc(8);
    h[0] = s.tsType;
    h[1] = s.ipProtocol;
    h.writeUInt16BE(8 + s.startAddress.length * 2, 2);
    h.writeUInt16BE(s.startPort, 4);
    h.writeUInt16BE(s.endPort, 6);
    return Buffer.concat([h, s.startAddress, s.endAddress]);
  });
  return Buffer.concat([head, ...parts]);
}

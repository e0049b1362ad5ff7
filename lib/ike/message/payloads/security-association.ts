/**
 * The SA payload (RFC 7296 section 3.3): proposals, each a protocol with an SPI and a list of transforms,
 * each transform possibly carrying attributes (only Key Length, a TV attribute, is defined for IKEv2).
 */
import { ATTRIBUTE_KEY_LENGTH, PROTOCOL } from '../constants';
import { MessageError } from '../errors';
import { Reader, u16 } from '../reader';

export interface Transform {
  readonly type: number;
  readonly id: number;
  /** The Key Length attribute in bits, for variable-length ciphers such as AES. */
  readonly keyLength?: number;
  /** Attribute types other than Key Length: RFC 7296 section 3.3.6 says such a transform is not chosen. */
  readonly unknownAttributes?: readonly number[];
}

export interface Proposal {
  /** 1 for the first proposal, then each one more (RFC 7296 section 3.3.1). */
  readonly number: number;
  readonly protocol: number;
  /** Empty in IKE_SA_INIT, 8 bytes when rekeying an IKE SA, 4 bytes for ESP/AH. */
  readonly spi: Buffer;
  readonly transforms: readonly Transform[];
}

export interface SaPayload {
  readonly proposals: readonly Proposal[];
}

const LAST = 0;
const MORE_PROPOSALS = 2;
const MORE_TRANSFORMS = 3;
const AF_TV = 0x8000;

function decodeTransform(bytes: Buffer, ctx: string): Transform {
  const r = new Reader(bytes, ctx);
  const type = r.u8('type');
  r.u8('reserved');
  const id = r.u16('id');
  let keyLength: number | undefined;
  const unknown: number[] = [];
  for (let i = 0; r.remaining > 0; i++) {
    const word = r.u16(`attribute[${i}].type`);
    const attrType = word & 0x7fff;
    let value: number | undefined;
    if (word & AF_TV) value = r.u16(`attribute[${i}].value`);
    else r.take(r.u16(`attribute[${i}].length`), `attribute[${i}].value`);
    if (attrType === ATTRIBUTE_KEY_LENGTH && value !== undefined) keyLength = value;
    else unknown.push(attrType);
  }
  return { type, id, ...(keyLength !== undefined ? { keyLength } : {}), ...(unknown.length ? { unknownAttributes: unknown } : {}) };
}

function decodeProposal(r: Reader, i: number): { proposal: Proposal; last: boolean } {
  const ctx = `proposal[${i}]`;
  const marker = r.u8(`${ctx}.last`);
  if (marker !== LAST && marker !== MORE_PROPOSALS) r.fail(`${ctx}.last`, `is ${marker}, not 0 or 2`);
  r.u8(`${ctx}.reserved`);
  const length = r.u16(`${ctx}.length`);
  if (length < 8) throw new MessageError('bad-length', `SA.${ctx}.length`, `is ${length}, below the 8-byte proposal header`);
  const body = new Reader(r.take(length - 4, `${ctx}.body`), `SA.${ctx}`);
  const number = body.u8('number');
  const protocol = body.u8('protocol');
  const spiSize = body.u8('spiSize');
  const count = body.u8('transformCount');
  const spi = Buffer.from(body.take(spiSize, 'spi'));
  const transforms: Transform[] = [];
  for (let t = 0; t < count; t++) {
    const tctx = `transform[${t}]`;
    const tmarker = body.u8(`${tctx}.last`);
    const expected = t === count - 1 ? LAST : MORE_TRANSFORMS;
    if (tmarker !== expected) body.fail(`${tctx}.last`, `is ${tmarker}, expected ${expected} (transform ${t + 1} of ${count})`);
    body.u8(`${tctx}.reserved`);
    const tlength = body.u16(`${tctx}.length`);
    if (tlength < 8) throw new MessageError('bad-length', `SA.${ctx}.${tctx}.length`, `is ${tlength}, below the 8-byte transform header`);
    transforms.push(decodeTransform(body.take(tlength - 4, `${tctx}.body`), `SA.${ctx}.${tctx}`));
  }
  if (body.remaining !== 0) body.fail('transformCount', `says ${count} transforms but ${body.remaining} bytes follow them`);
  return { proposal: { number, protocol, spi, transforms }, last: marker === LAST };
}

export function decodeSa(bytes: Buffer): SaPayload {
  const r = new Reader(bytes, 'SA');
  const proposals: Proposal[] = [];
  for (let i = 0; ; i++) {
    const { proposal, last } = decodeProposal(r, i);
    proposals.push(proposal);
    if (last) break;
    if (r.remaining === 0) r.fail(`proposal[${i}].last`, 'says more proposals follow, but the payload ends');
  }
  if (r.remaining !== 0) r.fail('proposals', `${r.remaining} bytes follow the last proposal`);
  return { proposals };
}

function encodeTransform(t: Transform, last: boolean): Buffer {
  const attrs = t.keyLength !== undefined ? Buffer.concat([u16(AF_TV | ATTRIBUTE_KEY_LENGTH), u16(t.keyLength)]) : Buffer.alloc(0);
  const head = Buffer.alloc(8);
  head[0] = last ? LAST : MORE_TRANSFORMS;
  head.writeUInt16BE(8 + attrs.length, 2);
  head[4] = t.type;
  head.writeUInt16BE(t.id, 6);
  return Buffer.concat([head, attrs]);
}

export function encodeSa(sa: SaPayload): Buffer {
  if (sa.proposals.length === 0) throw new Error('An SA payload needs at least one proposal');
  return Buffer.concat(
    sa.proposals.map((p, i) => {
      const transforms = Buffer.concat(p.transforms.map((t, j) => encodeTransform(t, j === p.transforms.length - 1)));
      const head = Buffer.alloc(8);
      head[0] = i === sa.proposals.length - 1 ? LAST : MORE_PROPOSALS;
      head.writeUInt16BE(8 + p.spi.length + transforms.length, 2);
      head[4] = p.number;
      head[5] = p.protocol;
      head[6] = p.spi.length;
      head[7] = p.transforms.length;
      return Buffer.concat([head, p.spi, transforms]);
    }),
  );
}

/** Whether a protocol id is one an SA payload may carry in IKEv2. */
export function isSaProtocol(protocol: number): boolean {
  return protocol === PROTOCOL.IKE || protocol === PROTOCOL.AH || protocol === PROTOCOL.ESP;
}

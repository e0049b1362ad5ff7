/** The IDi / IDr payloads (RFC 7296 section 3.5): ID type, three reserved bytes, the identity. */
import { ID_TYPE } from '../constants';
import { Reader } from '../reader';
import { ipFromBytes, ipToBytes } from '../../../net/address';

export interface IdPayload {
  readonly idType: number;
  readonly data: Buffer;
}

export function decodeId(bytes: Buffer, name: 'IDi' | 'IDr'): IdPayload {
  const r = new Reader(bytes, name);
  const idType = r.u8('idType');
  r.take(3, 'reserved');
  const data = Buffer.from(r.rest());
  if (idType === ID_TYPE.IPV4_ADDR && data.length !== 4) r.fail('data', `an ID_IPV4_ADDR is 4 bytes, not ${data.length}`);
  if (idType === ID_TYPE.IPV6_ADDR && data.length !== 16) r.fail('data', `an ID_IPV6_ADDR is 16 bytes, not ${data.length}`);
  return { idType, data };
}

/**
 * The bytes that go into the AUTH computation and onto the wire: type, 3 reserved, data
 * (RFC 7296 section 2.15: "RestOfInitIDPayload").
 */
export function encodeId(id: IdPayload): Buffer {
  const head = Buffer.alloc(4);
  head[0] = id.idType;
  return Buffer.concat([head, id.data]);
}

/** An identity as strongSwan writes it: an IP address becomes ID_IPV4_ADDR/ID_IPV6_ADDR, else an FQDN. */
export function idFromText(text: string): IdPayload {
  const ip = ipToBytes(text);
  if (ip) return { idType: ip.length === 4 ? ID_TYPE.IPV4_ADDR : ID_TYPE.IPV6_ADDR, data: ip };
  if (text.includes('@') && !text.startsWith('@')) return { idType: ID_TYPE.RFC822_ADDR, data: Buffer.from(text, 'utf8') };
  return { idType: ID_TYPE.FQDN, data: Buffer.from(text.replace(/^@/, ''), 'utf8') };
}

/** A readable identity for events and logs. */
export function idToText(id: IdPayload): string {
  if (id.idType === ID_TYPE.IPV4_ADDR || id.idType === ID_TYPE.IPV6_ADDR) return ipFromBytes(id.data);
  if (id.idType === ID_TYPE.FQDN || id.idType === ID_TYPE.RFC822_ADDR) return id.data.toString('utf8');
  return `${id.idType}:${id.data.toString('hex')}`;
}

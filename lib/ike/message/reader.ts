/**
 * A bounds-checked cursor over a payload body: every read names the field it reads, so a short body
 * yields "SA.proposal[0].spi: needs 4 bytes, 2 left" instead of a RangeError.
 */
import { MessageError } from './errors';

export class Reader {
  private offset = 0;

  constructor(
    private readonly bytes: Buffer,
    private readonly context: string,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  get position(): number {
    return this.offset;
  }

  private need(n: number, field: string): void {
    if (this.remaining < n) {
      throw new MessageError('truncated', `${this.context}.${field}`, `needs ${n} bytes, ${this.remaining} left`);
    }
  }

  u8(field: string): number {
    this.need(1, field);
    return this.bytes[this.offset++];
  }

  u16(field: string): number {
    this.need(2, field);
    const v = this.bytes.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  u32(field: string): number {
    this.need(4, field);
    const v = this.bytes.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  take(n: number, field: string): Buffer {
    this.need(n, field);
    const v = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }

  rest(): Buffer {
    return this.take(this.remaining, 'rest');
  }

  fail(field: string, detail: string): never {
    throw new MessageError('invalid-syntax', `${this.context}.${field}`, detail);
  }
}

export function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

export function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

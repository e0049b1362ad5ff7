/**
 * libpcap capture files (the classic format Wireshark and tshark open), written and read back.
 *
 * Format: https://www.tcpdump.org/manpages/pcap-savefile.5.html; link types from
 * https://www.tcpdump.org/linktypes.html.
 */
import { writeFileSync } from 'node:fs';

/** Raw IPv4/IPv6 packets, version taken from the first nibble. */
export const LINKTYPE_RAW = 101;
export const LINKTYPE_ETHERNET = 1;

const MAGIC_MICROS = 0xa1b2c3d4;
const GLOBAL_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;
const ETHERNET_HEADER_LENGTH = 14;

export type PcapLinkType = 'raw' | 'ethernet';

export interface PcapWriterOptions {
  /** `raw` writes IP packets as they are; `ethernet` wraps each in a made-up Ethernet header. @default 'raw' */
  readonly linkType?: PcapLinkType;
  /** Longest record kept; longer packets are truncated (the original length is still recorded). @default 65535 */
  readonly snapLength?: number;
}

export interface PcapRecord {
  /** Capture time in microseconds since the Unix epoch. */
  readonly timestampMicros: number;
  readonly originalLength: number;
  readonly data: Buffer;
}

export interface PcapFile {
  readonly linkType: number;
  readonly snapLength: number;
  readonly versionMajor: number;
  readonly versionMinor: number;
  readonly records: PcapRecord[];
}

/** Collects IP packets and produces a little-endian, microsecond-resolution pcap file. */
export class PcapWriter {
  private readonly linkType: PcapLinkType;
  private readonly snapLength: number;
  private readonly chunks: Buffer[] = [];
  private lastMicros = 0;

  constructor(options: PcapWriterOptions = {}) {
    this.linkType = options.linkType ?? 'raw';
    this.snapLength = options.snapLength ?? 65535;
    if (!Number.isInteger(this.snapLength) || this.snapLength < 1) throw new Error(`\`snapLength\` must be a positive integer, not ${this.snapLength}`);
    const header = Buffer.alloc(GLOBAL_HEADER_LENGTH);
    header.writeUInt32LE(MAGIC_MICROS, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeInt32LE(0, 8); // thiszone
    header.writeUInt32LE(0, 12); // sigfigs
    header.writeUInt32LE(this.snapLength, 16);
    header.writeUInt32LE(this.linkType === 'raw' ? LINKTYPE_RAW : LINKTYPE_ETHERNET, 20);
    this.chunks.push(header);
  }

  /** Number of packets added. */
  get count(): number {
    return this.chunks.length - 1;
  }

  /**
   * Adds one IP packet. Without a timestamp, records get the current time, kept strictly increasing so the
   * capture's order survives sorting.
   */
  add(packet: Buffer, timestamp?: Date | number): void {
    let micros = timestamp === undefined ? Date.now() * 1000 : timestamp instanceof Date ? timestamp.getTime() * 1000 : timestamp;
    if (timestamp === undefined && micros <= this.lastMicros) micros = this.lastMicros + 1;
    this.lastMicros = micros;
    const frame = this.linkType === 'raw' ? packet : withEthernetHeader(packet);
    const kept = frame.subarray(0, Math.min(frame.length, this.snapLength));
    const record = Buffer.alloc(RECORD_HEADER_LENGTH + kept.length);
    record.writeUInt32LE(Math.floor(micros / 1e6), 0);
    record.writeUInt32LE(micros % 1e6, 4);
    record.writeUInt32LE(kept.length, 8);
    record.writeUInt32LE(frame.length, 12);
    kept.copy(record, RECORD_HEADER_LENGTH);
    this.chunks.push(record);
  }

  /** The whole capture file. */
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }

  writeFile(path: string): void {
    writeFileSync(path, this.toBuffer());
  }
}

/** Locally administered MACs: 02:00:00:00:00:01 -> 02:00:00:00:00:02, EtherType from the IP version. */
function withEthernetHeader(packet: Buffer): Buffer {
  const frame = Buffer.alloc(ETHERNET_HEADER_LENGTH + packet.length);
  frame.set([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01], 0);
  frame.writeUInt16BE(packet.length > 0 && packet[0] >> 4 === 6 ? 0x86dd : 0x0800, 12);
  packet.copy(frame, ETHERNET_HEADER_LENGTH);
  return frame;
}

/** Reads a classic pcap file (either byte order, microsecond or nanosecond magic). Throws when malformed. */
export function parsePcap(file: Buffer): PcapFile {
  if (file.length < GLOBAL_HEADER_LENGTH) throw new Error(`A pcap file has a 24-byte header; got ${file.length} bytes`);
  const magicLE = file.readUInt32LE(0);
  const littleEndian = magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d;
  const magic = littleEndian ? magicLE : file.readUInt32BE(0);
  if (magic !== 0xa1b2c3d4 && magic !== 0xa1b23c4d) throw new Error(`Not a pcap file (magic 0x${magicLE.toString(16)})`);
  const nanos = magic === 0xa1b23c4d;
  const u16 = (o: number) => (littleEndian ? file.readUInt16LE(o) : file.readUInt16BE(o));
  const u32 = (o: number) => (littleEndian ? file.readUInt32LE(o) : file.readUInt32BE(o));
  const records: PcapRecord[] = [];
  let offset = GLOBAL_HEADER_LENGTH;
  while (offset < file.length) {
    if (offset + RECORD_HEADER_LENGTH > file.length) throw new Error(`Truncated record header at byte ${offset}`);
    const includedLength = u32(offset + 8);
    const start = offset + RECORD_HEADER_LENGTH;
    if (start + includedLength > file.length) throw new Error(`Truncated record at byte ${offset}`);
    const fraction = u32(offset + 4);
    records.push({
      timestampMicros: u32(offset) * 1e6 + (nanos ? Math.floor(fraction / 1000) : fraction),
      originalLength: u32(offset + 12),
      data: file.subarray(start, start + includedLength),
    });
    offset = start + includedLength;
  }
  return { linkType: u32(20), snapLength: u32(16), versionMajor: u16(4), versionMinor: u16(6), records };
}

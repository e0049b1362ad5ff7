/** The pcap writer: global header and records read back field by field. */
import { EspSa, LINKTYPE_ETHERNET, LINKTYPE_RAW, parsePcap, PcapWriter } from '../../lib/esp';
import { pingPacket, saConfig } from './helpers';

describe('PcapWriter', () => {
  it('writes the libpcap global header for raw IP (link type 101)', () => {
    const file = new PcapWriter().toBuffer();
    expect(file.length).toBe(24);
    expect(file.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect([file.readUInt16LE(4), file.readUInt16LE(6)]).toEqual([2, 4]);
    expect(file.readUInt32LE(16)).toBe(65535);
    expect(file.readUInt32LE(20)).toBe(LINKTYPE_RAW);
  });

  it('records ESP packets with timestamps and lengths that read back', () => {
    const sa = new EspSa(saConfig('aes256gcm16'));
    const packets = [pingPacket(), pingPacket('10.1.0.1', '10.2.0.1', 500)].map((p) => {
      const r = sa.encapsulate(p);
      if (!r.ok) throw new Error(r.detail);
      return r.packet;
    });
    const writer = new PcapWriter();
    writer.add(packets[0], new Date(Date.UTC(2026, 10, 29, 8, 0, 0, 250)));
    writer.add(packets[1], 1_700_000_000_123_456);
    const file = parsePcap(writer.toBuffer());
    expect(file).toMatchObject({ linkType: LINKTYPE_RAW, snapLength: 65535, versionMajor: 2, versionMinor: 4 });
    expect(file.records.map((r) => r.timestampMicros)).toEqual([Date.UTC(2026, 10, 29, 8, 0, 0, 250) * 1000, 1_700_000_000_123_456]);
    expect(file.records.map((r) => r.data)).toEqual(packets);
    expect(file.records.map((r) => r.originalLength)).toEqual(packets.map((p) => p.length));
    expect(writer.count).toBe(2);
  });

  it('wraps packets in Ethernet with the right EtherType, and truncates to the snap length', () => {
    const writer = new PcapWriter({ linkType: 'ethernet', snapLength: 40 });
    const v4 = pingPacket();
    const v6 = pingPacket('2001:db8::1', '2001:db8::2');
    writer.add(v4, 1);
    writer.add(v6, 2);
    const file = parsePcap(writer.toBuffer());
    expect(file.linkType).toBe(LINKTYPE_ETHERNET);
    expect(file.records[0].data.readUInt16BE(12)).toBe(0x0800);
    expect(file.records[1].data.readUInt16BE(12)).toBe(0x86dd);
    expect(file.records[0].data.length).toBe(40);
    expect(file.records[0].originalLength).toBe(14 + v4.length);
    expect(file.records[0].data.subarray(14)).toEqual(v4.subarray(0, 26));
  });

  it('keeps default timestamps strictly increasing', () => {
    const writer = new PcapWriter();
    for (let i = 0; i < 5; i++) writer.add(pingPacket());
    const times = parsePcap(writer.toBuffer()).records.map((r) => r.timestampMicros);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]);
  });

  it('parsePcap refuses what is not a pcap file', () => {
    expect(() => parsePcap(Buffer.alloc(10))).toThrow(/24-byte header/);
    expect(() => parsePcap(Buffer.alloc(24))).toThrow(/Not a pcap file/);
  });
});

/** IPv4/IPv6 header build and parse, Internet checksums on packets printed in RFCs. */
import { buildIpPacket, buildIpv4Header, buildIpv6Header, buildUdpDatagram, internetChecksum, parseIpHeader, parseIpv4Header, parseIpv6Header } from '../../lib/esp';
import { ipLayout, onesComplementSum } from '../../lib/esp/ip';
import chacha from '../fixtures/esp/chacha20poly1305-esp-vector.json';
import cbcCase5 from '../fixtures/esp/aes-cbc-esp-vector.json';
import { hex } from './helpers';

describe('IPv4 header checksum on headers printed in RFCs', () => {
  it.each([
    ['RFC 3602 case #5 original', cbcCase5.originalIpHeader, 0xf9fe],
    ['RFC 3602 case #5 post-encryption', cbcCase5.postEncryptionIpHeader, 0xf9a5],
    ['RFC 7634 appendix A source packet', hex(chacha.sourcePacket).subarray(0, 20).toString('hex'), 0xe778],
    ['RFC 7634 appendix A ESP packet', hex(chacha.espPacket).subarray(0, 20).toString('hex'), 0xde5b],
  ])('%s', (_name, text, checksum) => {
    const header = hex(text).subarray(0, 20);
    expect(header.readUInt16BE(10)).toBe(checksum);
    const zeroed = Buffer.from(header);
    zeroed.writeUInt16BE(0, 10);
    expect(internetChecksum(zeroed)).toBe(checksum);
    expect(parseIpv4Header(header)?.checksumValid).toBe(true);
  });

  it('buildIpv4Header reproduces the RFC 7634 outer header from its fields', () => {
    const built = buildIpv4Header({ src: '203.0.113.153', dst: '203.0.113.5', protocol: 50, payloadLength: 0x8c - 20, identification: 0x2345, ttl: 64 });
    expect(built).toEqual(hex(chacha.espPacket).subarray(0, 20));
  });

  it('a corrupted header fails its checksum', () => {
    const header = hex(cbcCase5.originalIpHeader);
    header[8] ^= 1;
    expect(parseIpv4Header(header)?.checksumValid).toBe(false);
  });
});

describe('parse', () => {
  it('parses every IPv4 field', () => {
    expect(parseIpHeader(hex(cbcCase5.originalIpHeader))).toEqual({
      version: 4, headerLength: 20, tos: 0, totalLength: 84, identification: 0x08f2, flags: 0, fragmentOffset: 0, ttl: 64, protocol: 1,
      checksum: 0xf9fe, checksumValid: true, src: '192.168.123.3', dst: '192.168.123.100',
    });
  });

  it('round-trips an IPv6 header', () => {
    const header = buildIpv6Header({ src: '2001:db8::1', dst: 'fd00::5', nextHeader: 50, payloadLength: 1234, trafficClass: 0xb8, flowLabel: 0x12345, hopLimit: 7 });
    expect(header.length).toBe(40);
    expect(parseIpv6Header(header)).toEqual({ version: 6, headerLength: 40, trafficClass: 0xb8, flowLabel: 0x12345, payloadLength: 1234, nextHeader: 50, hopLimit: 7, src: '2001:db8::1', dst: 'fd00::5' });
  });

  it.each([
    ['empty', ''],
    ['short IPv4', '4500'],
    ['IHL below 5', '44000014000000004001000001020304'.padEnd(40, '0')],
    ['total length beyond the buffer', '45000064000000004001000001020304'.padEnd(40, '0')],
    ['version 5', '55000014000000004001000001020304'.padEnd(40, '0')],
    ['short IPv6', '60000000'],
  ])('refuses %s', (_name, text) => {
    expect(ipLayout(Buffer.from(text, 'hex'))).toBeUndefined();
  });

  it('skips IPv6 hop-by-hop and destination options to find the protocol', () => {
    const hopByHop = Buffer.from('3c00000000000000', 'hex'); // next: dst options (60), length 0
    const dstOpts = Buffer.from('3200010400000000', 'hex'); // next: ESP (50)
    const packet = buildIpPacket({ src: '2001:db8::1', dst: '2001:db8::2', protocol: 0, payload: Buffer.concat([hopByHop, dstOpts, Buffer.alloc(16)]) });
    expect(ipLayout(packet)).toEqual({ version: 6, headerLength: 56, protocol: 50, protocolOffset: 48, packetLength: packet.length });
  });
});

describe('UDP datagrams', () => {
  it.each([
    ['IPv4', '192.0.2.1', '198.51.100.2'],
    ['IPv6', '2001:db8::1', '2001:db8:1::2'],
  ])('%s checksum verifies over the pseudo-header (RFC 768 / RFC 8200 section 8.1)', (_name, src, dst) => {
    const packet = buildUdpDatagram({ src, dst, srcPort: 500, dstPort: 4500, data: Buffer.from('hello world') });
    const layout = ipLayout(packet)!;
    const udp = packet.subarray(layout.headerLength);
    const addressLength = layout.version === 4 ? 4 : 16;
    const srcBytes = packet.subarray(layout.version === 4 ? 12 : 8, (layout.version === 4 ? 12 : 8) + addressLength);
    const dstBytes = packet.subarray(layout.version === 4 ? 16 : 24, (layout.version === 4 ? 16 : 24) + addressLength);
    let sum = onesComplementSum(srcBytes);
    sum = onesComplementSum(dstBytes, 0, dstBytes.length, sum);
    sum = onesComplementSum(Buffer.from([0, 17, udp.length >> 8, udp.length & 0xff]), 0, 4, sum);
    sum = onesComplementSum(udp, 0, udp.length, sum);
    expect(sum).toBe(0xffff);
    expect(udp.readUInt16BE(4)).toBe(8 + 11);
  });
});

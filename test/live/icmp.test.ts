/**
 * The pings' ICMP echo over IPv4 and IPv6 (no root needed). The IPv6 request is compared byte for byte with
 * scapy 2.5's (`IPv6(src, dst, hlim=64)/ICMPv6EchoRequest(id=0x5100, seq=1, data=b'\x01'*32)`): its
 * checksum 0x0701 covers the IPv6 pseudo-header (RFC 4443 section 2.3).
 */
import { buildIcmpEcho, echoReplyFor, ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST, parseIcmpEcho } from '../../lib/verify/live/icmp';
import { pingAddresses } from '../../lib/verify/live/ping-addresses';

const SCAPY_ECHO6 =
  '6000000000283a40fd000ec2000000010000000000000002fd000ec2000000010000000000000001' +
  '80000701510000010101010101010101010101010101010101010101010101010101010101010101';

describe('ICMP echo for the live pings', () => {
  const v6 = { src: 'fd00:ec2:0:1::2', dst: 'fd00:ec2:0:1::1', type: ICMP_ECHO_REQUEST, id: 0x5100, seq: 1, data: Buffer.alloc(32, 1) };

  test('an ICMPv6 echo request is what scapy builds (type 128, next header 58, pseudo-header checksum)', () => {
    expect(buildIcmpEcho(v6).toString('hex')).toBe(SCAPY_ECHO6);
  });

  test('ICMPv6 echo parses back, and its reply is type 129 with the addresses swapped and a valid checksum', () => {
    expect(parseIcmpEcho(Buffer.from(SCAPY_ECHO6, 'hex'))).toEqual(v6);
    const reply = echoReplyFor(v6);
    expect(reply[40]).toBe(129);
    expect(parseIcmpEcho(reply)).toEqual({ ...v6, src: v6.dst, dst: v6.src, type: ICMP_ECHO_REPLY });
  });

  test('an ICMPv6 echo whose checksum leaves out the pseudo-header, or with a flipped bit, is not an echo', () => {
    const packet = Buffer.from(SCAPY_ECHO6, 'hex');
    const noPseudo = Buffer.from(packet);
    noPseudo.writeUInt16BE(0, 42);
    let sum = 0;
    for (let i = 40; i < noPseudo.length; i += 2) sum += noPseudo.readUInt16BE(i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    noPseudo.writeUInt16BE(~sum & 0xffff, 42);
    expect(parseIcmpEcho(noPseudo)).toBeUndefined();
    const flipped = Buffer.from(packet);
    flipped[60] ^= 1;
    expect(parseIcmpEcho(flipped)).toBeUndefined();
  });

  test('IPv4 echo keeps ICMP types 8 and 0 and protocol 1', () => {
    const v4 = { src: '169.254.10.2', dst: '169.254.10.1', type: ICMP_ECHO_REQUEST, id: 7, seq: 2, data: Buffer.from('abc') };
    const packet = buildIcmpEcho(v4);
    expect([packet[9], packet[20]]).toEqual([1, 8]);
    expect(parseIcmpEcho(packet)).toEqual(v4);
    expect(parseIcmpEcho(echoReplyFor(v4))?.type).toBe(ICMP_ECHO_REPLY);
  });
});

describe('ping addresses', () => {
  test('IPv6 inside addresses inside ::/0 are pinged as they are, in RFC 5952 text', () => {
    expect(pingAddresses({ onPrem: 'fd00:0ec2:0:1:0:0:0:2', aws: 'fd00:ec2:0:1::1' }, { local: ['::/0'], remote: ['::/0'] })).toEqual({ version: 6, onPrem: 'fd00:ec2:0:1::2', aws: 'fd00:ec2:0:1::1', fromSelectors: false });
  });

  test('IPv6 selectors that leave the inside addresses out: the first host of each side\'s IPv6 selector', () => {
    expect(pingAddresses({ onPrem: 'fd00:ec2:0:1::2', aws: 'fd00:ec2:0:1::1' }, { local: ['10.0.0.0/16', '2001:db8:a::/48'], remote: ['2001:db8:b::/64'] })).toEqual({ version: 6, onPrem: '2001:db8:a::1', aws: '2001:db8:b::1', fromSelectors: true });
  });

  test('no selector of the inside addresses\' version, or inside addresses of two versions: nothing to ping', () => {
    expect(pingAddresses({ onPrem: 'fd00:ec2:0:1::2', aws: 'fd00:ec2:0:1::1' }, { local: ['0.0.0.0/0'], remote: ['0.0.0.0/0'] })).toBeUndefined();
    expect(pingAddresses({ onPrem: '169.254.10.2', aws: 'fd00:ec2:0:1::1' }, { local: ['::/0', '0.0.0.0/0'], remote: ['::/0', '0.0.0.0/0'] })).toBeUndefined();
  });
});

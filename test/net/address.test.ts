/** `lib/net/address.ts`: parsing edge cases, containment and overlap, RFC 5952 formatting, private ranges. */
import * as fc from 'fast-check';
import {
  cidrContains,
  cidrsOverlap,
  formatCidr,
  formatIp,
  formatIpv4,
  formatIpv6,
  ipFromBytes,
  ipToBytes,
  isNetworkAddress,
  isPrivateIpv4,
  networkOf,
  parseCidr,
  parseIp,
  parseIpv4,
  parseIpv6,
  Cidr,
} from '../../lib/net/address';

const cidr = (text: string): Cidr => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`test CIDR ${text} does not parse`);
  return parsed;
};
const v4 = (text: string): bigint => parseIpv4(text) as bigint;

describe('parseIpv4', () => {
  test.each([
    ['0.0.0.0', 0n],
    ['255.255.255.255', 0xffffffffn],
    ['192.0.2.1', 0xc0000201n],
    ['10.0.0.9', 0x0a000009n],
  ])('%s', (text, expected) => expect(parseIpv4(text)).toBe(expected));

  test.each([
    '256.0.0.1', '1.2.3', '1.2.3.4.5', '1..2.3', '', ' 1.2.3.4', '1.2.3.4 ', '01.2.3.4', '1.2.3.04', '-1.2.3.4', '1.2.3.4/32', 'a.b.c.d', '::1',
  ])('refuses %j', (text) => expect(parseIpv4(text)).toBeUndefined());
});

describe('parseIpv6', () => {
  test.each([
    ['::', 0n],
    ['::1', 1n],
    ['1::', 1n << 112n],
    ['2001:db8::1', 0x20010db8000000000000000000000001n],
    ['2001:DB8:0:0:0:0:0:1', 0x20010db8000000000000000000000001n],
    ['1:2:3:4:5:6:7::', 0x00010002000300040005000600070000n],
    ['::2:3:4:5:6:7:8', 0x00000002000300040005000600070008n],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', (1n << 128n) - 1n],
    ['::ffff:192.0.2.1', 0xffffc0000201n],
    ['fd00::', 0xfd00n << 112n],
  ])('%s', (text, expected) => expect(parseIpv6(text)).toBe(expected));

  test.each([
    '', ':', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1::2:3:4:5:6:7:8', '12345::', 'g::1', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:',
    '::ffff:192.0.2.256', '::192.0.2.1:1', '1.2.3.4', ' ::1',
  ])('refuses %j', (text) => expect(parseIpv6(text)).toBeUndefined());
});

describe('parseIp and parseCidr', () => {
  test('parseIp tells the versions apart', () => {
    expect(parseIp('192.0.2.1')).toEqual({ version: 4, address: 0xc0000201n });
    expect(parseIp('::1')).toEqual({ version: 6, address: 1n });
    expect(parseIp('nope')).toBeUndefined();
  });

  test.each([
    ['169.254.10.0/30', { version: 4, address: v4('169.254.10.0'), prefixLength: 30 }],
    ['0.0.0.0/0', { version: 4, address: 0n, prefixLength: 0 }],
    ['192.0.2.7/32', { version: 4, address: v4('192.0.2.7'), prefixLength: 32 }],
    ['fd00::/8', { version: 6, address: 0xfdn << 120n, prefixLength: 8 }],
    ['::/0', { version: 6, address: 0n, prefixLength: 0 }],
    ['::1/128', { version: 6, address: 1n, prefixLength: 128 }],
  ])('%s', (text, expected) => expect(parseCidr(text)).toEqual(expected));

  test.each(['10.0.0.0', '10.0.0.0/', '10.0.0.0/33', '::/129', '10.0.0.0/-1', '10.0.0.0/+8', '10.0.0.0/8/8', '10.0.0.0/1000', '/8', '10.0.0.0/ 8'])(
    'refuses %j', (text) => expect(parseCidr(text)).toBeUndefined());
});

describe('networks, containment and overlap', () => {
  test('networkOf clears host bits; isNetworkAddress spots set ones', () => {
    expect(formatIpv4(networkOf(cidr('169.254.10.3/30')))).toBe('169.254.10.0');
    expect(isNetworkAddress(cidr('169.254.10.0/30'))).toBe(true);
    expect(isNetworkAddress(cidr('169.254.10.1/30'))).toBe(false);
    expect(isNetworkAddress(cidr('0.0.0.0/0'))).toBe(true);
    expect(isNetworkAddress(cidr('1.0.0.0/0'))).toBe(false);
    expect(isNetworkAddress(cidr('192.0.2.9/32'))).toBe(true);
    expect(isNetworkAddress(cidr('fd00::4/126'))).toBe(true);
    expect(isNetworkAddress(cidr('fd00::5/126'))).toBe(false);
  });

  test.each<[string, string, boolean]>([
    ['169.254.0.0/16', '169.254.10.0/30', true],
    ['169.254.0.0/16', '169.254.0.0/16', true],
    ['169.254.0.0/16', '169.255.0.0/30', false],
    ['169.254.10.0/30', '169.254.0.0/16', false],
    ['0.0.0.0/0', '203.0.113.9/32', true],
    ['10.0.0.0/8', '10.255.255.252/30', true],
    ['fd00::/8', 'fdff:ffff::fffc/126', true],
    ['fd00::/8', 'fe00::/126', false],
    ['::/0', '0.0.0.0/0', false],
    ['0.0.0.0/0', '::/0', false],
  ])('%s contains %s: %s', (outer, inner, expected) => expect(cidrContains(cidr(outer), cidr(inner))).toBe(expected));

  test('containment ignores host bits of the outer CIDR', () => {
    expect(cidrContains(cidr('10.1.2.3/8'), cidr('10.200.0.0/16'))).toBe(true);
  });

  test.each<[string, string, boolean]>([
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.1.0.0/16', '10.0.0.0/8', true],
    ['169.254.10.0/30', '169.254.10.4/30', false],
    ['169.254.10.0/30', '169.254.10.0/30', true],
    ['192.168.0.0/24', '192.168.1.0/24', false],
    ['fd00::/64', 'fd00::/126', true],
    ['10.0.0.0/8', '::/0', false],
  ])('%s overlaps %s: %s', (a, b, expected) => expect(cidrsOverlap(cidr(a), cidr(b))).toBe(expected));
});

describe('formatting', () => {
  test('IPv4 dotted quads', () => {
    expect(formatIpv4(0n)).toBe('0.0.0.0');
    expect(formatIpv4(0xffffffffn)).toBe('255.255.255.255');
    expect(formatIp(4, 0xc6336407n)).toBe('198.51.100.7');
  });

  test.each([
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['1:0:0:2:3:0:0:4', '1::2:3:0:0:4'],
    ['fd00:0:0:1::4', 'fd00:0:0:1::4'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
  ])('RFC 5952: %s -> %s', (text, expected) => expect(formatIpv6(parseIpv6(text) as bigint)).toBe(expected));

  test('formatCidr writes the address as stored', () => {
    expect(formatCidr(cidr('169.254.10.1/30'))).toBe('169.254.10.1/30');
    expect(formatCidr(cidr('FD00:0::/8'))).toBe('fd00::/8');
  });

  test('IPv4 and IPv6 text round-trips for any address', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), (a) => parseIpv4(formatIpv4(a)) === a));
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (a) => parseIpv6(formatIpv6(a)) === a));
  });

  test('formatted IPv6 is canonical: formatting again changes nothing', () => {
    const groups = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 });
    fc.assert(fc.property(groups, (g) => {
      const text = formatIpv6(g.reduce((acc, x) => (acc << 16n) | BigInt(x), 0n));
      return formatIpv6(parseIpv6(text) as bigint) === text && !text.includes(':::') && text === text.toLowerCase();
    }));
  });
});

describe('isPrivateIpv4', () => {
  test.each([
    ['10.0.0.0', true], ['10.255.255.255', true], ['11.0.0.0', false], ['9.255.255.255', false],
    ['172.15.255.255', false], ['172.16.0.0', true], ['172.31.255.255', true], ['172.32.0.0', false],
    ['192.168.0.0', true], ['192.168.255.255', true], ['192.169.0.0', false],
    ['100.63.255.255', false], ['100.64.0.0', true], ['100.127.255.255', true], ['100.128.0.0', false],
    ['169.254.169.254', true], ['127.0.0.1', true],
    ['198.51.100.10', false], ['203.0.113.25', false], ['8.8.8.8', false],
  ])('%s: %s', (text, expected) => expect(isPrivateIpv4(v4(text))).toBe(expected));
});

describe('byte order', () => {
  test('ipToBytes gives network byte order, 4 or 16 bytes', () => {
    expect([...ipToBytes('192.0.2.1')!]).toEqual([192, 0, 2, 1]);
    expect([...ipToBytes('2001:db8::1')!]).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipToBytes('192.0.2.1/32')).toBeUndefined();
  });

  test('ipFromBytes reverses it and refuses other lengths', () => {
    expect(ipFromBytes(Uint8Array.from([198, 51, 100, 10]))).toBe('198.51.100.10');
    expect(ipFromBytes(ipToBytes('fd00:0:0:1::4')!)).toBe('fd00:0:0:1::4');
    expect(() => ipFromBytes(new Uint8Array(5))).toThrow('An IP address has 4 or 16 bytes, not 5');
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => Buffer.from(b).equals(ipToBytes(ipFromBytes(b))!)));
  });
});

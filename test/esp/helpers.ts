/** Shared test helpers: hex from RFC-style text, keys for a suite, sample packets. */
import { randomBytes } from 'node:crypto';
import { buildIpPacket, EspSuite, SaConfig, suiteInfo } from '../../lib/esp';

/** Bytes from hex written the RFC way: spaces, line arrays. */
export function hex(text: string | string[]): Buffer {
  const joined = Array.isArray(text) ? text.join('') : text;
  const clean = joined.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new Error(`bad hex in fixture: ${joined.slice(0, 40)}`);
  return Buffer.from(clean, 'hex');
}

/** Random keys of the right lengths for `suite`. */
export function keysFor(suite: EspSuite): Pick<SaConfig, 'encryptionKey' | 'integrityKey'> {
  const info = suiteInfo(suite);
  return {
    encryptionKey: randomBytes(info.encryptionKeyLength),
    integrityKey: info.integrityKeyLength ? randomBytes(info.integrityKeyLength) : undefined,
  };
}

/** An ICMP echo request as a whole IP packet (v4 or v6 by the addresses). */
export function pingPacket(src = '10.1.0.1', dst = '10.2.0.1', payloadBytes = 32): Buffer {
  const icmp = Buffer.alloc(8 + payloadBytes);
  icmp[0] = src.includes(':') ? 128 : 8;
  for (let i = 0; i < payloadBytes; i++) icmp[8 + i] = i & 0xff;
  return buildIpPacket({ src, dst, protocol: src.includes(':') ? 58 : 1, payload: icmp });
}

/** An outbound/inbound pair sharing one config (what two peers hold for one direction). */
export function saConfig(suite: EspSuite, overrides: Partial<SaConfig> = {}): SaConfig {
  return {
    spi: 0x0badcafe,
    suite,
    mode: 'tunnel',
    outer: { src: '198.51.100.1', dst: '203.0.113.9' },
    ...keysFor(suite),
    ...overrides,
  };
}

/**
 * AES-CBC packets from an SA that keeps one cipher context for its lifetime (lib/esp/transforms.ts,
 * ChainedCbc) must be exactly what a fresh cipher under each packet's own IV produces: checked here with an
 * independent node:crypto decipher and HMAC per packet, and by opening the packets out of order.
 */
import { createDecipheriv, createHmac } from 'node:crypto';
import { EspSa, EspSuite, suiteInfo } from '../../lib/esp';
import { pingPacket, saConfig } from './helpers';

const CBC_SUITES: EspSuite[] = ['aes128-sha1', 'aes256-sha1', 'aes128-sha256', 'aes256-sha512'];
const HASH: Record<number, string> = { 12: 'sha1', 16: 'sha256', 24: 'sha384', 32: 'sha512' };

/** Packets of many sizes, so block counts, padding and the carried chaining block all vary. */
const SIZES = Array.from({ length: 40 }, (_, i) => (i * 37) % 1300);

describe.each(CBC_SUITES)('%s with one long-lived cipher context', (suite) => {
  const config = saConfig(suite, { spi: 0x1234, replayWindow: 64 });
  const inner = SIZES.map((size) => pingPacket('10.1.0.1', '10.2.0.1', size));
  const packets = inner.map((packet) => {
    const result = new EspSa(config).encapsulatePayload(packet); // a fresh SA per packet would hide nothing
    if (!result.ok) throw new Error(result.detail);
    return result.packet;
  });
  const sender = new EspSa(config);
  const chained = inner.map((packet) => {
    const result = sender.encapsulatePayload(packet);
    if (!result.ok) throw new Error(result.detail);
    return result.packet;
  });

  test('every packet decrypts with a fresh decipher under its own IV and carries a valid truncated HMAC', () => {
    const { icvLength, ivLength } = suiteInfo(suite);
    chained.forEach((esp, i) => {
      const icvOffset = esp.length - icvLength;
      const hmac = createHmac(HASH[icvLength], config.integrityKey as Buffer).update(esp.subarray(0, icvOffset)).digest();
      expect(esp.subarray(icvOffset).equals(hmac.subarray(0, icvLength))).toBe(true);
      const iv = esp.subarray(8, 8 + ivLength);
      const decipher = createDecipheriv(suiteInfo(suite).cipher, config.encryptionKey, iv).setAutoPadding(false);
      const plaintext = Buffer.concat([decipher.update(esp.subarray(8 + ivLength, icvOffset)), decipher.final()]);
      const padLength = plaintext[plaintext.length - 2];
      expect(plaintext[plaintext.length - 1]).toBe(4); // next header: IPv4 in tunnel mode
      expect(plaintext.subarray(0, inner[i].length).equals(inner[i])).toBe(true);
      const padding = plaintext.subarray(inner[i].length, inner[i].length + padLength);
      expect([...padding]).toEqual(Array.from({ length: padLength }, (_, k) => k + 1)); // RFC 4303 monotonic padding
    });
  });

  test('a receiver opens them in any order, interleaved with packets from fresh SAs', () => {
    const receiver = new EspSa(config);
    const order = chained.map((_, i) => i).sort((a, b) => ((a * 7919) % 41) - ((b * 7919) % 41));
    for (const i of order) {
      const result = receiver.decapsulatePayload(chained[i]);
      expect(result.ok && result.packet.equals(inner[i])).toBe(true);
    }
    // Packets from other (fresh) SAs share sequence number 1: a new receiver for each, same key.
    packets.forEach((esp, i) => {
      const result = new EspSa(config).decapsulatePayload(esp);
      expect(result.ok && result.packet.equals(inner[i])).toBe(true);
    });
  });

  test('a forged packet in between leaves the receiver able to open the next good one', () => {
    const receiver = new EspSa(config);
    const forged = Buffer.from(chained[5]);
    forged[20] ^= 0x01;
    expect(receiver.decapsulatePayload(forged)).toMatchObject({ ok: false, reason: 'authentication-failed' });
    const good = receiver.decapsulatePayload(chained[6]);
    expect(good.ok && good.packet.equals(inner[6])).toBe(true);
  });
});

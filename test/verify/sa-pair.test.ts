/** The SA pair takes its keys from the caller: the seam the live (IKE) stage will use. */
import { udpPacket } from '../../lib/verify/inner-packets';
import { runLoopbackExchange } from '../../lib/verify/loopback-exchange';
import { buildSaPair, ChildSaKeys, randomTestKeys } from '../../lib/verify/sa-pair';

const endpoints = {
  onPrem: { outside: '198.51.100.10', inside: '169.254.10.2', replayWindow: 64 },
  aws: { outside: '192.0.2.101', inside: '169.254.10.1', replayWindow: 64 },
};

test('random test keys have the suite lengths and adjacent SPIs, fresh each time', () => {
  const a = randomTestKeys('aes128-sha256');
  const b = randomTestKeys('aes128-sha256');
  expect([a.toAws.encryptionKey.length, a.toAws.integrityKey?.length, a.toOnPrem.spi - a.toAws.spi]).toEqual([16, 32, 1]);
  expect(a.toAws.encryptionKey.equals(b.toAws.encryptionKey)).toBe(false);
  expect(randomTestKeys('aes256gcm16').toAws).not.toHaveProperty('integrityKey');
});

test("each side's outbound SA is the other side's inbound SA", () => {
  const pair = buildSaPair('aes256gcm16', randomTestKeys('aes256gcm16'), { onPrem: 64, aws: 128 });
  const sent = pair.onPrem.outbound.encapsulatePayload(udpPacket('169.254.10.2', '169.254.10.1', 64, 1));
  if (!sent.ok) throw new Error(sent.detail);
  expect(pair.aws.inbound.decapsulatePayload(sent.packet).ok).toBe(true);
  expect(pair.onPrem.inbound.decapsulatePayload(sent.packet)).toMatchObject({ ok: false, reason: 'unknown-spi' });
});

test('the exchange runs on the keys it is given: the same keys deliver, a wrong key is refused', async () => {
  const keys = randomTestKeys('aes128-sha1');
  const good = await runLoopbackExchange({ suite: 'aes128-sha1', mtu: 600, ...endpoints, keys, burstPackets: 32, timeoutMs: 5000 });
  expect(good.onPremToAws.delivered).toBe(good.onPremToAws.sent - 2);
  // AWS's side receives with a different integrity key than the on-prem side sends with.
  const wrong: ChildSaKeys = { ...keys, toAws: { ...keys.toAws, integrityKey: Buffer.alloc(20, 0x5a) } };
  const pair = buildSaPair('aes128-sha1', keys, { onPrem: 64, aws: 64 });
  const skewed = buildSaPair('aes128-sha1', wrong, { onPrem: 64, aws: 64 });
  const packet = pair.onPrem.outbound.encapsulatePayload(udpPacket('169.254.10.2', '169.254.10.1', 64, 2));
  if (!packet.ok) throw new Error(packet.detail);
  expect(skewed.aws.inbound.decapsulatePayload(packet.packet)).toMatchObject({ ok: false, reason: 'authentication-failed' });
});

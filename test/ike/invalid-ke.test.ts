/** The one INVALID_KE_PAYLOAD rule (IKE_SA_INIT, CHILD_SA and IKE SA rekeys): retry with the group asked for, if offered, once. */
import { DH_GROUPS } from '../../lib/algorithms/dh-groups';
import { invalidKeRetry } from '../../lib/ike/invalid-ke';
import { NOTIFY, PAYLOAD } from '../../lib/ike/message/constants';
import type { Payload } from '../../lib/ike/message/payload';

const group = (id: number) => DH_GROUPS.find((g) => g.ianaId === id)!;
const [modp2048, ecp256, ecp384] = [group(14), group(19), group(20)];

function invalidKe(data: Buffer): Payload[] {
  return [{ type: PAYLOAD.N, protocol: 0, spi: Buffer.alloc(0), notifyType: NOTIFY.INVALID_KE_PAYLOAD, data }];
}
const asking = (id: number) => invalidKe(Buffer.from([id >> 8, id & 0xff]));

describe('invalidKeRetry', () => {
  test('no INVALID_KE_PAYLOAD: nothing to do', () => {
    expect(invalidKeRetry([{ type: PAYLOAD.NONCE, data: Buffer.alloc(32) }], [modp2048], [modp2048])).toBeUndefined();
  });

  test('a group we offer and have not sent: retry with it', () => {
    expect(invalidKeRetry(asking(19), [modp2048, ecp256], [modp2048])).toEqual({ retry: ecp256 });
  });

  test('a group our proposals do not hold: refused, naming the group and what we offer', () => {
    expect(invalidKeRetry(asking(20), [modp2048, ecp256], [modp2048])).toEqual({ refuse: 'the responder asks for DH group 20, which our proposals do not offer (modp2048, ecp256)' });
  });

  test('a group our KE already used in this exchange: refused (no ping-pong between groups)', () => {
    expect(invalidKeRetry(asking(14), [modp2048, ecp256, ecp384], [modp2048, ecp256])).toEqual({ refuse: 'the responder asks for DH group 14 (modp2048) again, which our KE payload already used' });
  });

  test('a notify without a 2-byte group: refused', () => {
    expect(invalidKeRetry(invalidKe(Buffer.from([19])), [ecp256], [])).toEqual({ refuse: "the responder's INVALID_KE_PAYLOAD holds 1 bytes, not a 2-byte DH group" });
  });
});

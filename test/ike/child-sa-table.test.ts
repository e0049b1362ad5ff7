/**
 * The CHILD_SA table over a real back-to-back rekey: each side keeps sending on the old SA until the new
 * one carries traffic in or the old one is deleted, so no packet goes out on an SA the peer lacks.
 */
import { EspSa } from '../../lib/esp';
import { ChildSaTable } from '../../lib/ike/child-sa-table';
import { Wire } from './wire';

const packet = (): Buffer => Buffer.from('4500002000010000400100006336640ccb007101000000000000000000000000', 'hex');

test('outbound moves to the rekeyed CHILD_SA only when it is safe', () => {
  const w = new Wire();
  w.handshake();
  const [ti, tr] = [new ChildSaTable(), new ChildSaTable()];
  const feed = () => {
    w.events.splice(0).forEach(({ side, event }) => (side === 'i' ? ti : tr).apply(event));
  };
  feed();
  const first = ti.outbound!.spi;
  expect(tr.outbound).toBeDefined();

  // The responder of the rekey installs the new CHILD_SA before the initiator has the answer.
  w.take('i', w.i.rekeyChild(w.now));
  const request = w.queue.shift()!;
  w.take('r', w.r.receive(request.datagram.bytes, { ...request.from, natT: false }, w.now));
  feed();
  const responderOutbound = tr.outbound!.spi;
  expect(w.r.children).toHaveLength(2);
  expect(responderOutbound).toBe(w.r.children[0].outSpi); // still the old SA
  // The initiator gets the answer; until its DELETE of the old SA completes, both tables still send on the
  // old one. Traffic arriving on the new SA (a peer that switches at once) moves the responder over.
  const answer = w.queue.shift()!;
  w.take('i', w.i.receive(answer.datagram.bytes, { ...answer.from, natT: false }, w.now));
  feed();
  expect(ti.outbound!.spi).toBe(first);
  expect(w.queue).toHaveLength(1); // the DELETE, not yet delivered
  const fresh = w.i.children.find((c) => c.outSpi !== first)!;
  const sealed = new EspSa(fresh.info.outbound).encapsulatePayload(packet());
  if (!sealed.ok) throw new Error(sealed.detail);
  expect(tr.decapsulate(sealed.packet)).toMatchObject({ ok: true });
  expect(tr.outbound!.spi).not.toBe(responderOutbound);
  expect(tr.outbound!.spi).toBe(fresh.inSpi);
  w.settle();
  feed();
  expect(w.r.children).toHaveLength(1);
  expect(ti.outbound!.spi).toBe(fresh.outSpi);
  expect(tr.outbound!.spi).toBe(w.r.children[0].outSpi);
  w.take('i', w.i.delete(w.now));
  w.settle();
  feed();
  expect(ti.outbound).toBeUndefined();
  expect(tr.outbound).toBeUndefined();
});

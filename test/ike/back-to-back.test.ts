/**
 * Two of our IKE SAs through every exchange on a simulated wire: handshakes for each AWS family, COOKIE,
 * INVALID_KE_PAYLOAD, wrong key, disjoint proposals, narrowing, CHILD_SA and IKE SA rekeys by either side
 * (and both at once), lost and duplicated messages, DPD timeout, DELETE, lifetimes.
 */
import { EspSa } from '../../lib/esp';
import type { ChildSaInfo, IkeEvent } from '../../lib/ike/events';
import { Wire } from './wire';

const childOf = (e: IkeEvent): ChildSaInfo => {
  if (e.type !== 'child-up') throw new Error(`not child-up: ${e.type}`);
  return e.child;
};

/** Both sides' CHILD_SA keys work together: a packet from each side opens on the other. */
function expectChildPair(a: ChildSaInfo, b: ChildSaInfo): void {
  expect(a.outbound.spi).toBe(b.inbound.spi);
  expect(b.outbound.spi).toBe(a.inbound.spi);
  const inner = Buffer.from('450000200001000040010000c6336401cb007101', 'hex');
  const payload = Buffer.concat([inner.subarray(0, 20), Buffer.alloc(12, 7)]);
  payload.writeUInt16BE(payload.length, 2);
  for (const [from, to] of [[a, b], [b, a]] as const) {
    const sealed = new EspSa(from.outbound).encapsulatePayload(payload);
    if (!sealed.ok) throw new Error(sealed.detail);
    const opened = new EspSa(to.inbound).decapsulatePayload(sealed.packet);
    expect(opened).toMatchObject({ ok: true });
  }
}

describe('IKE_SA_INIT + IKE_AUTH back to back', () => {
  test.each([
    ['aes128-sha1-modp2048', 'aes128-sha1-modp2048'],
    ['aes256-sha256-modp2048', 'aes256-sha256'],
    ['aes128-sha384-ecp384', 'aes128-sha384-ecp384'],
    ['aes256-sha512-ecp521', 'aes256-sha512'],
    ['aes128gcm16-prfsha256-ecp256', 'aes128gcm16-modp2048'],
    ['aes256gcm16-prfsha384-ecp384', 'aes256gcm16'],
    ['aes256-sha256-curve25519', 'aes256-sha256'],
    ['aes128-sha256-modp1024s160', 'aes128-sha256'],
  ])('%s / ESP %s: IKE and CHILD_SA up, keys agree', (ike, esp) => {
    const w = new Wire({ ike: [ike], esp: [esp] });
    w.handshake();
    expect(w.i.state).toBe('established');
    expect(w.r.state).toBe('established');
    const up = w.eventsOf('i', 'ike-up')[0];
    expect(up).toMatchObject({ type: 'ike-up', proposal: ike.replace('-prfsha256', '-prfsha256'), remoteId: '192.0.2.2' });
    const [ci, cr] = [childOf(w.eventsOf('i', 'child-up')[0]), childOf(w.eventsOf('r', 'child-up')[0])];
    expect(ci.localTsText).toEqual(['198.51.100.0/24']);
    expect(cr.localTsText).toEqual(['203.0.113.0/24']);
    expectChildPair(ci, cr);
  });

  test('the responder narrows the traffic selectors; the initiator accepts the narrower ones', () => {
    const w = new Wire({ initiator: { localTs: ['198.51.100.0/24'], remoteTs: ['0.0.0.0/0'] }, responder: { localTs: ['203.0.113.0/25'], remoteTs: ['198.51.100.128/25'] } });
    w.handshake();
    const ci = childOf(w.eventsOf('i', 'child-up')[0]);
    expect(ci.localTsText).toEqual(['198.51.100.128/25']);
    expect(ci.remoteTsText).toEqual(['203.0.113.0/25']);
  });

  test('disjoint traffic selectors: IKE up, CHILD_SA refused with TS_UNACCEPTABLE', () => {
    const w = new Wire({ responder: { remoteTs: ['10.9.0.0/16'] } });
    w.handshake();
    expect(w.i.state).toBe('established');
    expect(w.eventsOf('i', 'failed')).toEqual([expect.objectContaining({ notify: 'TS_UNACCEPTABLE' })]);
  });

  test('wrong key: AUTHENTICATION_FAILED on both sides, no SA', () => {
    const w = new Wire({ responder: { psk: Buffer.from('another-key-entirely-999') } });
    w.handshake();
    expect(w.eventsOf('r', 'failed')).toEqual([expect.objectContaining({ exchange: 'IKE_AUTH', notify: 'AUTHENTICATION_FAILED' })]);
    expect(w.eventsOf('i', 'failed')).toEqual([expect.objectContaining({ exchange: 'IKE_AUTH', notify: 'AUTHENTICATION_FAILED' })]);
    expect(w.eventsOf('i', 'ike-up')).toEqual([]);
    expect(w.eventsOf('r', 'ike-up')).toEqual([]);
  });

  test('a wrong identity is refused like a wrong key', () => {
    const w = new Wire({ responder: { remoteId: '192.0.2.99' } });
    w.handshake();
    expect(w.eventsOf('i', 'failed')).toEqual([expect.objectContaining({ notify: 'AUTHENTICATION_FAILED' })]);
  });

  test('disjoint IKE proposals (valid configs): NO_PROPOSAL_CHOSEN', () => {
    const { parseProposal } = jest.requireActual('../../lib/algorithms/proposal');
    const w = new Wire({ ike: ['aes128-sha1-modp2048'], responder: { ikeProposals: [parseProposal('aes256gcm16-prfsha384-ecp384', 'ike')] } });
    w.handshake();
    expect(w.eventsOf('i', 'failed')).toEqual([expect.objectContaining({ exchange: 'IKE_SA_INIT', notify: 'NO_PROPOSAL_CHOSEN' })]);
    expect(w.eventsOf('r', 'failed')).toEqual([expect.objectContaining({ exchange: 'IKE_SA_INIT', notify: 'NO_PROPOSAL_CHOSEN' })]);
  });

  test('INVALID_KE_PAYLOAD: the initiator retries with the group the responder wants', () => {
    const { parseProposal } = jest.requireActual('../../lib/algorithms/proposal');
    const w = new Wire({
      initiator: { ikeProposals: [parseProposal('aes128-sha256-modp2048-ecp256', 'ike')] },
      responder: { ikeProposals: [parseProposal('aes128-sha256-ecp256', 'ike')] },
    });
    w.handshake();
    expect(w.eventsOf('i', 'ike-up')).toEqual([expect.objectContaining({ proposal: 'aes128-sha256-ecp256' })]);
  });

  test('COOKIE: the responder keeps no state until the initiator returns its cookie', () => {
    const w = new Wire({ responder: { requireCookie: true } });
    w.take('i', w.i.start(w.now));
    const first = w.queue.shift()!;
    const answer = w.r.receive(first.datagram.bytes, { ...first.from, natT: false }, w.now);
    expect(w.r.state).toBe('idle');
    expect(answer.send).toHaveLength(1);
    w.take('r', answer);
    w.settle();
    expect(w.i.state).toBe('established');
    expect(w.r.state).toBe('established');
  });

  test('AWS choice rule: the lowest configured value wins whatever order the initiator proposes', () => {
    const { parseProposal } = jest.requireActual('../../lib/algorithms/proposal');
    const w = new Wire({
      initiator: { ikeProposals: [parseProposal('aes256-aes128-sha512-sha1-modp4096-modp2048', 'ike')], espProposals: [parseProposal('aes256-aes128-sha256-sha1-modp2048', 'esp')] },
      responder: {
        choiceRule: 'aws-lowest',
        ikeProposals: [parseProposal('aes256-aes128-sha512-sha256-sha1-modp4096-modp2048', 'ike')],
        espProposals: [parseProposal('aes256-aes128-sha256-sha1-modp2048', 'esp')],
      },
    });
    w.handshake();
    expect(w.eventsOf('i', 'ike-up')).toEqual([expect.objectContaining({ proposal: 'aes128-sha1-modp2048' })]);
    expect(childOf(w.eventsOf('i', 'child-up')[0]).proposal).toBe('aes128-sha1');
  });

  test('forced encapsulation: both sides float to 4500 and the CHILD_SA is UDP-encapsulated', () => {
    const w = new Wire({ initiator: { forceEncapsulation: true } });
    w.handshake();
    const ci = childOf(w.eventsOf('i', 'child-up')[0]);
    const cr = childOf(w.eventsOf('r', 'child-up')[0]);
    expect(w.eventsOf('i', 'ike-up')[0]).toMatchObject({ natT: true });
    expect(w.eventsOf('r', 'ike-up')[0]).toMatchObject({ natT: true });
    expect(ci.outbound.natT).toEqual({ srcPort: 4500, dstPort: 4500 });
    expect(cr.inbound.natT).toEqual({ srcPort: 4500, dstPort: 4500 });
  });
});

describe('message IDs (RFC 7296 section 2.2)', () => {
  test("IKE_SA_INIT is the initiator's 0 and IKE_AUTH its 1; the responder's first request is its 0", () => {
    const w = new Wire();
    const ids: { from: string; id: number; response: boolean }[] = [];
    w.policy = ({ from, bytes }) => {
      ids.push({ from, id: bytes.readUInt32BE(20), response: (bytes[19] & 0x20) !== 0 });
      return 'deliver';
    };
    w.handshake();
    w.take('r', w.r.checkLiveness(w.now));
    w.settle();
    w.take('i', w.i.checkLiveness(w.now));
    w.settle();
    expect(ids).toEqual([
      { from: 'i', id: 0, response: false },
      { from: 'r', id: 0, response: true },
      { from: 'i', id: 1, response: false },
      { from: 'r', id: 1, response: true },
      { from: 'r', id: 0, response: false },
      { from: 'i', id: 0, response: true },
      { from: 'i', id: 2, response: false },
      { from: 'r', id: 2, response: true },
    ]);
  });
});

describe('lost and duplicated messages', () => {
  test('every handshake message lost once: retransmission with backoff brings the SA up', () => {
    const w = new Wire();
    const lost = new Set<number>();
    w.policy = ({ index }) => (index < 8 && !lost.has(index) && index % 2 === 0 ? (lost.add(index), 'drop') : 'deliver');
    w.handshake();
    w.runUntil(w.now + 60_000);
    expect(w.i.state).toBe('established');
    expect(w.r.state).toBe('established');
  });

  test('responses lost: the responder answers retransmitted requests from its cache, once', () => {
    const w = new Wire();
    w.policy = ({ from, index }) => (from === 'r' && index === 3 ? 'drop' : 'deliver');
    w.handshake();
    w.runUntil(w.now + 10_000);
    expect(w.i.state).toBe('established');
    expect(w.eventsOf('r', 'ike-up')).toHaveLength(1);
    expect(w.eventsOf('r', 'child-up')).toHaveLength(1);
  });

  test('every datagram duplicated: exactly one IKE SA and one CHILD_SA each side', () => {
    const w = new Wire();
    w.policy = () => 'duplicate';
    w.handshake();
    w.take('i', w.i.rekeyChild(w.now));
    w.settle();
    expect(w.eventsOf('i', 'ike-up')).toHaveLength(1);
    expect(w.eventsOf('r', 'ike-up')).toHaveLength(1);
    expect(w.eventsOf('i', 'rekeyed')).toHaveLength(1);
    expect(w.i.children).toHaveLength(1);
    expect(w.r.children).toHaveLength(1);
  });

  test('the peer never answers: IKE_SA_INIT gives up after the retransmissions', () => {
    const w = new Wire();
    w.policy = ({ from }) => (from === 'i' ? 'drop' : 'deliver');
    w.handshake();
    const start = w.now;
    w.runUntil(start + 600_000);
    const failed = w.eventsOf('i', 'failed');
    expect(failed).toEqual([expect.objectContaining({ exchange: 'IKE_SA_INIT' })]);
    // 4 s, then x1.8 per try, five retries: 4 + 7.2 + 12.96 + 23.33 + 41.99 + 75.58 s.
    const at = w.events.find((e) => e.event.type === 'failed')!.at - start;
    expect(at).toBeGreaterThan(160_000);
    expect(at).toBeLessThan(170_000);
  });
});

describe('CREATE_CHILD_SA rekeys', () => {
  test.each(['i', 'r'] as const)('CHILD_SA rekey with PFS started by %s: new keys, old SA deleted both sides', (side) => {
    const w = new Wire();
    w.handshake();
    const before = childOf(w.eventsOf('i', 'child-up')[0]);
    w.take(side, (side === 'i' ? w.i : w.r).rekeyChild(w.now));
    w.settle();
    expect(w.eventsOf('i', 'rekeyed')).toHaveLength(1);
    expect(w.eventsOf('r', 'rekeyed')).toHaveLength(1);
    const [ni, nr] = [childOf(w.eventsOf('i', 'child-up')[1]), childOf(w.eventsOf('r', 'child-up')[1])];
    expect(ni.proposal).toBe('aes128-sha256-modp2048');
    expect(ni.outbound.encryptionKey.equals(before.outbound.encryptionKey)).toBe(false);
    expectChildPair(ni, nr);
    expect(w.i.children.map((c) => c.inSpi)).toEqual([ni.inbound.spi]);
    expect(w.r.children.map((c) => c.inSpi)).toEqual([nr.inbound.spi]);
    expect(w.eventsOf('i', 'child-deleted')).toEqual([expect.objectContaining({ inboundSpi: before.inbound.spi, reason: 'rekeyed' })]);
  });

  test('PFS mismatch: the rekey fails with NO_PROPOSAL_CHOSEN (the first-hour outage), the old SA stays', () => {
    const { parseProposal } = jest.requireActual('../../lib/algorithms/proposal');
    const w = new Wire({ initiator: { espProposals: [parseProposal('aes128-sha256', 'esp')] }, responder: { espProposals: [parseProposal('aes128-sha256-modp2048', 'esp')] } });
    w.handshake();
    expect(w.eventsOf('i', 'child-up')).toHaveLength(1);
    w.take('i', w.i.rekeyChild(w.now));
    w.settle();
    expect(w.eventsOf('i', 'failed')).toEqual([expect.objectContaining({ notify: 'NO_PROPOSAL_CHOSEN' })]);
    expect(w.i.children).toHaveLength(1);
  });

  test('simultaneous CHILD_SA rekey (RFC 7296 section 2.8.1): one new CHILD_SA survives, both sides agree', () => {
    const w = new Wire();
    w.handshake();
    w.take('i', w.i.rekeyChild(w.now));
    w.take('r', w.r.rekeyChild(w.now));
    w.settle();
    expect(w.i.children).toHaveLength(1);
    expect(w.r.children).toHaveLength(1);
    expect(w.i.children[0].inSpi).toBe(w.r.children[0].outSpi);
    expect(w.i.children[0].outSpi).toBe(w.r.children[0].inSpi);
    const survivor = w.i.children[0];
    const peer = w.r.children[0];
    expectChildPair(survivor.info, peer.info);
  });

  test.each(['i', 'r'] as const)('IKE SA rekey started by %s: new SPIs and keys, CHILD_SA kept, DPD works after', (side) => {
    const w = new Wire();
    w.handshake();
    const old = w.i.spis!;
    w.take(side, (side === 'i' ? w.i : w.r).rekeyIke(w.now));
    w.settle();
    expect(w.eventsOf('i', 'rekeyed')).toEqual([expect.objectContaining({ what: 'ike' })]);
    expect(w.eventsOf('r', 'rekeyed')).toEqual([expect.objectContaining({ what: 'ike' })]);
    expect(w.i.spis).not.toEqual(old);
    expect(w.i.spis).toEqual(w.r.spis);
    expect(w.i.children).toHaveLength(1);
    // The new IKE SA carries further exchanges: a CHILD_SA rekey and a liveness check.
    w.take('r', w.r.rekeyChild(w.now));
    w.settle();
    w.take('i', w.i.checkLiveness(w.now));
    w.settle();
    expect(w.eventsOf('i', 'rekeyed').filter((e) => e.type === 'rekeyed' && e.what === 'child')).toHaveLength(1);
    expect(w.i.state).toBe('established');
    expect(w.i.nextDeadline()).toBeDefined();
  });

  test('CHILD_SA rekey with PFS, the responder prefers another group: one INVALID_KE_PAYLOAD, then the group it asked for', () => {
    const { parseProposal } = jest.requireActual('../../lib/algorithms/proposal');
    const w = new Wire({ initiator: { espProposals: [parseProposal('aes128-sha256-modp2048-ecp256', 'esp')] }, responder: { espProposals: [parseProposal('aes128-sha256-ecp256-modp2048', 'esp')] } });
    w.handshake();
    const requests: number[] = [];
    w.policy = ({ from, bytes }) => (from === 'i' && bytes[18] === 36 && (bytes[19] & 0x20) === 0 && requests.push(bytes.readUInt32BE(20)), 'deliver');
    w.take('i', w.i.rekeyChild(w.now));
    w.settle();
    expect(w.eventsOf('i', 'failed')).toEqual([]);
    expect(w.eventsOf('i', 'rekeyed')).toEqual([expect.objectContaining({ what: 'child', child: expect.objectContaining({ proposal: 'aes128-sha256-ecp256' }) })]);
    // Two CREATE_CHILD_SA requests with consecutive message IDs: the refused one and the retry.
    expect(requests).toEqual([2, 3]);
    expectChildPair(w.i.children[0].info, w.r.children[0].info);
  });

  test('IKE SA rekey by the original responder, the initiator prefers another group: one INVALID_KE_PAYLOAD, then the group it asked for', () => {
    const { parseProposal } = jest.requireActual('../../lib/algorithms/proposal');
    // IKE_SA_INIT: the responder's choice (modp2048) wins; as the rekey's responder the initiator wants ecp256.
    const w = new Wire({ initiator: { ikeProposals: [parseProposal('aes128-sha256-ecp256-modp2048', 'ike')] }, responder: { ikeProposals: [parseProposal('aes128-sha256-modp2048-ecp256', 'ike')] } });
    w.handshake();
    expect(w.eventsOf('i', 'ike-up')).toEqual([expect.objectContaining({ proposal: 'aes128-sha256-modp2048' })]);
    const old = w.i.spis!;
    const requests: number[] = [];
    w.policy = ({ from, bytes }) => (from === 'r' && bytes[18] === 36 && (bytes[19] & 0x20) === 0 && requests.push(bytes.readUInt32BE(20)), 'deliver');
    w.take('r', w.r.rekeyIke(w.now));
    w.settle();
    expect(w.eventsOf('r', 'failed')).toEqual([]);
    expect(w.eventsOf('r', 'rekeyed')).toEqual([expect.objectContaining({ what: 'ike', proposal: 'aes128-sha256-ecp256' })]);
    expect(w.eventsOf('i', 'rekeyed')).toEqual([expect.objectContaining({ what: 'ike', proposal: 'aes128-sha256-ecp256' })]);
    // Two CREATE_CHILD_SA requests with consecutive message IDs: the refused one and the retry.
    expect(requests).toEqual([0, 1]);
    expect(w.i.spis).not.toEqual(old);
    expect(w.i.spis).toEqual(w.r.spis);
    // The new IKE SA works, and its next rekey by either side needs no retry.
    w.take('i', w.i.rekeyIke(w.now));
    w.settle();
    expect(w.eventsOf('i', 'rekeyed')).toHaveLength(2);
    expect(w.i.spis).toEqual(w.r.spis);
    expect(w.i.children).toHaveLength(1);
  });

  test('simultaneous IKE SA rekey: both end on the same new IKE SA', () => {
    const w = new Wire();
    w.handshake();
    w.take('i', w.i.rekeyIke(w.now));
    w.take('r', w.r.rekeyIke(w.now));
    w.settle();
    expect(w.i.spis).toEqual(w.r.spis);
    w.take('i', w.i.checkLiveness(w.now));
    w.settle();
    w.take('r', w.r.rekeyChild(w.now));
    w.settle();
    expect(w.i.state).toBe('established');
    expect(w.r.state).toBe('established');
    expect(w.i.children).toHaveLength(1);
    expect(w.r.children).toHaveLength(1);
  });
});

describe('lifetimes, DPD and DELETE', () => {
  test('lifetimes: the CHILD_SA and the IKE SA rekey before they expire, within margin and fuzz', () => {
    const lifetimes = { ikeSeconds: 28800, childSeconds: 3600, marginSeconds: 270, fuzzPercent: 100 };
    const w = new Wire({ initiator: { lifetimes }, responder: { lifetimes: { ...lifetimes, marginSeconds: 60, fuzzPercent: 0 } } });
    w.handshake();
    const start = w.now;
    w.runUntil(start + 3600_000);
    const childRekeys = w.events.filter((e) => e.event.type === 'rekeyed' && e.event.what === 'child');
    expect(childRekeys.length).toBeGreaterThanOrEqual(2);
    const first = childRekeys[0].at - start;
    expect(first).toBeGreaterThanOrEqual((3600 - 540) * 1000);
    expect(first).toBeLessThanOrEqual((3600 - 270) * 1000);
    expect(w.i.children).toHaveLength(1);
    expect(w.r.children).toHaveLength(1);
    w.runUntil(start + 28800_000);
    expect(w.events.some((e) => e.event.type === 'rekeyed' && e.event.what === 'ike')).toBe(true);
    expect(w.i.state).toBe('established');
    expect(w.r.state).toBe('established');
  });

  test('DPD: an idle SA is probed; when the peer goes silent it is cleared after the DPD timeout', () => {
    const w = new Wire({ responder: { dpd: { intervalSeconds: 10, timeoutSeconds: 30 } } });
    w.handshake();
    const start = w.now;
    w.runUntil(start + 25_000);
    expect(w.r.state).toBe('established');
    w.policy = ({ from }) => (from === 'i' ? 'drop' : 'deliver');
    w.runUntil(start + 120_000);
    expect(w.eventsOf('r', 'deleted')).toEqual([expect.objectContaining({ reason: 'dpd-timeout' })]);
    const at = w.events.find((e) => e.side === 'r' && e.event.type === 'deleted')!.at - start;
    expect(at).toBeGreaterThan(25_000);
    expect(at).toBeLessThanOrEqual(25_000 + 10_000 + 30_000);
    expect(w.eventsOf('r', 'child-deleted')).toHaveLength(1);
  });

  test('DPD: a request in flight when the peer goes silent is the liveness check: the SA is cleared the DPD timeout after it was sent', () => {
    const w = new Wire({ responder: { dpd: { intervalSeconds: 10, timeoutSeconds: 30 } } });
    w.handshake();
    w.policy = ({ from }) => (from === 'i' ? 'drop' : 'deliver');
    const start = w.now;
    w.take('r', w.r.rekeyChild(start));
    w.take('r', w.r.checkLiveness(start + 1_000)); // busy window: the rekey request stands for it
    w.runUntil(start + 200_000);
    expect(w.eventsOf('r', 'deleted')).toEqual([expect.objectContaining({ reason: 'dpd-timeout' })]);
    // Not after the rekey's retransmissions (about 165 s), nor a DPD interval late.
    expect(w.events.find((e) => e.side === 'r' && e.event.type === 'deleted')!.at - start).toBe(30_000);
  });

  test.each(['i', 'r'] as const)('DELETE of the IKE SA by %s: both sides delete everything', (side) => {
    const w = new Wire();
    w.handshake();
    w.take(side, (side === 'i' ? w.i : w.r).delete(w.now));
    w.settle();
    expect(w.i.state).toBe('deleted');
    expect(w.r.state).toBe('deleted');
    expect(w.eventsOf(side === 'i' ? 'r' : 'i', 'deleted')).toEqual([expect.objectContaining({ reason: 'peer' })]);
    expect(w.eventsOf('i', 'child-deleted')).toHaveLength(1);
  });

  test('DELETE of a CHILD_SA: both sides remove it, the IKE SA stays', () => {
    const w = new Wire();
    w.handshake();
    w.take('r', w.r.deleteChild(w.now, w.r.children[0].inSpi));
    w.settle();
    expect(w.i.children).toHaveLength(0);
    expect(w.r.children).toHaveLength(0);
    expect(w.i.state).toBe('established');
  });
});

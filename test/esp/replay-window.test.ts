/**
 * Anti-replay and sequence numbers against RFC 4303's algorithm: a numbered edge-case table
 * (test/fixtures/esp/replay-window-cases.json), run twice: through whole ESP SAs (check before the ICV,
 * update after it) and through the window alone.
 */
import { EspSa } from '../../lib/esp';
import { espSaTestHooks } from '../../lib/esp/esp-sa';
import { screenSequence } from '../../lib/esp/inbound';
import { ReplayWindow } from '../../lib/esp/replay-window';
import table from '../fixtures/esp/replay-window-cases.json';
import { pingPacket, saConfig } from './helpers';

interface Step {
  seq?: string;
  expect?: string;
  tamper?: boolean;
  inferredHigh?: number;
  send?: string;
  sendNext?: boolean;
  expectEncap?: string;
}
interface Case {
  n: number;
  title: string;
  window: number;
  esn: boolean;
  receiverTop?: string;
  steps: Step[];
}

const cases = (table.cases as Case[]).map((c) => [`#${c.n} ${c.title}`, c] as const);

describe('replay window table through ESP SAs', () => {
  it.each(cases)('%s', (_title, c) => {
    const config = saConfig('aes128gcm16', { esn: c.esn, replayWindow: c.window });
    const sender = new EspSa(config);
    const receiver = new EspSa(config);
    if (c.receiverTop !== undefined) espSaTestHooks(receiver).setReplayTop(BigInt(c.receiverTop));
    const inner = pingPacket();
    c.steps.forEach((step, index) => {
      const where = `case ${c.n} step ${index + 1}`;
      if (step.send !== undefined || step.sendNext) {
        if (step.send !== undefined) espSaTestHooks(sender).setLastSequence(BigInt(step.send) - 1n);
        const sent = sender.encapsulate(inner);
        expect([where, sent.ok ? 'ok' : sent.reason]).toEqual([where, step.expectEncap]);
        if (sent.ok && step.send !== undefined) expect(sent.sequence).toBe(BigInt(step.send));
        return;
      }
      const seq = BigInt(step.seq as string);
      espSaTestHooks(sender).setLastSequence(seq - 1n);
      const sent = sender.encapsulate(inner);
      if (!sent.ok) throw new Error(`${where}: ${sent.detail}`);
      if (step.tamper) sent.packet[sent.packet.length - 1] ^= 0x80;
      const received = receiver.decapsulate(sent.packet);
      expect([where, received.ok ? 'ok' : received.reason]).toEqual([where, step.expect]);
      if (received.ok) {
        expect(received.sequence).toBe(seq);
        expect(received.packet).toEqual(inner);
      }
    });
  });
});

describe('replay window table through the window alone (step 1 check, step 2 accept)', () => {
  const receivable = cases.filter(([, c]) => c.steps.some((s) => s.seq !== undefined));
  it.each(receivable)('%s', (_title, c) => {
    const window = new ReplayWindow(c.window);
    if (c.receiverTop !== undefined) {
      const top = BigInt(c.receiverTop);
      window.restartAt(Number(top >> 32n), Number(top & 0xffffffffn));
    }
    for (const step of c.steps) {
      if (step.seq === undefined) continue;
      const seq = BigInt(step.seq);
      const trueHigh = Number(seq >> 32n);
      const low = Number(seq & 0xffffffffn);
      const screened = screenSequence(window, c.esn, low);
      if (typeof screened !== 'number') {
        expect([step.seq, screened.reason]).toEqual([step.seq, step.expect]);
        continue;
      }
      if (step.inferredHigh !== undefined) expect([step.seq, screened]).toEqual([step.seq, step.inferredHigh]);
      const icvGood = !step.tamper && screened === (c.esn ? trueHigh : 0);
      expect([step.seq, icvGood ? 'ok' : 'authentication-failed']).toEqual([step.seq, step.expect]);
      if (icvGood) window.accept(screened, low);
    }
  });

  it('sequence number 0 is never accepted (RFC 4303 section 2.2)', () => {
    const window = new ReplayWindow(64);
    expect(screenSequence(window, false, 0)).toMatchObject({ ok: false, reason: 'replay' });
  });

  it.each([31, 65537, 1.5, -1])('window size %p is refused', (size) => {
    expect(() => new ReplayWindow(size)).toThrow(/`replayWindow`/);
  });

  it('accepts every window size from 32 to 4096 at its exact edge', () => {
    for (const size of [32, 33, 63, 64, 65, 100, 1000, 1024, 2047, 2048, 4095, 4096]) {
      const window = new ReplayWindow(size);
      window.accept(0, 100000);
      expect([size, window.check(0, 100000 - size + 1)]).toEqual([size, 0]);
      expect([size, window.check(0, 100000 - size)]).toEqual([size, 2]);
    }
  });
});

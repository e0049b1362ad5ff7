/**
 * tshark as a judge of our IKE messages: every exchange of two of our IKE SAs (handshake, CHILD_SA and IKE
 * SA rekeys, DPD, DELETE) goes into a pcap; with our opt-in key log as its IKEv2 decryption table, tshark
 * 4.0 decrypts every SK payload, finds the inner payloads, checks the ICV, and reports nothing malformed.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { buildUdpDatagram, NON_ESP_MARKER, PcapWriter } from '../../lib/esp';
import type { KeyLogTable } from '../../lib/ike/key-log';
import { runChecked } from './harness/exec';
import { keepOnFailure, TempDir } from './harness/tempdir';
import { describeWithTools } from './harness/tools';
import { Wire } from '../ike/wire';

describeWithTools('tshark decrypts our IKEv2 with our key log', ['tshark'], () => {
  let tmp: TempDir;
  beforeAll(() => (tmp = new TempDir('ipx-ike-tshark')));
  afterAll(() => tmp.cleanup());

  test.each([
    ['aes128-sha1-modp2048', 'aes128-sha1-modp2048'],
    ['aes256-sha512-ecp384', 'aes256-sha256-ecp384'],
    ['aes128gcm16-prfsha256-ecp256', 'aes128gcm16-ecp256'],
    ['aes256gcm16-prfsha384-ecp384', 'aes256gcm16-ecp384'],
  ])('IKE %s, ESP %s: every message decrypts, ICV correct, nothing malformed', async (ike, esp) => {
    await keepOnFailure(tmp, async () => {
      const rows: { table: KeyLogTable; row: string }[] = [];
      const keyLog = (table: KeyLogTable, row: string) => rows.push({ table, row });
      const w = new Wire({ ike: [ike], esp: [esp], initiator: { keyLog, forceEncapsulation: true }, responder: {} });
      const pcap = new PcapWriter();
      let t = Date.UTC(2026, 0, 1);
      w.policy = ({ from, bytes, natT }) => {
        const [src, dst] = from === 'i' ? ['192.0.2.1', '192.0.2.2'] : ['192.0.2.2', '192.0.2.1'];
        const port = natT ? 4500 : 500;
        pcap.add(buildUdpDatagram({ src, dst, srcPort: port, dstPort: port, data: natT ? Buffer.concat([NON_ESP_MARKER, bytes]) : bytes }), (t += 1000));
        return 'deliver';
      };
      w.handshake();
      w.take('r', w.r.rekeyChild(w.now));
      w.settle();
      w.take('i', w.i.rekeyIke(w.now));
      w.settle();
      w.take('r', w.r.checkLiveness(w.now));
      w.settle();
      w.take('i', w.i.delete(w.now));
      w.settle();
      expect(w.r.state).toBe('deleted');

      const dir = join(tmp.path, ike);
      mkdirSync(dir, { recursive: true });
      const pcapPath = join(dir, 'ike.pcap');
      writeFileSync(pcapPath, pcap.toBuffer());
      const ikeRows = rows.filter((r) => r.table === 'ikev2_decryption_table').map((r) => r.row);
      expect(ikeRows).toHaveLength(2); // the first IKE SA and its rekeyed successor
      writeFileSync(join(dir, 'ikev2_decryption_table'), ikeRows.join('\n') + '\n', { mode: 0o600 });
      const out = await runChecked(
        'tshark',
        ['-n', '-r', pcapPath, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,',
          '-e', 'isakmp.exchangetype', '-e', 'isakmp.typepayload', '-e', '_ws.malformed', '-e', '_ws.expert.message', '-e', 'isakmp.enc.decrypted'],
        { env: { ...process.env, WIRESHARK_CONFIG_DIR: dir }, timeoutMs: 30_000 },
      );
      expect(out.stderr).not.toMatch(/Error loading table/);
      const frames = out.stdout.split('\n').filter(Boolean).map((l) => l.split('\t'));
      expect(frames).toHaveLength(pcap.count);
      for (const [exchange, payloadTypes, malformed, expert, decrypted] of frames) {
        expect({ exchange, malformed: malformed ?? '' }).toMatchObject({ malformed: '' });
        expect(expert ?? '').not.toMatch(/[Mm]alformed|incorrect|[Dd]ecryption failed|isn't a multiple|too big|Not enough data/);
        if (exchange !== '34') {
          // Encrypted: the SK payload (46) and, decrypted, the payloads inside it.
          const types = payloadTypes.split(',');
          expect(types[0]).toBe('46');
          expect(decrypted ?? '').not.toBe('');
          if (exchange === '35') expect(types).toEqual(expect.arrayContaining(['39', '33', '44', '45']));
        }
      }
      const exchanges = frames.map((f) => f[0]);
      expect(exchanges.filter((e) => e === '36')).toHaveLength(4);
      expect(exchanges.filter((e) => e === '37').length).toBeGreaterThanOrEqual(6);
    });
  });
});

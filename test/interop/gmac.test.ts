/**
 * AES-GMAC (RFC 4543) has no peer among the three interop tools (tshark 4.0, scapy 2.5 and libipsec all lack
 * it), so the engine's GMAC suites are checked against scapy/gmac_reference.py: the same packets built
 * separately from the RFC on python3-cryptography. Bare ESP both ways, tunnel and transport, with and
 * without ESN (crossing 2^32).
 */
import { randomBytes } from 'crypto';
import { writeFileSync } from 'fs';
import { EspSa, EspSuite, parseIpHeader } from '../../lib/esp';
import { buildMatrix, Cell, cellProbes, cellSaConfig, ENGINE_ESN_START, inboundSequences, Probe } from './harness/matrix';
import { PythonResult, runPythonJobs } from './harness/python';
import { describeWithTools } from './harness/tools';
import { keepOnFailure, TempDir } from './harness/tempdir';

const GMAC_SUITES: readonly EspSuite[] = ['aes128gmac', 'aes256gmac'];
// Outer headers and NAT-T are covered with the other suites; here only the ESP payload construction matters.
const CELLS = buildMatrix(GMAC_SUITES, { esnSuites: GMAC_SUITES }).filter((c) => !c.natT);

/** What ESP carries for a probe: the whole packet in tunnel mode, the upper-layer payload in transport mode. */
function protectedBytes(cell: Cell, probe: Probe): Buffer {
  if (cell.mode === 'tunnel') return probe.packet;
  const header = parseIpHeader(probe.packet);
  if (!header) throw new Error('probe is not an IP packet');
  return probe.packet.subarray(header.headerLength);
}

describeWithTools('AES-GMAC: the engine and an RFC 4543 reference agree', ['cryptography'], () => {
  const configs = CELLS.map((cell, i) => cellSaConfig(cell, i));
  const engineOut: { packet: Buffer; sequence: bigint }[][] = [];
  let results = new Map<string, PythonResult>();
  let tmp: TempDir;

  beforeAll(async () => {
    tmp = new TempDir('ipx-gmac');
    const jobs: object[] = [];
    CELLS.forEach((cell, i) => {
      const config = configs[i];
      const common = { spi: config.spi, esn: cell.esn, key: config.encryptionKey.toString('hex') };
      const out = new EspSa(cell.esn ? { ...config, initialSequence: ENGINE_ESN_START + 1n } : config);
      engineOut.push(
        cellProbes(cell, i).map((probe, k) => {
          const r = out.encapsulatePayload(probe.packet);
          if (!r.ok) throw new Error(`${cell.name}: encapsulate failed: ${r.reason}`);
          jobs.push({ id: `out:${i}:${k}`, op: 'open', ...common, seq: r.sequence.toString(), packet: r.packet.toString('hex') });
          const seq = inboundSequences(cell)[k];
          jobs.push({ id: `in:${i}:${k}`, op: 'seal', ...common, seq: seq.toString(), iv: randomBytes(8).toString('hex'), payload: protectedBytes(cell, probe).toString('hex'), next_header: probe.nextHeader });
          return { packet: r.packet, sequence: r.sequence };
        }),
      );
      const first = engineOut[i][0];
      const tampered = Buffer.from(first.packet);
      tampered[20] ^= 0x01; // a payload byte: in clear with GMAC, but authenticated
      jobs.push({ id: `tampered:${i}`, op: 'open', ...common, seq: first.sequence.toString(), packet: tampered.toString('hex') });
    });
    // Kept on failure: `/usr/bin/python3 test/interop/scapy/gmac_reference.py < jobs.json` replays the reference.
    writeFileSync(tmp.file('jobs.json'), JSON.stringify({ jobs }));
    results = await runPythonJobs('gmac_reference.py', jobs);
  });

  afterAll(() => tmp?.cleanup());

  const named = CELLS.map((cell, i) => ({ i, name: cell.name }));

  test.each(named)('$name: the engine seals, the reference opens', ({ i }) =>
    keepOnFailure(tmp, () => {
      const cell = CELLS[i];
      const probes = cellProbes(cell, i);
      const got = probes.map((_, k) => results.get(`out:${i}:${k}`)).map((r) => (r?.ok ? r.packet.toString('hex') : `error: ${r?.error}`));
      expect(got).toEqual(probes.map((p) => Buffer.concat([Buffer.from([p.nextHeader]), protectedBytes(cell, p)]).toString('hex')));
      // GMAC authenticates but does not encrypt: the payload is on the wire in clear.
      probes.forEach((p, k) => expect(engineOut[i][k].packet.includes(protectedBytes(cell, p))).toBe(true));
      expect(results.get(`tampered:${i}`)).toMatchObject({ ok: false, error: expect.stringMatching(/InvalidTag/) });
    }),
  );

  test.each(named)('$name: the reference seals, the engine opens', ({ i }) =>
    keepOnFailure(tmp, () => {
      const cell = CELLS[i];
      const inbound = new EspSa(configs[i]);
      const probes = cellProbes(cell, i);
      const got = probes.map((_, k) => {
        const r = results.get(`in:${i}:${k}`);
        if (!r?.ok) return `reference: ${r?.error}`;
        const d = inbound.decapsulatePayload(r.packet);
        return d.ok ? { packet: d.packet.toString('hex'), nextHeader: d.nextHeader, sequence: d.sequence } : `engine: ${d.reason}: ${d.detail}`;
      });
      expect(got).toEqual(probes.map((p, k) => ({ packet: protectedBytes(cell, p).toString('hex'), nextHeader: p.nextHeader, sequence: inboundSequences(cell)[k] })));
      const sealed = results.get(`in:${i}:0`)?.packet as Buffer;
      const tampered = Buffer.from(sealed);
      tampered[tampered.length - 1] ^= 0x01;
      expect(new EspSa(configs[i]).decapsulatePayload(tampered)).toMatchObject({ ok: false, reason: 'authentication-failed' });
    }),
  );
});

/**
 * AH (RFC 4302) interop with scapy 2.5, both directions: the ICV covers the IP header with its mutable fields
 * zeroed, so this checks the engine's header handling as much as its HMACs. Tunnel and transport, IPv4 and
 * IPv6, with and without ESN (scapy appends the high sequence half to the ICV input, as RFC 4302 says).
 * tshark 4.0 does not check AH ICVs and libipsec has no AH, so scapy is the one peer here.
 */
import { randomBytes } from 'crypto';
import { writeFileSync } from 'fs';
import { AH_SUITES, AhSa, AhSaConfig, AhSuite } from '../../lib/esp';
import { buildMatrix, cellProbes, cellSpi, hostsOf, inboundSequences } from './harness/matrix';
import { runScapyJobs, SCAPY_AH_ALGORITHMS, ScapyAhSa, ScapyJob, ScapyResult } from './harness/scapy';
import { describeWithTools } from './harness/tools';
import { keepOnFailure, TempDir } from './harness/tempdir';

const SUITES = Object.keys(AH_SUITES) as AhSuite[];
const CELLS = buildMatrix(SUITES, { esnSuites: SUITES, ipv6Suites: SUITES, natT: false });

describeWithTools('AH: scapy and the engine agree both ways', ['scapy'], () => {
  let tmp: TempDir;
  let results = new Map<string, ScapyResult>();
  const configs: AhSaConfig[] = CELLS.map((cell, i) => ({
    spi: cellSpi(i),
    suite: cell.suite,
    integrityKey: randomBytes(AH_SUITES[cell.suite].keyLength),
    mode: cell.mode,
    outer: { ...hostsOf(cell) },
    esn: cell.esn,
  }));
  const engineOut: { packet: Buffer; sequence: bigint }[][] = [];

  beforeAll(async () => {
    tmp = new TempDir('ipx-ah');
    const jobs: ScapyJob[] = [];
    CELLS.forEach((cell, i) => {
      const config = configs[i];
      const sa: ScapyAhSa = {
        proto: 'AH',
        spi: config.spi,
        auth_algo: SCAPY_AH_ALGORITHMS[cell.suite],
        auth_key: config.integrityKey.toString('hex'),
        tunnel: cell.mode === 'tunnel' ? { ...hostsOf(cell) } : null,
        esn: cell.esn,
      };
      const out = new AhSa(config);
      engineOut.push(
        cellProbes(cell, i).map((probe, k) => {
          const r = out.encapsulate(probe.packet);
          if (!r.ok) throw new Error(`${cell.name} ${probe.label}: AH encapsulate failed: ${r.reason} ${r.detail}`);
          jobs.push({ id: `out:${i}:${k}`, op: 'decrypt', sa, packet: r.packet.toString('hex'), esn_high: Number(r.sequence >> 32n) });
          jobs.push({ id: `in:${i}:${k}`, op: 'encrypt', sa, packet: probe.packet.toString('hex'), seq: inboundSequences(cell)[k].toString() });
          return { packet: r.packet, sequence: r.sequence };
        }),
      );
      // Negative control: one flipped payload bit and scapy's ICV check must fail.
      const tampered = Buffer.from(engineOut[i][0].packet);
      tampered[tampered.length - 1] ^= 0x01;
      jobs.push({ id: `tampered:${i}`, op: 'decrypt', sa, packet: tampered.toString('hex'), esn_high: Number(engineOut[i][0].sequence >> 32n) });
    });
    // Kept on failure: `/usr/bin/python3 test/interop/scapy/esp_jobs.py < jobs.json` replays scapy's side.
    writeFileSync(tmp.file('jobs.json'), JSON.stringify({ jobs }));
    results = await runScapyJobs(jobs);
  });

  afterAll(() => tmp?.cleanup());

  const named = CELLS.map((cell, i) => ({ i, name: `ah-${cell.name}` }));

  test.each(named)('$name: the engine signs, scapy verifies and gets the packet back', ({ i }) =>
    keepOnFailure(tmp, () => {
      const probes = cellProbes(CELLS[i], i);
      const got = probes.map((p, k) => {
        const r = results.get(`out:${i}:${k}`);
        return r?.ok ? { label: p.label, packet: r.packet.toString('hex') } : { label: p.label, error: r?.error ?? 'no result' };
      });
      expect(got).toEqual(probes.map((p) => ({ label: p.label, packet: p.packet.toString('hex') })));
      expect(results.get(`tampered:${i}`)).toMatchObject({ ok: false, error: expect.stringMatching(/IPSecIntegrityError/) });
    }),
  );

  test.each(named)('$name: scapy signs, the engine verifies and gets the packet back', ({ i }) =>
    keepOnFailure(tmp, () => {
      const cell = CELLS[i];
      const inbound = new AhSa(configs[i]);
      const probes = cellProbes(cell, i);
      const got = probes.map((p, k) => {
        const r = results.get(`in:${i}:${k}`);
        if (!r?.ok) return { label: p.label, error: `scapy: ${r?.error ?? 'no result'}` };
        const d = inbound.decapsulate(r.packet);
        return d.ok
          ? { label: p.label, packet: d.packet.toString('hex'), nextHeader: d.nextHeader, sequence: d.sequence }
          : { label: p.label, error: `engine: ${d.reason}: ${d.detail}` };
      });
      expect(got).toEqual(probes.map((p, k) => ({ label: p.label, packet: p.packet.toString('hex'), nextHeader: p.nextHeader, sequence: inboundSequences(cell)[k] })));
      // Negative control: a changed TTL/hop limit is a mutable field and must not matter; a changed address must.
      const first = results.get(`in:${i}:0`)?.packet as Buffer;
      const mutable = Buffer.from(first);
      mutable[cell.outer === 4 ? 8 : 7] -= 1;
      if (cell.outer === 4) mutable.writeUInt16BE(0, 10); // checksum is mutable too (and now wrong)
      expect(new AhSa(configs[i]).decapsulate(mutable)).toMatchObject({ ok: true });
      const forged = Buffer.from(first);
      forged[cell.outer === 4 ? 15 : 23] ^= 0x01; // last byte of the source address
      expect(new AhSa(configs[i]).decapsulate(forged)).toMatchObject({ ok: false, reason: 'authentication-failed' });
    }),
  );
});

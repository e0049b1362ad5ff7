/**
 * scapy interop, both directions: packets scapy encrypts are decapsulated by the engine, and packets the engine
 * encapsulates are decrypted by scapy, byte for byte back to the original. ESN is exercised with the AEAD
 * suites only (scapy 2.5 leaves the high sequence bits out of the HMAC: its non-AEAD ESN is wrong).
 * One python process for the whole matrix.
 */
import { writeFileSync } from 'fs';
import { EspSa, EspSuite, SaConfig } from '../../lib/esp';
import { buildMatrix, Cell, cellProbes, cellSaConfig, ENGINE_ESN_START, inboundSequences, NAT_T_PORTS, Probe } from './harness/matrix';
import { runScapyJobs, SCAPY_ALGORITHMS, ScapyJob, ScapyResult, ScapySa } from './harness/scapy';
import { describeWithTools } from './harness/tools';
import { keepOnFailure, TempDir } from './harness/tempdir';

const SCAPY_SUITES = Object.keys(SCAPY_ALGORITHMS) as EspSuite[];
const ESN_SUITES: readonly EspSuite[] = ['aes128gcm16', 'aes256gcm16', 'chacha20poly1305'];
const CELLS = buildMatrix(SCAPY_SUITES, { esnSuites: ESN_SUITES, ipv6Suites: ['aes128-sha1', 'aes256-sha512', 'aes256gcm16', 'chacha20poly1305'] });

/** Tunnel-mode packets padded to this length (RFC 4303 section 2.7) in the TFC test. */
const TFC_PADDING = 200;

function scapySa(config: SaConfig): ScapySa {
  const names = SCAPY_ALGORITHMS[config.suite];
  if (!names) throw new Error(`scapy cannot do ${config.suite}`);
  return {
    spi: config.spi,
    crypt_algo: names.crypt,
    crypt_key: config.encryptionKey.toString('hex'),
    auth_algo: names.auth,
    auth_key: config.integrityKey ? config.integrityKey.toString('hex') : null,
    tunnel: config.mode === 'tunnel' && config.outer ? { ...config.outer } : null,
    nat_t: config.natT ? { sport: NAT_T_PORTS.srcPort, dport: NAT_T_PORTS.dstPort } : null,
    esn: config.esn === true,
  };
}

interface Planned {
  cell: Cell;
  config: SaConfig;
  probes: Probe[];
  /** What the engine produced for scapy to decrypt, per probe. */
  engineOut: { packet: Buffer; sequence: bigint }[];
}

const flipByte = (b: Buffer, at: number): Buffer => {
  const c = Buffer.from(b);
  c[at] ^= 0x80;
  return c;
};

describeWithTools('scapy and the engine exchange ESP both ways', ['scapy'], () => {
  let tmp: TempDir;
  const planned: Planned[] = [];
  let results = new Map<string, ScapyResult>();

  beforeAll(async () => {
    tmp = new TempDir('ipx-scapy');
    const jobs: ScapyJob[] = [];
    CELLS.forEach((cell, i) => {
      const config = cellSaConfig(cell, i);
      const probes = cellProbes(cell, i);
      const out = new EspSa(cell.esn ? { ...config, initialSequence: ENGINE_ESN_START + 1n } : config);
      const engineOut = probes.map((p) => {
        const r = out.encapsulate(p.packet);
        if (!r.ok) throw new Error(`${cell.name} ${p.label}: encapsulate failed: ${r.reason} ${r.detail}`);
        return { packet: r.packet, sequence: r.sequence };
      });
      planned.push({ cell, config, probes, engineOut });
      const sa = scapySa(config);
      probes.forEach((p, k) => {
        jobs.push({ id: `in:${i}:${k}`, op: 'encrypt', sa, packet: p.packet.toString('hex'), seq: inboundSequences(cell)[k].toString() });
        const e = engineOut[k];
        jobs.push({ id: `out:${i}:${k}`, op: 'decrypt', sa, packet: e.packet.toString('hex'), esn_high: Number(e.sequence >> 32n) });
      });
      // TFC padding (tunnel cells over IPv4 without ESN): scapy must find the inner packet followed by zeros.
      if (cell.mode === 'tunnel' && cell.outer === 4 && !cell.esn) {
        const tfc = new EspSa({ ...config, tfcPadding: TFC_PADDING });
        probes.forEach((p, k) => {
          const r = tfc.encapsulate(p.packet);
          if (!r.ok) throw new Error(`${cell.name} ${p.label}: TFC encapsulate failed: ${r.reason}`);
          jobs.push({ id: `tfc:${i}:${k}`, op: 'decrypt', sa, packet: r.packet.toString('hex') });
        });
      }
      // Negative control per cell: a tampered engine packet must not decrypt in scapy.
      const e = engineOut[0].packet;
      jobs.push({ id: `tampered:${i}`, op: 'decrypt', sa, packet: flipByte(e, e.length - 1).toString('hex'), esn_high: Number(engineOut[0].sequence >> 32n) });
    });
    // Kept on failure: `/usr/bin/python3 test/interop/scapy/esp_jobs.py < jobs.json` replays scapy's side.
    writeFileSync(tmp.file('jobs.json'), JSON.stringify({ jobs }));
    results = await runScapyJobs(jobs);
  });

  afterAll(() => tmp?.cleanup());

  const named = CELLS.map((cell, i) => ({ i, name: cell.name }));

  test.each(named)('$name: scapy encrypts, the engine decapsulates', ({ i }) =>
    keepOnFailure(tmp, () => {
      const { cell, config, probes } = planned[i];
      const inbound = new EspSa(config);
      const got = probes.map((p, k) => {
        const r = results.get(`in:${i}:${k}`);
        if (!r?.ok) return { label: p.label, error: `scapy: ${r?.error ?? 'no result'}` };
        const d = inbound.decapsulate(r.packet);
        if (!d.ok) return { label: p.label, error: `engine: ${d.reason}: ${d.detail}` };
        return { label: p.label, packet: d.packet.toString('hex'), nextHeader: d.nextHeader, sequence: d.sequence.toString() };
      });
      const want = probes.map((p, k) => ({
        label: p.label, packet: p.packet.toString('hex'), nextHeader: p.nextHeader, sequence: inboundSequences(cell)[k].toString(),
      }));
      expect(got).toEqual(want);
      // Negative control: replaying scapy's latest packet is refused. (Replaying the first one of an ESN
      // cell is an authentication failure instead: by then its low 32 bits infer the wrong high half.)
      const latest = results.get(`in:${i}:${probes.length - 1}`)?.packet as Buffer;
      expect(inbound.decapsulate(latest)).toMatchObject({ ok: false, reason: 'replay' });
      const first = results.get(`in:${i}:0`)?.packet as Buffer;
      // Negative control: a flipped ICV byte on a fresh SA is refused.
      expect(new EspSa(config).decapsulate(flipByte(first, first.length - 1))).toMatchObject({ ok: false, reason: 'authentication-failed' });
    }),
  );

  test.each(named)('$name: the engine encapsulates, scapy decrypts', ({ i }) =>
    keepOnFailure(tmp, () => {
      const { probes } = planned[i];
      const got = probes.map((p, k) => {
        const r = results.get(`out:${i}:${k}`);
        return r?.ok ? { label: p.label, packet: r.packet.toString('hex') } : { label: p.label, error: r?.error ?? 'no result' };
      });
      expect(got).toEqual(probes.map((p) => ({ label: p.label, packet: p.packet.toString('hex') })));
      expect(results.get(`tampered:${i}`)).toMatchObject({ ok: false });
    }),
  );

  const tfcCells = named.filter(({ i }) => CELLS[i].mode === 'tunnel' && CELLS[i].outer === 4 && !CELLS[i].esn);

  test.each(tfcCells)('$name: TFC-padded engine packets decrypt in scapy to the packet plus zeros', ({ i }) =>
    keepOnFailure(tmp, () => {
      const { probes } = planned[i];
      const got = probes.map((p, k) => {
        const r = results.get(`tfc:${i}:${k}`);
        return r?.ok ? { label: p.label, packet: r.packet.toString('hex') } : { label: p.label, error: r?.error ?? 'no result' };
      });
      const padded = (p: Probe): string => Buffer.concat([p.packet, Buffer.alloc(Math.max(0, TFC_PADDING - p.packet.length))]).toString('hex');
      expect(got).toEqual(probes.map((p) => ({ label: p.label, packet: padded(p) })));
    }),
  );

  test('the ESN cells really crossed the 2^32 boundary', () => {
    const esn = planned.filter((p) => p.cell.esn);
    expect(esn.length).toBe(ESN_SUITES.length * 4);
    for (const p of esn) expect(p.engineOut.map((e) => e.sequence >> 32n)).toEqual(p.probes.map((_, k) => (k === 0 ? 0n : 1n)));
  });
});

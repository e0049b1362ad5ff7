/**
 * tshark (Wireshark 4.0) interop: Wireshark's ESP dissector decrypts the engine's packets and checks their
 * ICVs. icv_good alone proves little (with AES-CBC a wrong encryption key still authenticates), so every
 * frame's decrypted inner protocol, addresses, ports and payload are compared with what went in.
 * One pcap and one tshark run for the whole matrix.
 */
import { buildIpPacket, EspSa, EspSuite, IPPROTO, PcapWriter, SaConfig } from '../../lib/esp';
import { buildMatrix, Cell, cellProbes, cellSaConfig, HOSTS, hostsOf, NAT_T_PORTS, Probe, PROBE_PORTS } from './harness/matrix';
import { TSHARK_ALGORITHMS, TsharkRow, TsharkSa, tsharkFields } from './harness/tshark';
import { describeWithTools } from './harness/tools';
import { keepOnFailure, TempDir } from './harness/tempdir';

const FIELDS = [
  'frame.number', 'esp.spi', 'esp.sequence', 'esp.icv_good', 'esp.icv_bad', 'esp.protocol',
  'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'udp.srcport', 'udp.dstport', 'udp.payload',
  'icmp.type', 'icmp.ident', 'icmp.seq', 'data.data', 'ip.checksum.status', 'udp.checksum.status',
] as const;

/** Let tshark verify IPv4 header and UDP checksums too (status 0 bad, 1 good, 3 absent, i.e. zero). */
const CHECKSUM_PREFS = ['-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE'];

const TSHARK_SUITES = Object.keys(TSHARK_ALGORITHMS) as EspSuite[];
const CELLS = buildMatrix(TSHARK_SUITES, { ipv6Suites: ['aes128-sha1', 'aes256-sha512', 'aes256gcm16'] });

interface Frame {
  cell: Cell;
  probe: Probe;
  sequence: bigint;
}

function tsharkSa(config: SaConfig, override: Partial<TsharkSa> = {}): TsharkSa {
  const names = TSHARK_ALGORITHMS[config.suite];
  if (!names) throw new Error(`tshark cannot decrypt ${config.suite}`);
  if (!config.outer) throw new Error('matrix SAs always have outer addresses');
  return {
    src: config.outer.src,
    dst: config.outer.dst,
    spi: config.spi,
    encryption: names.encryption,
    encryptionKey: config.encryptionKey,
    authentication: names.authentication,
    authenticationKey: config.integrityKey,
    ...override,
  };
}

const list = (v: string): string[] => (v === '' ? [] : v.split(','));
const last = (v: string): string => list(v).pop() ?? '';

/** Every way the dissected frame differs from what the engine was given; empty when it matches. */
function mismatches(row: TsharkRow, f: Frame): string[] {
  const { cell, probe } = f;
  const problems: string[] = [];
  const expectEq = (what: string, actual: unknown, expected: unknown): void => {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) problems.push(`${what}: got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`);
  };
  expectEq('esp.icv_good', row['esp.icv_good'], '1');
  expectEq('esp.icv_bad', row['esp.icv_bad'], '0');
  expectEq('esp.sequence', row['esp.sequence'], f.sequence.toString());
  expectEq('esp.protocol (next header)', Number(row['esp.protocol']), probe.nextHeader);
  // Addresses per IP version, outer header first; in transport mode the probe's header *is* the outer one.
  const outer = hostsOf(cell);
  const addresses = (version: 4 | 6, end: 'src' | 'dst'): string[] => [
    ...(cell.outer === version ? [outer[end]] : []),
    ...(cell.mode === 'tunnel' && probe.ipVersion === version ? [probe[end]] : []),
  ];
  expectEq('ip.src', list(row['ip.src']), addresses(4, 'src'));
  expectEq('ip.dst', list(row['ip.dst']), addresses(4, 'dst'));
  expectEq('ipv6.src', list(row['ipv6.src']), addresses(6, 'src'));
  expectEq('ipv6.dst', list(row['ipv6.dst']), addresses(6, 'dst'));
  const udpPorts = (nat: number, inner: number): string[] => [...(cell.natT ? [nat] : []), ...(probe.l4 === 'udp' ? [inner] : [])].map(String);
  expectEq('udp.srcport', list(row['udp.srcport']), udpPorts(NAT_T_PORTS.srcPort, PROBE_PORTS.src));
  expectEq('udp.dstport', list(row['udp.dstport']), udpPorts(NAT_T_PORTS.dstPort, PROBE_PORTS.dst));
  expectEq('ip.checksum.status', list(row['ip.checksum.status']), [...addresses(4, 'src')].map(() => '1'));
  // ESP-in-UDP may send a zero checksum over IPv4 (RFC 3948), never over IPv6; inner UDP always has one.
  const natTChecksum = cell.outer === 6 ? ['1'] : ['3'];
  expectEq('udp.checksum.status', list(row['udp.checksum.status']), [...(cell.natT ? natTChecksum : []), ...(probe.l4 === 'udp' ? ['1'] : [])]);
  if (probe.l4 === 'udp') {
    expectEq('udp.payload', last(row['udp.payload']), probe.payload.toString('hex'));
  } else {
    expectEq('icmp.type', row['icmp.type'], '8');
    expectEq('icmp data', last(row['data.data']), probe.payload.toString('hex'));
  }
  return problems;
}

/** Encapsulate every probe of `cells` with the engine into one pcap; return the frames in file order. */
function writeCapture(path: string, cells: readonly Cell[], configs: readonly SaConfig[]): Frame[] {
  const pcap = new PcapWriter();
  const frames: Frame[] = [];
  cells.forEach((cell, i) => {
    const sa = new EspSa(configs[i]);
    for (const probe of cellProbes(cell, i)) {
      const r = sa.encapsulate(probe.packet);
      if (!r.ok) throw new Error(`${cell.name} ${probe.label}: encapsulate failed: ${r.reason} ${r.detail}`);
      pcap.add(r.packet);
      frames.push({ cell, probe, sequence: r.sequence });
    }
  });
  pcap.writeFile(path);
  return frames;
}

describeWithTools('tshark decrypts the engine\'s ESP', ['tshark'], () => {
  let tmp: TempDir;
  const configs = CELLS.map((cell, i) => cellSaConfig(cell, i));
  let frames: Frame[] = [];
  let rows: TsharkRow[] = [];

  beforeAll(async () => {
    tmp = new TempDir('ipx-tshark');
    const pcap = tmp.file('matrix.pcap');
    frames = writeCapture(pcap, CELLS, configs);
    rows = await tsharkFields(pcap, configs.map((c) => tsharkSa(c)), FIELDS, { extraArgs: CHECKSUM_PREFS });
  });

  afterAll(() => tmp?.cleanup());

  test('tshark dissected every frame of the capture', () => {
    expect(frames.length).toBeGreaterThan(CELLS.length * 2 - 1);
    expect(rows.map((r) => Number(r['frame.number']))).toEqual(frames.map((_, i) => i + 1));
  });

  test.each(CELLS.map((cell, i) => ({ cell, i, name: cell.name })))('$name: ICV good, inner packet intact', ({ cell }) =>
    keepOnFailure(tmp, () => {
      const problems = frames.flatMap((f, n) => (f.cell === cell ? mismatches(rows[n], f).map((p) => `${f.probe.label}: ${p}`) : []));
      expect(frames.filter((f) => f.cell === cell).length).toBeGreaterThanOrEqual(2);
      expect(problems).toEqual([]);
    }),
  );

  test('TFC padding and dummy packets (RFC 4303 sections 2.7 and 2.6) are dissected as such', () =>
    keepOnFailure(tmp, async () => {
      const TFC = 300;
      const pcap = new PcapWriter();
      // In capture order: a padded probe (with its expected contents) or a dummy packet.
      const expected: ({ kind: 'tfc'; frame: Frame; length: number } | { kind: 'dummy'; spi: number })[] = [];
      const sas: TsharkSa[] = [];
      const tfcCells = CELLS.filter((c) => c.mode === 'tunnel' && !c.natT && c.outer === 4 && ['aes128-sha1', 'aes128gcm16'].includes(c.suite));
      expect(tfcCells.length).toBe(2);
      tfcCells.forEach((cell, k) => {
        const config: SaConfig = { ...cellSaConfig(cell, CELLS.length + k), tfcPadding: TFC };
        const sa = new EspSa(config);
        for (const probe of cellProbes(cell, k)) {
          const r = sa.encapsulate(probe.packet);
          if (!r.ok) throw new Error(`encapsulate failed: ${r.reason}`);
          pcap.add(r.packet);
          expected.push({ kind: 'tfc', frame: { cell, probe, sequence: r.sequence }, length: r.packet.length });
        }
        const dummy = sa.encapsulateDummyPayload(40);
        if (!dummy.ok) throw new Error(`dummy failed: ${dummy.reason}`);
        pcap.add(buildIpPacket({ ...HOSTS, protocol: IPPROTO.ESP, payload: dummy.packet }));
        expected.push({ kind: 'dummy', spi: config.spi });
        sas.push(tsharkSa(config));
      });
      const path = tmp.file('tfc-dummy.pcap');
      pcap.writeFile(path);
      const rows = await tsharkFields(path, sas, [...FIELDS, 'esp.decrypted_data', 'esp.contained_data'], { extraArgs: CHECKSUM_PREFS });
      expect(rows.length).toBe(expected.length);
      expected.forEach((e, n) => {
        const row = rows[n];
        if (e.kind === 'tfc') {
          // At least TFC bytes inside, and the inner packet still exactly right (its header says where it ends).
          expect(e.length).toBeGreaterThan(20 + 8 + TFC);
          expect(mismatches(row, e.frame)).toEqual([]);
        } else {
          // tshark 4.0 leaves a next header of 59 undissected: read the trailer from the decrypted bytes.
          expect([Number(row['esp.spi']), row['esp.icv_good']]).toEqual([e.spi, '1']);
          const plain = Buffer.from(row['esp.decrypted_data'], 'hex');
          expect(plain[plain.length - 1]).toBe(IPPROTO.NONE);
          const padLength = plain[plain.length - 2];
          const data = plain.subarray(0, plain.length - 2 - padLength);
          expect(data.length).toBeGreaterThanOrEqual(40);
          expect(data.every((b) => b === 0)).toBe(true);
        }
      });
    }),
  );

  test('negative controls: wrong keys are noticed', () =>
    keepOnFailure(tmp, async () => {
      const cbc = CELLS.findIndex((c) => c.suite === 'aes256-sha256' && c.mode === 'tunnel' && c.natT);
      const gcm = CELLS.findIndex((c) => c.suite === 'aes128gcm16' && c.mode === 'tunnel' && !c.natT);
      const flip = (k: Buffer | undefined): Buffer => Buffer.from((k as Buffer).map((b, j) => (j === 0 ? b ^ 0x01 : b)));
      const pcap = tmp.file('negative.pcap');
      const cells = [CELLS[cbc], CELLS[gcm], CELLS[cbc]];
      // Third SA: same suite and keys as the first, own SPI; tshark gets a wrong *encryption* key for it.
      const negConfigs = [configs[cbc], configs[gcm], { ...configs[cbc], spi: configs[cbc].spi + 0x1000 }];
      const negFrames = writeCapture(pcap, cells, negConfigs);
      const negRows = await tsharkFields(
        pcap,
        [
          tsharkSa(negConfigs[0], { authenticationKey: flip(negConfigs[0].integrityKey) }),
          tsharkSa(negConfigs[1], { encryptionKey: flip(negConfigs[1].encryptionKey) }),
          tsharkSa(negConfigs[2], { encryptionKey: flip(negConfigs[2].encryptionKey) }),
        ],
        FIELDS,
      );
      const framesOf = (spi: number): { f: Frame; row: TsharkRow }[] =>
        negFrames.map((f, n) => ({ f, row: negRows[n] })).filter(({ row }) => Number(row['esp.spi']) === spi);
      // Wrong integrity key (CBC/HMAC): tshark still decrypts, but every ICV is bad.
      const wrongInteg = framesOf(negConfigs[0].spi);
      expect(wrongInteg.length).toBeGreaterThan(0);
      expect(wrongInteg.map(({ row }) => [row['esp.icv_good'], row['esp.icv_bad']])).toEqual(wrongInteg.map(() => ['0', '1']));
      // Wrong AEAD key (GCM): never a good ICV (tshark may even give up on the garbage trailer), never the inner packet.
      const wrongAead = framesOf(negConfigs[1].spi);
      expect(wrongAead.length).toBeGreaterThan(0);
      for (const { f, row } of wrongAead) {
        expect(row['esp.icv_good']).not.toBe('1');
        expect(mismatches(row, f).length).toBeGreaterThan(0);
      }
      // Wrong CBC encryption key, right integrity key: the ICV is never bad (usually tshark says good; sometimes
      // the garbage trailer makes it give up first), yet the inner-packet checks catch every frame.
      const wrongEnc = framesOf(negConfigs[2].spi);
      expect(wrongEnc.length).toBeGreaterThan(0);
      for (const { f, row } of wrongEnc) {
        expect(row['esp.icv_bad']).not.toBe('1');
        expect(mismatches(row, f).length).toBeGreaterThan(0);
      }
    }),
  );
});

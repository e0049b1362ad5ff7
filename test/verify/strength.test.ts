/** Weak but allowed algorithms: a WARN naming the stronger choices AWS supports (issue 9, part 9). */
import { verifyConfig, VerifyReport } from '../../lib/verify';
import { convertedConfig, describeOf, tempDir, writeJson } from './helpers';

const FIXTURE = 'tgw-bgp-defaults'; // AWS's default tunnel options: every algorithm and group allowed

async function verifyFixture(edit: (c: ReturnType<typeof convertedConfig>) => ReturnType<typeof convertedConfig> = (c) => c): Promise<VerifyReport> {
  const file = writeJson(edit(convertedConfig(FIXTURE)), tempDir());
  return verifyConfig({ configPath: file, describe: describeOf(FIXTURE), dynamic: false });
}

const check = (report: VerifyReport, id: string) => report.tunnels[0].checks.find((c) => c.id === id);

test("AWS's defaults run AES128, SHA1 and DH group 2 (the lowest values): WARN, with SHA-2 and groups 14-21 named", async () => {
  const report = await verifyFixture();
  const ike = check(report, 'ike-strength');
  const esp = check(report, 'esp-strength');
  expect(ike).toMatchObject({ status: 'warn', summary: expect.stringContaining('AWS will choose aes128-sha1-modp1024, and SHA1 and DH group 2 are weak') });
  expect(ike?.fix).toContain('AWS also supports SHA2-256, SHA2-384, SHA2-512; DH groups 14, 15, 16, 17, 18, 19, 20, 21');
  expect(esp?.status).toBe('warn');
  expect(esp?.fix).toContain('tunnels[0].esp');
  expect(report.tunnels[0].checks.filter((c) => c.status === 'fail')).toEqual([]); // a warning, not a failure
});

test('only strong algorithms offered on-prem: the same checks pass', async () => {
  const report = await verifyFixture((c) => ({
    ...c,
    tunnels: c.tunnels.map((t) => ({
      ...t,
      ike: { ...t.ike, encryption: ['aes256gcm16'], integrity: ['sha384'], dhGroups: [20] },
      esp: { ...t.esp, encryption: ['aes256gcm16'], integrity: ['sha256'], pfsGroups: [19] },
    })),
  }));
  expect(check(report, 'ike-strength')).toMatchObject({ status: 'pass', summary: 'Phase 1 (IKE): aes256gcm16-prfsha384-ecp384 uses no weak algorithm' });
  expect(check(report, 'esp-strength')).toMatchObject({ status: 'pass', summary: 'Phase 2 (ESP): aes256gcm16-ecp256 uses no weak algorithm' });
});

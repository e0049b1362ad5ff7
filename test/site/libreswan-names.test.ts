/**
 * The registry's Libreswan names (lib/algorithms, `libreswan`), checked by Libreswan's own `algparse`: each
 * name resolves to the transform the registry says it is (by IANA name), and the groups without a name are
 * indeed absent from Libreswan as Debian builds it.
 */
import { join } from 'path';
import { DH_GROUPS, ENCRYPTION_TRANSFORMS, INTEGRITY_TRANSFORMS } from '../../lib/algorithms';
import { run } from '../interop/harness/exec';
import { describeWithTools, LIBRESWAN_ROOT } from '../interop/harness/tools';

const ALGPARSE = join(LIBRESWAN_ROOT, 'usr', 'libexec', 'ipsec', 'algparse');

/** What algparse resolves one IKEv2 proposal to (its last line), or its ERROR. */
async function algparse(proposal: string): Promise<string> {
  const r = await run(ALGPARSE, ['-v2', '-pfs', proposal], { timeoutMs: 30_000 });
  return `${r.stdout}${r.stderr}`.trim().split('\n').pop()!.trim();
}

describeWithTools("Libreswan's names in the algorithm registry, checked by algparse", ['libreswan'], () => {
  test.each(ENCRYPTION_TRANSFORMS.filter((t) => t.libreswan).map((t) => [t.keyword, t] as const))('encryption %s', async (_k, t) => {
    const expected = `${t.ianaName.replace(/^ENCR_/, '')}${t.keyLengthAttribute ? `_${t.keyLengthAttribute}` : ''}`;
    expect(await algparse(`esp=${t.libreswan}-${t.aead ? 'none' : 'sha2_256'}`)).toBe(`${expected}-${t.aead ? 'NONE' : 'HMAC_SHA2_256_128'}`);
  });

  test.each(INTEGRITY_TRANSFORMS.map((t) => [t.keyword, t] as const))('integrity %s', async (_k, t) => {
    expect(t.libreswan).toBeDefined();
    expect(await algparse(`esp=aes128-${t.libreswan}`)).toBe(`AES_CBC_128-${t.ianaName.replace(/^AUTH_/, '')}`);
  });

  test.each(DH_GROUPS.map((g) => [g.ianaId, g] as const))('DH group %i', async (id, g) => {
    if (g.libreswan === undefined) {
      // Absent: Libreswan refuses the group under its strongSwan keyword too.
      expect(await algparse(`ike=aes128-sha2_256-${g.keyword}`)).toMatch(/^ERROR: IKE DH algorithm .* is not (supported|recognized)/);
      return;
    }
    const expected = g.kind === 'modp' ? `MODP${g.primeBits}` : `DH${id}`;
    expect(await algparse(`ike=aes128-sha2_256-${g.libreswan}`)).toBe(`AES_CBC_128-HMAC_SHA2_256-${expected}`);
  });

  test('a wrong name is caught (the check can fail)', async () => {
    expect(await algparse('esp=aes128-sha2_257')).toMatch(/ERROR/);
    expect(await algparse('esp=aes128-sha2_256')).not.toBe('AES_CBC_128-HMAC_SHA2_512_256');
  });
});

import fc from 'fast-check';
import {
  DH_GROUPS,
  ENCRYPTION_TRANSFORMS,
  ESN_TRANSFORMS,
  formatProposal,
  INTEGRITY_TRANSFORMS,
  isAeadProposal,
  parseProposal,
  PRF_TRANSFORMS,
  Proposal,
  ProposalError,
  prfsOf,
  scanProposal,
} from '../../lib/algorithms';

const keywords = (p: Proposal) => ({
  encryption: p.encryption.map((t) => t.keyword),
  integrity: p.integrity.map((t) => t.keyword),
  prf: p.prf.map((t) => t.keyword),
  dhGroups: p.dhGroups.map((g) => g.ianaId),
  esn: p.esn.map((t) => t.keyword),
});

describe('parseProposal', () => {
  it('reads strongSwan proposal strings, aliases included', () => {
    expect(keywords(parseProposal('aes256gcm16-prfsha384-ecp384', 'ike'))).toEqual({ encryption: ['aes256gcm16'], integrity: [], prf: ['prfsha384'], dhGroups: [20], esn: [] });
    expect(keywords(parseProposal('aes256-sha256-modp2048', 'ike'))).toEqual({ encryption: ['aes256'], integrity: ['sha256'], prf: [], dhGroups: [14], esn: [] });
    expect(keywords(parseProposal('AES128-SHA2_256-X25519-ESN', 'esp'))).toEqual({ encryption: ['aes128'], integrity: ['sha256'], prf: [], dhGroups: [31], esn: ['esn'] });
    expect(keywords(parseProposal('aes128gcm16', 'esp'))).toEqual({ encryption: ['aes128gcm16'], integrity: [], prf: [], dhGroups: [], esn: [] });
  });

  it('derives the PRFs of a non-AEAD IKE proposal from its integrity hashes', () => {
    expect(prfsOf(parseProposal('aes128-sha256-sha1-modp2048', 'ike')).map((t) => t.keyword)).toEqual(['prfsha256', 'prfsha1']);
    expect(prfsOf(parseProposal('aes128gcm16-prfsha512-ecp256', 'ike')).map((t) => t.keyword)).toEqual(['prfsha512']);
  });

  it.each([
    ['', 'ike', 'empty', undefined],
    ['aes128-sha1-modp768', 'ike', 'unknown-keyword', 'modp768'],
    ['aes128-sha1-prfsha1-modp2048', 'esp', 'wrong-protocol', 'prfsha1'],
    ['aes128-sha1-modp2048-esn', 'ike', 'wrong-protocol', 'esn'],
    ['sha256-modp2048', 'ike', 'no-encryption', undefined],
    ['aes128gcm16-aes128-sha256-modp2048', 'esp', 'aead-mixed', undefined],
    ['aes128gcm16-sha256-modp2048', 'esp', 'aead-with-integrity', undefined],
    ['aes128-modp2048', 'esp', 'no-integrity', undefined],
    ['aes128gcm16-ecp256', 'ike', 'no-prf', undefined],
    ['aes128-sha256', 'ike', 'no-dh-group', undefined],
  ])('%j as %s: %s', (text, protocol, problem, token) => {
    let error: unknown;
    try {
      parseProposal(text, protocol as 'ike' | 'esp');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProposalError);
    expect({ problem: (error as ProposalError).problem, token: (error as ProposalError).token }).toEqual({ problem, token });
    expect((error as ProposalError).message).toContain(JSON.stringify(text));
  });

  it('scanProposal keeps what it does not know, in order, without judging', () => {
    const { proposal, unknown } = scanProposal('3des-aes128-md5-sha1-modp768-modp2048', 'esp');
    expect(unknown).toEqual(['3des', 'md5', 'modp768']);
    expect(keywords(proposal)).toEqual({ encryption: ['aes128'], integrity: ['sha1'], prf: [], dhGroups: [14], esn: [] });
  });
});

describe('formatProposal', () => {
  const pick = <T>(items: readonly T[]) => fc.uniqueArray(fc.constantFrom(...items), { minLength: 1, maxLength: items.length });
  const aead = ENCRYPTION_TRANSFORMS.filter((t) => t.aead);
  const classic = ENCRYPTION_TRANSFORMS.filter((t) => !t.aead);
  const proposal = fc.oneof(
    fc.record({ protocol: fc.constant('ike' as const), encryption: pick(classic), integrity: pick(INTEGRITY_TRANSFORMS), prf: fc.constant([]), dhGroups: pick(DH_GROUPS), esn: fc.constant([]) }),
    fc.record({ protocol: fc.constant('ike' as const), encryption: pick(aead), integrity: fc.constant([]), prf: pick(PRF_TRANSFORMS), dhGroups: pick(DH_GROUPS), esn: fc.constant([]) }),
    fc.record({
      protocol: fc.constant('esp' as const),
      encryption: pick(classic),
      integrity: pick(INTEGRITY_TRANSFORMS),
      prf: fc.constant([]),
      dhGroups: fc.uniqueArray(fc.constantFrom(...DH_GROUPS)),
      esn: fc.uniqueArray(fc.constantFrom(...ESN_TRANSFORMS)),
    }),
    fc.record({ protocol: fc.constant('esp' as const), encryption: pick(aead), integrity: fc.constant([]), prf: fc.constant([]), dhGroups: fc.uniqueArray(fc.constantFrom(...DH_GROUPS)), esn: fc.constant([]) }),
  );

  it('parse(format(p)) is p for every valid proposal', () => {
    fc.assert(
      fc.property(proposal, (p: Proposal) => {
        const text = formatProposal(p);
        expect(keywords(parseProposal(text, p.protocol))).toEqual(keywords(p));
        expect(isAeadProposal(p)).toBe(p.encryption[0].aead);
      }),
      { numRuns: 500 },
    );
  });

  it('writes strongSwan order: ciphers, integrity, PRFs, groups, sequence numbers', () => {
    expect(formatProposal(parseProposal('ecp384-prfsha384-aes256gcm16', 'ike'))).toBe('aes256gcm16-prfsha384-ecp384');
    expect(formatProposal(parseProposal('esn-modp2048-sha256-aes256', 'esp'))).toBe('aes256-sha256-modp2048-esn');
  });
});

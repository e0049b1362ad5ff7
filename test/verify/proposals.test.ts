/** AWS's choice: the lowest configured value per transform, whatever order the device proposes. */
import { chooseIkeVersion, chooseLowest, formatCombination, parseOnPremProposal as parseProposal } from '../../lib/verify';
import { combinations } from '../../lib/verify/proposals';

test('parses strongSwan proposals; AEAD IKE proposals take PRFs as integrity', () => {
  const ike = parseProposal('aes256gcm16-aes128gcm16-prfsha384-prfsha256-ecp384-modp2048', 'ike');
  expect(ike).toMatchObject({ encryption: ['aes256gcm16', 'aes128gcm16'], integrity: ['sha384', 'sha256'], dhGroups: [20, 14], unknown: [] });
  const esp = parseProposal('aes128-sha1-modp1024-noesn', 'esp');
  expect(esp).toMatchObject({ encryption: ['aes128'], integrity: ['sha1'], dhGroups: [2], unknown: [] });
  expect(parseProposal('3des-md5-modp768', 'esp').unknown).toEqual(['3des', 'md5', 'modp768']);
});

test('lowest encryption first, then integrity, then DH group, regardless of proposal order', () => {
  const offered = parseProposal('aes256gcm16-aes256-aes128-sha512-sha256-ecp521-modp2048-ecp256', 'esp');
  const chosen = chooseLowest(combinations(offered, 'esp'));
  expect(chosen && formatCombination(chosen, 'esp')).toBe('aes128-sha256-modp2048');
  // AES-GCM ranks above AES-CBC in AWS's list (AES128, AES256, AES128-GCM-16, AES256-GCM-16).
  const gcm = chooseLowest(combinations(parseProposal('aes256gcm16-aes128gcm16-ecp384-ecp256', 'esp'), 'esp'));
  expect(gcm && formatCombination(gcm, 'esp')).toBe('aes128gcm16-ecp256');
});

test('IKE version: the lowest both sides allow', () => {
  expect(chooseIkeVersion(['ikev2', 'ikev1'], ['ikev1', 'ikev2'])).toBe('ikev1');
  expect(chooseIkeVersion(['ikev2'], ['ikev1', 'ikev2'])).toBe('ikev2');
  expect(chooseIkeVersion(['ikev1'], ['ikev2'])).toBeUndefined();
});

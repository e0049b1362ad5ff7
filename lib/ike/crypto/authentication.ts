/**
 * Pre-shared key authentication (RFC 7296 section 2.15):
 *   AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>)
 *   SignedOctets = RealMessage | NonceOfThePeer | prf(SK_p, RestOfIDPayload)
 */
import { timingSafeEqual } from 'node:crypto';
import { prf, PrfAlgorithm } from './prf';

const KEY_PAD = Buffer.from('Key Pad for IKEv2', 'ascii');

/**
 * `message` is this side's first message of the IKE SA (its IKE_SA_INIT request or response, whole),
 * `peerNonce` the nonce the other side sent in IKE_SA_INIT, `skP` this side's SK_pi or SK_pr,
 * `idBody` the ID payload body (type, 3 reserved bytes, data).
 */
export function signedOctets(alg: PrfAlgorithm, message: Buffer, peerNonce: Buffer, skP: Buffer, idBody: Buffer): Buffer {
  return Buffer.concat([message, peerNonce, prf(alg, skP, idBody)]);
}

export function pskAuth(alg: PrfAlgorithm, psk: Buffer, octets: Buffer): Buffer {
  return prf(alg, prf(alg, psk, KEY_PAD), octets);
}

export function pskAuthMatches(alg: PrfAlgorithm, psk: Buffer, octets: Buffer, received: Buffer): boolean {
  const expected = pskAuth(alg, psk, octets);
  return expected.length === received.length && timingSafeEqual(expected, received);
}

/**
 * INVALID_KE_PAYLOAD (RFC 7296 sections 1.2, 1.3, 2.7): a responder that wants another DH group than our KE
 * payload's names it in the notify; we retry the exchange with that group if our proposals offer it. One
 * rule for IKE_SA_INIT, the CHILD_SA rekey with PFS and the IKE SA rekey.
 */
import type { DhGroup } from '../algorithms/dh-groups';
import { NOTIFY } from './message/constants';
import { findNotify } from './message/message';
import type { Payload } from './message/payload';

export type KeRetry =
  /** Send the exchange again with a KE payload in this group. */
  | { readonly retry: DhGroup }
  /** Give up the exchange: why, for the `failed` event. */
  | { readonly refuse: string };

/**
 * What to do with a response: undefined when it carries no INVALID_KE_PAYLOAD. `offered`: the groups our
 * proposals in this exchange hold; `tried`: the groups our KE payloads already used in it (so two peers
 * cannot bounce an exchange between groups for ever).
 */
export function invalidKeRetry(payloads: readonly Payload[], offered: readonly DhGroup[], tried: readonly DhGroup[]): KeRetry | undefined {
  const notify = findNotify(payloads, NOTIFY.INVALID_KE_PAYLOAD);
  if (!notify) return undefined;
  if (notify.data.length !== 2) return { refuse: `the responder's INVALID_KE_PAYLOAD holds ${notify.data.length} bytes, not a 2-byte DH group` };
  const wanted = notify.data.readUInt16BE(0);
  const group = offered.find((g) => g.ianaId === wanted);
  if (!group) return { refuse: `the responder asks for DH group ${wanted}, which our proposals do not offer (${offered.map((g) => g.keyword).join(', ') || 'none'})` };
  if (tried.includes(group)) return { refuse: `the responder asks for DH group ${wanted} (${group.keyword}) again, which our KE payload already used` };
  return { retry: group };
}

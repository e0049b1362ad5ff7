/** The XFRM interface ids (`if_id`) a connection's tunnels get: the first tunnel's, then one more per tunnel. */
import { EndpointConfigError } from './errors';

/** Linux's if_id is 32 bits; 0 means "no interface". */
export const XFRM_IF_ID_MAX = 0xffffffff;

/** `[base, base + 1, ...]` for `count` tunnels, refused (naming `ifIdBase`) when any falls outside 1..`max`. */
export function tunnelIfIds(base: number | undefined, count: number, max: number = XFRM_IF_ID_MAX): number[] {
  const first = base ?? 1;
  const last = first + count - 1;
  if (!Number.isInteger(first) || first < 1 || last > max) {
    const range = count > 1 ? ` (its ${count} tunnels take ${first} to ${last})` : '';
    throw new EndpointConfigError('ifIdBase', `${first} is not a whole number from 1 to ${max - count + 1}${range}; if_ids run from 1 to ${max}`);
  }
  return Array.from({ length: count }, (_, i) => first + i);
}

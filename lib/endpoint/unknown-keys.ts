/**
 * Rejects keys an endpoint config does not have (`tunnels[0].esp.replayWindw`): a misspelt key would
 * otherwise be ignored and its default used in silence. One description of the model's keys below
 * drives the walk; `validate.ts` checks the values.
 */
import { EndpointConfigError } from './errors';

/** An object's keys and what each holds: another object, a list of objects, or a plain value (`true`). */
interface Shape {
  readonly [key: string]: Shape | readonly [Shape] | true;
}

const endpoint: Shape = { outsideAddress: true, insideCidr: true, insideIpv6Cidr: true, bgpAsn: true };

/** The keys of {@link OnPremEndpointConfig} (model.ts), kept in step with it by the tests. */
export const ENDPOINT_CONFIG_KEYS: Shape = {
  formatVersion: true,
  vpnConnectionId: true,
  customerGatewayId: true,
  gateway: { type: true, id: true, attachmentArn: true, vpnConcentratorId: true },
  routing: { type: true, onPremCidrs: true },
  transport: { outsideIpAddressType: true, transportAttachmentId: true, accelerated: true },
  trafficSelectors: { local: true, remote: true },
  site: {
    announcePrefixes: true,
    awsPrefixes: true,
    // one of the two kinds of TunnelPreference
    preference: { mode: true, primaryTunnel: true, method: true },
  },
  tunnels: [
    {
      name: true,
      local: endpoint,
      remote: { ...endpoint, bgpHoldTime: true },
      ike: { versions: true, encryption: true, integrity: true, dhGroups: true, lifetimeSeconds: true },
      esp: { encryption: true, integrity: true, pfsGroups: true, lifetimeSeconds: true, replayWindow: true, mode: true },
      rekey: { marginSeconds: true, fuzzPercent: true },
      dpd: { intervalSeconds: true, timeoutSeconds: true, action: true },
      startupAction: true,
      // one of the three kinds of PreSharedKeyRef
      preSharedKey: { secretArn: true, value: true, source: true, vpnConnectionId: true, awsOutsideAddress: true, field: true },
      auth: { type: true, awsIdentity: true, awsCertificateArn: true },
      tcpMssAdjust: true,
      mtu: true,
      // model field -> where its AWS default came from: free-form keys, checked by the validator
      defaults: true,
    },
  ],
};

/** Throws {@link EndpointConfigError} at the first key of `value` that {@link ENDPOINT_CONFIG_KEYS} does not name. */
export function rejectUnknownKeys(value: unknown, shape: Shape = ENDPOINT_CONFIG_KEYS, path = ''): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return; // the validator reports wrong types
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const at = path === '' ? key : `${path}.${key}`;
    const expected = Object.prototype.hasOwnProperty.call(shape, key) ? shape[key] : undefined;
    if (expected === undefined) {
      const near = closestKey(key, Object.keys(shape));
      throw new EndpointConfigError(at, `unknown key${near ? `; did you mean ${JSON.stringify(near)}?` : ''} (known here: ${Object.keys(shape).join(', ')})`);
    }
    if (expected === true) continue;
    if (Array.isArray(expected)) {
      if (Array.isArray(child)) child.forEach((item, i) => rejectUnknownKeys(item, expected[0], `${at}[${i}]`));
    } else rejectUnknownKeys(child, expected as Shape, at);
  }
}

/**
 * The candidate closest to `word` by edit distance (case-insensitive), if close enough to be a likely
 * misspelling: at most a third of the word's length, and at least one edit allowed.
 */
export function closestKey(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

/** Levenshtein distance with adjacent transpositions counted as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

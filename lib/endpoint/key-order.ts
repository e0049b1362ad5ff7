/**
 * The one key order the JSON and TypeScript renderers write: the model's own field order, so output is
 * stable whatever order an object was built in. Keys the model does not know go last, alphabetically.
 */
const KEY_ORDER = [
  'formatVersion', 'source', 'vpnConnectionId', 'customerGatewayId', 'gateway', 'routing', 'transport', 'trafficSelectors', 'tunnels',
  'type', 'id', 'attachmentArn', 'vpnConcentratorId', 'onPremCidrs', 'outsideIpAddressType', 'transportAttachmentId', 'accelerated',
  'name', 'local', 'remote', 'outsideAddress', 'insideCidr', 'insideIpv6Cidr', 'bgpAsn', 'bgpHoldTime',
  'ike', 'esp', 'versions', 'encryption', 'integrity', 'dhGroups', 'pfsGroups', 'lifetimeSeconds', 'replayWindow', 'mode',
  'rekey', 'marginSeconds', 'fuzzPercent', 'dpd', 'intervalSeconds', 'timeoutSeconds', 'action', 'startupAction',
  'preSharedKey', 'secretArn', 'value', 'awsOutsideAddress', 'field', 'auth', 'awsIdentity', 'awsCertificateArn',
  'tcpMssAdjust', 'mtu', 'defaults',
];
const RANK = new Map(KEY_ORDER.map((key, i) => [key, i]));

/** A deep copy with object keys in the model's order and undefined-valued keys dropped. */
export function inModelKeyOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inModelKeyOrder);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, inModelKeyOrder(v)]));
}

function rank(key: string): number {
  return RANK.get(key) ?? KEY_ORDER.length;
}

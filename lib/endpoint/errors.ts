/**
 * The one error the endpoint converter and renderers throw for bad input.
 *
 * Its message names the element or field (`Options.TunnelOptions[1].Phase1EncryptionAlgorithms[0].Value`,
 * `ipsec_tunnel[2]/vpn_gateway/tunnel_outside_address/ip_address`) and the bad value. It never carries a
 * pre-shared key: callers pass `value` only for fields that are not secret.
 */
export class EndpointConfigError extends Error {
  /** The path of the offending element or field, as written in the message. */
  public readonly field: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'EndpointConfigError';
    this.field = field;
  }
}

/**
 * A value quoted for an error message: a scalar as JSON (strings in quotes), long values cut; an object or
 * array by kind only, as describeValue does, since its content could hold a key wherever it was found.
 */
export function quote(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = typeof value === 'bigint' ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A path segment that may hold a pre-shared key (`PreSharedKey`, `pre_shared_key`, `preSharedKeySecret`, ...). */
const SECRET_SEGMENT = /pre_?shared_?key(?!_?storage)|psk|secret|password|passphrase/i;

/** True when the field at `path` (`tunnels[0].preSharedKey.value`, `ipsec_tunnel[1]/ike/pre_shared_key`) could hold a key. */
export function isSecretField(path: string): boolean {
  return path.split(/[./[\]]+/).some((segment) => SECRET_SEGMENT.test(segment));
}

/**
 * What was found at `path`, for an error message, worded the same by every checker (endpoint.json, the
 * converter, the XML reader, the app's config file): a scalar as JSON, an object or array by kind only (its
 * content could hold a key), and for a field that could hold a key only its type and length, never its value.
 */
export function describeValue(value: unknown, path: string): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (isSecretField(path)) return describeKeyShaped(value);
  return typeof value === 'string' ? quote(value) : `${typeof value} ${quote(value)}`;
}

/** A scalar that could be a key, for an error message: its type and length only. */
export function describeKeyShaped(value: unknown): string {
  return `a ${typeof value} of ${String(value).length} characters`;
}

/** True for a whole number from `min` to `max`. */
export function isWholeNumberIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Why JSON.parse failed, without its own message: that quotes the input around the error, which may be a
 * pre-shared key. Only the position is kept.
 */
export function jsonSyntaxProblem(error: unknown): string {
  const at = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  return `is not valid JSON${at ? ` (error at character ${at[1]})` : ''}`;
}

/**
 * The connection is still `pending`: AWS has not published its tunnels yet. Not bad input: describe it again
 * once it is available (the CLI exits with its own code for this).
 */
export class EndpointConfigPendingError extends EndpointConfigError {
  constructor(vpnConnectionId: string) {
    super('State', `"pending": describe ${vpnConnectionId} again once it is available (AWS publishes its tunnels only then)`);
    this.name = 'EndpointConfigPendingError';
  }
}

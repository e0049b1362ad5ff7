/** The endpoint config as JSON (the model itself), and back. */
import { EndpointConfigError, jsonSyntaxProblem, quote } from './errors';
import { inModelKeyOrder } from './key-order';
import { ENDPOINT_CONFIG_FORMAT_VERSION, OnPremEndpointConfig } from './model';
import { validateEndpointConfig } from './validate';

/** JSON with the model's key order, 2-space indent and a trailing newline. */
export function renderJson(config: OnPremEndpointConfig): string {
  return `${JSON.stringify(inModelKeyOrder(config), null, 2)}\n`;
}

/** Parse and check JSON written by {@link renderJson}. Throws {@link EndpointConfigError} naming the bad field. */
export function parseEndpointConfigJson(text: string): OnPremEndpointConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new EndpointConfigError('(endpoint config JSON)', jsonSyntaxProblem(e));
  }
  if (value === null || typeof value !== 'object' || (value as { formatVersion?: unknown }).formatVersion !== ENDPOINT_CONFIG_FORMAT_VERSION) {
    const found = value !== null && typeof value === 'object' ? (value as { formatVersion?: unknown }).formatVersion : value;
    throw new EndpointConfigError('formatVersion', `expected ${ENDPOINT_CONFIG_FORMAT_VERSION}, found ${quote(found)}`);
  }
  return validateEndpointConfig(value);
}

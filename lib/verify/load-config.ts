/**
 * Reads the file `verify` checks: an endpoint config (`.json`, or a `.ts` module exporting `config`) or a
 * strongSwan `swanctl.conf`, into the on-prem tunnels the checks read.
 */
import { readFileSync } from 'fs';
import { extname } from 'path';
import { EndpointConfigError, OnPremEndpointConfig, parseEndpointConfigJson } from '../endpoint';
import { validateEndpointConfig } from '../endpoint/validate';
import { VerifyInputError } from './errors';
import { onPremTunnelsFromEndpointConfig } from './from-endpoint-config';
import { onPremTunnelsFromSwanctl } from './from-swanctl';
import { loadTypeScriptConfig } from './load-typescript';
import type { OnPremTunnel } from './on-prem';

export type ConfigFormat = 'json' | 'ts' | 'swanctl';

export interface LoadedConfig {
  readonly path: string;
  readonly format: ConfigFormat;
  readonly tunnels: readonly OnPremTunnel[];
  /** The endpoint config itself (json and ts): its record of AWS is the AWS side without --describe. */
  readonly endpointConfig?: OnPremEndpointConfig;
}

/** `.json` → json, `.ts` → ts, `.conf` → swanctl. */
export function configFormatOf(path: string): ConfigFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.ts') return 'ts';
  if (ext === '.conf') return 'swanctl';
  throw new VerifyInputError(`${path}: unknown config type ${JSON.stringify(ext)}; expected .json, .ts or .conf (swanctl.conf)`);
}

export function loadConfig(path: string): LoadedConfig {
  const format = configFormatOf(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new VerifyInputError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (format === 'swanctl') return { path, format, tunnels: onPremTunnelsFromSwanctl(text, path) };
  let config: OnPremEndpointConfig;
  try {
    const value: unknown = format === 'json' ? parseJson(text) : loadTypeScriptConfig(path, text);
    // Out-of-range lifetimes, window and fuzz are what the static checks report, with a fix: not bad input.
    validateEndpointConfig(value, { awsRanges: false });
    config = value as OnPremEndpointConfig;
  } catch (e) {
    if (e instanceof EndpointConfigError) throw new VerifyInputError(`${path}: ${e.message}`);
    throw e;
  }
  return { path, format, tunnels: onPremTunnelsFromEndpointConfig(config), endpointConfig: config };
}

/** JSON text to a value, with the endpoint parser's error (position only: the text may hold a key). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return parseEndpointConfigJson(text); // throws its EndpointConfigError
  }
}

/**
 * Reads the file `verify` checks: an endpoint config (`.json`, or a `.ts` module exporting `config`) or a
 * strongSwan `swanctl.conf`, into the on-prem tunnels the checks read.
 */
import { readFileSync } from 'fs';
import { extname } from 'path';
import { EndpointConfigError, OnPremEndpointConfig, parseEndpointConfigJson } from '../endpoint';
import { PHASE1_LIFETIME_SECONDS, PHASE2_LIFETIME_SECONDS, REKEY_FUZZ_PERCENTAGE, REPLAY_WINDOW_SIZE, Range } from '../aws-rules';
import { validateEndpointConfig } from '../endpoint/validate';
import { describeFsError, VerifyInputError } from './errors';
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
    throw new VerifyInputError(`cannot read ${path}: ${describeFsError(e)}`);
  }
  if (format === 'swanctl') return { path, format, tunnels: onPremTunnelsFromSwanctl(text, path) };
  let config: OnPremEndpointConfig;
  try {
    const value: unknown = format === 'json' ? parseJson(text) : loadTypeScriptConfig(path, text);
    validateEndpointConfig(withAwsRangesRelaxed(value));
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

/**
 * A copy for shape validation in which whole numbers outside AWS's ranges (lifetimes, replay window, fuzz)
 * are moved inside them: the endpoint validator would reject them as malformed, but for `verify` they are
 * exactly what its checks exist to report, with a fix.
 */
function withAwsRangesRelaxed(value: unknown): unknown {
  const tunnels = (value as { tunnels?: unknown } | null)?.tunnels;
  if (!Array.isArray(tunnels)) return value;
  const clamp = (n: unknown, r: Range) => (typeof n === 'number' && Number.isInteger(n) ? Math.min(r.max, Math.max(r.min, n)) : n);
  const relaxed = tunnels.map((t) => {
    if (t === null || typeof t !== 'object') return t;
    const { ike, esp, rekey } = t as Record<string, Record<string, unknown> | undefined>;
    return {
      ...t,
      ...(ike && typeof ike === 'object' ? { ike: { ...ike, lifetimeSeconds: clamp(ike.lifetimeSeconds, PHASE1_LIFETIME_SECONDS) } } : {}),
      ...(esp && typeof esp === 'object'
        ? { esp: { ...esp, lifetimeSeconds: clamp(esp.lifetimeSeconds, PHASE2_LIFETIME_SECONDS), replayWindow: clamp(esp.replayWindow, REPLAY_WINDOW_SIZE) } }
        : {}),
      ...(rekey && typeof rekey === 'object' ? { rekey: { ...rekey, fuzzPercent: clamp(rekey.fuzzPercent, REKEY_FUZZ_PERCENTAGE) } } : {}),
    };
  });
  return { ...(value as object), tunnels: relaxed };
}

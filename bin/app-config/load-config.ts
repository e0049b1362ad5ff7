/** Reads and checks the app's JSON config file. */
import { readFileSync } from 'fs';
import { HybridVpnConfig } from '../../lib/construct/hybrid-vpn-stack';
import { hybridVpnConfig } from './config-schema';

/** The config file broke the expected shape; `problems` holds one line per problem, each with its JSON path. */
export class ConfigError extends Error {
  constructor(public readonly file: string, public readonly problems: readonly string[]) {
    super(`Invalid config ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Checks already-parsed JSON; `file` names it in errors. */
export function parseConfig(json: unknown, file = 'config'): HybridVpnConfig {
  const problems: string[] = [];
  hybridVpnConfig(json, '', problems);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return json as HybridVpnConfig;
}

export function loadConfig(file: string): HybridVpnConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [`cannot read the file: ${(e as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(file, [`not valid JSON: ${(e as Error).message}`]);
  }
  return parseConfig(json, file);
}

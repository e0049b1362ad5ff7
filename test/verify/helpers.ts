/** Shared by the verify tests: converted fixtures written to a temp dir in each format. */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { VpnConnection } from '@aws-sdk/client-ec2';
import { endpointConfigFromDescribe, OnPremEndpointConfig, renderJson, renderSwanctl, renderTypeScript } from '../../lib/endpoint';
import type { ConvertOptions } from '../../lib/endpoint';
import { fixturePath, loadConnection } from '../endpoint/fixtures';
import { certificateFilesFor, writeFilesUnder } from '../interop/harness/test-pki';

export { FIXTURE_NAMES, fixturePath, loadConnection, presharedKeysIn } from '../endpoint/fixtures';

export const REPO_ROOT = join(__dirname, '..', '..');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 's2s-verify-'));
}

/** A deep, mutable copy of the fixture's converted config. */
export function convertedConfig(name: string, options: ConvertOptions = {}): OnPremEndpointConfig {
  return JSON.parse(JSON.stringify(endpointConfigFromDescribe(loadConnection(name), options))) as OnPremEndpointConfig;
}

export interface Written {
  readonly json: string;
  readonly ts: string;
  readonly swanctl: string;
}

/** Writes the config in all three formats into `dir` (the file names say the format). */
export function writeAllFormats(config: OnPremEndpointConfig, dir: string, prefix = 'endpoint'): Written {
  const files = { json: join(dir, `${prefix}.json`), ts: join(dir, `${prefix}.ts`), swanctl: join(dir, `${prefix}.swanctl.conf`) };
  writeFileSync(files.json, renderJson(config));
  writeFileSync(files.ts, renderTypeScript(config));
  writeFileSync(files.swanctl, renderSwanctl(config));
  writeFilesUnder(dir, certificateFilesFor(config)); // swanctl (and verify) refuse missing certificate files
  return files;
}

export function writeJson(config: unknown, dir: string, name = 'edited.json'): string {
  const file = join(dir, name);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

export function describeOf(name: string): { connection: VpnConnection; file: string } {
  return { connection: loadConnection(name), file: fixturePath(name) };
}

/** This package's root directory and manifest, found from the running file (a checkout's bin/ or the package's dist/bin/). */
import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';

export const PACKAGE_NAME = 'cdk-site-to-site-vpn';

export interface PackageInfo {
  readonly root: string;
  readonly version: string;
}

let cached: PackageInfo | undefined;

/** The nearest directory above this file whose package.json is this package's. */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const json = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (json.name === PACKAGE_NAME) return (cached = { root: dir, version: String(json.version) });
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package.json above ${__dirname}`);
  }
}

/** The version for `--version`, or a plain statement when this copy runs without its manifest (a bundled CLI). */
export function packageVersion(): string {
  try {
    return packageInfo().version;
  } catch {
    return `unknown (no ${PACKAGE_NAME} package.json above ${__dirname})`;
  }
}

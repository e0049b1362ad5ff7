/** What `verify --live` needs on this host, named exactly when it is missing. */
import { accessSync, constants, existsSync } from 'fs';
import { CHARON } from './charon';

/** True when `cmd` is an executable in a directory of PATH. */
export function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').some((dir) => {
    try {
      accessSync(`${dir}/${cmd}`, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** One line per missing requirement; empty when the live stage can run. */
export function missingLiveRequirements(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (network namespaces and a veth pair are created): run as root, e.g. with sudo');
  if (!existsSync(CHARON)) missing.push(`strongSwan's charon (${CHARON}): install strongswan-charon and libcharon-extra-plugins (kernel-libipsec)`);
  if (!onPath('swanctl')) missing.push('swanctl on PATH: install strongswan-swanctl');
  if (!onPath('ip')) missing.push('ip (iproute2) on PATH');
  if (!onPath('ping')) missing.push('ping (iputils-ping) on PATH');
  return missing;
}

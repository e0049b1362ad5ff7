/** The site renderers (routing daemons, Libreswan, Linux data plane) and the model additions they read. */
export { withSiteRouting, planSite, tunnelInterfaceName } from './site-routing';
export { BGP_ROUTE_QUOTAS } from '../aws-rules';
export type { PlannedTunnel, SitePlan, SitePlanOptions, TunnelRole } from './site-routing';
export { renderFrr } from './render-frr';
export type { FrrRenderOptions } from './render-frr';
export { renderBird } from './render-bird';
export type { BirdRenderOptions } from './render-bird';
export { renderLibreswan } from './render-libreswan';
export type { LibreswanFiles, LibreswanRenderOptions } from './render-libreswan';
export { renderLinux } from './render-linux';
export type { LinuxRenderOptions } from './render-linux';

import { EndpointConfigError } from './errors';
import type { OnPremEndpointConfig } from './model';
import { renderBird } from './render-bird';
import { renderFrr } from './render-frr';
import { renderLibreswan } from './render-libreswan';
import { renderLinux } from './render-linux';

/**
 * Every site file of one config, by artifact kind (what the custom resource writes next to swanctl.conf).
 * A connection Libreswan cannot serve (only DH groups it lacks) gets Libreswan files that say why, rather
 * than failing the deployment of every other file.
 */
export function renderSiteArtifacts(config: OnPremEndpointConfig): { frr: string; bird: string; libreswan: string; libreswanSecrets: string; linux: string } {
  return { frr: renderFrr(config), bird: renderBird(config), ...libreswanOrReason(config), linux: renderLinux(config) };
}

function libreswanOrReason(config: OnPremEndpointConfig): { libreswan: string; libreswanSecrets: string } {
  try {
    const files = renderLibreswan(config);
    return { libreswan: files.ipsecConf, libreswanSecrets: files.ipsecSecrets };
  } catch (e) {
    if (!(e instanceof EndpointConfigError)) throw e;
    const reason = `# Libreswan 4 cannot serve ${config.vpnConnectionId}: ${e.message}\n`;
    return { libreswan: reason, libreswanSecrets: reason };
  }
}

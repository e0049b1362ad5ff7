/**
 * Every DescribeVpnConnections fixture as a site: converted, then given site choices that exercise each
 * renderer path (announced prefixes in the tunnels' families, active-active and both active-standby methods,
 * AWS prefixes for static sites). Also the bare conversion, which is what the custom resource renders.
 */
import type { OnPremEndpointConfig, SiteRouting } from '../../lib/endpoint';
import { endpointConfigFromDescribe } from '../../lib/endpoint';
import { withSiteRouting } from '../../lib/endpoint/site';
import { FIXTURE_NAMES, loadConnection } from '../endpoint/fixtures';

export interface SiteCase {
  readonly name: string;
  readonly config: OnPremEndpointConfig;
}

const PREFERENCES: readonly SiteRouting['preference'][] = [
  { mode: 'active-active' },
  { mode: 'active-standby', primaryTunnel: 'tunnel1', method: 'med' },
  { mode: 'active-standby', primaryTunnel: 'tunnel2', method: 'as-path-prepend' },
];

function siteFor(config: OnPremEndpointConfig, index: number): SiteRouting {
  const preference = PREFERENCES[index % PREFERENCES.length];
  if (config.routing.type === 'static') {
    return { awsPrefixes: ['10.0.0.0/16', '10.1.0.0/16'], preference: preference?.mode === 'active-standby' ? { mode: 'active-standby', primaryTunnel: 'tunnel1' } : preference };
  }
  const v4 = config.tunnels.some((t) => t.local.insideCidr) ? ['198.51.100.0/24', '10.20.0.0/16'] : [];
  const v6 = config.tunnels.some((t) => t.local.insideIpv6Cidr) ? ['2001:db8:100::/48'] : [];
  return { announcePrefixes: [...v4, ...v6], preference };
}

export function siteCases(): SiteCase[] {
  return FIXTURE_NAMES.flatMap((name, i) => {
    const config = endpointConfigFromDescribe(loadConnection(name));
    return [
      { name: `${name} (as converted)`, config },
      { name: `${name} (with site routing)`, config: withSiteRouting(config, siteFor(config, i)) },
    ];
  });
}

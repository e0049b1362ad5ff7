/** Public API of the construct part: what `lib/index.ts` re-exports next to `SiteToSiteVpn` and `HybridVpnStack`. */
export * from './gateway-choice';
export * from './props';
export { VpnSite, DEFAULT_PRE_SHARED_KEY_STORAGE } from './vpn-site';
export type { VpnSiteProps, SiteTunnel, SiteGatewayRef } from './vpn-site';
export { DEFAULT_TUNNEL_LOG_RETENTION, tunnelLogGroupName } from './tunnel-logging';
export type { TunnelLogging } from './tunnel-logging';
export { tunnelStateMetric } from './tunnel-alarms';
export { tunnelSpecification } from './tunnel-specification';
export { SiteToSiteVpnValidationError } from './validation/problems';
export { validateProps } from './validation/validate-props';
export { DEFAULT_VPC_CIDR } from './network';

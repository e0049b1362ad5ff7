/**
 * cdk-site-to-site-vpn: the public API.
 *
 * - The AWS side as code: `SiteToSiteVpn` (and `HybridVpnStack`, the stack the JSON-config app builds).
 * - The on-prem side, generated: the endpoint config model, its converter from DescribeVpnConnections and its
 *   renderers, and `EndpointConfigResource`, which runs that conversion at deploy time.
 * - Proof: `verifyConfig` (what `s2s-vpn verify` runs). The ESP engine is the subpath `cdk-site-to-site-vpn/esp`.
 * - AWS's rules and limits, and the AWS ↔ strongSwan algorithm names, shared by all of the above.
 */
export * from './aws-rules';
export * from './algorithms';
export * from './construct/site-to-site-vpn';
export * from './construct';
export * from './construct/hybrid-vpn-stack';
export * from './endpoint';
export * from './endpoint-config-resource';
export * from './verify';

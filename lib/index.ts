/**
 * cdk-site-to-site-vpn: the public API, by name (one block per module, so what is public is a decision here).
 *
 * - The AWS side as code: `SiteToSiteVpn` (and `HybridVpnStack`, the stack the JSON-config app builds).
 * - The on-prem side, generated: the endpoint config model, its converter from DescribeVpnConnections and its
 *   renderers, and `EndpointConfigResource`, which runs that conversion at deploy time.
 * - Proof: `verifyConfig` (what `s2s-vpn verify` runs). The ESP engine is the subpath `cdk-site-to-site-vpn/esp`;
 *   the endpoint model, converter and renderers alone (no aws-cdk-lib loaded) are `cdk-site-to-site-vpn/endpoint`.
 * - AWS's rules and limits, shared by all of the above.
 *
 * Requiring this module loads neither TypeScript (only `verify` of an endpoint.ts does) nor cdk-nag.
 */

// AWS's rules and limits
export {
  IKE_VERSIONS, ENCRYPTION_ALGORITHMS, INTEGRITY_ALGORITHMS, PHASE1_DH_GROUPS, PHASE2_DH_GROUPS, DPD_TIMEOUT_ACTIONS,
  STARTUP_ACTIONS, PHASE1_LIFETIME_SECONDS, PHASE2_LIFETIME_SECONDS, REKEY_MARGIN_TIME_SECONDS, REKEY_FUZZ_PERCENTAGE,
  REPLAY_WINDOW_SIZE, DPD_TIMEOUT_SECONDS, DPD_TIMEOUT_ACTION_DEFAULT, DPD_INTERVAL_SECONDS, STARTUP_ACTION_DEFAULT,
  maxRekeyMarginSeconds, AMAZON_SIDE_ASN_RANGES, AMAZON_SIDE_ASN_DEFAULT, CUSTOMER_BGP_ASN, CUSTOMER_BGP_ASN_EXTENDED,
  CUSTOMER_ASN_UNSUPPORTED_PRIVATE, MAX_TUNNELS_PER_CONNECTION, MAX_CONNECTIONS_PER_VIRTUAL_PRIVATE_GATEWAY,
  RESERVED_TUNNEL_INSIDE_CIDRS, TUNNEL_INSIDE_CIDR_RANGE, TUNNEL_INSIDE_CIDR_PREFIX, TUNNEL_INSIDE_IPV6_CIDR_RANGE,
  TUNNEL_INSIDE_IPV6_CIDR_PREFIX, PRE_SHARED_KEY_PATTERN, preSharedKeyProblem, TUNNEL_MAX_PACKETS_PER_SECOND,
  TUNNEL_MAX_GBPS, TUNNEL_MAX_GBPS_LARGE, OUTSIDE_MTU, MAX_TUNNEL_MTU, OUTSIDE_IP_ADDRESS_TYPES, TUNNEL_INSIDE_IP_VERSIONS,
  TUNNEL_BANDWIDTHS, PRE_SHARED_KEY_STORAGES, LOG_OUTPUT_FORMATS, VENDED_LOG_GROUP_PREFIX, TUNNEL_STATE_METRIC,
} from './aws-rules';
export type {
  IkeVersion, EncryptionAlgorithm, IntegrityAlgorithm, Phase1DhGroup, Phase2DhGroup, DpdTimeoutAction, StartupAction,
  Range, OutsideIpAddressType, TunnelInsideIpVersion, TunnelBandwidth, PreSharedKeyStorage, LogOutputFormat,
} from './aws-rules';

// The construct
export { SiteToSiteVpn } from './construct/site-to-site-vpn';
export {
  SiteToSiteGateway, VpnSite, DEFAULT_PRE_SHARED_KEY_STORAGE, DEFAULT_TUNNEL_LOG_RETENTION, tunnelLogGroupName,
  tunnelStateMetric, tunnelSpecification, SiteToSiteVpnValidationError, validateProps, DEFAULT_VPC_CIDR,
} from './construct';
export type {
  VirtualPrivateGatewayOptions, TransitGatewayOptions, GatewayKind, TunnelLoggingOptions, TunnelOptions, SiteOptions,
  SiteToSiteVpnProps, VpnSiteProps, SiteTunnel, SiteGatewayRef, TunnelLogging,
} from './construct';

// The stack the JSON-config app builds
export { HybridVpnStack } from './construct/hybrid-vpn-stack';
export type {
  NewVpcConfig, ImportedVpcConfig, VirtualPrivateGatewayConfig, TransitGatewayConfig, GatewayConfig, SecretReferenceConfig,
  TunnelLoggingConfig, TunnelOptionsConfig, SiteConfig, MonitoringConfig, HybridVpnConfig, HybridVpnStackProps,
} from './construct/hybrid-vpn-stack';

// On-prem endpoint configs: model, converter, renderers
export {
  ENDPOINT_CONFIG_FORMAT_VERSION, isSecretsManagerKeyRef, isInlineKey, isDescribeVpnConnectionsKeyRef, EndpointConfigError,
  endpointConfigFromDescribe, renderJson, parseEndpointConfigJson, renderTypeScript, renderSwanctl, espSuitesOf, maxTcpMss,
  tunnelMtu, validateEndpointConfig, EndpointConfigPendingError, trafficSelectorsOf, TUNNEL_OUTSIDE_IP_TYPES,
  ENDPOINT_GATEWAY_KINDS,
} from './endpoint';
export type {
  OnPremEndpointConfig, GatewayRef, Routing, BgpRouting, StaticRouting, TunnelEndpoint, AwsTunnelEndpoint, IkeParameters,
  EspParameters, RekeyParameters, DpdParameters, SecretsManagerKeyRef, InlineKey, DescribeVpnConnectionsKeyRef,
  PreSharedKeyRef, TunnelConfig, ConvertOptions, PreSharedKeyResolver, TypeScriptRenderOptions, SwanctlRenderOptions, OuterPath,
  CertificateAuth, Transport, TrafficSelectors, TunnelOutsideIpType, EndpointGatewayKind, SiteRouting, TunnelPreference,
} from './endpoint';

// The rest of the site: BGP daemons, Libreswan, the Linux data plane
export {
  withSiteRouting, planSite, tunnelInterfaceName, renderFrr, renderBird, renderLibreswan, renderLinux, renderSiteArtifacts,
} from './endpoint/site';

// The algorithm registry (transforms, DH groups, proposals)
export {
  TransformType, ENCRYPTION_TRANSFORMS, INTEGRITY_TRANSFORMS, PRF_TRANSFORMS, DH_GROUPS, transformByKeyword, transformById,
  dhGroupById, parseProposal, formatProposal, ProposalError, isWeak, strongerAwsAlternatives,
} from './algorithms';
export type { EncryptionTransform, IntegrityTransform, PrfTransform, DhGroup, Proposal, Strength } from './algorithms';

// The deploy-time endpoint config generator
export { EndpointConfigResource, createEndpointConfigBucket, EndpointConfigProvider, SECRET_NAME_PREFIX } from './endpoint-config-resource';
export type { EndpointConfigResourceProps, EndpointConfigBucketOptions, ArtifactKind } from './endpoint-config-resource';

// verify: the report and its renderers (the checks themselves stay internal)
export { verifyConfig, ASSUMPTIONS, VerifyInputError, renderReportJson, renderReportText, VERIFY_REPORT_FORMAT_VERSION, KeyResolutionError } from './verify';
export type {
  VerifyOptions, VerifyReport, TunnelReport, CheckResult, CheckStatus, CheckStage, ExchangeResult, DirectionStats,
  KeyResolver, KeyReference,
} from './verify';

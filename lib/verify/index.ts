/**
 * `s2s-vpn verify` as a library: will an on-prem IPsec endpoint config work with AWS Site-to-Site VPN?
 * Static checks against AWS's rules and the tunnel's AWS side, then an ESP exchange on loopback.
 */
export * from './report';
export { verifyConfig, ASSUMPTIONS } from './verify';
export type { VerifyOptions } from './verify';
export { VerifyInputError } from './errors';
export { renderReportJson, renderReportText } from './render';
export { loadConfig, configFormatOf } from './load-config';
export type { ConfigFormat, LoadedConfig } from './load-config';
export { typeCheck, loadTypeScriptConfig } from './load-typescript';
export { parseSwanctl, parseDuration, SwanctlSyntaxError } from './swanctl-parse';
export type { SwanctlFile, SwanctlSection } from './swanctl-parse';
export { staticChecks, engineSuite } from './static-checks';
export type { StaticOutcome, StaticCheckOptions } from './static-checks';
export { runLoopbackExchange, exchangeProblems, exchangeSizes, INJECTED_DROPS } from './loopback-exchange';
export type { ExchangeOptions, ExchangeEndpoint } from './loopback-exchange';
export { parseOnPremProposal, chooseLowest, chooseIkeVersion, formatCombination } from './proposals';
export type { OnPremTunnel, Proposal as OnPremProposal, Schedule, OnPremKey, SettingField } from './on-prem';
export type { AwsSide } from './aws-side';
export { staticStage, loopbackStage, defaultStages } from './stages';
export type { VerifyStage, TunnelRun, StageSettings } from './stages';
export { KeyResolutionError, keyReferenceOf } from './key-resolver';
export type { KeyResolver, KeyReference } from './key-resolver';
export { buildSaPair, randomTestKeys, saConfig } from './sa-pair';
export type { ChildSaKeys, DirectionKeys, SaPair, SaSide } from './sa-pair';
export { bgpChecks } from './bgp-checks';
export { parseRoutingConfig, routingFormatOf } from './routing-parse';
export type { BgpNeighbor, RoutingDaemonConfig, RoutingFormat } from './routing-parse';
export { missingLiveRequirements } from './live/requirements';
export type { LiveOptions } from './live/stage';
export { probe, PROBE_REPORT_FORMAT_VERSION } from './live/probe';
export type { ProbeOptions, ProbeReport, ProbeTunnelReport } from './live/probe';
export { awsSidesFromDescribe } from './aws-side';

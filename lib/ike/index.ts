/**
 * cdk-site-to-site-vpn/ike: IKEv2 (RFC 7296) in TypeScript, both roles, sans IO.
 *
 * Layers, bottom up: `message/` (header and payloads, parse/serialize), `crypto/` (prf+, keys, SK payload,
 * PSK AUTH, NAT detection) over `lib/algorithms`, `proposals` + `traffic-selectors`, `ike-sa` (the state
 * machine), `policy` (configs from an endpoint-config tunnel or AWS's tunnel options), `key-log`, and
 * `transport/udp-transport` (node:dgram, shared with ESP-in-UDP).
 */
export * as messages from './message';
export type { IkeSaConfig, Lifetimes, DpdSettings, RetransmitSettings } from './config';
export { DEFAULT_LIFETIMES, DEFAULT_RETRANSMIT } from './config';
export type { IkeEvent, ChildSaInfo, DeleteReason, Outgoing, Step } from './events';
export { IkeSa, ikeSuite } from './ike-sa';
export { ChildSaTable } from './child-sa-table';
export type { IkeState, Source, Child } from './ike-sa';
export type { ChoiceRule, Selection } from './proposals';
export { chooseProposal, offerProposals, selectionText } from './proposals';
export { selectorFromCidr, selectorText, narrowSelectors } from './traffic-selectors';
export type { TunnelPolicy, AwsTunnelOptions, PolicyExtras } from './policy';
export { customerGatewayConfig, awsEndpointConfig } from './policy';
export type { KeyLogSink, KeyLogTable } from './key-log';
export { ikeKeyLogRow, espKeyLogRows } from './key-log';
export type { UdpTransportOptions, BoundPorts } from './transport/udp-transport';
export { UdpTransport } from './transport/udp-transport';

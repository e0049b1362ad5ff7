/**
 * cdk-site-to-site-vpn/esp: a user-space ESP (RFC 4303) and AH (RFC 4302) packet engine.
 *
 * Layers, bottom up: `ip` (IPv4/IPv6 headers), `transforms` + `integrity` (the per-SA crypto context),
 * `replay-window` + `sequence`, `esp-sa` / `ah-sa` (one direction of one SA each), `sa-database` (SPI
 * lookup), plus `nat-t` (RFC 3948 framing) and `pcap` (captures for Wireshark).
 */
export type { EspSuite, SuiteInfo, SuiteKind, MtuOptions } from './suites';
export { ESP_SUITES, isEspSuite, suiteInfo, maxInnerMtu, espSuiteFor } from './suites';
export type { SaConfig, OuterAddresses, NatTPorts, EncapResult, EncapFailure, DecapResult, DecapDrop, DropReason } from './types';
export { EspSa } from './esp-sa';
export type { AhSaConfig, AhSuite } from './ah-sa';
export { AhSa, AH_SUITES } from './ah-sa';
export { SaDatabase } from './sa-database';
export type { UdpEncapKind } from './nat-t';
export { NAT_T_PORT, NON_ESP_MARKER, NAT_KEEPALIVE, classifyUdpEncap, natKeepalive, frameEspInUdp, frameIkeInUdp } from './nat-t';
export type { Ipv4Header, Ipv6Header, IpHeader, Ipv4HeaderFields, Ipv6HeaderFields } from './ip';
export {
  IPPROTO,
  internetChecksum,
  parseIpHeader,
  parseIpv4Header,
  parseIpv6Header,
  buildIpv4Header,
  buildIpv6Header,
  buildIpPacket,
  buildUdpDatagram,
} from './ip';
export type { PcapWriterOptions, PcapLinkType, PcapRecord, PcapFile } from './pcap';
export { PcapWriter, LINKTYPE_RAW, LINKTYPE_ETHERNET, parsePcap } from './pcap';
export { ReplayWindow } from './replay-window';

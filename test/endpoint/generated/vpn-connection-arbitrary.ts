/**
 * fast-check arbitraries for whole `VpnConnection` objects of @aws-sdk/client-ec2: every optional field present
 * or absent, every enum value the SDK knows, lists empty or full, and a CustomerGatewayConfiguration XML that
 * agrees with the rest (the same ids, addresses, inside CIDRs, BGP and keys). Shared by the property test and
 * the charon load test.
 */
import fc from 'fast-check';
import {
  GatewayAssociationState,
  TelemetryStatus,
  TunnelInsideIpVersion,
  VpnState,
  VpnTunnelBandwidth,
} from '@aws-sdk/client-ec2';
import type { TunnelOption, VgwTelemetry, VpnConnection } from '@aws-sdk/client-ec2';

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const ENC = ['AES128', 'AES256', 'AES128-GCM-16', 'AES256-GCM-16'];
const INTEG = ['SHA1', 'SHA2-256', 'SHA2-384', 'SHA2-512'];
const P1 = [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];
const P2 = [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];
const values = <T>(all: T[]) => opt(fc.subarray(all).map((list) => list.map((Value) => ({ Value }))));

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));

/** What the generator decided, so a test can check the conversion against it. */
export interface Generated {
  readonly connection: VpnConnection;
  /** Every key written anywhere in the response. */
  readonly keys: readonly string[];
}

const tunnelOptions = (aws: string, insideCidr: string | undefined, insideIpv6Cidr: string | undefined, key: string | undefined) =>
  fc.record(
    {
      Phase1EncryptionAlgorithms: values(ENC),
      Phase2EncryptionAlgorithms: values(ENC),
      Phase1IntegrityAlgorithms: values(INTEG),
      Phase2IntegrityAlgorithms: values(INTEG),
      Phase1DHGroupNumbers: values(P1),
      Phase2DHGroupNumbers: values(P2),
      IkeVersions: values(['ikev1', 'ikev2']),
      Phase1LifetimeSeconds: opt(fc.integer({ min: 900, max: 28800 })),
      Phase2LifetimeSeconds: opt(fc.integer({ min: 900, max: 3600 })),
      RekeyMarginTimeSeconds: opt(fc.integer({ min: 60, max: 450 })),
      RekeyFuzzPercentage: opt(fc.integer({ min: 0, max: 100 })),
      ReplayWindowSize: opt(fc.integer({ min: 64, max: 2048 })),
      DpdTimeoutSeconds: opt(fc.integer({ min: 30, max: 3600 })),
      DpdTimeoutAction: opt(fc.constantFrom('clear', 'none', 'restart')),
      StartupAction: opt(fc.constantFrom('add', 'start')),
      LogOptions: opt(fc.record({ CloudWatchLogOptions: fc.record({ LogEnabled: fc.boolean(), BgpLogEnabled: opt(fc.boolean()), BgpLogOutputFormat: opt(fc.constantFrom('json', 'text')) }) })),
      EnableTunnelLifecycleControl: opt(fc.boolean()),
      withInside: fc.boolean(),
      onlyAddress: fc.boolean(),
    },
    { requiredKeys: ['withInside', 'onlyAddress'] },
  ).map(({ withInside, onlyAddress, ...rest }): TunnelOption => {
    const base: TunnelOption = { OutsideIpAddress: aws };
    if (onlyAddress) return base;
    return dropUndefined({
      ...base,
      ...rest,
      TunnelInsideCidr: withInside ? insideCidr : undefined,
      TunnelInsideIpv6Cidr: withInside ? insideIpv6Cidr : undefined,
      PreSharedKey: key,
    });
  });

export const vpnConnection: fc.Arbitrary<Generated> = fc
  .record({
    vpnId: hex(17),
    cgwId: hex(17),
    gwId: hex(17),
    gateway: fc.constantFrom('vgw', 'tgw', 'cloud-wan'),
    concentrator: fc.boolean(),
    state: opt(fc.constantFrom(...Object.values(VpnState))),
    inside: fc.constantFrom(...Object.values(TunnelInsideIpVersion)),
    outsideType: opt(fc.constantFrom('PublicIpv4', 'PrivateIpv4', 'Ipv6')),
    accelerated: opt(fc.boolean()),
    bgp: fc.boolean(),
    tunnelCount: fc.constantFrom(1, 2),
    thirdOctet: fc.integer({ min: 10, max: 120 }),
    // Where the keys live: tunnel options, the XML, Secrets Manager (connection / per tunnel), or certificates.
    keys: fc.constantFrom('options', 'xml', 'both', 'secrets-manager', 'per-tunnel-arn', 'certificate'),
    tunnelOptionsShape: fc.constantFrom('absent', 'empty', 'entries'),
    localCidr: opt(fc.constantFrom('10.0.0.0/16', '0.0.0.0/0', '192.168.10.0/24')),
    localIpv6Cidr: opt(fc.constantFrom('::/0', '2001:db8:10::/48')),
    bandwidth: opt(fc.constantFrom(...Object.values(VpnTunnelBandwidth))),
    association: opt(fc.constantFrom(...Object.values(GatewayAssociationState))),
    telemetry: fc.boolean(),
    status: fc.constantFrom(...Object.values(TelemetryStatus)),
    routes: fc.subarray(['10.10.0.0/16', '172.16.0.0/12']),
    xmlHasXmlDecl: fc.boolean(),
  })
  .chain((r) => {
    const ipv6Outside = r.outsideType === 'Ipv6';
    const tunnels = Array.from({ length: r.tunnelCount }, (_, i) => {
      const n = r.thirdOctet + i;
      return {
        aws: ipv6Outside ? `2001:db8:200::${n.toString(16)}` : r.outsideType === 'PrivateIpv4' ? `10.100.0.${n}` : `192.0.2.${n}`,
        cgw: ipv6Outside ? '2001:db8:100::10' : r.outsideType === 'PrivateIpv4' ? '10.10.0.10' : '198.51.100.10',
        in4: r.inside === 'ipv4' ? { net: `169.254.${n}.0/30`, aws: `169.254.${n}.1`, cgw: `169.254.${n}.2` } : undefined,
        in6: r.inside === 'ipv6' ? { net: `fd00:ec2:0:${n.toString(16)}::/126`, aws: `fd00:ec2:0:${n.toString(16)}::1`, cgw: `fd00:ec2:0:${n.toString(16)}::2` } : undefined,
        key: `EXAMPLE.gen${r.vpnId.slice(0, 6)}.t${i + 1}`,
      };
    });
    const inOptions = r.keys === 'options' || r.keys === 'both';
    const inXml = r.keys === 'xml' || r.keys === 'both';
    const optionsArb: fc.Arbitrary<TunnelOption[] | undefined> =
      r.tunnelOptionsShape === 'absent'
        ? fc.constant(undefined)
        : r.tunnelOptionsShape === 'empty'
          ? fc.constant([])
          : fc.tuple(...tunnels.map((t) => tunnelOptions(t.aws, t.in4?.net, t.in6?.net, inOptions ? t.key : undefined)));
    return optionsArb.map((TunnelOptions): Generated => {
      const vpnId = `vpn-${r.vpnId}`;
      const cgwId = `cgw-${r.cgwId}`;
      const arnPrefix = `arn:aws:secretsmanager:us-west-2:123456789012:secret:s2svpn-gen!${vpnId}`;
      const options = TunnelOptions?.map((o, i) => (r.keys === 'per-tunnel-arn' ? { ...o, PreSharedKeyArn: `${arnPrefix}-t${i + 1}-AbCdEf` } : o));
      const telemetry: VgwTelemetry[] | undefined = r.telemetry || r.keys === 'certificate'
        ? tunnels.map((t, i) => dropUndefined({
            OutsideIpAddress: t.aws, Status: r.status, StatusMessage: '', AcceptedRouteCount: 0, LastStatusChange: new Date('2026-11-30T00:00:00Z'),
            CertificateArn: r.keys === 'certificate' ? `arn:aws:acm:us-east-1:123456789012:certificate/0000000${i}-1111-4222-8333-444455556666` : undefined,
          }))
        : undefined;
      const vgw = r.gateway === 'vgw' ? `vgw-${r.gwId}` : undefined;
      const connection: VpnConnection = dropUndefined({
        VpnConnectionId: vpnId,
        CustomerGatewayId: cgwId,
        Type: 'ipsec.1',
        Category: 'VPN',
        State: r.state,
        VpnGatewayId: vgw,
        TransitGatewayId: r.gateway === 'tgw' ? `tgw-${r.gwId}` : undefined,
        VpnConcentratorId: r.gateway === 'tgw' && r.concentrator ? `vcn-${r.gwId}` : undefined,
        CoreNetworkArn: r.gateway === 'cloud-wan' ? `arn:aws:networkmanager::123456789012:core-network/core-network-${r.gwId}` : undefined,
        CoreNetworkAttachmentArn: r.gateway === 'cloud-wan' ? `arn:aws:networkmanager::123456789012:attachment/attachment-${r.gwId}` : undefined,
        GatewayAssociationState: r.association,
        PreSharedKeyArn: r.keys === 'secrets-manager' || r.keys === 'per-tunnel-arn' ? `${arnPrefix}-1Skga6-pevysO` : undefined,
        Options: dropUndefined({
          EnableAcceleration: r.accelerated,
          StaticRoutesOnly: !r.bgp,
          LocalIpv4NetworkCidr: r.inside === 'ipv4' ? r.localCidr : undefined,
          RemoteIpv4NetworkCidr: r.inside === 'ipv4' ? '0.0.0.0/0' : undefined,
          LocalIpv6NetworkCidr: r.inside === 'ipv6' ? r.localIpv6Cidr : undefined,
          RemoteIpv6NetworkCidr: r.inside === 'ipv6' ? '::/0' : undefined,
          OutsideIpAddressType: r.outsideType,
          TransportTransitGatewayAttachmentId: r.outsideType === 'PrivateIpv4' ? `tgw-attach-${r.gwId}` : undefined,
          TunnelInsideIpVersion: r.inside,
          TunnelBandwidth: r.bandwidth,
          TunnelOptions: options,
        }),
        Routes: r.bgp ? [] : r.routes.map((DestinationCidrBlock) => ({ DestinationCidrBlock, Source: 'Static' as const, State: 'available' as const })),
        VgwTelemetry: telemetry,
        CustomerGatewayConfiguration: customerGatewayXml({ vpnId, cgwId, vgw, bgp: r.bgp, tunnels: tunnels.map((t) => ({ ...t, key: inXml ? t.key : undefined })), decl: r.xmlHasXmlDecl }),
      });
      return { connection, keys: tunnels.map((t) => t.key) };
    });
  });

interface XmlInput {
  vpnId: string;
  cgwId: string;
  vgw?: string;
  bgp: boolean;
  decl: boolean;
  tunnels: { aws: string; cgw: string; in4?: { aws: string; cgw: string }; in6?: { aws: string; cgw: string }; key?: string }[];
}

/** AWS's CustomerGatewayConfiguration format, as in the fixtures. */
function customerGatewayXml(x: XmlInput): string {
  const side = (outside: string, in4: string | undefined, in6: string | undefined, asn: number) =>
    [
      `<tunnel_outside_address><ip_address>${outside}</ip_address></tunnel_outside_address>`,
      in4 ? `<tunnel_inside_address><ip_address>${in4}</ip_address><network_mask>255.255.255.252</network_mask><network_cidr>30</network_cidr></tunnel_inside_address>` : '',
      in6 ? `<tunnel_inside_ipv6_address><ip_address>${in6}</ip_address><prefix_length>128</prefix_length></tunnel_inside_ipv6_address>` : '',
      x.bgp ? `<bgp><asn>${asn}</asn><hold_time>30</hold_time></bgp>` : '',
    ].join('');
  const tunnels = x.tunnels.map((t) =>
    '<ipsec_tunnel>' +
    `<customer_gateway>${side(t.cgw, t.in4?.cgw, t.in6?.cgw, 65000)}</customer_gateway>` +
    `<vpn_gateway>${side(t.aws, t.in4?.aws, t.in6?.aws, 64512)}</vpn_gateway>` +
    `<ike><authentication_protocol>sha1</authentication_protocol><encryption_protocol>aes-128-cbc</encryption_protocol><lifetime>28800</lifetime><perfect_forward_secrecy>group2</perfect_forward_secrecy><mode>main</mode>${t.key ? `<pre_shared_key>${t.key}</pre_shared_key>` : ''}</ike>` +
    '<ipsec><protocol>esp</protocol><lifetime>3600</lifetime><mode>tunnel</mode><tcp_mss_adjustment>1379</tcp_mss_adjustment><dead_peer_detection><interval>10</interval><retries>3</retries></dead_peer_detection></ipsec>' +
    '</ipsec_tunnel>',
  );
  return `${x.decl ? '<?xml version="1.0" encoding="UTF-8"?>\n' : ''}<vpn_connection id="${x.vpnId}"><customer_gateway_id>${x.cgwId}</customer_gateway_id>` +
    `<vpn_gateway_id>${x.vgw ?? ''}</vpn_gateway_id><vpn_connection_type>ipsec.1</vpn_connection_type>` +
    `${x.bgp ? '' : '<vpn_connection_attributes>NoBGPVPNConnection</vpn_connection_attributes>'}${tunnels.join('')}</vpn_connection>`;
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

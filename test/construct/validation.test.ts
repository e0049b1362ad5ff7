/**
 * Synth-time validation: every rule with an invalid case and a boundary-valid case, plus "both unset" cases.
 * Rules are checked through `validateProps` (no synth needed); a few cases go through the construct itself.
 */
import { Lazy, Token } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { SiteToSiteGateway } from '../../lib/construct/gateway-choice';
import { SiteOptions, SiteToSiteVpnProps, TunnelOptions } from '../../lib/construct/props';
import { SiteToSiteVpnValidationError } from '../../lib/construct/validation/problems';
import { validateProps } from '../../lib/construct/validation/validate-props';
import { SiteToSiteVpn } from '../../lib/construct/site-to-site-vpn';
import { newStack, PSK_CANARIES } from './synth';

const VGW = SiteToSiteGateway.virtualPrivateGateway();
const TGW = SiteToSiteGateway.transitGateway('tgw-0123456789abcdef0');

const bgpSite: SiteOptions = { name: 'branch-1', customerGatewayIp: '198.51.100.7', bgpAsn: 65001 };
const staticSite: SiteOptions = { name: 'branch-1', customerGatewayIp: '198.51.100.7', staticRoutes: ['192.168.0.0/24'] };

/** The problems validation reports for these props (empty when valid); rethrows anything else. */
function problemsOf(props: SiteToSiteVpnProps, gateway = props.gateway ?? VGW): readonly string[] {
  try {
    validateProps(props, gateway);
    return [];
  } catch (e) {
    if (e instanceof SiteToSiteVpnValidationError) return e.problems;
    throw e;
  }
}

const withTunnel = (tunnel: TunnelOptions, site: Partial<SiteOptions> = {}): SiteToSiteVpnProps =>
  ({ sites: [{ ...bgpSite, ...site, tunnels: [tunnel] }] });
const withSite = (site: Partial<SiteOptions>, base: SiteOptions = bgpSite): SiteToSiteVpnProps =>
  ({ sites: [{ ...base, ...site }] });
const onTgw = (props: SiteToSiteVpnProps): SiteToSiteVpnProps => ({ ...props, gateway: TGW });

type Case = [title: string, props: SiteToSiteVpnProps, expected: RegExp | 'valid'];

const tunnelCases: Case[] = [
  ['inside CIDR reserved', withTunnel({ tunnelInsideCidr: '169.254.1.0/30' }), /^Site `branch-1`, tunnel 1: `tunnelInsideCidr` 169\.254\.1\.0\/30 is reserved by AWS$/],
  ['inside CIDR 169.254.169.252/30 reserved', withTunnel({ tunnelInsideCidr: '169.254.169.252/30' }), /`tunnelInsideCidr` 169\.254\.169\.252\/30 is reserved/],
  ['inside CIDR first free /30', withTunnel({ tunnelInsideCidr: '169.254.6.0/30' }), 'valid'],
  ['inside CIDR last free /30', withTunnel({ tunnelInsideCidr: '169.254.255.252/30' }), 'valid'],
  ['inside CIDR not /30', withTunnel({ tunnelInsideCidr: '169.254.10.0/29' }), /`tunnelInsideCidr` 169\.254\.10\.0\/29 must be a \/30 inside 169\.254\.0\.0\/16/],
  ['inside CIDR outside link-local', withTunnel({ tunnelInsideCidr: '10.0.0.0/30' }), /`tunnelInsideCidr` 10\.0\.0\.0\/30 must be a \/30 inside/],
  ['inside CIDR host bits', withTunnel({ tunnelInsideCidr: '169.254.10.1/30' }), /`tunnelInsideCidr` 169\.254\.10\.1\/30 has host bits set: write the network address, 169\.254\.10\.0\/30/],
  ['inside CIDR garbage', withTunnel({ tunnelInsideCidr: 'nope' }), /`tunnelInsideCidr` nope is not an IPv4 CIDR/],
  ['IPv6 inside CIDR on a VGW', withTunnel({ tunnelInsideIpv6Cidr: 'fd00::/126' }), /`tunnelInsideIpv6Cidr` fd00::\/126 needs a Transit Gateway/],
  ['IPv6 inside CIDR on TGW without ipv6 tunnels', onTgw(withTunnel({ tunnelInsideIpv6Cidr: 'fd00::/126' }, { tunnelInsideIpVersion: 'ipv4' })), /needs `tunnelInsideIpVersion` ipv6/],
  ['IPv6 inside CIDR /126 in fd00::/8', onTgw(withTunnel({ tunnelInsideIpv6Cidr: 'fdff:ffff::fffc/126' }, { tunnelInsideIpVersion: 'ipv6' })), 'valid'],
  ['IPv6 inside CIDR not /126', onTgw(withTunnel({ tunnelInsideIpv6Cidr: 'fd00::/120' }, { tunnelInsideIpVersion: 'ipv6' })), /must be a \/126 inside fd00::\/8/],
  ['IPv6 inside CIDR outside fd00::/8', onTgw(withTunnel({ tunnelInsideIpv6Cidr: 'fe80::/126' }, { tunnelInsideIpVersion: 'ipv6' })), /`tunnelInsideIpv6Cidr` fe80::\/126 must be a \/126 inside fd00::\/8/],
  ['IPv4 inside CIDR on ipv6 tunnels', onTgw(withTunnel({ tunnelInsideCidr: '169.254.10.0/30' }, { tunnelInsideIpVersion: 'ipv6' })), /`tunnelInsideCidr` 169\.254\.10\.0\/30 applies to ipv4 tunnels/],
  ['phase 1 lifetime below 900', withTunnel({ phase1LifetimeSeconds: 899 }), /`phase1LifetimeSeconds` 899 must be an integer from 900 to 28800/],
  ['phase 1 lifetime above 28800', withTunnel({ phase1LifetimeSeconds: 28801 }), /`phase1LifetimeSeconds` 28801 must be an integer from 900 to 28800/],
  ['phase 1 lifetime 28800', withTunnel({ phase1LifetimeSeconds: 28800 }), 'valid'],
  ['phase 2 lifetime above 3600', withTunnel({ phase2LifetimeSeconds: 3601 }), /`phase2LifetimeSeconds` 3601 must be an integer from 900 to 3600/],
  ['phase 2 lifetime 900, phase 1 901', withTunnel({ phase1LifetimeSeconds: 901, phase2LifetimeSeconds: 900 }), 'valid'],
  ['phase 2 lifetime equal to phase 1', withTunnel({ phase1LifetimeSeconds: 1800, phase2LifetimeSeconds: 1800 }), /`phase2LifetimeSeconds` 1800 must be less than `phase1LifetimeSeconds` 1800/],
  ['phase 2 default not below a short phase 1', withTunnel({ phase1LifetimeSeconds: 3600 }), /`phase2LifetimeSeconds` 3600 \(AWS default\) must be less than `phase1LifetimeSeconds` 3600/],
  ['lifetimes both unset', withTunnel({}), 'valid'],
  ['lifetime not an integer', withTunnel({ phase1LifetimeSeconds: 1000.5 }), /`phase1LifetimeSeconds` 1000\.5 must be an integer/],
  ['rekey margin below 60', withTunnel({ rekeyMarginTimeSeconds: 59 }), /`rekeyMarginTimeSeconds` 59 must be an integer from 60 to 1800/],
  ['rekey margin 60', withTunnel({ rekeyMarginTimeSeconds: 60 }), 'valid'],
  ['rekey margin half of default phase 2', withTunnel({ rekeyMarginTimeSeconds: 1800 }), 'valid'],
  ['rekey margin above half of phase 2', withTunnel({ phase2LifetimeSeconds: 1000, rekeyMarginTimeSeconds: 501 }), /`rekeyMarginTimeSeconds` 501 must be an integer from 60 to 500 \(at most half of `phase2LifetimeSeconds` 1000\)/],
  ['rekey margin exactly half of phase 2', withTunnel({ phase2LifetimeSeconds: 1000, rekeyMarginTimeSeconds: 500 }), 'valid'],
  ['rekey fuzz above 100', withTunnel({ rekeyFuzzPercentage: 101 }), /`rekeyFuzzPercentage` 101 must be an integer from 0 to 100/],
  ['rekey fuzz below 0', withTunnel({ rekeyFuzzPercentage: -1 }), /`rekeyFuzzPercentage` -1 must be/],
  ['rekey fuzz 0 and 100', { sites: [{ ...bgpSite, tunnels: [{ rekeyFuzzPercentage: 0 }, { rekeyFuzzPercentage: 100 }] }] }, 'valid'],
  ['replay window below 64', withTunnel({ replayWindowSize: 63 }), /`replayWindowSize` 63 must be an integer from 64 to 2048/],
  ['replay window above 2048', withTunnel({ replayWindowSize: 2049 }), /`replayWindowSize` 2049 must be/],
  ['replay window 64 and 2048', { sites: [{ ...bgpSite, tunnels: [{ replayWindowSize: 64 }, { replayWindowSize: 2048 }] }] }, 'valid'],
  ['DPD timeout below 30', withTunnel({ dpdTimeoutSeconds: 29 }), /`dpdTimeoutSeconds` 29 must be an integer from 30/],
  ['DPD timeout 30', withTunnel({ dpdTimeoutSeconds: 30 }), 'valid'],
  ['DPD action unknown', withTunnel({ dpdTimeoutAction: 'explode' as never }), /`dpdTimeoutAction` explode is not one of clear, none, restart/],
  ['startup action unknown', withTunnel({ startupAction: 'go' as never }), /`startupAction` go is not one of add, start/],
  ['start with IKE versions unset', withTunnel({ startupAction: 'start' }), /`startupAction` start needs `ikeVersions` to be only ikev2, but it is unset \(ikev1 and ikev2\)/],
  ['start with ikev1 allowed', withTunnel({ startupAction: 'start', ikeVersions: ['ikev1', 'ikev2'] }), /but it is ikev1, ikev2/],
  ['start with ikev2 alone', withTunnel({ startupAction: 'start', ikeVersions: ['ikev2'] }), 'valid'],
  ['add with ikev1', withTunnel({ startupAction: 'add', ikeVersions: ['ikev1'] }), 'valid'],
  ['unknown IKE version', withTunnel({ ikeVersions: ['ikev3' as never] }), /`ikeVersions` ikev3 not allowed: use ikev1, ikev2/],
  ['empty algorithm list', withTunnel({ phase1EncryptionAlgorithms: [] }), /`phase1EncryptionAlgorithms` is empty/],
  ['repeated algorithm', withTunnel({ phase2IntegrityAlgorithms: ['SHA1', 'SHA1'] }), /`phase2IntegrityAlgorithms` lists SHA1 more than once/],
  ['unknown encryption', withTunnel({ phase2EncryptionAlgorithms: ['3DES' as never] }), /`phase2EncryptionAlgorithms` 3DES not allowed/],
  ['DH group 5 in phase 1', withTunnel({ phase1DhGroupNumbers: [5 as never] }), /`phase1DhGroupNumbers` 5 not allowed/],
  ['DH group 5 in phase 2', withTunnel({ phase2DhGroupNumbers: [5] }), 'valid'],
  ['every algorithm', withTunnel({
    ikeVersions: ['ikev1', 'ikev2'],
    phase1EncryptionAlgorithms: ['AES128', 'AES256', 'AES128-GCM-16', 'AES256-GCM-16'],
    phase1IntegrityAlgorithms: ['SHA1', 'SHA2-256', 'SHA2-384', 'SHA2-512'],
    phase1DhGroupNumbers: [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
    phase2DhGroupNumbers: [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
  }), 'valid'],
  ['PSK field without secret', withTunnel({ preSharedKeySecretField: 'psk' }), /`preSharedKeySecretField` \(a string of 3 characters\) is set without `preSharedKeySecret`/],
  ['PSK field empty', withTunnel({ preSharedKeySecretField: '' }), /`preSharedKeySecretField` must be the name of a JSON field of the secret, but it is a string of 0 characters/],
  ['key pasted as the secret', withTunnel({ preSharedKeySecret: 'CanaryKey1234567890abcdef' as never }), /`preSharedKeySecret` must be a Secrets Manager secret .* but it is a string of 25 characters; never put the key itself in the app/],
  ['key pasted as the field', withTunnel({ preSharedKeySecretField: 'CanaryKey1234567890abcdef' }), /`preSharedKeySecretField` \(a string of 25 characters\) is set without/],
  ['BGP logs on a static site', { sites: [{ ...staticSite, tunnels: [{ logging: { bgpLogs: true } }] }] }, /`logging\.bgpLogs` true needs a BGP site/],
  ['log format unknown', withTunnel({ logging: { outputFormat: 'xml' as never } }), /`logging\.outputFormat` xml is not one of json, text/],
];

const siteCases: Case[] = [
  ['neither BGP nor static (both unset)', { sites: [{ name: 'branch-1', customerGatewayIp: '198.51.100.7' }] }, /^Site `branch-1`: neither `bgpAsn` \(BGP\) nor `staticRoutes` \(static routing\) is set/],
  ['both BGP and static', withSite({ staticRoutes: ['10.1.0.0/16'] }), /`bgpAsn` and `staticRoutes` are both set/],
  ['static routes only', withSite({}, staticSite), 'valid'],
  ['static routes empty on VGW', withSite({ staticRoutes: [] }, staticSite), /`staticRoutes` is empty/],
  ['static route not a CIDR', withSite({ staticRoutes: ['192.168.0.0'] }, staticSite), /`staticRoutes\[0\]` 192\.168\.0\.0 is not an IPv4 CIDR/],
  ['static route host bits', withSite({ staticRoutes: ['192.168.0.1/24'] }, staticSite), /`staticRoutes\[0\]` 192\.168\.0\.1\/24 has host bits set/],
  ['static route repeated', withSite({ staticRoutes: ['10.0.0.0/8', '10.0.0.0/8'] }, staticSite), /`staticRoutes\[1\]` 10\.0\.0\.0\/8 is listed more than once/],
  ['static routes on TGW', onTgw(withSite({}, staticSite)), /`staticRoutes` 192\.168\.0\.0\/24 cannot be set on a Transit Gateway connection/],
  ['empty static routes on TGW', onTgw(withSite({ staticRoutes: [] }, staticSite)), 'valid'],
  ['customer ASN 0', withSite({ bgpAsn: 0 }), /`bgpAsn` 0 must be an integer from 1 to 4294967294/],
  ['customer ASN 1', withSite({ bgpAsn: 1 }), 'valid'],
  ['customer ASN 2^31-1 (largest BgpAsn)', withSite({ bgpAsn: 2147483647 }), 'valid'],
  ['customer ASN 2^31 (BgpAsnExtended)', withSite({ bgpAsn: 2147483648 }), 'valid'],
  ['customer ASN just below the private 4-byte range', withSite({ bgpAsn: 4199999999 }), 'valid'],
  ['customer ASN in the private 4-byte range', withSite({ bgpAsn: 4200000000 }), /`bgpAsn` 4200000000 is in the private 4-byte range 4200000000-4294967294, which AWS does not support/],
  ['customer ASN above 4-byte space', withSite({ bgpAsn: 4294967295 }), /`bgpAsn` 4294967295 must be an integer from 1 to 4294967294/],
  ['customer ASN equals Amazon ASN', withSite({ bgpAsn: 64512 }), /`bgpAsn` 64512 equals the Amazon side ASN/],
  ['customer ASN equals given TGW ASN', { ...withSite({ bgpAsn: 64600 }), gateway: SiteToSiteGateway.transitGateway('tgw-0123456789abcdef0', { amazonSideAsn: 64600 }) }, /`bgpAsn` 64600 equals the Amazon side ASN/],
  ['customer and Amazon ASN both unset (static site, TGW ASN not given)', onTgw(withSite({ staticRoutes: [] }, staticSite)), 'valid'],
  ['customer ASN with TGW ASN unset', onTgw(withSite({ bgpAsn: 64512 })), 'valid'],
  ['customer gateway IP not IPv4', withSite({ customerGatewayIp: '2001:db8::1' }), /`customerGatewayIp` 2001:db8::1 is not an IPv4 address/],
  ['customer gateway IP malformed', withSite({ customerGatewayIp: '198.51.100.256' }), /`customerGatewayIp` 198\.51\.100\.256 is not an IPv4 address/],
  ['site name with a slash', withSite({ name: 'a/b' }), /`name` a\/b must be 1 to 63 letters/],
  ['outside type unknown', withSite({ outsideIpAddressType: 'Ipv9' as never }), /`outsideIpAddressType` Ipv9 is not one of PublicIpv4, PrivateIpv4/],
  ['PrivateIpv4 on VGW', withSite({ outsideIpAddressType: 'PrivateIpv4', transportTransitGatewayAttachmentId: 'tgw-attach-0123' }), /`outsideIpAddressType` PrivateIpv4 needs a Transit Gateway/],
  ['PrivateIpv4 without attachment', onTgw(withSite({ outsideIpAddressType: 'PrivateIpv4', customerGatewayIp: '10.1.1.1' })), /`outsideIpAddressType` PrivateIpv4 needs `transportTransitGatewayAttachmentId`/],
  ['PrivateIpv4 with attachment on TGW', onTgw(withSite({ outsideIpAddressType: 'PrivateIpv4', customerGatewayIp: '10.1.1.1', transportTransitGatewayAttachmentId: 'tgw-attach-0123' })), 'valid'],
  ['attachment without PrivateIpv4', onTgw(withSite({ transportTransitGatewayAttachmentId: 'tgw-attach-0123' })), /`transportTransitGatewayAttachmentId` tgw-attach-0123 applies only with `outsideIpAddressType` PrivateIpv4/],
  ['acceleration on VGW', withSite({ enableAcceleration: true }), /`enableAcceleration` true needs a Transit Gateway/],
  ['acceleration false on VGW', withSite({ enableAcceleration: false }), 'valid'],
  ['acceleration on TGW', onTgw(withSite({ enableAcceleration: true })), 'valid'],
  ['large bandwidth on VGW', withSite({ tunnelBandwidth: 'large' }), /`tunnelBandwidth` large needs a Transit Gateway/],
  ['large bandwidth with acceleration', onTgw(withSite({ tunnelBandwidth: 'large', enableAcceleration: true })), /`tunnelBandwidth` large cannot be combined with `enableAcceleration` true/],
  ['large bandwidth on TGW', onTgw(withSite({ tunnelBandwidth: 'large' })), 'valid'],
  ['standard bandwidth on VGW', withSite({ tunnelBandwidth: 'standard' }), 'valid'],
  ['ipv6 tunnels on VGW', withSite({ tunnelInsideIpVersion: 'ipv6' }), /`tunnelInsideIpVersion` ipv6 needs a Transit Gateway/],
  ['ipv6 network CIDRs on ipv6 TGW tunnels', onTgw(withSite({ tunnelInsideIpVersion: 'ipv6', localIpv6NetworkCidr: '2001:db8:1::/48', remoteIpv6NetworkCidr: '::/0' })), 'valid'],
  ['ipv6 network CIDR on ipv4 tunnels', withSite({ localIpv6NetworkCidr: '2001:db8::/32' }), /`localIpv6NetworkCidr` 2001:db8::\/32 needs `tunnelInsideIpVersion` ipv6, but it is ipv4/],
  ['ipv4 network CIDRs', withSite({ localIpv4NetworkCidr: '192.168.0.0/16', remoteIpv4NetworkCidr: '10.0.0.0/16' }), 'valid'],
  ['ipv4 network CIDR malformed', withSite({ remoteIpv4NetworkCidr: '10.0.0.0/33' }), /`remoteIpv4NetworkCidr` 10\.0\.0\.0\/33 is not an IPv4 CIDR/],
  ['PSK storage unknown', withSite({ preSharedKeyStorage: 'Vault' as never }), /`preSharedKeyStorage` \(a string of 5 characters\) is not one of Standard, SecretsManager/],
  ['key pasted as the PSK storage', withSite({ preSharedKeyStorage: 'CanaryKey1234567890abcdef' as never }), /`preSharedKeyStorage` \(a string of 25 characters\) is not one of/],
  ['certificate ARN not ACM', withSite({ certificateArn: 'arn:aws:iam::123456789012:role/x' }), /`certificateArn` arn:aws:iam::123456789012:role\/x is not an ACM certificate ARN/],
  ['certificate ARN from ACM', withSite({ certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' }), 'valid'],
  ['three tunnel option sets', withSite({ tunnels: [{}, {}, {}] }), /`tunnels` has 3 option sets; a VPN connection has at most 2 tunnels/],
  ['two tunnel option sets', withSite({ tunnels: [{}, {}] }), 'valid'],
  ['three tunnel outside IPs', withSite({ tunnelOutsideIpAddresses: ['192.0.2.1', '192.0.2.2', '192.0.2.3'] }), /`tunnelOutsideIpAddresses` has 3 addresses/],
  ['tunnel outside IP malformed', withSite({ tunnelOutsideIpAddresses: ['192.0.2.300'] }), /`tunnelOutsideIpAddresses` 192\.0\.2\.300 is not an IPv4 address/],
];

const gatewayCases: Case[] = [
  ['Amazon ASN below range', { ...withSite({ bgpAsn: 65001 }), gateway: SiteToSiteGateway.virtualPrivateGateway({ amazonSideAsn: 64511 }) }, /^SiteToSiteVpn: `gateway\.amazonSideAsn` 64511 must be in 64512-65534 or 4200000000-4294967294$/],
  ['Amazon ASN 65534', { ...withSite({ bgpAsn: 65001 }), gateway: SiteToSiteGateway.virtualPrivateGateway({ amazonSideAsn: 65534 }) }, 'valid'],
  ['Amazon ASN 65535', { ...withSite({ bgpAsn: 65001 }), gateway: SiteToSiteGateway.virtualPrivateGateway({ amazonSideAsn: 65535 }) }, /`gateway\.amazonSideAsn` 65535 must be in/],
  ['Amazon ASN 4200000000', { ...withSite({ bgpAsn: 65001 }), gateway: SiteToSiteGateway.virtualPrivateGateway({ amazonSideAsn: 4200000000 }) }, 'valid'],
  ['Amazon ASN 4294967295', { ...withSite({ bgpAsn: 65001 }), gateway: SiteToSiteGateway.virtualPrivateGateway({ amazonSideAsn: 4294967295 }) }, /`gateway\.amazonSideAsn` 4294967295 must be in/],
  ['Transit Gateway id malformed', { ...withSite({}), gateway: SiteToSiteGateway.transitGateway('vgw-123') }, /`gateway\.transitGatewayId` vgw-123 is not a Transit Gateway id/],
  ['no sites', { sites: [] }, /`sites` is empty/],
  ['duplicate site names', { sites: [bgpSite, { ...bgpSite, customerGatewayIp: '198.51.100.8', bgpAsn: 65002 }] }, /^Site `branch-1`: `name` is used by sites\[0\] and sites\[1\]: site names must be unique$/],
  ['duplicate inside CIDR across sites', {
    sites: [
      { ...bgpSite, tunnels: [{}, { tunnelInsideCidr: '169.254.20.0/30' }] },
      { ...bgpSite, name: 'branch-2', customerGatewayIp: '198.51.100.8', tunnels: [{ tunnelInsideCidr: '169.254.20.0/30' }] },
    ],
  }, /^Site `branch-2`, tunnel 1: `tunnelInsideCidr` 169\.254\.20\.0\/30 is already used by site `branch-1`, tunnel 2: inside CIDRs must be unique on the gateway$/],
  ['duplicate inside CIDR within a connection', withTunnelPair('169.254.30.0/30', '169.254.30.0/30'), /tunnel 2: `tunnelInsideCidr` 169\.254\.30\.0\/30 is already used by site `branch-1`, tunnel 1/],
  ['distinct inside CIDRs', withTunnelPair('169.254.30.0/30', '169.254.30.4/30'), 'valid'],
  ['inside CIDRs unset on every tunnel (both unset)', {
    sites: [{ ...bgpSite, tunnels: [{}, {}] }, { ...bgpSite, name: 'branch-2', customerGatewayIp: '198.51.100.8', tunnels: [{}, {}] }],
  }, 'valid'],
  ['same customer gateway IP and ASN on two sites', { sites: [bgpSite, { ...bgpSite, name: 'branch-2' }] },
    /^Site `branch-2`: `customerGatewayIp` 198\.51\.100\.7 with BGP ASN 65001 is also site `branch-1`'s customer gateway: .*distinct `deviceName`$/],
  ['same IP, ASNs both unset (static sites)', { sites: [staticSite, { ...staticSite, name: 'branch-2' }] }, /`customerGatewayIp` 198\.51\.100\.7 with BGP ASN 65000 is also site `branch-1`'s/],
  ['same IP and ASN, distinct device names', { sites: [{ ...bgpSite, deviceName: 'a' }, { ...bgpSite, name: 'branch-2', deviceName: 'b' }] }, 'valid'],
  ['same IP, different ASNs', { sites: [bgpSite, { ...bgpSite, name: 'branch-2', bgpAsn: 65002 }] }, 'valid'],
  ['vpcCidr malformed', { ...withSite({}), vpcCidr: '10.0.0.0/40' }, /`vpcCidr` 10\.0\.0\.0\/40 is not an IPv4 CIDR/],
  ['vpcCidr with a Transit Gateway', { ...onTgw(withSite({})), vpcCidr: '10.0.0.0/16' }, /`vpcCidr` 10\.0\.0\.0\/16 applies only to a new VPC/],
];

function withTunnelPair(first: string, second: string): SiteToSiteVpnProps {
  return { sites: [{ ...bgpSite, tunnels: [{ tunnelInsideCidr: first }, { tunnelInsideCidr: second }] }] };
}

describe.each([
  ['tunnel', tunnelCases],
  ['site', siteCases],
  ['gateway', gatewayCases],
])('%s rules', (_group, cases) => {
  test.each(cases)('%s', (_title, props, expected) => {
    const problems = problemsOf(props);
    if (expected === 'valid') {
      expect(problems).toEqual([]);
    } else {
      expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
    }
    // A key pasted into a key field is described by type and length, never echoed.
    for (const canary of PSK_CANARIES) expect(problems.join('\n')).not.toContain(canary);
  });
});

describe('the construct', () => {
  test('throws once listing every problem, each with site, tunnel, prop and value', () => {
    const build = () => new SiteToSiteVpn(newStack(), 'Vpn', {
      sites: [
        { name: 'branch-1', customerGatewayIp: '198.51.100.7', bgpAsn: 64512, tunnels: [{}, { tunnelInsideCidr: '169.254.1.0/30' }] },
        { name: 'branch-2', customerGatewayIp: 'not-an-ip', staticRoutes: ['10.9.0.0/16'], tunnels: [{ replayWindowSize: 10 }] },
      ],
    });
    let error: unknown;
    try {
      build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SiteToSiteVpnValidationError);
    expect((error as SiteToSiteVpnValidationError).problems).toEqual([
      'Site `branch-1`: `bgpAsn` 64512 equals the Amazon side ASN: the two BGP peers need different ASNs',
      'Site `branch-1`, tunnel 2: `tunnelInsideCidr` 169.254.1.0/30 is reserved by AWS',
      'Site `branch-2`: `customerGatewayIp` not-an-ip is not an IPv4 address',
      'Site `branch-2`, tunnel 1: `replayWindowSize` 10 must be an integer from 64 to 2048',
    ]);
    expect((error as Error).message).toMatch(/^Invalid SiteToSiteVpn configuration \(4 problems\):\n {2}- Site `branch-1`/);
  });

  test('skips rules for unresolved tokens', () => {
    const stack = newStack();
    const ip = Lazy.string({ produce: () => '198.51.100.9' });
    const asn = Token.asNumber(Lazy.number({ produce: () => 65001 }));
    const cidr = Lazy.string({ produce: () => '169.254.1.0/30' });
    expect(Token.isUnresolved(ip)).toBe(true);
    expect(() => new SiteToSiteVpn(stack, 'Vpn', {
      sites: [{ name: 'tokens', customerGatewayIp: ip, bgpAsn: asn, tunnels: [{ tunnelInsideCidr: cidr, phase1LifetimeSeconds: asn }] }],
    })).not.toThrow();
  });

  test('warns (not fails) when a PublicIpv4 customer gateway has a private address', () => {
    const stack = newStack();
    new SiteToSiteVpn(stack, 'Vpn', { sites: [{ name: 'behind-nat', customerGatewayIp: '10.1.2.3', bgpAsn: 65001 }] });
    Annotations.fromStack(stack).hasWarning('/TestStack/Vpn',
      Match.stringLikeRegexp('Site `behind-nat`: `customerGatewayIp` 10\\.1\\.2\\.3 is not internet-routable, but `outsideIpAddressType` is PublicIpv4'));
  });

  test('no warning for a public customer gateway address', () => {
    const stack = newStack();
    new SiteToSiteVpn(stack, 'Vpn', { sites: [{ name: 'public', customerGatewayIp: '203.0.113.4', bgpAsn: 65001 }] });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('customerGatewayIp'));
  });

  test('rejects a vpc together with a Transit Gateway', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Other');
    expect(() => new SiteToSiteVpn(stack, 'Vpn', { vpc, gateway: TGW, sites: [bgpSite] }))
      .toThrow(/`vpc` applies only to a virtual private gateway/);
  });
});

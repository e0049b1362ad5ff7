/** Every way DescribeVpnConnections input can be wrong gets an EndpointConfigError naming the field and value. */
import type { TunnelOption, VpnConnection } from '@aws-sdk/client-ec2';
import { endpointConfigFromDescribe, EndpointConfigError } from '../../lib/endpoint';
import { CANARY, plantInDescribe, refused } from '../helpers/bad-input';
import { loadConnection, presharedKeysIn } from './fixtures';

type Mutation = (c: VpnConnection) => unknown;

const BASE = 'vgw-bgp-multi-algorithm';

function xml(c: VpnConnection, edit: (x: string) => string): void {
  c.CustomerGatewayConfiguration = edit(c.CustomerGatewayConfiguration as string);
}

function options(c: VpnConnection, i: number): TunnelOption {
  return (c.Options?.TunnelOptions as TunnelOption[])[i];
}

/** [what is wrong, mutation of the base fixture, the message must match] */
const CASES: [string, Mutation, RegExp][] = [
  ['VpnConnectionId missing', (c) => delete c.VpnConnectionId, /^VpnConnectionId: is missing or empty/],
  ['VpnConnectionId that would break out of a comment', (c) => (c.VpnConnectionId = 'vpn-1\nsecrets { }'),
    /^VpnConnectionId: "vpn-1\\nsecrets \{ \}" is not a vpn-\.\.\. resource id/],
  ['CustomerGatewayId of another kind', (c) => (c.CustomerGatewayId = 'vgw-0123'), /^CustomerGatewayId: "vgw-0123" is not a cgw-\.\.\. resource id/],
  ['TransitGatewayId malformed', (c) => {
    delete c.VpnGatewayId;
    xml(c, (x) => x.replace(/<vpn_gateway_id>[^<]*<\/vpn_gateway_id>/, '<vpn_gateway_id></vpn_gateway_id>'));
    c.TransitGatewayId = 'tgw 0123';
  }, /^TransitGatewayId: "tgw 0123" is not a tgw-\.\.\. resource id/],
  ['state pending, no XML yet', (c) => {
    c.State = 'pending';
    delete c.CustomerGatewayConfiguration;
  }, /^State: "pending": describe vpn-0a1b2c3d4e5f60718 again once it is available/],
  ['state pending, XML but no tunnel options yet', (c) => {
    c.State = 'pending';
    c.Options!.TunnelOptions = [];
  }, /^State: "pending"/],
  ['state deleted', (c) => (c.State = 'deleted'), /^State: "deleted": connection vpn-0a1b2c3d4e5f60718 is being or has been deleted/],
  ['XML missing on an available connection', (c) => delete c.CustomerGatewayConfiguration, /^CustomerGatewayConfiguration: is missing$/],
  ['XML not well-formed', (c) => xml(c, (x) => x.replace('</customer_gateway>', '')), /^CustomerGatewayConfiguration: is not well-formed XML \(line \d+: .+\)/],
  ['XML truncated inside the first pre_shared_key: names the unclosed element, never its text', (c) => xml(c, (x) => x.slice(0, x.indexOf('<pre_shared_key>') + '<pre_shared_key>'.length + 5)),
    /^CustomerGatewayConfiguration: ends before <pre_shared_key> \(in vpn_connection\/ipsec_tunnel\/ike\) is closed: the XML is truncated \(copy all of it\)$/],
  ['XML with another root', (c) => (c.CustomerGatewayConfiguration = '<vpn><x/></vpn>'), /^CustomerGatewayConfiguration vpn_connection: the root element is missing/],
  ['XML without ipsec_tunnel', (c) => xml(c, (x) => x.replace(/<ipsec_tunnel>[\s\S]*<\/ipsec_tunnel>/, '')), /^CustomerGatewayConfiguration vpn_connection\/ipsec_tunnel: no ipsec_tunnel element/],
  ['AWS tunnel_outside_address missing in tunnel 2', (c) => xml(c, (x) => x.replace(
    /(<vpn_gateway>\s*)<tunnel_outside_address>\s*<ip_address>192\.0\.2\.145<\/ip_address>\s*<\/tunnel_outside_address>/, '$1')),
    /^CustomerGatewayConfiguration vpn_connection\/ipsec_tunnel\[2\]\/vpn_gateway\/tunnel_outside_address: element is missing/],
  ['tunnel_outside_address without ip_address', (c) => xml(c, (x) => x.replace(
    '<tunnel_outside_address>\n        <ip_address>198.51.100.10</ip_address>\n      </tunnel_outside_address>', '<tunnel_outside_address>198.51.100.10</tunnel_outside_address>')),
    /^CustomerGatewayConfiguration vpn_connection\/ipsec_tunnel\[1\]\/customer_gateway\/tunnel_outside_address: expected child elements, found "198.51.100.10"/],
  ['customer gateway outside address not an IP', (c) => xml(c, (x) => x.replace('<ip_address>198.51.100.10</ip_address>', '<ip_address>198.51.100.300</ip_address>')),
    /^CustomerGatewayConfiguration vpn_connection\/ipsec_tunnel\[1\]\/customer_gateway\/tunnel_outside_address\/ip_address: "198.51.100.300" is not an IP address/],
  ['network_cidr not a number', (c) => xml(c, (x) => x.replace('<network_cidr>30</network_cidr>', '<network_cidr>thirty</network_cidr>')),
    /^CustomerGatewayConfiguration vpn_connection\/ipsec_tunnel\[1\]\/customer_gateway\/tunnel_inside_address\/network_cidr: expected a whole number, found "thirty"/],
  ['inside address not IPv4', (c) => xml(c, (x) => x.replace('<ip_address>169.254.15.194</ip_address>', '<ip_address>fd00::2</ip_address>')),
    /^CustomerGatewayConfiguration vpn_connection\/ipsec_tunnel\[1\]\/customer_gateway\/tunnel_inside_address: "fd00::2\/30" is not an IPv4 address/],
  ['no inside address at all', (c) => xml(c, (x) => x.replace(/<tunnel_inside_address>\s*<ip_address>169\.254\.15\.193[\s\S]*?<\/tunnel_inside_address>/, '')),
    /^CustomerGatewayConfiguration vpn_connection\/ipsec_tunnel\[1\]\/vpn_gateway\/tunnel_inside_address: is missing, and so is tunnel_inside_ipv6_address/],
  ['BGP connection without bgp element', (c) => xml(c, (x) => x.replace(/<bgp>\s*<asn>64512<\/asn>\s*<hold_time>30<\/hold_time>\s*<\/bgp>/, '')),
    /^CustomerGatewayConfiguration vpn_connection\/ipsec_tunnel\[1\]\/vpn_gateway\/bgp: is missing, but the connection uses BGP routing/],
  ['BGP ASN not a number', (c) => xml(c, (x) => x.replace('<asn>65010</asn>', '<asn>AS65010</asn>')),
    /ipsec_tunnel\[1\]\/customer_gateway\/bgp\/asn: expected a whole number, found "AS65010"/],
  ['unknown phase 1 encryption', (c) => (options(c, 0).Phase1EncryptionAlgorithms = [{ Value: 'AES256' }, { Value: 'AES192' }]),
    /^Options\.TunnelOptions\[0\]\.Phase1EncryptionAlgorithms\[1\]\.Value: unknown algorithm "AES192"; AWS allows AES128, AES256, AES128-GCM-16, AES256-GCM-16/],
  ['unknown phase 2 integrity', (c) => (options(c, 1).Phase2IntegrityAlgorithms = [{ Value: 'MD5' }]),
    /^Options\.TunnelOptions\[1\]\.Phase2IntegrityAlgorithms\[0\]\.Value: unknown algorithm "MD5"/],
  ['DH group 5 in phase 1 (only phase 2 allows it)', (c) => (options(c, 0).Phase1DHGroupNumbers = [{ Value: 5 }]),
    /^Options\.TunnelOptions\[0\]\.Phase1DHGroupNumbers\[0\]\.Value: unsupported Diffie-Hellman group 5; AWS allows 2, 14,/],
  ['list item without Value', (c) => (options(c, 0).Phase2DHGroupNumbers = [{}]), /^Options\.TunnelOptions\[0\]\.Phase2DHGroupNumbers\[0\]\.Value: is missing/],
  ['unknown IKE version', (c) => (options(c, 0).IkeVersions = [{ Value: 'ikev3' }]),
    /^Options\.TunnelOptions\[0\]\.IkeVersions\[0\]\.Value: unknown IKE version "ikev3"; AWS allows ikev1, ikev2/],
  ['phase 2 lifetime out of range', (c) => (options(c, 0).Phase2LifetimeSeconds = 7200),
    /^Options\.TunnelOptions\[0\]\.Phase2LifetimeSeconds: 7200 is not a whole number from 900 to 3600/],
  ['rekey margin above half of phase 2', (c) => (options(c, 0).RekeyMarginTimeSeconds = 901),
    /^Options\.TunnelOptions\[0\]\.RekeyMarginTimeSeconds: 901 is not a whole number from 60 to 900/],
  ['replay window not a number', (c) => ((options(c, 0) as Record<string, unknown>).ReplayWindowSize = '1024'),
    /^Options\.TunnelOptions\[0\]\.ReplayWindowSize: "1024" is not a whole number from 64 to 2048/],
  ['unknown DPD action', (c) => (options(c, 1).DpdTimeoutAction = 'explode'),
    /^Options\.TunnelOptions\[1\]\.DpdTimeoutAction: unknown value "explode"; AWS allows clear, none, restart/],
  ['unknown startup action', (c) => (options(c, 0).StartupAction = 'maybe'), /^Options\.TunnelOptions\[0\]\.StartupAction: unknown value "maybe"/],
  // Keyed by index instead of a list, keys and all: named by kind only, since quoting it would show them.
  ['tunnel options not a list', (c) => ((c.Options as Record<string, unknown>).TunnelOptions = { ...c.Options!.TunnelOptions }),
    /^Options\.TunnelOptions: expected a list, found an object$/],
  ['tunnel options entry without OutsideIpAddress', (c) => delete options(c, 1).OutsideIpAddress, /^Options\.TunnelOptions\[1\]\.OutsideIpAddress: is missing/],
  ['tunnel options address not an IP', (c) => (options(c, 1).OutsideIpAddress = 'vpn.example'), /^Options\.TunnelOptions\[1\]\.OutsideIpAddress: "vpn.example" is not an IP address/],
  ['no tunnel options entry for an XML tunnel', (c) => (options(c, 1).OutsideIpAddress = '192.0.2.99'),
    /^Options\.TunnelOptions: no unused entry has OutsideIpAddress 192\.0\.2\.145 \(the AWS outside address of CustomerGatewayConfiguration vpn_connection\/ipsec_tunnel\[2\]\); entries have: 192\.0\.2\.17, 192\.0\.2\.99/],
  ['an extra tunnel options entry', (c) => c.Options!.TunnelOptions!.push({ ...options(c, 0), OutsideIpAddress: '192.0.2.200' }),
    /^Options\.TunnelOptions\[2\]: OutsideIpAddress 192\.0\.2\.200 matches no ipsec_tunnel/],
  ['three ipsec_tunnel elements', (c) => xml(c, (x) => x.replace(/(<ipsec_tunnel>[\s\S]*?<\/ipsec_tunnel>)/, '$1\n$1')),
    /^CustomerGatewayConfiguration vpn_connection\/ipsec_tunnel: 3 tunnels; a connection has at most 2/],
  ['XML for another customer gateway', (c) => xml(c, (x) => x.replace('cgw-0f1e2d3c4b5a69788', 'cgw-0000000000000000a')),
    /^CustomerGatewayConfiguration vpn_connection\/customer_gateway_id: "cgw-0000000000000000a" differs from CustomerGatewayId "cgw-0f1e2d3c4b5a69788"/],
  ['XML for another connection', (c) => xml(c, (x) => x.replace('<vpn_connection id="vpn-0a1b2c3d4e5f60718">', '<vpn_connection id="vpn-0bad">')),
    /^CustomerGatewayConfiguration vpn_connection@id: "vpn-0bad" differs from VpnConnectionId "vpn-0a1b2c3d4e5f60718"/],
  ['both a VGW and a TGW', (c) => (c.TransitGatewayId = 'tgw-0123456789abcdef0'),
    /^VpnGatewayId: VpnGatewayId and TransitGatewayId are set; a connection has one gateway/],
  ['no gateway at all', (c) => {
    delete c.VpnGatewayId;
    xml(c, (x) => x.replace(/<vpn_gateway_id>[^<]*<\/vpn_gateway_id>/, '<vpn_gateway_id></vpn_gateway_id>'));
  }, /^VpnGatewayId: is missing, and so are TransitGatewayId and CoreNetworkArn/],
  ['Cloud WAN core network that is not an ARN', (c) => {
    delete c.VpnGatewayId;
    xml(c, (x) => x.replace(/<vpn_gateway_id>[^<]*<\/vpn_gateway_id>/, '<vpn_gateway_id></vpn_gateway_id>'));
    c.CoreNetworkArn = 'core-network-0abc';
  }, /^CoreNetworkArn: "core-network-0abc" is not an ARN/],
  ['no pre-shared key anywhere', (c) => {
    delete options(c, 0).PreSharedKey;
    xml(c, (x) => x.replace(/<pre_shared_key>[^<]*<\/pre_shared_key>/, ''));
  }, /^Options\.TunnelOptions\[0\]\.PreSharedKey: is missing, and so are PreSharedKeyArn, .+pre_shared_key and a VgwTelemetry CertificateArn for 192\.0\.2\.17: the response says neither which key nor which certificate/],
  ['a pre-shared key that breaks AWS rules', (c) => (options(c, 1).PreSharedKey = '0leadingZeroKeyIsNotAllowed'),
    /^Options\.TunnelOptions\[1\]\.PreSharedKey: the pre-shared key must not start with the digit 0$/],
  ['an XML pre-shared key that breaks AWS rules', (c) => {
    delete options(c, 0).PreSharedKey;
    xml(c, (x) => x.replace(/<pre_shared_key>[^<]*<\/pre_shared_key>/, '<pre_shared_key>short</pre_shared_key>'));
  }, /^CustomerGatewayConfiguration vpn_connection\/ipsec_tunnel\[1\]\/ike\/pre_shared_key: the pre-shared key must be 8 to 64 characters long \(it has 5\)$/],
  ['PreSharedKeyArn that is not an ARN', (c) => {
    delete options(c, 0).PreSharedKey;
    c.PreSharedKeyArn = 'my-secret';
  }, /^PreSharedKeyArn: a string of 9 characters is not an ARN$/],
  ['PreSharedKeyArn with a line break', (c) => {
    delete options(c, 0).PreSharedKey;
    c.PreSharedKeyArn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:x\ninclude /etc/passwd';
  }, /^PreSharedKeyArn: a string of 74 characters is not an ARN$/],
  ['a key pasted into PreSharedKeyArn: its type and length only', (c) => {
    delete options(c, 0).PreSharedKey;
    c.PreSharedKeyArn = CANARY;
  }, /^PreSharedKeyArn: a string of 25 characters is not an ARN$/],
  ['a key pasted into a tunnel\'s PreSharedKeyArn', (c) => {
    delete options(c, 1).PreSharedKey;
    (options(c, 1) as TunnelOption & { PreSharedKeyArn?: string }).PreSharedKeyArn = CANARY;
  }, /^Options\.TunnelOptions\[1\]\.PreSharedKeyArn: a string of 25 characters is not an ARN$/],
  ['a static route that is not a CIDR', (c) => {
    c.Options!.StaticRoutesOnly = true;
    c.Routes = [{ DestinationCidrBlock: '10.0.0.0/33', State: 'available' }];
  }, /^Routes\[0\]\.DestinationCidrBlock: "10.0.0.0\/33" is not a CIDR/],
  ['tunnel options inside CIDR that does not hold the XML address', (c) => (options(c, 0).TunnelInsideCidr = '169.254.99.0/30'),
    /^Options\.TunnelOptions\[0\]\.TunnelInsideCidr: 169\.254\.99\.0\/30 does not contain 169\.254\.15\.193\/30/],
];

describe('malformed DescribeVpnConnections input', () => {
  const keys = presharedKeysIn(BASE);

  // Every case starts from the fixture with a secret canary in each key field (PreSharedKey, <pre_shared_key>).
  test.each(CASES)('%s', async (_title, mutate, message) => {
    const c = plantInDescribe(loadConnection(BASE), { addMissing: false });
    mutate(c);
    const error = await refused(() => endpointConfigFromDescribe(c));
    expect(error).toBeInstanceOf(EndpointConfigError);
    expect((error as Error).message).toMatch(message);
    for (const key of [...keys, '0leadingZeroKeyIsNotAllowed']) expect((error as Error).message).not.toContain(key);
  });

  test('a non-object', () => {
    expect(() => endpointConfigFromDescribe(null as unknown as VpnConnection)).toThrow(/^VpnConnection: expected an object, found null/);
    expect(() => endpointConfigFromDescribe([] as unknown as VpnConnection)).toThrow(EndpointConfigError);
  });

  test('what a resolver returns is checked too', () => {
    const c = loadConnection(BASE);
    expect(() => endpointConfigFromDescribe(c, { preSharedKeyReference: () => ({ secretArn: 'not an arn' }) })).toThrow(
      /^tunnels\[0\]\.preSharedKey\.secretArn: a string of 10 characters is not an ARN/,
    );
  });

  test('the error names its field', () => {
    const c = loadConnection(BASE);
    options(c, 0).Phase1EncryptionAlgorithms = [{ Value: 'DES' }];
    expect(() => endpointConfigFromDescribe(c)).toThrow(expect.objectContaining({ field: 'Options.TunnelOptions[0].Phase1EncryptionAlgorithms[0].Value' }));
  });
});

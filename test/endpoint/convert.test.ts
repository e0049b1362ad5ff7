/**
 * endpointConfigFromDescribe against the fixtures. Expected values are read off the fixture files
 * (test/fixtures/describe/*.json), not off the converter's output.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { VpnConnection } from '@aws-sdk/client-ec2';
import { endpointConfigFromDescribe, OnPremEndpointConfig, TunnelConfig } from '../../lib/endpoint';
import { FIXTURE_NAMES, fixturePath, loadConnection, xmlOutsideAddresses } from './fixtures';

/** AWS's names → strongSwan keywords, written out here so the test does not trust lib/algorithms/. */
const KEYWORD: Record<string, string> = {
  'AES128': 'aes128', 'AES256': 'aes256', 'AES128-GCM-16': 'aes128gcm16', 'AES256-GCM-16': 'aes256gcm16',
  'SHA1': 'sha1', 'SHA2-256': 'sha256', 'SHA2-384': 'sha384', 'SHA2-512': 'sha512',
};

function convert(name: string, options = {}): OnPremEndpointConfig {
  return endpointConfigFromDescribe(loadConnection(name), options);
}

function tunnelByAws(config: OnPremEndpointConfig, address: string): TunnelConfig {
  const t = config.tunnels.find((x) => x.remote.outsideAddress === address);
  if (!t) throw new Error(`no tunnel to ${address}`);
  return t;
}

describe('every fixture', () => {
  test.each(FIXTURE_NAMES)('%s converts, one tunnel per XML ipsec_tunnel in XML order', (name) => {
    const connection = loadConnection(name);
    const config = endpointConfigFromDescribe(connection);
    expect(config.formatVersion).toBe(1);
    expect(config.vpnConnectionId).toBe(connection.VpnConnectionId);
    expect(config.customerGatewayId).toBe(connection.CustomerGatewayId);
    const xmlTunnels = xmlOutsideAddresses(connection);
    expect(config.tunnels.map((t) => t.name)).toEqual(xmlTunnels.map((_, i) => `tunnel${i + 1}`));
    expect(config.tunnels.map((t) => t.remote.outsideAddress)).toEqual(xmlTunnels.map((x) => x.aws));
    expect(config.tunnels.map((t) => t.local.outsideAddress)).toEqual(xmlTunnels.map((x) => x.cgw));
  });

  test.each(FIXTURE_NAMES)('%s: crypto comes from the tunnel options entry with the same outside address', (name) => {
    const connection = loadConnection(name);
    const config = endpointConfigFromDescribe(connection);
    for (const options of connection.Options?.TunnelOptions ?? []) {
      const tunnel = tunnelByAws(config, options.OutsideIpAddress as string);
      const names = (list?: { Value?: string }[]) => list?.map((v) => KEYWORD[v.Value as string]);
      const numbers = (list?: { Value?: number }[]) => list?.map((v) => v.Value);
      if (options.Phase1EncryptionAlgorithms) expect(tunnel.ike.encryption).toEqual(names(options.Phase1EncryptionAlgorithms));
      if (options.Phase2EncryptionAlgorithms) expect(tunnel.esp.encryption).toEqual(names(options.Phase2EncryptionAlgorithms));
      if (options.Phase1IntegrityAlgorithms) expect(tunnel.ike.integrity).toEqual(names(options.Phase1IntegrityAlgorithms));
      if (options.Phase2IntegrityAlgorithms) expect(tunnel.esp.integrity).toEqual(names(options.Phase2IntegrityAlgorithms));
      if (options.Phase1DHGroupNumbers) expect(tunnel.ike.dhGroups).toEqual(numbers(options.Phase1DHGroupNumbers));
      if (options.Phase2DHGroupNumbers) expect(tunnel.esp.pfsGroups).toEqual(numbers(options.Phase2DHGroupNumbers));
      if (options.IkeVersions) expect(tunnel.ike.versions).toEqual(options.IkeVersions.map((v) => v.Value));
      if (options.Phase1LifetimeSeconds) expect(tunnel.ike.lifetimeSeconds).toBe(options.Phase1LifetimeSeconds);
      if (options.Phase2LifetimeSeconds) expect(tunnel.esp.lifetimeSeconds).toBe(options.Phase2LifetimeSeconds);
      if (options.ReplayWindowSize) expect(tunnel.esp.replayWindow).toBe(options.ReplayWindowSize);
      if (options.DpdTimeoutAction) expect(tunnel.dpd.action).toBe(options.DpdTimeoutAction);
      if (options.StartupAction) expect(tunnel.startupAction).toBe(options.StartupAction);
    }
  });
});

describe('VGW + BGP with multi-algorithm tunnel options (vgw-bgp-multi-algorithm)', () => {
  const config = convert('vgw-bgp-multi-algorithm');

  test('connection-level fields', () => {
    expect(config.gateway).toEqual({ type: 'vgw', id: 'vgw-01234abcd5678ef90' });
    expect(config.routing).toEqual({ type: 'bgp' });
  });

  test('addresses and BGP come from the XML', () => {
    const [t1, t2] = config.tunnels;
    expect(t1.local).toEqual({ outsideAddress: '198.51.100.10', insideCidr: '169.254.15.194/30', bgpAsn: 65010 });
    expect(t1.remote).toEqual({ outsideAddress: '192.0.2.17', insideCidr: '169.254.15.193/30', bgpAsn: 64512, bgpHoldTime: 30 });
    expect(t2.local.insideCidr).toBe('169.254.88.30/30');
    expect(t2.remote.insideCidr).toBe('169.254.88.29/30');
    expect(t1.tcpMssAdjust).toBe(1379);
    expect(t1.dpd.intervalSeconds).toBe(10);
  });

  test('the stale XML (aes-128-cbc / sha1 / group2) loses to the tunnel options', () => {
    const xml = loadConnection('vgw-bgp-multi-algorithm').CustomerGatewayConfiguration as string;
    expect(xml).toContain('<encryption_protocol>aes-128-cbc</encryption_protocol>');
    expect(xml).toContain('<perfect_forward_secrecy>group2</perfect_forward_secrecy>');
    for (const t of config.tunnels) {
      expect(t.ike).toEqual({
        versions: ['ikev2'], encryption: ['aes256gcm16', 'aes256'], integrity: ['sha256', 'sha384'], dhGroups: [20, 19], lifetimeSeconds: 14400,
      });
      expect(t.esp).toEqual({
        encryption: ['aes256gcm16', 'aes128gcm16'], integrity: ['sha256'], pfsGroups: [20], lifetimeSeconds: 1800, replayWindow: 2048, mode: 'tunnel',
      });
      expect(t.rekey).toEqual({ marginSeconds: 540, fuzzPercent: 50 });
      expect(t.dpd).toEqual({ intervalSeconds: 10, timeoutSeconds: 40, action: 'restart' });
      expect(t.ike.encryption).not.toContain('aes128');
      expect(t.ike.dhGroups).not.toContain(2);
    }
  });

  test('an inline key becomes a DescribeVpnConnections reference by default', () => {
    expect(config.tunnels.map((t) => t.preSharedKey)).toEqual([
      { source: 'describe-vpn-connections', vpnConnectionId: 'vpn-0a1b2c3d4e5f60718', awsOutsideAddress: '192.0.2.17' },
      { source: 'describe-vpn-connections', vpnConnectionId: 'vpn-0a1b2c3d4e5f60718', awsOutsideAddress: '192.0.2.145' },
    ]);
  });

  test('inlineSecrets copies the key of the matching tunnel options entry', () => {
    const inline = convert('vgw-bgp-multi-algorithm', { inlineSecrets: true });
    expect(inline.tunnels.map((t) => t.preSharedKey)).toEqual([
      { value: 'EXAMPLE.vgwBgp_tunnel1.k3yNotReal' },
      { value: 'EXAMPLE.vgwBgp_tunnel2.k3yNotReal' },
    ]);
  });

  test('a resolver decides where an inline key went, and sees name, index and AWS address', () => {
    const seen: unknown[] = [];
    const resolved = convert('vgw-bgp-multi-algorithm', {
      preSharedKeyReference: (t: { name: string; index: number; awsOutsideAddress: string }) => {
        seen.push(t);
        return { secretArn: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${t.name}-AbCdEf` };
      },
    });
    expect(seen).toEqual([
      { name: 'tunnel1', index: 0, awsOutsideAddress: '192.0.2.17' },
      { name: 'tunnel2', index: 1, awsOutsideAddress: '192.0.2.145' },
    ]);
    expect(resolved.tunnels[1].preSharedKey).toEqual({ secretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:tunnel2-AbCdEf' });
  });

  test('a resolver returning undefined falls back to the DescribeVpnConnections reference', () => {
    const resolved = convert('vgw-bgp-multi-algorithm', { preSharedKeyReference: () => undefined });
    expect(resolved.tunnels[0].preSharedKey).toEqual({
      source: 'describe-vpn-connections', vpnConnectionId: 'vpn-0a1b2c3d4e5f60718', awsOutsideAddress: '192.0.2.17',
    });
  });

  test('MTU: the worst suite (AES-GCM) with NAT-T', () => {
    // 1500 - IPv4 20 - UDP 8 - ESP 8 - IV 8 - ICV 16 = 1440, padded to 4 with 2 trailer bytes: 1438.
    expect(config.tunnels[0].mtu).toBe(1438);
  });
});

describe('transit gateway with AWS defaults (tgw-bgp-defaults)', () => {
  const config = convert('tgw-bgp-defaults');

  test('gateway is the transit gateway; the XML vpn_gateway_id is empty', () => {
    expect(config.gateway).toEqual({ type: 'tgw', id: 'tgw-0123456789abcdef0' });
  });

  test('omitted options mean every allowed value and AWS default numbers', () => {
    for (const t of config.tunnels) {
      expect(t.ike).toEqual({
        versions: ['ikev1', 'ikev2'],
        encryption: ['aes128', 'aes256', 'aes128gcm16', 'aes256gcm16'],
        integrity: ['sha1', 'sha256', 'sha384', 'sha512'],
        dhGroups: [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
        lifetimeSeconds: 28800,
      });
      expect(t.esp.pfsGroups).toEqual([2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
      expect(t.esp.lifetimeSeconds).toBe(3600);
      expect(t.esp.replayWindow).toBe(1024);
      expect(t.rekey).toEqual({ marginSeconds: 270, fuzzPercent: 100 });
      expect(t.dpd).toEqual({ intervalSeconds: 10, timeoutSeconds: 30, action: 'clear' });
      expect(t.startupAction).toBe('add');
    }
  });

  test('MTU with every suite allowed is the AES-CBC + SHA-512 one', () => {
    // 1500 - 20 - 8 - 8 - IV 16 - ICV 32 = 1416 -> largest multiple of 16 = 1408 -> minus 2 = 1406.
    expect(config.tunnels[0].mtu).toBe(1406);
  });

  test('BGP peers from the XML', () => {
    expect(config.tunnels[1].local).toEqual({ outsideAddress: '203.0.113.20', insideCidr: '169.254.200.10/30', bgpAsn: 65020 });
    expect(config.tunnels[1].remote).toEqual({ outsideAddress: '192.0.2.34', insideCidr: '169.254.200.9/30', bgpAsn: 64513, bgpHoldTime: 30 });
  });
});

describe('static routing (static-routing)', () => {
  const config = convert('static-routing');

  test('on-prem CIDRs from Routes, without the deleted route', () => {
    expect(config.routing).toEqual({ type: 'static', onPremCidrs: ['10.20.0.0/16', '172.16.8.0/24'] });
  });

  test('no BGP fields on either side', () => {
    for (const t of config.tunnels) {
      expect(t.local.bgpAsn).toBeUndefined();
      expect(t.remote.bgpAsn).toBeUndefined();
      expect(t.remote.bgpHoldTime).toBeUndefined();
    }
    expect(config.tunnels[0].local.insideCidr).toBe('169.254.44.42/30');
  });

  test('IKEv1 only, CBC suites; AWS defaults for what the options omit', () => {
    const t = config.tunnels[0];
    expect(t.ike.versions).toEqual(['ikev1']);
    expect(t.esp.encryption).toEqual(['aes128', 'aes256']);
    expect(t.esp.integrity).toEqual(['sha1', 'sha256']);
    expect(t.esp.lifetimeSeconds).toBe(3600);
    expect(t.dpd.action).toBe('clear');
  });

  test('NoBGPVPNConnection alone (StaticRoutesOnly unset, no routes) also means static', () => {
    const c = loadConnection('static-routing');
    c.Options = { ...c.Options, StaticRoutesOnly: undefined };
    c.Routes = [];
    expect(endpointConfigFromDescribe(c).routing).toEqual({ type: 'static', onPremCidrs: [] });
  });

  /** The fixture without the XML's NoBGPVPNConnection attribute. */
  function withoutNoBgpAttribute(): VpnConnection {
    const c = loadConnection('static-routing');
    c.CustomerGatewayConfiguration = (c.CustomerGatewayConfiguration as string).replace(
      /\s*<vpn_connection_attributes>NoBGPVPNConnection<\/vpn_connection_attributes>/, '');
    expect(c.CustomerGatewayConfiguration).not.toContain('NoBGP');
    return c;
  }

  test('StaticRoutesOnly alone also means static', () => {
    const c = withoutNoBgpAttribute();
    c.Routes = [];
    expect(endpointConfigFromDescribe(c).routing).toEqual({ type: 'static', onPremCidrs: [] });
  });

  test('static routes alone also mean static', () => {
    const c = withoutNoBgpAttribute();
    c.Options = { ...c.Options, StaticRoutesOnly: false };
    expect(endpointConfigFromDescribe(c).routing).toEqual({ type: 'static', onPremCidrs: ['10.20.0.0/16', '172.16.8.0/24'] });
  });

  test('none of the three: BGP, which then needs bgp elements in the XML', () => {
    const c = withoutNoBgpAttribute();
    c.Options = { ...c.Options, StaticRoutesOnly: false };
    c.Routes = [];
    expect(() => endpointConfigFromDescribe(c)).toThrow(/customer_gateway\/bgp: is missing, but the connection uses BGP routing/);
  });

  test('MTU for AES-CBC + SHA1 with NAT-T is AWS\'s 1422', () => {
    // 1500 - 20 - 8 - 8 - IV 16 - ICV 12 = 1436 -> 1424 -> 1422 (but SHA-256 also allowed: 1432 -> 1424 -> 1422).
    expect(config.tunnels[0].mtu).toBe(1422);
  });
});

describe('IPv6 inside addresses (ipv6-inside)', () => {
  const config = convert('ipv6-inside');

  test('inside addresses are IPv6 /126 (the XML says /128), no IPv4 inside CIDR', () => {
    const [t1, t2] = config.tunnels;
    expect(t1.local).toEqual({ outsideAddress: '198.51.100.60', insideIpv6Cidr: 'fd00:ec2:0:1::2/126', bgpAsn: 65060 });
    expect(t1.remote).toEqual({ outsideAddress: '203.0.113.61', insideIpv6Cidr: 'fd00:ec2:0:1::1/126', bgpAsn: 64514, bgpHoldTime: 30 });
    expect(t2.remote.insideIpv6Cidr).toBe('fd00:ec2:0:2::1/126');
    expect(t1.local.insideCidr).toBeUndefined();
  });

  test('startup action start (AWS initiates)', () => {
    expect(config.tunnels.map((t) => t.startupAction)).toEqual(['start', 'start']);
    expect(config.gateway.type).toBe('tgw');
  });
});

describe('pre-shared keys in Secrets Manager (secrets-manager)', () => {
  test('both tunnels reference the connection\'s PreSharedKeyArn, with or without inlineSecrets', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:vpn/vpn-0e5f60718293a4b5c/psk-AbCdEf';
    for (const options of [{}, { inlineSecrets: true }]) {
      const config = convert('secrets-manager', options);
      expect(config.tunnels.map((t) => t.preSharedKey)).toEqual([{ secretArn: arn }, { secretArn: arn }]);
    }
  });

  test('the resolver is not asked about keys AWS keeps in Secrets Manager', () => {
    const resolver = jest.fn(() => ({ secretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:other' }));
    convert('secrets-manager', { preSharedKeyReference: resolver });
    expect(resolver).not.toHaveBeenCalled();
  });

  test('SHA-512 suites and DH groups 21, 20', () => {
    const t = convert('secrets-manager').tunnels[0];
    expect(t.ike.integrity).toEqual(['sha512']);
    expect(t.ike.dhGroups).toEqual([21, 20]);
    expect(t.esp.pfsGroups).toEqual([21]);
  });
});

describe('tunnel options in the opposite order to the XML (reversed-tunnel-options)', () => {
  const connection = loadConnection('reversed-tunnel-options');
  const config = endpointConfigFromDescribe(connection, { inlineSecrets: true });

  test('the fixture really lists them in the opposite order', () => {
    const xmlOrder = xmlOutsideAddresses(connection).map((x) => x.aws);
    expect(connection.Options?.TunnelOptions?.map((o) => o.OutsideIpAddress)).toEqual([...xmlOrder].reverse());
  });

  test('each XML tunnel gets the options entry with its own AWS outside address', () => {
    const [t1, t2] = config.tunnels;
    expect(t1.remote.outsideAddress).toBe('192.0.2.81');
    expect(t1.ike).toEqual({ versions: ['ikev1', 'ikev2'], encryption: ['aes128'], integrity: ['sha1'], dhGroups: [14], lifetimeSeconds: 28800 });
    expect(t1.preSharedKey).toEqual({ value: 'EXAMPLEreversed.first_t1xx' });
    expect(t2.remote.outsideAddress).toBe('192.0.2.82');
    expect(t2.ike).toEqual({ versions: ['ikev2'], encryption: ['aes256'], integrity: ['sha384'], dhGroups: [15], lifetimeSeconds: 3600 });
    expect(t2.esp).toEqual({ encryption: ['aes256'], integrity: ['sha384'], pfsGroups: [15], lifetimeSeconds: 900, replayWindow: 64, mode: 'tunnel' });
    expect(t2.rekey).toEqual({ marginSeconds: 120, fuzzPercent: 0 });
    expect(t2.dpd).toEqual({ intervalSeconds: 10, timeoutSeconds: 60, action: 'none' });
    expect(t2.preSharedKey).toEqual({ value: 'EXAMPLEreversed.second_t2xx' });
  });

  /** Both AWS outside addresses the same, as in some mocks and samples. */
  function withRepeatedAddress(): VpnConnection {
    const c = loadConnection('reversed-tunnel-options');
    c.CustomerGatewayConfiguration = (c.CustomerGatewayConfiguration as string).replace(/192\.0\.2\.8[12]/g, '192.0.2.80');
    c.Options?.TunnelOptions?.forEach((o) => (o.OutsideIpAddress = '192.0.2.80'));
    return c;
  }

  test('when AWS outside addresses repeat, the inside CIDR decides', () => {
    const byInside = endpointConfigFromDescribe(withRepeatedAddress());
    expect(byInside.tunnels[0].ike.encryption).toEqual(['aes128']); // 169.254.80.144/30 holds 169.254.80.145
    expect(byInside.tunnels[1].ike.encryption).toEqual(['aes256']);
  });

  test('when AWS outside addresses repeat and no inside CIDR helps, order decides', () => {
    const c = withRepeatedAddress();
    c.Options?.TunnelOptions?.forEach((o) => delete o.TunnelInsideCidr);
    const byOrder = endpointConfigFromDescribe(c);
    expect(byOrder.tunnels[0].ike.encryption).toEqual(['aes256']); // the first options entry
    expect(byOrder.tunnels[1].ike.encryption).toEqual(['aes128']);
  });

  test('addresses compare as addresses, not text', () => {
    const c = loadConnection('reversed-tunnel-options');
    c.Options!.TunnelOptions![0].OutsideIpAddress = ' 192.0.2.82 ';
    expect(endpointConfigFromDescribe(c).tunnels[1].ike.encryption).toEqual(['aes256']);
  });
});

describe('purity', () => {
  test('the input is not modified and the same input gives the same config', () => {
    const c = loadConnection('vgw-bgp-multi-algorithm');
    const before = JSON.stringify(c);
    const a = endpointConfigFromDescribe(c);
    const b = endpointConfigFromDescribe(c);
    expect(JSON.stringify(c)).toBe(before);
    expect(a).toEqual(b);
  });
});

describe('hq: the connection examples/hq.json deploys', () => {
  const REPO = join(__dirname, '..', '..');
  const example = JSON.parse(readFileSync(join(REPO, 'examples', 'hq.json'), 'utf8'));
  const site = example.sites[0];
  const config = convert('hq');

  test('examples/hq.describe.json is the fixture', () => {
    expect(readFileSync(join(REPO, 'examples', 'hq.describe.json'), 'utf8')).toBe(readFileSync(fixturePath('hq'), 'utf8'));
  });

  test('gateway, customer gateway and BGP as the example configures them', () => {
    expect(example.gateway.type).toBe('virtualPrivateGateway');
    expect(config.gateway.type).toBe('vgw');
    expect(config.routing).toEqual({ type: 'bgp' });
    for (const t of config.tunnels) {
      expect(t.local.outsideAddress).toBe(site.customerGatewayIp);
      expect(t.local.bgpAsn).toBe(site.bgpAsn);
      expect(t.remote.bgpAsn).toBe(example.gateway.amazonSideAsn);
    }
  });

  test('each tunnel has the example\'s tunnel options', () => {
    site.tunnels.forEach((spec: Record<string, any>, i: number) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const t = config.tunnels[i];
      const network = spec.tunnelInsideCidr.split('/')[0].split('.').map(Number);
      expect(t.remote.insideCidr).toBe(`${network.slice(0, 3).join('.')}.${network[3] + 1}/30`); // AWS takes the first host
      expect(t.local.insideCidr).toBe(`${network.slice(0, 3).join('.')}.${network[3] + 2}/30`);
      expect(t.ike).toEqual({
        versions: spec.ikeVersions,
        encryption: spec.phase1EncryptionAlgorithms.map((a: string) => KEYWORD[a]),
        integrity: spec.phase1IntegrityAlgorithms.map((a: string) => KEYWORD[a]),
        dhGroups: spec.phase1DhGroupNumbers,
        lifetimeSeconds: spec.phase1LifetimeSeconds,
      });
      expect(t.esp).toEqual({
        encryption: spec.phase2EncryptionAlgorithms.map((a: string) => KEYWORD[a]),
        integrity: spec.phase2IntegrityAlgorithms.map((a: string) => KEYWORD[a]),
        pfsGroups: spec.phase2DhGroupNumbers,
        lifetimeSeconds: spec.phase2LifetimeSeconds,
        replayWindow: spec.replayWindowSize,
        mode: 'tunnel',
      });
      expect(t.rekey).toEqual({ marginSeconds: spec.rekeyMarginTimeSeconds, fuzzPercent: spec.rekeyFuzzPercentage });
      expect(t.dpd).toEqual({ intervalSeconds: 10, timeoutSeconds: spec.dpdTimeoutSeconds, action: spec.dpdTimeoutAction });
      expect(t.startupAction).toBe(spec.startupAction);
    });
  });

  test('keys in Secrets Manager, as preSharedKeyStorage says', () => {
    expect(site.preSharedKeyStorage).toBe('SecretsManager');
    for (const t of config.tunnels) expect(t.preSharedKey).toEqual({ secretArn: expect.stringMatching(/^arn:aws:secretsmanager:/) });
  });
});

describe('TCP MSS clamp', () => {
  // The XML says 1379 (AES-CBC + SHA1 + NAT-T); other suites leave less room, and the clamp follows the MTU.
  test('AES-256 + SHA2-512 with NAT-T: MTU 1406, so MSS 1406 - 20 (IPv4) - 20 (TCP) = 1366, not the XML 1379', () => {
    const tunnel = endpointConfigFromDescribe(loadConnection('secrets-manager')).tunnels[0];
    expect(tunnel.esp.integrity).toContain('sha512');
    expect(tunnel.mtu).toBe(1406);
    expect(tunnel.tcpMssAdjust).toBe(1366);
  });

  test('IPv6 inside the tunnel: 40-byte IPv6 headers, so MSS 1438 - 60 = 1378', () => {
    const tunnel = endpointConfigFromDescribe(loadConnection('ipv6-inside')).tunnels[0];
    expect(tunnel.local.insideCidr).toBeUndefined();
    expect(tunnel.mtu).toBe(1438);
    expect(tunnel.tcpMssAdjust).toBe(1378);
  });

  test('AES-GCM: room to spare, so AWS\'s 1379 stands', () => {
    const tunnel = endpointConfigFromDescribe(loadConnection('hq')).tunnels[0];
    expect(tunnel.tcpMssAdjust).toBe(1379);
  });
});

/**
 * Each shape AWS really returns, from a fixture rebuilt from public material (its `_source`), converts into
 * the model it describes: one test per class of issue 8.
 */
import { EndpointConfigError, EndpointConfigPendingError, endpointConfigFromDescribe, renderSwanctl, validateEndpointConfig } from '../../lib/endpoint';
import { FIXTURE_NAMES, PENDING_FIXTURE_NAMES, fixtureSources, loadConnection, loadConnections, presharedKeysIn } from './fixtures';

const convert = (name: string, index = 0) => endpointConfigFromDescribe(loadConnection(name, index));

test.each([...FIXTURE_NAMES, ...PENDING_FIXTURE_NAMES].filter((n) => fixtureSources(n).length > 0))('%s cites a public source', (name) => {
  expect(fixtureSources(name).some((source) => /https:\/\/(docs\.aws\.amazon\.com|github\.com)\//.test(source))).toBe(true);
});

describe('AWS-managed Secrets Manager keys', () => {
  const config = convert('secrets-manager-aws-managed');

  test("an ARN with '!' (AWS's generated secret name) is the reference; a per-tunnel PreSharedKeyArn wins for its tunnel", () => {
    expect(config.tunnels.map((t) => t.preSharedKey)).toEqual([
      { secretArn: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:s2svpn-preprod!vpn-0074cc1c3ce9a041e-1Skga6-pevysO' },
      { secretArn: 'arn:aws:secretsmanager:us-west-2:123456789012:secret:s2svpn-preprod!vpn-0074cc1c3ce9a041e-tunnel2-Qx7Lm2' },
    ]);
  });

  test("the rendered command single-quotes the ARN, so the shell passes '!' through", () => {
    expect(renderSwanctl(config)).toContain(
      "aws secretsmanager get-secret-value --secret-id 'arn:aws:secretsmanager:us-west-2:123456789012:secret:s2svpn-preprod!vpn-0074cc1c3ce9a041e-1Skga6-pevysO' --query SecretString",
    );
  });

  test('an ARN that is not one is still refused, naming the field', () => {
    const c = loadConnection('secrets-manager-aws-managed');
    c.PreSharedKeyArn = "arn:aws:secretsmanager:us-west-2:123456789012:secret:x' ; rm -rf ~";
    expect(() => endpointConfigFromDescribe(c)).toThrow(/^PreSharedKeyArn: .+ is not an ARN/);
  });
});

describe('certificate authentication', () => {
  const config = convert('certificate-auth');

  test("each tunnel authenticates with AWS's tunnel certificate: identity <vpn-id>.endpoint-<n>, no key anywhere", () => {
    expect(config.tunnels.map((t) => [t.preSharedKey, t.auth])).toEqual([
      [undefined, { type: 'certificate', awsIdentity: 'C=US, ST=WA, L=Seattle, O=Amazon.com, OU=AWS, CN=vpn-059ee0661e851adf4.endpoint-0',
        awsCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' }],
      [undefined, { type: 'certificate', awsIdentity: 'C=US, ST=WA, L=Seattle, O=Amazon.com, OU=AWS, CN=vpn-059ee0661e851adf4.endpoint-1',
        awsCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e' }],
    ]);
  });

  test('swanctl: auth = pubkey with the user-supplied files, AWS pinned by identity, no secrets section entries', () => {
    const conf = renderSwanctl(config, { certificateFile: 'branch.pem', caCertificateFile: 'corp-ca.pem' });
    expect(conf).toContain('    local {\n      auth = pubkey\n      certs = branch.pem\n    }');
    expect(conf).toContain('    remote {\n      auth = pubkey\n      id = "C=US, ST=WA, L=Seattle, O=Amazon.com, OU=AWS, CN=vpn-059ee0661e851adf4.endpoint-1"\n      cacerts = corp-ca.pem\n    }');
    expect(conf).not.toMatch(/auth = psk|ike-vpn-|include /);
  });

  test('without the telemetry certificate the error names both missing kinds, not just the key', () => {
    const c = loadConnection('certificate-auth');
    for (const t of c.VgwTelemetry ?? []) delete t.CertificateArn;
    expect(() => endpointConfigFromDescribe(c)).toThrow(/PreSharedKey: is missing, and so are PreSharedKeyArn, .+ and a VgwTelemetry CertificateArn/);
  });
});

describe('connections without tunnel options, or with tunnel options that hold only OutsideIpAddress', () => {
  test.each(['no-tunnel-options', 'outside-address-only'])('%s: AWS defaults, each recorded with its reason', (name) => {
    const config = convert(name);
    expect(config.tunnels).toHaveLength(2);
    for (const t of config.tunnels) {
      expect(t.ike.versions).toEqual(['ikev1', 'ikev2']);
      expect(t.ike.encryption).toEqual(['aes128', 'aes256', 'aes128gcm16', 'aes256gcm16']);
      expect([t.ike.lifetimeSeconds, t.esp.lifetimeSeconds, t.rekey.marginSeconds, t.dpd.timeoutSeconds]).toEqual([28800, 3600, 270, 30]);
      const reason = name === 'no-tunnel-options' ? /^AWS default: the response has no Options\.TunnelOptions$/ : /^AWS default: Options\.TunnelOptions\[\d\]\.\w+ is omitted$/;
      expect(Object.keys(t.defaults ?? {})).toEqual(expect.arrayContaining(['ike.encryption', 'esp.pfsGroups', 'esp.replayWindow', 'dpd.action', 'startupAction']));
      for (const why of Object.values(t.defaults ?? {})) expect(why).toMatch(reason);
    }
    // The XML is the truth for addresses.
    expect(config.tunnels.map((t) => t.remote.outsideAddress)).toEqual(['203.0.113.3', '203.0.113.5']);
  });

  test('a fixture whose tunnel options give everything records no defaults', () => {
    for (const t of convert('several-connections').tunnels) expect(t.defaults).toBeUndefined();
  });
});

describe('a connection still pending', () => {
  test.each(PENDING_FIXTURE_NAMES)('%s: its own error, saying to describe again', (name) => {
    let error: unknown;
    try {
      convert(name);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EndpointConfigPendingError);
    expect(error).toBeInstanceOf(EndpointConfigError);
    expect((error as Error).message).toBe('State: "pending": describe vpn-123123123123abcab again once it is available (AWS publishes its tunnels only then)');
  });
});

describe('gateway kinds', () => {
  test('Cloud WAN: the core network ARN and attachment', () => {
    expect(convert('cloud-wan').gateway).toEqual({
      type: 'cloud-wan',
      id: 'arn:aws:networkmanager::123456789012:core-network/core-network-0fab1234cd5678ef9',
      attachmentArn: 'arn:aws:networkmanager::123456789012:attachment/attachment-0123456789abcdef0',
    });
    expect(renderSwanctl(convert('cloud-wan'))).toContain('Cloud WAN core network arn:aws:networkmanager::123456789012:core-network/');
  });

  test('VPN Concentrator: a transit gateway connection that names its concentrator', () => {
    expect(convert('vpn-concentrator').gateway).toEqual({ type: 'tgw', id: 'tgw-0c0c0c0c0c0c0c0c0', vpnConcentratorId: 'vcn-0123456789abcdef0' });
  });
});

describe('accelerated connections', () => {
  const config = convert('accelerated');
  test('forced UDP encapsulation, and an MTU sized for NAT-T', () => {
    expect(config.transport).toEqual({ outsideIpAddressType: 'PublicIpv4', accelerated: true });
    const conf = renderSwanctl(config);
    expect(conf.match(/^ {4}encap = yes$/gm)).toHaveLength(2);
    expect(conf).not.toMatch(/encap = no/);
    // AES256-GCM-16 in UDP over IPv4: 20 + 8 + 8 (SPI, seq) + 8 (IV) + 16 (ICV) + 2 (pad length, next header), to a 4-byte boundary.
    expect(config.tunnels.map((t) => t.mtu)).toEqual([1438, 1438]);
  });
  test('a connection that is not accelerated keeps encap = no', () => {
    expect(renderSwanctl(convert('cloud-wan'))).not.toMatch(/encap = yes/);
  });
});

describe('outside address types and IPv6 inside', () => {
  test('PrivateIpv4 over a transport attachment', () => {
    const config = convert('private-ip');
    expect(config.transport).toEqual({ outsideIpAddressType: 'PrivateIpv4', transportAttachmentId: 'tgw-attach-0d1c0d1c0d1c0d1c0', accelerated: false });
    expect(config.tunnels.map((t) => t.remote.outsideAddress)).toEqual(['10.100.0.12', '10.100.0.13']);
  });

  test('IPv6 outside and inside: IPv6 traffic selectors only', () => {
    const config = convert('ipv6-outside');
    expect(config.transport?.outsideIpAddressType).toBe('Ipv6');
    expect(config.trafficSelectors).toEqual({ local: ['::/0'], remote: ['::/0'] });
    const conf = renderSwanctl(config);
    expect(conf).toContain('remote_addrs = 2001:db8:200::11');
    expect(conf.match(/_ts = ::\/0$/gm)).toHaveLength(4);
    expect(conf).not.toContain('0.0.0.0/0');
  });
});

describe('Local/RemoteIpv4NetworkCidr narrower than the default', () => {
  test('the traffic selectors are exactly those, and the file says why for policy-based devices', () => {
    const config = convert('narrow-selectors');
    expect(config.trafficSelectors).toEqual({ local: ['10.0.0.0/16'], remote: ['10.20.0.0/16'] });
    const conf = renderSwanctl(config);
    expect(conf.match(/^ {8}local_ts = 10\.0\.0\.0\/16$/gm)).toHaveLength(2);
    expect(conf.match(/^ {8}remote_ts = 10\.20\.0\.0\/16$/gm)).toHaveLength(2);
    expect(conf).toContain('# one SA pair per tunnel with exactly these; a policy-based device must offer this one pair, not one SA per subnet.');
  });
});

describe('where the key lives', () => {
  test.each(['no-tunnel-options', 'outside-address-only'])('%s: keys only in the XML: the reference points at the XML', (name) => {
    const config = convert(name);
    expect(config.tunnels.map((t) => t.preSharedKey)).toEqual(config.tunnels.map((t) => ({
      source: 'describe-vpn-connections', vpnConnectionId: config.vpnConnectionId, awsOutsideAddress: t.remote.outsideAddress, field: 'CustomerGatewayConfiguration',
    })));
  });
});

describe('several connections, IKEv1-only tunnels, tunnel options as AWS returns them today', () => {
  test('each connection of the file converts on its own', () => {
    expect(loadConnections('several-connections').map((c) => endpointConfigFromDescribe(c).vpnConnectionId)).toEqual(['vpn-0aaa1111bbbb22220', 'vpn-0ccc3333dddd44440']);
  });

  test('IKEv1 only: version 1, one proposal per combination; every lifetime and DPD field read', () => {
    const [config, both] = [convert('several-connections', 0), convert('several-connections', 1)];
    const t = config.tunnels[0];
    expect(t.ike.versions).toEqual(['ikev1']);
    expect([t.ike.lifetimeSeconds, t.esp.lifetimeSeconds, t.rekey, t.esp.replayWindow, t.dpd]).toEqual([
      14400, 1800, { marginSeconds: 300, fuzzPercent: 50 }, 2048, { intervalSeconds: 10, timeoutSeconds: 40, action: 'restart' },
    ]);
    const conf = renderSwanctl(config);
    expect(conf).toContain('    version = 1\n');
    expect(conf).toContain('    proposals = aes256-sha256-modp2048,aes256-sha1-modp2048,aes128-sha256-modp2048,aes128-sha1-modp2048\n');
    expect(both.tunnels[0].ike.versions).toEqual(['ikev1', 'ikev2']);
  });
});

test.each(FIXTURE_NAMES)('%s: the model passes its own validation and no key reaches the swanctl.conf', (name) => {
  for (const connection of loadConnections(name)) {
    const config = endpointConfigFromDescribe(connection);
    expect(validateEndpointConfig(JSON.parse(JSON.stringify(config)))).toEqual(config);
    const conf = renderSwanctl(config);
    for (const key of presharedKeysIn(name)) expect(conf).not.toContain(key);
  }
});

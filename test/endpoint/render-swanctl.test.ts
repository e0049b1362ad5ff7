/** swanctl.conf text: version, proposals, lifetimes, DPD, start action and the secrets section, per fixture. */
import { endpointConfigFromDescribe, renderSwanctl, EndpointConfigError, OnPremEndpointConfig } from '../../lib/endpoint';
import { loadConnection } from './fixtures';

function conf(name: string, options = {}, convert = {}): string {
  return renderSwanctl(endpointConfigFromDescribe(loadConnection(name), convert), options);
}

/** One `name { ... }` section (matching braces) whose header line is exactly `indent + name`. */
function section(text: string, name: string, indent = '  '): string {
  const start = text.indexOf(`\n${indent}${name} {\n`);
  if (start < 0) throw new Error(`no section ${name}`);
  let depth = 0;
  for (let i = text.indexOf('{', start); i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error(`unbalanced section ${name}`);
}

describe('vgw-bgp-multi-algorithm: IKEv2, AEAD and CBC, customer gateway initiates', () => {
  const text = conf('vgw-bgp-multi-algorithm');
  const t1 = section(text, 'vpn-0a1b2c3d4e5f60718-tunnel1');

  test('connection settings', () => {
    expect(t1).toContain('    version = 2\n');
    expect(t1).toContain('    local_addrs = 198.51.100.10\n    remote_addrs = 192.0.2.17\n');
    expect(t1).toContain('    encap = no\n    mobike = no\n    dpd_delay = 10s\n');
    expect(t1).not.toContain('dpd_timeout'); // IKEv1 only
    expect(t1).toContain('    if_id_in = 1\n    if_id_out = 1\n');
    expect(t1).toContain('    local {\n      auth = psk\n      id = 198.51.100.10\n    }\n    remote {\n      auth = psk\n      id = 192.0.2.17\n    }');
    expect(section(text, 'vpn-0a1b2c3d4e5f60718-tunnel2')).toContain('if_id_in = 2');
  });

  test('IKE proposals: AEAD with PRFs, CBC with integrity, every group in each', () => {
    expect(t1).toContain('    proposals = aes256gcm16-prfsha256-prfsha384-ecp384-ecp256,aes256-sha256-sha384-ecp384-ecp256\n');
  });

  test('ESP proposals with the PFS groups', () => {
    expect(t1).toContain('        esp_proposals = aes256gcm16-aes128gcm16-ecp384\n');
  });

  test('lifetimes from margin 540 s and fuzz 50 %', () => {
    // IKE: 14400 - 540; CHILD: 1800 - 540; rand = 540 * 50 %.
    expect(t1).toContain('    rekey_time = 13860s\n    over_time = 540s\n    rand_time = 270s\n');
    expect(t1).toContain('        rekey_time = 1260s\n        life_time = 1800s\n        rand_time = 270s\n');
  });

  test('route-based child, replay window, the customer gateway starts and restarts', () => {
    expect(t1).toContain('        mode = tunnel\n        local_ts = 0.0.0.0/0\n        remote_ts = 0.0.0.0/0\n');
    expect(t1).toContain('        replay_window = 2048\n');
    expect(t1).toContain('        dpd_action = restart\n        start_action = start\n        close_action = start\n');
    expect(t1).toContain('    keyingtries = 0\n');
  });

  test('interface and BGP instructions', () => {
    expect(text).toContain('#   ip link add ipsec1 type xfrm if_id 1\n#   ip addr add 169.254.15.194/30 dev ipsec1\n#   ip link set ipsec1 mtu 1438 up\n');
    expect(text).toContain('--set-mss 1379');
    expect(text).toContain('#   BGP: neighbor 169.254.15.193 remote-as 64512, local AS 65010, hold time 30s');
  });

  test('secrets: an include and the command to fetch each key, no key', () => {
    const secrets = section(text, 'secrets', '');
    expect(secrets).toContain('  include vpn-0a1b2c3d4e5f60718.secrets.conf\n');
    expect(secrets).toContain("aws ec2 describe-vpn-connections --vpn-connection-ids vpn-0a1b2c3d4e5f60718 --query \"VpnConnections[0].Options.TunnelOptions[?OutsideIpAddress=='192.0.2.145'].PreSharedKey | [0]\" --output text");
    expect(secrets.split('\n').filter((l) => /secret =/.test(l) && !/^\s*#/.test(l))).toEqual([]);
  });
});

describe('other fixtures', () => {
  test('static-routing: IKEv1 gets one proposal per combination, and dpd_timeout', () => {
    const t1 = section(conf('static-routing'), 'vpn-0c3d4e5f60718293a-tunnel1');
    expect(t1).toContain('    version = 1\n');
    expect(t1).toContain('    proposals = aes128-sha1-modp2048,aes128-sha256-modp2048,aes256-sha1-modp2048,aes256-sha256-modp2048\n');
    expect(t1).toContain('        esp_proposals = aes128-sha1-modp2048,aes128-sha256-modp2048,aes256-sha1-modp2048,aes256-sha256-modp2048\n');
    expect(t1).toContain('    dpd_timeout = 30s\n');
    expect(conf('static-routing')).toContain('# Routing: static. AWS routes 10.20.0.0/16, 172.16.8.0/24 into the tunnels;');
  });

  test('tgw-bgp-defaults: both IKE versions (version = 0), every algorithm, AWS default lifetimes', () => {
    const t1 = section(conf('tgw-bgp-defaults'), 'vpn-0b2c3d4e5f6071829-tunnel1');
    expect(t1).toContain('    # version 0: initiates IKEv2; answers IKEv1 too, then with the first algorithm of each kind only\n    version = 0\n');
    expect(t1).toContain('    proposals = aes128-aes256-sha1-sha256-sha384-sha512-modp1024-modp2048-modp3072-modp4096-modp6144-modp8192-ecp256-ecp384-ecp521-modp1024s160-modp2048s224-modp2048s256,'
      + 'aes128gcm16-aes256gcm16-prfsha1-prfsha256-prfsha384-prfsha512-modp1024-modp2048');
    expect(t1).toContain('    rekey_time = 28530s\n    over_time = 270s\n    rand_time = 270s\n');
    expect(t1).toContain('        rekey_time = 3330s\n        life_time = 3600s\n        rand_time = 270s\n');
    expect(t1).toContain('    dpd_timeout = 30s\n');
  });

  test('reversed-tunnel-options: fuzz 0 gives rand_time 0s; each tunnel its own suite', () => {
    const text = conf('reversed-tunnel-options');
    const first = section(text, 'vpn-0f60718293a4b5c6d-tunnel1');
    expect(first).toContain('    proposals = aes128-sha1-modp2048\n');
    const second = section(text, 'vpn-0f60718293a4b5c6d-tunnel2');
    expect(second).toContain('    proposals = aes256-sha384-modp3072\n');
    expect(second).toContain('    rekey_time = 3480s\n    over_time = 120s\n    rand_time = 0s\n');
    expect(second).toContain('        rekey_time = 780s\n        life_time = 900s\n        rand_time = 0s\n');
    expect(second).toContain('        replay_window = 64\n');
  });

  test('ipv6-inside: ::/0 selectors; AWS initiates and restarts, so we wait', () => {
    const text = conf('ipv6-inside');
    const t1 = section(text, 'vpn-0d4e5f60718293a4b-tunnel1');
    expect(t1).toContain('        local_ts = ::/0\n        remote_ts = ::/0\n');
    expect(t1).toContain('        dpd_action = clear\n        start_action = none\n');
    expect(t1).not.toContain('close_action');
    expect(t1).not.toContain('keyingtries');
    expect(text).toContain('#   ip addr add fd00:ec2:0:1::2/126 dev ipsec1');
    expect(text).toContain('#   BGP: neighbor fd00:ec2:0:1::1 remote-as 64514');
  });

  test('secrets-manager: the secretsmanager command with the ARN', () => {
    expect(conf('secrets-manager')).toContain(
      "  #   aws secretsmanager get-secret-value --secret-id 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:vpn/vpn-0e5f60718293a4b5c/psk-AbCdEf' --query SecretString --output text"
      + '  # if it holds several keys, take the one for 192.0.2.72\n',
    );
  });

  test('inline secrets: a secret per tunnel, no include', () => {
    const secrets = section(conf('reversed-tunnel-options', {}, { inlineSecrets: true }), 'secrets', '');
    expect(secrets).toContain('  ike-vpn-0f60718293a4b5c6d-tunnel1 {\n    id-local = 203.0.113.80\n    id-remote = 192.0.2.81\n    secret = "EXAMPLEreversed.first_t1xx"\n  }');
    expect(secrets).toContain('secret = "EXAMPLEreversed.second_t2xx"');
    expect(secrets).not.toContain('include');
  });
});

describe('options', () => {
  const config = endpointConfigFromDescribe(loadConnection('hq'));

  test('connection prefix, if_id base, local address, start action, secrets file', () => {
    const text = renderSwanctl(config, { connectionPrefix: 'hq', ifIdBase: 40, localAddress: '%any', startAction: 'none', secretsFile: 'hq-keys.conf' });
    expect(text).toContain('  hq-tunnel1 {\n    version = 2\n    local_addrs = %any\n');
    expect(text).toContain('if_id_in = 41');
    expect(text).toContain('    id = 198.51.100.10\n'); // the identity stays the public address
    expect(text).not.toContain('start_action = start');
    expect(text).toContain('  include hq-keys.conf\n');
  });

  test('interface names stay within Linux\'s 15 characters', () => {
    const text = renderSwanctl(config, { ifIdBase: 4000000000 });
    expect(text).toContain('#   ip link add ipsec4000000000 type xfrm if_id 4000000000\n');
    expect(renderSwanctl(config, { ifIdBase: 0xffffffff - 1 })).toContain('#   ip link add ipsec4294967295 type xfrm if_id 4294967295\n'); // 15 characters
    expect(renderSwanctl(config, { ifIdBase: 9 })).toContain('#   ip link add ipsec10 type xfrm if_id 10\n');
    // The last tunnel's if_id must fit too.
    expect(() => renderSwanctl(config, { ifIdBase: 0xffffffff })).toThrow(
      'ifIdBase: 4294967295 is not a whole number from 1 to 4294967294 (its 2 tunnels take 4294967295 to 4294967296); if_ids run from 1 to 4294967295',
    );
  });

  test.each([
    [{ connectionPrefix: 'has space' }, /^connectionPrefix: "has space" is not a safe swanctl section name/],
    [{ secretsFile: '../etc/keys.conf' }, /^secretsFile: "..\/etc\/keys.conf" must be a plain file name/],
    [{ ifIdBase: 0 }, /^ifIdBase: 0 is not a whole number/],
    [{ localAddress: '198.51.100.10\n  remote_addrs = %any' }, /^localAddress: .+ is not an address, range or %any/],
  ])('bad option %p', (options, message) => {
    expect(() => renderSwanctl(config, options)).toThrow(EndpointConfigError);
    expect(() => renderSwanctl(config, options)).toThrow(message);
  });

  test('a config that is not valid is refused before anything is written', () => {
    const odd = { ...config, tunnels: [{ ...config.tunnels[0], preSharedKey: { vault: 'x' } }] } as unknown as OnPremEndpointConfig;
    expect(() => renderSwanctl(odd)).toThrow(/^tunnels\[0\]\.preSharedKey: expected \{ secretArn \}/);
    const injected = { ...config, customerGatewayId: 'cgw-1\nconnections { }' } as OnPremEndpointConfig;
    expect(() => renderSwanctl(injected)).toThrow(/^customerGatewayId: .+ is not a cgw-\.\.\. resource id/);
  });
});

describe('static sites: the Linux script as each CHILD_SA\'s updown (takes a down tunnel\'s routes away)', () => {
  const base = endpointConfigFromDescribe(loadConnection('static-routing'));
  const withPrefixes: OnPremEndpointConfig = { ...base, site: { awsPrefixes: ['10.0.0.0/16'] } };

  test('every tunnel runs the script with --updown (default path, or the one given)', () => {
    const text = renderSwanctl(withPrefixes);
    for (const tunnel of ['tunnel1', 'tunnel2']) {
      expect(section(text, `vpn-0c3d4e5f60718293a-${tunnel}`, '      ')).toContain('updown = /usr/local/sbin/vpn-0c3d4e5f60718293a-tunnels.sh --updown\n');
    }
    expect(renderSwanctl(withPrefixes, { updownScript: '/etc/s2s/t.sh' })).toContain('updown = /etc/s2s/t.sh --updown\n');
    expect(() => renderSwanctl(withPrefixes, { updownScript: '/etc/s2s/t.sh; rm -rf /' })).toThrow(/updownScript.*"\/etc\/s2s\/t.sh; rm -rf \/"/);
  });

  test('the header says what decides how soon a dead tunnel goes: dpd_timeout (IKEv1), retransmits (IKEv2)', () => {
    expect(renderSwanctl(withPrefixes)).toContain('# IKEv1: a silent peer is dead after dpd_timeout.\n');
    const ikev2: OnPremEndpointConfig = { ...withPrefixes, tunnels: withPrefixes.tunnels.map((t) => ({ ...t, ike: { ...t.ike, versions: ['ikev2'] } })) };
    const text = renderSwanctl(ikev2);
    expect(text).toMatch(/# IKEv2: a silent peer is dead once charon's DPD retransmits run out, about 165 s/);
    expect(text).not.toContain('# IKEv1:');
    expect(renderSwanctl(base)).not.toContain('# Failover:');
  });

  test('no updown without static routes to manage (BGP, or no AWS prefixes given)', () => {
    expect(renderSwanctl(base)).not.toContain('updown');
    expect(conf('vgw-bgp-multi-algorithm')).not.toContain('updown');
  });
});

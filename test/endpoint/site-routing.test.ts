/**
 * The site's routing choices: validated against AWS's route quotas and the connection, and rendered with the
 * limits and preferences they ask for (FRR and BIRD say the same thing).
 */
import { BGP_ROUTE_QUOTAS } from '../../lib/aws-rules';
import { EndpointConfigError, endpointConfigFromDescribe, OnPremEndpointConfig, SiteRouting } from '../../lib/endpoint';
import { renderBird, renderFrr, renderLibreswan, renderSiteArtifacts, withSiteRouting } from '../../lib/endpoint/site';
import { loadConnection, presharedKeysIn } from './fixtures';

const hq = endpointConfigFromDescribe(loadConnection('hq')); // virtual private gateway, BGP
const tgw = endpointConfigFromDescribe(loadConnection('tgw-bgp-defaults'));
const staticSite = endpointConfigFromDescribe(loadConnection('static-routing'));
const v6 = endpointConfigFromDescribe(loadConnection('ipv6-inside'));

function prefixes(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `10.${Math.floor(i / 256)}.${i % 256}.0/24`);
}

function refusal(config: OnPremEndpointConfig, site: SiteRouting): EndpointConfigError {
  try {
    withSiteRouting(config, site);
  } catch (e) {
    if (e instanceof EndpointConfigError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('validation against AWS quotas and the connection', () => {
  test('a virtual private gateway takes 100 announced prefixes, a transit gateway 1000; one more is refused', () => {
    expect(BGP_ROUTE_QUOTAS.vgw.fromCustomerGateway).toBe(100);
    expect(BGP_ROUTE_QUOTAS.tgw.fromCustomerGateway).toBe(1000);
    expect(() => withSiteRouting(hq, { announcePrefixes: prefixes(100) })).not.toThrow();
    expect(refusal(hq, { announcePrefixes: prefixes(101) }).message).toMatch(/site\.announcePrefixes.*101 prefixes.*virtual private gateway.*more than 100/);
    expect(() => withSiteRouting(tgw, { announcePrefixes: prefixes(1000) })).not.toThrow();
    expect(refusal(tgw, { announcePrefixes: prefixes(1001) }).message).toMatch(/transit gateway.*more than 1000/);
  });

  test("Cloud WAN's quota is not documented by AWS: the transit gateway's figure, and every message says it is provisional", () => {
    const cloudWan = endpointConfigFromDescribe(loadConnection('cloud-wan'));
    expect(BGP_ROUTE_QUOTAS['cloud-wan'].provisional).toMatch(/AWS documents no Cloud WAN figure/);
    expect(BGP_ROUTE_QUOTAS.vgw.provisional).toBeUndefined();
    expect(BGP_ROUTE_QUOTAS.tgw.provisional).toBeUndefined();
    expect(() => withSiteRouting(cloudWan, { announcePrefixes: prefixes(1000) })).not.toThrow();
    expect(refusal(cloudWan, { announcePrefixes: prefixes(1001) }).message).toMatch(/on a Cloud WAN core network \(provisional quota: AWS documents no Cloud WAN figure.*\) that receives more than 1000/);
  });

  test('prefixes must be networks, in a family a tunnel carries', () => {
    expect(refusal(hq, { announcePrefixes: ['10.0.0.1/16'] }).message).toMatch(/site\.announcePrefixes\[0\].*"10\.0\.0\.1\/16".*write "10\.0\.0\.0\/16"/);
    expect(refusal(hq, { announcePrefixes: ['2001:db8::/48'] }).message).toMatch(/IPv6, but no tunnel has IPv6 inside addresses/);
    expect(refusal(v6, { announcePrefixes: ['10.0.0.0/8'] }).message).toMatch(/IPv4, but no tunnel/);
    expect(refusal(hq, { announcePrefixes: ['nonsense'] }).message).toMatch(/site\.announcePrefixes\[0\].*not a CIDR/);
  });

  test('static and BGP fields are not mixed up; the primary tunnel must exist', () => {
    expect(refusal(staticSite, { announcePrefixes: ['10.0.0.0/16'] }).message).toMatch(/BGP connections only/);
    expect(refusal(hq, { awsPrefixes: ['10.0.0.0/16'] }).message).toMatch(/static connections only/);
    expect(refusal(hq, { preference: { mode: 'active-standby', primaryTunnel: 'tunnel3' } }).message).toMatch(/site\.preference\.primaryTunnel.*"tunnel3" is not one of tunnel1, tunnel2/);
    expect(refusal(staticSite, { preference: { mode: 'active-standby', primaryTunnel: 'tunnel1', method: 'med' } }).message).toMatch(/site\.preference\.method/);
    expect(refusal(hq, { preference: { mode: 'sometimes' } as never }).message).toMatch(/site\.preference\.mode/);
  });
});

describe('what the routing renderers derive', () => {
  test('never more than the quota sent; what AWS may send bounded by its own quota', () => {
    expect(renderFrr(hq)).toMatch(/maximum-prefix-out 100$/m);
    expect(renderFrr(hq)).toMatch(/maximum-prefix 1000 warning-only$/m);
    expect(renderFrr(tgw)).toMatch(/maximum-prefix-out 1000$/m);
    expect(renderBird(tgw)).toMatch(/export limit 1000 action block;/);
    expect(renderBird(hq)).toMatch(/import limit 1000 action warn;/);
  });

  test('AWS hold time and a third of it as keepalive, on AWS inside addresses with AWS ASN', () => {
    const frr = renderFrr(hq);
    expect(frr).toContain(' neighbor 169.254.10.1 remote-as 64512\n neighbor 169.254.10.1 description tunnel1 AWS 192.0.2.101\n neighbor 169.254.10.1 timers 10 30');
    expect(frr).toContain('router bgp 65010\n bgp router-id 169.254.10.2');
    expect(renderBird(hq)).toContain('  local 169.254.10.6 as 65010;\n  neighbor 169.254.10.5 as 64512;\n  hold time 30;\n  keepalive time 10;');
  });

  test('active-active: ECMP; nothing to announce: nothing sent', () => {
    expect(renderFrr(hq)).toContain('  maximum-paths 2');
    expect(renderFrr(hq)).toMatch(/route-map vpn-0123456789abcdef0-tunnel1-out deny 10/);
    expect(renderBird(hq)).toContain('merge paths on;');
    expect(renderBird(hq)).toContain('export none;');
  });

  test('active-standby with MED: lower MED and higher local preference on the primary', () => {
    const config = withSiteRouting(hq, { announcePrefixes: ['198.51.100.0/24'], preference: { mode: 'active-standby', primaryTunnel: 'tunnel2', method: 'med' } });
    const frr = renderFrr(config);
    expect(frr).not.toContain('maximum-paths');
    expect(frr).toMatch(/route-map vpn-0123456789abcdef0-tunnel1-in permit 10\n set local-preference 100/);
    expect(frr).toMatch(/route-map vpn-0123456789abcdef0-tunnel2-in permit 10\n set local-preference 200/);
    expect(frr).toMatch(/tunnel1-out permit 10\n match ip address prefix-list vpn-0123456789abcdef0-announce\n set metric 200/);
    expect(frr).toMatch(/tunnel2-out permit 10\n match ip address prefix-list vpn-0123456789abcdef0-announce\n set metric 100/);
    const bird = renderBird(config);
    expect(bird).toContain('if net ~ [ 198.51.100.0/24 ] then { bgp_med = 200; accept; }');
    expect(bird).toContain('bgp_local_pref = 200;');
  });

  test('active-standby with AS-path prepend: only the standby prepends', () => {
    const config = withSiteRouting(hq, { announcePrefixes: ['198.51.100.0/24'], preference: { mode: 'active-standby', primaryTunnel: 'tunnel1', method: 'as-path-prepend' } });
    const frr = renderFrr(config);
    expect(frr.match(/set as-path prepend 65010 65010/g)).toHaveLength(1);
    expect(frr).toMatch(/tunnel2-out permit 10\n match ip address prefix-list \S+\n set as-path prepend 65010 65010/);
    expect(renderBird(config).match(/bgp_path\.prepend\(65010\); bgp_path\.prepend\(65010\);/g)).toHaveLength(1);
  });

  test('static site: AWS prefixes into each tunnel, the standby at a higher distance', () => {
    const config = withSiteRouting(staticSite, { awsPrefixes: ['10.0.0.0/16'], preference: { mode: 'active-standby', primaryTunnel: 'tunnel2' } });
    expect(renderFrr(config)).toContain('ip route 10.0.0.0/16 ipsec1 200\nip route 10.0.0.0/16 ipsec2 100');
    expect(renderFrr(config)).not.toContain('router bgp');
  });
});

describe('Libreswan', () => {
  test('proposals leave out what Libreswan lacks, and say so; a tunnel left with nothing is refused', () => {
    const conf = renderLibreswan(hq).ipsecConf;
    expect(conf).not.toMatch(/modp1024|dh22|dh23|dh24/);
    const limited = { ...hq, tunnels: hq.tunnels.map((t) => ({ ...t, ike: { ...t.ike, dhGroups: [2, 22] } })) };
    expect(() => renderLibreswan(limited)).toThrow(/tunnels\[0\]\.ike\.dhGroups.*no group Libreswan 4 offers/);
    // The custom resource still writes every other file, and Libreswan files that say why.
    const artifacts = renderSiteArtifacts(limited);
    expect(artifacts.libreswan).toMatch(/^# Libreswan 4 cannot serve vpn-0123456789abcdef0: tunnels\[0\]\.ike\.dhGroups/);
    expect(artifacts.frr).toContain('router bgp 65010');
  });

  test('no key in the files unless inline; then only in ipsec.secrets', () => {
    const files = renderLibreswan(hq);
    expect(files.ipsecSecrets).toMatch(/# and write: 198\.51\.100\.10 192\.0\.2\.101 : PSK "<the key>"/);
    const referenced = renderLibreswan(tgw);
    for (const key of presharedKeysIn('tgw-bgp-defaults')) expect(referenced.ipsecConf + referenced.ipsecSecrets).not.toContain(key);
    const inline = endpointConfigFromDescribe(loadConnection('tgw-bgp-defaults'), { inlineSecrets: true });
    const key = (inline.tunnels[0].preSharedKey as { value: string }).value;
    const withKeys = renderLibreswan(inline);
    expect(withKeys.ipsecSecrets).toContain(`203.0.113.20 192.0.2.33 : PSK "${key}"`);
    expect(withKeys.ipsecConf).not.toContain(key);
  });
});

/** Libreswan ipsec.conf: each tunnel option mapped as swanctl.conf maps it (authentication, selectors, NAT-T). */
import { endpointConfigFromDescribe } from '../../lib/endpoint';
import { renderLibreswan, withSiteRouting } from '../../lib/endpoint/site';
import { loadConnection } from './fixtures';

function conf(name: string, options = {}): string {
  return renderLibreswan(endpointConfigFromDescribe(loadConnection(name)), options).ipsecConf;
}

/** The lines of one `conn` section. */
function connOf(text: string, name: string): string {
  const start = text.indexOf(`conn ${name}\n`);
  if (start < 0) throw new Error(`no conn ${name}`);
  const end = text.indexOf('\nconn ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

describe('Libreswan ipsec.conf', () => {
  test("certificate authentication: rsasig, our certificate by NSS nickname, AWS by its certificate's DN (as swanctl.conf)", () => {
    const text = conf('certificate-auth');
    const t1 = connOf(text, 'vpn-059ee0661e851adf4-tunnel1');
    expect(t1).toContain('    authby=rsasig\n');
    expect(t1).toContain('    leftcert=cgw-');
    expect(t1).toContain('    leftid=%fromcert\n');
    expect(t1).toContain('    rightid="C=US, ST=WA, L=Seattle, O=Amazon.com, OU=AWS, CN=vpn-059ee0661e851adf4.endpoint-0"\n');
    expect(t1).toContain('    rightca=%same\n');
    expect(t1).not.toContain('authby=secret');
    expect(conf('certificate-auth', { certificateNickname: 'site-a' })).toContain('    leftcert=site-a\n');
    expect(() => conf('certificate-auth', { certificateNickname: 'a b' })).toThrow(/certificateNickname.*"a b"/);
    expect(renderLibreswan(endpointConfigFromDescribe(loadConnection('certificate-auth'))).ipsecSecrets).not.toMatch(/PSK/);
  });

  test("a static site's leftupdown is the Linux script with --updown (failover); a BGP site's is disabled", () => {
    const site = withSiteRouting(endpointConfigFromDescribe(loadConnection('static-routing')), { awsPrefixes: ['10.0.0.0/16'] });
    const text = renderLibreswan(site).ipsecConf;
    expect(text.match(/^ {4}leftupdown="\/usr\/local\/sbin\/vpn-[0-9a-f]+-tunnels\.sh --updown"$/gm)?.length).toBe(2);
    expect(text).not.toContain('%disabled');
    // Without AWS prefixes there are no static routes to take away.
    expect(conf('static-routing').match(/^ {4}leftupdown=%disabled$/gm)?.length).toBe(2);
    expect(conf('hq').match(/^ {4}leftupdown=%disabled$/gm)?.length).toBe(2);
  });

  test('pre-shared keys: both sides by their outside addresses', () => {
    const t1 = connOf(conf('hq'), 'vpn-0123456789abcdef0-tunnel1');
    expect(t1).toMatch(/ {4}authby=secret\n {4}left=\S+\n {4}leftid=\S+\n {4}right=\S+\n {4}rightid=\S+\n/);
  });

  test('accelerated connections force UDP encapsulation; others leave NAT-T to detection', () => {
    expect(conf('accelerated').match(/^ {4}encapsulation=yes$/gm)?.length).toBe(2);
    expect(conf('hq')).not.toContain('encapsulation');
  });

  test("exactly AWS's traffic selectors", () => {
    const text = conf('narrow-selectors');
    expect(text.match(/^ {4}leftsubnet=10\.0\.0\.0\/16$/gm)?.length).toBe(2);
    expect(text.match(/^ {4}rightsubnet=10\.20\.0\.0\/16$/gm)?.length).toBe(2);
    expect(conf('hq')).toContain('    leftsubnet=0.0.0.0/0\n    rightsubnet=0.0.0.0/0\n');
  });

  test('IPv6 outside addresses', () => {
    const text = conf('ipv6-outside');
    expect(text).toMatch(/^ {4}left=2001:db8:[0-9a-f:]+$/m);
    expect(text).toMatch(/^ {4}right=2001:db8:[0-9a-f:]+$/m);
    expect(text).toContain('    leftsubnet=::/0\n');
  });

  test("algorithm names are the registry's Libreswan names", () => {
    expect(conf('accelerated')).toContain('    ike=aes_gcm256-sha2_384-dh20\n    esp=aes_gcm256-none-dh20\n');
  });
});

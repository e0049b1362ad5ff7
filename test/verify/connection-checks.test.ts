/**
 * The checks the real response shapes brought: certificate authentication, forced UDP encapsulation for
 * accelerated connections, and the exact (and IPv6-only) traffic selectors. Each starts from the swanctl.conf
 * the renderer writes for a public-source fixture (which passes, see static-pass.test.ts) and breaks one thing.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { endpointConfigFromDescribe, renderSwanctl } from '../../lib/endpoint';
import { verifyConfig } from '../../lib/verify';
import { certificateFilesFor, writeFilesUnder } from '../interop/harness/test-pki';
import { describeOf, loadConnection, tempDir } from './helpers';

async function verifyEditedSwanctl(fixture: string, edit: (conf: string) => string) {
  const config = endpointConfigFromDescribe(loadConnection(fixture));
  const conf = renderSwanctl(config);
  const edited = edit(conf);
  expect(edited).not.toBe(conf);
  const dir = tempDir();
  writeFilesUnder(dir, certificateFilesFor(config));
  const file = join(dir, 'edited.swanctl.conf');
  writeFileSync(file, edited);
  const report = await verifyConfig({ configPath: file, describe: describeOf(fixture), dynamic: false });
  return (id: string, tunnel = 0) => report.tunnels[tunnel].checks.find((c) => c.id === id);
}

describe('certificate authentication', () => {
  test('as rendered: passes, naming AWS identity', async () => {
    const check = await verifyEditedSwanctl('certificate-auth', (c) => `${c}\n`);
    expect(check('authentication')).toEqual(expect.objectContaining({ status: 'pass', summary: expect.stringContaining('CN=vpn-059ee0661e851adf4.endpoint-0') }));
    expect(check('pre-shared-key')).toBeUndefined();
  });

  test('a pre-shared key against a certificate tunnel fails as an authentication mismatch, not a missing key', async () => {
    const check = await verifyEditedSwanctl('certificate-auth', (c) => c.replace(/auth = pubkey/g, 'auth = psk'));
    expect(check('authentication')).toEqual(expect.objectContaining({
      status: 'fail',
      summary: expect.stringContaining('AWS authenticates this tunnel with certificates'),
      fix: expect.stringContaining('set auth = pubkey on both sides'),
    }));
    expect(check('pre-shared-key')).toBeUndefined();
  });

  test("a remote id that is not AWS's tunnel certificate fails; none at all warns", async () => {
    const wrong = await verifyEditedSwanctl('certificate-auth', (c) => c.replace('CN=vpn-059ee0661e851adf4.endpoint-0', 'CN=vpn-059ee0661e851adf4.endpoint-1'));
    expect(wrong('authentication')).toEqual(expect.objectContaining({ status: 'fail', fix: 'set remote.id = "C=US, ST=WA, L=Seattle, O=Amazon.com, OU=AWS, CN=vpn-059ee0661e851adf4.endpoint-0"' }));
    const none = await verifyEditedSwanctl('certificate-auth', (c) => c.replace(/^ {6}id = "C=US.+\n/gm, ''));
    expect(none('authentication')?.status).toBe('warn');
  });
});

describe('accelerated connections', () => {
  test('encap = yes passes; without it the check fails and says what to set', async () => {
    expect((await verifyEditedSwanctl('accelerated', (c) => `${c}\n`))('udp-encapsulation')?.status).toBe('pass');
    const check = await verifyEditedSwanctl('accelerated', (c) => c.replace(/encap = yes/g, 'encap = no'));
    expect(check('udp-encapsulation', 1)).toEqual(expect.objectContaining({ status: 'fail', fix: 'set encap = yes in connection vpn-0acce1e4a7ed00001-tunnel2' }));
  });

  test('a connection that is not accelerated has no such check', async () => {
    expect((await verifyEditedSwanctl('cloud-wan', (c) => `${c}\n`))('udp-encapsulation')).toBeUndefined();
  });
});

describe('traffic selectors', () => {
  test('an IPv6-only connection fails a config that also offers IPv4 selectors', async () => {
    const check = await verifyEditedSwanctl('ipv6-outside', (c) => c.replace(/_ts = ::\/0/g, '_ts = 0.0.0.0/0,::/0'));
    expect(check('traffic-selectors')).toEqual(expect.objectContaining({
      status: 'fail',
      summary: expect.stringContaining('(an IPv6-only connection: IPv6 selectors only)'),
    }));
  });

  test('narrowed Local/RemoteIpv4NetworkCidr: exactly those pass, 0.0.0.0/0 fails', async () => {
    expect((await verifyEditedSwanctl('narrow-selectors', (c) => `${c}\n`))('traffic-selectors')?.status).toBe('pass');
    const check = await verifyEditedSwanctl('narrow-selectors', (c) => c.replace(/remote_ts = 10\.20\.0\.0\/16/g, 'remote_ts = 0.0.0.0/0'));
    expect(check('traffic-selectors')).toEqual(expect.objectContaining({
      status: 'fail',
      fix: expect.stringMatching(/local_ts = 10\.0\.0\.0\/16 and .+remote_ts = 10\.20\.0\.0\/16$/),
    }));
  });
});

/** JSON output: the model itself, stable, round-trips, and is checked on the way back in. */
import { endpointConfigFromDescribe, parseEndpointConfigJson, renderJson, EndpointConfigError } from '../../lib/endpoint';
import { FIXTURE_NAMES, loadConnection } from './fixtures';

describe('renderJson', () => {
  test.each(FIXTURE_NAMES)('%s: JSON -> model round-trips', (name) => {
    const config = endpointConfigFromDescribe(loadConnection(name));
    const text = renderJson(config);
    expect(parseEndpointConfigJson(text)).toEqual(config);
    expect(renderJson(parseEndpointConfigJson(text))).toBe(text);
  });

  test('2-space indent, trailing newline, the model\'s key order whatever the build order', () => {
    const config = endpointConfigFromDescribe(loadConnection('static-routing'));
    const text = renderJson(config);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n  "formatVersion": 1,\n  "vpnConnectionId": "vpn-0c3d4e5f60718293a",\n  "customerGatewayId"')).toBe(true);
    const reversed = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reversed)
        : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)]))
          : v;
    const shuffled = reversed(config) as typeof config;
    expect(Object.keys(shuffled)[0]).not.toBe('formatVersion');
    expect(renderJson(shuffled)).toBe(text);
  });

  test('a reference keeps source first', () => {
    const text = renderJson(endpointConfigFromDescribe(loadConnection('tgw-bgp-defaults')));
    expect(text).toContain('"preSharedKey": {\n        "source": "describe-vpn-connections",\n        "vpnConnectionId": "vpn-0b2c3d4e5f6071829",\n        "awsOutsideAddress": "192.0.2.33"\n      }');
  });
});

describe('parseEndpointConfigJson', () => {
  const good = JSON.parse(renderJson(endpointConfigFromDescribe(loadConnection('vgw-bgp-multi-algorithm'))));

  function withChange(change: (c: any) => void): string { // eslint-disable-line @typescript-eslint/no-explicit-any
    const copy = JSON.parse(JSON.stringify(good));
    change(copy);
    return JSON.stringify(copy);
  }

  test.each([
    ['not JSON', '{"formatVersion": 1, "x": secretValue}', /^\(endpoint config JSON\): is not valid JSON/],
    ['another format version', withChange((c) => (c.formatVersion = 2)), /^formatVersion: expected 1, found 2/],
    ['unknown gateway type', withChange((c) => (c.gateway.type = 'cwan')), /^gateway\.type: "cwan" is not one of vgw, tgw/],
    ['bad static CIDR', withChange((c) => (c.routing = { type: 'static', onPremCidrs: ['10.0.0.0/40'] })), /^routing\.onPremCidrs\[0\]: "10.0.0.0\/40" is not a CIDR/],
    ['no tunnels', withChange((c) => (c.tunnels = [])), /^tunnels: needs at least 1 entry/],
    ['AWS algorithm name instead of keyword', withChange((c) => (c.tunnels[0].ike.encryption = ['AES256'])), /^tunnels\[0\]\.ike\.encryption\[0\]: unknown encryption keyword "AES256"/],
    ['phase 1 group 5', withChange((c) => (c.tunnels[1].ike.dhGroups = [5])), /^tunnels\[1\]\.ike\.dhGroups\[0\]: 5 is not one of/],
    ['bad inside CIDR', withChange((c) => (c.tunnels[0].local.insideCidr = 'fd00::1/126')), /^tunnels\[0\]\.local\.insideCidr: "fd00::1\/126" is not IPv4/],
    ['a tunnel name that is not a plain name', withChange((c) => (c.tunnels[0].name = 'tunnel1 {')), /^tunnels\[0\]\.name: "tunnel1 \{" may hold only letters/],
    ['transport mode', withChange((c) => (c.tunnels[0].esp.mode = 'transport')), /^tunnels\[0\]\.esp\.mode: "transport" is not one of tunnel/],
    ['unknown key reference', withChange((c) => (c.tunnels[0].preSharedKey = { vault: 'x' })), /^tunnels\[0\]\.preSharedKey: expected \{ secretArn \}/],
    ['empty inline key', withChange((c) => (c.tunnels[0].preSharedKey = { value: '' })), /^tunnels\[0\]\.preSharedKey\.value: must be a non-empty string/],
  ])('%s', (_title, text, message) => {
    expect(() => parseEndpointConfigJson(text)).toThrow(EndpointConfigError);
    expect(() => parseEndpointConfigJson(text)).toThrow(message);
  });

  test('invalid JSON never echoes the input', () => {
    expect(() => parseEndpointConfigJson('{"preSharedKey": {"value": EXAMPLEsecretKey123}}')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('EXAMPLEsecretKey123') }),
    );
  });
});

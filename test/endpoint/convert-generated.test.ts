/**
 * Whole VpnConnection objects generated from @aws-sdk/client-ec2's shapes (see generated/): conversion either
 * succeeds with a model that passes its own validation and renders, or throws EndpointConfigError naming a
 * field. Never a TypeError, never a key in a message.
 */
import fc from 'fast-check';
import {
  EndpointConfigError,
  EndpointConfigPendingError,
  endpointConfigFromDescribe,
  parseEndpointConfigJson,
  renderJson,
  renderSwanctl,
  renderTypeScript,
  validateEndpointConfig,
} from '../../lib/endpoint';
import { vpnConnection } from './generated/vpn-connection-arbitrary';

test('any generated connection converts to a valid model, or fails with EndpointConfigError naming a field', () => {
  let converted = 0;
  let refused = 0;
  fc.assert(
    fc.property(vpnConnection, fc.boolean(), ({ connection, keys }, inlineSecrets) => {
      let config;
      try {
        config = endpointConfigFromDescribe(connection, { inlineSecrets });
      } catch (e) {
        expect(e).toBeInstanceOf(EndpointConfigError);
        const error = e as EndpointConfigError;
        expect(error.field).toMatch(/^[A-Za-z]/);
        expect(error.message.startsWith(`${error.field}: `)).toBe(true);
        for (const key of keys) expect(error.message).not.toContain(key);
        if (connection.State === 'pending' && !connection.Options?.TunnelOptions?.length) expect(e).toBeInstanceOf(EndpointConfigPendingError);
        refused++;
        return;
      }
      converted++;
      expect(validateEndpointConfig(JSON.parse(JSON.stringify(config)))).toEqual(config);
      expect(parseEndpointConfigJson(renderJson(config))).toEqual(config);
      const conf = renderSwanctl(config);
      renderTypeScript(config);
      if (!inlineSecrets) for (const key of keys) expect(conf).not.toContain(key);
      if (config.transport?.accelerated) expect(conf).not.toMatch(/encap = no/);
      if (connection.Options?.TunnelInsideIpVersion === 'ipv6') expect(conf).not.toContain('0.0.0.0/0');
    }),
    { numRuns: 400, seed: 20261201 },
  );
  // The generator must reach both outcomes, or the property says little.
  expect(converted).toBeGreaterThan(100);
  expect(refused).toBeGreaterThan(10);
});

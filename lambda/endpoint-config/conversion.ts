/**
 * The converter and renderers of `lib/endpoint`, behind the small interface the handler needs, so the
 * handler never converts anything itself.
 */
import type { VpnConnection } from '@aws-sdk/client-ec2';
import {
  ConvertOptions,
  endpointConfigFromDescribe,
  OnPremEndpointConfig,
  renderJson,
  renderSwanctl,
  renderTypeScript,
} from '../../lib/endpoint';
import type { ArtifactKind } from '../../lib/endpoint-config-resource/contract';

export interface EndpointConverter {
  convert(connection: VpnConnection, options: ConvertOptions): OnPremEndpointConfig;
  render(config: OnPremEndpointConfig): Record<ArtifactKind, string>;
}

export const libraryConverter: EndpointConverter = {
  convert: (connection, options) => endpointConfigFromDescribe(connection, options),
  render: (config) => ({
    json: renderJson(config),
    typescript: renderTypeScript(config),
    swanctl: renderSwanctl(config),
  }),
};

/**
 * The custom resource's attributes: per tunnel, addresses only; and where the artifacts are. Every name is
 * always present (empty when not applicable), because `Fn::GetAtt` on a missing attribute fails the stack.
 */
import { MAX_TUNNELS_PER_CONNECTION } from '../../lib/aws-rules';
import type { OnPremEndpointConfig } from '../../lib/endpoint/model';
import { ARTIFACT_PREFIX_URI_ATTRIBUTE, ARTIFACT_URI_ATTRIBUTES, ArtifactKind, TUNNEL_ATTRIBUTES } from '../../lib/endpoint-config-resource/contract';
import { ConnectionLocation, s3Uri } from './properties';

export function attributesOf(
  config: OnPremEndpointConfig,
  location: ConnectionLocation,
  uris: Readonly<Record<ArtifactKind, string>>,
): Record<string, string> {
  const attributes: Record<string, string> = {
    VpnConnectionId: config.vpnConnectionId,
    [ARTIFACT_PREFIX_URI_ATTRIBUTE]: s3Uri(location.bucketName, location.keyPrefix),
  };
  for (const kind of Object.keys(ARTIFACT_URI_ATTRIBUTES) as ArtifactKind[]) attributes[ARTIFACT_URI_ATTRIBUTES[kind]] = uris[kind];
  for (let n = 1; n <= MAX_TUNNELS_PER_CONNECTION; n++) {
    const tunnel = config.tunnels[n - 1];
    attributes[TUNNEL_ATTRIBUTES.awsOutsideAddress(n)] = tunnel?.remote.outsideAddress ?? '';
    attributes[TUNNEL_ATTRIBUTES.awsInsideCidr(n)] = tunnel?.remote.insideCidr ?? '';
    attributes[TUNNEL_ATTRIBUTES.customerInsideCidr(n)] = tunnel?.local.insideCidr ?? '';
    attributes[TUNNEL_ATTRIBUTES.awsInsideIpv6Cidr(n)] = tunnel?.remote.insideIpv6Cidr ?? '';
    attributes[TUNNEL_ATTRIBUTES.customerInsideIpv6Cidr(n)] = tunnel?.local.insideIpv6Cidr ?? '';
  }
  return attributes;
}

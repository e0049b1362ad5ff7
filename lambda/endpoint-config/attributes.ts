/**
 * The custom resource's attributes: per tunnel, addresses only; and where the artifacts are. Every name is
 * always present (empty when not applicable), because `Fn::GetAtt` on a missing attribute fails the stack.
 */
import { MAX_TUNNELS_PER_CONNECTION } from '../../lib/aws-rules';
import type { OnPremEndpointConfig } from '../../lib/endpoint/model';
import {
  ARTIFACT_PREFIX_URI_ATTRIBUTE,
  ARTIFACT_URI_ATTRIBUTES,
  ArtifactKind,
  ENDPOINT_CONFIG_STATUS_ATTRIBUTE,
  ENDPOINT_CONFIG_STATUS_OK,
  TUNNEL_ATTRIBUTES,
} from '../../lib/endpoint-config-resource/contract';
import { ConnectionLocation, s3Uri } from './properties';

export function attributesOf(
  config: OnPremEndpointConfig,
  location: ConnectionLocation,
  uris: Readonly<Record<ArtifactKind, string>>,
): Record<string, string> {
  const attributes: Record<string, string> = {
    VpnConnectionId: config.vpnConnectionId,
    [ARTIFACT_PREFIX_URI_ATTRIBUTE]: s3Uri(location.bucketName, location.keyPrefix),
    [ENDPOINT_CONFIG_STATUS_ATTRIBUTE]: ENDPOINT_CONFIG_STATUS_OK,
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

/**
 * The attributes of a connection that could not be converted: no artifact URIs, the status saying why, and
 * the tunnels' AWS outside addresses (the tunnel alarms need them) read as simply as the response allows.
 */
export function unconvertedAttributes(
  vpnConnectionId: string,
  location: ConnectionLocation,
  awsOutsideAddresses: readonly string[],
  status: string,
): Record<string, string> {
  const attributes: Record<string, string> = {
    VpnConnectionId: vpnConnectionId,
    [ARTIFACT_PREFIX_URI_ATTRIBUTE]: s3Uri(location.bucketName, location.keyPrefix),
    [ENDPOINT_CONFIG_STATUS_ATTRIBUTE]: status,
  };
  for (const kind of Object.keys(ARTIFACT_URI_ATTRIBUTES) as ArtifactKind[]) attributes[ARTIFACT_URI_ATTRIBUTES[kind]] = '';
  for (let n = 1; n <= MAX_TUNNELS_PER_CONNECTION; n++) {
    attributes[TUNNEL_ATTRIBUTES.awsOutsideAddress(n)] = awsOutsideAddresses[n - 1] ?? '';
    attributes[TUNNEL_ATTRIBUTES.awsInsideCidr(n)] = '';
    attributes[TUNNEL_ATTRIBUTES.customerInsideCidr(n)] = '';
    attributes[TUNNEL_ATTRIBUTES.awsInsideIpv6Cidr(n)] = '';
    attributes[TUNNEL_ATTRIBUTES.customerInsideIpv6Cidr(n)] = '';
  }
  return attributes;
}

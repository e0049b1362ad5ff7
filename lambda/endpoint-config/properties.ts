/**
 * The resource properties, checked: every handler step works on these, never on the raw event.
 */
import { ARTIFACT_FILES, ArtifactKind, EndpointConfigProperties } from '../../lib/endpoint-config-resource/contract';

/** Where one connection's artifacts and secrets live. */
export interface ConnectionLocation {
  readonly vpnConnectionId: string;
  readonly bucketName: string;
  /** `<KeyPrefix><vpn-id>/`: the connection's own folder in the bucket. */
  readonly keyPrefix: string;
  /** `<SecretNamePrefix><vpn-id>/`: the names of the connection's secrets start with this. */
  readonly secretNamePrefix: string;
}

/** A property that is missing or malformed. The message names the property and the value (never a secret). */
export class InvalidPropertyError extends Error {
  constructor(property: string, value: unknown, expected: string) {
    super(`Resource property \`${property}\` ${JSON.stringify(value)} is invalid: ${expected}`);
    this.name = 'InvalidPropertyError';
  }
}

const VPN_CONNECTION_ID = /^vpn-[0-9a-f]{8,17}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KEY_PREFIX = /^([A-Za-z0-9!_.*'()\-]+\/)*$/;
const SECRET_NAME_PREFIX = /^([A-Za-z0-9_+=.@-]+\/)+$/;

/** Checks the properties CloudFormation passed and derives the connection's location. */
export function parseProperties(raw: Record<string, unknown> | undefined): ConnectionLocation {
  const props = (raw ?? {}) as Partial<Record<keyof EndpointConfigProperties, unknown>>;
  const vpnConnectionId = checked('VpnConnectionId', props.VpnConnectionId, VPN_CONNECTION_ID, 'a VPN connection id such as vpn-0123456789abcdef0');
  const bucketName = checked('BucketName', props.BucketName, BUCKET_NAME, 'an S3 bucket name');
  const keyPrefix = checked('KeyPrefix', props.KeyPrefix ?? '', KEY_PREFIX, 'empty or folder names each ending in "/"');
  const secretNamePrefix = checked('SecretNamePrefix', props.SecretNamePrefix, SECRET_NAME_PREFIX, 'secret name characters ending in "/"');
  return {
    vpnConnectionId,
    bucketName,
    keyPrefix: `${keyPrefix}${vpnConnectionId}/`,
    secretNamePrefix: `${secretNamePrefix}${vpnConnectionId}/`,
  };
}

function checked(property: string, value: unknown, pattern: RegExp, expected: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new InvalidPropertyError(property, value, `expected ${expected}`);
  return value;
}

/**
 * The physical id, from the connection id alone: a new connection means a new resource (CloudFormation then
 * deletes the old one with its old properties); a moved bucket or prefix is cleaned up by the Update itself.
 */
export function physicalResourceIdOf(location: ConnectionLocation): string {
  return `${location.vpnConnectionId}-endpoint-config`;
}

/** True when both locations put the artifacts in the same folder. */
export function sameArtifactFolder(a: ConnectionLocation, b: ConnectionLocation): boolean {
  return a.bucketName === b.bucketName && a.keyPrefix === b.keyPrefix;
}

/** True when an Update changes nothing the handler uses (the service token does not count). */
export function sameProperties(oldProps: Record<string, unknown> | undefined, newProps: Record<string, unknown> | undefined): boolean {
  const meaningful = (props: Record<string, unknown> | undefined) => {
    const { ServiceToken: _ignored, ...rest } = props ?? {};
    return JSON.stringify(Object.keys(rest).sort().map((key) => [key, rest[key]]));
  };
  return meaningful(oldProps) === meaningful(newProps);
}

/** The object key of one artifact. */
export function artifactKey(location: ConnectionLocation, kind: ArtifactKind): string {
  return `${location.keyPrefix}${ARTIFACT_FILES[kind]}`;
}

/** `s3://bucket/key` */
export function s3Uri(bucketName: string, key: string): string {
  return `s3://${bucketName}/${key}`;
}

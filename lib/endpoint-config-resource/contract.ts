/**
 * The contract between the `EndpointConfigResource` construct and its handler: resource type, property and
 * attribute names, environment variables, artifact file names and secret tags.
 *
 * Both sides import this file, so a name is written once. It imports nothing, which keeps the construct free
 * of the AWS SDK and the handler free of aws-cdk-lib.
 */

/**
 * Site names become S3 key parts (`endpoint-configs/<site>/`), secret names, construct ids and log group
 * name parts: keep them to a safe alphabet. The construct validates against it at synth time.
 */
export const SITE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** The CloudFormation type of the custom resource. */
export const RESOURCE_TYPE = 'Custom::VpnEndpointConfig';

/** The resource properties the construct sets (CloudFormation passes every value as a string). */
export interface EndpointConfigProperties {
  /** `vpn-...`: the connection whose configuration is written. */
  readonly VpnConnectionId: string;
  /** The bucket the artifacts go to. */
  readonly BucketName: string;
  /** Prefix under which each connection gets its own `<prefix><vpn-id>/` folder; empty or ending in `/`. */
  readonly KeyPrefix: string;
  /** Prefix of the Secrets Manager secrets that hold inline pre-shared keys; ends in `/`. */
  readonly SecretNamePrefix: string;
  /** Changes whenever the VPN connection's settings change, so the artifacts are regenerated. Never a secret. */
  readonly ConnectionFingerprint?: string;
}

/** The handler's polling budget: AWS usually needs 5–10 minutes; it stays below the provider's 30-minute limit. */
export const DEFAULT_POLL_TIMEOUT_SECONDS = 25 * 60;

/** Names of the handler's environment variables. */
export const ENV = {
  /** Seconds the handler keeps polling before it fails with a clear message (below the provider's total timeout). */
  pollTimeoutSeconds: 'POLL_TIMEOUT_SECONDS',
} as const;

/** Fields onEvent adds to the event the provider framework passes on to isComplete. */
export interface OnEventResult {
  readonly PhysicalResourceId: string;
  /** ISO time onEvent accepted the request: the start of the polling budget. */
  readonly PollStartedAt: string;
  /** Set on an Update whose properties did not change: report the attributes, write nothing. */
  readonly NoChange?: boolean;
}

/** The artifacts written per connection, by kind. */
export const ARTIFACT_FILES = {
  json: 'endpoint.json',
  typescript: 'endpoint.ts',
  swanctl: 'swanctl.conf',
} as const;
export type ArtifactKind = keyof typeof ARTIFACT_FILES;

/** Attribute names of the artifact URIs (`s3://bucket/key`), by kind. */
export const ARTIFACT_URI_ATTRIBUTES: Readonly<Record<ArtifactKind, string>> = {
  json: 'EndpointJsonUri',
  typescript: 'EndpointTypeScriptUri',
  swanctl: 'SwanctlConfUri',
};

/** Attribute with the `s3://bucket/prefix/` of the connection's folder. */
export const ARTIFACT_PREFIX_URI_ATTRIBUTE = 'ArtifactPrefixUri';

/** Per-tunnel attribute names; `tunnelNumber` is 1-based, as in AWS's XML (`Tunnel1OutsideAddress`). */
export const TUNNEL_ATTRIBUTES = {
  awsOutsideAddress: (tunnelNumber: number) => `Tunnel${tunnelNumber}OutsideAddress`,
  awsInsideCidr: (tunnelNumber: number) => `Tunnel${tunnelNumber}AwsInsideCidr`,
  customerInsideCidr: (tunnelNumber: number) => `Tunnel${tunnelNumber}CustomerInsideCidr`,
  awsInsideIpv6Cidr: (tunnelNumber: number) => `Tunnel${tunnelNumber}AwsInsideIpv6Cidr`,
  customerInsideIpv6Cidr: (tunnelNumber: number) => `Tunnel${tunnelNumber}CustomerInsideIpv6Cidr`,
} as const;

/** Tags on every secret the handler creates: a Delete removes only secrets tagged as its own. */
export const SECRET_TAGS = {
  managedBy: 's2s-vpn:managed-by',
  vpnConnectionId: 's2s-vpn:vpn-connection-id',
  tunnelOutsideAddress: 's2s-vpn:tunnel-outside-address',
} as const;
/** The value of the `managedBy` tag. */
export const SECRET_MANAGER_NAME = 'cdk-site-to-site-vpn/endpoint-config';

/**
 * `EndpointConfigResource`: at deploy time, waits for a VPN connection to become available, converts its
 * DescribeVpnConnections data into the on-prem endpoint config, and writes `endpoint.json`, `endpoint.ts`
 * and `swanctl.conf` to S3. Inline pre-shared keys go to Secrets Manager and are referenced, never copied.
 */
import { createHash } from 'crypto';
import { CustomResource, Duration, Lazy, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  ARTIFACT_PREFIX_URI_ATTRIBUTE,
  ARTIFACT_URI_ATTRIBUTES,
  ArtifactKind,
  EndpointConfigProperties,
  RESOURCE_TYPE,
  SITE_NAME_PATTERN,
  TUNNEL_ATTRIBUTES,
} from './contract';
import { MAX_TUNNELS_PER_CONNECTION } from '../aws-rules';
import { EndpointConfigProvider, SECRET_NAME_PREFIX } from './provider';

export { EndpointConfigProvider, POLL_TIMEOUT, QUERY_INTERVAL, SECRET_NAME_PREFIX, TOTAL_TIMEOUT } from './provider';
export type { ArtifactKind } from './contract';

export interface EndpointConfigResourceProps {
  /** The site's VPN connection; its configuration is written once it is available. */
  readonly vpnConnection: ec2.CfnVPNConnection;
  /** The site's name: the artifacts go under `endpoint-configs/<siteName>/<vpn-id>/`. */
  readonly siteName: string;
  /** The connection's static routes, so the config lists them and is regenerated when they change. @default none */
  readonly staticRoutes?: ec2.CfnVPNConnectionRoute[];
  /**
   * A bucket to write into, e.g. one shared by all sites. It should be versioned: Delete removes every version
   * under the connection's prefix, and a failed Update deletes only the versions it wrote.
   * @default a bucket of this construct: encrypted, versioned, SSL only, public access blocked
   */
  readonly bucket?: s3.IBucket;
  /** Where the created bucket's server access logs go. Ignored with `bucket`. @default no access logs */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /**
   * What happens to the created bucket when it leaves the stack. The custom resource empties its prefix first.
   * @default RemovalPolicy.DESTROY: the artifacts can be regenerated any time
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * One site's endpoint config, written at deploy time (one instance per site). The tunnel addresses AWS assigns
 * come back as attributes, read with the typed getters. All instances in a stack share one provider
 * ({@link EndpointConfigProvider}); the custom resource runs after the connection, its static routes and
 * the provider's grants.
 *
 * @example
 * const config = new EndpointConfigResource(site, 'EndpointConfig', {
 *   vpnConnection: site.vpnConnection, siteName: site.name, staticRoutes: site.staticRoutes,
 * });
 * new CfnOutput(site, 'Tunnel1OutsideAddress', { value: config.tunnelOutsideAddress(0) });
 */
export class EndpointConfigResource extends Construct {
  /** The bucket the artifacts are in. */
  public readonly bucket: s3.IBucket;
  /** `endpoint-configs/<siteName>/`; the connection's artifacts are under `<keyPrefix><vpn-id>/`. */
  public readonly keyPrefix: string;
  /** The custom resource itself, e.g. to add dependencies. */
  public readonly resource: CustomResource;

  private readonly vpnConnection: ec2.CfnVPNConnection;
  private readonly staticRoutes: ec2.CfnVPNConnectionRoute[] = [];

  constructor(scope: Construct, id: string, props: EndpointConfigResourceProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.siteName) && !SITE_NAME_PATTERN.test(props.siteName)) {
      throw new Error(`The \`siteName\` ${JSON.stringify(props.siteName)} is invalid: use 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit`);
    }
    this.vpnConnection = props.vpnConnection;
    this.keyPrefix = `endpoint-configs/${props.siteName}/`;
    this.bucket = props.bucket ?? createEndpointConfigBucket(this, 'Artifacts', props);

    const provider = EndpointConfigProvider.of(this);
    const connectionId = props.vpnConnection.ref;
    provider.grantConnection(this.bucket, `${this.keyPrefix}${connectionId}/`, `${SECRET_NAME_PREFIX}${connectionId}/`);

    const properties: EndpointConfigProperties = {
      VpnConnectionId: connectionId,
      BucketName: this.bucket.bucketName,
      KeyPrefix: this.keyPrefix,
      SecretNamePrefix: SECRET_NAME_PREFIX,
      ConnectionFingerprint: Lazy.string({
        produce: () => connectionFingerprint(this.vpnConnection, this.staticRoutes, (value) => Stack.of(this).resolve(value)),
      }),
    };
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: RESOURCE_TYPE,
      properties: { ...properties },
    });
    // The handler's role must hold its grants before it runs (and until it has deleted on the way out).
    this.resource.node.addDependency(provider);
    (props.staticRoutes ?? []).forEach((route) => this.addStaticRoute(route));
  }

  /** Includes a static route in the config: the resource runs after it and regenerates when it changes. */
  public addStaticRoute(route: ec2.CfnVPNConnectionRoute): void {
    this.staticRoutes.push(route);
    this.resource.node.addDependency(route);
  }

  /** AWS's outside address of tunnel `index` (0 or 1, in AWS's order). */
  public tunnelOutsideAddress(index: number): string {
    return this.resource.getAttString(TUNNEL_ATTRIBUTES.awsOutsideAddress(tunnelNumber(index)));
  }

  /** AWS's inside address of tunnel `index` with its prefix, e.g. `169.254.44.1/30`. */
  public tunnelAwsInsideCidr(index: number): string {
    return this.resource.getAttString(TUNNEL_ATTRIBUTES.awsInsideCidr(tunnelNumber(index)));
  }

  /** The customer gateway's inside address of tunnel `index` with its prefix, e.g. `169.254.44.2/30`. */
  public tunnelCustomerInsideCidr(index: number): string {
    return this.resource.getAttString(TUNNEL_ATTRIBUTES.customerInsideCidr(tunnelNumber(index)));
  }

  /** `s3://bucket/key` of one artifact: `json` (endpoint.json), `typescript` (endpoint.ts), `swanctl` (swanctl.conf). */
  public artifactUri(kind: ArtifactKind): string {
    return this.resource.getAttString(ARTIFACT_URI_ATTRIBUTES[kind]);
  }

  /** `s3://bucket/<keyPrefix><vpn-id>/`: the folder with the connection's artifacts. */
  public get artifactPrefixUri(): string {
    return this.resource.getAttString(ARTIFACT_PREFIX_URI_ATTRIBUTE);
  }
}

/** Options of the artifacts bucket {@link createEndpointConfigBucket} makes. */
export interface EndpointConfigBucketOptions {
  /** Where the bucket's server access logs go. @default no access logs (acknowledged for cdk-nag, see below) */
  readonly serverAccessLogsBucket?: s3.IBucket;
  /** @default RemovalPolicy.DESTROY: the artifacts can be regenerated any time */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The bucket endpoint configs are written to: encrypted, versioned, SSL only, public access blocked.
 * `SiteToSiteVpn` makes one for all its sites; an `EndpointConfigResource` without a bucket makes its own.
 */
export function createEndpointConfigBucket(scope: Construct, id: string, options: EndpointConfigBucketOptions = {}): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    versioned: true,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: options.serverAccessLogsBucket,
    serverAccessLogsPrefix: options.serverAccessLogsBucket ? 'endpoint-configs/' : undefined,
    // Regenerated versions are history only; keep three months of it.
    lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
    removalPolicy: options.removalPolicy ?? RemovalPolicy.DESTROY,
  });
  if (!options.serverAccessLogsBucket) {
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "The bucket holds generated, non-secret configuration written only by this construct's deploy-time handler, which logs every write; " +
        'readers can be audited with CloudTrail data events. Pass `serverAccessLogsBucket` to turn server access logs on.',
    });
  }
  return bucket;
}

/**
 * A digest of a connection's settings (pre-shared keys left out) and of its static routes: it changes when they
 * do, so CloudFormation sends the custom resource an Update and the artifacts are regenerated.
 * `resolve` turns tokens into their template form (`Stack.of(x).resolve`).
 */
export function connectionFingerprint(
  connection: ec2.CfnVPNConnection,
  staticRoutes: readonly ec2.CfnVPNConnectionRoute[],
  resolve: (value: unknown) => unknown,
): string {
  const c = connection;
  const tunnels = withoutKeys(resolve(c.vpnTunnelOptionsSpecifications ?? []));
  const settings = resolve({
    customerGatewayId: c.customerGatewayId,
    vpnGatewayId: c.vpnGatewayId,
    transitGatewayId: c.transitGatewayId,
    staticRoutesOnly: c.staticRoutesOnly,
    enableAcceleration: c.enableAcceleration,
    localIpv4NetworkCidr: c.localIpv4NetworkCidr,
    remoteIpv4NetworkCidr: c.remoteIpv4NetworkCidr,
    localIpv6NetworkCidr: c.localIpv6NetworkCidr,
    remoteIpv6NetworkCidr: c.remoteIpv6NetworkCidr,
    outsideIpAddressType: c.outsideIpAddressType,
    tunnelInsideIpVersion: c.tunnelInsideIpVersion,
    tunnelBandwidth: c.tunnelBandwidth,
    preSharedKeyStorage: c.preSharedKeyStorage,
    routes: staticRoutes.map((r) => r.destinationCidrBlock),
  });
  return createHash('sha256').update(JSON.stringify([settings, tunnels])).digest('hex').slice(0, 32);
}

/** The tunnel's 1-based number for a 0-based index; throws for an index a connection does not have. */
function tunnelNumber(index: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_TUNNELS_PER_CONNECTION) {
    throw new Error(`Tunnel index ${index} is out of range: a VPN connection has ${MAX_TUNNELS_PER_CONNECTION} tunnels, indexes 0 to ${MAX_TUNNELS_PER_CONNECTION - 1}`);
  }
  return index + 1;
}

/** The value with every `preSharedKey` field removed, at any depth. */
function withoutKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key.toLowerCase() !== 'presharedkey')
      .map(([key, v]) => [key, withoutKeys(v)]),
  );
}

/**
 * The custom-resource provider behind every `EndpointConfigResource` of a stack: the onEvent and isComplete
 * handlers, and aws-cdk's provider framework that polls isComplete. One per stack, shared by all sites.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { DEFAULT_POLL_TIMEOUT_SECONDS, ENV } from './contract';
import { bundledHandlerDir, EndpointConfigHandler } from './handler-assets';
import { acknowledgeNag, acknowledgeNagFindings } from './nag-acknowledgements';

/** How often the framework calls isComplete. */
export const QUERY_INTERVAL = Duration.seconds(30);
/** The framework's hard limit; AWS usually needs 5–10 minutes to bring a connection up. */
export const TOTAL_TIMEOUT = Duration.minutes(30);
/** The handler's own polling budget: below TOTAL_TIMEOUT, so the failure carries its message, not "timed out". */
export const POLL_TIMEOUT = Duration.seconds(DEFAULT_POLL_TIMEOUT_SECONDS);

/** Secret names of inline pre-shared keys start with this (then `<vpn-id>/<outside address>`). */
export const SECRET_NAME_PREFIX = 's2s-vpn/psk/';

const PROVIDER_ID = 'S2sVpnEndpointConfigProvider';

/**
 * The onEvent / isComplete handlers (bundled at build time, see `handler-assets.ts`) and aws-cdk's provider framework, once per
 * stack. Each `EndpointConfigResource` adds its connection's grants with {@link grantConnection}.
 */
export class EndpointConfigProvider extends Construct {
  /** The stack's provider, created on first use. */
  public static of(scope: Construct): EndpointConfigProvider {
    const stack = Stack.of(scope);
    return (stack.node.tryFindChild(PROVIDER_ID) as EndpointConfigProvider | undefined) ?? new EndpointConfigProvider(stack, PROVIDER_ID);
  }

  /** The service token custom resources use. */
  public readonly serviceToken: string;
  /** Makes no AWS call: validates properties, names the resource. */
  public readonly onEventHandler: lambda.Function;
  /** Polls the connection and writes / deletes artifacts and secrets: all the permissions are here. */
  public readonly isCompleteHandler: lambda.Function;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.onEventHandler = this.handlerFunction('OnEvent', 'on-event', Duration.seconds(30));
    this.isCompleteHandler = this.handlerFunction('IsComplete', 'is-complete', Duration.minutes(2));
    this.isCompleteHandler.addEnvironment(ENV.pollTimeoutSeconds, String(POLL_TIMEOUT.toSeconds()));

    // Neither action supports resource-level permissions (see the suppressions below).
    this.isCompleteHandler.addToRolePolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeVpnConnections'], resources: ['*'] }));
    this.isCompleteHandler.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:ListSecrets'], resources: ['*'] }));

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.onEventHandler,
      isCompleteHandler: this.isCompleteHandler,
      queryInterval: QUERY_INTERVAL,
      totalTimeout: TOTAL_TIMEOUT,
      logGroup: new logs.LogGroup(this, 'ProviderLogs', { retention: logs.RetentionDays.ONE_MONTH }),
    });
    this.serviceToken = provider.serviceToken;
    this.acknowledgeExpectedFindings(provider);
  }

  /**
   * Lets isComplete write and delete one connection's artifacts and secrets, and nothing else: objects under
   * `objectPrefix` only, secrets whose name starts with `secretNamePrefix` only.
   */
  public grantConnection(bucket: s3.IBucket, objectPrefix: string, secretNamePrefix: string): void {
    const stack = Stack.of(this);
    this.isCompleteHandler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [bucket.arnForObjects(`${objectPrefix}*`)],
      }),
    );
    this.isCompleteHandler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucketVersions'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${objectPrefix}*`] } },
      }),
    );
    this.isCompleteHandler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'secretsmanager:CreateSecret',
          'secretsmanager:PutSecretValue',
          'secretsmanager:DescribeSecret',
          'secretsmanager:TagResource',
          'secretsmanager:DeleteSecret',
        ],
        resources: [stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${secretNamePrefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
    );
    bucket.encryptionKey?.grantEncryptDecrypt(this.isCompleteHandler);
  }

  private handlerFunction(id: string, handler: EndpointConfigHandler, timeout: Duration): lambda.Function {
    return new lambda.Function(this, id, {
      code: lambda.Code.fromAsset(bundledHandlerDir(handler)),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout,
      memorySize: 512,
      logGroup: new logs.LogGroup(this, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH }),
      description: `cdk-site-to-site-vpn endpoint config: ${handler}`,
    });
  }

  /** cdk-nag acknowledgements, each scoped to the constructs it is about and, for IAM, to the exact findings. */
  private acknowledgeExpectedFindings(provider: cr.Provider): void {
    const basicExecutionRole = /^Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole$/;
    for (const fn of [this.onEventHandler, this.isCompleteHandler]) {
      acknowledgeNagFindings(fn, 'AwsSolutions-IAM4', (rules) => rules.iam.IAMNoManagedPolicies, [basicExecutionRole],
        'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch Logs; it grants no data access.');
      acknowledgeNag(fn, {
        id: 'AwsSolutions-L1',
        reason: 'Pinned to Node.js 22 (supported, bundled with target node22) so that a CDK upgrade never swaps the runtime under a deployed handler untested.',
      });
    }
    acknowledgeNagFindings(
      this.isCompleteHandler,
      'AwsSolutions-IAM5',
      (rules) => rules.iam.IAMNoWildcardPermissions,
      [/^Resource::\*$/, /^Resource::.+\/endpoint-configs\/.+\/\*$/, new RegExp(`^Resource::arn:<AWS::Partition>:secretsmanager:.+:secret:${SECRET_NAME_PREFIX}.+/\\*$`)],
      'ec2:DescribeVpnConnections and secretsmanager:ListSecrets support no resource-level permissions, so their resource is "*" ' +
        '(ListSecrets returns metadata only; the handler filters by its own name prefix). The other wildcards end ARNs: objects under ' +
        `one connection's prefix, and secrets named ${SECRET_NAME_PREFIX}<vpn-id>/..., whose ARNs end in a random suffix.`,
    );

    // The provider framework's functions, roles and state machine are aws-cdk's, not configurable here.
    acknowledgeNagFindings(provider, 'AwsSolutions-IAM4', (rules) => rules.iam.IAMNoManagedPolicies, [basicExecutionRole],
      "The provider framework's functions (aws-cdk's) use AWSLambdaBasicExecutionRole to write their own logs only.");
    acknowledgeNagFindings(provider, 'AwsSolutions-IAM5', (rules) => rules.iam.IAMNoWildcardPermissions, [/^Resource::<[^>]+\.Arn>:\*$/],
      "aws-cdk's provider framework may invoke every version (':*') of its own handler functions; no other resource is covered.");
    acknowledgeNag(
      provider,
      { id: 'AwsSolutions-L1', reason: "The provider framework's functions are aws-cdk's; aws-cdk picks and tests their runtime." },
      { id: 'AwsSolutions-SF1', reason: "The framework's waiter state machine only re-invokes isComplete; the handler logs every poll (request id, state, attempt) as JSON." },
      { id: 'AwsSolutions-SF2', reason: "X-Ray on the framework's waiter state machine would trace a deploy-time retry loop; the handler's structured logs cover it." },
    );
  }
}

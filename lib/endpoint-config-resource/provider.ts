/**
 * The custom-resource provider behind every `EndpointConfigResource` of a stack: the onEvent and isComplete
 * handlers, and aws-cdk's provider framework that polls isComplete. One per stack, shared by all sites.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ArnFormat, Aspects, CfnResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { rules } from 'cdk-nag';
import { Construct, IConstruct } from 'constructs';
import { DEFAULT_POLL_TIMEOUT_SECONDS, ENV } from './contract';

/** How often the framework calls isComplete. */
export const QUERY_INTERVAL = Duration.seconds(30);
/** The framework's hard limit; AWS usually needs 5–10 minutes to bring a connection up. */
export const TOTAL_TIMEOUT = Duration.minutes(30);
/** The handler's own polling budget: below TOTAL_TIMEOUT, so the failure carries its message, not "timed out". */
export const POLL_TIMEOUT = Duration.seconds(DEFAULT_POLL_TIMEOUT_SECONDS);

/** Secret names of inline pre-shared keys start with this (then `<vpn-id>/<outside address>`). */
export const SECRET_NAME_PREFIX = 's2s-vpn/psk/';

const HANDLER_DIR = path.join(__dirname, '..', '..', 'lambda', 'endpoint-config');
const PROVIDER_ID = 'S2sVpnEndpointConfigProvider';

/**
 * The onEvent / isComplete handlers (bundled locally with esbuild) and aws-cdk's provider framework, once per
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
  public readonly onEventHandler: nodejs.NodejsFunction;
  /** Polls the connection and writes / deletes artifacts and secrets: all the permissions are here. */
  public readonly isCompleteHandler: nodejs.NodejsFunction;

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
    this.acknowledgeNagFindings(provider);
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

  private handlerFunction(id: string, file: string, timeout: Duration): nodejs.NodejsFunction {
    return new nodejs.NodejsFunction(this, id, {
      entry: handlerEntry(file),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout,
      memorySize: 512,
      logGroup: new logs.LogGroup(this, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH }),
      description: `cdk-site-to-site-vpn endpoint config: ${file}`,
      environment: { NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        // Bundle the AWS SDK rather than take the runtime's: the handler runs with exactly the client
        // versions its tests ran against (retry behaviour, error names), whatever the runtime ships.
        externalModules: [],
        minify: true,
        sourceMap: true,
        target: 'node22',
      },
    });
  }

  /** cdk-nag acknowledgements, each scoped to the constructs it is about and, for IAM, to the exact findings. */
  private acknowledgeNagFindings(provider: cr.Provider): void {
    const basicExecutionRole = /^Policy::arn:<AWS::Partition>:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole$/;
    for (const fn of [this.onEventHandler, this.isCompleteHandler]) {
      acknowledgeFindings(fn, 'AwsSolutions-IAM4', rules.iam.IAMNoManagedPolicies, [basicExecutionRole],
        'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch Logs; it grants no data access.');
      Validations.of(fn).acknowledge({
        id: 'AwsSolutions-L1',
        reason: 'Pinned to Node.js 22 (supported, bundled with target node22) so that a CDK upgrade never swaps the runtime under a deployed handler untested.',
      });
    }
    acknowledgeFindings(
      this.isCompleteHandler,
      'AwsSolutions-IAM5',
      rules.iam.IAMNoWildcardPermissions,
      [/^Resource::\*$/, /^Resource::.+\/endpoint-configs\/.+\/\*$/, new RegExp(`^Resource::arn:<AWS::Partition>:secretsmanager:.+:secret:${SECRET_NAME_PREFIX}.+/\\*$`)],
      'ec2:DescribeVpnConnections and secretsmanager:ListSecrets support no resource-level permissions, so their resource is "*" ' +
        '(ListSecrets returns metadata only; the handler filters by its own name prefix). The other wildcards end ARNs: objects under ' +
        `one connection's prefix, and secrets named ${SECRET_NAME_PREFIX}<vpn-id>/..., whose ARNs end in a random suffix.`,
    );

    // The provider framework's functions, roles and state machine are aws-cdk's, not configurable here.
    acknowledgeFindings(provider, 'AwsSolutions-IAM4', rules.iam.IAMNoManagedPolicies, [basicExecutionRole],
      "The provider framework's functions (aws-cdk's) use AWSLambdaBasicExecutionRole to write their own logs only.");
    acknowledgeFindings(provider, 'AwsSolutions-IAM5', rules.iam.IAMNoWildcardPermissions, [/^Resource::<[^>]+\.Arn>:\*$/],
      "aws-cdk's provider framework may invoke every version (':*') of its own handler functions; no other resource is covered.");
    Validations.of(provider).acknowledge(
      { id: 'AwsSolutions-L1', reason: "The provider framework's functions are aws-cdk's; aws-cdk picks and tests their runtime." },
      { id: 'AwsSolutions-SF1', reason: "The framework's waiter state machine only re-invokes isComplete; the handler logs every poll (request id, state, attempt) as JSON." },
      { id: 'AwsSolutions-SF2', reason: "X-Ray on the framework's waiter state machine would trace a deploy-time retry loop; the handler's structured logs cover it." },
    );
  }
}

/**
 * Acknowledges the findings of one cdk-nag rule under `scope` that match one of `allowed`, computed with the
 * rule itself once the template is final, so only the expected findings are acknowledged and any other fails.
 */
function acknowledgeFindings(scope: IConstruct, ruleId: string, rule: (node: CfnResource) => unknown, allowed: RegExp[], reason: string): void {
  Aspects.of(scope).add({
    visit(node: IConstruct) {
      if (!CfnResource.isCfnResource(node)) return;
      const findings = rule(node);
      if (!Array.isArray(findings)) return;
      for (const finding of findings as string[]) {
        if (allowed.some((pattern) => pattern.test(finding))) Validations.of(node).acknowledge({ id: `${ruleId}[${finding}]`, reason });
      }
    },
  });
}

/** The handler's source in this checkout (`.ts`), or the compiled file next to a built package (`.js`). */
function handlerEntry(file: string): string {
  const ts = path.join(HANDLER_DIR, `${file}.ts`);
  return fs.existsSync(ts) ? ts : path.join(HANDLER_DIR, `${file}.js`);
}

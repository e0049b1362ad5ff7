/**
 * Test harness for the endpoint-config handler: SDK clients mocked with aws-sdk-client-mock, a controllable
 * clock, captured log lines, CloudFormation events, and a realistic DescribeVpnConnections response whose
 * keys are the secret canaries (test/helpers/bad-input), so every run can be scanned for them.
 */
import { DescribeVpnConnectionsCommand, EC2Client, VpnConnection } from '@aws-sdk/client-ec2';
import { DeleteObjectsCommand, ListObjectVersionsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { sdkAws, sdkClients } from '../../lambda/endpoint-config/aws';
import { EndpointConfigProperties, OnEventResult } from '../../lib/endpoint-config-resource/contract';
import { EndpointConverter, libraryConverter } from '../../lambda/endpoint-config/conversion';
import { isCompleteForCloudFormation, IsCompleteEvent, IsCompleteResult } from '../../lambda/endpoint-config/is-complete';
import { Logger } from '../../lambda/endpoint-config/log';
import { onEvent } from '../../lambda/endpoint-config/on-event';
import { plantInDescribe, refused, scanned } from '../helpers/bad-input';
import { expectNoCanary } from '../helpers/canary';
import describeFixture from './fixtures/describe-available-static.json';

/** The fixture with the canaries as its keys, in `PreSharedKey` and the XML's `<pre_shared_key>`. */
const plantedFixture = plantInDescribe(describeFixture.VpnConnections[0] as unknown as VpnConnection);

export const VPN_ID = 'vpn-0a1b2c3d4e5f60718';
export const PSKS = plantedFixture.Options!.TunnelOptions!.map((t) => t.PreSharedKey!);
export const OUTSIDE = ['198.51.100.21', '198.51.100.22'];
export const REGION_ACCOUNT = 'eu-west-1:111122223333';

export const PROPS = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:framework-onEvent',
  VpnConnectionId: VPN_ID,
  BucketName: 'site-hq-endpoint-configs',
  KeyPrefix: 'endpoint-configs/',
  SecretNamePrefix: 's2s-vpn/psk/',
  ConnectionFingerprint: 'aaaa',
} satisfies EndpointConfigProperties & { ServiceToken: string };

/** The available connection of the fixture, optionally changed. */
export function connection(changes: Partial<VpnConnection> = {}): VpnConnection {
  return { ...(JSON.parse(JSON.stringify(plantedFixture)) as VpnConnection), ...changes };
}

/** A connection as DescribeVpnConnections shows it while pending: no configuration, no tunnel addresses. */
export function pendingConnection(): VpnConnection {
  const { CustomerGatewayConfiguration: _xml, Options: _options, ...rest } = connection();
  return { ...rest, State: 'pending' };
}

export function secretArn(outside: string): string {
  return `arn:aws:secretsmanager:${REGION_ACCOUNT}:secret:s2s-vpn/psk/${VPN_ID}/${outside}-AbCdEf`;
}

const BASE = {
  ServiceToken: PROPS.ServiceToken,
  ResponseURL: 'https://cloudformation-custom-resource-response.example/x',
  StackId: `arn:aws:cloudformation:${REGION_ACCOUNT}:stack/hq/1`,
  LogicalResourceId: 'EndpointConfig',
  ResourceType: 'Custom::VpnEndpointConfig',
};

export function createEvent(props: Record<string, unknown> = PROPS): CloudFormationCustomResourceEvent {
  return { ...BASE, RequestType: 'Create', RequestId: 'req-create', ResourceProperties: props as never };
}

export function updateEvent(oldProps: Record<string, unknown>, newProps: Record<string, unknown>): CloudFormationCustomResourceEvent {
  return {
    ...BASE,
    RequestType: 'Update',
    RequestId: 'req-update',
    PhysicalResourceId: `${VPN_ID}-endpoint-config`,
    ResourceProperties: newProps as never,
    OldResourceProperties: oldProps as never,
  };
}

export function deleteEvent(props: Record<string, unknown> = PROPS): CloudFormationCustomResourceEvent {
  return { ...BASE, RequestType: 'Delete', RequestId: 'req-delete', PhysicalResourceId: `${VPN_ID}-endpoint-config`, ResourceProperties: props as never };
}

/** Mocks, clock and log capture for one test; `reset()` in beforeEach. */
export class Harness {
  public readonly ec2 = mockClient(EC2Client);
  public readonly s3 = mockClient(S3Client);
  public readonly secrets = mockClient(SecretsManagerClient);
  public readonly logLines: string[] = [];
  public clock = new Date('2026-11-29T08:00:00Z');
  public converter: EndpointConverter = libraryConverter;
  public pollTimeoutSeconds = 25 * 60;
  private versionCounter = 0;

  /** Default happy-path answers: the connection is available, writes succeed, no secret exists yet. */
  public reset(): void {
    this.ec2.reset();
    this.s3.reset();
    this.secrets.reset();
    this.logLines.length = 0;
    this.clock = new Date('2026-11-29T08:00:00Z');
    this.converter = libraryConverter;
    this.versionCounter = 0;
    this.ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [connection()], $metadata: { attempts: 1 } });
    this.s3.on(PutObjectCommand).callsFake(async () => ({ VersionId: `v${++this.versionCounter}` }));
    this.s3.on(ListObjectVersionsCommand).resolves({ Versions: [], DeleteMarkers: [] });
    this.s3.on(DeleteObjectsCommand).resolves({});
    this.secrets.on(CreateSecretCommand).callsFake(async (input: { Name: string }) => ({ ARN: `${arnFor(input.Name)}`, Name: input.Name }));
    this.secrets.on(PutSecretValueCommand).resolves({});
    this.secrets.on(DescribeSecretCommand).rejects(awsError('ResourceNotFoundException'));
    this.secrets.on(ListSecretsCommand).resolves({ SecretList: [] });
    this.secrets.on(DeleteSecretCommand).resolves({});
  }

  public logger(event: CloudFormationCustomResourceEvent): Logger {
    return new Logger({ requestId: event.RequestId, requestType: event.RequestType, vpnConnectionId: VPN_ID }, (line) => this.logLines.push(line));
  }

  public onEvent(event: CloudFormationCustomResourceEvent): OnEventResult {
    return onEvent(event, this.clock, this.logger(event));
  }

  /** What the Lambda runs: a failure reaches the caller as CloudFormation would see it (keys masked). */
  public isComplete(event: IsCompleteEvent): Promise<IsCompleteResult> {
    return isCompleteForCloudFormation(event, {
      aws: sdkAws(sdkClients({ region: 'eu-west-1' })),
      converter: this.converter,
      log: this.logger(event),
      now: () => this.clock,
      pollTimeoutSeconds: this.pollTimeoutSeconds,
    });
  }

  /** onEvent, then isComplete every `intervalSeconds` until it completes (or throws). */
  public async run(event: CloudFormationCustomResourceEvent, intervalSeconds = 30): Promise<{ result: IsCompleteResult; polls: number; started: OnEventResult }> {
    const started = this.onEvent(event);
    const merged: IsCompleteEvent = { ...event, ...started } as IsCompleteEvent;
    for (let polls = 1; ; polls++) {
      const result = await this.isComplete(merged);
      if (result.IsComplete) return { result, polls, started };
      this.clock = new Date(this.clock.getTime() + intervalSeconds * 1000);
    }
  }

  /**
   * Runs the event through to its end, expecting it to fail (an error for CloudFormation): the error, console,
   * log lines and every call to S3 and Secrets Manager (except the keys stored on purpose) are scanned for canaries.
   */
  public async refusedRun(event: CloudFormationCustomResourceEvent): Promise<Error> {
    const error = await refused(() => this.run(event));
    expectNoCanary(this.published());
    return error;
  }

  /** Runs the event to its end (bad input reported without failing, e.g. error.txt); everything it left is scanned. */
  public async scannedRun(event: CloudFormationCustomResourceEvent, intervalSeconds?: number): ReturnType<Harness['run']> {
    const run = await scanned(() => this.run(event, intervalSeconds));
    expectNoCanary(this.published());
    return run;
  }

  /**
   * What the handler published: log lines and every SDK call's input (PutObject bodies, error.txt, secret names,
   * descriptions, tags). Only `SecretString` holds a key on purpose: a secret's value is where the key belongs.
   */
  public published(): Record<string, unknown> {
    const inputs = (mock: { calls(): { args: unknown[] }[] }) =>
      mock.calls().map((c) => {
        const { SecretString: _key, ...input } = (c.args[0] as { input: Record<string, unknown> }).input;
        return { command: (c.args[0] as object).constructor.name, input };
      });
    return { 'log lines': this.logLines, 'S3 calls': inputs(this.s3), 'Secrets Manager calls': inputs(this.secrets) };
  }

  /** Every PutObject body, by key. */
  public putBodies(): Record<string, string> {
    return Object.fromEntries(this.s3.commandCalls(PutObjectCommand).map((c) => [c.args[0].input.Key as string, String(c.args[0].input.Body)]));
  }
}

export function arnFor(name: string): string {
  return `arn:aws:secretsmanager:${REGION_ACCOUNT}:secret:${name}-AbCdEf`;
}

/** An error shaped like the SDK's service exceptions (`name` is the AWS error code). */
export function awsError(name: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(`${name} (mocked)`), { name, $fault: 'client', $metadata: { httpStatusCode } });
}


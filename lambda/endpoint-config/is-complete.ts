/**
 * The provider framework's isComplete, called every query interval: for Create and Update, poll the
 * connection until it is available, then generate; for Delete, remove the artifacts and secrets.
 *
 * A thrown error fails the deployment with its message (the framework reports it to CloudFormation), so
 * only throttling and transient errors are ridden out by polling again.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { deleteArtifacts } from './artifacts';
import { EndpointConfigAws, sdkAws } from './aws';
import { DEFAULT_POLL_TIMEOUT_SECONDS, ENV, OnEventResult } from '../../lib/endpoint-config-resource/contract';
import { EndpointConverter, libraryConverter } from './conversion';
import { describeOnly, generate } from './generate';
import { Logger, logContextOf } from './log';
import { ConnectionLocation, InvalidPropertyError, parseProperties } from './properties';
import { isRetryableDescribeError, readinessOf } from './readiness';
import { deleteOwnedSecrets } from './secrets';

/** The event isComplete receives: CloudFormation's, plus what onEvent returned. */
export type IsCompleteEvent = CloudFormationCustomResourceEvent & Partial<OnEventResult>;

export interface IsCompleteResult {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
}

export interface IsCompleteDeps {
  readonly aws: EndpointConfigAws;
  readonly converter: EndpointConverter;
  readonly log: Logger;
  readonly now: () => Date;
  /** How long to poll for the connection before failing. */
  readonly pollTimeoutSeconds: number;
}

export async function isComplete(event: IsCompleteEvent, deps: IsCompleteDeps): Promise<IsCompleteResult> {
  switch (event.RequestType) {
    case 'Create':
      return whenReady(event, deps, parseProperties(event.ResourceProperties));
    case 'Update': {
      const location = parseProperties(event.ResourceProperties);
      const previous = previousLocation(event.OldResourceProperties, deps.log);
      // Another connection is another resource: CloudFormation deletes the old one itself.
      return whenReady(event, deps, location, previous?.vpnConnectionId === location.vpnConnectionId ? previous : undefined);
    }
    case 'Delete':
      return remove(event, deps);
  }
}

async function whenReady(
  event: IsCompleteEvent,
  deps: IsCompleteDeps,
  location: ConnectionLocation,
  previous?: ConnectionLocation,
): Promise<IsCompleteResult> {
  const { aws, log } = deps;
  const elapsedSeconds = secondsSince(event.PollStartedAt, deps.now());
  let described: Awaited<ReturnType<EndpointConfigAws['describeVpnConnection']>>;
  try {
    described = await aws.describeVpnConnection(location.vpnConnectionId);
  } catch (err) {
    if (!isRetryableDescribeError(err)) throw err;
    log.warn('describe failed, polling again', { elapsedSeconds, error: (err as Error).name });
    return notYet(location, deps, elapsedSeconds, `DescribeVpnConnections throttled or unavailable (${(err as Error).name})`);
  }

  const { connection, attempts } = described;
  const readiness = readinessOf(location.vpnConnectionId, connection, elapsedSeconds);
  log.info('connection described', { state: connection?.State ?? 'not-found', attempts, elapsedSeconds, readiness: readiness.kind });
  switch (readiness.kind) {
    case 'failed':
      throw new Error(`${readiness.reason}; cannot write its endpoint configuration`);
    case 'waiting':
      return notYet(location, deps, elapsedSeconds, readiness.reason);
    case 'ready': {
      const Data = event.NoChange
        ? await describeOnly(deps, location, readiness.connection)
        : await generate(deps, location, readiness.connection, previous);
      log.info(event.NoChange ? 'unchanged: attributes reported, nothing written' : 'endpoint configuration written', { elapsedSeconds });
      return { IsComplete: true, Data };
    }
  }
}

/** Poll again, unless the budget is spent: then fail with what was last seen (nothing has been written). */
function notYet(location: ConnectionLocation, deps: IsCompleteDeps, elapsedSeconds: number, lastSeen: string): IsCompleteResult {
  if (elapsedSeconds >= deps.pollTimeoutSeconds) {
    throw new Error(
      `VPN connection ${location.vpnConnectionId} was not available within ${Math.round(deps.pollTimeoutSeconds / 60)} minutes ` +
        `(last seen: ${lastSeen}); nothing was written`,
    );
  }
  return { IsComplete: false };
}

async function remove(event: IsCompleteEvent, deps: IsCompleteDeps): Promise<IsCompleteResult> {
  let location: ConnectionLocation;
  try {
    location = parseProperties(event.ResourceProperties);
  } catch (err) {
    // Properties this handler never accepted mean it never wrote anything for them.
    if (!(err instanceof InvalidPropertyError)) throw err;
    deps.log.warn('delete of a resource with invalid properties: nothing to remove', { error: err.message });
    return { IsComplete: true };
  }
  await deleteArtifacts(deps.aws, deps.log, location);
  await deleteOwnedSecrets(deps.aws, deps.log, location);
  return { IsComplete: true };
}

/** The location an Update moves from; old properties this handler would not accept left nothing to clean up. */
function previousLocation(oldProperties: Record<string, unknown> | undefined, log: Logger): ConnectionLocation | undefined {
  try {
    return parseProperties(oldProperties);
  } catch (err) {
    if (!(err instanceof InvalidPropertyError)) throw err;
    log.warn('old properties are invalid: nothing to clean up there', { error: err.message });
    return undefined;
  }
}

function secondsSince(startedAt: string | undefined, now: Date): number {
  const start = startedAt ? Date.parse(startedAt) : NaN;
  if (Number.isNaN(start)) throw new Error(`isComplete event has no valid PollStartedAt (${JSON.stringify(startedAt)}); onEvent sets it`);
  return Math.max(0, Math.floor((now.getTime() - start) / 1000));
}

/**
 * isComplete as CloudFormation sees it: a failure is logged and rethrown with every registered key masked,
 * and nothing else of the original (cause, stack) kept, since the framework shows its message to CloudFormation.
 */
export async function isCompleteForCloudFormation(event: IsCompleteEvent, deps: IsCompleteDeps): Promise<IsCompleteResult> {
  try {
    return await isComplete(event, deps);
  } catch (err) {
    const safe = deps.log.safeError(err);
    deps.log.error('isComplete failed', { error: safe.message });
    throw safe;
  }
}

let defaultAws: EndpointConfigAws | undefined;

/** Lambda entry point. */
export async function handler(event: IsCompleteEvent): Promise<IsCompleteResult> {
  const log = new Logger(logContextOf(event));
  defaultAws ??= sdkAws();
  const configured = Number(process.env[ENV.pollTimeoutSeconds]);
  const pollTimeoutSeconds = configured > 0 ? configured : DEFAULT_POLL_TIMEOUT_SECONDS;
  return isCompleteForCloudFormation(event, { aws: defaultAws, converter: libraryConverter, log, now: () => new Date(), pollTimeoutSeconds });
}

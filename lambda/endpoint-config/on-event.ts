/**
 * The provider framework's onEvent: checks the properties, names the physical resource and starts the
 * polling clock. It makes no AWS call, so it needs no permissions; isComplete does the work.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { OnEventResult } from '../../lib/endpoint-config-resource/contract';
import { Logger, logContextOf } from './log';
import { parseProperties, physicalResourceIdOf, sameProperties } from './properties';

export function onEvent(event: CloudFormationCustomResourceEvent, now: Date, log: Logger): OnEventResult {
  const PollStartedAt = now.toISOString();
  switch (event.RequestType) {
    case 'Create': {
      const location = parseProperties(event.ResourceProperties);
      log.info('create accepted', { vpnConnectionId: location.vpnConnectionId });
      return { PhysicalResourceId: physicalResourceIdOf(location), PollStartedAt };
    }
    case 'Update': {
      const location = parseProperties(event.ResourceProperties);
      if (sameProperties(event.OldResourceProperties, event.ResourceProperties)) {
        log.info('update changes nothing', { vpnConnectionId: location.vpnConnectionId });
        return { PhysicalResourceId: event.PhysicalResourceId, PollStartedAt, NoChange: true };
      }
      log.info('update accepted', { vpnConnectionId: location.vpnConnectionId });
      return { PhysicalResourceId: physicalResourceIdOf(location), PollStartedAt };
    }
    case 'Delete':
      log.info('delete accepted', { physicalResourceId: event.PhysicalResourceId });
      return { PhysicalResourceId: event.PhysicalResourceId, PollStartedAt };
  }
}

/** Lambda entry point. */
export async function handler(event: CloudFormationCustomResourceEvent): Promise<OnEventResult> {
  const log = new Logger(logContextOf(event));
  try {
    return onEvent(event, new Date(), log);
  } catch (err) {
    log.error('onEvent failed', { error: log.safeError(err).message });
    throw log.safeError(err);
  }
}

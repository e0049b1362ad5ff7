/**
 * Is the VPN connection ready to be converted, still coming up, or gone for good? One place decides, from
 * one DescribeVpnConnections result or error.
 */
import type { VpnConnection } from '@aws-sdk/client-ec2';
import { errorName } from './aws';

export type Readiness =
  | { readonly kind: 'ready'; readonly connection: VpnConnection }
  | { readonly kind: 'waiting'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

/** How long an unknown id counts as EC2's eventual consistency rather than a wrong id. */
export const NOT_FOUND_GRACE_SECONDS = 120;

/** Readiness of a described connection (undefined: EC2 does not know the id), `elapsedSeconds` into polling. */
export function readinessOf(vpnConnectionId: string, connection: VpnConnection | undefined, elapsedSeconds: number): Readiness {
  if (!connection) {
    return elapsedSeconds < NOT_FOUND_GRACE_SECONDS
      ? { kind: 'waiting', reason: 'not yet known to EC2' }
      : { kind: 'failed', reason: `VPN connection ${vpnConnectionId} does not exist` };
  }
  switch (connection.State) {
    case 'available':
      // The configuration (and the tunnels' outside addresses) can trail the state by a poll or two.
      return connection.CustomerGatewayConfiguration
        ? { kind: 'ready', connection }
        : { kind: 'waiting', reason: 'available, customer gateway configuration not yet published' };
    case 'pending':
      return { kind: 'waiting', reason: 'pending' };
    case 'deleting':
    case 'deleted':
      return { kind: 'failed', reason: `VPN connection ${vpnConnectionId} is in state "${connection.State}"` };
    default:
      return { kind: 'waiting', reason: `state ${JSON.stringify(connection.State)}` };
  }
}

const RETRYABLE_ERRORS = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'InternalError',
  'TimeoutError',
]);

/**
 * Errors to ride out by polling again: throttling and transient service errors that outlasted the SDK's own
 * retries. Anything else (access denied, a malformed request) fails at once.
 */
export function isRetryableDescribeError(err: unknown): boolean {
  const name = errorName(err);
  if (name && RETRYABLE_ERRORS.has(name)) return true;
  const meta = (err as { $metadata?: { httpStatusCode?: number }; $retryable?: unknown } | undefined);
  return meta?.$retryable !== undefined || (meta?.$metadata?.httpStatusCode ?? 0) >= 500;
}

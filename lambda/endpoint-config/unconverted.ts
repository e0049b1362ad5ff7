/**
 * When the converter cannot handle a connection AWS did create: the deployment must still succeed (failing
 * would roll the VPN connection back). What can be read is reported, the reason is written to `error.txt`
 * where the configs would have been, and `EndpointConfigStatus` says what happened.
 */
import type { VpnConnection } from '@aws-sdk/client-ec2';
import { MAX_TUNNELS_PER_CONNECTION } from '../../lib/aws-rules';
import { parseCustomerGatewayXml } from '../../lib/endpoint/customer-gateway-xml';
import { formatIp, parseIp } from '../../lib/net/address';
import { unconvertedAttributes } from './attributes';
import type { EndpointConfigAws } from './aws';
import { CONVERSION_ERROR_FILE } from '../../lib/endpoint-config-resource/contract';
import type { Logger } from './log';
import { ConnectionLocation, s3Uri } from './properties';

/** An error the converter or a renderer threw, as opposed to one from AWS. */
export class ConversionFailure extends Error {
  constructor(public readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = 'ConversionFailure';
  }
}

/** Runs a converter call, marking whatever it throws as a conversion failure. */
export function converting<T>(call: () => T): T {
  try {
    return call();
  } catch (err) {
    throw new ConversionFailure(err);
  }
}

/** CloudFormation attribute values stay short; the whole message is in error.txt. */
const MAX_STATUS_LENGTH = 1000;

export function conversionErrorKey(location: ConnectionLocation): string {
  return `${location.keyPrefix}${CONVERSION_ERROR_FILE}`;
}

/** Writes error.txt (when `write`) and returns the resource's attributes. The message is redacted first. */
export async function reportUnconverted(
  aws: EndpointConfigAws,
  log: Logger,
  location: ConnectionLocation,
  connection: VpnConnection,
  failure: ConversionFailure,
  write: boolean,
): Promise<Record<string, string>> {
  // Redacted first; the error class's name (safeError's prefix) says nothing to a reader of the stack.
  const message = log.safeError(failure.reason).message.replace(/^[A-Za-z]*Error: /, '');
  if (write) {
    const key = conversionErrorKey(location);
    const body =
      `The endpoint configuration of ${location.vpnConnectionId} could not be generated; the VPN connection itself was created.\n\n` +
      `${message}\n\nFix the connection (or update this library) and update the stack to regenerate.\n`;
    await aws.putObject(location.bucketName, key, body, 'text/plain; charset=utf-8');
    log.warn('connection not convertible: error.txt written, deployment continues', { uri: s3Uri(location.bucketName, key), error: message });
  }
  const status = `error: ${message}`;
  return unconvertedAttributes(
    location.vpnConnectionId,
    location,
    awsOutsideAddresses(connection),
    status.length > MAX_STATUS_LENGTH ? `${status.slice(0, MAX_STATUS_LENGTH - 3)}...` : status,
  );
}

/**
 * The tunnels' AWS outside addresses in AWS's tunnel order: from the XML when it parses, else the tunnel
 * options, else the telemetry. Only well-formed addresses are returned.
 */
export function awsOutsideAddresses(connection: VpnConnection): string[] {
  const candidates: (() => unknown[])[] = [
    () => parseCustomerGatewayXml(String(connection.CustomerGatewayConfiguration ?? '')).tunnels.map((t) => t.vpnGateway.outsideAddress),
    () => (connection.Options?.TunnelOptions ?? []).map((t) => t?.OutsideIpAddress),
    () => (connection.VgwTelemetry ?? []).map((t) => t?.OutsideIpAddress),
  ];
  for (const candidate of candidates) {
    let found: string[];
    try {
      found = candidate().flatMap((text) => {
        const ip = typeof text === 'string' ? parseIp(text.trim()) : undefined;
        return ip ? [formatIp(ip.version, ip.address)] : [];
      });
    } catch {
      continue; // the XML may be exactly what could not be read
    }
    if (found.length > 0) return found.slice(0, MAX_TUNNELS_PER_CONNECTION);
  }
  return [];
}

/**
 * Create / Update once the connection is ready: store inline keys as secrets, convert, render, write the
 * artifacts, and return the attributes. On any failure, everything this invocation wrote is deleted again.
 */
import type { VpnConnection } from '@aws-sdk/client-ec2';
import { isInlineKey, OnPremEndpointConfig } from '../../lib/endpoint/model';
import { artifactUris, deleteArtifacts, writeArtifacts } from './artifacts';
import { attributesOf } from './attributes';
import type { EndpointConfigAws } from './aws';
import type { EndpointConverter } from './conversion';
import { WriteJournal } from './journal';
import type { Logger } from './log';
import { ConnectionLocation, sameArtifactFolder } from './properties';
import { deleteOwnedSecrets, InlineKey, storeInlineKeys } from './secrets';
import { ConversionFailure, conversionErrorKey, converting, reportUnconverted } from './unconverted';

export interface GenerateDeps {
  readonly aws: EndpointConfigAws;
  readonly converter: EndpointConverter;
  readonly log: Logger;
}

/**
 * Registers every key the response carries with the logger before anything else touches it, so no log line
 * or error can show one, whatever fails later. The XML copy is matched only to be masked, never parsed for use:
 * the text after each `<pre_shared_key>`, closed or not (a truncated XML ends inside it). A response of the
 * wrong shape must not stop this: the converter reports it, and a throw here would fail the deployment.
 */
export function registerKeys(log: Logger, connection: VpnConnection): void {
  const tunnelOptions: unknown = connection.Options?.TunnelOptions;
  for (const options of Array.isArray(tunnelOptions) ? tunnelOptions : []) {
    const key: unknown = (options as { PreSharedKey?: unknown } | null)?.PreSharedKey;
    if (typeof key === 'string') log.addSecret(key);
  }
  const xml: unknown = connection.CustomerGatewayConfiguration;
  if (typeof xml !== 'string') return;
  for (const match of xml.matchAll(/<pre_shared_key>([^<]*)/g)) log.addSecret(match[1].trim());
}

/** The attributes of an unchanged resource: converted for the addresses, nothing written. */
export async function describeOnly(deps: GenerateDeps, location: ConnectionLocation, connection: VpnConnection): Promise<Record<string, string>> {
  registerKeys(deps.log, connection);
  try {
    const config = converting(() => deps.converter.convert(connection, {}));
    return attributesOf(config, location, artifactUris(location));
  } catch (err) {
    if (!(err instanceof ConversionFailure)) throw err;
    return reportUnconverted(deps.aws, deps.log, location, connection, err, false);
  }
}

/**
 * Writes the connection's secrets and artifacts. `previous` is the location an Update moves away from:
 * its artifacts and secrets are removed once the new ones are in place.
 */
export async function generate(
  deps: GenerateDeps,
  location: ConnectionLocation,
  connection: VpnConnection,
  previous?: ConnectionLocation,
): Promise<Record<string, string>> {
  const { aws, converter, log } = deps;
  registerKeys(log, connection);
  let inlineKeys: InlineKey[];
  try {
    inlineKeys = inlineKeysOf(converting(() => converter.convert(connection, { inlineSecrets: true })));
  } catch (err) {
    if (!(err instanceof ConversionFailure)) throw err;
    return reportUnconverted(aws, log, location, connection, err, true);
  }
  inlineKeys.forEach((key) => log.addSecret(key.value));

  const journal = new WriteJournal();
  try {
    const secretArns = await storeInlineKeys(aws, log, location, inlineKeys, journal);
    const config = converting(() =>
      converter.convert(connection, {
        preSharedKeyReference: (tunnel) => {
          const secretArn = secretArns.get(tunnel.awsOutsideAddress);
          return secretArn ? { secretArn } : undefined;
        },
      }),
    );
    const bodies = converting(() => converter.render(config));
    for (const [kind, body] of Object.entries(bodies)) {
      // The converter is trusted not to copy keys; this makes sure no bug of its ever publishes one.
      if (log.holdsSecret(body)) throw new Error(`The rendered ${kind} artifact contains a pre-shared key; nothing was written`);
    }
    const uris = await writeArtifacts(aws, log, location, bodies, journal);
    await deleteOwnedSecrets(aws, log, location, new Set(secretArns.values()));
    await deleteStaleConversionError(aws, location);
    if (previous) await cleanUpPreviousLocation(deps, previous, location);
    return attributesOf(config, location, uris);
  } catch (err) {
    await journal.rollback(aws, log);
    // Whatever was stored for this attempt is gone again; the deployment goes on without configs.
    if (err instanceof ConversionFailure) return reportUnconverted(aws, log, location, connection, err, true);
    throw err;
  }
}

/** An error.txt from an earlier, failed conversion would contradict the configs just written. */
async function deleteStaleConversionError(aws: GenerateDeps['aws'], location: ConnectionLocation): Promise<void> {
  const key = conversionErrorKey(location);
  const versions = (await aws.listObjectVersions(location.bucketName, key)).filter((v) => v.key === key);
  if (versions.length > 0) await aws.deleteObjectVersions(location.bucketName, versions);
}

/**
 * Best effort: the role may no longer reach the old location (its grants follow the template, which now names
 * the new one), and failing here would make moving impossible. What is left is logged for manual removal.
 */
async function cleanUpPreviousLocation(deps: GenerateDeps, previous: ConnectionLocation, location: ConnectionLocation): Promise<void> {
  const { aws, log } = deps;
  try {
    if (!sameArtifactFolder(previous, location)) await deleteArtifacts(aws, log, previous);
    if (previous.secretNamePrefix !== location.secretNamePrefix) await deleteOwnedSecrets(aws, log, previous);
  } catch (err) {
    log.warn('could not remove the artifacts or secrets of the previous location; remove them by hand', {
      bucket: previous.bucketName,
      keyPrefix: previous.keyPrefix,
      secretNamePrefix: previous.secretNamePrefix,
      error: log.safeError(err).message,
    });
  }
}

/** The keys the converter found inline (in TunnelOptions or the XML), by AWS outside address. */
function inlineKeysOf(config: OnPremEndpointConfig): InlineKey[] {
  return config.tunnels.flatMap((tunnel) =>
    tunnel.preSharedKey && isInlineKey(tunnel.preSharedKey) ? [{ awsOutsideAddress: tunnel.remote.outsideAddress, value: tunnel.preSharedKey.value }] : [],
  );
}

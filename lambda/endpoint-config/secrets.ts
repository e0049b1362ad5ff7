/**
 * Inline pre-shared keys go to Secrets Manager, one secret per tunnel, so the artifacts can reference them
 * by ARN. Names: `<SecretNamePrefix><vpn-id>/<aws-outside-address>`.
 */
import type { EndpointConfigAws } from './aws';
import { SECRET_MANAGER_NAME, SECRET_TAGS } from '../../lib/endpoint-config-resource/contract';
import type { WriteJournal } from './journal';
import type { Logger } from './log';
import type { ConnectionLocation } from './properties';

/** A tunnel's key as DescribeVpnConnections returned it, keyed by AWS's outside address. */
export interface InlineKey {
  readonly awsOutsideAddress: string;
  readonly value: string;
}

/** The secret name for a tunnel; `:` (IPv6) is not allowed in secret names and becomes `-`. */
export function secretNameFor(location: ConnectionLocation, awsOutsideAddress: string): string {
  return `${location.secretNamePrefix}${awsOutsideAddress.replace(/:/g, '-')}`;
}

/**
 * Creates or updates the secret of each key; returns the ARNs by outside address. Secrets created here are
 * recorded in the journal; an existing secret is reused only if this handler created it.
 */
export async function storeInlineKeys(
  aws: EndpointConfigAws,
  log: Logger,
  location: ConnectionLocation,
  keys: readonly InlineKey[],
  journal: WriteJournal,
): Promise<Map<string, string>> {
  const arns = new Map<string, string>();
  for (const key of keys) {
    const name = secretNameFor(location, key.awsOutsideAddress);
    const tags = {
      [SECRET_TAGS.managedBy]: SECRET_MANAGER_NAME,
      [SECRET_TAGS.vpnConnectionId]: location.vpnConnectionId,
      [SECRET_TAGS.tunnelOutsideAddress]: key.awsOutsideAddress,
    };
    const description = `Pre-shared key of the tunnel to ${key.awsOutsideAddress} of ${location.vpnConnectionId}`;
    let arn = await aws.createSecret(name, key.value, description, tags);
    if (arn) {
      journal.secretCreated(arn);
      log.info('secret created', { secretName: name });
    } else {
      const existing = await aws.describeSecret(name);
      if (!existing) throw new Error(`Secret ${name} was reported to exist but cannot be described; retry the deployment`);
      if (existing.tags[SECRET_TAGS.managedBy] !== SECRET_MANAGER_NAME) {
        throw new Error(`Secret ${name} exists but was not created by this custom resource (tag ${SECRET_TAGS.managedBy} missing); refusing to overwrite it`);
      }
      await aws.putSecretValue(existing.arn, key.value);
      arn = existing.arn;
      log.info('secret updated', { secretName: name });
    }
    arns.set(key.awsOutsideAddress, arn);
  }
  return arns;
}

/**
 * Deletes the connection's secrets under the location's prefix that this handler created, except `keep`.
 * Secrets already gone are not an error, so a repeated Delete succeeds.
 */
export async function deleteOwnedSecrets(
  aws: EndpointConfigAws,
  log: Logger,
  location: ConnectionLocation,
  keep: ReadonlySet<string> = new Set(),
): Promise<number> {
  const owned = (await aws.listSecrets(location.secretNamePrefix)).filter(
    (s) =>
      s.tags[SECRET_TAGS.managedBy] === SECRET_MANAGER_NAME &&
      s.tags[SECRET_TAGS.vpnConnectionId] === location.vpnConnectionId &&
      !keep.has(s.arn),
  );
  for (const secret of owned) {
    await aws.deleteSecret(secret.arn);
    log.info('secret deleted', { secretName: secret.name });
  }
  return owned.length;
}

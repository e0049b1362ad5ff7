/**
 * The AWS calls the handler makes, as a narrow interface: the handler's logic depends on this, tests replace
 * the SDK clients underneath with aws-sdk-client-mock, and nothing else of the SDK leaks into the logic.
 */
import { DescribeVpnConnectionsCommand, EC2Client, VpnConnection } from '@aws-sdk/client-ec2';
import {
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  ObjectIdentifier,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  Tag,
} from '@aws-sdk/client-secrets-manager';

/** A secret's identity and tags, as DescribeSecret / ListSecrets report them (never its value). */
export interface SecretSummary {
  readonly arn: string;
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** An object version (or delete marker) under a prefix. */
export interface ObjectVersion {
  readonly key: string;
  readonly versionId?: string;
}

/** Everything the handler asks of AWS. */
export interface EndpointConfigAws {
  /** The connection, or undefined when EC2 does not know it (any more). */
  describeVpnConnection(vpnConnectionId: string): Promise<{ connection?: VpnConnection; attempts: number }>;

  /** Writes one object; returns its version id (undefined in an unversioned bucket). */
  putObject(bucket: string, key: string, body: string, contentType: string): Promise<string | undefined>;
  /** Every version and delete marker under the prefix; empty when the bucket is gone. */
  listObjectVersions(bucket: string, prefix: string): Promise<ObjectVersion[]>;
  /** Deletes the given versions (in batches); already-deleted versions are not an error. */
  deleteObjectVersions(bucket: string, versions: readonly ObjectVersion[]): Promise<void>;

  /** Creates a secret; returns its ARN, or undefined when a secret of that name exists. */
  createSecret(name: string, value: string, description: string, tags: Readonly<Record<string, string>>): Promise<string | undefined>;
  /** Replaces the value of an existing secret. */
  putSecretValue(secretId: string, value: string): Promise<void>;
  describeSecret(secretId: string): Promise<SecretSummary | undefined>;
  /** Secrets whose name starts with the prefix (case-sensitive, as Secrets Manager's `name` filter). */
  listSecrets(namePrefix: string): Promise<SecretSummary[]>;
  /** Deletes at once, without a recovery window; a secret already gone is not an error. */
  deleteSecret(secretId: string): Promise<void>;
}

/** SDK retries (with its backoff) for throttling and transient errors before a call gives up. */
export const SDK_MAX_ATTEMPTS = 8;

const DELETE_OBJECTS_BATCH = 1000;

/** The SDK clients of the Lambda: region and credentials from its environment, SDK retries raised. */
export interface SdkClients {
  readonly ec2: EC2Client;
  readonly s3: S3Client;
  readonly secrets: SecretsManagerClient;
}

/** Clients with `maxAttempts` raised: the SDK's standard retry mode backs off on throttling (RequestLimitExceeded). */
export function sdkClients(config: { region?: string } = {}): SdkClients {
  const common = { ...config, maxAttempts: SDK_MAX_ATTEMPTS };
  return { ec2: new EC2Client(common), s3: new S3Client(common), secrets: new SecretsManagerClient(common) };
}

/** The real implementation over AWS SDK v3 clients (injected so tests can mock them). */
export function sdkAws({ ec2, s3, secrets }: SdkClients = sdkClients()): EndpointConfigAws {
  return {
    async describeVpnConnection(vpnConnectionId) {
      try {
        const out = await ec2.send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [vpnConnectionId] }));
        return { connection: out.VpnConnections?.[0], attempts: out.$metadata?.attempts ?? 1 };
      } catch (err) {
        if (errorName(err) === 'InvalidVpnConnectionID.NotFound') return { connection: undefined, attempts: 1 };
        throw err;
      }
    },

    async putObject(bucket, key, body, contentType) {
      const out = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
      return out.VersionId;
    },

    async listObjectVersions(bucket, prefix) {
      const found: ObjectVersion[] = [];
      let keyMarker: string | undefined;
      let versionIdMarker: string | undefined;
      try {
        do {
          const page = await s3.send(
            new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
          );
          for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
            if (v.Key) found.push({ key: v.Key, versionId: v.VersionId });
          }
          [keyMarker, versionIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextVersionIdMarker] : [undefined, undefined];
        } while (keyMarker !== undefined);
      } catch (err) {
        if (errorName(err) === 'NoSuchBucket') return [];
        throw err;
      }
      return found;
    },

    async deleteObjectVersions(bucket, versions) {
      for (let i = 0; i < versions.length; i += DELETE_OBJECTS_BATCH) {
        const objects: ObjectIdentifier[] = versions
          .slice(i, i + DELETE_OBJECTS_BATCH)
          .map((v) => (v.versionId ? { Key: v.key, VersionId: v.versionId } : { Key: v.key }));
        const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
        const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey' && e.Code !== 'NoSuchVersion');
        if (failed.length > 0) {
          const first = failed[0];
          throw new Error(`S3 refused to delete ${failed.length} object version(s) in ${bucket}, first ${first.Key}: ${first.Code} ${first.Message ?? ''}`.trim());
        }
      }
    },

    async createSecret(name, value, description, tags) {
      try {
        const out = await secrets.send(
          new CreateSecretCommand({ Name: name, SecretString: value, Description: description, Tags: toTagList(tags) }),
        );
        return out.ARN;
      } catch (err) {
        if (errorName(err) === 'ResourceExistsException') return undefined;
        throw err;
      }
    },

    async putSecretValue(secretId, value) {
      await secrets.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value }));
    },

    async describeSecret(secretId) {
      try {
        const out = await secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
        return out.ARN && out.Name ? { arn: out.ARN, name: out.Name, tags: fromTagList(out.Tags) } : undefined;
      } catch (err) {
        if (errorName(err) === 'ResourceNotFoundException') return undefined;
        throw err;
      }
    },

    async listSecrets(namePrefix) {
      const found: SecretSummary[] = [];
      let nextToken: string | undefined;
      do {
        const page = await secrets.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [namePrefix] }], NextToken: nextToken }));
        for (const s of page.SecretList ?? []) {
          // The filter is a prefix match already; checking again guards against a looser match.
          if (s.ARN && s.Name?.startsWith(namePrefix)) found.push({ arn: s.ARN, name: s.Name, tags: fromTagList(s.Tags) });
        }
        nextToken = page.NextToken;
      } while (nextToken);
      return found;
    },

    async deleteSecret(secretId) {
      try {
        // No recovery window: the key is a copy of the connection's own, and a pending deletion would block
        // re-creating a secret of the same name.
        await secrets.send(new DeleteSecretCommand({ SecretId: secretId, ForceDeleteWithoutRecovery: true }));
      } catch (err) {
        if (errorName(err) === 'ResourceNotFoundException') return;
        throw err;
      }
    },
  };
}

/** The AWS error code (`name` in SDK v3), or undefined for something that is not an AWS error. */
export function errorName(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'name' in err && typeof err.name === 'string' ? err.name : undefined;
}

function toTagList(tags: Readonly<Record<string, string>>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function fromTagList(tags: Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key as string, t.Value ?? '']));
}

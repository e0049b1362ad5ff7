/**
 * `verify --resolve-keys`: the on-prem config's key references read with the AWS SDK and the caller's
 * credentials. A Secrets Manager ARN: GetSecretValue (in the ARN's region). A DescribeVpnConnections
 * reference: the tunnel's `PreSharedKey`, or the connection's `PreSharedKeyArn` when AWS keeps the keys in
 * Secrets Manager. Errors name the reference and AWS's error code; a key never appears in one.
 */
import { DescribeVpnConnectionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { KeyReference, KeyResolutionError, KeyResolver } from '../../lib/verify';

export interface KeyClients {
  readonly ec2: () => EC2Client;
  /** A client for the secret's region (undefined: the SDK's default region). */
  readonly secretsManager: (region: string | undefined) => SecretsManagerClient;
}

function defaultClients(): KeyClients {
  const byRegion = new Map<string, SecretsManagerClient>();
  let ec2: EC2Client | undefined;
  return {
    ec2: () => (ec2 ??= new EC2Client({})),
    secretsManager: (region) => {
      const key = region ?? '';
      if (!byRegion.has(key)) byRegion.set(key, new SecretsManagerClient(region ? { region } : {}));
      return byRegion.get(key)!;
    },
  };
}

/** AWS's error name (and HTTP status), which never carries a secret value, unlike a message might. */
function awsError(e: unknown): string {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  return `${err.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}`;
}

async function secretBytes(clients: KeyClients, arn: string): Promise<Buffer> {
  const region = /^arn:aws[\w-]*:secretsmanager:([a-z0-9-]+):/.exec(arn)?.[1];
  let out;
  try {
    out = await clients.secretsManager(region).send(new GetSecretValueCommand({ SecretId: arn }));
  } catch (e) {
    throw new KeyResolutionError(`GetSecretValue failed: ${awsError(e)}`);
  }
  if (out.SecretString !== undefined) {
    if (/^\s*[{[]/.test(out.SecretString)) {
      throw new KeyResolutionError(`the secret holds a JSON document (${out.SecretString.length} characters), not a plain pre-shared key`);
    }
    return Buffer.from(out.SecretString, 'utf8');
  }
  if (out.SecretBinary !== undefined) return Buffer.from(out.SecretBinary);
  throw new KeyResolutionError('the secret has no value');
}

async function describedKey(clients: KeyClients, vpnConnectionId: string, awsOutsideAddress: string): Promise<Buffer> {
  let out;
  try {
    out = await clients.ec2().send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [vpnConnectionId] }));
  } catch (e) {
    throw new KeyResolutionError(`DescribeVpnConnections failed: ${awsError(e)}`);
  }
  const connection = out.VpnConnections?.find((c) => c.VpnConnectionId === vpnConnectionId);
  if (!connection) throw new KeyResolutionError(`DescribeVpnConnections returned no connection ${vpnConnectionId}`);
  const tunnel = connection.Options?.TunnelOptions?.find((t) => t.OutsideIpAddress === awsOutsideAddress);
  if (!tunnel) throw new KeyResolutionError(`${vpnConnectionId} has no tunnel with outside address ${awsOutsideAddress}`);
  if (tunnel.PreSharedKey) return Buffer.from(tunnel.PreSharedKey, 'utf8');
  if (connection.PreSharedKeyArn) return secretBytes(clients, connection.PreSharedKeyArn);
  throw new KeyResolutionError(`DescribeVpnConnections gives no pre-shared key for tunnel ${awsOutsideAddress} (certificate authentication?)`);
}

export function awsKeyResolver(clients: KeyClients = defaultClients()): KeyResolver {
  return async (ref: KeyReference) => (ref.kind === 'secrets-manager' ? secretBytes(clients, ref.arn) : describedKey(clients, ref.vpnConnectionId, ref.awsOutsideAddress));
}

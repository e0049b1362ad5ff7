/**
 * The live stage's key resolver, with the user's AWS credentials: a Secrets Manager reference is read with
 * GetSecretValue, a DescribeVpnConnections reference with DescribeVpnConnections (the tunnel whose outside
 * address matches). Only called when neither CONFIG, --describe nor --psk-file holds the key.
 */
import { DescribeVpnConnectionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { isDescribeVpnConnectionsKeyRef, isSecretsManagerKeyRef } from '../../lib/endpoint';
import type { KeyResolver } from '../../lib/verify';

/** A secret holds the key itself, or JSON with the key under the AWS outside address or `PreSharedKey`. */
export function keyFromSecret(secret: string, awsOutside: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(secret);
  } catch {
    return secret;
  }
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const key = record[awsOutside] ?? record.PreSharedKey;
    return typeof key === 'string' ? key : undefined;
  }
  return undefined;
}

export function awsKeyResolver(): KeyResolver {
  return async ({ onPrem, aws }) => {
    const awsOutside = aws?.remote.outsideAddress ?? onPrem.remoteOutside;
    const arn = onPrem.preSharedKey.kind === 'secrets-manager' ? onPrem.preSharedKey.arn : aws && isSecretsManagerKeyRef(aws.preSharedKey) ? aws.preSharedKey.secretArn : undefined;
    if (arn) {
      const region = arn.split(':')[3];
      const out = await new SecretsManagerClient({ region }).send(new GetSecretValueCommand({ SecretId: arn }));
      return out.SecretString === undefined ? undefined : keyFromSecret(out.SecretString, awsOutside);
    }
    const vpnConnectionId = onPrem.preSharedKey.kind === 'describe' ? onPrem.preSharedKey.vpnConnectionId : aws && isDescribeVpnConnectionsKeyRef(aws.preSharedKey) ? aws.preSharedKey.vpnConnectionId : undefined;
    if (vpnConnectionId) {
      const out = await new EC2Client({}).send(new DescribeVpnConnectionsCommand({ VpnConnectionIds: [vpnConnectionId] }));
      return out.VpnConnections?.[0]?.Options?.TunnelOptions?.find((t) => t.OutsideIpAddress === awsOutside)?.PreSharedKey;
    }
    return undefined;
  };
}

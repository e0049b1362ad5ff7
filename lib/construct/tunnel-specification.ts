/** Maps `TunnelOptions` to CloudFormation's `VpnTunnelOptionsSpecification`. */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { TunnelOptions } from './props';

type Spec = ec2.CfnVPNConnection.VpnTunnelOptionsSpecificationProperty;

/** CloudFormation wants option lists as `[{ Value: x }]`. */
function values<T>(list: readonly T[] | undefined): Array<{ value: T }> | undefined {
  return list?.map((value) => ({ value }));
}

/**
 * The tunnel's CloudFormation options. A pre-shared key goes in only as the secret's
 * `{{resolve:secretsmanager:...}}` dynamic reference, which CloudFormation resolves at deploy time.
 */
export function tunnelSpecification(tunnel: TunnelOptions,
  logOptions?: ec2.CfnVPNConnection.VpnTunnelLogOptionsSpecificationProperty): Spec {
  return {
    ikeVersions: values(tunnel.ikeVersions),
    phase1EncryptionAlgorithms: values(tunnel.phase1EncryptionAlgorithms),
    phase1IntegrityAlgorithms: values(tunnel.phase1IntegrityAlgorithms),
    phase1DhGroupNumbers: values(tunnel.phase1DhGroupNumbers),
    phase2EncryptionAlgorithms: values(tunnel.phase2EncryptionAlgorithms),
    phase2IntegrityAlgorithms: values(tunnel.phase2IntegrityAlgorithms),
    phase2DhGroupNumbers: values(tunnel.phase2DhGroupNumbers),
    phase1LifetimeSeconds: tunnel.phase1LifetimeSeconds,
    phase2LifetimeSeconds: tunnel.phase2LifetimeSeconds,
    rekeyMarginTimeSeconds: tunnel.rekeyMarginTimeSeconds,
    rekeyFuzzPercentage: tunnel.rekeyFuzzPercentage,
    replayWindowSize: tunnel.replayWindowSize,
    dpdTimeoutSeconds: tunnel.dpdTimeoutSeconds,
    dpdTimeoutAction: tunnel.dpdTimeoutAction,
    startupAction: tunnel.startupAction,
    tunnelInsideCidr: tunnel.tunnelInsideCidr,
    tunnelInsideIpv6Cidr: tunnel.tunnelInsideIpv6Cidr,
    enableTunnelLifecycleControl: tunnel.enableTunnelLifecycleControl,
    preSharedKey: preSharedKeyReference(tunnel),
    logOptions,
  };
}

function preSharedKeyReference(tunnel: TunnelOptions): string | undefined {
  const secret = tunnel.preSharedKeySecret;
  if (!secret) return undefined;
  const value = tunnel.preSharedKeySecretField ? secret.secretValueFromJson(tunnel.preSharedKeySecretField) : secret.secretValue;
  // unsafeUnwrap gives the dynamic reference token, not the key: the key itself never reaches the template.
  return value.unsafeUnwrap();
}

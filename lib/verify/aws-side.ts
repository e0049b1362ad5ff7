/**
 * "The AWS side" of each tunnel the checks compare against: with a describe file, the tunnel's real
 * parameters (converted by `endpointConfigFromDescribe`); without one, the endpoint config's own record of
 * AWS's addresses, ASNs, lifetimes and timers, with AWS's full allowed value sets for the proposals.
 */
import type { VpnConnection } from '@aws-sdk/client-ec2';
import { awsEncryptionKeyword, awsIntegrityKeyword } from '../algorithms';
import type { AwsEncryptionKeyword as EncryptionKeyword, AwsIntegrityKeyword as IntegrityKeyword } from '../algorithms';
import { ENCRYPTION_ALGORITHMS, IKE_VERSIONS, INTEGRITY_ALGORITHMS, PHASE1_DH_GROUPS, PHASE2_DH_GROUPS } from '../aws-rules';
import { EndpointConfigError, endpointConfigFromDescribe } from '../endpoint';
import type { OnPremEndpointConfig, Routing, TunnelConfig } from '../endpoint';
import { formatIp, parseIp } from '../net/address';
import { VerifyInputError } from './errors';

export interface AwsSide {
  readonly source: 'describe' | 'aws-rules';
  readonly routing: Routing;
  /**
   * AWS's parameters for the tunnel, in the endpoint model. With a describe file its `preSharedKey` may hold
   * AWS's key inline, for comparison only: never print it.
   */
  readonly tunnel: TunnelConfig;
}

/** Every tunnel of a DescribeVpnConnections connection, keys inline (kept in memory only). */
export function awsSidesFromDescribe(connection: VpnConnection, file: string): AwsSide[] {
  let config: OnPremEndpointConfig;
  try {
    config = endpointConfigFromDescribe(connection, { inlineSecrets: true });
  } catch (e) {
    if (e instanceof EndpointConfigError) throw new VerifyInputError(`${file}: ${e.message}`);
    throw e;
  }
  return config.tunnels.map((tunnel) => ({ source: 'describe', routing: config.routing, tunnel }));
}

/** The config's own record of AWS, with every proposal value AWS allows (`lib/aws-rules.ts`). */
export function awsSidesFromRules(config: OnPremEndpointConfig): AwsSide[] {
  return config.tunnels.map((tunnel) => ({
    source: 'aws-rules',
    routing: config.routing,
    tunnel: {
      ...tunnel,
      ike: { ...tunnel.ike, versions: [...IKE_VERSIONS], encryption: ALL_ENCRYPTION, integrity: ALL_INTEGRITY, dhGroups: [...PHASE1_DH_GROUPS] },
      esp: { ...tunnel.esp, encryption: ALL_ENCRYPTION, integrity: ALL_INTEGRITY, pfsGroups: [...PHASE2_DH_GROUPS] },
    },
  }));
}

const ALL_ENCRYPTION = ENCRYPTION_ALGORITHMS.map((a) => awsEncryptionKeyword(a) as EncryptionKeyword);
const ALL_INTEGRITY = INTEGRITY_ALGORITHMS.map((a) => awsIntegrityKeyword(a) as IntegrityKeyword);

/** The AWS side whose outside address is `awsOutsideAddress` (compared as addresses, not text). */
export function findAwsSide(sides: readonly AwsSide[], awsOutsideAddress: string): AwsSide | undefined {
  const key = canonical(awsOutsideAddress);
  return sides.find((s) => canonical(s.tunnel.remote.outsideAddress) === key);
}

function canonical(text: string): string {
  const ip = parseIp(text.trim());
  return ip ? formatIp(ip.version, ip.address) : text.trim();
}

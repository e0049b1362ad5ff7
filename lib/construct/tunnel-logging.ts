/** Tunnel activity logs: one CloudWatch log group per tunnel (and one for BGP logs if asked), wired into `LogOptions`. */
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { VENDED_LOG_GROUP_PREFIX } from '../aws-rules';
import { TunnelLoggingOptions, TunnelOptions } from './props';

export const DEFAULT_TUNNEL_LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;

export interface TunnelLogging {
  readonly logGroup: logs.LogGroup;
  readonly bgpLogGroup?: logs.LogGroup;
  readonly logOptions: ec2.CfnVPNConnection.VpnTunnelLogOptionsSpecificationProperty;
}

/** Log groups live under `/aws/vendedlogs/`, as AWS asks for logs a service delivers. */
export function tunnelLogGroupName(scope: Construct, siteName: string, tunnelNumber: number): string {
  return `${VENDED_LOG_GROUP_PREFIX}site-to-site-vpn/${Stack.of(scope).stackName}/${siteName}/tunnel-${tunnelNumber}`;
}

export function createTunnelLogging(scope: Construct, siteName: string, tunnelNumber: number,
  tunnel: TunnelOptions): TunnelLogging | undefined {
  if (!tunnel.logging) return undefined;
  const options: TunnelLoggingOptions = tunnel.logging === true ? {} : tunnel.logging;
  const retention = options.retention ?? DEFAULT_TUNNEL_LOG_RETENTION;
  const name = tunnelLogGroupName(scope, siteName, tunnelNumber);
  const logGroup = new logs.LogGroup(scope, `Tunnel${tunnelNumber}Logs`, { logGroupName: name, retention });
  const bgpLogGroup = options.bgpLogs
    ? new logs.LogGroup(scope, `Tunnel${tunnelNumber}BgpLogs`, { logGroupName: `${name}/bgp`, retention })
    : undefined;
  return {
    logGroup,
    bgpLogGroup,
    logOptions: {
      cloudwatchLogOptions: {
        logEnabled: true,
        logGroupArn: logGroup.logGroupArn,
        logOutputFormat: options.outputFormat,
        bgpLogEnabled: bgpLogGroup ? true : undefined,
        bgpLogGroupArn: bgpLogGroup?.logGroupArn,
        bgpLogOutputFormat: bgpLogGroup ? options.outputFormat : undefined,
      },
    },
  };
}

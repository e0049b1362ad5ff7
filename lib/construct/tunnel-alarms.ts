/**
 * CloudWatch alarms on the AWS/VPN `TunnelState` metric.
 *
 * AWS publishes TunnelState with two dimension sets: `VpnId` + `TunnelIpAddress` (one tunnel: 1 up, 0 down)
 * and `VpnId` alone (the connection: the fraction of its tunnels that are up, so 0.5 means one of two is down).
 * A tunnel's outside address is picked by AWS when the connection is created and CloudFormation cannot read it
 * (no `Fn::GetAtt`), so a per-tunnel alarm is only possible once the addresses are known and passed in as
 * `tunnelOutsideIpAddresses`. Without them the correct synth-time choice is one alarm per connection on the
 * `VpnId` metric with `Minimum < 1`: it fires as soon as any tunnel is down. Metric math cannot do better:
 * alarms refuse SEARCH expressions, and math over the `VpnId` series cannot tell which tunnel is down.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { TUNNEL_STATE_METRIC } from '../aws-rules';

/** AWS/VPN metrics arrive every 5 minutes; two bad datapoints out of three ride out a single rekey blip. */
const PERIOD = Duration.minutes(5);
const EVALUATION_PERIODS = 3;
const DATAPOINTS_TO_ALARM = 2;

export interface TunnelAlarmOptions {
  readonly siteName: string;
  readonly vpnConnectionId: string;
  /** AWS's tunnel outside addresses, when known: one alarm per tunnel instead of one per connection. */
  readonly tunnelOutsideIpAddresses?: readonly string[];
  readonly topic?: sns.ITopic;
}

export function tunnelStateMetric(vpnConnectionId: string, tunnelIpAddress?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    ...TUNNEL_STATE_METRIC,
    dimensionsMap: tunnelIpAddress ? { VpnId: vpnConnectionId, TunnelIpAddress: tunnelIpAddress } : { VpnId: vpnConnectionId },
    statistic: cloudwatch.Stats.MINIMUM,
    period: PERIOD,
  });
}

export function createTunnelAlarms(scope: Construct, options: TunnelAlarmOptions): cloudwatch.Alarm[] {
  const tunnelIps = options.tunnelOutsideIpAddresses ?? [];
  const alarms = tunnelIps.length > 0
    ? tunnelIps.map((ip, i) => tunnelDownAlarm(scope, `Tunnel${i + 1}StateAlarm`, tunnelStateMetric(options.vpnConnectionId, ip),
      `Site ${options.siteName}: VPN tunnel ${i + 1} (${ip}) is down`))
    : [tunnelDownAlarm(scope, 'TunnelStateAlarm', tunnelStateMetric(options.vpnConnectionId),
      `Site ${options.siteName}: at least one VPN tunnel is down`)];
  if (options.topic) {
    const action = new actions.SnsAction(options.topic);
    alarms.forEach((alarm) => {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    });
  }
  return alarms;
}

function tunnelDownAlarm(scope: Construct, id: string, metric: cloudwatch.Metric, description: string): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    metric,
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: EVALUATION_PERIODS,
    datapointsToAlarm: DATAPOINTS_TO_ALARM,
    // AWS reports TunnelState for down tunnels too; silence means the connection is not reporting at all.
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    alarmDescription: description,
  });
}

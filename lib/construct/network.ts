/** The default network: a VPC of private isolated subnets in two AZs, no NAT gateway (the VPN is the way out). */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export const DEFAULT_VPC_CIDR = '10.0.0.0/16';
export const DEFAULT_FLOW_LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;

export interface DefaultVpcOptions {
  readonly cidr?: string;
  readonly flowLogs?: boolean;
}

export function createDefaultVpc(scope: Construct, options: DefaultVpcOptions): ec2.Vpc {
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(options.cidr ?? DEFAULT_VPC_CIDR),
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
  if (options.flowLogs ?? true) {
    const logGroup = new logs.LogGroup(scope, 'VpcFlowLogs', { retention: DEFAULT_FLOW_LOG_RETENTION });
    vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup) });
  }
  return vpc;
}

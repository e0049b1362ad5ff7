/**
 * The synth benchmark's reference: the same VPN as examples/hq.json written with aws-cdk-lib alone (no
 * cdk-site-to-site-vpn): the VPC with flow logs, a virtual private gateway attached and propagating, the
 * customer gateway, the connection with the same tunnel options and tunnel log groups. It reads the example's
 * JSON directly (no validation, no endpoint-config resource, no alarms, no cdk-nag): what a hand-written app has.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';

interface Tunnel extends Record<string, unknown> {
  logging?: { retentionDays?: number; outputFormat?: string; bgpLogs?: boolean };
}
const example = JSON.parse(readFileSync(join(__dirname, '..', 'examples', 'hq.json'), 'utf8')) as {
  stackName: string; vpc: { cidr: string }; gateway: { amazonSideAsn: number };
  sites: { name: string; customerGatewayIp: string; bgpAsn: number; deviceName?: string; preSharedKeyStorage?: string; tunnels: Tunnel[] }[];
};

const app = new App();
const stack = new Stack(app, `${example.stackName}Bare`);
const vpc = new ec2.Vpc(stack, 'Vpc', {
  ipAddresses: ec2.IpAddresses.cidr(example.vpc.cidr), maxAzs: 2, natGateways: 0,
  subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
});
vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(stack, 'VpcFlowLogs', { retention: logs.RetentionDays.THREE_MONTHS })) });
const gateway = new ec2.CfnVPNGateway(stack, 'VpnGateway', { type: 'ipsec.1', amazonSideAsn: example.gateway.amazonSideAsn });
const attachment = new ec2.CfnVPCGatewayAttachment(stack, 'Attachment', { vpcId: vpc.vpcId, vpnGatewayId: gateway.ref });
new ec2.CfnVPNGatewayRoutePropagation(stack, 'Propagation', {
  vpnGatewayId: gateway.ref, routeTableIds: vpc.isolatedSubnets.map((s) => s.routeTable.routeTableId),
}).node.addDependency(attachment);

// The JSON holds strings and numbers where CloudFormation wants them: `[{ Value: x }]`.
const values = <T extends string | number>(list: unknown) => (list as T[] | undefined)?.map((value) => ({ value })) as { value: never }[] | undefined;
for (const site of example.sites) {
  const cgw = new ec2.CfnCustomerGateway(stack, `${site.name}Cgw`, { type: 'ipsec.1', ipAddress: site.customerGatewayIp, bgpAsn: site.bgpAsn, deviceName: site.deviceName });
  const tunnels = site.tunnels.map((t, i): ec2.CfnVPNConnection.VpnTunnelOptionsSpecificationProperty => {
    const retention = (t.logging?.retentionDays ?? 90) as logs.RetentionDays;
    const group = new logs.LogGroup(stack, `${site.name}Tunnel${i + 1}Logs`, { retention });
    const bgp = t.logging?.bgpLogs ? new logs.LogGroup(stack, `${site.name}Tunnel${i + 1}BgpLogs`, { retention }) : undefined;
    return {
      ikeVersions: values(t.ikeVersions), phase1EncryptionAlgorithms: values(t.phase1EncryptionAlgorithms),
      phase1IntegrityAlgorithms: values(t.phase1IntegrityAlgorithms), phase1DhGroupNumbers: values(t.phase1DhGroupNumbers),
      phase2EncryptionAlgorithms: values(t.phase2EncryptionAlgorithms), phase2IntegrityAlgorithms: values(t.phase2IntegrityAlgorithms),
      phase2DhGroupNumbers: values(t.phase2DhGroupNumbers),
      phase1LifetimeSeconds: t.phase1LifetimeSeconds as number, phase2LifetimeSeconds: t.phase2LifetimeSeconds as number,
      rekeyMarginTimeSeconds: t.rekeyMarginTimeSeconds as number, rekeyFuzzPercentage: t.rekeyFuzzPercentage as number,
      replayWindowSize: t.replayWindowSize as number, dpdTimeoutSeconds: t.dpdTimeoutSeconds as number,
      dpdTimeoutAction: t.dpdTimeoutAction as string, startupAction: t.startupAction as string,
      tunnelInsideCidr: t.tunnelInsideCidr as string, enableTunnelLifecycleControl: t.enableTunnelLifecycleControl as boolean,
      logOptions: { cloudwatchLogOptions: {
        logEnabled: true, logGroupArn: group.logGroupArn, logOutputFormat: t.logging?.outputFormat,
        bgpLogEnabled: bgp ? true : undefined, bgpLogGroupArn: bgp?.logGroupArn, bgpLogOutputFormat: bgp ? t.logging?.outputFormat : undefined,
      } },
    };
  });
  new ec2.CfnVPNConnection(stack, `${site.name}Connection`, {
    type: 'ipsec.1', customerGatewayId: cgw.ref, vpnGatewayId: gateway.ref, preSharedKeyStorage: site.preSharedKeyStorage,
    vpnTunnelOptionsSpecifications: tunnels,
  });
}
app.synth();

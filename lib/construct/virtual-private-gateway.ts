/** A new virtual private gateway attached to the VPC, propagating the routes it learns into subnet route tables. */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface VirtualPrivateGatewayResources {
  readonly gateway: ec2.CfnVPNGateway;
  readonly attachment: ec2.CfnVPCGatewayAttachment;
  readonly routePropagation?: ec2.CfnVPNGatewayRoutePropagation;
}

/** `propagateTo` unset means every private subnet (isolated or with egress) of the VPC. */
export function createVirtualPrivateGateway(scope: Construct, vpc: ec2.IVpc, amazonSideAsn: number,
  propagateTo?: ec2.SubnetSelection[]): VirtualPrivateGatewayResources {
  const gateway = new ec2.CfnVPNGateway(scope, 'VpnGateway', { type: 'ipsec.1', amazonSideAsn });
  const attachment = new ec2.CfnVPCGatewayAttachment(scope, 'VpnGatewayAttachment', {
    vpcId: vpc.vpcId,
    vpnGatewayId: gateway.ref,
  });
  const subnets = propagateTo
    ? propagateTo.flatMap((selection) => vpc.selectSubnets(selection).subnets)
    : [...vpc.isolatedSubnets, ...vpc.privateSubnets];
  const routeTableIds = [...new Set(subnets.map((subnet) => subnet.routeTable.routeTableId))];
  if (routeTableIds.length === 0) return { gateway, attachment };
  const routePropagation = new ec2.CfnVPNGatewayRoutePropagation(scope, 'VpnGatewayRoutePropagation', {
    routeTableIds,
    vpnGatewayId: gateway.ref,
  });
  // Propagation fails until the gateway is attached to the VPC.
  routePropagation.addResourceDependency(attachment);
  return { gateway, attachment, routePropagation };
}

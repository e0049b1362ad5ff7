/**
 * The virtual private gateway of a VPC: a new one attached to it (AWS attaches at most one per VPC, so a second
 * is a synth-time error naming both), or an existing one; either propagates the routes it learns into subnet
 * route tables.
 */
import { CfnResource, IResolvable, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { SiteToSiteGateway } from './gateway-choice';

export interface VirtualPrivateGatewayResources {
  /** The gateway's id: the new gateway's `Ref`, or the existing gateway's id. */
  readonly vpnGatewayId: string;
  /** The new gateway; undefined for an existing one. */
  readonly gateway?: ec2.CfnVPNGateway;
  /** The new gateway's attachment to the VPC; undefined for an existing one. */
  readonly attachment?: ec2.CfnVPCGatewayAttachment;
  readonly routePropagation?: ec2.CfnVPNGatewayRoutePropagation;
}

/**
 * The gateway `choice` names, on `vpc`. A new gateway propagates into `propagateTo` (unset: every private subnet,
 * isolated or with egress); an existing one only into `propagateTo`, when given.
 */
export function virtualPrivateGatewayFor(scope: Construct, choice: SiteToSiteGateway, vpc: ec2.IVpc | undefined): VirtualPrivateGatewayResources {
  if (choice.vpnGatewayId !== undefined) {
    const routePropagation = vpc && choice.propagateTo ? propagateRoutes(scope, choice.vpnGatewayId, selected(vpc, choice.propagateTo)) : undefined;
    return { vpnGatewayId: choice.vpnGatewayId, routePropagation };
  }
  if (!vpc) throw new Error(`${scope.node.path}: a new virtual private gateway needs a VPC`);
  assertNoVpnGatewayYet(scope, vpc);
  const gateway = new ec2.CfnVPNGateway(scope, 'VpnGateway', { type: 'ipsec.1', amazonSideAsn: choice.amazonSideAsn });
  const attachment = new ec2.CfnVPCGatewayAttachment(scope, 'VpnGatewayAttachment', { vpcId: vpc.vpcId, vpnGatewayId: gateway.ref });
  attachment.node.addValidation({ validate: () => otherVpnGatewayAttachments(attachment).map((other) => secondGatewayMessage(scope, vpc, other.node.path)) });
  const subnets = choice.propagateTo ? selected(vpc, choice.propagateTo) : [...vpc.isolatedSubnets, ...vpc.privateSubnets];
  const routePropagation = propagateRoutes(scope, gateway.ref, subnets);
  // Propagation fails until the gateway is attached to the VPC.
  routePropagation?.node.addDependency(attachment);
  return { vpnGatewayId: gateway.ref, gateway, attachment, routePropagation };
}

function selected(vpc: ec2.IVpc, selections: ec2.SubnetSelection[]): ec2.ISubnet[] {
  return selections.flatMap((selection) => vpc.selectSubnets(selection).subnets);
}

/** One propagation into the route tables of `subnets`; none without subnets. */
function propagateRoutes(scope: Construct, vpnGatewayId: string, subnets: ec2.ISubnet[]): ec2.CfnVPNGatewayRoutePropagation | undefined {
  const routeTableIds = [...new Set(subnets.map((subnet) => subnet.routeTable.routeTableId))];
  if (routeTableIds.length === 0) return undefined;
  return new ec2.CfnVPNGatewayRoutePropagation(scope, 'VpnGatewayRoutePropagation', { routeTableIds, vpnGatewayId });
}

/** The VPC already has a gateway (`ec2.Vpc` with `vpnGateway: true`, or imported with `vpnGatewayId`): reuse it. */
function assertNoVpnGatewayYet(scope: Construct, vpc: ec2.IVpc): void {
  if (vpc.vpnGatewayId === undefined) return;
  const existing = vpc.node.tryFindChild('VpnGateway')?.node.path ?? `${vpc.node.path} (vpnGatewayId)`;
  throw new Error(secondGatewayMessage(scope, vpc, existing));
}

function secondGatewayMessage(scope: Construct, vpc: ec2.IVpc, existing: string): string {
  return `SiteToSiteVpn ${scope.node.path} would attach a second virtual private gateway to the VPC ${vpc.node.path}, ` +
    `which already has ${existing}: AWS attaches at most one per VPC. Reuse it: ` +
    '`gateway: SiteToSiteGateway.existingVirtualPrivateGateway(<its id, e.g. vpc.vpnGatewayId>)`';
}

/** Other VPN gateway attachments to the same VPC: in the same stack by reference, or anywhere by literal VPC id. */
function otherVpnGatewayAttachments(attachment: ec2.CfnVPCGatewayAttachment): IConstruct[] {
  const stack = Stack.of(attachment);
  const vpcOf = (c: ec2.CfnVPCGatewayAttachment) => JSON.stringify(Stack.of(c).resolve(c.vpcId as string | IResolvable));
  const ours = vpcOf(attachment);
  const literal = !Token.isUnresolved(attachment.vpcId);
  return attachment.node.root.node.findAll().filter((c): c is ec2.CfnVPCGatewayAttachment => c !== attachment
    && CfnResource.isCfnResource(c) && c.cfnResourceType === ec2.CfnVPCGatewayAttachment.CFN_RESOURCE_TYPE_NAME
    && (c as ec2.CfnVPCGatewayAttachment).vpnGatewayId !== undefined
    && (literal || Stack.of(c) === stack) && vpcOf(c as ec2.CfnVPCGatewayAttachment) === ours);
}

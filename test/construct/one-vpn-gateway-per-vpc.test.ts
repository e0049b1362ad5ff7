/**
 * AWS attaches at most one virtual private gateway to a VPC: a second is a synth-time error naming both
 * constructs, and `SiteToSiteGateway.existingVirtualPrivateGateway` reuses the one there is.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { SiteToSiteGateway } from '../../lib/construct';
import { SiteToSiteVpn } from '../../lib/construct/site-to-site-vpn';
import { newStack, synth } from './synth';

const hq = { name: 'hq', customerGatewayIp: '198.51.100.10', bgpAsn: 65010 };
const branch = { name: 'branch', customerGatewayIp: '198.51.100.20', bgpAsn: 65020 };
const isolatedVpc = (stack: Stack, props: Partial<ec2.VpcProps> = {}) => new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }], ...props,
});

test('two SiteToSiteVpn on one VPC: the synth fails naming both gateways', () => {
  const stack = newStack();
  const vpc = isolatedVpc(stack);
  new SiteToSiteVpn(stack, 'First', { vpc, sites: [hq], endpointConfig: false });
  new SiteToSiteVpn(stack, 'Second', { vpc, sites: [branch], endpointConfig: false });
  expect(() => synth(stack)).toThrow(
    'SiteToSiteVpn TestStack/First would attach a second virtual private gateway to the VPC TestStack/Vpc, ' +
    'which already has TestStack/Second/VpnGatewayAttachment: AWS attaches at most one per VPC. Reuse it: ' +
    '`gateway: SiteToSiteGateway.existingVirtualPrivateGateway(<its id, e.g. vpc.vpnGatewayId>)`',
  );
});

test('a VPC created with vpnGateway: true: the construct refuses to add a second, naming the VPC\'s gateway', () => {
  const stack = newStack();
  const vpc = isolatedVpc(stack, { vpnGateway: true });
  expect(() => new SiteToSiteVpn(stack, 'Vpn', { vpc, sites: [hq] })).toThrow(
    'SiteToSiteVpn TestStack/Vpn would attach a second virtual private gateway to the VPC TestStack/Vpc, which already has TestStack/Vpc/VpnGateway',
  );
});

test('an imported VPC with a vpnGatewayId: refused the same way', () => {
  const stack = newStack();
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], vpnGatewayId: 'vgw-0123456789abcdef0' });
  expect(() => new SiteToSiteVpn(stack, 'Vpn', { vpc, sites: [hq] })).toThrow(/already has TestStack\/Imported \(vpnGatewayId\)/);
});

test('the same literal VPC id imported in two stacks is one VPC: refused across stacks', () => {
  const app = new App();
  const attrs = { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'] };
  for (const name of ['A', 'B']) {
    const stack = new Stack(app, name);
    new SiteToSiteVpn(stack, 'Vpn', { vpc: ec2.Vpc.fromVpcAttributes(stack, 'Imported', attrs), sites: [hq], endpointConfig: false });
  }
  expect(() => app.synth()).toThrow(/SiteToSiteVpn A\/Vpn would attach a second .* which already has B\/Vpn\/VpnGatewayAttachment/);
});

test("two VPCs in two stacks with the same construct ids are two VPCs: no error", () => {
  const app = new App();
  for (const name of ['A', 'B']) {
    const stack = new Stack(app, name);
    new SiteToSiteVpn(stack, 'Vpn', { vpc: isolatedVpc(stack), sites: [hq], endpointConfig: false });
  }
  expect(() => app.synth()).not.toThrow();
});

describe('existingVirtualPrivateGateway', () => {
  test("reuses the VPC's own gateway: no second gateway or attachment; connections terminate on it", () => {
    const stack = newStack();
    const vpc = isolatedVpc(stack, { vpnGateway: true });
    const vpn = new SiteToSiteVpn(stack, 'Vpn', { vpc, gateway: SiteToSiteGateway.existingVirtualPrivateGateway(vpc.vpnGatewayId as string), sites: [hq] });
    const template = synth(stack);
    template.resourceCountIs('AWS::EC2::VPNGateway', 1);
    template.resourceCountIs('AWS::EC2::VPCGatewayAttachment', 1);
    const [gatewayId] = Object.keys(template.findResources('AWS::EC2::VPNGateway'));
    template.hasResourceProperties('AWS::EC2::VPNConnection', { VpnGatewayId: { Ref: gatewayId } });
    expect(vpn.vpnGateway).toBeUndefined();
    expect(vpn.vpc).toBe(vpc);
  });

  test('a second SiteToSiteVpn shares the first one\'s gateway', () => {
    const stack = newStack();
    const vpc = isolatedVpc(stack);
    const first = new SiteToSiteVpn(stack, 'First', { vpc, sites: [hq], endpointConfig: false });
    new SiteToSiteVpn(stack, 'Second', { vpc, gateway: SiteToSiteGateway.existingVirtualPrivateGateway(first.gatewayId), sites: [branch], endpointConfig: false });
    const template = synth(stack);
    template.resourceCountIs('AWS::EC2::VPNGateway', 1);
    template.resourceCountIs('AWS::EC2::VPNConnection', 2);
    template.allResourcesProperties('AWS::EC2::VPNConnection', { VpnGatewayId: { Ref: Object.keys(template.findResources('AWS::EC2::VPNGateway'))[0] } });
  });

  test('by literal id without a VPC: no VPC is created, no routes propagated', () => {
    const stack = newStack();
    new SiteToSiteVpn(stack, 'Vpn', { gateway: SiteToSiteGateway.existingVirtualPrivateGateway('vgw-0123456789abcdef0'), sites: [hq] });
    const template = synth(stack);
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::EC2::VPNGateway', 0);
    template.resourceCountIs('AWS::EC2::VPNGatewayRoutePropagation', 0);
    template.hasResourceProperties('AWS::EC2::VPNConnection', { VpnGatewayId: 'vgw-0123456789abcdef0' });
  });

  test('propagateTo with a VPC: one propagation into the selected subnets\' route tables', () => {
    const stack = newStack();
    const vpc = isolatedVpc(stack);
    new SiteToSiteVpn(stack, 'Vpn', {
      vpc,
      gateway: SiteToSiteGateway.existingVirtualPrivateGateway('vgw-0123456789abcdef0', { propagateTo: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] }),
      sites: [hq],
    });
    synth(stack).hasResourceProperties('AWS::EC2::VPNGatewayRoutePropagation', {
      VpnGatewayId: 'vgw-0123456789abcdef0',
      RouteTableIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('Subnet1RouteTable') }]),
    });
  });

  test.each<[string, SiteToSiteGateway, RegExp]>([
    ['an id that is no gateway id', SiteToSiteGateway.existingVirtualPrivateGateway('vpn-0123456789abcdef0'),
      /`gateway.vpnGatewayId` "vpn-0123456789abcdef0" is not a virtual private gateway id \(vgw-...\)/],
    ['propagateTo without vpc', SiteToSiteGateway.existingVirtualPrivateGateway('vgw-0123456789abcdef0', { propagateTo: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] }),
      /`gateway.propagateTo` needs `vpc`/],
  ])('%s is refused', (_, gateway, message) => {
    expect(() => new SiteToSiteVpn(newStack(), 'Vpn', { gateway, sites: [hq] })).toThrow(message);
  });
});

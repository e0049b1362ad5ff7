/** `HybridVpnStack`: how config references (VPC, Transit Gateway, secrets, topic, retention, tags) become props. */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../bin/app-config/load-config';
import { HybridVpnStack } from '../../lib/construct/hybrid-vpn-stack';
import { SiteToSiteVpnValidationError } from '../../lib/construct/validation/problems';
import { assertNoPlainTextPsk } from '../construct/synth';
import { plantInAppConfig, refused } from '../helpers/bad-input';

function synthConfig(json: unknown): Template {
  const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stack = new HybridVpnStack(app, 'Hybrid', { config: parseConfig(json) });
  const template = Template.fromStack(stack);
  assertNoPlainTextPsk(template.toJSON());
  return template;
}

describe('a Transit Gateway config with secrets by ARN and name, a topic and tags', () => {
  const template = synthConfig({
    description: 'TGW sites',
    gateway: { type: 'transitGateway', transitGatewayId: 'tgw-0123456789abcdef0', amazonSideAsn: 64600 },
    monitoring: { alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:vpn-alarms' },
    tags: { owner: 'netops' },
    sites: [{
      name: 'dc',
      customerGatewayIp: '203.0.113.50',
      bgpAsn: 65050,
      tunnels: [
        { preSharedKeySecret: { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:vpn/dc-AbCdEf', jsonField: 't1' } },
        { preSharedKeySecret: { secretName: 'vpn/dc-tunnel2' }, logging: { retentionDays: 30, outputFormat: 'text' } },
      ],
    }],
  });

  test('connections go to the Transit Gateway, with no VPC', () => {
    template.hasResourceProperties('AWS::EC2::VPNConnection', { TransitGatewayId: 'tgw-0123456789abcdef0' });
    template.resourceCountIs('AWS::EC2::VPC', 0);
    expect(template.toJSON().Description).toBe('TGW sites');
  });

  test('secrets become dynamic references (JSON field kept), never values', () => {
    template.hasResourceProperties('AWS::EC2::VPNConnection', {
      VpnTunnelOptionsSpecifications: [
        { PreSharedKey: '{{resolve:secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:vpn/dc-AbCdEf:SecretString:t1::}}' },
        { PreSharedKey: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^\\{\\{resolve:secretsmanager:arn:')])] } },
      ],
    });
  });

  test('retentionDays and outputFormat reach the tunnel log group', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/site-to-site-vpn/Hybrid/dc/tunnel-2', RetentionInDays: 30 });
    template.hasResourceProperties('AWS::EC2::VPNConnection', {
      VpnTunnelOptionsSpecifications: Match.arrayWith([Match.objectLike({ LogOptions: { CloudwatchLogOptions: Match.objectLike({ LogOutputFormat: 'text' }) } })]),
    });
  });

  test('alarms notify the topic; tags land on the resources', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:vpn-alarms'] });
    template.hasResourceProperties('AWS::EC2::CustomerGateway', { Tags: Match.arrayWith([{ Key: 'owner', Value: 'netops' }]) });
  });
});

test('an imported VPC by attributes', () => {
  const template = synthConfig({
    vpc: { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], isolatedSubnetIds: ['subnet-0123456789abcdef0'], isolatedSubnetRouteTableIds: ['rtb-0123456789abcdef0'] },
    monitoring: { enabled: false },
    sites: [{ name: 'hq', customerGatewayIp: '198.51.100.10', staticRoutes: ['172.16.0.0/12'] }],
  });
  template.hasResourceProperties('AWS::EC2::VPCGatewayAttachment', { VpcId: 'vpc-0123456789abcdef0' });
  template.hasResourceProperties('AWS::EC2::VPNGatewayRoutePropagation', { RouteTableIds: ['rtb-0123456789abcdef0'] });
  template.resourceCountIs('AWS::EC2::VPC', 0);
  template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
});

test('a well-formed config that breaks an AWS rule fails with the construct error, no planted secret name in it', async () => {
  const config = plantInAppConfig({ sites: [{ name: 'hq', customerGatewayIp: '198.51.100.10', bgpAsn: 65010, tunnels: [{ phase2LifetimeSeconds: 5000 }, {}] }] });
  const error = await refused(() => synthConfig(config));
  expect(error).toBeInstanceOf(SiteToSiteVpnValidationError);
  expect(error.message).toMatch(/Site `hq`, tunnel 1: `phase2LifetimeSeconds` 5000 must be an integer from 900 to 3600/);
});

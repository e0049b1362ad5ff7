/** Template assertions for every prop mapping of `SiteToSiteVpn`. Each stack is synthesized once per file. */
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SiteToSiteGateway } from '../../lib/construct';
import { SiteToSiteVpn } from '../../lib/construct/site-to-site-vpn';
import { newStack, synth } from './synth';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:vpn/hq-psk-AbCdEf';

describe('defaults', () => {
  const stack = newStack();
  const vpn = new SiteToSiteVpn(stack, 'Vpn', { sites: [{ name: 'hq', customerGatewayIp: '198.51.100.10', bgpAsn: 65010 }] });
  const template = synth(stack);

  test('a new VPC: 10.0.0.0/16, two isolated subnets, no NAT and no internet gateway', () => {
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
  });

  test('VPC flow logs to a CloudWatch log group with retention', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  test('a virtual private gateway with ASN 64512, attached, propagating into both route tables after the attachment', () => {
    template.hasResourceProperties('AWS::EC2::VPNGateway', { Type: 'ipsec.1', AmazonSideAsn: 64512 });
    template.hasResourceProperties('AWS::EC2::VPCGatewayAttachment', { VpnGatewayId: { Ref: Match.anyValue() } });
    const attachment = Object.keys(template.findResources('AWS::EC2::VPCGatewayAttachment'))[0];
    template.hasResource('AWS::EC2::VPNGatewayRoutePropagation', {
      Properties: { RouteTableIds: [{ Ref: Match.stringLikeRegexp('Subnet1RouteTable') }, { Ref: Match.stringLikeRegexp('Subnet2RouteTable') }] },
      DependsOn: [attachment],
    });
  });

  test('customer gateway and connection; AWS generates the PSKs and keeps them in Secrets Manager', () => {
    template.hasResourceProperties('AWS::EC2::CustomerGateway', { Type: 'ipsec.1', IpAddress: '198.51.100.10', BgpAsn: 65010 });
    template.hasResourceProperties('AWS::EC2::VPNConnection', {
      Type: 'ipsec.1',
      CustomerGatewayId: { Ref: Match.stringLikeRegexp('hqCustomerGateway') },
      VpnGatewayId: { Ref: Match.stringLikeRegexp('VpnGateway') },
      PreSharedKeyStorage: 'SecretsManager',
      StaticRoutesOnly: Match.absent(),
      VpnTunnelOptionsSpecifications: Match.absent(),
      TransitGatewayId: Match.absent(),
    });
  });

  test('one TunnelState alarm per tunnel, keyed by the outside address read at deploy time, firing below 1', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    for (const n of [1, 2]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/VPN',
        MetricName: 'TunnelState',
        Dimensions: Match.arrayWith([
          { Name: 'TunnelIpAddress', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('hqEndpointConfig'), `Tunnel${n}OutsideAddress`] } },
          { Name: 'VpnId', Value: { Ref: Match.stringLikeRegexp('hqConnection') } },
        ]),
        Statistic: 'Minimum',
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: Match.absent(),
      });
    }
  });

  test('the on-prem endpoint config is generated at deploy time into one encrypted, versioned bucket', () => {
    template.resourceCountIs('Custom::VpnEndpointConfig', 1);
    template.hasResourceProperties('Custom::VpnEndpointConfig', {
      VpnConnectionId: { Ref: Match.stringLikeRegexp('hqConnection') },
      BucketName: { Ref: Match.stringLikeRegexp('VpnEndpointConfigs') },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: Match.objectLike({}),
      PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true, RestrictPublicBuckets: true }),
    });
    expect(vpn.tunnelOutsideAddress('hq', 1)).toBe(vpn.site('hq')!.endpointConfig!.tunnelOutsideAddress(1));
    expect(() => vpn.tunnelOutsideAddress('nowhere', 0)).toThrow(/No site named "nowhere"; sites: hq/);
  });

  test('outputs the connection, customer gateway and gateway ids, the tunnel outside addresses and the config location', () => {
    template.hasOutput('*', { Value: { Ref: Match.stringLikeRegexp('hqConnection') } });
    for (const n of [1, 2]) {
      template.hasOutput('*', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('hqEndpointConfig'), `Tunnel${n}OutsideAddress`] } });
    }
    template.hasOutput('*', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('hqEndpointConfig'), 'ArtifactPrefixUri'] } });
    template.hasOutput('*', { Value: { Ref: Match.stringLikeRegexp('hqCustomerGateway') } });
    template.hasOutput('*', { Value: { Ref: Match.stringLikeRegexp('VpnVpnGateway') } });
  });

  test('public properties reach every per-site resource', () => {
    expect(vpn.vpnConnections).toHaveLength(1);
    expect(vpn.customerGateways).toHaveLength(1);
    expect(vpn.vpnGateway).toBeInstanceOf(ec2.CfnVPNGateway);
    expect(vpn.vpc).toBeDefined();
    expect(vpn.gatewayId).toBe(vpn.vpnGateway!.ref);
    const hq = vpn.site('hq')!;
    expect(hq.vpnConnection).toBe(vpn.vpnConnections[0]);
    expect(hq.customerGateway).toBe(vpn.customerGateways[0]);
    expect(hq.alarms).toHaveLength(2);
    expect(vpn.site('nowhere')).toBeUndefined();
  });
});

describe('endpointConfig: false', () => {
  const stack = newStack();
  const vpn = new SiteToSiteVpn(stack, 'Vpn', {
    sites: [{ name: 'hq', customerGatewayIp: '198.51.100.10', bgpAsn: 65010 }],
    endpointConfig: false,
  });
  const template = synth(stack);

  test('no generator, no bucket; one TunnelState alarm per connection on the VpnId dimension', () => {
    template.resourceCountIs('Custom::VpnEndpointConfig', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'VpnId', Value: { Ref: Match.stringLikeRegexp('hqConnection') } }],
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
    });
    expect(() => vpn.tunnelOutsideAddress('hq', 0)).toThrow(/set `endpointConfig` to true/);
  });
});

describe('every tunnel option, on a virtual private gateway', () => {
  const stack = newStack();
  const topic = new sns.Topic(stack, 'Topic');
  const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Psk', SECRET_ARN);
  const vpn = new SiteToSiteVpn(stack, 'Vpn', {
    vpcCidr: '10.50.0.0/16',
    gateway: SiteToSiteGateway.virtualPrivateGateway({ amazonSideAsn: 4200000001 }),
    alarmTopic: topic,
    sites: [
      {
        name: 'hq',
        customerGatewayIp: '198.51.100.10',
        bgpAsn: 65010,
        deviceName: 'edge-1',
        localIpv4NetworkCidr: '192.168.0.0/16',
        remoteIpv4NetworkCidr: '10.50.0.0/16',
        outsideIpAddressType: 'PublicIpv4',
        tunnelInsideIpVersion: 'ipv4',
        tunnelBandwidth: 'standard',
        enableAcceleration: false,
        tunnelOutsideIpAddresses: ['192.0.2.10', '192.0.2.20'],
        tunnels: [
          {
            ikeVersions: ['ikev2'],
            phase1EncryptionAlgorithms: ['AES256-GCM-16'],
            phase1IntegrityAlgorithms: ['SHA2-384'],
            phase1DhGroupNumbers: [20],
            phase2EncryptionAlgorithms: ['AES128-GCM-16', 'AES256-GCM-16'],
            phase2IntegrityAlgorithms: ['SHA2-256'],
            phase2DhGroupNumbers: [19, 5],
            phase1LifetimeSeconds: 14400,
            phase2LifetimeSeconds: 1800,
            rekeyMarginTimeSeconds: 600,
            rekeyFuzzPercentage: 50,
            replayWindowSize: 2048,
            dpdTimeoutSeconds: 40,
            dpdTimeoutAction: 'restart',
            startupAction: 'start',
            tunnelInsideCidr: '169.254.44.0/30',
            enableTunnelLifecycleControl: true,
            preSharedKeySecret: secret,
            preSharedKeySecretField: 'tunnel1',
            logging: { retention: logs.RetentionDays.ONE_WEEK, outputFormat: 'text', bgpLogs: true },
          },
          { tunnelInsideCidr: '169.254.44.4/30', preSharedKeySecret: secret, logging: true },
        ],
      },
      { name: 'far-east', customerGatewayIp: '203.0.113.30', bgpAsn: 4200000000 - 1 },
      {
        name: 'shop',
        customerGatewayIp: '203.0.113.40',
        staticRoutes: ['192.168.50.0/24', '192.168.60.0/24'],
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
        preSharedKeyStorage: 'Standard',
      },
      {
        name: 'certified',
        customerGatewayIp: '203.0.113.41',
        bgpAsn: 65041,
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/def',
        tunnels: [{ preSharedKeySecret: secret }],
      },
    ],
  });
  const template = synth(stack);

  test('the VPC takes vpcCidr; the gateway takes a 4-byte Amazon ASN', () => {
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.50.0.0/16' });
    template.hasResourceProperties('AWS::EC2::VPNGateway', { AmazonSideAsn: 4200000001 });
  });

  test('tunnel 1 carries every option in AWS names, and tunnel 2 only its own', () => {
    template.hasResourceProperties('AWS::EC2::VPNConnection', {
      CustomerGatewayId: { Ref: Match.stringLikeRegexp('hqCustomerGateway') },
      LocalIpv4NetworkCidr: '192.168.0.0/16',
      RemoteIpv4NetworkCidr: '10.50.0.0/16',
      OutsideIpAddressType: 'PublicIpv4',
      TunnelInsideIpVersion: 'ipv4',
      TunnelBandwidth: 'standard',
      EnableAcceleration: false,
      VpnTunnelOptionsSpecifications: [
        {
          IKEVersions: [{ Value: 'ikev2' }],
          Phase1EncryptionAlgorithms: [{ Value: 'AES256-GCM-16' }],
          Phase1IntegrityAlgorithms: [{ Value: 'SHA2-384' }],
          Phase1DHGroupNumbers: [{ Value: 20 }],
          Phase2EncryptionAlgorithms: [{ Value: 'AES128-GCM-16' }, { Value: 'AES256-GCM-16' }],
          Phase2IntegrityAlgorithms: [{ Value: 'SHA2-256' }],
          Phase2DHGroupNumbers: [{ Value: 19 }, { Value: 5 }],
          Phase1LifetimeSeconds: 14400,
          Phase2LifetimeSeconds: 1800,
          RekeyMarginTimeSeconds: 600,
          RekeyFuzzPercentage: 50,
          ReplayWindowSize: 2048,
          DPDTimeoutSeconds: 40,
          DPDTimeoutAction: 'restart',
          StartupAction: 'start',
          TunnelInsideCidr: '169.254.44.0/30',
          EnableTunnelLifecycleControl: true,
          PreSharedKey: `{{resolve:secretsmanager:${SECRET_ARN}:SecretString:tunnel1::}}`,
          LogOptions: {
            CloudwatchLogOptions: {
              LogEnabled: true,
              LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('hqTunnel1Logs'), 'Arn'] },
              LogOutputFormat: 'text',
              BgpLogEnabled: true,
              BgpLogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('hqTunnel1BgpLogs'), 'Arn'] },
              BgpLogOutputFormat: 'text',
            },
          },
        },
        {
          TunnelInsideCidr: '169.254.44.4/30',
          PreSharedKey: `{{resolve:secretsmanager:${SECRET_ARN}:SecretString:::}}`,
          LogOptions: { CloudwatchLogOptions: { LogEnabled: true, LogGroupArn: Match.anyValue() } },
          IKEVersions: Match.absent(),
          StartupAction: Match.absent(),
        },
      ],
    });
  });

  test('one vended log group per logged tunnel, retention set', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/site-to-site-vpn/TestStack/hq/tunnel-1', RetentionInDays: 7 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/site-to-site-vpn/TestStack/hq/tunnel-1/bgp', RetentionInDays: 7 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/site-to-site-vpn/TestStack/hq/tunnel-2', RetentionInDays: 90 });
    expect(vpn.site('hq')!.tunnels.map((t) => t.logging?.logGroup !== undefined)).toEqual([true, true]);
  });

  test('2-byte ASNs go in BgpAsn, larger ones in BgpAsnExtended', () => {
    template.hasResourceProperties('AWS::EC2::CustomerGateway', { IpAddress: '198.51.100.10', BgpAsn: 65010, BgpAsnExtended: Match.absent(), DeviceName: 'edge-1' });
    template.hasResourceProperties('AWS::EC2::CustomerGateway', { IpAddress: '203.0.113.30', BgpAsnExtended: 4199999999, BgpAsn: Match.absent() });
  });

  test('a static site: StaticRoutesOnly, one VPNConnectionRoute per CIDR, certificate, Standard storage', () => {
    template.hasResourceProperties('AWS::EC2::CustomerGateway', {
      IpAddress: '203.0.113.40',
      BgpAsn: Match.absent(),
      CertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
    });
    template.hasResourceProperties('AWS::EC2::VPNConnection', {
      CustomerGatewayId: { Ref: Match.stringLikeRegexp('shopCustomerGateway') },
      StaticRoutesOnly: true,
      PreSharedKeyStorage: 'Standard',
    });
    template.resourceCountIs('AWS::EC2::VPNConnectionRoute', 2);
    for (const cidr of ['192.168.50.0/24', '192.168.60.0/24']) {
      template.hasResourceProperties('AWS::EC2::VPNConnectionRoute', {
        DestinationCidrBlock: cidr,
        VpnConnectionId: { Ref: Match.stringLikeRegexp('shopConnection') },
      });
    }
    expect(vpn.site('shop')!.staticRoutes).toHaveLength(2);
  });

  test('known tunnel outside addresses give one alarm per tunnel; the topic is told of alarm and OK', () => {
    for (const ip of ['192.0.2.10', '192.0.2.20']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Dimensions: Match.arrayWith([{ Name: 'TunnelIpAddress', Value: ip }, { Name: 'VpnId', Value: { Ref: Match.stringLikeRegexp('hqConnection') } }]),
        AlarmActions: [{ Ref: Match.stringLikeRegexp('Topic') }],
        OKActions: [{ Ref: Match.stringLikeRegexp('Topic') }],
      });
    }
    // hq: 2 alarms on the given addresses; far-east, shop and certified: 2 each on the deploy-time addresses.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 8);
  });

  test('a certificate site stores no pre-shared keys by default, and a key given to it is flagged as unused', () => {
    template.hasResourceProperties('AWS::EC2::VPNConnection', {
      CustomerGatewayId: { Ref: Match.stringLikeRegexp('certifiedCustomerGateway') },
      PreSharedKeyStorage: Match.absent(),
    });
    Annotations.fromStack(stack).hasWarning('/TestStack/Vpn', Match.stringLikeRegexp(
      '^Site `certified`, tunnel 1: `preSharedKeySecret` is set, but the site authenticates with `certificateArn`: the key is not used'));
  });
});

describe('on a Transit Gateway', () => {
  const stack = newStack();
  const vpn = new SiteToSiteVpn(stack, 'Vpn', {
    gateway: SiteToSiteGateway.transitGateway('tgw-0123456789abcdef0', { amazonSideAsn: 64600 }),
    monitoring: false,
    sites: [
      { name: 'fast', customerGatewayIp: '198.51.100.1', bgpAsn: 65001, enableAcceleration: true },
      { name: 'big', customerGatewayIp: '198.51.100.2', bgpAsn: 65002, tunnelBandwidth: 'large' },
      {
        name: 'v6',
        customerGatewayIp: '198.51.100.3',
        bgpAsn: 65003,
        tunnelInsideIpVersion: 'ipv6',
        localIpv6NetworkCidr: '2001:db8:1::/48',
        remoteIpv6NetworkCidr: '2001:db8:2::/48',
        tunnels: [{ tunnelInsideIpv6Cidr: 'fd00:0:0:1::/126' }, { tunnelInsideIpv6Cidr: 'fd00:0:0:1::4/126' }],
      },
      { name: 'dx', customerGatewayIp: '10.200.0.1', bgpAsn: 65004, outsideIpAddressType: 'PrivateIpv4', transportTransitGatewayAttachmentId: 'tgw-attach-0abc' },
      { name: 'static', customerGatewayIp: '198.51.100.5', staticRoutes: [] },
    ],
  });
  const template = synth(stack);

  test('connections point at the Transit Gateway; no VPC or virtual private gateway is made', () => {
    template.allResourcesProperties('AWS::EC2::VPNConnection', { TransitGatewayId: 'tgw-0123456789abcdef0', VpnGatewayId: Match.absent() });
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::EC2::VPNGateway', 0);
    expect(vpn.vpnGateway).toBeUndefined();
    expect(vpn.gatewayId).toBe('tgw-0123456789abcdef0');
    template.hasOutput('*', { Value: 'tgw-0123456789abcdef0' });
  });

  test('acceleration, large bandwidth, IPv6 tunnels and private outside addresses map through', () => {
    template.hasResourceProperties('AWS::EC2::VPNConnection', { EnableAcceleration: true });
    template.hasResourceProperties('AWS::EC2::VPNConnection', { TunnelBandwidth: 'large' });
    template.hasResourceProperties('AWS::EC2::VPNConnection', {
      TunnelInsideIpVersion: 'ipv6',
      LocalIpv6NetworkCidr: '2001:db8:1::/48',
      RemoteIpv6NetworkCidr: '2001:db8:2::/48',
      VpnTunnelOptionsSpecifications: [{ TunnelInsideIpv6Cidr: 'fd00:0:0:1::/126' }, { TunnelInsideIpv6Cidr: 'fd00:0:0:1::4/126' }],
    });
    template.hasResourceProperties('AWS::EC2::VPNConnection', { OutsideIpAddressType: 'PrivateIpv4', TransportTransitGatewayAttachmentId: 'tgw-attach-0abc' });
  });

  test('a static Transit Gateway site is StaticRoutesOnly without VPNConnectionRoutes', () => {
    template.hasResourceProperties('AWS::EC2::VPNConnection', { StaticRoutesOnly: true });
    template.resourceCountIs('AWS::EC2::VPNConnectionRoute', 0);
  });

  test('monitoring off: no alarms', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });
});

describe('an existing VPC', () => {
  const stack = newStack();
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Existing', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    isolatedSubnetIds: ['subnet-1', 'subnet-2'],
    isolatedSubnetRouteTableIds: ['rtb-1', 'rtb-2'],
    privateSubnetIds: ['subnet-3', 'subnet-4'],
    privateSubnetRouteTableIds: ['rtb-3', 'rtb-3'],
  });
  new SiteToSiteVpn(stack, 'All', { vpc, sites: [{ name: 'a', customerGatewayIp: '198.51.100.1', bgpAsn: 65001 }] });
  new SiteToSiteVpn(stack, 'Chosen', {
    vpc,
    gateway: SiteToSiteGateway.virtualPrivateGateway({ propagateTo: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }] }),
    sites: [{ name: 'b', customerGatewayIp: '198.51.100.2', bgpAsn: 65002 }],
  });
  const template: Template = synth(stack);

  test('attaches to it and creates no VPC or flow log', () => {
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::EC2::FlowLog', 0);
    template.allResourcesProperties('AWS::EC2::VPCGatewayAttachment', { VpcId: 'vpc-0123456789abcdef0' });
  });

  test('propagates into every private route table by default (each once), or only the chosen subnets', () => {
    template.hasResourceProperties('AWS::EC2::VPNGatewayRoutePropagation', {
      VpnGatewayId: { Ref: Match.stringLikeRegexp('^AllVpnGateway') },
      RouteTableIds: ['rtb-1', 'rtb-2', 'rtb-3'],
    });
    template.hasResourceProperties('AWS::EC2::VPNGatewayRoutePropagation', {
      VpnGatewayId: { Ref: Match.stringLikeRegexp('^ChosenVpnGateway') },
      RouteTableIds: ['rtb-3'],
    });
  });
});

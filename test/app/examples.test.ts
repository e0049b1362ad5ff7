/**
 * The shipped example configs, built the way `bin/app.ts` builds them: cdk-nag AWS Solutions checks and
 * CloudFormation schema checks run in each synth, then the templates are asserted. One synth per example.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildHybridVpnStack, DEFAULT_CONFIG_FILE } from '../../bin/app-config/build-app';
import { assertNoPlainTextPsk } from '../construct/synth';
import { plantInAppConfig, refused } from '../helpers/bad-input';

const ROOT = path.resolve(__dirname, '../..');
const outdirs: string[] = [];

interface Synthesized {
  readonly template: Template;
  readonly account: string;
  readonly report: { pluginReports: Array<{ pluginName: string; violations: unknown[] }> };
}

/** Synthesizes an example like `cdk synth` would; throws if cdk-nag or template validation finds an error. */
function synthExample(file: string): Synthesized {
  const outdir = mkdtempSync(path.join(tmpdir(), 'hybrid-vpn-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
  const stack = buildHybridVpnStack(app, path.join(ROOT, file));
  const artifact = app.synth().getStackByName(stack.stackName);
  assertNoPlainTextPsk(artifact.template);
  return {
    template: Template.fromJSON(artifact.template),
    account: artifact.environment.account,
    report: JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')),
  };
}

afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('examples/hq.json (BGP, virtual private gateway, full tunnel options, logging)', () => {
  let hq: Synthesized;
  beforeAll(() => {
    hq = synthExample('examples/hq.json');
  });

  test('is the default config of the app', () => {
    expect(DEFAULT_CONFIG_FILE).toBe('examples/hq.json');
    expect(JSON.parse(readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context.config).toBe(DEFAULT_CONFIG_FILE);
  });

  test('passes cdk-nag AWS Solutions with nothing acknowledged', () => {
    expect(hq.report.pluginReports.flatMap((r) => r.violations)).toEqual([]);
  });

  test('is environment-agnostic: synth needs no account', () => {
    expect(hq.account).toBe('unknown-account');
  });

  test('new VPC and virtual private gateway', () => {
    hq.template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.20.0.0/16' });
    hq.template.hasResourceProperties('AWS::EC2::VPNGateway', { AmazonSideAsn: 64512 });
    hq.template.resourceCountIs('AWS::EC2::FlowLog', 1);
  });

  test('BGP customer gateway with a documentation address', () => {
    hq.template.hasResourceProperties('AWS::EC2::CustomerGateway', { IpAddress: '198.51.100.10', BgpAsn: 65010, DeviceName: 'hq-edge-1' });
  });

  test('both tunnels with hardened options, AWS-initiated IKEv2, and logs', () => {
    const tunnel = (insideCidr: string, n: number) => ({
      IKEVersions: [{ Value: 'ikev2' }],
      Phase1EncryptionAlgorithms: [{ Value: 'AES256-GCM-16' }, { Value: 'AES256' }],
      Phase1IntegrityAlgorithms: [{ Value: 'SHA2-256' }, { Value: 'SHA2-384' }],
      Phase1DHGroupNumbers: [{ Value: 19 }, { Value: 20 }, { Value: 21 }],
      Phase2EncryptionAlgorithms: [{ Value: 'AES256-GCM-16' }],
      Phase2IntegrityAlgorithms: [{ Value: 'SHA2-256' }],
      Phase2DHGroupNumbers: [{ Value: 19 }, { Value: 20 }],
      Phase1LifetimeSeconds: 28800,
      Phase2LifetimeSeconds: 3600,
      RekeyMarginTimeSeconds: 540,
      RekeyFuzzPercentage: 100,
      ReplayWindowSize: 1024,
      DPDTimeoutSeconds: 30,
      DPDTimeoutAction: 'restart',
      StartupAction: 'start',
      TunnelInsideCidr: insideCidr,
      EnableTunnelLifecycleControl: false,
      PreSharedKey: Match.absent(),
      LogOptions: {
        CloudwatchLogOptions: {
          LogEnabled: true,
          LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`hqTunnel${n}Logs`), 'Arn'] },
          LogOutputFormat: 'json',
          BgpLogEnabled: true,
          BgpLogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`hqTunnel${n}BgpLogs`), 'Arn'] },
        },
      },
    });
    hq.template.hasResourceProperties('AWS::EC2::VPNConnection', {
      PreSharedKeyStorage: 'SecretsManager',
      VpnTunnelOptionsSpecifications: [tunnel('169.254.10.0/30', 1), tunnel('169.254.10.4/30', 2)],
    });
    for (const n of [1, 2]) {
      hq.template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/vendedlogs/site-to-site-vpn/HqVpn/hq/tunnel-${n}`, RetentionInDays: 90 });
    }
  });

  test('tunnel alarm, outputs and tags', () => {
    hq.template.resourceCountIs('AWS::CloudWatch::Alarm', 2); // one per tunnel
    hq.template.hasResourceProperties('AWS::EC2::VPNConnection', { Tags: Match.arrayWith([{ Key: 'project', Value: 'hybrid-vpn' }]) });
    // connection, customer gateway, gateway; both tunnel outside addresses; the endpoint config location and status
    expect(Object.keys(hq.template.toJSON().Outputs)).toHaveLength(7);
    const status = Object.entries(hq.template.toJSON().Outputs as Record<string, { Value: unknown }>).find(([id]) => id.includes('EndpointConfigStatus'));
    expect(JSON.stringify(status?.[1].Value)).toMatch(/"Fn::GetAtt":\[".+","EndpointConfigStatus"\]/);
  });
});

describe('examples/branch-static.json (static routes, AWS defaults)', () => {
  let branch: Synthesized;
  beforeAll(() => {
    branch = synthExample('examples/branch-static.json');
  });

  test('passes cdk-nag AWS Solutions with nothing acknowledged', () => {
    expect(branch.report.pluginReports.flatMap((r) => r.violations)).toEqual([]);
  });

  test('static routes, AWS default tunnel options, PSKs generated into Secrets Manager', () => {
    branch.template.hasResourceProperties('AWS::EC2::CustomerGateway', { IpAddress: '203.0.113.25', BgpAsn: Match.absent() });
    branch.template.hasResourceProperties('AWS::EC2::VPNConnection', {
      StaticRoutesOnly: true,
      PreSharedKeyStorage: 'SecretsManager',
      VpnTunnelOptionsSpecifications: Match.absent(),
    });
    branch.template.resourceCountIs('AWS::EC2::VPNConnectionRoute', 2);
    branch.template.hasResourceProperties('AWS::EC2::VPNConnectionRoute', { DestinationCidrBlock: '192.168.10.0/24' });
    branch.template.hasResourceProperties('AWS::EC2::VPNConnectionRoute', { DestinationCidrBlock: '192.168.20.0/24' });
    branch.template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
  });
});

test('cdk-nag really runs in the app: turning flow logs off fails the synth, no planted secret name in the error', async () => {
  const file = path.join(tmpdir(), `no-flow-logs-${process.pid}.json`);
  const config = JSON.parse(readFileSync(path.join(ROOT, 'examples/branch-static.json'), 'utf8'));
  // Two tunnels per site, so planting has a secret reference to reach (the example sets no tunnel options).
  const sites = config.sites.map((site: object) => ({ ...site, tunnels: [{}, {}] }));
  writeFileSync(file, JSON.stringify(plantInAppConfig({ ...config, sites, vpc: { flowLogs: false } })));
  try {
    // cdk.out is not scanned: its template names the secrets, and the planted names are those.
    const error = await refused(() => synthExample(path.relative(ROOT, file)));
    expect(error.message).toMatch(/ERROR The VPC does not have an associated Flow Log[\s\S]*AwsSolutions-VPC7/);
  } finally {
    rmSync(file, { force: true });
  }
});

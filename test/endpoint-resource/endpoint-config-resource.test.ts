import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { connectionFingerprint, EndpointConfigResource, POLL_TIMEOUT, QUERY_INTERVAL, TOTAL_TIMEOUT } from '../../lib/endpoint-config-resource';

const PSK = 'PlainKeyInSpec_1234';

function vpnConnection(stack: Stack, id: string, tunnelOptions?: ec2.CfnVPNConnection.VpnTunnelOptionsSpecificationProperty[]) {
  const cgw = new ec2.CfnCustomerGateway(stack, `${id}Cgw`, { type: 'ipsec.1', ipAddress: '203.0.113.10', bgpAsn: 65000 });
  return new ec2.CfnVPNConnection(stack, id, {
    type: 'ipsec.1',
    customerGatewayId: cgw.ref,
    vpnGatewayId: 'vgw-0123456789abcdef0',
    staticRoutesOnly: true,
    vpnTunnelOptionsSpecifications: tunnelOptions ?? [{ preSharedKey: PSK, tunnelInsideCidr: '169.254.44.0/30' }, { tunnelInsideCidr: '169.254.45.0/30' }],
  });
}

// One synthesis for the whole file: two sites (own bucket, shared bucket) in one stack, cdk-nag as a plugin.
const app = new App();
const stack = new Stack(app, 'Hq', { env: { account: '111122223333', region: 'eu-west-1' } });
const hqConnection = vpnConnection(stack, 'HqConnection');
const hqRoute = new ec2.CfnVPNConnectionRoute(stack, 'HqRoute', { vpnConnectionId: hqConnection.ref, destinationCidrBlock: '10.20.0.0/16' });
const hq = new EndpointConfigResource(stack, 'HqEndpointConfig', { vpnConnection: hqConnection, siteName: 'hq', staticRoutes: [hqRoute] });
const shared = s3.Bucket.fromBucketName(stack, 'Shared', 'shared-endpoint-configs');
const branch = new EndpointConfigResource(stack, 'BranchEndpointConfig', { vpnConnection: vpnConnection(stack, 'BranchConnection'), siteName: 'branch', bucket: shared });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
const template = Template.fromStack(stack); // synthesizes: the nag plugin throws on any unacknowledged finding

describe('custom resource', () => {
  test('one per site, with the connection, bucket, prefixes and a fingerprint, and no pre-shared key', () => {
    const resources = template.findResources('Custom::VpnEndpointConfig');
    expect(Object.keys(resources)).toHaveLength(2);
    template.hasResourceProperties('Custom::VpnEndpointConfig', {
      ServiceToken: Match.anyValue(),
      VpnConnectionId: { Ref: stack.resolve(hqConnection.logicalId) },
      BucketName: { Ref: Match.stringLikeRegexp('^HqEndpointConfigArtifacts') },
      KeyPrefix: 'endpoint-configs/hq/',
      SecretNamePrefix: 's2s-vpn/psk/',
      ConnectionFingerprint: Match.stringLikeRegexp('^[0-9a-f]{32}$'),
    });
    template.hasResourceProperties('Custom::VpnEndpointConfig', { BucketName: 'shared-endpoint-configs', KeyPrefix: branch.keyPrefix });
    expect(branch.keyPrefix).toBe('endpoint-configs/branch/');
    // The PSK is in the VPN connection's own spec (the caller's choice), and nowhere else.
    const withoutConnections = Object.entries(template.toJSON().Resources as Record<string, { Type: string }>).filter(([, r]) => r.Type !== 'AWS::EC2::VPNConnection');
    expect(JSON.stringify(withoutConnections)).not.toContain(PSK);
  });

  test('runs after the static routes and the provider (its grants in place)', () => {
    const [hqResource] = Object.values(template.findResources('Custom::VpnEndpointConfig', { Properties: { KeyPrefix: 'endpoint-configs/hq/' } }));
    expect(hqResource.DependsOn).toContain(stack.resolve(hqRoute.logicalId));
    expect((hqResource.DependsOn as string[]).some((d) => /IsCompleteServiceRoleDefaultPolicy/.test(d))).toBe(true);
  });

  test('typed getters read the attributes; a tunnel index a connection lacks is refused', () => {
    const id = stack.resolve((hq.resource.node.defaultChild as ec2.CfnVPNConnection).logicalId);
    expect(stack.resolve(hq.tunnelOutsideAddress(0))).toEqual({ 'Fn::GetAtt': [id, 'Tunnel1OutsideAddress'] });
    expect(stack.resolve(hq.tunnelAwsInsideCidr(1))).toEqual({ 'Fn::GetAtt': [id, 'Tunnel2AwsInsideCidr'] });
    expect(stack.resolve(hq.tunnelCustomerInsideCidr(1))).toEqual({ 'Fn::GetAtt': [id, 'Tunnel2CustomerInsideCidr'] });
    expect(stack.resolve(hq.artifactUri('swanctl'))).toEqual({ 'Fn::GetAtt': [id, 'SwanctlConfUri'] });
    expect(stack.resolve(hq.artifactUri('json'))).toEqual({ 'Fn::GetAtt': [id, 'EndpointJsonUri'] });
    expect(stack.resolve(hq.artifactPrefixUri)).toEqual({ 'Fn::GetAtt': [id, 'ArtifactPrefixUri'] });
    expect(() => hq.tunnelOutsideAddress(2)).toThrow(/Tunnel index 2 is out of range: a VPN connection has 2 tunnels, indexes 0 to 1/);
    expect(() => hq.tunnelOutsideAddress(-1)).toThrow(/Tunnel index -1 is out of range/);
  });

  test('an invalid site name is refused, naming the prop and value', () => {
    const other = new Stack(new App(), 'Other');
    expect(() => new EndpointConfigResource(other, 'X', { vpnConnection: vpnConnection(other, 'C'), siteName: 'hq/../x' })).toThrow(
      /The `siteName` "hq\/..\/x" is invalid/,
    );
  });
});

describe('handlers and provider', () => {
  test('one provider per stack: two handler functions and the framework, whatever the number of sites', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.resourceCountIs('AWS::Lambda::Function', 5); // onEvent, isComplete + the framework's onEvent, isComplete, onTimeout
    for (const description of ['cdk-site-to-site-vpn endpoint config: on-event', 'cdk-site-to-site-vpn endpoint config: is-complete']) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: description,
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'cdk-site-to-site-vpn endpoint config: is-complete',
      Timeout: 120,
      Environment: { Variables: Match.objectLike({ POLL_TIMEOUT_SECONDS: '1500' }) },
    });
  });

  test("the handler's own budget ends before the framework's, so the failure carries the handler's message", () => {
    expect(POLL_TIMEOUT.toSeconds() + QUERY_INTERVAL.toSeconds()).toBeLessThan(TOTAL_TIMEOUT.toSeconds());
    expect(POLL_TIMEOUT.toSeconds()).toBeGreaterThanOrEqual(15 * 60); // AWS's usual 5–10 minutes, with room
  });

  test('the waiter polls every 30 s for at most 30 minutes', () => {
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(definition).toContain('\\"IntervalSeconds\\":30');
    expect(definition).toContain('\\"MaxAttempts\\":60');
  });
});

describe('least privilege', () => {
  function statementsOf(roleMatch: RegExp): Array<Record<string, unknown>> {
    const policies = template.findResources('AWS::IAM::Policy');
    return Object.entries(policies)
      .filter(([id]) => roleMatch.test(id))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>);
  }

  test('onEvent makes no AWS call and has no policy of its own', () => {
    const policyIds = Object.keys(template.findResources('AWS::IAM::Policy'));
    expect(policyIds.some((id) => /IsCompleteServiceRoleDefaultPolicy/.test(id))).toBe(true);
    expect(policyIds.filter((id) => /^S2sVpnEndpointConfigProviderOnEventServiceRole/.test(id))).toEqual([]);
  });

  test('isComplete: describe and list only where AWS allows no resource, everything else scoped to one connection', () => {
    const statements = statementsOf(/IsCompleteServiceRoleDefaultPolicy/);
    const hqId = stack.resolve(hqConnection.logicalId);
    const bucketId = stack.resolve((hq.bucket.node.defaultChild as s3.CfnBucket).logicalId);
    expect(statements).toEqual(
      expect.arrayContaining([
        { Action: 'ec2:DescribeVpnConnections', Effect: 'Allow', Resource: '*' },
        { Action: 'secretsmanager:ListSecrets', Effect: 'Allow', Resource: '*' },
        {
          Action: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/endpoint-configs/hq/', { Ref: hqId }, '/*']] },
        },
        {
          Action: 's3:ListBucketVersions',
          Condition: { StringLike: { 's3:prefix': [{ 'Fn::Join': ['', ['endpoint-configs/hq/', { Ref: hqId }, '/*']] }] } },
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] },
        },
        {
          Action: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:TagResource', 'secretsmanager:DeleteSecret'],
          Effect: 'Allow',
          Resource: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:eu-west-1:111122223333:secret:s2s-vpn/psk/', { Ref: hqId }, '/*']],
          },
        },
      ]),
    );
    // The shared bucket is reached by name, under the branch's prefix only.
    expect(JSON.stringify(statements)).toContain(':s3:::shared-endpoint-configs/endpoint-configs/branch/');
    // No service-wide actions, and "*" only for the two unscopable actions.
    for (const s of statements) {
      expect(JSON.stringify(s.Action)).not.toMatch(/:\*"/);
      if (s.Resource === '*') expect(['ec2:DescribeVpnConnections', 'secretsmanager:ListSecrets']).toContain(s.Action);
    }
    expect(statements.filter((s) => JSON.stringify(s).includes('GetSecretValue') || JSON.stringify(s).includes('s3:GetObject'))).toEqual([]);
  });
});

describe('bucket', () => {
  test('encrypted, versioned, SSL only, public access blocked, owner enforced', () => {
    template.resourceCountIs('AWS::S3::Bucket', 1); // the branch site writes to the shared bucket
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('cdk-nag AwsSolutions', () => {
  test('no unacknowledged finding in a stack that uses the construct', () => {
    // Synthesis above ran the plugin (it throws on findings); this asks again on the finished tree.
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(',')}`)).toEqual([]);
  });

  test('acknowledgements carry reasons and are scoped to this construct, not the stack', () => {
    const acknowledged = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => ({ path: c.node.path, data: m.data })));
    expect(stack.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { path } of acknowledged) expect(path).toMatch(/^Hq\/(S2sVpnEndpointConfigProvider|HqEndpointConfig)\//);
    expect(JSON.stringify(acknowledged)).toContain('AwsSolutions-S1');
    const reasons = acknowledged.flatMap(({ data }) => Object.values(data as Record<string, unknown>).map((v) => JSON.stringify(v)));
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason.length).toBeGreaterThan(60);
  });

  test('an unexpected wildcard is still reported', () => {
    const other = new App();
    const s = new Stack(other, 'Other', { env: { account: '111122223333', region: 'eu-west-1' } });
    const e = new EndpointConfigResource(s, 'E', { vpnConnection: vpnConnection(s, 'C'), siteName: 'x' });
    (s.node.findChild('S2sVpnEndpointConfigProvider') as unknown as { isCompleteHandler: { addToRolePolicy: (x: unknown) => void } }).isCompleteHandler.addToRolePolicy(
      new (require('aws-cdk-lib/aws-iam').PolicyStatement)({ actions: ['s3:GetObject'], resources: [e.bucket.arnForObjects('*')] }),
    );
    process.env.CDK_VALIDATION = 'false'; // CloudFormation schema validation already ran on the main stack
    try {
      other.synth();
    } finally {
      delete process.env.CDK_VALIDATION;
    }
    const report = new AwsSolutionsChecks().validateScope(other);
    expect(report.violations.map((v) => v.ruleName)).toEqual([expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<EArtifacts[0-9A-F]+\.Arn>\/\*\]$/)]);
  });
});

describe('fingerprint', () => {
  const s = new Stack();
  const base = vpnConnection(s, 'Fp');
  const fingerprint = (c: ec2.CfnVPNConnection, routes: ec2.CfnVPNConnectionRoute[] = []) => connectionFingerprint(c, routes, (v) => s.resolve(v));

  test('changes with tunnel options and routes, not with the pre-shared key alone', () => {
    const otherKey = vpnConnection(s, 'Fp2', [{ preSharedKey: 'AnotherKey_5678', tunnelInsideCidr: '169.254.44.0/30' }, { tunnelInsideCidr: '169.254.45.0/30' }]);
    const otherCidr = vpnConnection(s, 'Fp3', [{ preSharedKey: PSK, tunnelInsideCidr: '169.254.46.0/30' }, { tunnelInsideCidr: '169.254.45.0/30' }]);
    const route = new ec2.CfnVPNConnectionRoute(s, 'R', { vpnConnectionId: base.ref, destinationCidrBlock: '10.1.0.0/16' });
    // Each connection has its own customer gateway resource; compare with the gateway id held equal.
    for (const c of [otherKey, otherCidr]) c.customerGatewayId = base.customerGatewayId;
    expect(fingerprint(otherKey)).toBe(fingerprint(base));
    expect(fingerprint(otherCidr)).not.toBe(fingerprint(base));
    expect(fingerprint(base, [route])).not.toBe(fingerprint(base));
  });
});

/** `verify --resolve-keys`: key references read through the real SDK clients, answered by aws-sdk-client-mock. */
import { DescribeVpnConnectionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { awsKeyResolver } from '../../bin/cli/key-resolver';
import { KeyResolutionError } from '../../lib/verify';

const ec2 = mockClient(EC2Client);
const secrets = mockClient(SecretsManagerClient);
const KEY = 'Canary_psk_value.42';
const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:s2s-vpn/psk/vpn-0a1b2c3d4e5f60718/192.0.2.17-AbCdEf';
const regions: (string | undefined)[] = [];
const resolver = awsKeyResolver({
  ec2: () => new EC2Client({ region: 'eu-west-1' }),
  secretsManager: (region) => {
    regions.push(region);
    return new SecretsManagerClient({ region: region ?? 'eu-west-1' });
  },
});

beforeEach(() => {
  ec2.reset();
  secrets.reset();
  regions.length = 0;
});

async function failure(p: Promise<unknown>): Promise<KeyResolutionError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(KeyResolutionError);
    expect((e as Error).message).not.toContain(KEY);
    return e as KeyResolutionError;
  }
  throw new Error('expected a KeyResolutionError');
}

test('a Secrets Manager reference: GetSecretValue in the ARN\'s region', async () => {
  secrets.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ ARN, SecretString: KEY });
  expect(Buffer.from(await resolver({ kind: 'secrets-manager', arn: ARN })).toString()).toBe(KEY);
  expect(regions).toEqual(['eu-west-1']);
  expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
});

test('a DescribeVpnConnections reference: the tunnel\'s PreSharedKey, matched by outside address', async () => {
  ec2.on(DescribeVpnConnectionsCommand, { VpnConnectionIds: ['vpn-0a1b2c3d4e5f60718'] }).resolves({
    VpnConnections: [
      {
        VpnConnectionId: 'vpn-0a1b2c3d4e5f60718',
        Options: { TunnelOptions: [{ OutsideIpAddress: '192.0.2.17', PreSharedKey: KEY }, { OutsideIpAddress: '192.0.2.18', PreSharedKey: 'Other_key_1234' }] },
      },
    ],
  });
  const key = await resolver({ kind: 'describe', vpnConnectionId: 'vpn-0a1b2c3d4e5f60718', awsOutsideAddress: '192.0.2.17' });
  expect(Buffer.from(key).toString()).toBe(KEY);
});

test('AWS-managed keys (PreSharedKeyStorage SecretsManager): the connection\'s PreSharedKeyArn is read', async () => {
  const awsArn = 'arn:aws:secretsmanager:us-west-2:111122223333:secret:s2svpn-preprod!vpn-0a1b2c3d4e5f60718-1Skga6-pevysO';
  ec2.on(DescribeVpnConnectionsCommand).resolves({
    VpnConnections: [{ VpnConnectionId: 'vpn-0a1b2c3d4e5f60718', PreSharedKeyArn: awsArn, Options: { TunnelOptions: [{ OutsideIpAddress: '192.0.2.17' }] } }],
  });
  secrets.on(GetSecretValueCommand, { SecretId: awsArn }).resolves({ SecretString: KEY });
  expect(Buffer.from(await resolver({ kind: 'describe', vpnConnectionId: 'vpn-0a1b2c3d4e5f60718', awsOutsideAddress: '192.0.2.17' })).toString()).toBe(KEY);
  expect(regions).toEqual(['us-west-2']);
});

test('failures name the reference and AWS\'s error, never a key', async () => {
  const denied = Object.assign(new Error(`User is not authorized; value ${KEY}`), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
  secrets.on(GetSecretValueCommand).rejects(denied);
  expect((await failure(resolver({ kind: 'secrets-manager', arn: ARN }))).message).toBe('GetSecretValue failed: AccessDeniedException (HTTP 400)');

  secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ psk: KEY }) });
  expect((await failure(resolver({ kind: 'secrets-manager', arn: ARN }))).message).toMatch(/^the secret holds a JSON document \(\d+ characters\), not a plain pre-shared key$/);

  ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [{ VpnConnectionId: 'vpn-0a1b2c3d4e5f60718', Options: { TunnelOptions: [{ OutsideIpAddress: '192.0.2.18', PreSharedKey: KEY }] } }] });
  expect((await failure(resolver({ kind: 'describe', vpnConnectionId: 'vpn-0a1b2c3d4e5f60718', awsOutsideAddress: '192.0.2.17' }))).message).toBe(
    'vpn-0a1b2c3d4e5f60718 has no tunnel with outside address 192.0.2.17',
  );
  ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [] });
  expect((await failure(resolver({ kind: 'describe', vpnConnectionId: 'vpn-0a1b2c3d4e5f60718', awsOutsideAddress: '192.0.2.17' }))).message).toBe(
    'DescribeVpnConnections returned no connection vpn-0a1b2c3d4e5f60718',
  );
});

test('s2s-vpn verify --resolve-keys (in process, SDK mocked): the referenced keys are read and checked, never printed', async () => {
  // Imported here so the mocks above are installed on the SDK classes the CLI's resolver creates.
  const { main } = await import('../../bin/s2s-vpn');
  const { convertedConfig, describeOf, loadConnection, presharedKeysIn, tempDir, writeJson } = await import('../verify/helpers');
  const fixture = 'vgw-bgp-multi-algorithm';
  const tunnels = loadConnection(fixture).Options!.TunnelOptions!;
  ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [loadConnection(fixture)] });
  const out: string[] = [];
  const io = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void out.push(t), readStdin: async () => '' };
  const file = writeJson(convertedConfig(fixture), tempDir());
  const code = await main(['verify', file, '--describe', describeOf(fixture).file, '--static-only', '--resolve-keys', '--json'], io);
  const text = out.join('');
  if (code !== 0) throw new Error(text);
  const report = JSON.parse(out.find((t) => t.trimStart().startsWith('{'))!);
  expect(code).toBe(0);
  const checks = report.tunnels.map((t: { checks: { id: string; status: string; summary: string }[] }) => t.checks.find((c) => c.id === 'pre-shared-key-value'));
  expect(checks.map((c: { status: string }) => c.status)).toEqual(['pass', 'pass']);
  expect(ec2.commandCalls(DescribeVpnConnectionsCommand)).toHaveLength(tunnels.length);
  for (const key of presharedKeysIn(fixture)) expect(text).not.toContain(key);
});

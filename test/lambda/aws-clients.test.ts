/**
 * The narrow AWS interface over the real SDK clients: pagination, batching, "already gone" handling, and the
 * SDK's own retries for throttling (through the whole SDK stack, with an offline request handler).
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { Readable } from 'stream';
import { SDK_MAX_ATTEMPTS, sdkAws, sdkClients } from '../../lambda/endpoint-config/aws';

const region = 'eu-west-1';

describe('SDK configuration and retries', () => {
  test('every client retries up to SDK_MAX_ATTEMPTS', async () => {
    const clients = sdkClients({ region });
    expect(SDK_MAX_ATTEMPTS).toBeGreaterThanOrEqual(5);
    for (const client of [clients.ec2, clients.s3, clients.secrets]) expect(await client.config.maxAttempts()).toBe(SDK_MAX_ATTEMPTS);
  });

  test('a throttled DescribeVpnConnections (RequestLimitExceeded, HTTP 503) is retried by the SDK and succeeds', async () => {
    const answers = [
      { statusCode: 503, body: '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>r1</RequestID></Response>' },
      {
        statusCode: 200,
        body:
          '<DescribeVpnConnectionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r2</requestId>' +
          '<vpnConnectionSet><item><vpnConnectionId>vpn-0a1b2c3d4e5f60718</vpnConnectionId><state>pending</state></item></vpnConnectionSet>' +
          '</DescribeVpnConnectionsResponse>',
      },
    ];
    const requests: string[] = [];
    const ec2 = new EC2Client({
      region,
      maxAttempts: SDK_MAX_ATTEMPTS,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-secret' },
      requestHandler: {
        handle: async (request: { body?: string }) => {
          requests.push(String(request.body));
          const answer = answers.shift()!;
          return { response: { statusCode: answer.statusCode, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(answer.body)]) } };
        },
      } as never,
    });
    const { connection, attempts } = await sdkAws({ ec2, s3: new S3Client({ region }), secrets: new SecretsManagerClient({ region }) }).describeVpnConnection('vpn-0a1b2c3d4e5f60718');

    expect(connection).toEqual(expect.objectContaining({ VpnConnectionId: 'vpn-0a1b2c3d4e5f60718', State: 'pending' }));
    expect(attempts).toBe(2);
    expect(requests).toHaveLength(2);
    expect(requests[0]).toContain('Action=DescribeVpnConnections');
    expect(requests[0]).toContain('VpnConnectionId.1=vpn-0a1b2c3d4e5f60718');
  });
});

describe('S3 and Secrets Manager helpers', () => {
  const s3Mock = mockClient(S3Client);
  const secretsMock = mockClient(SecretsManagerClient);
  const aws = sdkAws(sdkClients({ region }));
  beforeEach(() => {
    s3Mock.reset();
    secretsMock.reset();
  });

  test('listObjectVersions follows the key and version markers across pages', async () => {
    s3Mock
      .on(ListObjectVersionsCommand)
      .resolvesOnce({ Versions: [{ Key: 'p/a', VersionId: '1' }], IsTruncated: true, NextKeyMarker: 'p/a', NextVersionIdMarker: '1' })
      .resolvesOnce({ DeleteMarkers: [{ Key: 'p/b', VersionId: '2' }], IsTruncated: false });

    expect(await aws.listObjectVersions('b', 'p/')).toEqual([
      { key: 'p/a', versionId: '1' },
      { key: 'p/b', versionId: '2' },
    ]);
    expect(s3Mock.commandCalls(ListObjectVersionsCommand)[1].args[0].input).toEqual({ Bucket: 'b', Prefix: 'p/', KeyMarker: 'p/a', VersionIdMarker: '1' });
  });

  test('deleteObjectVersions deletes in batches of 1000 and fails on a refused version, naming it', async () => {
    s3Mock.on(DeleteObjectsCommand).resolves({});
    const versions = Array.from({ length: 1001 }, (_, i) => ({ key: `p/${i}`, versionId: `v${i}` }));
    await aws.deleteObjectVersions('b', versions);
    expect(s3Mock.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete?.Objects?.length)).toEqual([1000, 1]);

    s3Mock.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'p/0', VersionId: 'v0', Code: 'AccessDenied', Message: 'Access Denied' }] });
    await expect(aws.deleteObjectVersions('b', versions.slice(0, 1))).rejects.toThrow('S3 refused to delete 1 object version(s) in b, first p/0: AccessDenied Access Denied');
  });

  test('listSecrets pages with NextToken and keeps only names with the exact prefix', async () => {
    secretsMock
      .on(ListSecretsCommand)
      .resolvesOnce({ SecretList: [{ ARN: 'arn:1', Name: 'x/vpn-1/a', Tags: [{ Key: 'k', Value: 'v' }] }], NextToken: 't' })
      .resolvesOnce({ SecretList: [{ ARN: 'arn:2', Name: 'X/vpn-1/b' }] });

    expect(await aws.listSecrets('x/vpn-1/')).toEqual([{ arn: 'arn:1', name: 'x/vpn-1/a', tags: { k: 'v' } }]);
    expect(secretsMock.commandCalls(ListSecretsCommand)[1].args[0].input.NextToken).toBe('t');
  });
});

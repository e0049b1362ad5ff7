import { DescribeVpnConnectionsCommand, VpnConnection } from '@aws-sdk/client-ec2';
import { DeleteObjectsCommand, ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import { libraryConverter } from '../../lambda/endpoint-config/conversion';
import { ARTIFACT_FILES } from '../../lib/endpoint-config-resource/contract';
import { handler as isCompleteHandler } from '../../lambda/endpoint-config/is-complete';
import { handler as onEventHandler } from '../../lambda/endpoint-config/on-event';
import {
  arnFor,
  awsError,
  connection,
  createEvent,
  deleteEvent,
  Harness,
  OUTSIDE,
  pendingConnection,
  PROPS,
  PSKS,
  updateEvent,
  VPN_ID,
} from './harness';
import { refused, SECRET_CANARIES } from '../helpers/bad-input';
import { expectNoCanary } from '../helpers/canary';

const h = new Harness();
beforeEach(() => h.reset());

const PREFIX = `endpoint-configs/${VPN_ID}/`;
const SECRET_NAMES = OUTSIDE.map((o) => `s2s-vpn/psk/${VPN_ID}/${o}`);

describe('Create', () => {
  test('polls a pending connection through isComplete until available, then writes artifacts and secrets', async () => {
    h.ec2
      .on(DescribeVpnConnectionsCommand)
      .resolvesOnce({ VpnConnections: [pendingConnection()] })
      .resolvesOnce({ VpnConnections: [pendingConnection()] })
      .resolves({ VpnConnections: [connection()] });

    const { result, polls, started } = await h.scannedRun(createEvent());

    expect(polls).toBe(3);
    expect(started.PhysicalResourceId).toBe(`${VPN_ID}-endpoint-config`);
    expect(Object.keys(h.putBodies()).sort()).toEqual(['bird.conf', 'endpoint.json', 'endpoint.ts', 'frr.conf', 'ipsec.conf', 'ipsec.secrets', 'swanctl.conf', 'tunnels.sh'].map((f) => `${PREFIX}${f}`));
    expect(h.s3.commandCalls(PutObjectCommand).every((c) => c.args[0].input.Bucket === PROPS.BucketName)).toBe(true);

    // One secret per tunnel, named from the connection and the AWS outside address, tagged.
    const created = h.secrets.commandCalls(CreateSecretCommand).map((c) => c.args[0].input);
    expect(created.map((c) => c.Name)).toEqual(SECRET_NAMES);
    expect(created.map((c) => c.SecretString)).toEqual(PSKS);
    expect(created[0].Tags).toEqual(
      expect.arrayContaining([
        { Key: 's2s-vpn:managed-by', Value: 'cdk-site-to-site-vpn/endpoint-config' },
        { Key: 's2s-vpn:vpn-connection-id', Value: VPN_ID },
        { Key: 's2s-vpn:tunnel-outside-address', Value: OUTSIDE[0] },
      ]),
    );

    // The artifacts reference the secrets; the keys themselves are nowhere.
    const json = JSON.parse(h.putBodies()[`${PREFIX}endpoint.json`]);
    expect(json.tunnels.map((t: { preSharedKey: unknown }) => t.preSharedKey)).toEqual(SECRET_NAMES.map((n) => ({ secretArn: arnFor(n) })));

    expect(result.Data).toEqual(
      expect.objectContaining({
        VpnConnectionId: VPN_ID,
        Tunnel1OutsideAddress: '198.51.100.21',
        Tunnel1AwsInsideCidr: '169.254.44.1/30',
        Tunnel1CustomerInsideCidr: '169.254.44.2/30',
        Tunnel2OutsideAddress: '198.51.100.22',
        Tunnel2AwsInsideCidr: '169.254.45.1/30',
        Tunnel2CustomerInsideCidr: '169.254.45.2/30',
        Tunnel1AwsInsideIpv6Cidr: '',
        EndpointJsonUri: `s3://${PROPS.BucketName}/${PREFIX}endpoint.json`,
        EndpointTypeScriptUri: `s3://${PROPS.BucketName}/${PREFIX}endpoint.ts`,
        SwanctlConfUri: `s3://${PROPS.BucketName}/${PREFIX}swanctl.conf`,
        ArtifactPrefixUri: `s3://${PROPS.BucketName}/${PREFIX}`,
      }),
    );
  });

  test('rides out throttling: a RequestLimitExceeded poll is retried, not failed', async () => {
    h.ec2
      .on(DescribeVpnConnectionsCommand)
      .rejectsOnce(awsError('RequestLimitExceeded', 503))
      .resolves({ VpnConnections: [connection()] });

    const { result, polls } = await h.scannedRun(createEvent());

    expect(polls).toBe(2);
    expect(result.IsComplete).toBe(true);
    expect(h.s3.commandCalls(PutObjectCommand)).toHaveLength(Object.keys(ARTIFACT_FILES).length);
    const warning = h.logLines.map((l) => JSON.parse(l)).find((l) => l.level === 'warn');
    expect(warning).toEqual(expect.objectContaining({ message: 'describe failed, polling again', error: 'RequestLimitExceeded' }));
  });

  test('a connection that never becomes available fails with a clear message after the budget, writing nothing', async () => {
    h.ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [pendingConnection()] });
    h.pollTimeoutSeconds = 10 * 60;

    expect((await h.refusedRun(createEvent())).message).toMatch(
      new RegExp(`VPN connection ${VPN_ID} was not available within 10 minutes \\(last seen: pending\\); nothing was written`),
    );
    // 0 s, 30 s, ... 600 s: the budget is spent on the 21st poll.
    expect(h.ec2.commandCalls(DescribeVpnConnectionsCommand)).toHaveLength(21);
    expect(h.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(h.secrets.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });

  test.each(['deleting', 'deleted'] as const)('a connection in state %s fails at once', async (state) => {
    h.ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [connection({ State: state })] });
    expect((await h.refusedRun(createEvent())).message).toContain(`VPN connection ${VPN_ID} is in state "${state}"; cannot write its endpoint configuration`);
    expect(h.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  test('an unknown connection id is waited out for two minutes (EC2 eventual consistency), then fails', async () => {
    h.ec2.on(DescribeVpnConnectionsCommand).rejects(awsError('InvalidVpnConnectionID.NotFound'));
    expect((await h.refusedRun(createEvent())).message).toContain(`VPN connection ${VPN_ID} does not exist`);
    expect(h.ec2.commandCalls(DescribeVpnConnectionsCommand)).toHaveLength(5); // 0, 30, 60, 90, 120 s
  });

  test('a connection that appears after a not-found is generated normally', async () => {
    h.ec2.on(DescribeVpnConnectionsCommand).rejectsOnce(awsError('InvalidVpnConnectionID.NotFound')).resolves({ VpnConnections: [connection()] });
    await expect(h.scannedRun(createEvent())).resolves.toEqual(expect.objectContaining({ polls: 2 }));
  });

  test('access denied is not retried', async () => {
    h.ec2.on(DescribeVpnConnectionsCommand).rejects(awsError('UnauthorizedOperation', 403));
    expect((await h.refusedRun(createEvent())).message).toMatch(/UnauthorizedOperation/);
    expect(h.ec2.commandCalls(DescribeVpnConnectionsCommand)).toHaveLength(1);
  });

  test('a failed write deletes every object version and secret this invocation wrote', async () => {
    h.s3
      .on(PutObjectCommand)
      .resolvesOnce({ VersionId: 'v1' })
      .resolvesOnce({ VersionId: 'v2' })
      .rejects(Object.assign(awsError('AccessDenied', 403), { message: `denied while writing ${PSKS[0]}` }));

    const error = await h.refusedRun(createEvent());

    expect(error.message).toBe('AccessDenied: denied while writing ***');
    const deleted = h.s3.commandCalls(DeleteObjectsCommand).flatMap((c) => c.args[0].input.Delete?.Objects ?? []);
    expect(deleted).toEqual(
      expect.arrayContaining([
        { Key: `${PREFIX}endpoint.json`, VersionId: 'v1' },
        { Key: `${PREFIX}endpoint.ts`, VersionId: 'v2' },
      ]),
    );
    expect(deleted).toHaveLength(2);
    expect(h.secrets.commandCalls(DeleteSecretCommand).map((c) => c.args[0].input)).toEqual(
      [...SECRET_NAMES].reverse().map((n) => ({ SecretId: arnFor(n), ForceDeleteWithoutRecovery: true })),
    );
  });

  test('the Lambda entry points mask any key in the error CloudFormation sees and in console output', async () => {
    h.s3.on(PutObjectCommand).rejects(Object.assign(awsError('AccessDenied', 403), { message: `denied while writing ${PSKS[0]}` }));
    const event = createEvent();
    const entryPoints = async () => isCompleteHandler({ ...event, ...(await onEventHandler(event)) });
    // The error (message and stack) and the console are scanned for the canaries...
    expect((await refused(entryPoints)).message).toBe('AccessDenied: denied while writing ***');
    expectNoCanary(h.published());
    // ...and what was printed is the JSON log lines.
    const printed: string[] = [];
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
    await expect(entryPoints()).rejects.toThrow('AccessDenied');
    jest.restoreAllMocks();
    expect(printed.length).toBeGreaterThan(3);
    printed.forEach((line) => expect(() => JSON.parse(line)).not.toThrow());
  });

  test('a converter that would leak a key into an artifact is stopped before anything is written', async () => {
    h.converter = {
      convert: libraryConverter.convert,
      render: (config) => ({ ...libraryConverter.render(config), swanctl: `secrets { ike-1 { secret = ${PSKS[1]} } }` }),
    };
    expect((await h.refusedRun(createEvent())).message).toMatch('The rendered swanctl artifact contains a pre-shared key; nothing was written');
    expect(h.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(h.secrets.commandCalls(DeleteSecretCommand)).toHaveLength(2); // the two just created
  });

  test('keys AWS keeps in Secrets Manager are referenced by ARN, and no secret is created', async () => {
    const awsArn = `arn:aws:secretsmanager:eu-west-1:111122223333:secret:vpn-psk-${VPN_ID}-XyZ123`;
    const managed = connection({ PreSharedKeyArn: awsArn } as never);
    managed.Options!.TunnelOptions!.forEach((t) => delete t.PreSharedKey);
    managed.CustomerGatewayConfiguration = managed.CustomerGatewayConfiguration!.replace(/<pre_shared_key>[^<]*<\/pre_shared_key>/g, '');
    h.ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [managed] });

    await h.scannedRun(createEvent());

    expect(h.secrets.commandCalls(CreateSecretCommand)).toHaveLength(0);
    const json = JSON.parse(h.putBodies()[`${PREFIX}endpoint.json`]);
    expect(json.tunnels.map((t: { preSharedKey: unknown }) => t.preSharedKey)).toEqual([{ secretArn: awsArn }, { secretArn: awsArn }]);
  });

  test('a secret of the same name that this handler did not create is not overwritten', async () => {
    h.secrets.on(CreateSecretCommand).rejects(awsError('ResourceExistsException'));
    h.secrets.on(DescribeSecretCommand).resolves({ ARN: arnFor(SECRET_NAMES[0]), Name: SECRET_NAMES[0], Tags: [{ Key: 'team', Value: 'net' }] });

    expect((await h.refusedRun(createEvent())).message).toMatch(`Secret ${SECRET_NAMES[0]} exists but was not created by this custom resource`);
    expect(h.secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    expect(h.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  test.each([
    ['VpnConnectionId', 'vpc-123', /`VpnConnectionId` "vpc-123" is invalid: expected a VPN connection id/],
    ['BucketName', 'Bad_Bucket', /`BucketName` "Bad_Bucket" is invalid/],
    ['KeyPrefix', '/abs', /`KeyPrefix` "\/abs" is invalid/],
    ['SecretNamePrefix', 'no-slash', /`SecretNamePrefix` "no-slash" is invalid/],
  ])('onEvent rejects a bad %s, naming property and value', async (property, value, message) => {
    expect((await refused(() => h.onEvent(createEvent({ ...PROPS, [property]: value })))).message).toMatch(message);
  });
});

describe('Update', () => {
  const changed = { ...PROPS, ConnectionFingerprint: 'bbbb' };

  test('regenerates: existing secrets get the key again, artifacts get new versions, same physical id', async () => {
    h.secrets.on(CreateSecretCommand).rejects(awsError('ResourceExistsException'));
    h.secrets.on(DescribeSecretCommand).callsFake(async (input: { SecretId: string }) => ({
      ARN: arnFor(input.SecretId),
      Name: input.SecretId,
      Tags: [
        { Key: 's2s-vpn:managed-by', Value: 'cdk-site-to-site-vpn/endpoint-config' },
        { Key: 's2s-vpn:vpn-connection-id', Value: VPN_ID },
      ],
    }));

    const { result, started } = await h.scannedRun(updateEvent(PROPS, changed));

    expect(started).toEqual(expect.objectContaining({ PhysicalResourceId: `${VPN_ID}-endpoint-config` }));
    expect(started.NoChange).toBeUndefined();
    expect(h.s3.commandCalls(PutObjectCommand)).toHaveLength(Object.keys(ARTIFACT_FILES).length);
    expect(h.secrets.commandCalls(PutSecretValueCommand).map((c) => c.args[0].input)).toEqual(
      SECRET_NAMES.map((n, i) => ({ SecretId: arnFor(n), SecretString: PSKS[i] })),
    );
    expect(h.s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0); // same folder: history kept as versions
    expect(result.Data?.Tunnel2OutsideAddress).toBe('198.51.100.22');
  });

  test('moving to another bucket removes the artifacts from the old one after writing the new', async () => {
    const moved = { ...PROPS, BucketName: 'shared-endpoint-configs' };
    h.s3.on(ListObjectVersionsCommand, { Bucket: PROPS.BucketName }).resolves({ Versions: [{ Key: `${PREFIX}endpoint.json`, VersionId: 'old1' }] });

    await h.scannedRun(updateEvent(PROPS, moved));

    expect(h.s3.commandCalls(PutObjectCommand).every((c) => c.args[0].input.Bucket === 'shared-endpoint-configs')).toBe(true);
    const deletes = h.s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input);
    expect(deletes).toEqual([{ Bucket: PROPS.BucketName, Delete: { Objects: [{ Key: `${PREFIX}endpoint.json`, VersionId: 'old1' }], Quiet: true } }]);
  });

  test('moving succeeds even when the old bucket can no longer be reached, and says what was left', async () => {
    const moved = { ...PROPS, BucketName: 'shared-endpoint-configs' };
    h.s3.on(ListObjectVersionsCommand, { Bucket: PROPS.BucketName }).rejects(awsError('AccessDenied', 403));

    const { result } = await h.scannedRun(updateEvent(PROPS, moved));

    expect(result.IsComplete).toBe(true);
    expect(h.s3.commandCalls(PutObjectCommand)).toHaveLength(Object.keys(ARTIFACT_FILES).length);
    const warning = h.logLines.map((l) => JSON.parse(l)).find((l) => l.level === 'warn');
    expect(warning).toEqual(expect.objectContaining({ bucket: PROPS.BucketName, keyPrefix: PREFIX, error: expect.stringMatching(/AccessDenied/) }));
  });

  test('a no-op update returns early with the same physical id and writes nothing', async () => {
    const sameButToken = { ...PROPS, ServiceToken: 'arn:aws:lambda:eu-west-1:111122223333:function:other' };

    const { result, started, polls } = await h.scannedRun(updateEvent(PROPS, sameButToken));

    expect(started).toEqual(expect.objectContaining({ PhysicalResourceId: `${VPN_ID}-endpoint-config`, NoChange: true }));
    expect(polls).toBe(1);
    expect(h.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(h.secrets.calls()).toHaveLength(0);
    expect(result.Data).toEqual(expect.objectContaining({ Tunnel1OutsideAddress: '198.51.100.21', EndpointJsonUri: `s3://${PROPS.BucketName}/${PREFIX}endpoint.json` }));
  });

  test('an update while the connection is being deleted fails clearly', async () => {
    h.ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [connection({ State: 'deleting' })] });
    expect((await h.refusedRun(updateEvent(PROPS, changed))).message).toMatch(`is in state "deleting"`);
  });
});

describe('Delete', () => {
  const managedTags = [
    { Key: 's2s-vpn:managed-by', Value: 'cdk-site-to-site-vpn/endpoint-config' },
    { Key: 's2s-vpn:vpn-connection-id', Value: VPN_ID },
  ];

  test('removes every object version and delete marker under the prefix, and the secrets it created; twice is fine', async () => {
    h.s3
      .on(ListObjectVersionsCommand)
      .resolvesOnce({
        Versions: [
          { Key: `${PREFIX}endpoint.json`, VersionId: 'v1' },
          { Key: `${PREFIX}endpoint.json`, VersionId: 'v2' },
          { Key: `${PREFIX}swanctl.conf`, VersionId: 'v3' },
        ],
        DeleteMarkers: [{ Key: `${PREFIX}endpoint.ts`, VersionId: 'm1' }],
      })
      .resolves({});
    h.secrets
      .on(ListSecretsCommand)
      .resolvesOnce({
        SecretList: [
          { ARN: arnFor(SECRET_NAMES[0]), Name: SECRET_NAMES[0], Tags: managedTags },
          { ARN: arnFor(SECRET_NAMES[1]), Name: SECRET_NAMES[1], Tags: managedTags },
          { ARN: arnFor(`s2s-vpn/psk/${VPN_ID}/manual`), Name: `s2s-vpn/psk/${VPN_ID}/manual`, Tags: [] },
        ],
      })
      .resolves({ SecretList: [] });

    const first = await h.scannedRun(deleteEvent());
    const second = await h.scannedRun(deleteEvent());

    expect(first.result).toEqual({ IsComplete: true });
    expect(second.result).toEqual({ IsComplete: true });
    expect(h.s3.commandCalls(ListObjectVersionsCommand)[0].args[0].input).toEqual(expect.objectContaining({ Bucket: PROPS.BucketName, Prefix: PREFIX }));
    expect(h.s3.commandCalls(DeleteObjectsCommand)).toHaveLength(1); // nothing left the second time
    expect(h.s3.commandCalls(DeleteObjectsCommand)[0].args[0].input.Delete?.Objects).toHaveLength(4);
    expect(h.secrets.commandCalls(ListSecretsCommand)[0].args[0].input.Filters).toEqual([{ Key: 'name', Values: [`s2s-vpn/psk/${VPN_ID}/`] }]);
    expect(h.secrets.commandCalls(DeleteSecretCommand).map((c) => c.args[0].input.SecretId)).toEqual(SECRET_NAMES.map(arnFor));
  });

  test('a bucket or secret that is already gone is success', async () => {
    h.s3.on(ListObjectVersionsCommand).rejects(awsError('NoSuchBucket', 404));
    h.secrets.on(ListSecretsCommand).resolves({ SecretList: [{ ARN: arnFor(SECRET_NAMES[0]), Name: SECRET_NAMES[0], Tags: managedTags }] });
    h.secrets.on(DeleteSecretCommand).rejects(awsError('ResourceNotFoundException'));

    await expect(h.scannedRun(deleteEvent())).resolves.toEqual(expect.objectContaining({ result: { IsComplete: true } }));
  });

  test('delete makes no EC2 call: the connection may already be gone', async () => {
    await h.scannedRun(deleteEvent());
    expect(h.ec2.calls()).toHaveLength(0);
  });
});

describe('logging', () => {
  test('lines are JSON with request id, connection id, state and attempt, and never hold a key', async () => {
    h.ec2.on(DescribeVpnConnectionsCommand).resolvesOnce({ VpnConnections: [pendingConnection()] }).resolves({ VpnConnections: [connection()], $metadata: { attempts: 3 } });

    await h.scannedRun(createEvent());

    const lines = h.logLines.map((l) => JSON.parse(l));
    const described = lines.filter((l) => l.message === 'connection described');
    expect(described).toEqual([
      expect.objectContaining({ requestId: 'req-create', vpnConnectionId: VPN_ID, state: 'pending', attempts: 1, elapsedSeconds: 0 }),
      expect.objectContaining({ requestId: 'req-create', vpnConnectionId: VPN_ID, state: 'available', attempts: 3, elapsedSeconds: 30 }),
    ]);
    expect(h.logLines.join('\n')).not.toContain('<vpn_connection');
  });
});

describe('a connection the converter cannot handle never rolls the VPN back', () => {
  const ERROR_KEY = `${PREFIX}error.txt`;
  const unconvertible = () => {
    const c = connection();
    c.Options!.TunnelOptions![1].Phase2EncryptionAlgorithms = [{ Value: 'CHACHA20' }];
    return c;
  };

  test('Create succeeds with the outside addresses, error.txt instead of the configs, and the status saying why', async () => {
    h.ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [unconvertible()] });
    const { result } = await h.scannedRun(createEvent());

    expect(result.IsComplete).toBe(true);
    expect(result.Data).toEqual(expect.objectContaining({
      VpnConnectionId: VPN_ID,
      Tunnel1OutsideAddress: OUTSIDE[0],
      Tunnel2OutsideAddress: OUTSIDE[1],
      EndpointJsonUri: '',
      SwanctlConfUri: '',
      EndpointConfigStatus: expect.stringMatching(/^error: Options\.TunnelOptions\[1\]\.Phase2EncryptionAlgorithms\[0\]\.Value: unknown algorithm "CHACHA20"/),
    }));
    const bodies = h.putBodies();
    expect(Object.keys(bodies)).toEqual([ERROR_KEY]);
    expect(bodies[ERROR_KEY]).toContain('unknown algorithm "CHACHA20"');
    expect(bodies[ERROR_KEY]).toContain('the VPN connection itself was created');
    expect(h.secrets.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });

  test('a renderer failure after the keys were stored: the secrets are removed again, and the deployment still succeeds', async () => {
    h.converter = { convert: libraryConverter.convert, render: () => { throw new RangeError(`cannot render ${PSKS[0]}`); } };
    const { result } = await h.scannedRun(createEvent());

    expect(result.Data?.EndpointConfigStatus).toBe('error: cannot render ***');
    expect(h.secrets.commandCalls(CreateSecretCommand)).toHaveLength(2);
    expect(h.secrets.commandCalls(DeleteSecretCommand)).toHaveLength(2);
    expect(Object.keys(h.putBodies())).toEqual([ERROR_KEY]);
  });

  test('XML that does not parse: the outside addresses come from the tunnel options', async () => {
    const c = connection();
    c.CustomerGatewayConfiguration = '<vpn_connection id="x"><ipsec_tunnel>';
    h.ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [c] });
    const { result } = await h.scannedRun(createEvent());
    expect(result.Data?.EndpointConfigStatus).toMatch(/^error: CustomerGatewayConfiguration: ends before <ipsec_tunnel> .* is closed: the XML is truncated/);
    expect([result.Data?.Tunnel1OutsideAddress, result.Data?.Tunnel2OutsideAddress]).toEqual(
      connection().Options!.TunnelOptions!.map((t) => t.OutsideIpAddress),
    );
  });

  test('a no-op update of an unconvertible connection reports the status and writes nothing', async () => {
    h.ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [unconvertible()] });
    const { result } = await h.scannedRun(updateEvent(PROPS, { ...PROPS }));
    expect(result.Data?.EndpointConfigStatus).toMatch(/^error: .+CHACHA20/);
    expect(h.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  test('once it converts again, the stale error.txt is deleted and the status is ok', async () => {
    h.s3.on(ListObjectVersionsCommand, { Prefix: ERROR_KEY }).resolves({ Versions: [{ Key: ERROR_KEY, VersionId: 'e1' }], DeleteMarkers: [] });
    const { result } = await h.scannedRun(createEvent());
    expect(result.Data?.EndpointConfigStatus).toBe('ok');
    const deleted = h.s3.commandCalls(DeleteObjectsCommand).flatMap((c) => c.args[0].input.Delete?.Objects ?? []);
    expect(deleted).toEqual([{ Key: ERROR_KEY, VersionId: 'e1' }]);
  });

  test('AWS errors still fail the deployment as before (access denied is not a conversion error)', async () => {
    h.ec2.on(DescribeVpnConnectionsCommand).rejects(awsError('UnauthorizedOperation', 403));
    expect((await h.refusedRun(createEvent())).message).toMatch(/UnauthorizedOperation/);
  });
});

/**
 * Bad DescribeVpnConnections responses, each through a Create and a no-op Update: the deployment still succeeds
 * (error.txt and the status say why), and no canary is in error.txt, the status, the logs or any other call.
 * SECRET_CANARIES[2] is a key where the handler does not look for one, so nothing masks it: only the
 * checkers' wording (type and length, objects by kind) keeps it out.
 */
describe('bad DescribeVpnConnections responses never echo a key', () => {
  const ERROR_KEY = `${PREFIX}error.txt`;
  const UNSEEN = SECRET_CANARIES[2];
  type Tunnels = Record<string, unknown>[];
  const withoutKeys = (c: VpnConnection) => {
    c.Options!.TunnelOptions!.forEach((t) => delete t.PreSharedKey);
    c.CustomerGatewayConfiguration = c.CustomerGatewayConfiguration!.replace(/<pre_shared_key>[^<]*<\/pre_shared_key>/g, '');
    return c;
  };
  const tunnels = (c: VpnConnection) => c.Options!.TunnelOptions as unknown as Tunnels;
  const cases: [string, (c: VpnConnection) => void, RegExp][] = [
    ['PreSharedKey a number', (c) => (tunnels(c)[0].PreSharedKey = 1234567890123), /TunnelOptions\[0\]\.PreSharedKey: the pre-shared key must be a string/],
    ['PreSharedKey an object holding the key', (c) => (tunnels(withoutKeys(c))[0].PreSharedKey = { Value: UNSEEN }), /TunnelOptions\[0\]\.PreSharedKey: the pre-shared key must be a string/],
    ['PreSharedKey a list holding the key', (c) => (tunnels(withoutKeys(c))[0].PreSharedKey = [UNSEEN]), /TunnelOptions\[0\]\.PreSharedKey: the pre-shared key must be a string/],
    ['PreSharedKey too long (the key three times)', (c) => (tunnels(c)[0].PreSharedKey = PSKS[0].repeat(3)), /must be 8 to 64 characters long \(it has 75\)/],
    ['PreSharedKey with a character AWS refuses', (c) => (tunnels(c)[1].PreSharedKey = `${PSKS[1]}!`), /TunnelOptions\[1\]\.PreSharedKey: the pre-shared key may contain only/],
    ['the key only in the XML, with a space in it', (c) => {
      withoutKeys(c).CustomerGatewayConfiguration = connection().CustomerGatewayConfiguration!.replace(`>${PSKS[0]}<`, `>${PSKS[0]} x<`);
    }, /ipsec_tunnel\[1\]\/ike\/pre_shared_key: the pre-shared key may contain only/],
    ['the XML truncated inside <pre_shared_key>, the only copy of the key', (c) => {
      const xml = connection().CustomerGatewayConfiguration!;
      withoutKeys(c).CustomerGatewayConfiguration = xml.slice(0, xml.indexOf(PSKS[0]) + PSKS[0].length);
    }, /CustomerGatewayConfiguration: ends before <pre_shared_key> \(in vpn_connection\/ipsec_tunnel\/ike\) is closed/],
    // The XML checker quotes element names: an unclosed key followed by itself as a closing tag is still masked.
    ['an unclosed <pre_shared_key> whose key reappears as an element name', (c) => {
      withoutKeys(c).CustomerGatewayConfiguration = connection().CustomerGatewayConfiguration!.replace(`${PSKS[0]}</pre_shared_key>`, `${PSKS[0]}</${PSKS[0]}>`);
    }, /is not well-formed XML .*instead of closing tag '\*\*\*'/],
    ['PreSharedKeyArn holding the key', (c) => ((withoutKeys(c) as Record<string, unknown>).PreSharedKeyArn = UNSEEN), /^error: PreSharedKeyArn: a string of 27 characters is not an ARN/],
    ['TunnelOptions an object keyed by index, keys inside', (c) => {
      const byIndex = Object.fromEntries(tunnels(withoutKeys(c)).map((t, i) => [String(i), { PreSharedKey: UNSEEN, ...t }]));
      (c.Options as Record<string, unknown>).TunnelOptions = byIndex;
    }, /^error: Options\.TunnelOptions: expected a list, found an object/],
    ['Options a list around the tunnel options', (c) => ((c as Record<string, unknown>).Options = [{ TunnelOptions: [{ PreSharedKey: UNSEEN }] }]), /^error: Options: expected an object, found an array/],
    ['a tunnel option null', (c) => (tunnels(c)[0] = null as never), /TunnelOptions\[0\]/],
    ['an algorithm Value holding the key in an object', (c) => (tunnels(c)[0].Phase1EncryptionAlgorithms = [{ Value: { PreSharedKey: UNSEEN } }]), /Phase1EncryptionAlgorithms\[0\]\.Value: unknown algorithm an object/],
    ['CustomerGatewayConfiguration not a string', (c) => ((c as Record<string, unknown>).CustomerGatewayConfiguration = { pre_shared_key: UNSEEN }), /^error: CustomerGatewayConfiguration: expected an XML string/],
  ];

  test.each(cases)('%s: Create writes error.txt and succeeds', async (_title, spoil, status) => {
    const c = connection();
    spoil(c);
    h.ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [c] });
    const { result } = await h.scannedRun(createEvent());
    expect(result.Data?.EndpointConfigStatus).toMatch(status);
    expect(Object.keys(h.putBodies())).toEqual([ERROR_KEY]);
    expect(h.secrets.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });

  test.each(cases)('%s: a no-op Update reports it and writes nothing', async (_title, spoil, status) => {
    const c = connection();
    spoil(c);
    h.ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [c] });
    const { result } = await h.scannedRun(updateEvent(PROPS, { ...PROPS }));
    expect(result.Data?.EndpointConfigStatus).toMatch(status);
    expect(h.s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  test('a key in fields the converter does not read is copied into no artifact', async () => {
    const c = connection({ Tags: [{ Key: 'psk', Value: UNSEEN }] });
    tunnels(c)[0].PreSharedKeyValue = UNSEEN;
    (c.VgwTelemetry![0] as Record<string, unknown>).StatusMessage = UNSEEN;
    h.ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [c] });
    const { result } = await h.scannedRun(createEvent());
    expect(result.Data?.EndpointConfigStatus).toBe('ok');
    expect(Object.keys(h.putBodies())).toHaveLength(Object.keys(ARTIFACT_FILES).length);
  });
});

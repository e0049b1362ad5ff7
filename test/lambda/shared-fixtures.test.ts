/**
 * Every DescribeVpnConnections fixture of the converter (test/fixtures/describe) through a whole Create: the
 * artifacts are written, inline keys become secrets and references, and no key leaves the handler.
 */
import { DescribeVpnConnectionsCommand, VpnConnection } from '@aws-sdk/client-ec2';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ARTIFACT_FILES } from '../../lib/endpoint-config-resource/contract';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import * as fs from 'fs';
import * as path from 'path';
import { arnFor, createEvent, Harness, PROPS } from './harness';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'describe');
/** Pending connections never reach conversion: readiness polls them (see endpoint-config-handler.test.ts). */
const fixtures = fs.existsSync(FIXTURES)
  ? fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json') && JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8'))._expect !== 'pending')
  : [];

/** The secret the handler names after the tunnel (IPv6 colons are not allowed in secret names). */
const secretName = (vpnId: string, awsOutside: string) => `s2s-vpn/psk/${vpnId}/${awsOutside.replace(/:/g, '-')}`;

const h = new Harness();
beforeEach(() => h.reset());

/** Every key in the response, wherever AWS put it. */
function keysIn(connection: VpnConnection): string[] {
  const fromOptions = (connection.Options?.TunnelOptions ?? []).flatMap((t) => (t.PreSharedKey ? [t.PreSharedKey] : []));
  const fromXml = [...(connection.CustomerGatewayConfiguration ?? '').matchAll(/<pre_shared_key>([^<]*)<\/pre_shared_key>/g)].map((m) => m[1].trim());
  return [...new Set([...fromOptions, ...fromXml])];
}

test('the converter fixtures are there', () => {
  expect(fixtures.length).toBeGreaterThan(0);
});

test.each(fixtures)('%s: written, keys stored and referenced, never published', async (file) => {
  const connection = (JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as { VpnConnections: VpnConnection[] }).VpnConnections[0];
  const vpnId = connection.VpnConnectionId!;
  h.ec2.on(DescribeVpnConnectionsCommand).resolves({ VpnConnections: [connection] });

  const { result } = await h.run(createEvent({ ...PROPS, VpnConnectionId: vpnId }));

  const bodies = h.putBodies();
  expect(h.s3.commandCalls(PutObjectCommand)).toHaveLength(Object.keys(ARTIFACT_FILES).length);
  const endpoint = JSON.parse(bodies[`endpoint-configs/${vpnId}/endpoint.json`]);
  const created = h.secrets.commandCalls(CreateSecretCommand).map((c) => c.args[0].input.Name!);
  const certificates = (connection.VgwTelemetry ?? []).some((t) => t.CertificateArn);
  if (connection.PreSharedKeyArn || certificates) {
    expect(created).toEqual([]);
  } else {
    expect(created.sort()).toEqual(endpoint.tunnels.map((t: { remote: { outsideAddress: string } }) => secretName(vpnId, t.remote.outsideAddress)).sort());
  }
  expect(result.Data?.EndpointConfigStatus).toBe('ok');
  for (const tunnel of endpoint.tunnels) {
    if (certificates) {
      expect(tunnel.preSharedKey).toBeUndefined();
      expect(tunnel.auth.type).toBe('certificate');
      continue;
    }
    const options = connection.Options?.TunnelOptions?.find((o) => o.OutsideIpAddress === tunnel.remote.outsideAddress) as { PreSharedKeyArn?: string } | undefined;
    const awsArn = options?.PreSharedKeyArn ?? connection.PreSharedKeyArn;
    expect(tunnel.preSharedKey).toEqual({ secretArn: awsArn ?? arnFor(secretName(vpnId, tunnel.remote.outsideAddress)) });
  }
  type Side = { outsideAddress: string; insideCidr?: string; insideIpv6Cidr?: string };
  endpoint.tunnels.forEach((t: { remote: Side; local: Side }, i: number) => {
    expect(result.Data).toEqual(
      expect.objectContaining({
        [`Tunnel${i + 1}OutsideAddress`]: t.remote.outsideAddress,
        [`Tunnel${i + 1}AwsInsideCidr`]: t.remote.insideCidr ?? '',
        [`Tunnel${i + 1}CustomerInsideCidr`]: t.local.insideCidr ?? '',
        [`Tunnel${i + 1}AwsInsideIpv6Cidr`]: t.remote.insideIpv6Cidr ?? '',
        [`Tunnel${i + 1}CustomerInsideIpv6Cidr`]: t.local.insideIpv6Cidr ?? '',
      }),
    );
  });
  if (file === 'ipv6-inside.json') expect(result.Data?.Tunnel1AwsInsideIpv6Cidr).toMatch(/^fd/);

  const published = JSON.stringify([h.logLines, bodies, result]);
  for (const key of keysIn(connection)) expect(published).not.toContain(key);
});

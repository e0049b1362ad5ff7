/** The DescribeVpnConnections fixtures, and the secrets they hold (to prove no output leaks them). */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { VpnConnection } from '@aws-sdk/client-ec2';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'describe');

export const FIXTURE_NAMES = readdirSync(FIXTURE_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

export function fixturePath(name: string): string {
  return join(FIXTURE_DIR, `${name}.json`);
}

/** The fixture's first (usually only) connection, as a fresh deep copy a test may mutate. */
export function loadConnection(name: string, index = 0): VpnConnection {
  const doc = JSON.parse(readFileSync(fixturePath(name), 'utf8')) as { VpnConnections: VpnConnection[] };
  return doc.VpnConnections[index];
}

/** Every pre-shared key written anywhere in the fixture: tunnel options and the XML. */
export function presharedKeysIn(name: string): string[] {
  const text = readFileSync(fixturePath(name), 'utf8');
  const doc = JSON.parse(text) as { VpnConnections: VpnConnection[] };
  const keys = new Set<string>();
  for (const c of doc.VpnConnections) {
    for (const t of c.Options?.TunnelOptions ?? []) if (t.PreSharedKey) keys.add(t.PreSharedKey);
    for (const m of (c.CustomerGatewayConfiguration ?? '').matchAll(/<pre_shared_key>([^<]+)<\/pre_shared_key>/g)) keys.add(m[1]);
  }
  return [...keys];
}

/** The XML's tunnels as the test reads them, independently of the converter: (cgw, aws) outside addresses. */
export function xmlOutsideAddresses(connection: VpnConnection): { cgw: string; aws: string }[] {
  const xml = connection.CustomerGatewayConfiguration ?? '';
  return [...xml.matchAll(/<ipsec_tunnel>([\s\S]*?)<\/ipsec_tunnel>/g)].map((m) => {
    const [cgw, aws] = [...m[1].matchAll(/<tunnel_outside_address>\s*<ip_address>([^<]+)<\/ip_address>/g)].map((x) => x[1]);
    return { cgw, aws };
  });
}

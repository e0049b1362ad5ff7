/** The DescribeVpnConnections fixtures, and the secrets they hold (to prove no output leaks them). */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import type { VpnConnection } from '@aws-sdk/client-ec2';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'describe');

/**
 * A fixture file: the `describe-vpn-connections` output, plus `_source` (where it was rebuilt from: public AWS
 * material, cited) and `_expect` (`pending`: not convertible yet), which the CLI and converter ignore.
 */
interface FixtureFile {
  readonly _source?: readonly string[];
  readonly _expect?: 'pending';
  readonly VpnConnections: VpnConnection[];
}

function readFixture(name: string): FixtureFile {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as FixtureFile;
}

const ALL_FIXTURES = readdirSync(FIXTURE_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

/** Fixtures that convert. */
export const FIXTURE_NAMES = ALL_FIXTURES.filter((name) => readFixture(name)._expect !== 'pending');

/** Connections still pending: conversion must say so, distinctly. */
export const PENDING_FIXTURE_NAMES = ALL_FIXTURES.filter((name) => readFixture(name)._expect === 'pending');

/** The public sources a fixture cites (empty for the project's older, hand-made fixtures). */
export function fixtureSources(name: string): readonly string[] {
  return readFixture(name)._source ?? [];
}

/** Every connection in the fixture, as fresh deep copies. */
export function loadConnections(name: string): VpnConnection[] {
  return readFixture(name).VpnConnections;
}

export function fixturePath(name: string): string {
  return join(FIXTURE_DIR, `${name}.json`);
}

/** The fixture's first (usually only) connection, as a fresh deep copy a test may mutate. */
export function loadConnection(name: string, index = 0): VpnConnection {
  return readFixture(name).VpnConnections[index];
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

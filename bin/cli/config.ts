/**
 * `s2s-vpn config`: a saved `aws ec2 describe-vpn-connections` output in, an on-prem endpoint config out
 * (JSON, a TypeScript module, or a strongSwan swanctl.conf).
 */
import { readFileSync } from 'fs';
import { Command, Option } from 'commander';
import type { VpnConnection } from '@aws-sdk/client-ec2';
import {
  EndpointConfigError,
  EndpointConfigPendingError,
  OnPremEndpointConfig,
  endpointConfigFromDescribe,
  renderJson,
  renderSwanctl,
  renderTypeScript,
} from '../../lib/endpoint';
import { jsonSyntaxProblem } from '../../lib/endpoint/errors';
import { rejectUnknownKeys } from '../../lib/endpoint/unknown-keys';
import type { SiteRouting } from '../../lib/endpoint';
import { renderBird, renderFrr, renderLibreswan, renderLinux, withSiteRouting } from '../../lib/endpoint/site';
import { CliError, CliIo, describeFsError, writeFileAtomic } from './io';

export const CONFIG_FORMATS = ['json', 'ts', 'swanctl', 'frr', 'bird', 'libreswan', 'libreswan-secrets', 'linux'] as const;
/** Exit code for a connection that is still pending: not an error, describe it again once it is available. */
export const PENDING_EXIT_CODE = 3;
export type ConfigFormat = (typeof CONFIG_FORMATS)[number];

interface ConfigCommandOptions {
  fromDescribe: string;
  vpnConnectionId?: string;
  format: ConfigFormat;
  out?: string;
  inlineSecrets?: boolean;
  certificate?: string;
  caCertificate?: string;
  site?: string;
}

export function registerConfigCommand(program: Command, io: CliIo): void {
  program
    .command('config')
    .description('Turn a saved `aws ec2 describe-vpn-connections` output into an on-prem endpoint config')
    .requiredOption('--from-describe <file>', 'the saved DescribeVpnConnections JSON (`-` for stdin)')
    .option('--vpn-connection-id <id>', 'which connection, when the file holds several')
    .addOption(new Option('--format <format>', 'output format').choices(CONFIG_FORMATS).default('json'))
    .option('--out <file>', 'write here (atomically) instead of stdout')
    .option('--inline-secrets', 'copy pre-shared keys into the output instead of referencing them', false)
    .option('--certificate <file>', "swanctl, certificate-authenticated tunnels: this gateway's certificate in x509/ (default <cgw-id>.pem)")
    .option('--ca-certificate <file>', 'swanctl, certificate-authenticated tunnels: your AWS Private CA chain in x509ca/ (default aws-private-ca.pem)')
    .option('--site <file>', 'what only the site knows, as JSON: announcePrefixes (BGP), awsPrefixes (static), preference (checked against AWS\'s quotas)')
    .action(async (options: ConfigCommandOptions) => {
      const text = await readInput(options.fromDescribe, io);
      const connection = selectConnection(parseDescribeOutput(text, options.fromDescribe), options.vpnConnectionId);
      let config: OnPremEndpointConfig;
      try {
        config = endpointConfigFromDescribe(connection, { inlineSecrets: options.inlineSecrets === true });
      } catch (e) {
        const id = typeof connection.VpnConnectionId === 'string' ? connection.VpnConnectionId : 'VpnConnection';
        if (e instanceof EndpointConfigPendingError) throw new CliError(`${id}: ${e.message}`, PENDING_EXIT_CODE);
        if (e instanceof EndpointConfigError) throw new CliError(`${id}: ${e.message}`);
        throw e;
      }
      if (options.site === '-' && options.fromDescribe === '-') throw new CliError('--site and --from-describe cannot both read stdin');
      if (options.site !== undefined) config = withSite(config, await readInput(options.site, io), options.site);
      const output = render(config, options);
      if (options.out) {
        // Inline keys make the file a secret: owner-only.
        writeFileAtomic(options.out, output, { newFileMode: options.inlineSecrets ? 0o600 : 0o644, ownerOnly: options.inlineSecrets === true });
        io.stderr(`wrote ${options.format} config for ${config.vpnConnectionId} to ${options.out}\n`);
      } else {
        io.stdout(output);
      }
    });
}

function render(config: OnPremEndpointConfig, options: ConfigCommandOptions): string {
  switch (options.format) {
    case 'json':
      return renderJson(config);
    case 'ts':
      return renderTypeScript(config);
    case 'swanctl':
      try {
        return renderSwanctl(config, { certificateFile: options.certificate, caCertificateFile: options.caCertificate });
      } catch (e) {
        if (e instanceof EndpointConfigError) throw new CliError(e.message);
        throw e;
      }
    case 'frr':
      return renderFrr(config);
    case 'bird':
      return renderBird(config);
    case 'libreswan':
      return renderLibreswan(config).ipsecConf;
    case 'libreswan-secrets':
      return renderLibreswan(config).ipsecSecrets;
    case 'linux':
      return renderLinux(config);
  }
}

/** The `--site` file joined to the converted config; a bad field is named with its value (`site.awsPrefixes[0]`). */
function withSite(config: OnPremEndpointConfig, text: string, file: string): OnPremEndpointConfig {
  let site: unknown;
  try {
    site = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file} ${jsonSyntaxProblem(e)}`);
  }
  if (site === null || typeof site !== 'object' || Array.isArray(site)) {
    throw new CliError(`${file}: expected a JSON object such as { "announcePrefixes": ["10.0.0.0/16"], "preference": { "mode": "active-active" } }`);
  }
  try {
    rejectUnknownKeys({ site });
    return withSiteRouting(config, site as SiteRouting);
  } catch (e) {
    if (e instanceof EndpointConfigError) throw new CliError(`${file}: ${e.message}`);
    throw e;
  }
}

async function readInput(file: string, io: CliIo): Promise<string> {
  if (file === '-') return io.readStdin();
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${describeFsError(e)}`);
  }
}

/** `{ "VpnConnections": [...] }` as the CLI prints it, or a single connection (`--query VpnConnections[0]`). */
export function parseDescribeOutput(text: string, file: string): VpnConnection[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file} ${jsonSyntaxProblem(e)}`);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const list = (value as { VpnConnections?: unknown }).VpnConnections;
    if (Array.isArray(list)) return list as VpnConnection[];
    if ('VpnConnectionId' in value) return [value as VpnConnection];
  }
  throw new CliError(`${file}: expected the output of \`aws ec2 describe-vpn-connections\` ({ "VpnConnections": [...] })`);
}

export function selectConnection(connections: readonly VpnConnection[], id: string | undefined): VpnConnection {
  const ids = connections.map((c, i) => (typeof c?.VpnConnectionId === 'string' ? c.VpnConnectionId : `(VpnConnections[${i}] has no VpnConnectionId)`));
  if (connections.length === 0) throw new CliError('the file lists no VPN connections');
  if (id !== undefined) {
    const match = connections.find((c) => c?.VpnConnectionId === id);
    if (!match) throw new CliError(`no VPN connection ${id} in the file; it has: ${ids.join(', ')}`);
    return match;
  }
  if (connections.length > 1) {
    throw new CliError(`the file lists ${connections.length} VPN connections; choose one with --vpn-connection-id: ${ids.join(', ')}`);
  }
  return connections[0];
}

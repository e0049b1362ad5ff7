/**
 * `s2s-vpn verify CONFIG`: will this on-prem endpoint config work with AWS Site-to-Site VPN, and if not, why?
 * Exit codes (every command's, see `EXIT`): 0 every check passed, 1 a check failed, 2 bad input or usage.
 */
import { readFileSync, writeFileSync } from 'fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import type { VpnConnection } from '@aws-sdk/client-ec2';
import { PcapWriter } from '../../lib/esp';
import { renderReportJson, renderReportText, verifyConfig, VerifyInputError, VerifyReport } from '../../lib/verify';
import { parseDescribeOutput, selectConnection } from './config';
import { CliError, CliIo, describeFsError, EXIT } from './io';
import { lazyAwsKeyResolver } from './lazy-key-resolver';
import { addLiveOptions, LiveCommandOptions, liveOptionsFrom } from './verify-live';

export { EXIT };

interface VerifyCommandOptions extends LiveCommandOptions {
  describe?: string;
  vpnConnectionId?: string;
  tunnel?: number;
  json?: boolean;
  pcap?: string;
  staticOnly?: boolean;
  resolveKeys?: boolean;
  routing?: string;
}

export function registerVerifyCommand(program: Command, io: CliIo): void {
  const command = new Command('verify')
    .description('Check an on-prem endpoint config against AWS Site-to-Site VPN: static checks, then an ESP exchange on loopback')
    .argument('<config>', 'endpoint.json, endpoint.ts (exporting `config`), or swanctl.conf (needs --describe)')
    .option('--describe <file>', "saved `aws ec2 describe-vpn-connections` output: the tunnels' real AWS side")
    .option('--vpn-connection-id <id>', 'which connection of the describe file, when it holds several')
    .option('--tunnel <n>', 'verify only this tunnel (1-based, in the config)', positiveInteger)
    .option('--json', 'print the report as JSON (progress still goes to stderr)', false)
    .option('--pcap <file>', 'write the loopback exchange (outer packets) as a pcap for Wireshark')
    .option('--static-only', 'skip the loopback ESP exchange', false)
    .option('--resolve-keys', 'read referenced pre-shared keys with your AWS credentials (Secrets Manager, DescribeVpnConnections) and check the keys themselves', false)
    .option('--routing <file>', 'FRR frr.conf or BIRD bird.conf: adds BGP checks (neighbours, ASNs, hold time, prefixes within AWS quota)');
  addLiveOptions(command).action(async (config: string, options: VerifyCommandOptions) => {
    const report = await runVerify(config, options, io);
    io.stdout(options.json ? renderReportJson(report) : renderReportText(report));
    if (!report.summary.ok) throw new CommanderError(EXIT.checksFailed, 's2s-vpn.verify.failed', `${report.summary.failed} check(s) failed`);
  });
  program.addCommand(command);
}

async function runVerify(config: string, options: VerifyCommandOptions, io: CliIo): Promise<VerifyReport> {
  try {
    const pcap = options.pcap ? new PcapWriter() : undefined;
    const report = await verifyConfig({
      configPath: config,
      describe: options.describe ? { connection: readDescribe(options.describe, options.vpnConnectionId), file: options.describe } : undefined,
      tunnel: options.tunnel,
      routingPath: options.routing,
      dynamic: !options.staticOnly,
      pcap,
      progress: (line) => io.stderr(`verify: ${line}\n`),
      resolveKey: options.resolveKeys ? lazyAwsKeyResolver : undefined,
      live: liveOptionsFrom(options),
    });
    if (pcap && options.pcap) writePcap(options.pcap, pcap, io);
    return report;
  } catch (e) {
    if (e instanceof VerifyInputError || e instanceof CliError) {
      io.stderr(`s2s-vpn verify: ${e.message}\n`);
      throw new CommanderError(EXIT.badInput, 's2s-vpn.verify.badInput', e.message);
    }
    throw e;
  }
}

/** The one connection of a saved describe-vpn-connections output. */
export function readDescribe(file: string, vpnConnectionId?: string): VpnConnection {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${describeFsError(e)}`);
  }
  return selectConnection(parseDescribeOutput(text, file), vpnConnectionId);
}

function writePcap(file: string, pcap: PcapWriter, io: CliIo): void {
  try {
    writeFileSync(file, pcap.toBuffer());
  } catch (e) {
    throw new CliError(`cannot write ${file}: ${describeFsError(e)}`);
  }
  io.stderr(`verify: wrote ${pcap.count} packets to ${file}\n`);
}

function positiveInteger(text: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new InvalidArgumentError('expected a tunnel number: 1, 2, ...');
  return Number(text);
}

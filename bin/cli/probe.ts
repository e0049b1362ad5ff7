/**
 * `s2s-vpn probe CONFIG`: a user-space customer gateway (no root) brings each chosen tunnel up against AWS,
 * pings through it and deletes its SAs. Exit codes: 0 every chosen tunnel up and answered, 1 one failed,
 * 2 bad input. Progress on stderr, one line per step; `--json` prints only the report on stdout.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { awsSidesFromDescribe, loadConfig, probe, ProbeReport, VerifyInputError } from '../../lib/verify';
import { lazyAwsKeyResolver } from './lazy-key-resolver';
import { CliError, CliIo } from './io';
import { readPskFile } from './psk-file';
import { EXIT, readDescribe } from './verify';

interface ProbeCommandOptions {
  describe?: string;
  tunnel: number | 'all';
  pskFile?: string;
  localAddress?: string;
  ping?: string;
  count: number;
  timeout: number;
  json?: boolean;
}

export function registerProbeCommand(program: Command, io: CliIo): void {
  const command = new Command('probe')
    .description("Bring a tunnel up against AWS from this machine (user-space IKEv2 + ESP, no root), ping through it, delete the SAs")
    .argument('<config>', 'endpoint.json, endpoint.ts or swanctl.conf')
    .option('--describe <file>', "saved describe-vpn-connections output: AWS's inside addresses and keys")
    .option('--tunnel <n>', 'which tunnel: 1, 2 or all', tunnelChoice, 'all' as const)
    .option('--psk-file <file>', 'the pre-shared key of the tunnel chosen with --tunnel (first line)')
    .option('--local-address <addr>', 'bind to this local outside address (default: any)')
    .option('--ping <addr>', "ping this address through the tunnel (default: AWS's inside address)")
    .option('--count <n>', 'echo requests per tunnel', wholeNumber, 3)
    .option('--timeout <seconds>', 'per tunnel: for the SAs to come up and for each echo reply', seconds, 10)
    .option('--json', 'print the report as JSON (progress still goes to stderr)', false)
    .action(async (config: string, options: ProbeCommandOptions) => {
      const report = await runProbe(config, options, io);
      io.stdout(options.json ? `${JSON.stringify(report)}\n` : renderProbeText(report));
      if (!report.ok) throw new CommanderError(EXIT.checksFailed, 's2s-vpn.probe.failed', 'a tunnel failed');
    });
  program.addCommand(command);
}

async function runProbe(config: string, options: ProbeCommandOptions, io: CliIo): Promise<ProbeReport> {
  try {
    const loaded = loadConfig(config);
    const awsSides = options.describe ? awsSidesFromDescribe(readDescribe(options.describe), options.describe) : undefined;
    return await probe({
      tunnels: loaded.tunnels,
      awsSides,
      tunnel: options.tunnel,
      psk: options.pskFile ? readPskFile(options.pskFile) : undefined,
      resolveKey: lazyAwsKeyResolver,
      localAddress: options.localAddress,
      ping: options.ping,
      count: options.count,
      timeoutSeconds: options.timeout,
      progress: (line) => io.stderr(`probe: ${line}\n`),
    });
  } catch (e) {
    if (e instanceof VerifyInputError || e instanceof CliError) {
      io.stderr(`s2s-vpn probe: ${e.message}\n`);
      throw new CommanderError(EXIT.badInput, 's2s-vpn.probe.badInput', e.message);
    }
    throw e;
  }
}

function renderProbeText(report: ProbeReport): string {
  const lines = report.tunnels.map((t) => {
    const what = t.ok
      ? `IKE ${t.ike.proposal}${t.ike.natT ? ' (NAT-T)' : ''}, CHILD ${t.child.proposal}, ping ${t.ping.received}/${t.ping.sent}`
      : (t.error ?? 'failed');
    return `${t.ok ? 'UP  ' : 'FAIL'}  ${t.name} (AWS ${t.awsOutsideAddress}): ${what}`;
  });
  return `${lines.join('\n')}\n`;
}

function tunnelChoice(text: string): number | 'all' {
  if (text === 'all') return 'all';
  if (!/^[1-9]\d*$/.test(text)) throw new InvalidArgumentError('expected 1, 2 or all');
  return Number(text);
}

function wholeNumber(text: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new InvalidArgumentError('expected a whole number, 1 or more');
  return Number(text);
}

function seconds(text: string): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(n > 0)) throw new InvalidArgumentError('expected seconds above 0');
  return n;
}

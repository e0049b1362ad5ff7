/**
 * `s2s-vpn demo`: the whole path offline, in seconds. Convert the example DescribeVpnConnections response,
 * render the three endpoint config formats into `out/`, verify each against the same response, summarise.
 */
import { existsSync, mkdirSync, writeFileSync } from 'fs';
import { join, relative, resolve } from 'path';
import { Command, CommanderError } from 'commander';
import { endpointConfigFromDescribe, renderJson, renderSwanctl, renderTypeScript } from '../../lib/endpoint';
import { PcapWriter } from '../../lib/esp';
import { renderReportText, verifyConfig, VerifyReport } from '../../lib/verify';
import { typeScriptInstalled } from '../../lib/verify/load-typescript';
import { runDemoLive } from './demo-live';
import { CliError, CliIo, describeFsError } from './io';
import { packageInfo } from './package-info';
import { readDescribe } from './verify';

/** The describe response matching `examples/hq.json` (shipped in the package), and the fixture to fall back on. */
export const DEMO_DESCRIBE_FILES = ['examples/hq.describe.json', 'test/fixtures/describe/hq.json'] as const;

interface DemoOptions {
  outDir: string;
  root: string;
}

export function registerDemoCommand(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('Offline end to end: convert the example describe output, render json/ts/swanctl into out/, verify each')
    .option('--out-dir <dir>', 'where the rendered configs and the capture go', 'out')
    .option('--root <dir>', 'the directory holding examples/ (default: the installed package)')
    .action(async (options: Partial<DemoOptions> & { outDir: string }) => {
      const ok = await runDemo({ outDir: options.outDir, root: options.root ?? packageInfo().root }, io);
      if (!ok) throw new CommanderError(1, 's2s-vpn.demo.failed', 'verification failed');
    });
}

/** Runs the demo; true when all three configs verify. */
export async function runDemo(options: DemoOptions, io: CliIo): Promise<boolean> {
  const root = resolve(options.root);
  const describeFile = DEMO_DESCRIBE_FILES.map((f) => join(root, f)).find(existsSync);
  if (!describeFile) throw new CliError(`no example describe output: expected one of ${DEMO_DESCRIBE_FILES.join(', ')} under ${root}`);
  const show = (p: string) => relative(process.cwd(), p) || '.';
  const outDir = resolve(options.outDir);

  io.stdout(`1. Convert ${show(describeFile)} (a DescribeVpnConnections response) into an on-prem endpoint config\n`);
  const connection = readDescribe(describeFile);
  const config = endpointConfigFromDescribe(connection);
  io.stdout(`   ${config.vpnConnectionId}: ${config.tunnels.length} tunnels, ${config.routing.type} routing, ${config.gateway.type} ${config.gateway.id}\n`);

  const files = {
    json: join(outDir, 'endpoint.json'),
    ts: join(outDir, 'endpoint.ts'),
    swanctl: join(outDir, 'swanctl.conf'),
  };
  io.stdout(`2. Render three formats into ${show(outDir)}/\n`);
  try {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(files.json, renderJson(config));
    writeFileSync(files.ts, renderTypeScript(config));
    writeFileSync(files.swanctl, renderSwanctl(config));
  } catch (e) {
    throw new CliError(`cannot write into ${outDir}: ${describeFsError(e)}`);
  }
  for (const f of Object.values(files)) io.stdout(`   ${show(f)}\n`);

  io.stdout(`3. Verify each against the same response: static checks, then ESP over loopback UDP\n\n`);
  const pcap = new PcapWriter();
  const reports: [string, VerifyReport][] = [];
  const skipped: string[] = [];
  for (const [format, file] of Object.entries(files)) {
    // TypeScript is an optional peer dependency: without it endpoint.ts is rendered but cannot be checked.
    if (format === 'ts' && !typeScriptInstalled()) {
      skipped.push(format);
      continue;
    }
    const report = await verifyConfig({
      configPath: show(file),
      describe: { connection, file: describeFile },
      pcap: format === 'swanctl' ? pcap : undefined,
      burstPackets: 128,
      progress: (line) => io.stderr(`verify ${format}: ${line}\n`),
    });
    reports.push([format, report]);
  }
  const pcapFile = join(outDir, 'exchange.pcap');
  writeFileSync(pcapFile, pcap.toBuffer());

  // The full report once (the swanctl one: what a strongSwan user loads); the others agree or are listed below.
  io.stdout(renderReportText(reports[reports.length - 1][1]));
  io.stdout('\nSummary\n');
  for (const [format, report] of reports) {
    const s = report.summary;
    io.stdout(`  ${s.ok ? 'PASS' : 'FAIL'}  ${format.padEnd(7)} ${show(report.config).padEnd(24)} ${s.passed} passed, ${s.warnings} warning(s), ${s.failed} failed, ${s.skipped} skipped\n`);
  }
  for (const format of skipped) {
    io.stdout(`  SKIP  ${format.padEnd(7)} ${show(files.ts).padEnd(24)} not verified: TypeScript is not installed (npm install typescript)\n`);
  }
  io.stdout(`  capture of the swanctl run's ESP exchange: ${show(pcapFile)} (${pcap.count} packets; open it in Wireshark)\n`);
  const liveOk = await runDemoLive(files.swanctl, connection, describeFile, io);
  io.stdout(`\nNext: s2s-vpn config --from-describe <your describe output> --format swanctl, then s2s-vpn verify <file> --describe <same file>\n`);
  return liveOk && reports.every(([, r]) => r.summary.ok);
}

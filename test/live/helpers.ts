/** Shared by the live suites: the CLI as a process (optionally inside a namespace) and AWS-side charons. */
import { execFile } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildSync } from 'esbuild';
import type { CheckResult, VerifyReport } from '../../lib/verify';
import { Charon, startCharon, stopCharon, swanctl } from '../../lib/verify/live/charon';
import { createLiveNetwork, deleteLiveNetwork, LiveNetwork } from '../../lib/verify/live/network';

export const REPO_ROOT = join(__dirname, '..', '..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `s2s-vpn ARGS` under ts-node; in namespace `ns` when given. */
export function cli(args: readonly string[], ns?: string, timeoutMs = 240_000, env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return runNode(['-r', 'ts-node/register/transpile-only', 'bin/s2s-vpn.ts', ...args], ns, timeoutMs, env);
}

/**
 * The CLI bundled once with esbuild (seconds saved per run over ts-node). Only for commands that spawn no
 * bundled helper of their own: `probe` (verify --live bundles its AWS endpoint from the sources).
 */
export function bundleCli(dir: string): (args: readonly string[], ns?: string) => Promise<CliRun> {
  const outfile = join(dir, 's2s-vpn.js');
  buildSync({ entryPoints: [join(REPO_ROOT, 'bin', 's2s-vpn.ts')], bundle: true, platform: 'node', target: 'node20', outfile, logLevel: 'silent' });
  return (args, ns) => runNode([outfile, ...args], ns);
}

function runNode(args: readonly string[], ns: string | undefined, timeoutMs = 240_000, env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  const [cmd, ...rest] = ns ? ['ip', 'netns', 'exec', ns, process.execPath, ...args] : [process.execPath, ...args];
  return new Promise((resolve) => {
    execFile(cmd, rest, { cwd: REPO_ROOT, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as NodeJS.ErrnoException & { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

export interface AwsSideAddresses {
  readonly outside: string;
  readonly inside: string;
  readonly customerOutside: string;
  readonly customerInside: string;
}

export const AWS_SIDE: AwsSideAddresses = { outside: '192.0.2.101', inside: '169.254.10.1', customerOutside: '198.51.100.10', customerInside: '169.254.10.2' };

/** Tunnel 1 of the ipv6-inside fixture (test/fixtures/describe/ipv6-inside.json): IPv6 inside addresses. */
export const AWS_SIDE_IPV6: AwsSideAddresses = { outside: '203.0.113.61', inside: 'fd00:ec2:0:1::1', customerOutside: '198.51.100.60', customerInside: 'fd00:ec2:0:1::2' };

export interface AwsCharon {
  net: LiveNetwork;
  charon: Charon;
}

/**
 * charon as AWS's endpoint of a tunnel, configured here by hand (not by our renderer): AWS's identity and
 * outside address, any peer address (a probe comes from wherever), all traffic of the inside addresses' IP
 * version both ways (0.0.0.0/0 or ::/0), AWS's inside address on `lo` to answer pings through the tunnel.
 */
export async function startAwsCharon(dir: string, o: { ike: string; esp: string; psk: string; addresses?: AwsSideAddresses }): Promise<AwsCharon> {
  const a = o.addresses ?? AWS_SIDE;
  const all = a.inside.includes(':') ? '::/0' : '0.0.0.0/0';
  const net = await createLiveNetwork({ onPremOutside: a.customerOutside, awsOutside: a.outside, awsInside: a.inside });
  try {
    const charon = await startCharon({ ns: net.awsNs, dir, logKeys: false });
    const conf = join(dir, 'swanctl.conf');
    writeFileSync(
      conf,
      `connections {
  aws-tunnel {
    version = 2
    local_addrs = ${a.outside}
    remote_addrs = %any
    proposals = ${o.ike}
    mobike = no
    local {
      auth = psk
      id = ${a.outside}
    }
    remote {
      auth = psk
      id = ${a.customerOutside}
    }
    children {
      vti {
        local_ts = ${all}
        remote_ts = ${all}
        esp_proposals = ${o.esp}
      }
    }
  }
}
secrets {
  ike-aws {
    id-1 = ${a.outside}
    id-2 = ${a.customerOutside}
    secret = "${o.psk}"
  }
}
`,
    );
    const load = await swanctl(charon, ['--load-all', '--noprompt', '--file', conf]);
    if (load.exitCode !== 0) throw new Error(`swanctl --load-all: ${load.stdout}${load.stderr}`);
    return { net, charon };
  } catch (e) {
    await deleteLiveNetwork(net);
    throw e;
  }
}

export async function stopAwsCharon(a: AwsCharon): Promise<void> {
  await stopCharon(a.charon, { signal: 'SIGKILL', keepDir: true });
  await deleteLiveNetwork(a.net);
}

/** The live stage's checks of one tunnel of a report. */
export function liveChecks(report: VerifyReport, tunnel = 0): CheckResult[] {
  return report.tunnels[tunnel].checks.filter((c) => c.stage === 'live');
}

/**
 * Keeps an output a passing live test produced (the `verify --live` report, a `probe --json`), for the record
 * a release note quotes: in $S2S_LIVE_EVIDENCE_DIR, else <tmpdir>/s2s-vpn-live-evidence. The tests that call
 * it assert first that no key is in the text. Returns the file written.
 */
export function saveEvidence(name: string, text: string): string {
  const dir = process.env.S2S_LIVE_EVIDENCE_DIR ?? join(tmpdir(), 's2s-vpn-live-evidence');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Shared by the live suites: the CLI as a process (optionally inside a namespace) and AWS-side charons. */
import { execFile } from 'child_process';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { buildSync } from 'esbuild';
import type { CheckResult, VerifyReport } from '../../lib/verify';
import { Charon, startCharon, stopCharon, swanctl } from '../../lib/verify/live/charon';
import { runChecked } from '../../lib/verify/live/exec';
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

export const AWS_SIDE = { outside: '192.0.2.101', inside: '169.254.10.1', customerOutside: '198.51.100.10', customerInside: '169.254.10.2' } as const;

export interface AwsCharon {
  net: LiveNetwork;
  charon: Charon;
}

/**
 * charon as AWS's endpoint of a tunnel, configured here by hand (not by our renderer): AWS's identity and
 * outside address, any peer address (a probe comes from wherever), 0.0.0.0/0 both ways, AWS's inside address
 * on `lo` to answer pings through the tunnel.
 */
export async function startAwsCharon(dir: string, o: { ike: string; esp: string; psk: string }): Promise<AwsCharon> {
  const net = await createLiveNetwork({ onPremOutside: AWS_SIDE.customerOutside, awsOutside: AWS_SIDE.outside });
  try {
    await runChecked('ip', ['-n', net.awsNs, 'addr', 'add', `${AWS_SIDE.inside}/32`, 'dev', 'lo']);
    const charon = await startCharon({ ns: net.awsNs, dir, logKeys: false });
    const conf = join(dir, 'swanctl.conf');
    writeFileSync(
      conf,
      `connections {
  aws-tunnel {
    version = 2
    local_addrs = ${AWS_SIDE.outside}
    remote_addrs = %any
    proposals = ${o.ike}
    mobike = no
    local {
      auth = psk
      id = ${AWS_SIDE.outside}
    }
    remote {
      auth = psk
      id = ${AWS_SIDE.customerOutside}
    }
    children {
      vti {
        local_ts = 0.0.0.0/0
        remote_ts = 0.0.0.0/0
        esp_proposals = ${o.esp}
      }
    }
  }
}
secrets {
  ike-aws {
    id-1 = ${AWS_SIDE.outside}
    id-2 = ${AWS_SIDE.customerOutside}
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

/**
 * `verify`: load an on-prem config, pair its tunnels with their AWS side, run the stages per tunnel (static
 * checks, then the loopback ESP exchange; see `stages.ts`), and return the report.
 */
import type { VpnConnection } from '@aws-sdk/client-ec2';
import type { PcapWriter } from '../esp';
import { AwsSide, awsSidesFromDescribe, awsSidesFromRules, findAwsSide } from './aws-side';
import { VerifyInputError } from './errors';
import type { KeyResolver } from './key-resolver';
import { loadConfig, LoadedConfig } from './load-config';
import { LiveOptions, LiveStage } from './live/stage';
import type { OnPremTunnel } from './on-prem';
import { CheckResult, fail, summarise, TunnelReport, VERIFY_REPORT_FORMAT_VERSION, VerifyReport } from './report';
import { defaultStages, TunnelRun, VerifyStage } from './stages';
import { bgpChecks } from './bgp-checks';
import { loadRoutingConfig } from './load-routing';
import { orderedProgress } from './ordered-progress';

export interface VerifyOptions {
  /** `endpoint.json`, `endpoint.ts` or `swanctl.conf`. */
  readonly configPath: string;
  /** The tunnels' real AWS parameters; required for swanctl.conf. */
  readonly describe?: { readonly connection: VpnConnection; readonly file: string };
  /** Only this tunnel (1-based, in the config's order). */
  readonly tunnel?: number;
  /** Run the loopback ESP exchange. @default true */
  readonly dynamic?: boolean;
  /** Collects every datagram of the exchanges. */
  readonly pcap?: PcapWriter;
  /** Packets per direction in each exchange's throughput burst. @default 256 */
  readonly burstPackets?: number;
  /** Per exchange. @default 10000 */
  readonly timeoutMs?: number;
  /** An FRR frr.conf or BIRD bird.conf: adds BGP checks per tunnel. */
  readonly routingPath?: string;
  /** Progress lines (the CLI sends them to stderr). */
  readonly progress?: (line: string) => void;
  /**
   * Turns the config's key reference (Secrets Manager ARN, DescribeVpnConnections) into the key's bytes, so
   * the key itself is checked (and later used by the live stage). @default none: references are checked as such
   */
  readonly resolveKey?: KeyResolver;
  /** The stages run per tunnel, in order. @default `[static, loopback]`, or `[static]` with `dynamic: false` */
  readonly stages?: readonly VerifyStage[];
  /** Run the live stage (charon with the config against our engine as AWS, in network namespaces; root). */
  readonly live?: LiveOptions;
}

export const ASSUMPTIONS: readonly string[] = [
  "MTU limits assume NAT-T (ESP in UDP/4500): AWS's endpoint switches to it whenever it detects NAT, which the device cannot rule out.",
  'AWS chooses, of the combinations both sides accept, the lowest configured value per transform (encryption, then integrity, then DH group; IKE version likewise), in the order of its documented lists (lib/aws-rules.ts), whatever order the device proposes.',
  'The loopback exchange uses random test keys, not IKE-derived ones: it proves the ESP suites, framing and anti-replay, not the key exchange or the pre-shared key.',
];

/** Throws {@link VerifyInputError} for unusable input; check failures are in the report. */
export async function verifyConfig(options: VerifyOptions): Promise<VerifyReport> {
  const progress = options.progress ?? (() => undefined);
  const loaded = loadConfig(options.configPath);
  progress(`loaded ${options.configPath} (${loaded.format}, ${loaded.tunnels.length} tunnel(s))`);
  const awsSides = awsSidesFor(loaded, options);
  const selected = selectTunnels(loaded, options.tunnel);
  const routing = options.routingPath !== undefined ? loadRoutingConfig(options.routingPath) : undefined;

  const tunnels: TunnelReport[] = [];
  const live = options.live ? new LiveStage(loaded, options.live) : undefined;
  try {
    // In the config's order: a tunnel without an AWS side has its report already, the others a run.
    const slots: (TunnelReport | TunnelRun)[] = [];
    for (const onPrem of selected) {
      const aws = findAwsSide(awsSides, onPrem.remoteOutside);
      slots.push(aws ? await verifyTunnel(onPrem, aws, options, progress) : { name: onPrem.name, awsOutsideAddress: onPrem.remoteOutside, checks: [unmatched(onPrem, options)], exchanges: [] });
    }
    const runs = slots.filter((s): s is TunnelRun => 'onPrem' in s);
    if (live) await liveTunnels(live, runs, progress);
    for (const slot of slots) {
      if (!('onPrem' in slot)) {
        tunnels.push(slot);
        continue;
      }
      const report: TunnelReport = { name: slot.onPrem.name, awsOutsideAddress: slot.aws.tunnel.remote.outsideAddress, checks: slot.checks, exchanges: slot.exchanges };
      tunnels.push(routing ? { ...report, checks: [...report.checks, ...bgpChecks(routing, slot.aws, options.routingPath as string)] } : report);
    }
  } finally {
    live?.close();
  }
  if (options.tunnel === undefined) {
    for (const aws of awsSides.filter((s) => !selected.some((t) => findAwsSide([s], t.remoteOutside)))) {
      tunnels.push({ name: aws.tunnel.name, awsOutsideAddress: aws.tunnel.remote.outsideAddress, checks: [uncovered(aws, loaded)], exchanges: [] });
    }
  }
  return {
    formatVersion: VERIFY_REPORT_FORMAT_VERSION,
    config: options.configPath,
    configFormat: loaded.format,
    awsSide: options.describe ? 'describe' : 'aws-rules',
    assumptions: ASSUMPTIONS,
    tunnels,
    summary: summarise(tunnels),
  };
}

function awsSidesFor(loaded: LoadedConfig, options: VerifyOptions): AwsSide[] {
  if (options.describe) return awsSidesFromDescribe(options.describe.connection, options.describe.file);
  if (!loaded.endpointConfig) throw new VerifyInputError(`${options.configPath}: a swanctl.conf carries no AWS parameters; pass --describe FILE (the saved describe-vpn-connections output)`);
  return awsSidesFromRules(loaded.endpointConfig);
}

function selectTunnels(loaded: LoadedConfig, tunnel: number | undefined): readonly OnPremTunnel[] {
  if (tunnel === undefined) return loaded.tunnels;
  if (!Number.isInteger(tunnel) || tunnel < 1 || tunnel > loaded.tunnels.length) {
    throw new VerifyInputError(`--tunnel ${tunnel}: the config has tunnel(s) 1 to ${loaded.tunnels.length}`);
  }
  return [loaded.tunnels[tunnel - 1]];
}

function unmatched(onPrem: OnPremTunnel, options: VerifyOptions): CheckResult {
  const where = options.describe ? `the describe file ${options.describe.file}` : 'the config';
  return fail('aws-tunnel', 'static', `No AWS tunnel with outside address ${onPrem.remoteOutside} in ${where}`, `point ${onPrem.name} at one of the connection's AWS outside addresses`);
}

function uncovered(aws: AwsSide, loaded: LoadedConfig): CheckResult {
  const how = loaded.format === 'swanctl' ? `add a connection with remote_addrs = ${aws.tunnel.remote.outsideAddress}` : 'regenerate the config from this describe file';
  return fail('aws-tunnel', 'static', `AWS tunnel ${aws.tunnel.remote.outsideAddress} has no on-prem tunnel (AWS expects both tunnels up for redundancy)`, how);
}

/** Runs the stages in order over one shared record of the tunnel (the live stage comes after, for all tunnels). */
async function verifyTunnel(onPrem: OnPremTunnel, aws: AwsSide, options: VerifyOptions, progress: (line: string) => void): Promise<TunnelRun> {
  const run: TunnelRun = {
    onPrem,
    aws,
    settings: { describeGiven: options.describe !== undefined, resolveKey: options.resolveKey, pcap: options.pcap, burstPackets: options.burstPackets, timeoutMs: options.timeoutMs },
    label: `${onPrem.name} (AWS ${aws.tunnel.remote.outsideAddress})`,
    progress,
    checks: [],
    exchanges: [],
  };
  const stages = options.stages ?? defaultStages(options.dynamic !== false);
  for (const stage of stages) await stage.run(run);
  return run;
}

/**
 * The live stage of every tunnel at once: each has its own namespaces, charon and AWS endpoint, so they run
 * side by side (a tunnel's time is mostly waiting on IKE exchanges and pings). Its checks land in the
 * tunnel's record, after the earlier stages'; progress comes out in tunnel order, as if run one by one.
 */
async function liveTunnels(live: LiveStage, runs: readonly TunnelRun[], progress: (line: string) => void): Promise<void> {
  const ordered = orderedProgress(progress, runs.length);
  const settled = await Promise.allSettled(
    runs.map(async (run, i) => {
      try {
        run.checks.push(...(await live.tunnel(run.onPrem, run.aws, run.staticOutcome?.predicted ?? {}, ordered.line(i))));
      } finally {
        ordered.done(i);
      }
    }),
  );
  // Every tunnel has torn down by now; bad input (a tunnel without a key) is reported as the first tunnel's.
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
}

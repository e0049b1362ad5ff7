/**
 * `verify`: load an on-prem config, pair its tunnels with their AWS side, run the static checks and the
 * loopback ESP exchange per tunnel, and return the report.
 */
import type { VpnConnection } from '@aws-sdk/client-ec2';
import { MAX_TUNNEL_MTU } from '../aws-rules';
import { maxInnerMtu, PcapWriter } from '../esp';
import { parseIp } from '../net/address';
import { AwsSide, awsSidesFromDescribe, awsSidesFromRules, findAwsSide } from './aws-side';
import { VerifyInputError } from './errors';
import { loadConfig, LoadedConfig } from './load-config';
import { LiveOptions, LiveStage } from './live/stage';
import { exchangeProblems, INJECTED_DROPS, runLoopbackExchange } from './loopback-exchange';
import type { OnPremTunnel } from './on-prem';
import { CheckResult, ExchangeResult, fail, pass, skip, summarise, TunnelReport, VERIFY_REPORT_FORMAT_VERSION, VerifyReport } from './report';
import { staticChecks } from './static-checks';

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
  /** Progress lines (the CLI sends them to stderr). */
  readonly progress?: (line: string) => void;
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

  const tunnels: TunnelReport[] = [];
  const live = options.live ? new LiveStage(loaded, options.live) : undefined;
  try {
    for (const onPrem of selected) {
      const aws = findAwsSide(awsSides, onPrem.remoteOutside);
      if (!aws) {
        tunnels.push({ name: onPrem.name, awsOutsideAddress: onPrem.remoteOutside, checks: [unmatched(onPrem, options)], exchanges: [] });
        continue;
      }
      tunnels.push(await verifyTunnel(onPrem, aws, options, progress, live));
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

async function verifyTunnel(onPrem: OnPremTunnel, aws: AwsSide, options: VerifyOptions, progress: (line: string) => void, live?: LiveStage): Promise<TunnelReport> {
  const label = `${onPrem.name} (AWS ${aws.tunnel.remote.outsideAddress})`;
  progress(`${label}: static checks`);
  const outcome = staticChecks(onPrem, aws, { describeGiven: options.describe !== undefined });
  const checks: CheckResult[] = [...outcome.checks];
  const exchanges: ExchangeResult[] = [];
  if (options.dynamic === false) {
    // Nothing: the caller asked for static checks only.
  } else if (outcome.agreedEspSuites.length === 0) {
    checks.push(skip('esp-exchange', 'dynamic', 'ESP exchange: no ESP suite both sides accept'));
  } else {
    const endpoints = exchangeEndpoints(onPrem, aws);
    for (const suite of outcome.agreedEspSuites) {
      const mtu = Math.min(MAX_TUNNEL_MTU, maxInnerMtu(suite, { natT: true, outerIpVersion: parseIp(endpoints.aws.outside)?.version }));
      progress(`${label}: ESP exchange ${suite} on loopback`);
      const result = await runLoopbackExchange({ suite, mtu, ...endpoints, pcap: options.pcap, burstPackets: options.burstPackets, timeoutMs: options.timeoutMs });
      exchanges.push(result);
      checks.push(exchangeCheck(result, onPrem));
    }
  }
  if (live) checks.push(...(await live.tunnel(onPrem, aws, outcome.predicted, (line) => progress(line))));
  return { name: onPrem.name, awsOutsideAddress: aws.tunnel.remote.outsideAddress, checks, exchanges };
}

/** Inner addresses from the inside CIDRs (IPv4 when the tunnel has it), outer from the outside addresses. */
function exchangeEndpoints(onPrem: OnPremTunnel, aws: AwsSide) {
  const t = aws.tunnel;
  const v4 = (onPrem.localInside ?? t.local.insideCidr) !== undefined && t.remote.insideCidr !== undefined;
  const host = (cidr: string | undefined) => (cidr ?? '').split('/')[0];
  const replay = (w: number | undefined) => (w === undefined ? 32 : w === 0 ? 0 : Math.max(32, w));
  return {
    onPrem: {
      outside: onPrem.localOutside ?? t.local.outsideAddress,
      inside: host(v4 ? (onPrem.localInside ?? t.local.insideCidr) : (onPrem.localInsideIpv6 ?? t.local.insideIpv6Cidr)),
      replayWindow: replay(onPrem.replayWindow),
    },
    aws: {
      outside: t.remote.outsideAddress,
      inside: host(v4 ? t.remote.insideCidr : t.remote.insideIpv6Cidr),
      replayWindow: replay(t.esp.replayWindow),
    },
  };
}

function exchangeCheck(r: ExchangeResult, onPrem: OnPremTunnel): CheckResult {
  const id = `esp-exchange-${r.suite}`;
  const direction = (name: string, d: ExchangeResult['onPremToAws']) =>
    `${name}: sent ${d.sent}, delivered ${d.delivered}, dropped ${Object.entries(d.dropped).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}${d.lost ? `, lost ${d.lost}` : ''}`;
  const details = [
    direction('on-prem → AWS', r.onPremToAws),
    direction('AWS → on-prem', r.awsToOnPrem),
    `ICMP echo: ${r.echo.replies}/${r.echo.requests} correct replies; NAT-T keepalives ${r.natT.keepalivesRecognised}/${r.natT.keepalivesSent}, non-ESP marker ${r.natT.nonEspRecognised}/${r.natT.nonEspSent} recognised`,
    `throughput (loopback, both directions): ${r.throughput.packetsPerSecond} packets/s, ${r.throughput.megabitsPerSecond} Mbit/s`,
  ];
  const problems = exchangeProblems(r);
  const injected = Object.keys(INJECTED_DROPS).join(' and ');
  if (problems.length > 0) {
    return fail(id, 'dynamic', `ESP exchange ${r.suite} (64-${r.mtu} bytes): ${problems[0]}`, `remove ${r.suite} from ${onPrem.field.espProposals} until this is fixed, and report it: the ESP engine, not the config, failed`, [...problems, ...details]);
  }
  return pass(id, 'dynamic', `ESP exchange ${r.suite} (64-${r.mtu} bytes, ICMP + UDP both ways): all delivered; injected ${injected} dropped`, details);
}

/**
 * `verify` per tunnel is a list of stages run in order over one shared record: `static` (the checks against
 * AWS's rules and the tunnel's AWS side, and the key), then `loopback` (an ESP exchange per agreed suite).
 * A `live` stage (IKE against the peer) slots in after them without changing either.
 */
import { MAX_TUNNEL_MTU } from '../aws-rules';
import { maxInnerMtu, PcapWriter } from '../esp';
import { parseIp } from '../net/address';
import type { AwsSide } from './aws-side';
import { insideAddresses } from './inside-addresses';
import { KeyResolver, resolveKeyCheck } from './key-resolver';
import { exchangeProblems, INJECTED_DROPS, runLoopbackExchange } from './loopback-exchange';
import type { OnPremTunnel } from './on-prem';
import { CheckResult, ExchangeResult, fail, pass, skip } from './report';
import { StaticOutcome, staticChecks } from './static-checks';

/** What the stages of one tunnel share. Each stage reads what earlier ones left and adds its results. */
export interface TunnelRun {
  readonly onPrem: OnPremTunnel;
  readonly aws: AwsSide;
  readonly settings: StageSettings;
  readonly label: string;
  readonly progress: (line: string) => void;
  readonly checks: CheckResult[];
  readonly exchanges: ExchangeResult[];
  /** Set by the static stage: the suites both sides accept, and AWS's choice. */
  staticOutcome?: StaticOutcome;
  /** The pre-shared key's bytes, when the key resolver gave them. A secret: never print it. */
  preSharedKey?: Buffer;
}

/** The options the stages read (a subset of `VerifyOptions`). */
export interface StageSettings {
  readonly describeGiven: boolean;
  readonly resolveKey?: KeyResolver;
  readonly pcap?: PcapWriter;
  readonly burstPackets?: number;
  readonly timeoutMs?: number;
}

export interface VerifyStage {
  readonly name: string;
  run(tunnel: TunnelRun): Promise<void>;
}

export const staticStage: VerifyStage = {
  name: 'static',
  async run(t) {
    t.progress(`${t.label}: static checks`);
    const outcome = staticChecks(t.onPrem, t.aws, { describeGiven: t.settings.describeGiven });
    t.staticOutcome = outcome;
    t.checks.push(...outcome.checks);
    if (t.settings.resolveKey) {
      const resolved = await resolveKeyCheck(t.onPrem, t.aws, t.settings.resolveKey);
      if (resolved) {
        t.checks.push(resolved.check);
        t.preSharedKey = resolved.key;
      }
    }
  },
};

export const loopbackStage: VerifyStage = {
  name: 'loopback',
  async run(t) {
    const suites = t.staticOutcome?.agreedEspSuites ?? [];
    if (suites.length === 0) {
      t.checks.push(skip('esp-exchange', 'dynamic', 'ESP exchange: no ESP suite both sides accept'));
      return;
    }
    const endpoints = exchangeEndpoints(t.onPrem, t.aws);
    for (const suite of suites) {
      const mtu = Math.min(MAX_TUNNEL_MTU, maxInnerMtu(suite, { natT: true, outerIpVersion: parseIp(endpoints.aws.outside)?.version }));
      t.progress(`${t.label}: ESP exchange ${suite} on loopback`);
      const result = await runLoopbackExchange({ suite, mtu, ...endpoints, pcap: t.settings.pcap, burstPackets: t.settings.burstPackets, timeoutMs: t.settings.timeoutMs });
      t.exchanges.push(result);
      t.checks.push(exchangeCheck(result, t.onPrem));
    }
  },
};

/** `[static, loopback]`, or `[static]` when the caller asked for static checks only. */
export function defaultStages(dynamic: boolean): readonly VerifyStage[] {
  return dynamic ? [staticStage, loopbackStage] : [staticStage];
}

/** Inner addresses from the inside CIDRs (IPv4 when the tunnel has it), outer from the outside addresses. */
function exchangeEndpoints(onPrem: OnPremTunnel, aws: AwsSide) {
  const t = aws.tunnel;
  const inside = insideAddresses(onPrem, t);
  const replay = (w: number | undefined) => (w === undefined ? 32 : w === 0 ? 0 : Math.max(32, w));
  return {
    onPrem: {
      outside: onPrem.localOutside ?? t.local.outsideAddress,
      inside: inside.onPrem ?? '',
      replayWindow: replay(onPrem.replayWindow),
    },
    aws: {
      outside: t.remote.outsideAddress,
      inside: inside.aws ?? '',
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

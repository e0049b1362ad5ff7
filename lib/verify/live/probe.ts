/**
 * `probe`: a user-space customer gateway. From CONFIG's tunnel it initiates IKEv2 to AWS's outside address
 * on unprivileged ports (NAT-T forced: UDP 4500 encapsulation, which AWS supports), brings the CHILD_SA up
 * with the config's traffic selectors (accepting AWS's narrowing), pings through the tunnel from the
 * tunnel's inside address, reports and deletes its SAs. No root, no namespaces: a real network path.
 */
import { parseProposal } from '../../algorithms/proposal';
import type { AwsSide } from '../aws-side';
import { findAwsSide } from '../aws-side';
import { VerifyInputError } from '../errors';
import { insideAddresses } from '../inside-addresses';
import type { OnPremTunnel } from '../on-prem';
import type { KeyResolver } from '../key-resolver';
import { parseIp } from '../../net/address';
import { resolvedKey } from './stage';
import { PingResult, TunnelEndpoint } from './tunnel-endpoint';

/** Bumped on any incompatible change to {@link ProbeReport}. */
export const PROBE_REPORT_FORMAT_VERSION = 1;

export interface ProbeTunnelReport {
  readonly name: string;
  readonly awsOutsideAddress: string;
  readonly ok: boolean;
  readonly ike: { readonly established: boolean; readonly proposal?: string; readonly natT?: boolean };
  readonly child: { readonly established: boolean; readonly proposal?: string };
  readonly ping: PingResult;
  /** Why it failed: the RFC notify (e.g. AUTHENTICATION_FAILED) or the timeout. */
  readonly error?: string;
}

export interface ProbeReport {
  readonly formatVersion: typeof PROBE_REPORT_FORMAT_VERSION;
  readonly ok: boolean;
  readonly tunnels: readonly ProbeTunnelReport[];
}

export interface ProbeOptions {
  readonly tunnels: readonly OnPremTunnel[];
  /** AWS's side from --describe (inside addresses, keys), when given. */
  readonly awsSides?: readonly AwsSide[];
  /** 1-based, or every tunnel. */
  readonly tunnel: number | 'all';
  /** The key of the one tunnel chosen (--psk-file). */
  readonly psk?: string;
  readonly resolveKey?: KeyResolver;
  /** Bind here (the local outside address). @default 0.0.0.0 */
  readonly localAddress?: string;
  /** Ping this address through the tunnel. @default AWS's inside address of the tunnel */
  readonly ping?: string;
  /** @default 3 */
  readonly count?: number;
  /** Per tunnel, for the SAs to come up and for each ping reply. @default 10 */
  readonly timeoutSeconds?: number;
  readonly progress?: (line: string) => void;
}

interface Plan {
  readonly onPrem: OnPremTunnel;
  readonly aws?: AwsSide;
  readonly psk: string;
  readonly inside: string;
  readonly ping: string;
}

/** Throws {@link VerifyInputError} for unusable input before any packet is sent. */
export async function probe(o: ProbeOptions): Promise<ProbeReport> {
  const plans = await planTunnels(o);
  const tunnels: ProbeTunnelReport[] = [];
  for (const plan of plans) tunnels.push(await probeTunnel(plan, o));
  return { formatVersion: PROBE_REPORT_FORMAT_VERSION, ok: tunnels.every((t) => t.ok), tunnels };
}

async function planTunnels(o: ProbeOptions): Promise<Plan[]> {
  if (o.tunnel !== 'all' && (!Number.isInteger(o.tunnel) || o.tunnel < 1 || o.tunnel > o.tunnels.length)) {
    throw new VerifyInputError(`--tunnel ${o.tunnel}: the config has tunnel(s) 1 to ${o.tunnels.length}`);
  }
  if (o.psk !== undefined && o.tunnel === 'all' && o.tunnels.length > 1) throw new VerifyInputError('--psk-file holds the key of one tunnel: choose it with --tunnel 1 or --tunnel 2');
  if (o.count !== undefined && (!Number.isInteger(o.count) || o.count < 1)) throw new VerifyInputError(`--count ${o.count}: expected a whole number of pings, 1 or more`);
  if (o.timeoutSeconds !== undefined && !(o.timeoutSeconds > 0)) throw new VerifyInputError(`--timeout ${o.timeoutSeconds}: expected seconds above 0`);
  const chosen = o.tunnel === 'all' ? o.tunnels : [o.tunnels[o.tunnel - 1]];
  const plans: Plan[] = [];
  for (const onPrem of chosen) {
    const aws = o.awsSides ? findAwsSide(o.awsSides, onPrem.remoteOutside) : undefined;
    const addresses = insideAddresses(onPrem, aws?.tunnel, 'config');
    const inside = addresses.onPrem;
    const ping = o.ping ?? addresses.aws;
    if (!inside) throw new VerifyInputError(`${onPrem.name}: the tunnel's local inside address is unknown; pass --describe FILE`);
    if (!ping) throw new VerifyInputError(`${onPrem.name}: AWS's inside address is unknown; pass --ping ADDR or --describe FILE`);
    const [insideIp, pingIp] = [parseIp(inside), parseIp(ping)];
    if (!pingIp) throw new VerifyInputError(`--ping ${ping}: not an IP address`);
    if (insideIp?.version !== pingIp.version) throw new VerifyInputError(`--ping ${ping}: an IPv${pingIp.version} address, but ${onPrem.name}'s inside address ${inside} is IPv${insideIp?.version ?? '?'}; ping an address of the tunnel's inside IP version`);
    const awsKey = aws?.tunnel.preSharedKey;
    const describeKey = awsKey && 'value' in awsKey ? awsKey.value : undefined;
    const inline = onPrem.preSharedKey.kind === 'inline' ? onPrem.preSharedKey.value : undefined;
    const psk = o.psk ?? inline ?? describeKey ?? (await resolvedKey(onPrem, o.resolveKey));
    if (!psk) throw new VerifyInputError(`${onPrem.name}: no pre-shared key: the config holds none; pass --psk-file FILE (with --tunnel) or --describe FILE`);
    for (const p of [...onPrem.ikeProposals, ...onPrem.espProposals]) {
      if (p.unknown.length > 0) throw new VerifyInputError(`${onPrem.name}: proposal ${p.text}: unknown algorithm(s) ${p.unknown.join(', ')}`);
    }
    plans.push({ onPrem, aws, psk, inside, ping });
  }
  return plans;
}

async function probeTunnel(plan: Plan, o: ProbeOptions): Promise<ProbeTunnelReport> {
  const { onPrem } = plan;
  const say = (line: string) => o.progress?.(`${onPrem.name} (AWS ${onPrem.remoteOutside}): ${line}`);
  const timeoutMs = (o.timeoutSeconds ?? 10) * 1000;
  const count = o.count ?? 3;
  const customerId = onPrem.localOutside ?? plan.aws?.tunnel.local.outsideAddress;
  const base = { name: onPrem.name, awsOutsideAddress: onPrem.remoteOutside };
  const noPing: PingResult = { sent: 0, received: 0, rttMs: [] };
  // Without selectors in the config: all traffic of the inside addresses' IP version, as AWS's default.
  const anyAddress = plan.inside.includes(':') ? '::/0' : '0.0.0.0/0';
  if (!customerId) throw new VerifyInputError(`${onPrem.name}: the customer gateway's address (its IKE identity) is unknown; pass --describe FILE`);
  const endpoint = await TunnelEndpoint.open({
    ikePort: 0,
    natPort: 0,
    insideAddress: plan.inside,
    ike: {
      role: 'initiator',
      localAddress: o.localAddress ?? '0.0.0.0',
      remoteAddress: onPrem.remoteOutside,
      localId: customerId,
      remoteId: onPrem.remoteOutside,
      psk: Buffer.from(plan.psk, 'utf8'),
      ikeProposals: onPrem.ikeProposals.map((p) => parseProposal(p.text, 'ike')),
      espProposals: onPrem.espProposals.map((p) => parseProposal(p.text, 'esp')),
      localTs: [...(onPrem.trafficSelectors?.local ?? [anyAddress])],
      remoteTs: [...(onPrem.trafficSelectors?.remote ?? [anyAddress])],
      forceEncapsulation: true,
      retransmit: { timeoutMs: Math.min(2000, timeoutMs / 3), backoff: 1.8, tries: 3 },
    },
  });
  try {
    say(`IKE_SA_INIT to ${onPrem.remoteOutside}:500 from UDP port ${endpoint.ports.ikePort} (NAT-T via ${endpoint.ports.natPort}), identity ${customerId}`);
    endpoint.start();
    const ike = await endpoint.waitFor((e) => e.type === 'ike-up' || e.type === 'failed', timeoutMs, 0);
    if (ike?.type !== 'ike-up') {
      const error = failureText(ike, `timeout: no IKE SA within ${timeoutMs / 1000}s (no answer from ${onPrem.remoteOutside})`);
      say(`failed: ${error}`);
      return { ...base, ok: false, ike: { established: false }, child: { established: false }, ping: noPing, error };
    }
    say(`IKE SA up: ${ike.proposal}${ike.natT ? ', NAT-T' : ''}`);
    const ikeReport = { established: true, proposal: ike.proposal, natT: ike.natT };
    const child = await endpoint.waitFor((e) => e.type === 'child-up' || e.type === 'failed', timeoutMs, 0);
    if (child?.type !== 'child-up') {
      const error = failureText(child, `timeout: no CHILD_SA within ${timeoutMs / 1000}s`);
      say(`failed: ${error}`);
      return { ...base, ok: false, ike: ikeReport, child: { established: false }, ping: noPing, error };
    }
    say(`CHILD_SA up: ${child.child.proposal}, ${child.child.localTsText.join(',')} === ${child.child.remoteTsText.join(',')}`);
    say(`ping ${plan.ping} from ${plan.inside} through the tunnel, ${count} time(s)`);
    const ping = await endpoint.ping(plan.ping, count, timeoutMs);
    say(`${ping.received}/${ping.sent} answered${ping.rttMs.length ? ` (rtt ms ${ping.rttMs.join(', ')})` : ''}`);
    const ok = ping.received === ping.sent;
    return { ...base, ok, ike: ikeReport, child: { established: true, proposal: child.child.proposal }, ping, ...(ok ? {} : { error: `timeout: ${ping.sent - ping.received} of ${ping.sent} echo request(s) to ${plan.ping} unanswered within ${timeoutMs / 1000}s` }) };
  } finally {
    say('deleting the SAs');
    await endpoint.delete(2000);
    endpoint.close();
  }
}

function failureText(e: Parameters<Parameters<TunnelEndpoint['waitFor']>[0]>[0] | undefined, timeout: string): string {
  if (e?.type === 'failed') return `${e.notify ?? 'failed'}: ${e.detail} (${e.exchange})`;
  return timeout;
}

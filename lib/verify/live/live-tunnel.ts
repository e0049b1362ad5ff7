/**
 * The live stage of one tunnel: charon with the on-prem config in one namespace, our engine as AWS's endpoint
 * in the other; the IKE SA and CHILD_SA come up as the startup action says, pings go both ways, both SAs
 * are rekeyed from both sides with traffic after each, the on-prem side goes silent for DPD, and the
 * negotiated proposals are compared with the static prediction. Everything is torn down whatever happens.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'fs';
import { join } from 'path';
import type { AwsSide } from '../aws-side';
import type { OnPremTunnel } from '../on-prem';
import { CheckResult, fail, pass, skip } from '../report';
import { awsPeerConfig } from './aws-policy';
import { Charon, startCharon, stopCharon, swanctl } from './charon';
import { run } from './exec';
import { createLiveNetwork, deleteLiveNetwork, LiveNetwork } from './network';
import { PeerProcess } from './peer-process';
import type { PrintedEvent } from './peer-protocol';
import { sameCidrSet } from '../connection-checks';
import { explainFailure } from './failure';
import { PingAddresses, pingAddresses } from './ping-addresses';
import { insideAddresses } from '../inside-addresses';

export interface LiveTunnelInput {
  readonly onPrem: OnPremTunnel;
  readonly aws: AwsSide;
  /** charon's swanctl.conf: the config as is (or rendered), keys appended when they were not in it. */
  readonly swanctlConf: string;
  /** `updown` lines taken out of the config before loading (see site-hooks.ts), named in the report. */
  readonly hooksLeftOut?: readonly string[];
  /** AWS's key for the tunnel. */
  readonly awsKey: string;
  /** What the static checks said AWS will choose (strongSwan proposal text). */
  readonly predicted: { readonly ike?: string; readonly esp?: string };
  readonly workDir: string;
  readonly bundle: string;
  /** Run the DPD check (the on-prem side silent for AWS's DPD timeout). @default true */
  readonly dpd?: boolean;
  readonly progress: (line: string) => void;
}

const UP_TIMEOUT_MS = 20_000;
const REKEY_TIMEOUT_MS = 15_000;
const PING_INTERVAL_MS = 50;
/** How long the DPD check watches after AWS's timeout: a restart or a late answer shows within a second. */
const DPD_GRACE_SECONDS = 4;

export async function liveTunnel(input: LiveTunnelInput): Promise<CheckResult[]> {
  const t = input.aws.tunnel;
  const onPremOutside = input.onPrem.localOutside ?? t.local.outsideAddress;
  const { onPrem: onPremInside, aws: awsInside } = insideAddresses(input.onPrem, t);
  if (!input.onPrem.ikeVersions.includes('ikev2') || !t.ike.versions.includes('ikev2')) {
    return [skip('live-setup', 'live', `Live stage: the tunnel runs IKEv1 (on-prem ${input.onPrem.ikeVersions.join(', ')}, AWS ${t.ike.versions.join(', ')}); the live stage speaks IKEv2 only`)];
  }
  const ping = pingAddresses({ onPrem: onPremInside, aws: awsInside }, input.aws.trafficSelectors);
  if (!ping) {
    const found = `on-prem ${onPremInside ?? 'none'}, AWS ${awsInside ?? 'none'}`;
    return [fail('live-setup', 'live', `Live stage: the tunnel has no pair of inside addresses of one IP version inside its traffic selectors (${found})`, 'give the tunnel an IPv4 or IPv6 inside CIDR (TunnelInsideCidr / TunnelInsideIpv6Cidr): the live stage pings between the inside addresses')];
  }
  mkdirSync(input.workDir, { recursive: true, mode: 0o700 });
  let net: LiveNetwork | undefined;
  let charon: Charon | undefined;
  let peer: PeerProcess | undefined;
  try {
    net = await createLiveNetwork({ onPremOutside, awsOutside: t.remote.outsideAddress, onPremInside: ping.onPrem });
    charon = await startCharon({ ns: net.onPremNs, dir: join(input.workDir, 'charon'), logKeys: false });
    const policy = awsPeerConfig({ tunnel: t, trafficSelectors: input.aws.trafficSelectors, insideAddress: ping.aws, customerOutside: onPremOutside, psk: input.awsKey });
    peer = await PeerProcess.start(input.bundle, net.awsNs, policy, join(input.workDir, 'aws.json'));
    const session = new LiveSession(input, charon, peer, net, ping);
    return await session.run();
  } catch (e) {
    return [fail('live-setup', 'live', `Live stage could not run: ${(e as Error).message.split('\n')[0]}`, 'check that strongSwan (charon, swanctl) and iproute2 work on this host')];
  } finally {
    await peer?.stop(2000);
    if (charon) await stopCharon(charon, { signal: 'SIGKILL' });
    if (net) await deleteLiveNetwork(net);
  }
}

class LiveSession {
  private readonly checks: CheckResult[] = [];
  private readonly label: string;
  /** How reports name the pings: `ping6` (ICMPv6 echo) over an IPv6 tunnel. */
  private readonly pingWord: 'pings' | 'ping6';
  /** Proposals from exchanges AWS answered (so AWS chose them): what the static prediction is about. */
  private readonly awsChose: { ike?: string; esp?: string } = {};

  constructor(
    private readonly input: LiveTunnelInput,
    private readonly charon: Charon,
    private readonly peer: PeerProcess,
    private readonly net: LiveNetwork,
    private readonly inside: PingAddresses,
  ) {
    this.label = `${input.onPrem.name} (AWS ${input.aws.tunnel.remote.outsideAddress})`;
    this.pingWord = inside.version === 6 ? 'ping6' : 'pings';
  }

  async run(): Promise<CheckResult[]> {
    if (!(await this.load())) return this.checks;
    const up = await this.bringUp();
    if (!up) return this.checks;
    const pingOk = await this.pingCheck();
    await this.rekeyChecks();
    this.predictionCheck();
    if (this.input.dpd !== false && pingOk) await this.dpdCheck();
    return this.checks;
  }

  private charonLog(): string {
    return existsSync(this.charon.logPath) ? readFileSync(this.charon.logPath, 'utf8') : '';
  }

  private async load(): Promise<boolean> {
    const file = join(this.charon.dir, 'swanctl.conf');
    writeFileSync(file, this.input.swanctlConf, { mode: 0o600 });
    this.input.progress(`${this.label}: live: charon loads the config`);
    const r = await swanctl(this.charon, ['--load-all', '--noprompt', '--file', file]);
    if (r.exitCode === 0) return true;
    const why = (r.stdout + r.stderr).split('\n').find((l) => /fail|error|invalid/i.test(l)) ?? `exit ${r.exitCode}`;
    this.checks.push(fail('live-load', 'live', `strongSwan refused the config: ${why.trim()}`, 'fix the config so `swanctl --load-all` loads it'));
    return false;
  }

  private async bringUp(): Promise<{ ike: string; child: string } | undefined> {
    const awsStarts = this.input.aws.tunnel.startupAction === 'start';
    this.input.progress(`${this.label}: live: ${awsStarts ? 'AWS initiates (startup action start)' : 'the on-prem side initiates (startup action add)'}`);
    const initiator = awsStarts ? 'AWS initiated (startup action start)' : 'the on-prem side initiated';
    const details = (this.input.hooksLeftOut ?? []).map((h) => `not run here: ${h} (the live stage leaves the host's routes and tunnel state alone)`);
    if (awsStarts) this.peer.send({ cmd: 'start' });
    else if (!this.input.onPrem.initiates) {
      details.push(`the config does not initiate (${this.input.onPrem.field.startAction}); started with swanctl --initiate`);
      await this.initiateFromCharon();
    }
    const ike = await this.peer.waitForEvent(['ike-up', 'failed'], UP_TIMEOUT_MS);
    if (ike?.type !== 'ike-up') {
      this.checks.push(this.upFailure('live-ike-sa', 'IKE SA', ike, details));
      return undefined;
    }
    if (!awsStarts) this.awsChose.ike = ike.proposal as string;
    this.checks.push(pass('live-ike-sa', 'live', `IKE SA up: ${ike.proposal} (${initiator}${ike.natT ? ', NAT-T on UDP 4500' : ''})`, details));
    const child = await this.peer.waitForEvent(['child-up', 'failed'], UP_TIMEOUT_MS);
    if (child?.type !== 'child-up') {
      this.checks.push(this.upFailure('live-child-sa', 'CHILD_SA', child, []));
      return undefined;
    }
    this.checks.push(this.childCheck(child));
    return { ike: ike.proposal as string, child: child.proposal as string };
  }

  /**
   * The CHILD_SA's selectors are AWS's (it narrows a wider proposal to them, as responder, and proposes
   * exactly them as initiator); a config that offered others gets a warning saying which traffic is lost.
   */
  private childCheck(child: PrintedEvent): CheckResult {
    const onPremSide = child.remoteTs as string[];
    const awsSide = child.localTs as string[];
    const summary = `CHILD_SA up: ${child.proposal}, traffic selectors on-prem ${onPremSide.join(',')} === ${awsSide.join(',')} AWS`;
    const offered = this.input.onPrem.trafficSelectors;
    const details = this.inside.fromSelectors ? [`${this.pingWord} between ${this.inside.onPrem} and ${this.inside.aws}: the selectors do not carry the tunnel's inside addresses`] : [];
    if (!offered || [...offered.local, ...offered.remote].includes('dynamic') || (sameCidrSet(offered.local, onPremSide) && sameCidrSet(offered.remote, awsSide))) return pass('live-child-sa', 'live', summary, details);
    return {
      id: 'live-child-sa',
      stage: 'live',
      status: 'warn',
      summary: `${summary}: narrowed from the config's ${offered.local.join(',')} === ${offered.remote.join(',')} to AWS's selectors`,
      fix: `set ${offered.field}.local_ts = ${onPremSide.join(',')} and ${offered.field}.remote_ts = ${awsSide.join(',')}: AWS carries only that traffic`,
      details,
    };
  }

  private async initiateFromCharon(): Promise<void> {
    const conns = (await swanctl(this.charon, ['--list-conns'])).stdout;
    const child = childNameFor(conns, this.input.aws.tunnel.remote.outsideAddress);
    if (child) void swanctl(this.charon, ['--initiate', '--child', child, '--timeout', '15'], { timeoutMs: 20_000 });
  }

  private upFailure(id: string, what: string, event: PrintedEvent | undefined, details: string[]): CheckResult {
    const f = explainFailure(event, this.charonLog(), this.input.onPrem, this.input.aws);
    return fail(id, 'live', `${what} did not come up: ${f.reason}`, f.fix, [...details, ...f.details]);
  }

  /**
   * On-prem -> AWS with the kernel's ping through charon's tunnel and AWS -> on-prem from our engine, both at
   * once (each side tells its own echoes from the other's by ICMP id), 50 ms apart: the stage runs as root.
   */
  private async pings(): Promise<{ fromOnPrem: number; fromAws: number; rtt: readonly number[]; ok: boolean }> {
    const count = 3;
    const { onPrem: onPremInside, aws: awsInside } = this.inside;
    const [r, back] = await Promise.all([
      run('ip', ['netns', 'exec', this.net.onPremNs, 'ping', `-${this.inside.version}`, '-n', '-q', '-c', String(count), '-i', String(PING_INTERVAL_MS / 1000), '-W', '2', '-I', onPremInside, awsInside], { timeoutMs: 15_000 }),
      this.peer.ping(onPremInside, count, 2000, PING_INTERVAL_MS),
    ]);
    const fromOnPrem = Number(/(\d+) received/.exec(r.stdout)?.[1] ?? 0);
    return { fromOnPrem, fromAws: back.received, rtt: back.rttMs, ok: fromOnPrem === count && back.received === count };
  }

  private async pingCheck(): Promise<boolean> {
    this.input.progress(`${this.label}: live: ${this.pingWord} both ways`);
    const p = await this.pings();
    const { onPrem: onPremInside, aws: awsInside } = this.inside;
    const text = `on-prem ${onPremInside} → AWS ${awsInside}: ${p.fromOnPrem}/3 answered; AWS → on-prem: ${p.fromAws}/3 answered`;
    const what = this.inside.version === 6 ? 'Ping6 (ICMPv6 echo) through the tunnel' : 'Ping through the tunnel';
    if (p.ok) this.checks.push(pass('live-ping', 'live', `${what}: ${text}`, [`AWS → on-prem round trips (ms): ${p.rtt.join(', ')}`]));
    else this.checks.push(fail('live-ping', 'live', `${what}: ${text}`, 'the SAs are up but traffic does not pass: check the traffic selectors and the routes into the tunnel', traceTail(this.charonLog())));
    return p.ok;
  }

  /** CHILD_SA and IKE SA, rekeyed by AWS and then by the on-prem side, each followed by pings. */
  private async rekeyChecks(): Promise<void> {
    let childProposal: string | undefined;
    for (const what of ['child', 'ike'] as const) {
      const id = `live-rekey-${what}`;
      const name = what === 'child' ? 'CHILD_SA' : 'IKE SA';
      const lines: string[] = [];
      let failure: CheckResult | undefined;
      for (const by of ['AWS', 'on-prem'] as const) {
        this.input.progress(`${this.label}: live: ${by} rekeys the ${name}`);
        const since = this.peer.lines.length;
        if (by === 'AWS') this.peer.send({ cmd: what === 'child' ? 'rekey-child' : 'rekey-ike' });
        else await this.rekeyFromCharon(what);
        const e = await this.peer.waitForEvent(['rekeyed', 'failed', 'deleted'], REKEY_TIMEOUT_MS, since);
        if (e?.type !== 'rekeyed' || e.what !== what) {
          const f = explainFailure(e, this.charonLog(), this.input.onPrem, this.input.aws, what === 'child' ? 'rekey-child' : 'rekey-ike');
          failure = fail(id, 'live', `${name} rekey started by ${by} failed: ${f.reason}`, f.fix, [...lines, ...f.details]);
          break;
        }
        if (what === 'child') childProposal = e.proposal as string;
        if (by === 'on-prem') this.awsChose[what === 'child' ? 'esp' : 'ike'] = e.proposal as string;
        await this.settle(what);
        const p = await this.pings();
        lines.push(`started by ${by}: ${e.proposal ?? 'rekeyed'}; then ${this.pingWord} ${p.fromOnPrem}/3 on-prem → AWS, ${p.fromAws}/3 AWS → on-prem`);
        if (!p.ok) {
          failure = fail(id, 'live', `${name} rekey started by ${by}: traffic stopped afterwards`, 'both sides must switch to the new SA: check the on-prem device rekeys in place (make-before-break)', lines);
          break;
        }
      }
      this.checks.push(failure ?? pass(id, 'live', `${name} rekeyed by AWS and by the on-prem side, traffic continued${what === 'child' ? ` (PFS: ${childProposal})` : ''}`, lines));
      if (failure) break;
    }
  }

  /** `swanctl --rekey` of charon's installed CHILD_SA or established IKE SA, by its unique id. */
  private async rekeyFromCharon(what: 'child' | 'ike'): Promise<void> {
    const sas = (await swanctl(this.charon, ['--list-sas'])).stdout;
    const id = (what === 'child' ? /^ {2}\S+: #(\d+), reqid \d+, INSTALLED/m : /^\S+: #(\d+), ESTABLISHED/m).exec(sas)?.[1];
    if (id) await swanctl(this.charon, ['--rekey', what === 'child' ? '--child-id' : '--ike-id', id]);
  }

  /** Waits until charon lists one SA of the kind again (the old one deleted), so pings test the new one. */
  private async settle(what: 'child' | 'ike'): Promise<void> {
    const pattern = what === 'child' ? /INSTALLED/g : /ESTABLISHED/g;
    for (let i = 0; i < 40; i++) {
      const sas = (await swanctl(this.charon, ['--list-sas'])).stdout;
      if ((sas.match(pattern)?.length ?? 0) <= 1) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * The on-prem side stops answering (charon frozen) until AWS's DPD timeout has passed, then answers again;
   * what AWS's endpoint did must be what its DPD action says: `clear` deleted the SAs and stays down (no
   * IKE_SA_INIT, no traffic), `restart` re-initiated (a new IKE SA and CHILD_SA AWS started, traffic again),
   * `none` kept the SA (the probe answered late, traffic on the same CHILD_SA).
   */
  private async dpdCheck(): Promise<void> {
    const dpd = this.input.aws.tunnel.dpd;
    this.input.progress(`${this.label}: live: the on-prem side goes silent; AWS's DPD (timeout ${dpd.timeoutSeconds}s, action ${dpd.action})`);
    const since = this.peer.lines.length;
    const started = Date.now();
    const seconds = () => Math.round((Date.now() - started) / 100) / 10;
    let frozen = true;
    process.kill(this.charon.pid, 'SIGSTOP');
    const resume = () => {
      if (frozen) process.kill(this.charon.pid, 'SIGCONT');
      frozen = false;
    };
    try {
      this.peer.send({ cmd: 'dpd' });
      const deadline = (dpd.timeoutSeconds + dpd.intervalSeconds + 15) * 1000;
      if (dpd.action === 'none') {
        const deleted = await this.peer.waitForEvent(['deleted'], (dpd.timeoutSeconds + DPD_GRACE_SECONDS) * 1000, since);
        if (deleted) return void this.checks.push(this.dpdFail(`AWS deleted the SA after ${seconds()}s (${String(deleted.reason)}) although its DPD action is none`));
        const silent = seconds();
        resume();
        this.input.progress(`${this.label}: live: the on-prem side answers again after ${silent}s`);
        const alive = await this.peer.waitForEvent(['peer-alive', 'deleted'], DPD_GRACE_SECONDS * 1000, since);
        const p = await this.pings();
        const renewed = this.peer.events().slice(this.eventIndex(since)).filter((e) => e.type === 'ike-up' || e.type === 'child-up');
        const lines = [`on-prem silent for ${silent}s (timeout ${dpd.timeoutSeconds}s); AWS's probe answered afterwards: ${alive?.type === 'peer-alive' ? 'yes' : 'no'}`, `then ${this.pingWord} ${p.fromOnPrem}/3 on-prem → AWS, ${p.fromAws}/3 AWS → on-prem`];
        if (alive?.type !== 'peer-alive' || !p.ok || renewed.length > 0) return void this.checks.push(this.dpdFail('AWS did not keep the SA through the DPD timeout (DPD action none)', lines));
        return void this.checks.push(pass('live-dpd', 'live', `DPD: on-prem silent for ${silent}s (timeout ${dpd.timeoutSeconds}s), AWS kept the SA (DPD action none): traffic passed again on the same CHILD_SA`, lines));
      }
      const deleted = await this.peer.waitForEvent(['deleted'], deadline, since);
      const after = seconds();
      if (deleted?.reason !== 'dpd-timeout') return void this.checks.push(this.dpdFail(`AWS did not declare the silent on-prem side dead within ${dpd.timeoutSeconds}s`));
      const marker = this.peer.lines.length;
      resume();
      this.input.progress(`${this.label}: live: AWS declared the on-prem side dead after ${after}s; it answers again`);
      if (dpd.action === 'restart') {
        const ike = await this.peer.waitForEvent(['ike-up', 'failed'], UP_TIMEOUT_MS, since);
        const child = ike?.type === 'ike-up' ? await this.peer.waitForEvent(['child-up', 'failed'], UP_TIMEOUT_MS, since) : undefined;
        const restarted = this.peer.events().slice(this.eventIndex(since)).some((e) => e.type === 'dpd-restart');
        const p = child?.type === 'child-up' ? await this.pings() : undefined;
        const lines = [`AWS re-initiated: ${restarted ? 'IKE_SA_INIT sent after the timeout' : 'no'}; IKE SA ${ike?.type === 'ike-up' ? `up (${ike.proposal})` : 'not up'}; CHILD_SA ${child?.type === 'child-up' ? `up (${child.proposal})` : 'not up'}`];
        if (p) lines.push(`then ${this.pingWord} ${p.fromOnPrem}/3 on-prem → AWS, ${p.fromAws}/3 AWS → on-prem`);
        if (!restarted || !p?.ok) return void this.checks.push(this.dpdFail(`AWS declared the on-prem side dead after ${after}s but the tunnel did not come back (DPD action restart)`, lines));
        return void this.checks.push(pass('live-dpd', 'live', `DPD: on-prem silent, AWS declared it dead after ${after}s (timeout ${dpd.timeoutSeconds}s) and re-initiated (DPD action restart): the tunnel came back, traffic passed`, lines));
      }
      // clear: AWS must stay down; a restart would show within a second of the on-prem side answering again.
      await new Promise((r) => setTimeout(r, DPD_GRACE_SECONDS * 1000));
      const since2 = this.eventIndex(marker);
      const initiated = this.peer.events().slice(since2).filter((e) => e.type === 'dpd-restart' || e.type === 'ike-up');
      const back = await this.peer.ping(this.inside.onPrem, 3, 1000);
      const lines = [`within ${DPD_GRACE_SECONDS}s of the on-prem side answering again: ${initiated.length === 0 ? 'no IKE_SA_INIT from AWS' : 'AWS started a new IKE SA'}; AWS → on-prem ${this.pingWord} ${back.received}/3 (no SA left to send them on)`];
      if (initiated.length > 0 || back.received > 0) return void this.checks.push(this.dpdFail(`AWS declared the on-prem side dead after ${after}s but did not stay down (DPD action clear)`, lines));
      this.checks.push(pass('live-dpd', 'live', `DPD: on-prem silent, AWS declared it dead after ${after}s (timeout ${dpd.timeoutSeconds}s), deleted the SAs and stayed down (DPD action clear)`, lines));
    } finally {
      resume();
    }
  }

  private dpdFail(summary: string, details: string[] = []): CheckResult {
    return fail('live-dpd', 'live', `DPD: ${summary}`, 'report this: the engine, not the config, failed', details);
  }

  /** The index into peer.events() of the first event at or after line `line`. */
  private eventIndex(line: number): number {
    return this.peer.lines.slice(0, line).filter((l) => 'event' in l).length;
  }

  /** AWS chose in the exchanges it answered: that must be what the static check said it will choose. */
  private predictionCheck(): void {
    const p = this.input.predicted;
    const rows = (['ike', 'esp'] as const).map((what) => ({ what: what.toUpperCase(), predicted: p[what], negotiated: this.awsChose[what] }));
    const compared = rows.filter((r) => r.predicted !== undefined && r.negotiated !== undefined);
    if (compared.length === 0) {
      this.checks.push(skip('live-prediction', 'live', 'Prediction: no exchange that AWS answered completed, nothing to compare'));
      return;
    }
    const wrong = compared.filter((r) => r.predicted !== r.negotiated);
    const text = compared.map((r) => `${r.what} ${r.negotiated}`).join(', ');
    const note = ['compared where AWS answered (it chooses as responder): the on-prem side\'s rekeys' + (this.input.aws.tunnel.startupAction === 'start' ? '' : ' and the first IKE SA')];
    if (wrong.length === 0) this.checks.push(pass('live-prediction', 'live', `AWS chose what the static check predicted: ${text}`, note));
    else {
      this.checks.push(
        fail(
          'live-prediction',
          'live',
          `AWS chose differently from the static prediction: ${wrong.map((r) => `${r.what} ${r.negotiated}, predicted ${r.predicted}`).join('; ')}`,
          'report this: the static check and the live exchange disagree on the choice rule',
          note,
        ),
      );
    }
  }
}

/** The child of the connection whose remote address is AWS's, from `swanctl --list-conns`. */
function childNameFor(listConns: string, awsOutside: string): string | undefined {
  for (const block of listConns.split(/\n(?=\S)/)) {
    if (!new RegExp(`\\n  remote:\\s+${awsOutside.replace(/\./g, '\\.')}\\b`).test(block)) continue;
    return /\n  (\S+): TUNNEL/.exec(block)?.[1];
  }
  return undefined;
}

/** The last lines of charon's log worth showing (no keys: it runs below the private level). */
function traceTail(log: string): string[] {
  return log.split('\n').filter((l) => /\[(IKE|CHD|KNL)\]/.test(l)).slice(-5);
}

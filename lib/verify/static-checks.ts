/**
 * Stage 1: the on-prem side of one tunnel against AWS's rules (`lib/aws-rules.ts`) and the tunnel's AWS
 * side. Each check returns a result; a failure says what to change.
 */
import {
  DPD_INTERVAL_SECONDS,
  DPD_TIMEOUT_SECONDS,
  MAX_TUNNEL_MTU,
  PHASE1_LIFETIME_SECONDS,
  PHASE2_LIFETIME_SECONDS,
  REKEY_MARGIN_TIME_SECONDS,
  RESERVED_TUNNEL_INSIDE_CIDRS,
  Range,
  TUNNEL_INSIDE_CIDR_PREFIX,
  TUNNEL_INSIDE_CIDR_RANGE,
  TUNNEL_INSIDE_IPV6_CIDR_PREFIX,
  TUNNEL_INSIDE_IPV6_CIDR_RANGE,
  maxRekeyMarginSeconds,
  preSharedKeyProblem,
} from '../aws-rules';
import { isInlineKey, isSecretsManagerKeyRef } from '../endpoint/model';
import { maxTcpMss } from '../endpoint/mtu';
import { EspSuite, maxInnerMtu } from '../esp';
// Not yet re-exported by lib/esp/index.ts (the esp helper is finishing it).
import { espSuiteFor } from '../esp';
import { Cidr, bitsOf, cidrContains, formatCidr, networkOf, parseCidr, parseIp } from '../net/address';
import type { AwsSide } from './aws-side';
import type { OnPremTunnel, Proposal, Schedule } from './on-prem';
import {
  AcceptedSet,
  Combination,
  Phase,
  chooseIkeVersion,
  chooseLowest,
  combinations,
  formatCombination,
  isAccepted,
  refusal,
} from './proposals';
import { CheckResult, fail, pass, skip, warn } from './report';
import { certificateAuthCheck, encapsulationChecks, trafficSelectorChecks, usesCertificates } from './connection-checks';
import { strengthCheck } from './strength-check';

/** The outcome of stage 1 for one tunnel, plus what stage 2 needs. */
export interface StaticOutcome {
  readonly checks: CheckResult[];
  /** ESP combinations both sides accept (DH aside): the suites the loopback exchange runs. */
  readonly agreedEspSuites: EspSuite[];
  /** The suite AWS will choose, when there is one. */
  readonly chosenEspSuite?: EspSuite;
  /** What AWS will choose, as strongSwan proposal text (the ESP one with its PFS group): the live stage compares. */
  readonly predicted: { readonly ike?: string; readonly esp?: string };
}

export interface StaticCheckOptions {
  /** True when a describe file gave the AWS side (a DescribeVpnConnections key reference is then resolvable). */
  readonly describeGiven: boolean;
}

/** Runs every static check on one tunnel. */
export function staticChecks(onPrem: OnPremTunnel, aws: AwsSide, options: StaticCheckOptions): StaticOutcome {
  const ike = proposalCheck('ike', onPrem.ikeProposals, onPrem, aws);
  const esp = proposalCheck('esp', onPrem.espProposals, onPrem, aws);
  const chosenEspSuite = esp.chosen ? engineSuite(esp.chosen) : undefined;
  const agreedEspSuites = [...new Set(esp.accepted.map(engineSuite))];
  const checks = [
    ikeVersionCheck(onPrem, aws),
    ike.check,
    esp.check,
    ...[strengthCheck('ike', ike.chosen, onPrem), strengthCheck('esp', esp.chosen, onPrem)].filter((c): c is CheckResult => c !== undefined),
    ...lifetimeChecks(onPrem, aws),
    ...rekeyChecks(onPrem, aws),
    startupCheck(onPrem, aws),
    dpdCheck(onPrem, aws),
    replayWindowCheck(onPrem, aws),
    ...insideAddressChecks(onPrem, aws),
    usesCertificates(onPrem, aws) ? certificateAuthCheck(onPrem, aws) : preSharedKeyCheck(onPrem, aws, options),
    ...encapsulationChecks(onPrem, aws),
    ...trafficSelectorChecks(onPrem, aws),
    ...mtuChecks(onPrem, aws, chosenEspSuite),
    bgpCheck(onPrem, aws),
  ];
  const predicted = { ike: ike.chosen && formatCombination(ike.chosen, 'ike'), esp: esp.chosen && formatCombination(esp.chosen, 'esp') };
  return { checks, agreedEspSuites, chosenEspSuite, predicted };
}

/** The engine's suite name for an ESP combination: `aes256gcm16`, `aes128-sha256`. */
export function engineSuite(c: Combination): EspSuite {
  const suite = espSuiteFor(c.encryption, c.integrity);
  if (!suite) throw new RangeError(`the ESP engine has no suite for ${c.encryption}/${c.integrity ?? '(AEAD)'}`); // AWS's algorithms all have one
  return suite;
}

function ikeVersionCheck(onPrem: OnPremTunnel, aws: AwsSide): CheckResult {
  const awsVersions = aws.tunnel.ike.versions;
  const chosen = chooseIkeVersion(onPrem.ikeVersions, awsVersions);
  const offered = `on-prem offers ${onPrem.ikeVersions.join(', ')}; AWS accepts ${awsVersions.join(', ')}`;
  if (!chosen) return fail('ike-version', 'static', `IKE version: no version in common (${offered})`, `set ${onPrem.field.ikeVersions} to ${awsVersions.join(' or ')}`);
  const both = onPrem.ikeVersions.length > 1 && awsVersions.length > 1;
  // Which version runs is really the initiator's choice; strongSwan's `version = 0` initiates IKEv2.
  const note = both && onPrem.initiates ? ['the lowest both allow; when the on-prem side initiates, it picks the version (strongSwan with version = 0: ikev2)'] : undefined;
  return pass('ike-version', 'static', `IKE version: ${chosen} (${offered})`, note);
}

function acceptedSet(phase: Phase, aws: AwsSide): AcceptedSet {
  const t = aws.tunnel;
  return phase === 'ike'
    ? { encryption: t.ike.encryption, integrity: t.ike.integrity, dhGroups: t.ike.dhGroups }
    : { encryption: t.esp.encryption, integrity: t.esp.integrity, dhGroups: t.esp.pfsGroups };
}

function proposalCheck(phase: Phase, proposals: readonly Proposal[], onPrem: OnPremTunnel, aws: AwsSide) {
  const id = `${phase}-proposals`;
  const label = phase === 'ike' ? 'Phase 1 (IKE) proposals' : 'Phase 2 (ESP) proposals';
  const field = phase === 'ike' ? onPrem.field.ikeProposals : onPrem.field.espProposals;
  const accepted = acceptedSet(phase, aws);
  const candidates = proposals.flatMap((p) => combinations(p, phase)).filter((c) => isAccepted(c, accepted));
  const chosen = chooseLowest(candidates);
  const refused = proposals.map((p) => ({ p, why: refusal(p, phase, accepted) })).filter((r) => r.why !== undefined);
  const example = chooseLowest(combinations({ ...accepted, unknown: [], text: '' }, phase));
  const suggestion = example ? ` (AWS would accept e.g. ${formatCombination(example, phase)})` : '';
  const awsWhat = aws.source === 'describe' ? "the tunnel's AWS options" : "AWS's allowed values";
  let check: CheckResult;
  if (proposals.length === 0) {
    check = fail(id, 'static', `${label}: none offered`, `set ${field}${suggestion}`);
  } else if (refused.length > 0) {
    check = fail(
      id,
      'static',
      `${label}: ${refused.length} of ${proposals.length} proposal(s) match nothing in ${awsWhat}`,
      `change ${field} so every proposal has a combination AWS accepts${suggestion}`,
      refused.map((r) => `${r.p.text}: ${r.why}`),
    );
  } else {
    check = pass(id, 'static', `${label}: AWS will choose ${formatCombination(chosen as Combination, phase)}`, [
      `${candidates.length} combination(s) acceptable to both sides; AWS takes the lowest configured value per transform`,
      `offered: ${proposals.map((p) => p.text).join(', ')}`,
    ]);
  }
  return { check, chosen, accepted: candidates };
}

function lifetimeChecks(onPrem: OnPremTunnel, aws: AwsSide): CheckResult[] {
  const p1 = lifetimeCheck('ike-lifetime', 'Phase 1 lifetime', onPrem.ike.lifetimeSeconds, PHASE1_LIFETIME_SECONDS, aws.tunnel.ike.lifetimeSeconds, onPrem.field.ikeLifetime);
  let p2 = lifetimeCheck('esp-lifetime', 'Phase 2 lifetime', onPrem.esp.lifetimeSeconds, PHASE2_LIFETIME_SECONDS, aws.tunnel.esp.lifetimeSeconds, onPrem.field.espLifetime);
  if (p2.status === 'pass' && onPrem.esp.lifetimeSeconds >= onPrem.ike.lifetimeSeconds) {
    p2 = fail(
      'esp-lifetime',
      'static',
      `Phase 2 lifetime ${onPrem.esp.lifetimeSeconds}s is not below phase 1's ${onPrem.ike.lifetimeSeconds}s`,
      `set ${onPrem.field.espLifetime} below ${onPrem.ike.lifetimeSeconds} (seconds)`,
    );
  }
  return [p1, p2];
}

function lifetimeCheck(id: string, label: string, value: number, range: Range, awsValue: number, field: string): CheckResult {
  if (value > range.max) return fail(id, 'static', `${label} ${value}s is above AWS's maximum ${range.max}s`, `set ${field} to at most ${range.max} (seconds)`);
  if (value < range.min) return fail(id, 'static', `${label} ${value}s is below AWS's minimum ${range.min}s`, `set ${field} to at least ${range.min} (seconds)`);
  if (value > awsValue) {
    return fail(id, 'static', `${label} ${value}s is longer than the tunnel's AWS lifetime ${awsValue}s`, `set ${field} to at most ${awsValue} (seconds)`);
  }
  return pass(id, 'static', `${label} ${value}s (AWS: ${awsValue}s, allowed ${range.min}-${range.max}s)`);
}

/**
 * The on-prem side must start its rekey early enough to finish before AWS's SA expires, with at least
 * AWS's minimum margin; phase 2's margin may be at most half its lifetime (AWS's own rule).
 */
function rekeyChecks(onPrem: OnPremTunnel, aws: AwsSide): CheckResult[] {
  const awsRekey = aws.tunnel.rekey;
  return (['ike', 'esp'] as const).map((phase) => {
    const id = `${phase}-rekey`;
    const label = phase === 'ike' ? 'Phase 1 rekey' : 'Phase 2 rekey';
    const mine: Schedule = onPrem[phase];
    const field = phase === 'ike' ? onPrem.field.ikeRekey : onPrem.field.espRekey;
    const awsLifetime = phase === 'ike' ? aws.tunnel.ike.lifetimeSeconds : aws.tunnel.esp.lifetimeSeconds;
    const margin = mine.lifetimeSeconds - mine.rekeySeconds;
    const maxMargin = phase === 'esp' ? Math.min(REKEY_MARGIN_TIME_SECONDS.max, maxRekeyMarginSeconds(mine.lifetimeSeconds)) : mine.lifetimeSeconds - 1;
    const latest = awsLifetime - REKEY_MARGIN_TIME_SECONDS.min;
    const awsWindow = [awsLifetime - awsRekey.marginSeconds - Math.floor((awsRekey.marginSeconds * awsRekey.fuzzPercent) / 100), awsLifetime - awsRekey.marginSeconds];
    const myWindow = [mine.rekeySeconds - mine.randSeconds, mine.rekeySeconds];
    const details = [
      `on-prem rekeys between ${myWindow[0]}s and ${myWindow[1]}s, hard lifetime ${mine.lifetimeSeconds}s`,
      `AWS rekeys between ${awsWindow[0]}s and ${awsWindow[1]}s (margin ${awsRekey.marginSeconds}s, fuzz ${awsRekey.fuzzPercent}%)`,
    ];
    if (myWindow[0] <= awsWindow[1] && awsWindow[0] <= myWindow[1]) {
      details.push('the windows overlap: both sides may rekey at once (IKEv2 resolves such collisions, RFC 7296 section 2.8.1; with IKEv1 both SAs live until one expires)');
    }
    const between = `so the rekey margin (lifetime - rekey time) is between ${REKEY_MARGIN_TIME_SECONDS.min} and ${maxMargin} seconds`;
    if (margin < REKEY_MARGIN_TIME_SECONDS.min) {
      return fail(id, 'static', `${label}: margin ${margin}s before expiry is below AWS's minimum ${REKEY_MARGIN_TIME_SECONDS.min}s`, `set ${field} ${between}`, details);
    }
    if (margin > maxMargin) {
      return fail(id, 'static', `${label}: margin ${margin}s is more than half the ${mine.lifetimeSeconds}s lifetime`, `set ${field} ${between}`, details);
    }
    if (mine.rekeySeconds > latest) {
      return fail(
        id,
        'static',
        `${label}: on-prem rekeys at ${mine.rekeySeconds}s, too late for AWS's ${awsLifetime}s lifetime`,
        `set ${field} so the on-prem side rekeys by ${latest}s (${REKEY_MARGIN_TIME_SECONDS.min}s before AWS's SA expires)`,
        details,
      );
    }
    if (myWindow[0] <= 0) return fail(id, 'static', `${label}: the random rekey jitter (${mine.randSeconds}s) reaches back to 0s`, `lower the rand_time / fuzz of ${field}`, details);
    return pass(id, 'static', `${label}: margin ${margin}s, on-prem rekeys by ${mine.rekeySeconds}s (AWS lifetime ${awsLifetime}s)`, details);
  });
}

function startupCheck(onPrem: OnPremTunnel, aws: AwsSide): CheckResult {
  const action = aws.tunnel.startupAction;
  const setInitiate = onPrem.format === 'swanctl' ? `set ${onPrem.field.startAction} = start` : `set ${onPrem.field.startAction} to "add" (AWS's value), so the on-prem side initiates`;
  if (action === 'add' && !onPrem.initiates) {
    return fail('startup', 'static', "Startup: AWS waits for the customer gateway (startup action `add`), and the on-prem side does not initiate", setInitiate);
  }
  if (action === 'start' && chooseIkeVersion(onPrem.ikeVersions, aws.tunnel.ike.versions) === 'ikev1' && !onPrem.initiates) {
    return fail('startup', 'static', 'Startup: AWS initiates only with IKEv2, IKEv1 would be used, and the on-prem side does not initiate', `${setInitiate}, or allow ikev2 in ${onPrem.field.ikeVersions}`);
  }
  const who = action === 'start' ? (onPrem.initiates ? 'both sides initiate' : 'AWS initiates') : 'the on-prem side initiates';
  return pass('startup', 'static', `Startup: AWS startup action \`${action}\`; ${who}`);
}

function dpdCheck(onPrem: OnPremTunnel, aws: AwsSide): CheckResult {
  const dpd = aws.tunnel.dpd;
  if (dpd.timeoutSeconds < DPD_TIMEOUT_SECONDS.min) {
    return fail('dpd', 'static', `DPD: AWS's timeout ${dpd.timeoutSeconds}s is below its minimum ${DPD_TIMEOUT_SECONDS.min}s`, `set the tunnel's DPDTimeoutSeconds to at least ${DPD_TIMEOUT_SECONDS.min}`);
  }
  if (onPrem.dpdDelaySeconds <= 0) {
    const value = onPrem.format === 'swanctl' ? `${DPD_INTERVAL_SECONDS}s` : String(DPD_INTERVAL_SECONDS);
    return fail('dpd', 'static', 'DPD: the on-prem side never probes AWS, so it would not notice a dead tunnel', `set ${onPrem.field.dpdDelay} to ${value}`);
  }
  const awsRestarts = dpd.action === 'restart';
  if (!awsRestarts && !onPrem.restartsAfterDpd) {
    const fix =
      onPrem.format === 'swanctl'
        ? `set ${onPrem.field.dpdAction} = restart`
        : `set ${onPrem.field.dpdAction} to "${dpd.action}" (AWS's value), so the on-prem side restarts the tunnel itself`;
    return fail('dpd', 'static', `DPD: after a timeout AWS does \`${dpd.action}\` and the on-prem side does not restart: the tunnel stays down`, fix);
  }
  const restarter = awsRestarts && onPrem.restartsAfterDpd ? 'both sides restart' : awsRestarts ? 'AWS restarts' : 'the on-prem side restarts';
  return pass('dpd', 'static', `DPD: on-prem probes every ${onPrem.dpdDelaySeconds}s; AWS times out after ${dpd.timeoutSeconds}s, then ${restarter}`);
}

function replayWindowCheck(onPrem: OnPremTunnel, aws: AwsSide): CheckResult {
  if (onPrem.replayWindow === 0) {
    return fail('replay-window', 'static', 'Replay window: anti-replay is off on the on-prem side', `set ${onPrem.field.replayWindow} to ${aws.tunnel.esp.replayWindow} (AWS's window)`);
  }
  return pass('replay-window', 'static', `Replay window: on-prem ${onPrem.replayWindow ?? 'default'}, AWS ${aws.tunnel.esp.replayWindow} packets`);
}

interface InsideRules {
  readonly label: string;
  readonly prefix: number;
  readonly range: string;
  readonly reserved: readonly string[];
}

const INSIDE_IPV4: InsideRules = { label: 'Inside IPv4', prefix: TUNNEL_INSIDE_CIDR_PREFIX, range: TUNNEL_INSIDE_CIDR_RANGE, reserved: RESERVED_TUNNEL_INSIDE_CIDRS };
const INSIDE_IPV6: InsideRules = { label: 'Inside IPv6', prefix: TUNNEL_INSIDE_IPV6_CIDR_PREFIX, range: TUNNEL_INSIDE_IPV6_CIDR_RANGE, reserved: [] };

function insideAddressChecks(onPrem: OnPremTunnel, aws: AwsSide): CheckResult[] {
  const out: CheckResult[] = [];
  const t = aws.tunnel;
  if (t.local.insideCidr || onPrem.localInside) out.push(insideCheck('inside-ipv4', INSIDE_IPV4, onPrem.localInside, onPrem.remoteInside, t.local.insideCidr, t.remote.insideCidr, onPrem));
  if (t.local.insideIpv6Cidr || onPrem.localInsideIpv6) {
    out.push(insideCheck('inside-ipv6', INSIDE_IPV6, onPrem.localInsideIpv6, onPrem.remoteInsideIpv6, t.local.insideIpv6Cidr, t.remote.insideIpv6Cidr, onPrem));
  }
  return out;
}

function insideCheck(
  id: string,
  rules: InsideRules,
  localText: string | undefined,
  remoteText: string | undefined,
  awsLocal: string | undefined,
  awsRemote: string | undefined,
  onPrem: OnPremTunnel,
): CheckResult {
  const { label } = rules;
  const localField = onPrem.field.localInside;
  if (localText === undefined) {
    if (onPrem.format === 'swanctl') return skip(id, 'static', `${label}: not in the file; give the tunnel interface ${awsLocal ?? '?'} (peer ${awsRemote ?? '?'})`);
    return fail(id, 'static', `${label}: the on-prem inside address is missing`, `set ${localField} to ${awsLocal}`);
  }
  // swanctl.conf never names the peer's inside address: it is AWS's.
  const peerText = remoteText ?? awsRemote;
  const local = parseCidr(localText);
  const peer = peerText === undefined ? undefined : parseCidr(peerText);
  if (!local) return fail(id, 'static', `${label}: ${JSON.stringify(localText)} is not an address with a prefix`, `set ${localField} to ${awsLocal ?? 'a /30 address'}`);
  if (!peer) return fail(id, 'static', `${label}: the peer inside address ${JSON.stringify(peerText ?? '')} is not an address with a prefix`, `set ${onPrem.field.remoteInside} to ${awsRemote}`);
  const network: Cidr = { ...local, address: networkOf(local), prefixLength: rules.prefix };
  const networkText = formatCidr(network);
  const range = parseCidr(rules.range) as Cidr;
  const hostBits = BigInt(bitsOf(local.version) - rules.prefix);
  const host = (c: Cidr) => c.address & ((1n << hostBits) - 1n);
  const usable = (c: Cidr) => local.version === 6 || (host(c) !== 0n && host(c) !== (1n << hostBits) - 1n);
  const regenerate = 'choose another TunnelInsideCidr for the tunnel and regenerate the config';
  if (local.prefixLength !== rules.prefix || peer.prefixLength !== rules.prefix) {
    return fail(id, 'static', `${label}: ${localText} / ${peerText} are not /${rules.prefix} addresses`, `set ${localField} to ${awsLocal ?? `a /${rules.prefix} address`}`);
  }
  if (!cidrContains(range, network)) return fail(id, 'static', `${label}: ${networkText} is outside ${rules.range}`, regenerate);
  if (rules.reserved.includes(networkText)) return fail(id, 'static', `${label}: ${networkText} is reserved by AWS`, regenerate);
  if (networkOf({ ...peer, prefixLength: rules.prefix }) !== network.address) {
    return fail(id, 'static', `${label}: ${localText} and peer ${peerText} are not in the same /${rules.prefix}`, `set ${localField} to ${awsLocal ?? `an address in the peer's /${rules.prefix}`}`);
  }
  if (local.address === peer.address) return fail(id, 'static', `${label}: on-prem and peer share the address ${localText}`, `set ${localField} to ${awsLocal ?? 'the other host address'}`);
  if (!usable(local) || !usable(peer)) return fail(id, 'static', `${label}: ${localText} or ${peerText} is the network or broadcast address of ${networkText}`, `set ${localField} to ${awsLocal ?? 'a usable host address'}`);
  if (awsLocal !== undefined && !sameCidr(localText, awsLocal)) {
    return fail(id, 'static', `${label}: on-prem ${localText} does not match AWS's side (${awsLocal})`, `set ${localField} to ${awsLocal}`);
  }
  if (awsRemote !== undefined && !sameCidr(peerText as string, awsRemote)) {
    return fail(id, 'static', `${label}: peer ${peerText} does not match AWS's inside address ${awsRemote}`, `set ${onPrem.field.remoteInside} to ${awsRemote}`);
  }
  return pass(id, 'static', `${label}: on-prem ${localText}, AWS ${peerText} (${networkText})`);
}

function sameCidr(a: string, b: string): boolean {
  const [x, y] = [parseCidr(a), parseCidr(b)];
  return !!x && !!y && x.version === y.version && x.address === y.address && x.prefixLength === y.prefixLength;
}

/** `arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME`; AWS-managed names hold `!` (`s2svpn-x!vpn-...`). */
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:secret:[A-Za-z0-9/_+=.@!-]+$/;

function preSharedKeyCheck(onPrem: OnPremTunnel, aws: AwsSide, options: StaticCheckOptions): CheckResult {
  const key = onPrem.preSharedKey;
  const field = onPrem.field.preSharedKey;
  const awsKey = aws.source === 'describe' ? aws.tunnel.preSharedKey : undefined;
  const rules = 'use 8 to 64 letters, digits, periods or underscores, not starting with 0, on both sides';
  switch (key.kind) {
    case 'inline': {
      const problem = preSharedKeyProblem(key.value);
      if (problem) return fail('pre-shared-key', 'static', `Pre-shared key: ${problem} (AWS's rule)`, `change the key in ${field}: ${rules}`);
      if (awsKey && isInlineKey(awsKey) && awsKey.value !== key.value) {
        return fail('pre-shared-key', 'static', "Pre-shared key: differs from AWS's key for this tunnel", `copy the tunnel's PreSharedKey from DescribeVpnConnections into ${field}`);
      }
      const compared = awsKey && isInlineKey(awsKey) ? "; matches AWS's key" : '';
      return pass('pre-shared-key', 'static', `Pre-shared key: present, within AWS's rules${compared} (not shown)`);
    }
    case 'secrets-manager': {
      if (!SECRET_ARN.test(key.arn)) {
        return fail('pre-shared-key', 'static', 'Pre-shared key: the Secrets Manager reference is not a well-formed secret ARN', `set ${field}.secretArn to arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME`);
      }
      if (awsKey && isSecretsManagerKeyRef(awsKey) && awsKey.secretArn !== key.arn) {
        return fail('pre-shared-key', 'static', "Pre-shared key: the secret ARN differs from the tunnel's PreSharedKeyArn", `set ${field}.secretArn to the ARN DescribeVpnConnections gives`);
      }
      return pass('pre-shared-key', 'static', `Pre-shared key: in Secrets Manager (${key.arn})`);
    }
    case 'describe':
      if (!options.describeGiven) return skip('pre-shared-key', 'static', 'Pre-shared key: a reference into DescribeVpnConnections; pass --describe FILE to resolve it');
      return pass('pre-shared-key', 'static', `Pre-shared key: resolvable from the describe file (${awsKey && isSecretsManagerKeyRef(awsKey) ? 'Secrets Manager' : 'TunnelOptions'}; not shown)`);
    case 'external':
      return skip('pre-shared-key', 'static', `Pre-shared key: kept in ${key.where}, which is not next to the config; cannot check it`);
    case 'missing':
      return fail('pre-shared-key', 'static', 'Pre-shared key: none for this tunnel', `add ${field} (the tunnel's PreSharedKey from DescribeVpnConnections)`);
  }
}

/**
 * The tunnel MTU (and TCP MSS clamp) must fit the chosen suite. Assumption: NAT-T framing, since AWS's
 * endpoint switches to UDP/4500 whenever it detects NAT and the device cannot know in advance.
 */
function mtuChecks(onPrem: OnPremTunnel, aws: AwsSide, suite: EspSuite | undefined): CheckResult[] {
  if (!suite) return [skip('mtu', 'static', 'MTU: no ESP suite in common, so no limit to check against')];
  const outer = parseIp(aws.tunnel.remote.outsideAddress);
  const limit = Math.min(MAX_TUNNEL_MTU, maxInnerMtu(suite, { natT: true, outerIpVersion: outer?.version }));
  const innerIpVersion = onPrem.localInside || aws.tunnel.local.insideCidr ? 4 : 6;
  const mssLimit = maxTcpMss(limit, innerIpVersion);
  const innerHeaders = limit - mssLimit;
  const out: CheckResult[] = [];
  if (onPrem.mtu === undefined) out.push(skip('mtu', 'static', `MTU: not set in the file; use at most ${limit} for ${suite} with NAT-T`));
  else if (onPrem.mtu > limit) out.push(fail('mtu', 'static', `MTU ${onPrem.mtu} is above ${limit}, the limit for ${suite} with NAT-T`, `set ${onPrem.field.mtu} to at most ${limit}`));
  else out.push(pass('mtu', 'static', `MTU ${onPrem.mtu} fits ${suite} with NAT-T (limit ${limit})`));
  if (onPrem.tcpMss !== undefined) {
    // Not fatal: AWS's endpoint clears DF and fragments before encryption; each full segment then costs two packets.
    if (onPrem.tcpMss > mssLimit) {
      out.push(warn('tcp-mss', 'static', `TCP MSS ${onPrem.tcpMss} is above ${mssLimit} (MTU ${limit} - ${innerHeaders} header bytes): full-size segments get fragmented`, `set ${onPrem.field.tcpMss} to at most ${mssLimit}`));
    }
    else out.push(pass('tcp-mss', 'static', `TCP MSS ${onPrem.tcpMss} fits (limit ${mssLimit})`));
  }
  return out;
}

function bgpCheck(onPrem: OnPremTunnel, aws: AwsSide): CheckResult {
  if (aws.routing.type === 'static') {
    const ignored = onPrem.localAsn !== undefined || onPrem.remoteAsn !== undefined ? ' (the ASNs in the file are not used)' : '';
    return pass('bgp', 'static', `Routing: static; no BGP ASNs needed${ignored}`);
  }
  const t = aws.tunnel;
  const fromFile = onPrem.format !== 'swanctl';
  const local = fromFile ? onPrem.localAsn : t.local.bgpAsn;
  const remote = fromFile ? onPrem.remoteAsn : t.remote.bgpAsn;
  if (local === undefined) return fail('bgp', 'static', 'BGP: the customer gateway ASN is missing', `set ${onPrem.field.localAsn} to ${t.local.bgpAsn ?? "the customer gateway's ASN"}`);
  if (remote === undefined) return fail('bgp', 'static', "BGP: AWS's ASN is missing", `set ${onPrem.field.remoteAsn} to ${t.remote.bgpAsn ?? "AWS's ASN"}`);
  if (local === remote) {
    return fail('bgp', 'static', `BGP: the customer gateway ASN ${local} equals AWS's ASN`, `give the customer gateway a different ASN (e.g. 65000) and set ${onPrem.field.localAsn} to it`);
  }
  if (t.remote.bgpAsn !== undefined && remote !== t.remote.bgpAsn) {
    return fail('bgp', 'static', `BGP: peer ASN ${remote} is not AWS's ASN ${t.remote.bgpAsn}`, `set ${onPrem.field.remoteAsn} to ${t.remote.bgpAsn}`);
  }
  if (t.local.bgpAsn !== undefined && local !== t.local.bgpAsn) {
    return fail('bgp', 'static', `BGP: local ASN ${local} is not the customer gateway ASN AWS expects (${t.local.bgpAsn})`, `set ${onPrem.field.localAsn} to ${t.local.bgpAsn}`);
  }
  const peer = [t.remote.insideCidr, t.remote.insideIpv6Cidr].filter(Boolean).map((c) => (c as string).split('/')[0]).join(' / ');
  const how = fromFile ? '' : `; configure your BGP daemon: neighbor ${peer} remote-as ${remote}, local AS ${local}`;
  return pass('bgp', 'static', `BGP: customer gateway AS ${local}, AWS AS ${remote}${how}`);
}

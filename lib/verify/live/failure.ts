/**
 * Why a live exchange failed, in the user's terms: the RFC notify either side reported, refined by what
 * charon logged (its own identity, the identity it required, the MAC check), and the fix in the config.
 */
import type { AwsSide } from '../aws-side';
import type { OnPremTunnel } from '../on-prem';
import type { PrintedEvent } from './peer-protocol';

export interface FailureExplanation {
  readonly reason: string;
  readonly fix: string;
  readonly details: string[];
}

export type LivePhase = 'up' | 'rekey-child' | 'rekey-ike';

export function explainFailure(event: PrintedEvent | undefined, charonLog: string, onPrem: OnPremTunnel, aws: AwsSide, phase: LivePhase = 'up'): FailureExplanation {
  const t = aws.tunnel;
  const customerId = onPrem.localOutside ?? t.local.outsideAddress;
  const logged = charonLog.split('\n').filter((l) => /(failed|MAC mismatched|no matching|no acceptable|NO_PROP|AUTH_FAILED|constraint|received proposals|configured proposals|unacceptable)/i.test(l));
  const details = [
    ...(event?.type === 'failed' ? [`AWS's endpoint: ${event.exchange}: ${event.detail}${event.notify ? ` (${event.notify})` : ''}`] : []),
    ...logged.slice(-4).map((l) => `charon: ${l.replace(/^\S+ \d+\[\w+\] /, '').trim()}`),
  ];
  if (!event) return { reason: 'no answer before the timeout', fix: `check that the config's remote address is ${t.remote.outsideAddress} and its local address ${customerId}`, details };
  if (event.type === 'deleted') return { reason: `the IKE SA was deleted (${String(event.reason)})`, fix: 'see the charon lines below', details };
  const notify = event.notify as string | undefined;
  if (notify === 'AUTHENTICATION_FAILED') {
    const self = /authentication of '([^']+)' \(myself\)/.exec(charonLog)?.[1];
    if (self !== undefined && self !== customerId) {
      return { reason: `AUTHENTICATION_FAILED: the on-prem side authenticates as ${self}; AWS expects its customer gateway's address ${customerId}`, fix: `set the local identity (swanctl local.id) to ${customerId}`, details };
    }
    const required = /constraint check failed: identity '([^']+)' required/.exec(charonLog)?.[1];
    if (required !== undefined || /no matching peer config found/.test(charonLog)) {
      return { reason: `AUTHENTICATION_FAILED: the on-prem side expects AWS to be ${required ?? 'someone else'}; AWS authenticates as ${t.remote.outsideAddress}`, fix: `set the remote identity (swanctl remote.id) to ${t.remote.outsideAddress}`, details };
    }
    return { reason: 'AUTHENTICATION_FAILED: the pre-shared keys differ', fix: `use the tunnel's pre-shared key (${onPrem.field.preSharedKey})`, details };
  }
  if (notify === 'NO_PROPOSAL_CHOSEN') {
    if (phase === 'rekey-child') {
      const groups = t.esp.pfsGroups.join(', ');
      return { reason: `NO_PROPOSAL_CHOSEN in the CHILD_SA rekey: AWS rekeys with perfect forward secrecy (DH group ${groups}) and the on-prem ESP proposals disagree`, fix: `add a DH group AWS allows for phase 2 (${groups}) to ${onPrem.field.espProposals}; without it the tunnel drops at its first rekey`, details };
    }
    const field = event.exchange === 'IKE_SA_INIT' || phase === 'rekey-ike' ? onPrem.field.ikeProposals : onPrem.field.espProposals;
    return { reason: `NO_PROPOSAL_CHOSEN in ${event.exchange}: no proposal both sides accept`, fix: `change ${field} to proposals AWS's tunnel options allow`, details };
  }
  if (notify === 'TS_UNACCEPTABLE') {
    const ts = aws.trafficSelectors;
    const field = onPrem.trafficSelectors?.field ?? 'the CHILD_SA';
    return { reason: `TS_UNACCEPTABLE: the traffic selectors share nothing with AWS's (${ts.local.join(',')} === ${ts.remote.join(',')})`, fix: `set ${field}.local_ts = ${ts.local.join(',')} and ${field}.remote_ts = ${ts.remote.join(',')} (the connection's Local/RemoteIpv4NetworkCidr)`, details };
  }
  return { reason: `${notify ?? 'failed'} in ${String(event.exchange)}: ${String(event.detail)}`, fix: 'see the details', details };
}

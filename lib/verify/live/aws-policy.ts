/**
 * AWS's endpoint for one tunnel, as our IKE SA's policy: from the tunnel options (DescribeVpnConnections, or
 * the endpoint config's record of AWS), never from the on-prem config under test.
 */
import { formatProposal } from '../../algorithms/proposal';
import { espProposalSet, ikeProposalSet } from '../../endpoint/proposals';
import type { TunnelConfig } from '../../endpoint';
import type { PeerConfig } from './peer-protocol';

/** AWS's traffic selectors: the connection's network CIDRs, 0.0.0.0/0 both ways (AWS's default). */
export const AWS_TRAFFIC_SELECTORS = { local: ['0.0.0.0/0'], remote: ['0.0.0.0/0'] } as const;

export interface AwsPolicyInput {
  readonly tunnel: TunnelConfig;
  /** The customer gateway's outside address (its IKE identity for AWS). */
  readonly customerOutside: string;
  /** AWS's key for the tunnel. */
  readonly psk: string;
}

export function awsPeerConfig({ tunnel: t, customerOutside, psk }: AwsPolicyInput): PeerConfig {
  return {
    ike: {
      // `start`: AWS initiates (IKEv2 only); `add`: AWS waits for the customer gateway.
      role: t.startupAction === 'start' ? 'initiator' : 'responder',
      localAddress: t.remote.outsideAddress,
      remoteAddress: customerOutside,
      localId: t.remote.outsideAddress,
      remoteId: customerOutside,
      choiceRule: 'aws-lowest',
      localTs: [...AWS_TRAFFIC_SELECTORS.local],
      remoteTs: [...AWS_TRAFFIC_SELECTORS.remote],
      lifetimes: { ikeSeconds: t.ike.lifetimeSeconds, childSeconds: t.esp.lifetimeSeconds, marginSeconds: t.rekey.marginSeconds, fuzzPercent: t.rekey.fuzzPercent },
      dpd: { intervalSeconds: t.dpd.intervalSeconds, timeoutSeconds: t.dpd.timeoutSeconds },
      replayWindow: t.esp.replayWindow,
    },
    ikeProposals: ikeProposalSet(t.ike).map(formatProposal),
    espProposals: espProposalSet(t.esp, t.ike).map(formatProposal),
    pskHex: Buffer.from(psk, 'utf8').toString('hex'),
    insideAddress: (t.remote.insideCidr ?? '').split('/')[0],
    dpdAction: t.dpd.action,
  };
}

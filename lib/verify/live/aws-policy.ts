/**
 * AWS's endpoint for one tunnel, as our IKE SA's policy: from the tunnel options (DescribeVpnConnections, or
 * the endpoint config's record of AWS), never from the on-prem config under test.
 */
import { formatProposal } from '../../algorithms/proposal';
import { espProposalSet, ikeProposalSet } from '../../endpoint/proposals';
import type { TrafficSelectors, TunnelConfig } from '../../endpoint';
import type { PeerConfig } from './peer-protocol';

export interface AwsPolicyInput {
  readonly tunnel: TunnelConfig;
  /**
   * The connection's selectors (`local`: the customer gateway's side, AWS's `LocalIpv4NetworkCidr` and
   * `LocalIpv6NetworkCidr`; `remote`: AWS's side). AWS negotiates exactly these: as responder it narrows a
   * wider proposal to them and refuses a disjoint one (TS_UNACCEPTABLE).
   */
  readonly trafficSelectors: TrafficSelectors;
  /** The address AWS's endpoint answers pings on and sends them from. */
  readonly insideAddress: string;
  /** The customer gateway's outside address (its IKE identity for AWS). */
  readonly customerOutside: string;
  /** AWS's key for the tunnel. */
  readonly psk: string;
}

export function awsPeerConfig({ tunnel: t, trafficSelectors, insideAddress, customerOutside, psk }: AwsPolicyInput): PeerConfig {
  return {
    ike: {
      // `start`: AWS initiates (IKEv2 only); `add`: AWS waits for the customer gateway.
      role: t.startupAction === 'start' ? 'initiator' : 'responder',
      localAddress: t.remote.outsideAddress,
      remoteAddress: customerOutside,
      localId: t.remote.outsideAddress,
      remoteId: customerOutside,
      choiceRule: 'aws-lowest',
      localTs: [...trafficSelectors.remote],
      remoteTs: [...trafficSelectors.local],
      lifetimes: { ikeSeconds: t.ike.lifetimeSeconds, childSeconds: t.esp.lifetimeSeconds, marginSeconds: t.rekey.marginSeconds, fuzzPercent: t.rekey.fuzzPercent },
      dpd: { intervalSeconds: t.dpd.intervalSeconds, timeoutSeconds: t.dpd.timeoutSeconds },
      replayWindow: t.esp.replayWindow,
    },
    ikeProposals: ikeProposalSet(t.ike).map(formatProposal),
    espProposals: espProposalSet(t.esp, t.ike).map(formatProposal),
    pskHex: Buffer.from(psk, 'utf8').toString('hex'),
    insideAddress,
    dpdAction: t.dpd.action,
  };
}

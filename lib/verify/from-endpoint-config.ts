/**
 * An endpoint config (JSON or TypeScript) as what its on-prem side does. The config records AWS's tunnel
 * parameters; the on-prem device mirrors them the way `renderSwanctl` does (see lib/endpoint/render-swanctl.ts):
 * the same proposals, rekey at lifetime - margin with margin * fuzz% of randomness, initiate when AWS does
 * not (`startupAction: add`), re-initiate after DPD unless AWS initiates and restarts itself.
 */
import { formatProposal } from '../algorithms';
import { espProposalSet, ikeProposalSet } from '../endpoint/proposals';
import {
  isDescribeVpnConnectionsKeyRef,
  isInlineKey,
  isSecretsManagerKeyRef,
  OnPremEndpointConfig,
  PreSharedKeyRef,
  TunnelConfig,
} from '../endpoint/model';
import type { OnPremKey, OnPremTunnel, Schedule, SettingField } from './on-prem';
import { onPremProposal } from './proposals';

export function onPremTunnelsFromEndpointConfig(config: OnPremEndpointConfig): OnPremTunnel[] {
  return config.tunnels.map((tunnel, index) => onPremTunnel(tunnel, `tunnels[${index}]`));
}

function onPremTunnel(t: TunnelConfig, at: string): OnPremTunnel {
  const awsRestarts = t.startupAction === 'start' && t.dpd.action === 'restart';
  return {
    name: t.name,
    format: 'endpoint-config',
    ikeVersions: t.ike.versions,
    // The registry proposals the renderer formats, read directly: no format-then-parse round trip.
    ikeProposals: ikeProposalSet(t.ike).map((p) => onPremProposal(p, formatProposal(p))),
    espProposals: espProposalSet(t.esp, t.ike).map((p) => onPremProposal(p, formatProposal(p))),
    ike: schedule(t.ike.lifetimeSeconds, t),
    esp: schedule(t.esp.lifetimeSeconds, t),
    replayWindow: t.esp.replayWindow,
    dpdDelaySeconds: t.dpd.intervalSeconds,
    initiates: t.startupAction === 'add',
    restartsAfterDpd: !awsRestarts,
    localOutside: t.local.outsideAddress,
    remoteOutside: t.remote.outsideAddress,
    localInside: t.local.insideCidr,
    remoteInside: t.remote.insideCidr,
    localInsideIpv6: t.local.insideIpv6Cidr,
    remoteInsideIpv6: t.remote.insideIpv6Cidr,
    localAsn: t.local.bgpAsn,
    remoteAsn: t.remote.bgpAsn,
    preSharedKey: keyOf(t.preSharedKey),
    mtu: t.mtu,
    tcpMss: t.tcpMssAdjust,
    field: fields(at),
  };
}

function schedule(lifetimeSeconds: number, t: TunnelConfig): Schedule {
  return {
    rekeySeconds: lifetimeSeconds - t.rekey.marginSeconds,
    randSeconds: Math.floor((t.rekey.marginSeconds * t.rekey.fuzzPercent) / 100),
    lifetimeSeconds,
  };
}

function keyOf(ref: PreSharedKeyRef): OnPremKey {
  if (isInlineKey(ref)) return { kind: 'inline', value: ref.value };
  if (isSecretsManagerKeyRef(ref)) return { kind: 'secrets-manager', arn: ref.secretArn };
  if (isDescribeVpnConnectionsKeyRef(ref)) return { kind: 'describe', vpnConnectionId: ref.vpnConnectionId, awsOutsideAddress: ref.awsOutsideAddress };
  return { kind: 'missing' };
}

function fields(at: string): Record<SettingField, string> {
  return {
    ikeVersions: `${at}.ike.versions`,
    ikeProposals: `${at}.ike (encryption, integrity, dhGroups)`,
    espProposals: `${at}.esp (encryption, integrity, pfsGroups)`,
    ikeLifetime: `${at}.ike.lifetimeSeconds`,
    ikeRekey: `${at}.rekey.marginSeconds`,
    espLifetime: `${at}.esp.lifetimeSeconds`,
    espRekey: `${at}.rekey.marginSeconds`,
    dpdDelay: `${at}.dpd.intervalSeconds`,
    startAction: `${at}.startupAction`,
    dpdAction: `${at}.dpd.action`,
    localInside: `${at}.local.insideCidr`,
    remoteInside: `${at}.remote.insideCidr`,
    localAsn: `${at}.local.bgpAsn`,
    remoteAsn: `${at}.remote.bgpAsn`,
    preSharedKey: `${at}.preSharedKey`,
    mtu: `${at}.mtu`,
    tcpMss: `${at}.tcpMssAdjust`,
    replayWindow: `${at}.esp.replayWindow`,
  };
}

/**
 * IKE SA configs from an endpoint-config tunnel (customer gateway) and from AWS's tunnel options (AWS's
 * endpoint), wired back to back: the customer gateway's config, as the converter writes it from a
 * DescribeVpnConnections fixture, comes up against AWS's side, and AWS picks its lowest configured values.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { VpnConnection } from '@aws-sdk/client-ec2';
import { dhGroupById } from '../../lib/algorithms/lookup';
import { endpointConfigFromDescribe } from '../../lib/endpoint/convert';
import { awsEndpointConfig, customerGatewayConfig } from '../../lib/ike/policy';
import { seededRandom, Wire } from './wire';

const describeFixture = (name: string): VpnConnection =>
  (JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'describe', name), 'utf8')) as { VpnConnections: VpnConnection[] }).VpnConnections[0];

describe.each(['vgw-bgp-multi-algorithm.json', 'tgw-bgp-defaults.json', 'hq.json'])('%s, tunnel 1', (fixture) => {
  const vpn = describeFixture(fixture);
  const endpoint = endpointConfigFromDescribe(vpn, {});
  const tunnel = endpoint.tunnels[0];
  const options = vpn.Options!.TunnelOptions!.find((t) => t.OutsideIpAddress === tunnel.remote.outsideAddress)!;
  const psk = Buffer.from(options.PreSharedKey ?? 'fixture-key-0123456789');

  test('the customer gateway comes up against AWS; AWS chooses its lowest values; lifetimes and DPD as configured', () => {
    const cgw = customerGatewayConfig(tunnel, { psk, random: seededRandom('cgw') });
    const aws = awsEndpointConfig(options, tunnel.local.outsideAddress, { psk, random: seededRandom('aws') });
    expect(cgw.role).toBe(tunnel.startupAction === 'start' ? 'responder' : 'initiator');
    expect(aws.lifetimes).toEqual({
      ikeSeconds: tunnel.ike.lifetimeSeconds,
      childSeconds: tunnel.esp.lifetimeSeconds,
      marginSeconds: tunnel.rekey.marginSeconds,
      fuzzPercent: tunnel.rekey.fuzzPercent,
    });
    expect(aws.dpd).toEqual({ intervalSeconds: 10, timeoutSeconds: tunnel.dpd.timeoutSeconds });
    const w = cgw.role === 'initiator' ? new Wire({}, { initiator: cgw, responder: aws }) : new Wire({}, { initiator: aws, responder: cgw });
    w.handshake();
    const cgwSide = cgw.role === 'initiator' ? 'i' : 'r';
    const up = w.eventsOf(cgwSide, 'ike-up')[0];
    const child = w.eventsOf(cgwSide, 'child-up')[0];
    if (up.type !== 'ike-up' || child.type !== 'child-up') throw new Error('not up');
    // AWS's lowest configured encryption (AES128 < AES256 < AES128-GCM-16 < AES256-GCM-16) that the tunnel allows.
    const order = ['aes128', 'aes256', 'aes128gcm16', 'aes256gcm16'];
    const lowestIke = order.find((e) => tunnel.ike.encryption.includes(e as never))!;
    const lowestEsp = order.find((e) => tunnel.esp.encryption.includes(e as never))!;
    expect(up.proposal.split('-')[0]).toBe(lowestIke);
    expect(child.child.proposal.split('-')[0]).toBe(lowestEsp);
    expect(up.proposal).toMatch(new RegExp(`-(modp|ecp)\\w*$`));
    // The rekey carries AWS's lowest PFS group.
    w.take(cgwSide, (cgwSide === 'i' ? w.i : w.r).rekeyChild(w.now));
    w.settle();
    const rekeyed = w.eventsOf(cgwSide, 'rekeyed')[0];
    if (rekeyed.type !== 'rekeyed') throw new Error('no rekey');
    const lowestGroup = Math.min(...tunnel.esp.pfsGroups);
    expect(rekeyed.child!.proposal.endsWith(`-${dhGroupById(lowestGroup)!.keyword}`)).toBe(true);
  });
});

test('unknown algorithm names are refused naming the field', () => {
  expect(() => awsEndpointConfig({ OutsideIpAddress: '192.0.2.9', Phase1EncryptionAlgorithms: [{ Value: 'DES' }] }, '198.51.100.9', { psk: Buffer.from('k') })).toThrow(
    /`Phase1EncryptionAlgorithms\[0\]` "DES"/,
  );
  expect(() => awsEndpointConfig({}, '198.51.100.9', { psk: Buffer.from('k') })).toThrow(/OutsideIpAddress/);
});

test("AWS's defaults: every value AWS offers, lowest first, route-based selectors", () => {
  const aws = awsEndpointConfig({ OutsideIpAddress: '192.0.2.9' }, '198.51.100.9', { psk: Buffer.from('k') });
  expect(aws.ikeProposals.map((p) => p.encryption.map((e) => e.keyword))).toEqual([['aes128', 'aes256'], ['aes128gcm16', 'aes256gcm16']]);
  expect(aws.ikeProposals[0].dhGroups.map((g) => g.ianaId)).toEqual([2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
  expect(aws.localTs).toEqual(['0.0.0.0/0']);
  expect(aws.role).toBe('responder');
  expect(aws.choiceRule).toBe('aws-lowest');
});

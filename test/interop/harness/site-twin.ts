/**
 * A site twin in network namespaces: "aws" (an AWS-side IPsec endpoint per tunnel and a BGP speaker with
 * AWS's ASN announcing a VPC prefix), "onprem" (loaded only with our rendered files: swanctl.conf, the Linux
 * data-plane script, frr.conf) and "lan" (a host behind onprem).
 *
 * This kernel has no ESP transform and no XFRM interfaces, so each tunnel runs on its own charon with
 * kernel-libipsec (user-space ESP over one TUN device per daemon). On the AWS side that TUN device is the
 * tunnel interface. On-prem, our files keep their default interface names (`ipsec<if_id>`: ipsec1, ipsec2),
 * and each is a stand-in for the XFRM interface (xfrm-standin.ts) that forwards what it transmits into its
 * daemon's TUN device; the Linux script skips only its `ip link add ... type xfrm` step. Two daemons
 * cannot share UDP 500/4500 in one namespace: the second tunnel's use 1500/5500, and the aws namespace
 * redirects that AWS address's 500/4500 to its daemon. Each on-prem daemon loads our swanctl.conf rendered
 * for its one tunnel (with the if_id it has in the two-tunnel file).
 *
 * Static sites: our swanctl.conf's `updown` runs our Linux script (`--updown`), which takes a tunnel's routes
 * away while its CHILD_SA is down. The AWS side does what AWS does with a down tunnel's static routes: its
 * updown drops its route to the LAN through that tunnel, and it notices a dead peer after AWS's DPD timeout.
 */
import { chmodSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { OnPremEndpointConfig, TunnelConfig } from '../../../lib/endpoint';
import { renderSwanctl } from '../../../lib/endpoint';
import { espProposals, ikeProposals } from '../../../lib/endpoint/proposals';
import { renderFrr, renderLinux } from '../../../lib/endpoint/site';
import { Charon, startCharon, stopCharon, swanctl } from './charon';
import { run, runChecked, sleep, waitFor } from './exec';
import { tunnelInterfaceName } from '../../../lib/endpoint/site-routing';
import { FrrInstance, startFrr, stopFrr } from './frr';
import { createNamespace, deleteNamespace } from './netns';
import { deviceNames, forwardInto, newDevice, StandIns, startStandIns, stopStandIns } from './xfrm-standin';

export interface SiteTwinOptions {
  /** A connection with site routing and inline pre-shared keys; a BGP one gets FRR on both sides. */
  readonly config: OnPremEndpointConfig;
  readonly dir: string;
  /** The VPC prefix AWS announces and an address in it (on the aws namespace's lo). */
  readonly vpc: { readonly prefix: string; readonly host: string };
  /** The LAN behind onprem: its prefix length, onprem's address and the host's. */
  readonly lan: { readonly prefix: string; readonly gateway: string; readonly host: string };
}

export interface SiteTwin {
  readonly onprem: string;
  readonly aws: string;
  readonly lan: string;
  readonly charons: Charon[];
  readonly onpremFrr?: FrrInstance;
  readonly awsFrr?: FrrInstance;
  readonly standIns?: StandIns;
  /** On-prem, per tunnel: the daemon's TUN device, where what is routed into the tunnel's interface goes. */
  readonly onpremTuns: string[];
}

const PORTS = [undefined, { ike: 1500, natT: 5500 }] as const;
/** On-prem, the tunnel interfaces our files name by default (if_ids 1 and 2). */
export const TUNNEL_DEVICES = [tunnelInterfaceName(1), tunnelInterfaceName(2)] as const;
/** In the aws namespace, kernel-libipsec's TUN devices (the kernel names them ipsec0, ipsec1 in order). */
const AWS_DEVICES = ['ipsec0', 'ipsec1'] as const;

/**
 * Per daemon: its ports, and its own routing table for libipsec's 0.0.0.0/0 route into its TUN device,
 * consulted only after the main table (where zebra and the Linux script put the site's routes).
 */
function charonSettings(i: number): string {
  const p = PORTS[i];
  return `  routing_table = ${220 + i}\n  routing_table_prio = 32767\n${p ? `  port = ${p.ike}\n  port_nat_t = ${p.natT}\n` : ''}`;
}


function awsSideSwanctl(tunnels: readonly TunnelConfig[], updown?: string): string {
  const conns = tunnels.map((t) => `  ${t.name} {
    version = ${t.ike.versions.length === 2 ? 0 : t.ike.versions[0] === 'ikev1' ? 1 : 2}
    local_addrs = ${t.remote.outsideAddress}
    remote_addrs = ${t.local.outsideAddress}
    proposals = ${ikeProposals(t.ike).join(',')}
    encap = yes
    mobike = no
    dpd_delay = ${t.dpd.intervalSeconds}s
    dpd_timeout = ${t.dpd.timeoutSeconds}s
    local {
      auth = psk
      id = ${t.remote.outsideAddress}
    }
    remote {
      auth = psk
      id = ${t.local.outsideAddress}
    }
    children {
      ${t.name} {
        local_ts = 0.0.0.0/0
        remote_ts = 0.0.0.0/0
        esp_proposals = ${espProposals(t.esp, t.ike).join(',')}
        start_action = none
        dpd_action = clear${updown ? `\n        updown = ${updown}` : ''}
      }
    }
  }`);
  const secrets = tunnels.map((t) => `  ike-${t.name} {
    id-a = ${t.remote.outsideAddress}
    id-b = ${t.local.outsideAddress}
    secret = "${inlineKey(t)}"
  }`);
  return `connections {\n${conns.join('\n')}\n}\nsecrets {\n${secrets.join('\n')}\n}\n`;
}

/** AWS's static route to the LAN through one tunnel, there only while the tunnel's CHILD_SA is up. */
function awsSideUpdown(dir: string, lanPrefix: string, device: string, metric: number): string {
  const path = join(dir, 'aws-updown.sh');
  writeFileSync(path, [
    '#!/bin/sh',
    'case "$PLUTO_VERB" in',
    `  up-client) ip route replace ${lanPrefix} dev ${device} metric ${metric} ;;`,
    `  down-client) ip route del ${lanPrefix} dev ${device} metric ${metric} 2>/dev/null || true ;;`,
    'esac',
    '',
  ].join('\n'), { mode: 0o755 });
  return path;
}

function inlineKey(t: TunnelConfig): string {
  const key = (t.preSharedKey as { value?: string }).value;
  if (!key) throw new Error('the twin needs inline pre-shared keys');
  return key;
}

/** AWS's BGP speaker: AWS's ASN and hold time, a neighbour per tunnel, the VPC prefix announced. */
function awsSideFrr(config: OnPremEndpointConfig, vpcPrefix: string): string {
  const t0 = config.tunnels[0];
  const lines = ['frr defaults traditional', `router bgp ${t0.remote.bgpAsn}`, ` bgp router-id ${t0.remote.insideCidr!.split('/')[0]}`, ' no bgp network import-check', ' no bgp ebgp-requires-policy'];
  for (const t of config.tunnels) {
    const peer = t.local.insideCidr!.split('/')[0];
    const hold = t.remote.bgpHoldTime ?? 30;
    lines.push(` neighbor ${peer} remote-as ${t.local.bgpAsn}`, ` neighbor ${peer} timers ${Math.floor(hold / 3)} ${hold}`, ` neighbor ${peer} timers connect 5`);
  }
  lines.push(' address-family ipv4 unicast', `  network ${vpcPrefix}`, ' exit-address-family', 'exit', '');
  return lines.join('\n');
}

async function load(c: Charon, conf: string): Promise<void> {
  const path = join(c.dir, 'swanctl.conf');
  writeFileSync(path, conf);
  const r = await swanctl(c, ['--load-all', '--file', path]);
  if (r.exitCode !== 0) throw new Error(`swanctl --load-all failed in ${c.ns}: ${r.stdout}${r.stderr}`);
}

/** Builds the twin and brings both tunnels up; on failure everything is torn down before the error. */
export async function startSiteTwin(o: SiteTwinOptions): Promise<SiteTwin> {
  const { config } = o;
  const twin: { -readonly [K in keyof SiteTwin]: SiteTwin[K] } = {
    onprem: await createNamespace('op'),
    aws: await createNamespace('aws'),
    lan: await createNamespace('lan'),
    charons: [],
    onpremTuns: [],
  };
  try {
    const onpremOutside = config.tunnels[0].local.outsideAddress;
    await runChecked('ip', ['link', 'add', 'out0', 'netns', twin.onprem, 'type', 'veth', 'peer', 'name', 'out0', 'netns', twin.aws]);
    await runChecked('ip', ['-n', twin.onprem, 'addr', 'add', `${onpremOutside}/32`, 'dev', 'out0']);
    for (const ns of [twin.onprem, twin.aws]) await runChecked('ip', ['-n', ns, 'link', 'set', 'out0', 'up']);
    await runChecked('ip', ['-n', twin.aws, 'route', 'add', `${onpremOutside}/32`, 'dev', 'out0']);
    for (const t of config.tunnels) {
      await runChecked('ip', ['-n', twin.aws, 'addr', 'add', `${t.remote.outsideAddress}/32`, 'dev', 'out0']);
      await runChecked('ip', ['-n', twin.onprem, 'route', 'add', `${t.remote.outsideAddress}/32`, 'dev', 'out0']);
    }
    await runChecked('ip', ['-n', twin.aws, 'addr', 'add', `${o.vpc.host}/32`, 'dev', 'lo']);
    await runChecked('ip', ['link', 'add', 'lan0', 'netns', twin.onprem, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', twin.lan]);
    await runChecked('ip', ['-n', twin.onprem, 'addr', 'add', `${o.lan.gateway}/${o.lan.prefix.split('/')[1]}`, 'dev', 'lan0']);
    await runChecked('ip', ['-n', twin.lan, 'addr', 'add', `${o.lan.host}/${o.lan.prefix.split('/')[1]}`, 'dev', 'eth0']);
    await runChecked('ip', ['-n', twin.onprem, 'link', 'set', 'lan0', 'up']);
    await runChecked('ip', ['-n', twin.lan, 'link', 'set', 'eth0', 'up']);
    await runChecked('ip', ['-n', twin.lan, 'route', 'add', 'default', 'via', o.lan.gateway]);

    // The second tunnel's AWS address is served by a daemon on 1500/5500. charon parses a datagram as IKE
    // when either port is 500 (else it wants a non-ESP marker), so the redirect also maps the peer's
    // source port 1500 to 500: the AWS daemon then sees the exchange as on-prem sent it.
    const nat = config.tunnels.flatMap((t, i) => {
      const p = PORTS[i];
      return p ? [[`ip daddr ${t.remote.outsideAddress} udp dport 500 dnat to ${t.remote.outsideAddress}:${p.ike}`, `ip daddr ${t.remote.outsideAddress} udp dport 4500 dnat to ${t.remote.outsideAddress}:${p.natT}`],
        [`ip saddr ${onpremOutside} ip daddr ${t.remote.outsideAddress} udp sport ${p.ike} snat to :500`]] : [];
    });
    await runChecked('ip', ['netns', 'exec', twin.aws, 'nft', '-f', '-'], {
      input: [
        'table ip twin_nat {',
        `  chain prerouting { type nat hook prerouting priority dstnat; ${nat.filter((_, i) => i % 2 === 0).flat().join('; ')}; }`,
        `  chain input { type nat hook input priority 100; ${nat.filter((_, i) => i % 2 === 1).flat().join('; ')}; }`,
        '}',
        '',
      ].join('\n'),
    });

    twin.standIns = await startStandIns(twin.onprem, TUNNEL_DEVICES);
    for (const [i, t] of config.tunnels.entries()) {
      const device = AWS_DEVICES[i];
      const awsBefore = new Set(await deviceNames(twin.aws));
      const awsCharon = await startCharon({ ns: twin.aws, dir: join(o.dir, `aws-${t.name}`), charonExtra: charonSettings(i) });
      twin.charons.push(awsCharon);
      if ((await newDevice(twin.aws, awsBefore, /^ipsec\d+$/)) !== device) throw new Error(`kernel-libipsec did not name its TUN device ${device}`);
      await runChecked('ip', ['-n', twin.aws, 'addr', 'add', t.remote.insideCidr as string, 'dev', device]);
      await runChecked('ip', ['-n', twin.aws, 'link', 'set', device, 'mtu', String(t.mtu ?? 1400), 'up']);
      // AWS's static routes to the site: into the tunnels that are up, the first preferred.
      const updown = config.routing.type === 'static' ? awsSideUpdown(awsCharon.dir, o.lan.prefix, device, 100 * (i + 1)) : undefined;
      await load(awsCharon, awsSideSwanctl([t], updown));
      const onpremBefore = new Set(await deviceNames(twin.onprem));
      const onpremCharon = await startCharon({ ns: twin.onprem, dir: join(o.dir, `onprem-${t.name}`), charonExtra: charonSettings(i) });
      twin.charons.push(onpremCharon);
      const tun = await newDevice(twin.onprem, onpremBefore, /^ipsec\d+$/);
      await runChecked('ip', ['-n', twin.onprem, 'link', 'set', tun, 'mtu', '1500', 'up']);
      // Decrypted traffic arrives on the daemon's device, not the stand-in, and loose reverse-path filtering
      // (the script's) drops what arrives on a device without an IPv4 address unless the route back uses it.
      await runChecked('ip', ['-n', twin.onprem, 'addr', 'add', `169.254.255.${250 + i}/32`, 'dev', tun]);
      await forwardInto(twin.onprem, TUNNEL_DEVICES[i], tun);
      twin.onpremTuns.push(tun);
    }

    // onprem: only our rendered files from here on.
    const script = join(o.dir, 'tunnels.sh');
    writeFileSync(script, renderLinux(config, { stateDir: join(o.dir, 'tunnel-state') }), { mode: 0o755 });
    await runChecked('ip', ['netns', 'exec', twin.onprem, script]);
    const onpremCharons = twin.charons.filter((c) => c.ns === twin.onprem);
    for (const [i, t] of config.tunnels.entries()) {
      // One tunnel per daemon: our file rendered for that tunnel alone, with its if_id of the two-tunnel file
      // (and the AWS prefixes, whose routes its updown manages; the preference names both tunnels).
      const site = config.site?.awsPrefixes ? { awsPrefixes: config.site.awsPrefixes } : undefined;
      await load(onpremCharons[i], renderSwanctl({ ...config, site, tunnels: [t] }, { ifIdBase: i + 1, connectionPrefix: config.vpnConnectionId, updownScript: script }));
    }
    for (const [i, c] of onpremCharons.entries()) {
      const up = await waitFor(async () => /INSTALLED/.test((await swanctl(c, ['--list-sas'])).stdout), 20_000, 200);
      if (!up) throw new Error(`tunnel ${i + 1} did not come up`);
    }
    if (config.routing.type === 'static') return twin;
    chmodSync(o.dir, 0o711); // FRR's daemons run as user frr and must reach their dirs inside it
    twin.awsFrr = await startFrr(twin.aws, join(o.dir, 'frr-aws'), awsSideFrr(config, o.vpc.prefix));
    twin.onpremFrr = await startFrr(twin.onprem, join(o.dir, 'frr-onprem'), renderFrr(config));
    return twin;
  } catch (e) {
    await stopSiteTwin(twin);
    throw e;
  }
}

export async function stopSiteTwin(twin: SiteTwin): Promise<void> {
  if (twin.onpremFrr) await stopFrr(twin.onpremFrr);
  if (twin.awsFrr) await stopFrr(twin.awsFrr);
  for (const c of twin.charons) await stopCharon(c, { signal: 'SIGKILL' });
  if (twin.standIns) await stopStandIns(twin.standIns);
  for (const ns of [twin.onprem, twin.aws, twin.lan]) await deleteNamespace(ns);
}

/** Drops everything to and from the AWS outside address (a dead path), in the aws namespace. */
export async function cutTunnel(twin: SiteTwin, awsOutsideAddress: string): Promise<void> {
  await runChecked('ip', ['netns', 'exec', twin.aws, 'nft', '-f', '-'], {
    input: `table inet twin_cut {\n  chain pre { type filter hook prerouting priority -400; ip daddr ${awsOutsideAddress} drop; }\n  chain out { type filter hook output priority -400; ip saddr ${awsOutsideAddress} drop; }\n}\n`,
  });
}

/** Undoes cutTunnel: the path to the AWS outside address works again. */
export async function restoreTunnel(twin: SiteTwin): Promise<void> {
  await runChecked('ip', ['netns', 'exec', twin.aws, 'nft', 'delete', 'table', 'inet', 'twin_cut']);
}

/** Whether one ping from the LAN host to `host` is answered within a second. */
export async function pingOnce(twin: SiteTwin, host: string): Promise<boolean> {
  return (await run('ip', ['netns', 'exec', twin.lan, 'ping', '-c', '1', '-W', '1', host], { timeoutMs: 5000 })).exitCode === 0;
}

/** Packets on-prem sent into tunnel `index` (0 or 1) so far: what its daemon took to encrypt. */
export async function sentInto(twin: SiteTwin, index: number): Promise<number> {
  return txPackets(twin.onprem, twin.onpremTuns[index]);
}

/** Packets sent through an interface so far. */
export async function txPackets(ns: string, dev: string): Promise<number> {
  return Number((await run('ip', ['netns', 'exec', ns, 'cat', `/sys/class/net/${dev}/statistics/tx_packets`])).stdout.trim());
}

/**
 * Cuts tunnel 1's path, then probes every 0.2 s until `moved()` holds and a LAN ping is answered after it.
 * Returns when the route moved and the longest run of unanswered pings (ms), or undefined within `limitMs`.
 */
export async function measureFailover(twin: SiteTwin, awsOutsideAddress: string, vpcHost: string, moved: () => Promise<boolean>, limitMs: number): Promise<{ movedAfterMs?: number; longestGapMs: number }> {
  await cutTunnel(twin, awsOutsideAddress);
  const cutAt = Date.now();
  let movedAt: number | undefined;
  let lastAnswered = cutAt;
  let longestGap = 0;
  while (Date.now() - cutAt < limitMs) {
    const attempt = Date.now();
    if (await pingOnce(twin, vpcHost)) {
      longestGap = Math.max(longestGap, attempt - lastAnswered);
      lastAnswered = attempt;
      if (movedAt !== undefined) break;
    }
    if (movedAt === undefined && (await moved())) movedAt = Date.now();
    await sleep(Math.max(0, 200 - (Date.now() - attempt)));
  }
  return { movedAfterMs: movedAt === undefined ? undefined : movedAt - cutAt, longestGapMs: longestGap };
}

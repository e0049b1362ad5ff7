/**
 * A site twin in network namespaces: "aws" (an AWS-side IPsec endpoint per tunnel and a BGP speaker with
 * AWS's ASN announcing a VPC prefix), "onprem" (loaded only with our rendered files: swanctl.conf, the Linux
 * data-plane script, frr.conf) and "lan" (a host behind onprem).
 *
 * This kernel has no ESP transform and no XFRM interfaces, so each side runs one charon with kernel-libipsec
 * (user-space ESP over one TUN device, ipsec0, carrying both tunnels). Our files are rendered with that
 * interface name (`interfaceNames`), so the Linux script skips only its `ip link add ... type xfrm` step.
 * What differs from a real route-based site: libipsec picks the outbound SA by traffic selector (both are
 * 0.0.0.0/0), not by interface, so which tunnel carries a packet is libipsec's choice, not the route's;
 * the BGP routes still decide the next hop. So a cut tunnel's BGP session survives over the other SA, and
 * failover cannot be measured here.
 */
import { chmodSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { OnPremEndpointConfig, TunnelConfig } from '../../../lib/endpoint';
import { renderSwanctl } from '../../../lib/endpoint';
import { espProposals, ikeProposals } from '../../../lib/endpoint/proposals';
import { renderFrr, renderLinux } from '../../../lib/endpoint/site';
import { Charon, startCharon, stopCharon, swanctl } from './charon';
import { run, runChecked, waitFor } from './exec';
import { FrrInstance, startFrr, stopFrr } from './frr';
import { createNamespace, deleteNamespace } from './netns';

export interface SiteTwinOptions {
  /** A BGP connection with site routing and inline pre-shared keys. */
  readonly config: OnPremEndpointConfig;
  readonly dir: string;
  /** The VPC prefix AWS announces and an address in it (on the aws namespace's lo). */
  readonly vpc: { readonly prefix: string; readonly host: string };
  /** The LAN behind onprem: its prefix length, onprem's address and the host's. */
  readonly lan: { readonly prefixLength: number; readonly gateway: string; readonly host: string };
}

export interface SiteTwin {
  readonly onprem: string;
  readonly aws: string;
  readonly lan: string;
  readonly charons: Charon[];
  readonly onpremFrr?: FrrInstance;
  readonly awsFrr?: FrrInstance;
}

const TUN = 'ipsec0';
/** Our files name the tunnel interface as kernel-libipsec's TUN device is named. */
export const SITE_OPTIONS = { interfaceNames: [TUN, TUN] } as const;

/** The TUN device the daemon created (the kernel names them ipsec0, ipsec1, ... in order). */
async function tunOf(ns: string, name: string): Promise<void> {
  const up = await waitFor(async () => (await run('ip', ['-n', ns, 'link', 'show', name])).exitCode === 0, 10_000, 50);
  if (!up) throw new Error(`kernel-libipsec created no TUN device ${name} in ${ns}`);
}

function awsSideSwanctl(tunnels: readonly TunnelConfig[]): string {
  const conns = tunnels.map((t) => `  ${t.name} {
    version = 2
    local_addrs = ${t.remote.outsideAddress}
    remote_addrs = ${t.local.outsideAddress}
    proposals = ${ikeProposals(t.ike).join(',')}
    encap = yes
    mobike = no
    dpd_delay = ${t.dpd.intervalSeconds}s
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
        dpd_action = clear
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
    await runChecked('ip', ['-n', twin.onprem, 'addr', 'add', `${o.lan.gateway}/${o.lan.prefixLength}`, 'dev', 'lan0']);
    await runChecked('ip', ['-n', twin.lan, 'addr', 'add', `${o.lan.host}/${o.lan.prefixLength}`, 'dev', 'eth0']);
    await runChecked('ip', ['-n', twin.onprem, 'link', 'set', 'lan0', 'up']);
    await runChecked('ip', ['-n', twin.lan, 'link', 'set', 'eth0', 'up']);
    await runChecked('ip', ['-n', twin.lan, 'route', 'add', 'default', 'via', o.lan.gateway]);

    // One daemon per side: two charons cannot share UDP 500 in a namespace (and IKE on another port
    // is taken for ESP by charon's receiver), so each side runs both tunnels on one TUN device.
    const awsCharon = await startCharon({ ns: twin.aws, dir: join(o.dir, 'aws'), charonExtra: '  routing_table_prio = 32767\n' });
    twin.charons.push(awsCharon);
    await tunOf(twin.aws, TUN);
    for (const t of config.tunnels) await runChecked('ip', ['-n', twin.aws, 'addr', 'add', t.remote.insideCidr as string, 'dev', TUN]);
    await runChecked('ip', ['-n', twin.aws, 'link', 'set', TUN, 'mtu', String(config.tunnels[0].mtu ?? 1400), 'up']);
    await load(awsCharon, awsSideSwanctl(config.tunnels));
    const onpremCharon = await startCharon({ ns: twin.onprem, dir: join(o.dir, 'onprem'), charonExtra: '  routing_table_prio = 32767\n' });
    twin.charons.push(onpremCharon);
    await tunOf(twin.onprem, TUN);

    // onprem: only our rendered files from here on.
    const script = join(o.dir, 'tunnels.sh');
    writeFileSync(script, renderLinux(config, SITE_OPTIONS));
    await runChecked('ip', ['netns', 'exec', twin.onprem, 'bash', script]);
    await load(onpremCharon, renderSwanctl(config));
    const up = await waitFor(async () => ((await swanctl(onpremCharon, ['--list-sas'])).stdout.match(/INSTALLED/g) ?? []).length === config.tunnels.length, 20_000, 200);
    if (!up) throw new Error('the tunnels did not come up');
    chmodSync(o.dir, 0o711); // FRR's daemons run as user frr and must reach their dirs inside it
    twin.awsFrr = await startFrr(twin.aws, join(o.dir, 'frr-aws'), awsSideFrr(config, o.vpc.prefix));
    twin.onpremFrr = await startFrr(twin.onprem, join(o.dir, 'frr-onprem'), renderFrr(config, SITE_OPTIONS));
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
  for (const ns of [twin.onprem, twin.aws, twin.lan]) await deleteNamespace(ns);
}

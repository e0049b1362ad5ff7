/**
 * Two charon daemons in two namespaces joined by a veth pair, IKEv2 with a PSK, one tunnel-mode CHILD_SA
 * between their inner addresses (port of /work/shared/reference/strongswan-pair.sh). libipsec only does
 * ESP-in-UDP, so the CHILD_SA always runs on UDP 4500.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Charon, startCharon, stopCharon, swanctl } from './charon';
import { createPair, deletePair, NamespacePair, Side } from './netns';
import { LoggedChildKeys, ListedChildSa, parseChildKeys, parseListSas } from './charon-keys';

export const CHILD_NAME = 'net';
const PSK = 'interop-test-psk-0123456789';

export interface SwanPairOptions {
  /** IKE proposal, e.g. `aes128-sha1-modp2048`. */
  ikeProposal: string;
  /** ESP proposal, e.g. `aes128gcm16`. */
  espProposal: string;
  /** Work dir (configs, logs, vici sockets). */
  dir: string;
}

export interface SwanPair {
  net: NamespacePair;
  /** Initiator, in `net.a`. */
  a: Charon;
  /** Responder, in `net.b`. */
  b: Charon;
}

export function renderPairSwanctlConf(local: Side, remote: Side, o: SwanPairOptions): string {
  return `connections {
  pair {
    version = 2
    local_addrs = ${local.outer}
    remote_addrs = ${remote.outer}
    proposals = ${o.ikeProposal}
    encap = yes
    dpd_delay = 0
    mobike = no
    local {
      auth = psk
      id = ${local.outer}
    }
    remote {
      auth = psk
      id = ${remote.outer}
    }
    children {
      ${CHILD_NAME} {
        mode = tunnel
        local_ts = ${local.inner}/32
        remote_ts = ${remote.inner}/32
        esp_proposals = ${o.espProposal}
        start_action = none
      }
    }
  }
}
secrets {
  ike-pair {
    id-a = ${local.outer}
    id-b = ${remote.outer}
    secret = "${PSK}"
  }
}
`;
}

async function loadConf(c: Charon, conf: string): Promise<void> {
  const path = join(c.dir, 'swanctl.conf');
  writeFileSync(path, conf);
  const r = await swanctl(c, ['--load-all', '--file', path]);
  if (r.exitCode !== 0) throw new Error(`swanctl --load-all failed in ${c.ns}: ${r.stdout}${r.stderr}`);
}

/** Namespaces, both daemons, configs loaded, CHILD_SA initiated by `a`. On any failure everything is torn down. */
export async function startSwanPair(o: SwanPairOptions): Promise<SwanPair> {
  const net = await createPair('sw');
  const started: Charon[] = [];
  try {
    for (const side of ['a', 'b'] as const) {
      const dir = join(o.dir, side);
      mkdirSync(dir, { recursive: true });
      started.push(await startCharon({ ns: net[side].ns, dir }));
    }
    const [a, b] = started;
    await loadConf(a, renderPairSwanctlConf(net.a, net.b, o));
    await loadConf(b, renderPairSwanctlConf(net.b, net.a, o));
    const init = await swanctl(a, ['--initiate', '--child', CHILD_NAME, '--timeout', '10'], { timeoutMs: 15_000 });
    if (init.exitCode !== 0) throw new Error(`swanctl --initiate failed (${init.exitCode}): ${init.stdout}${init.stderr}`);
    return { net, a, b };
  } catch (e) {
    for (const c of started) await stopCharon(c, { signal: 'SIGKILL' });
    await deletePair(net);
    throw e;
  }
}

export async function stopSwanPair(p: SwanPair): Promise<void> {
  // SIGKILL: a DELETE to the peer is pointless when both go away (and saves the 3 s grace period).
  await stopCharon(p.a, { signal: 'SIGKILL' });
  await stopCharon(p.b, { signal: 'SIGKILL' });
  await deletePair(p.net);
}

export interface ChildSaView {
  listed: ListedChildSa;
  keys: LoggedChildKeys;
}

/** SPIs and keys of the installed CHILD_SA as one daemon sees it. */
export async function childSaOf(c: Charon): Promise<ChildSaView> {
  const r = await swanctl(c, ['--list-sas']);
  if (r.exitCode !== 0) throw new Error(`swanctl --list-sas failed: ${r.stderr}`);
  return { listed: parseListSas(r.stdout, CHILD_NAME), keys: parseChildKeys(readFileSync(c.logPath, 'utf8')) };
}

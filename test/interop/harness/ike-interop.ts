/**
 * One charon 5.9.8 (kernel-libipsec) in one namespace and our IKEv2 peer in the other, joined by a veth
 * pair: the setup of every IKE interop case. Our side is `net.a` (192.0.2.1, inner 198.51.100.1), charon
 * is `net.b` (192.0.2.2, inner 203.0.113.1).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parseProposal } from '../../../lib/algorithms/proposal';
import { IkeSa } from '../../../lib/ike/ike-sa';
import { Charon, DEFAULT_CHARON_PLUGINS, renderStrongswanConf, startCharon, stopCharon, swanctl } from './charon';
import { run, RunResult, waitFor } from './exec';
import { IkePeer, IkePeerConfig } from './ike-peer-runner';
import { createPair, deletePair, NamespacePair } from './netns';

export const IKE_CONN = 'ours';
export const IKE_CHILD = 'net';
export const INTEROP_PSK = 'ike-interop-psk-0123456789';

export interface IkeInteropOptions {
  /** Our role. */
  ourRole: 'initiator' | 'responder';
  ike: string;
  esp: string;
  /** charon's proposals, when they differ from ours. */
  charonIke?: string;
  charonEsp?: string;
  /** charon's key, when it differs from ours. */
  charonPsk?: string;
  /** Certificate authentication (RFC 7427) with the test PKI in test/fixtures/ike/certs, instead of the PSK. */
  certificates?: boolean;
  /** charon's dpd_delay in seconds (0: none). */
  charonDpdSeconds?: number;
  /** Extra settings inside `charon { }` of charon's strongswan.conf (e.g. `cookie_threshold = 1`). */
  charonSettings?: string;
  /** Our responder demands a COOKIE round trip. */
  requireCookie?: boolean;
  dir: string;
  bundle: string;
}

export interface IkeInterop {
  net: NamespacePair;
  charon: Charon;
  peer: IkePeer;
}

function charonConf(net: NamespacePair, o: IkeInteropOptions): string {
  return `connections {
  ${IKE_CONN} {
    version = 2
    local_addrs = ${net.b.outer}
    remote_addrs = ${net.a.outer}
    proposals = ${o.charonIke ?? o.ike}
    encap = yes
    dpd_delay = ${o.charonDpdSeconds ?? 0}s
    mobike = no
    rekey_time = 0
    local {
      auth = ${o.certificates ? 'pubkey' : 'psk'}
      id = ${net.b.outer}${o.certificates ? `\n      certs = ${net.b.outer}.pem` : ''}
    }
    remote {
      auth = ${o.certificates ? 'pubkey' : 'psk'}
      id = ${net.a.outer}
    }
    children {
      ${IKE_CHILD} {
        mode = tunnel
        local_ts = ${net.b.inner}/32
        remote_ts = ${net.a.inner}/32
        esp_proposals = ${o.charonEsp ?? o.esp}
        rekey_time = 0
        start_action = none
      }
    }
  }
}
secrets {
  ike-ours {
    id-a = ${net.a.outer}
    id-b = ${net.b.outer}
    secret = "${o.charonPsk ?? INTEROP_PSK}"
  }
}
`;
}

/** A file of the test-only PKI (test/fixtures/ike/certs/make-certs.sh). */
function certFile(name: string): string {
  return readFileSync(join(__dirname, '..', '..', 'fixtures', 'ike', 'certs', name), 'utf8');
}

export async function startIkeInterop(o: IkeInteropOptions): Promise<IkeInterop> {
  const net = await createPair('ik');
  let charon: Charon | undefined;
  try {
    mkdirSync(o.dir, { recursive: true });
    charon = await startCharon({ ns: net.b.ns, dir: join(o.dir, 'charon'), charonExtra: o.charonSettings });
    const swanctlDir = join(charon.dir, 'swanctl');
    for (const sub of ['x509', 'x509ca', 'pkcs8', 'private']) mkdirSync(join(swanctlDir, sub), { recursive: true });
    if (o.certificates) {
      writeFileSync(join(swanctlDir, 'x509ca', 'ca.pem'), certFile('ca.pem'));
      writeFileSync(join(swanctlDir, 'x509', `${net.b.outer}.pem`), certFile(`${net.b.outer}.pem`));
      writeFileSync(join(swanctlDir, 'pkcs8', `${net.b.outer}.key`), certFile(`${net.b.outer}.key`), { mode: 0o600 });
    }
    const confPath = join(swanctlDir, 'swanctl.conf');
    writeFileSync(confPath, charonConf(net, o));
    const load = await swanctl(charon, ['--load-all', '--file', confPath], { swanctlDir });
    if (load.exitCode !== 0) throw new Error(`swanctl --load-all failed: ${load.stdout}${load.stderr}`);
    const cfg: IkePeerConfig = {
      role: o.ourRole,
      localAddress: net.a.outer,
      remoteAddress: net.b.outer,
      localId: net.a.outer,
      remoteId: net.b.outer,
      ...(o.certificates
        ? { certificate: { certificate: certFile(`${net.a.outer}.pem`), privateKey: certFile(`${net.a.outer}.key`), trustAnchors: [certFile('ca.pem')] } }
        : { pskHex: Buffer.from(INTEROP_PSK).toString('hex') }),
      ike: [o.ike],
      esp: [o.esp],
      localTs: [`${net.a.inner}/32`],
      remoteTs: [`${net.b.inner}/32`],
      inner: { local: net.a.inner, remote: net.b.inner },
      ...(o.requireCookie ? { requireCookie: true } : {}),
    };
    const peer = await IkePeer.start(o.bundle, net.a.ns, cfg, join(o.dir, 'peer.json'));
    return { net, charon, peer };
  } catch (e) {
    if (charon) await stopCharon(charon, { signal: 'SIGKILL', keepDir: true });
    await deletePair(net);
    throw e;
  }
}

export async function stopIkeInterop(x: IkeInterop): Promise<void> {
  await x.peer.stop();
  await stopCharon(x.charon, { signal: 'SIGKILL', keepDir: true });
  await deletePair(x.net);
}

/** Brings the CHILD_SA up from whichever side initiates; resolves with our child-up event. */
export async function bringUp(x: IkeInterop, ourRole: 'initiator' | 'responder'): Promise<Record<string, unknown>> {
  if (ourRole === 'initiator') {
    x.peer.send({ cmd: 'start' });
  } else {
    const r = await swanctl(x.charon, ['--initiate', '--child', IKE_CHILD, '--timeout', '10'], { timeoutMs: 15_000 });
    if (r.exitCode !== 0) throw new Error(`swanctl --initiate failed (${r.exitCode}): ${r.stdout}${r.stderr}`);
  }
  await x.peer.waitForEvent('ike-up');
  return x.peer.waitForEvent('child-up');
}

/** The kernel in charon's namespace pings our inner address through the tunnel. */
export function pingFromCharon(x: IkeInterop, count = 2): Promise<RunResult> {
  return run('ip', ['netns', 'exec', x.net.b.ns, 'ping', '-c', String(count), '-i', '0.2', '-W', '2', '-I', x.net.b.inner, x.net.a.inner], { timeoutMs: 15_000 });
}

/** We ping charon's inner address through the tunnel; resolves with the number of replies. */
export function pingFromUs(x: IkeInterop, count = 2): Promise<number> {
  return x.peer.ping(count);
}

export async function listSas(x: IkeInterop): Promise<string> {
  return (await swanctl(x.charon, ['--list-sas'])).stdout;
}

export function charonLog(x: IkeInterop): string {
  return readFileSync(x.charon.logPath, 'utf8');
}

/** Changes charon's `charon { }` settings while it runs (strongswan.conf rewritten, `swanctl --reload-settings`). */
export async function reloadCharonSettings(x: IkeInterop, settings: string): Promise<void> {
  writeFileSync(x.charon.strongswanConf, renderStrongswanConf(x.charon.dir, DEFAULT_CHARON_PLUGINS, settings));
  const r = await swanctl(x.charon, ['--reload-settings']);
  if (r.exitCode !== 0) throw new Error(`swanctl --reload-settings failed: ${r.stdout}${r.stderr}`);
}

/**
 * Leaves one half-open IKE SA at charon: an IKE_SA_INIT request (built by a throwaway IkeSa of ours) from
 * another source port, whose response nobody answers. charon's COOKIE threshold counts half-open SAs.
 */
export async function leaveHalfOpenSa(x: IkeInterop, ikeProposal: string): Promise<void> {
  const sa = new IkeSa({
    role: 'initiator', localAddress: x.net.a.outer, remoteAddress: x.net.b.outer, localId: x.net.a.outer, psk: Buffer.from(INTEROP_PSK),
    ikeProposals: [parseProposal(ikeProposal, 'ike')], espProposals: [parseProposal('aes128-sha256', 'esp')], localTs: ['0.0.0.0/0'], remoteTs: ['0.0.0.0/0'],
  });
  const request = sa.start(Date.now()).send[0].bytes.toString('hex');
  const send = "const s=require('dgram').createSocket('udp4');s.send(Buffer.from(process.argv[1],'hex'),500,process.argv[2],()=>s.close())";
  const r = await run('ip', ['netns', 'exec', x.net.a.ns, process.execPath, '-e', send, request, x.net.b.outer], { timeoutMs: 10_000 });
  if (r.exitCode !== 0) throw new Error(`could not send the IKE_SA_INIT: ${r.stderr}`);
  await waitFor(() => /parsed IKE_SA_INIT request 0 /.test(charonLog(x)), 5000);
}

/**
 * Stand-ins for XFRM interfaces, which this kernel does not have. An XFRM interface hands what is routed
 * into it to the SA with its if_id, and its admin state is its own: the SA is installed (and charon's
 * kernel-netlink installs no route for a policy with an if_id) whether it is up or down. kernel-libipsec's
 * TUN device is not that: charon routes into it before a CHILD_SA's up hook runs, and the kernel refuses a
 * route into a device that is down, so a tunnel whose interface our updown hook set down could never return.
 *
 * So each tunnel gets a TUN device of its own under the name our files use (held open for carrier), and an
 * nftables netdev egress rule forwards everything it transmits into the tunnel daemon's libipsec TUN device,
 * which stays up. The script and the routing daemon manage the stand-in (addresses, MTU, admin state, the
 * routes into it); decrypted traffic comes back out of the libipsec device, as it would out of an XFRM
 * interface's SA, so only outbound traffic is seen on the stand-in.
 */
import { spawn } from 'child_process';
import { join } from 'path';
import { trackPid, untrackPid } from './cleanup';
import { run, runChecked, waitFor } from './exec';

export interface StandIns {
  readonly ns: string;
  readonly pid: number;
}

/** Creates TUN devices `names` in `ns` and holds them open until stopStandIns. */
export async function startStandIns(ns: string, names: readonly string[]): Promise<StandIns> {
  const child = spawn('ip', ['netns', 'exec', ns, 'python3', join(__dirname, 'hold-tun.py'), ...names], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not spawn the TUN holder');
  trackPid(child.pid);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const ready = await waitFor(async () => output.includes('ready') || child.exitCode !== null, 10_000, 50);
  if (!ready || !output.includes('ready')) throw new Error(`the TUN holder did not start: ${output}`);
  return { ns, pid: child.pid };
}

/** The device a daemon started in `ns` created: waits for a name matching `pattern` that was not in `before`. */
export async function newDevice(ns: string, before: ReadonlySet<string>, pattern: RegExp): Promise<string> {
  let found: string | undefined;
  await waitFor(async () => (found = (await deviceNames(ns)).find((n) => pattern.test(n) && !before.has(n))) !== undefined, 10_000, 50);
  if (!found) throw new Error(`no new device matching ${pattern} appeared in ${ns}`);
  return found;
}

export async function deviceNames(ns: string): Promise<string[]> {
  return [...(await run('ip', ['-n', ns, '-o', 'link', 'show'])).stdout.matchAll(/^\d+: ([^:@]+)[:@]/gm)].map((m) => m[1]);
}

/** Everything `standIn` transmits goes out through `tun` instead (raw IP: both are TUN devices). */
export async function forwardInto(ns: string, standIn: string, tun: string): Promise<void> {
  const table = `standin_${standIn.replace(/\W/g, '_')}`;
  await runChecked('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], {
    input: `table netdev ${table} {\n  chain egress {\n    type filter hook egress device "${standIn}" priority 0;\n    fwd to "${tun}"\n  }\n}\n`,
  });
}

export async function stopStandIns(s: StandIns): Promise<void> {
  try {
    process.kill(s.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  untrackPid(s.pid);
}

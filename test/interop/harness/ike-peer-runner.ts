/**
 * Our IKEv2 + ESP engine as a process in a namespace for the interop tests: lib/verify/live's endpoint
 * process (peer-main.ts, the one `verify --live` runs as AWS), configured from an {@link IkePeerConfig} and
 * wrapped for tests: waits reject with what the peer printed, and count earlier matches (`skip`).
 */
import { bundlePeer, PeerProcess } from '../../../lib/verify/live/peer-process';
import type { PeerCommand, PeerConfig } from '../../../lib/verify/live/peer-protocol';

export interface IkePeerConfig {
  role: 'initiator' | 'responder';
  localAddress: string;
  remoteAddress: string;
  localId: string;
  remoteId?: string;
  /** Hex; absent with certificate authentication. */
  pskHex?: string;
  certificate?: { certificate: string; privateKey: string; trustAnchors: string[] };
  ike: string[];
  esp: string[];
  localTs: string[];
  remoteTs: string[];
  /** Our inside address (answers pings) and the peer's (where pingFromUs sends them). */
  inner: { local: string; remote: string };
  dpd?: { intervalSeconds: number; timeoutSeconds: number };
  choiceRule?: 'configured-order' | 'aws-lowest';
  /** Our responder demands a COOKIE round trip (RFC 7296 section 2.6). */
  requireCookie?: boolean;
}

export type IkePeerCommand = PeerCommand;

/** An event as printed: CHILD_SA keys replaced by SPIs and suite. */
export type PrintedEvent = Record<string, unknown> & { type: string };

/** One printed line of the peer: `{event}`, `{ready}`, `{ping}` or `{answered}`. */
export type PeerLine = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The endpoint process's script, bundled into `dir` (see lib/verify/live/peer-process.ts). */
export function bundleIkePeer(dir: string): string {
  return bundlePeer(dir);
}

function peerConfig(c: IkePeerConfig): PeerConfig {
  const { ike, esp, pskHex, inner, ...sa } = c;
  return { ike: sa, ikeProposals: ike, espProposals: esp, pskHex, insideAddress: inner.local };
}

export class IkePeer {
  private constructor(
    private readonly process: PeerProcess,
    private readonly remoteInner: string,
  ) {}

  static async start(bundle: string, ns: string, cfg: IkePeerConfig, configPath: string): Promise<IkePeer> {
    return new IkePeer(await PeerProcess.start(bundle, ns, peerConfig(cfg), configPath), cfg.inner.remote);
  }

  get lines(): readonly PeerLine[] {
    return this.process.lines;
  }

  send(command: IkePeerCommand): void {
    this.process.send(command);
  }

  /** Events printed so far, of one type. */
  events(type?: string): PeerLine[] {
    return this.process.events().filter((e) => type === undefined || e.type === type);
  }

  /** The (skip+1)-th line (already printed or still to come) that matches, or an error naming what was seen. */
  async waitFor(match: (l: PeerLine) => boolean, timeoutMs = 15_000, skip = 0): Promise<PeerLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = this.process.lines.filter(match);
      if (seen.length > skip) return seen[skip];
      const since = this.process.lines.length;
      if (!(await this.process.waitFor(match, deadline - Date.now(), since))) {
        const lines = JSON.stringify(this.process.lines).slice(-3000);
        throw new Error(`IKE peer: timed out; exited=${this.process.hasExited}; lines: ${lines}; stderr: ${this.process.errorOutput.slice(-2000)}`);
      }
    }
  }

  waitForEvent(type: string, timeoutMs?: number, skip = 0): Promise<PeerLine> {
    return this.waitFor((l) => l.event?.type === type, timeoutMs, skip).then((l) => l.event);
  }

  /** Echo requests through the tunnel to the peer's inside address; resolves with the number of replies. */
  async ping(count: number): Promise<number> {
    return (await this.process.ping(this.remoteInner, count)).received;
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}

/**
 * The IKEv2 state machine (RFC 7296), sans IO: fed datagrams, time and commands; returns datagrams to
 * send and events, and tells its owner when to call `tick` next. No sockets, clocks or timers inside, so
 * two instances wired back to back run every exchange deterministically.
 *
 * One `IkeSa` is one peer relationship: the IKE SA (its current `IkeContext`, replaced on an IKE SA rekey)
 * and the CHILD_SAs under it. Unauthenticated input never changes established state: IKE_SA_INIT is the
 * only cleartext exchange, and every later message is dropped unless its ICV verifies.
 */
import { createHash } from 'node:crypto';
import type { DhGroup } from '../algorithms/dh-groups';
import { KeyExchange, KeyExchangeError } from '../algorithms/key-exchange';
import { espSuiteFor } from '../esp/suites';
import type { SaConfig } from '../esp/types';
import { ResolvedConfig, IkeSaConfig, resolveConfig } from './config';
import { contextMatches, IkeContext, PendingRequest, spiText } from './context';
import { Authenticator } from './authenticator';
import { signedOctets } from './crypto/authentication';
import { ChildKeys, deriveChildKeys } from './crypto/child-keys';
import { openMessage, protectMessage, SkKeys } from './crypto/encrypted-payload';
import { deriveIkeKeys, initialSkeyseed, rekeySkeyseed } from './crypto/ike-keys';
import { natDetectionHash } from './crypto/nat-detection';
import type { IkeSuite } from './crypto/suite';
import type { ChildSaInfo, DeleteReason, IkeEvent, Outgoing, Step } from './events';
import { EXCHANGE, IKE_HEADER_LENGTH, isErrorNotify, NOTIFY, notifyName, PAYLOAD, PROTOCOL } from './message/constants';
import { encodeMessage, findNotify, findPayload, findPayloads, HeaderFields, parseHeader, parseMessage } from './message/message';
import type { Payload, PayloadOf } from './message/payload';
import { encodeId, idFromText, idToText } from './message/payloads/identification';
import type { TrafficSelector } from './message/payloads/traffic-selector';
import { invalidKeRetry } from './invalid-ke';
import { espKeyLogRows, ikeKeyLogRow } from './key-log';
import { acceptAnswer, answerProposal, chooseProposal, offerProposals, Selection, selectionText } from './proposals';
import { narrowSelectors, selectorFromCidr, selectorsWithin, selectorText } from './traffic-selectors';

const NONCE_LENGTH = 32;
/** A responder's half-open IKE SA gives way to a new IKE_SA_INIT after this long (strongSwan: 30 s). */
const HALF_OPEN_SECONDS = 30;
const ZERO_SPI = Buffer.alloc(8);

/** Where a datagram came from, as the transport saw it. */
export interface Source {
  readonly address: string;
  readonly port: number;
  /** It arrived on the NAT-T socket with the non-ESP marker (already stripped). */
  readonly natT: boolean;
}

export type IkeState =
  /** Responder waiting for IKE_SA_INIT, or initiator not started. */
  | 'idle'
  | 'init-sent'
  | 'init-replied'
  | 'auth-sent'
  | 'established'
  | 'deleting'
  | 'deleted'
  | 'failed';

interface InitiatorInit {
  readonly spiI: Buffer;
  readonly ni: Buffer;
  kex: KeyExchange;
  /** The groups our KE payloads used so far (INVALID_KE_PAYLOAD retries). */
  readonly tried: DhGroup[];
  cookie?: Buffer;
  request: Buffer;
  attempts: number;
  nextAt: number;
}

interface HalfOpen {
  readonly spiI: Buffer;
  readonly spiR: Buffer;
  readonly ni: Buffer;
  readonly nr: Buffer;
  /** Our IKE_SA_INIT message (request or response), signed in AUTH. */
  readonly ownInit: Buffer;
  /** Responder: the IKE_SA_INIT request, to answer its retransmissions. */
  readonly peerInit?: Buffer;
  readonly ctx: IkeContext;
  /** Initiator: the SPI we chose for the first CHILD_SA. */
  readonly childSpi?: number;
}

export interface Child {
  readonly inSpi: number;
  readonly outSpi: number;
  readonly selection: Selection;
  readonly info: ChildSaInfo;
  readonly localTs: readonly TrafficSelector[];
  readonly remoteTs: readonly TrafficSelector[];
  rekeyAt: number;
  readonly expireAt: number;
  state: 'installed' | 'rekeying' | 'rekeyed' | 'deleting';
  /** Our rekey in flight: its nonce; and the peer's colliding exchange's nonces and result, if any. */
  rekey?: { readonly ni: Buffer; peer?: { readonly nonces: readonly Buffer[]; readonly child: Child } };
}

function spiBytes(spi: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(spi >>> 0);
  return b;
}

const lowest = (nonces: readonly Buffer[]): Buffer => [...nonces].sort(Buffer.compare)[0];

export class IkeSa {
  private readonly cfg: ResolvedConfig;
  private readonly auth: Authenticator;
  private stateValue: IkeState = 'idle';
  private current?: IkeContext;
  private readonly retiring: IkeContext[] = [];
  private starting?: InitiatorInit;
  private halfOpen?: HalfOpen;
  private readonly childList: Child[] = [];
  private natT: boolean;
  private remotePort: number;
  private lastInboundAt = 0;
  private readonly cookieSecret: Buffer;
  private readonly localTs: TrafficSelector[];
  private readonly remoteTs: TrafficSelector[];
  private out: Outgoing[] = [];
  private events: IkeEvent[] = [];

  constructor(config: IkeSaConfig) {
    this.cfg = resolveConfig(config);
    this.auth = new Authenticator(this.cfg.psk, this.cfg.certificate);
    this.natT = this.cfg.forceEncapsulation === true && this.cfg.role === 'responder';
    this.remotePort = this.cfg.remotePort;
    this.cookieSecret = this.cfg.random(32);
    this.localTs = this.cfg.localTs.map(selectorFromCidr);
    this.remoteTs = this.cfg.remoteTs.map(selectorFromCidr);
  }

  get state(): IkeState {
    return this.stateValue;
  }

  /** The installed CHILD_SAs (rekeyed-away ones until their DELETE completes included). */
  get children(): readonly Child[] {
    return this.childList;
  }

  /** The current IKE SA's SPIs, once IKE_SA_INIT completed. */
  get spis(): { spiI: string; spiR: string } | undefined {
    const ctx = this.current ?? this.halfOpen?.ctx;
    return ctx ? { spiI: ctx.spiI.toString('hex'), spiR: ctx.spiR.toString('hex') } : undefined;
  }

  /** The current IKE SA's keys, for the opt-in key log. */
  get keyMaterial(): { spiI: Buffer; spiR: Buffer; suite: IkeSuite; keys: IkeContext['keys'] } | undefined {
    const ctx = this.current ?? this.halfOpen?.ctx;
    return ctx ? { spiI: ctx.spiI, spiR: ctx.spiR, suite: ctx.suite, keys: ctx.keys } : undefined;
  }

  // ---------------------------------------------------------------------------------------------- API

  /** Initiator: send IKE_SA_INIT. */
  start(now: number): Step {
    if (this.cfg.role !== 'initiator') throw new Error('Only an initiator starts an IKE SA');
    if (this.stateValue !== 'idle') throw new Error(`The IKE SA was already started (state ${this.stateValue})`);
    const proposal = this.cfg.ikeProposals[0];
    const group = proposal.dhGroups[0];
    this.starting = { spiI: this.newIkeSpi(), ni: this.cfg.random(NONCE_LENGTH), kex: this.cfg.keyExchange(group), tried: [group], request: Buffer.alloc(0), attempts: 0, nextAt: now };
    this.sendInitRequest(now);
    this.stateValue = 'init-sent';
    return this.flush();
  }

  receive(bytes: Buffer, from: Source, now: number): Step {
    try {
      this.dispatch(bytes, from, now);
    } catch (e) {
      if (!(e instanceof KeyExchangeError)) throw e;
      this.events.push({ type: 'ignored', detail: e.message });
    }
    return this.flush();
  }

  /** Runs whatever is due at `now`: retransmissions, timeouts, DPD, rekeys, expiries. */
  tick(now: number): Step {
    this.runTimers(now);
    return this.flush();
  }

  /** The next time `tick` has work, or undefined when nothing is scheduled. */
  nextDeadline(): number | undefined {
    const times: number[] = [];
    if (this.starting && this.stateValue === 'init-sent') times.push(this.starting.nextAt);
    for (const ctx of this.contexts()) {
      if (ctx.pending) times.push(Math.min(ctx.pending.nextAt, ctx.pending.giveUpAt ?? Infinity));
    }
    if (this.stateValue === 'established' && this.current) {
      times.push(this.current.rekeyAt, this.current.expireAt);
      for (const c of this.childList) times.push(c.state === 'installed' ? c.rekeyAt : Infinity, c.expireAt);
      const dpd = this.cfg.dpd;
      if (dpd && dpd.intervalSeconds > 0 && !this.current.pending) times.push(this.lastInboundAt + dpd.intervalSeconds * 1000);
    }
    const finite = times.filter((t) => Number.isFinite(t));
    return finite.length ? Math.min(...finite) : undefined;
  }

  /** Tells DPD that the peer is alive (an authentic inbound ESP packet counts, RFC 7296 section 2.4). */
  noteInboundTraffic(now: number): void {
    this.lastInboundAt = Math.max(this.lastInboundAt, now);
  }

  rekeyChild(now: number, inboundSpi?: number): Step {
    const child = this.childList.find((c) => c.state === 'installed' && (inboundSpi === undefined || c.inSpi === inboundSpi));
    if (child) this.whenWindowFree(now, (t) => this.requestChildRekey(child, t));
    return this.flush();
  }

  rekeyIke(now: number): Step {
    if (this.current && this.stateValue === 'established') this.whenWindowFree(now, (t) => this.requestIkeRekey(t));
    return this.flush();
  }

  /**
   * A liveness check now (an empty INFORMATIONAL request). While another request is in flight, that one is
   * the check: with DPD configured every request gives up on the peer after the DPD timeout.
   */
  checkLiveness(now: number): Step {
    if (this.current && this.stateValue === 'established' && !this.current.pending) this.requestDpd(now);
    return this.flush();
  }

  deleteChild(now: number, inboundSpi: number): Step {
    const child = this.childList.find((c) => c.inSpi === inboundSpi);
    if (child) this.whenWindowFree(now, (t) => this.requestChildDelete(child, 'local', t));
    return this.flush();
  }

  /** Sends DELETE for the IKE SA (and so every CHILD_SA) and forgets it once answered or timed out. */
  delete(now: number): Step {
    if (this.current && (this.stateValue === 'established' || this.stateValue === 'deleting')) {
      const ctx = this.current;
      this.stateValue = 'deleting';
      ctx.queue.length = 0;
      if (ctx.pending) ctx.pending = undefined;
      this.request(ctx, EXCHANGE.INFORMATIONAL, 'INFORMATIONAL (delete IKE SA)', [{ type: PAYLOAD.D, protocol: PROTOCOL.IKE, spis: [] }], now, {
        onResponse: () => this.terminate('local'),
        onTimeout: () => this.terminate('local'),
      });
    }
    return this.flush();
  }

  // ---------------------------------------------------------------------------------------- plumbing

  private flush(): Step {
    const step = { send: this.out, events: this.events };
    this.out = [];
    this.events = [];
    return step;
  }

  private contexts(): IkeContext[] {
    return [...(this.current ? [this.current] : []), ...this.retiring, ...(this.halfOpen && !this.current ? [this.halfOpen.ctx] : [])];
  }

  private emit(bytes: Buffer): void {
    this.out.push({ bytes, remoteAddress: this.cfg.remoteAddress, remotePort: this.remotePort, natT: this.natT });
  }

  private newIkeSpi(): Buffer {
    for (;;) {
      const spi = this.cfg.random(8);
      if (!spi.equals(ZERO_SPI)) return Buffer.from(spi);
    }
  }

  private newChildSpi(): number {
    for (;;) {
      const spi = this.cfg.random(4).readUInt32BE(0);
      if (spi >= 0x100 && !this.childList.some((c) => c.inSpi === spi)) return spi;
    }
  }

  private fuzzedRekeyAt(now: number, lifetimeSeconds: number): number {
    const { marginSeconds, fuzzPercent } = this.cfg.lifetimes;
    const fraction = this.cfg.random(4).readUInt32BE(0) / 0x1_0000_0000;
    const fuzz = (marginSeconds * fuzzPercent * fraction) / 100;
    return now + Math.max(0, lifetimeSeconds - marginSeconds - fuzz) * 1000;
  }

  private fail(exchange: string, detail: string, notify?: number): void {
    this.stateValue = 'failed';
    this.events.push({ type: 'failed', exchange, detail, ...(notify !== undefined ? { notify: notifyName(notify) } : {}) });
  }

  private terminate(reason: DeleteReason): void {
    for (const c of [...this.childList]) this.removeChild(c, reason);
    this.current = undefined;
    this.retiring.length = 0;
    this.stateValue = 'deleted';
    this.events.push({ type: 'deleted', reason });
  }

  private removeChild(child: Child, reason: DeleteReason): void {
    const i = this.childList.indexOf(child);
    if (i < 0) return;
    this.childList.splice(i, 1);
    this.events.push({ type: 'child-deleted', inboundSpi: child.inSpi, outboundSpi: child.outSpi, reason });
  }

  // --------------------------------------------------------------------------------- IKE_SA_INIT (I)

  private initNotifies(spiI: Buffer, spiR: Buffer): Payload[] {
    const src = natDetectionHash(spiI, spiR, this.cfg.localAddress, this.cfg.localPort);
    // Forcing encapsulation: a source hash no NAT-free path produces (RFC 7296 section 2.23 allows it).
    const srcData = this.cfg.forceEncapsulation ? createHash('sha1').update(src).digest() : src;
    const dst = natDetectionHash(spiI, spiR, this.cfg.remoteAddress, this.remotePort);
    return [
      { type: PAYLOAD.N, protocol: 0, spi: Buffer.alloc(0), notifyType: NOTIFY.NAT_DETECTION_SOURCE_IP, data: srcData },
      { type: PAYLOAD.N, protocol: 0, spi: Buffer.alloc(0), notifyType: NOTIFY.NAT_DETECTION_DESTINATION_IP, data: dst },
    ];
  }

  private sendInitRequest(now: number): void {
    const s = this.starting!;
    const payloads: Payload[] = [];
    if (s.cookie) payloads.push({ type: PAYLOAD.N, protocol: 0, spi: Buffer.alloc(0), notifyType: NOTIFY.COOKIE, data: s.cookie });
    payloads.push(
      { type: PAYLOAD.SA, proposals: offerProposals(this.cfg.ikeProposals, Buffer.alloc(0), true) },
      { type: PAYLOAD.KE, group: s.kex.group.ianaId, data: s.kex.publicKey },
      { type: PAYLOAD.NONCE, data: s.ni },
      ...this.initNotifies(s.spiI, ZERO_SPI),
      ...this.auth.initNotifies(),
    );
    s.request = encodeMessage({ spiI: s.spiI, spiR: ZERO_SPI, exchange: EXCHANGE.IKE_SA_INIT, initiator: true, response: false, messageId: 0 }, payloads);
    s.attempts = 0;
    s.nextAt = now + this.cfg.retransmit.timeoutMs;
    this.emit(s.request);
  }

  private onInitResponse(payloads: readonly Payload[], spiR: Buffer, now: number): void {
    const s = this.starting!;
    const cookie = findNotify(payloads, NOTIFY.COOKIE);
    if (cookie) {
      if (s.cookie && s.cookie.equals(cookie.data)) return;
      s.cookie = cookie.data;
      this.sendInitRequest(now);
      return;
    }
    const retry = invalidKeRetry(payloads, this.configuredIkeGroups(), s.tried);
    if (retry) {
      if ('refuse' in retry) return this.fail('IKE_SA_INIT', retry.refuse, NOTIFY.INVALID_KE_PAYLOAD);
      s.kex = this.cfg.keyExchange(retry.retry);
      s.tried.push(retry.retry);
      this.sendInitRequest(now);
      return;
    }
    const error = findPayloads(payloads, PAYLOAD.N).find((n) => isErrorNotify(n.notifyType));
    if (error) return this.fail('IKE_SA_INIT', `the responder answered ${notifyName(error.notifyType)}`, error.notifyType);
    const sa = findPayload(payloads, PAYLOAD.SA);
    const ke = findPayload(payloads, PAYLOAD.KE);
    const nonce = findPayload(payloads, PAYLOAD.NONCE);
    if (!sa || !ke || !nonce) return; // not a usable answer; keep retransmitting
    const selection = acceptAnswer(sa.proposals, this.cfg.ikeProposals, 'ike', 'match');
    if (!selection || selection.dhGroup !== s.kex.group || ke.group !== s.kex.group.ianaId) {
      return this.fail('IKE_SA_INIT', 'the responder chose a proposal we did not offer', NOTIFY.NO_PROPOSAL_CHOSEN);
    }
    const gir = s.kex.computeSharedSecret(ke.data);
    const suite = ikeSuite(selection);
    const keys = deriveIkeKeys(suite, initialSkeyseed(suite.prf, s.ni, nonce.data, gir), s.ni, nonce.data, s.spiI, spiR);
    this.detectNat(payloads, s.spiI, spiR);
    if (this.natT) this.remotePort = this.cfg.remoteNatPort;
    const ctx = this.newContext(s.spiI, spiR, true, selection, keys, now, true);
    const childSpi = this.newChildSpi();
    this.halfOpen = { spiI: s.spiI, spiR, ni: s.ni, nr: nonce.data, ownInit: s.request, ctx, childSpi };
    this.starting = undefined;
    this.stateValue = 'auth-sent';
    this.sendAuthRequest(now);
  }

  private configuredIkeGroups(): DhGroup[] {
    return this.cfg.ikeProposals.flatMap((p) => p.dhGroups);
  }

  private detectNat(payloads: readonly Payload[], spiI: Buffer, spiR: Buffer): void {
    const sources = findPayloads(payloads, PAYLOAD.N).filter((n) => n.notifyType === NOTIFY.NAT_DETECTION_SOURCE_IP);
    const destination = findNotify(payloads, NOTIFY.NAT_DETECTION_DESTINATION_IP);
    if (sources.length === 0 || !destination) {
      this.natT = this.natT || this.cfg.forceEncapsulation === true;
      return;
    }
    const remoteSeen = natDetectionHash(spiI, spiR, this.cfg.remoteAddress, this.remotePort);
    const localSeen = natDetectionHash(spiI, spiR, this.cfg.localAddress, this.cfg.localPort);
    const remoteBehindNat = !sources.some((n) => n.data.equals(remoteSeen));
    const localBehindNat = !destination.data.equals(localSeen);
    this.natT = this.natT || remoteBehindNat || localBehindNat || this.cfg.forceEncapsulation === true;
  }

  /** `viaInit`: created by IKE_SA_INIT, which used message ID 0; a rekeyed IKE SA starts at 0 (RFC 7296 2.18). */
  private newContext(spiI: Buffer, spiR: Buffer, originalInitiator: boolean, selection: Selection, keys: IkeContext['keys'], now: number, viaInit = false): IkeContext {
    const suite = ikeSuite(selection);
    const dir = (encryptionKey: Buffer, integrityKey: Buffer): SkKeys => ({ encryption: suite.encryption, integrity: suite.integrity, encryptionKey, integrityKey });
    const row = this.cfg.keyLog && ikeKeyLogRow(spiI, spiR, suite, keys);
    if (row) this.cfg.keyLog!('ikev2_decryption_table', row);
    const i2r = dir(keys.skEi, keys.skAi);
    const r2i = dir(keys.skEr, keys.skAr);
    return {
      spiI,
      spiR,
      originalInitiator,
      selection,
      suite,
      keys,
      send: originalInitiator ? i2r : r2i,
      recv: originalInitiator ? r2i : i2r,
      // Each direction counts its own requests: IKE_SA_INIT and IKE_AUTH are the initiator's 0 and 1.
      nextRequestId: viaInit && originalInitiator ? 1 : 0,
      peerNextId: viaInit && !originalInitiator ? 1 : 0,
      queue: [],
      createdAt: now,
      rekeyAt: this.fuzzedRekeyAt(now, this.cfg.lifetimes.ikeSeconds),
      expireAt: now + this.cfg.lifetimes.ikeSeconds * 1000,
    };
  }

  // ------------------------------------------------------------------------------------ IKE_AUTH (I)

  private localIdPayload(type: typeof PAYLOAD.IDi | typeof PAYLOAD.IDr): PayloadOf<typeof PAYLOAD.IDi | typeof PAYLOAD.IDr> {
    return { type, ...idFromText(this.cfg.localId) } as PayloadOf<typeof PAYLOAD.IDi | typeof PAYLOAD.IDr>;
  }

  private sendAuthRequest(now: number): void {
    const h = this.halfOpen!;
    const ctx = h.ctx;
    const idi = this.localIdPayload(PAYLOAD.IDi);
    const { cert, certReq } = this.auth.credentialPayloads();
    const payloads: Payload[] = [idi, ...cert, ...certReq];
    if (this.cfg.remoteId) payloads.push({ type: PAYLOAD.IDr, ...idFromText(this.cfg.remoteId) });
    payloads.push(
      this.auth.authPayload(ctx.suite.prf, signedOctets(ctx.suite.prf, h.ownInit, h.nr, ctx.keys.skPi, encodeId(idi))),
      { type: PAYLOAD.N, protocol: 0, spi: Buffer.alloc(0), notifyType: NOTIFY.INITIAL_CONTACT, data: Buffer.alloc(0) },
      { type: PAYLOAD.SA, proposals: offerProposals(this.cfg.espProposals, spiBytes(h.childSpi!), false) },
      { type: PAYLOAD.TSi, selectors: this.localTs },
      { type: PAYLOAD.TSr, selectors: this.remoteTs },
    );
    this.request(ctx, EXCHANGE.IKE_AUTH, 'IKE_AUTH', payloads, now, {
      onResponse: (p, t) => this.onAuthResponse(p, t),
      onTimeout: () => this.fail('IKE_AUTH', `no response after ${this.cfg.retransmit.tries} retransmissions`),
    });
  }

  private onAuthResponse(payloads: Payload[], now: number): void {
    const h = this.halfOpen!;
    const ctx = h.ctx;
    if (findNotify(payloads, NOTIFY.AUTHENTICATION_FAILED)) return this.fail('IKE_AUTH', 'the responder refused our authentication', NOTIFY.AUTHENTICATION_FAILED);
    const idr = findPayload(payloads, PAYLOAD.IDr);
    const refused = idr ? this.peerAuthProblem(payloads, idr, signedOctets(ctx.suite.prf, this.peerInitBytes(), h.ni, ctx.keys.skPr, encodeId(idr)), ctx) : 'the response has no IDr';
    if (refused) {
      this.informational(ctx, [{ type: PAYLOAD.N, protocol: 0, spi: Buffer.alloc(0), notifyType: NOTIFY.AUTHENTICATION_FAILED, data: Buffer.alloc(0) }], now);
      return this.fail('IKE_AUTH', `the responder's authentication failed: ${refused}`, NOTIFY.AUTHENTICATION_FAILED);
    }
    this.establish(ctx, idToText(idr!), now);
    const error = findPayloads(payloads, PAYLOAD.N).find((n) => isErrorNotify(n.notifyType));
    if (error) {
      this.events.push({ type: 'failed', exchange: 'IKE_AUTH (CHILD_SA)', notify: notifyName(error.notifyType), detail: `the responder refused the CHILD_SA: ${notifyName(error.notifyType)}` });
      return;
    }
    const child = this.childFromAnswer(payloads, h.childSpi!, ctx, h.ni, h.nr, undefined, 'ignore');
    if (typeof child === 'string') {
      this.events.push({ type: 'failed', exchange: 'IKE_AUTH (CHILD_SA)', notify: 'NO_PROPOSAL_CHOSEN', detail: child });
      return;
    }
    this.installChild(child, now);
  }

  /** Why the peer's identity or AUTH is refused, or undefined when it checks out. */
  private peerAuthProblem(payloads: readonly Payload[], id: PayloadOf<typeof PAYLOAD.IDi | typeof PAYLOAD.IDr>, octets: Buffer, ctx: IkeContext): string | undefined {
    if (this.cfg.remoteId !== undefined && idToText(id) !== idToText(idFromText(this.cfg.remoteId))) return `the peer is ${idToText(id)}, not ${this.cfg.remoteId}`;
    return this.auth.verify(ctx.suite.prf, payloads, octets, this.cfg.remoteId, (this.cfg.wallClock ?? (() => new Date()))());
  }

  /** The responder's IKE_SA_INIT response, kept when it arrived. */
  private initResponseBytes?: Buffer;

  private peerInitBytes(): Buffer {
    return this.initResponseBytes!;
  }

  private establish(ctx: IkeContext, remoteId: string, now: number): void {
    this.current = ctx;
    this.halfOpen = undefined;
    this.stateValue = 'established';
    this.lastInboundAt = now;
    this.events.push({ type: 'ike-up', proposal: selectionText(ctx.selection), spiI: ctx.spiI.toString('hex'), spiR: ctx.spiR.toString('hex'), natT: this.natT, remoteId });
  }

  // --------------------------------------------------------------------------- IKE_SA_INIT (R) and AUTH

  private cookieFor(spiI: Buffer, ni: Buffer, from: Source): Buffer {
    return createHash('sha256').update(this.cookieSecret).update(ni).update(from.address).update(spiI).digest().subarray(0, 16);
  }

  private replyInit(spiI: Buffer, spiR: Buffer, payloads: Payload[], from: Source): Buffer {
    const bytes = encodeMessage({ spiI, spiR, exchange: EXCHANGE.IKE_SA_INIT, initiator: false, response: true, messageId: 0 }, payloads);
    this.out.push({ bytes, remoteAddress: from.address, remotePort: from.port, natT: from.natT });
    return bytes;
  }

  private notifyOnly(type: number, data: Buffer = Buffer.alloc(0)): Payload {
    return { type: PAYLOAD.N, protocol: 0, spi: Buffer.alloc(0), notifyType: type, data };
  }

  private onInitRequest(bytes: Buffer, spiI: Buffer, payloads: readonly Payload[], from: Source, now: number): void {
    if (this.halfOpen && this.halfOpen.spiI.equals(spiI)) {
      // A retransmission of the request we answered: answer it again, byte for byte.
      if (this.halfOpen.peerInit?.equals(bytes)) this.out.push({ bytes: this.halfOpen.ownInit, remoteAddress: from.address, remotePort: from.port, natT: from.natT });
      return;
    }
    if (this.stateValue !== 'idle' && this.stateValue !== 'init-replied' && this.stateValue !== 'failed') return;
    // An unauthenticated IKE_SA_INIT must not displace a half-open SA that may still complete.
    if (this.halfOpen && now - this.halfOpen.ctx.createdAt < HALF_OPEN_SECONDS * 1000) return;
    const sa = findPayload(payloads, PAYLOAD.SA);
    const ke = findPayload(payloads, PAYLOAD.KE);
    const nonce = findPayload(payloads, PAYLOAD.NONCE);
    if (!sa || !ke || !nonce) {
      this.replyInit(spiI, ZERO_SPI, [this.notifyOnly(NOTIFY.INVALID_SYNTAX)], from);
      return;
    }
    if (this.cfg.requireCookie) {
      const expected = this.cookieFor(spiI, nonce.data, from);
      const first = payloads[0];
      const ok = first.type === PAYLOAD.N && first.notifyType === NOTIFY.COOKIE && first.data.equals(expected);
      if (!ok) {
        this.replyInit(spiI, ZERO_SPI, [this.notifyOnly(NOTIFY.COOKIE, expected)], from);
        return;
      }
    }
    const selection = chooseProposal(sa.proposals, this.cfg.ikeProposals, 'ike', this.cfg.choiceRule, 'match');
    if (!selection) {
      this.replyInit(spiI, ZERO_SPI, [this.notifyOnly(NOTIFY.NO_PROPOSAL_CHOSEN)], from);
      this.events.push({ type: 'failed', exchange: 'IKE_SA_INIT', notify: 'NO_PROPOSAL_CHOSEN', detail: 'no proposal of the initiator matches ours' });
      return;
    }
    const group = selection.dhGroup!;
    if (ke.group !== group.ianaId) {
      const data = Buffer.alloc(2);
      data.writeUInt16BE(group.ianaId);
      this.replyInit(spiI, ZERO_SPI, [this.notifyOnly(NOTIFY.INVALID_KE_PAYLOAD, data)], from);
      return;
    }
    const kex = this.cfg.keyExchange(group);
    const gir = kex.computeSharedSecret(ke.data);
    const spiR = this.newIkeSpi();
    const nr = this.cfg.random(NONCE_LENGTH);
    this.remotePort = from.port;
    this.detectNat(payloads, spiI, ZERO_SPI);
    const suite = ikeSuite(selection);
    const keys = deriveIkeKeys(suite, initialSkeyseed(suite.prf, nonce.data, nr, gir), nonce.data, nr, spiI, spiR);
    const ownInit = this.replyInit(spiI, spiR, [
      { type: PAYLOAD.SA, proposals: [answerProposal(selection, Buffer.alloc(0))] },
      { type: PAYLOAD.KE, group: group.ianaId, data: kex.publicKey },
      { type: PAYLOAD.NONCE, data: nr },
      ...this.responderNatNotifies(spiI, spiR, from),
      ...this.auth.initNotifies(),
      // The responder asks for the initiator's certificate here (RFC 7296 section 1.2): peers send one only when asked.
      ...this.auth.credentialPayloads().certReq,
    ], from);
    const ctx = this.newContext(spiI, spiR, false, selection, keys, now, true);
    this.halfOpen = { spiI, spiR, ni: nonce.data, nr, ownInit, peerInit: Buffer.from(bytes), ctx };
    this.stateValue = 'init-replied';
  }

  private responderNatNotifies(spiI: Buffer, spiR: Buffer, from: Source): Payload[] {
    const src = natDetectionHash(spiI, spiR, this.cfg.localAddress, this.cfg.localPort);
    const srcData = this.cfg.forceEncapsulation ? createHash('sha1').update(src).digest() : src;
    return [
      this.notifyOnly(NOTIFY.NAT_DETECTION_SOURCE_IP, srcData),
      this.notifyOnly(NOTIFY.NAT_DETECTION_DESTINATION_IP, natDetectionHash(spiI, spiR, from.address, from.port)),
    ];
  }

  private onAuthRequest(ctx: IkeContext, messageId: number, payloads: Payload[], now: number): void {
    const h = this.halfOpen!;
    const idi = findPayload(payloads, PAYLOAD.IDi);
    const refused = idi ? this.peerAuthProblem(payloads, idi, signedOctets(ctx.suite.prf, h.peerInit!, h.nr, ctx.keys.skPi, encodeId(idi)), ctx) : 'the request has no IDi';
    if (refused) {
      this.respond(ctx, EXCHANGE.IKE_AUTH, messageId, [this.notifyOnly(NOTIFY.AUTHENTICATION_FAILED)]);
      this.halfOpen = undefined;
      return this.fail('IKE_AUTH', `the initiator's authentication failed: ${refused}`, NOTIFY.AUTHENTICATION_FAILED);
    }
    const idr = this.localIdPayload(PAYLOAD.IDr);
    const response: Payload[] = [
      idr,
      ...this.auth.credentialPayloads().cert,
      this.auth.authPayload(ctx.suite.prf, signedOctets(ctx.suite.prf, h.ownInit, h.ni, ctx.keys.skPr, encodeId(idr))),
    ];
    const childResult = this.childForRequest(payloads, ctx, h.ni, h.nr, undefined, 'ignore');
    if (typeof childResult === 'number') response.push(this.notifyOnly(childResult));
    else response.push(...childResult.response);
    this.respond(ctx, EXCHANGE.IKE_AUTH, messageId, response);
    this.establish(ctx, idToText(idi!), now);
    if (typeof childResult === 'number') {
      this.events.push({ type: 'failed', exchange: 'IKE_AUTH (CHILD_SA)', notify: notifyName(childResult), detail: `we refused the CHILD_SA: ${notifyName(childResult)}` });
    } else {
      this.installChild(childResult.child, now);
    }
  }

  // ------------------------------------------------------------------------------------- CHILD_SAs

  private espConfigs(selection: Selection, keys: ChildKeys, weInitiated: boolean, inSpi: number, outSpi: number): { inbound: SaConfig; outbound: SaConfig } {
    const suite = espSuiteFor(selection.encryption.keyword, selection.integrity?.keyword);
    if (!suite) throw new Error(`The ESP engine runs no suite for ${selectionText(selection)}`);
    const ours = weInitiated ? keys.initiatorToResponder : keys.responderToInitiator;
    const theirs = weInitiated ? keys.responderToInitiator : keys.initiatorToResponder;
    const integrity = (k: Buffer) => (k.length ? { integrityKey: k } : {});
    const common = { suite, mode: 'tunnel' as const, esn: selection.esn, replayWindow: this.cfg.replayWindow ?? 64 };
    return {
      outbound: {
        ...common,
        spi: outSpi,
        encryptionKey: ours.encryptionKey,
        ...integrity(ours.integrityKey),
        outer: { src: this.cfg.localAddress, dst: this.cfg.remoteAddress },
        ...(this.natT ? { natT: { srcPort: this.cfg.localNatPort, dstPort: this.remotePort } } : {}),
      },
      inbound: {
        ...common,
        spi: inSpi,
        encryptionKey: theirs.encryptionKey,
        ...integrity(theirs.integrityKey),
        outer: { src: this.cfg.remoteAddress, dst: this.cfg.localAddress },
        ...(this.natT ? { natT: { srcPort: this.remotePort, dstPort: this.cfg.localNatPort } } : {}),
      },
    };
  }

  private makeChild(selection: Selection, keys: ChildKeys, weInitiated: boolean, inSpi: number, outSpi: number, localTs: TrafficSelector[], remoteTs: TrafficSelector[], now: number): Child {
    const { inbound, outbound } = this.espConfigs(selection, keys, weInitiated, inSpi, outSpi);
    const info: ChildSaInfo = {
      proposal: selectionText(selection),
      inbound,
      outbound,
      localTs,
      remoteTs,
      localTsText: localTs.map(selectorText),
      remoteTsText: remoteTs.map(selectorText),
    };
    return {
      inSpi,
      outSpi,
      selection,
      info,
      localTs,
      remoteTs,
      rekeyAt: this.fuzzedRekeyAt(now, this.cfg.lifetimes.childSeconds),
      expireAt: now + this.cfg.lifetimes.childSeconds * 1000,
      state: 'installed',
    };
  }

  /** Initiator of an exchange: the CHILD_SA the responder's SA/TS payloads describe, or why not. */
  private childFromAnswer(payloads: Payload[], inSpi: number, ctx: IkeContext, ni: Buffer, nr: Buffer, gir: Buffer | undefined, dhMode: 'match' | 'ignore', tsi: readonly TrafficSelector[] = this.localTs, tsr: readonly TrafficSelector[] = this.remoteTs): Child | string {
    const sa = findPayload(payloads, PAYLOAD.SA);
    const tsI = findPayload(payloads, PAYLOAD.TSi);
    const tsR = findPayload(payloads, PAYLOAD.TSr);
    if (!sa || !tsI || !tsR) return 'the response lacks SA, TSi or TSr';
    const selection = acceptAnswer(sa.proposals, this.cfg.espProposals, 'esp', dhMode);
    if (!selection || selection.spi.length !== 4) return 'the responder chose an ESP proposal we did not offer';
    if (!selectorsWithin(tsI.selectors, tsi) || !selectorsWithin(tsR.selectors, tsr)) return 'the responder widened our traffic selectors';
    const keys = deriveChildKeys(ctx.suite.prf, ctx.keys.skD, selection, ni, nr, gir);
    return this.makeChild(selection, keys, true, inSpi, selection.spi.readUInt32BE(0), [...tsI.selectors], [...tsR.selectors], ctx.createdAt);
  }

  /** Responder of an exchange: the CHILD_SA for the request's SA/TS payloads and our answer, or the error notify. */
  private childForRequest(payloads: Payload[], ctx: IkeContext, ni: Buffer, nr: Buffer, kexResult: { gir: Buffer } | undefined, dhMode: 'match' | 'ignore', selection?: Selection): { child: Child; response: Payload[] } | number {
    const sa = findPayload(payloads, PAYLOAD.SA);
    const tsI = findPayload(payloads, PAYLOAD.TSi);
    const tsR = findPayload(payloads, PAYLOAD.TSr);
    if (!sa || !tsI || !tsR) return NOTIFY.INVALID_SYNTAX;
    const chosen = selection ?? chooseProposal(sa.proposals, this.cfg.espProposals, 'esp', this.cfg.choiceRule, dhMode);
    if (!chosen || chosen.spi.length !== 4) return NOTIFY.NO_PROPOSAL_CHOSEN;
    const narrowedI = narrowSelectors(tsI.selectors, this.remoteTs);
    const narrowedR = narrowSelectors(tsR.selectors, this.localTs);
    if (narrowedI.length === 0 || narrowedR.length === 0) return NOTIFY.TS_UNACCEPTABLE;
    const keys = deriveChildKeys(ctx.suite.prf, ctx.keys.skD, chosen, ni, nr, kexResult?.gir);
    const inSpi = this.newChildSpi();
    const child = this.makeChild(chosen, keys, false, inSpi, chosen.spi.readUInt32BE(0), narrowedR, narrowedI, ctx.createdAt);
    return {
      child,
      response: [
        { type: PAYLOAD.SA, proposals: [answerProposal(chosen, spiBytes(inSpi))] },
        { type: PAYLOAD.TSi, selectors: narrowedI },
        { type: PAYLOAD.TSr, selectors: narrowedR },
      ],
    };
  }

  private installChild(child: Child, now: number): void {
    const fresh = { ...child, rekeyAt: this.fuzzedRekeyAt(now, this.cfg.lifetimes.childSeconds), expireAt: now + this.cfg.lifetimes.childSeconds * 1000 };
    this.childList.push(fresh);
    if (this.cfg.keyLog) for (const row of espKeyLogRows(fresh.info)) this.cfg.keyLog('esp_sa', row);
    this.events.push({ type: 'child-up', child: fresh.info });
  }

  private pfsGroupFor(child: Child): DhGroup | undefined {
    return child.selection.dhGroup ?? this.cfg.espProposals.find((p) => p.dhGroups.length > 0)?.dhGroups[0];
  }

  /** `tried`: the PFS groups this rekey's earlier attempts used (INVALID_KE_PAYLOAD retries). */
  private requestChildRekey(child: Child, now: number, group: DhGroup | undefined = this.pfsGroupFor(child), tried: readonly DhGroup[] = []): void {
    const ctx = this.current;
    if (!ctx || child.state !== 'installed' && child.state !== 'rekeying') return;
    const inSpi = this.newChildSpi();
    const ni = this.cfg.random(NONCE_LENGTH);
    const kex = group ? this.cfg.keyExchange(group) : undefined;
    child.state = 'rekeying';
    child.rekey = { ni, peer: child.rekey?.peer };
    const payloads: Payload[] = [
      { type: PAYLOAD.N, protocol: PROTOCOL.ESP, spi: spiBytes(child.inSpi), notifyType: NOTIFY.REKEY_SA, data: Buffer.alloc(0) },
      { type: PAYLOAD.SA, proposals: offerProposals(this.cfg.espProposals, spiBytes(inSpi), true) },
      { type: PAYLOAD.NONCE, data: ni },
      ...(kex ? [{ type: PAYLOAD.KE, group: kex.group.ianaId, data: kex.publicKey } as Payload] : []),
      { type: PAYLOAD.TSi, selectors: child.localTs },
      { type: PAYLOAD.TSr, selectors: child.remoteTs },
    ];
    this.request(ctx, EXCHANGE.CREATE_CHILD_SA, 'CREATE_CHILD_SA (rekey CHILD_SA)', payloads, now, {
      onResponse: (p, t) => this.onChildRekeyResponse(child, inSpi, ni, kex ? [...tried, kex.group] : tried, kex, p, t),
      onTimeout: (t) => this.peerGone('unreachable', t),
    });
  }

  private onChildRekeyResponse(old: Child, inSpi: number, ni: Buffer, tried: readonly DhGroup[], kex: KeyExchange | undefined, payloads: Payload[], now: number): void {
    const ctx = this.current!;
    const retry = invalidKeRetry(payloads, this.cfg.espProposals.flatMap((p) => p.dhGroups), tried);
    if (retry && 'retry' in retry) return this.whenWindowFree(now, (t) => this.requestChildRekey(old, t, retry.retry, tried));
    if (retry) return this.rekeyRefused(old, retry.refuse, NOTIFY.INVALID_KE_PAYLOAD);
    const error = findPayloads(payloads, PAYLOAD.N).find((n) => isErrorNotify(n.notifyType));
    if (error) {
      old.state = old.state === 'rekeying' ? 'installed' : old.state;
      old.rekey = undefined;
      if (error.notifyType === NOTIFY.TEMPORARY_FAILURE) {
        old.rekeyAt = now + 2000; // RFC 7296 section 2.25: retry after a short while
        return;
      }
      old.rekeyAt = Infinity;
      // CHILD_SA_NOT_FOUND: the peer rekeyed or deleted it first, and its DELETE is on the way.
      if (error.notifyType === NOTIFY.CHILD_SA_NOT_FOUND) return;
      this.events.push({ type: 'failed', exchange: 'CREATE_CHILD_SA (rekey CHILD_SA)', notify: notifyName(error.notifyType), detail: `the peer refused the rekey: ${notifyName(error.notifyType)}` });
      return;
    }
    const nonce = findPayload(payloads, PAYLOAD.NONCE);
    const ke = findPayload(payloads, PAYLOAD.KE);
    if (!nonce) return;
    let gir: Buffer | undefined;
    if (kex) {
      if (!ke || ke.group !== kex.group.ianaId) return this.rekeyRefused(old, 'the response lacks the KE payload PFS needs');
      gir = kex.computeSharedSecret(ke.data);
    }
    const child = this.childFromAnswer(payloads, inSpi, ctx, ni, nonce.data, gir, 'match', old.localTs, old.remoteTs);
    if (typeof child === 'string') return this.rekeyRefused(old, child);
    if (kex && child.selection.dhGroup !== kex.group) return this.rekeyRefused(old, 'the responder chose another PFS group than our KE');
    this.installRekeyed(old, child, now);
    const peer = old.rekey?.peer;
    old.rekey = undefined;
    if (peer) {
      // Simultaneous rekey (RFC 7296 section 2.8.1): the CHILD_SA of the exchange holding the lowest of
      // the four nonces is redundant; whoever started that exchange deletes it, the other the old one.
      const ours = [ni, nonce.data];
      const oursRedundant = Buffer.compare(lowest(ours), lowest(peer.nonces)) < 0;
      if (oursRedundant) {
        const mine = this.childList.find((c) => c.inSpi === child.inSpi)!;
        old.state = 'rekeyed';
        this.whenWindowFree(now, (t) => this.requestChildDelete(mine, 'redundant', t));
        return;
      }
    }
    old.state = 'rekeyed';
    this.whenWindowFree(now, (t) => this.requestChildDelete(old, 'rekeyed', t));
  }

  private rekeyRefused(old: Child, detail: string, notify?: number): void {
    old.state = 'installed';
    old.rekey = undefined;
    old.rekeyAt = Infinity;
    this.events.push({ type: 'failed', exchange: 'CREATE_CHILD_SA (rekey CHILD_SA)', detail, ...(notify !== undefined ? { notify: notifyName(notify) } : {}) });
  }

  private installRekeyed(old: Child, child: Child, now: number): void {
    this.installChild(child, now);
    this.events.push({ type: 'rekeyed', what: 'child', old: old.inSpi.toString(16), new: child.inSpi.toString(16), child: child.info });
  }

  private requestChildDelete(child: Child, reason: DeleteReason, now: number): void {
    const ctx = this.current;
    if (!ctx || !this.childList.includes(child)) return;
    child.state = 'deleting';
    this.request(ctx, EXCHANGE.INFORMATIONAL, 'INFORMATIONAL (delete CHILD_SA)', [{ type: PAYLOAD.D, protocol: PROTOCOL.ESP, spis: [spiBytes(child.inSpi)] }], now, {
      onResponse: () => this.removeChild(child, reason),
      onTimeout: (t) => this.peerGone('unreachable', t),
    });
  }

  // ------------------------------------------------------------------------------ IKE SA rekey (§2.18)

  /** `group`: the KE payload's (the current IKE SA's, as strongSwan does); `tried`: earlier attempts' groups. */
  private requestIkeRekey(now: number, group: DhGroup = this.current!.selection.dhGroup!, tried: readonly DhGroup[] = []): void {
    const ctx = this.current;
    if (!ctx || ctx.rekeying) return;
    const spi = this.newIkeSpi();
    const ni = this.cfg.random(NONCE_LENGTH);
    const kex = this.cfg.keyExchange(group);
    ctx.rekeying = { ni };
    const payloads: Payload[] = [
      { type: PAYLOAD.SA, proposals: offerProposals(this.cfg.ikeProposals, spi, true) },
      { type: PAYLOAD.NONCE, data: ni },
      { type: PAYLOAD.KE, group: kex.group.ianaId, data: kex.publicKey },
    ];
    this.request(ctx, EXCHANGE.CREATE_CHILD_SA, 'CREATE_CHILD_SA (rekey IKE SA)', payloads, now, {
      onResponse: (p, t) => this.onIkeRekeyResponse(ctx, spi, ni, [...tried, group], kex, p, t),
      onTimeout: (t) => this.peerGone('unreachable', t),
    });
  }

  private onIkeRekeyResponse(old: IkeContext, spiI: Buffer, ni: Buffer, tried: readonly DhGroup[], kex: KeyExchange, payloads: Payload[], now: number): void {
    const peer = old.rekeying?.peer;
    old.rekeying = undefined;
    const error = findPayloads(payloads, PAYLOAD.N).find((n) => isErrorNotify(n.notifyType));
    if (error) {
      // The peer's own rekey, which crossed ours, stands (RFC 7296 section 2.25.2).
      if (peer) return this.adopt(old, peer.fresh, now);
      const retry = invalidKeRetry(payloads, this.configuredIkeGroups(), tried);
      if (retry && 'retry' in retry) return this.whenWindowFree(now, (t) => this.requestIkeRekey(t, retry.retry, tried));
      if (retry) {
        old.rekeyAt = Infinity;
        this.events.push({ type: 'failed', exchange: 'CREATE_CHILD_SA (rekey IKE SA)', notify: notifyName(NOTIFY.INVALID_KE_PAYLOAD), detail: retry.refuse });
        return;
      }
      old.rekeyAt = error.notifyType === NOTIFY.TEMPORARY_FAILURE ? now + 2000 : Infinity;
      if (error.notifyType !== NOTIFY.TEMPORARY_FAILURE) {
        this.events.push({ type: 'failed', exchange: 'CREATE_CHILD_SA (rekey IKE SA)', notify: notifyName(error.notifyType), detail: `the peer refused the IKE SA rekey: ${notifyName(error.notifyType)}` });
      }
      return;
    }
    const sa = findPayload(payloads, PAYLOAD.SA);
    const nonce = findPayload(payloads, PAYLOAD.NONCE);
    const ke = findPayload(payloads, PAYLOAD.KE);
    const selection = sa && acceptAnswer(sa.proposals, this.cfg.ikeProposals, 'ike', 'match');
    if (!nonce || !ke || !selection || selection.spi.length !== 8 || ke.group !== kex.group.ianaId) {
      if (peer) return this.adopt(old, peer.fresh, now);
      this.events.push({ type: 'failed', exchange: 'CREATE_CHILD_SA (rekey IKE SA)', detail: 'the responder chose an IKE proposal we did not offer' });
      return;
    }
    const gir = kex.computeSharedSecret(ke.data);
    const suite = ikeSuite(selection);
    const spiR = selection.spi;
    const keys = deriveIkeKeys(suite, rekeySkeyseed(old.suite.prf, old.keys.skD, gir, ni, nonce.data), ni, nonce.data, spiI, spiR);
    const fresh = this.newContext(spiI, spiR, true, selection, keys, now);
    if (peer && Buffer.compare(lowest([ni, nonce.data]), lowest(peer.nonces)) < 0) {
      // Simultaneous rekey (RFC 7296 section 2.8.2): the exchange with the lowest nonce made the redundant
      // IKE SA, which its initiator (we) deletes; the peer, whose SA survives, deletes the old one.
      this.retiring.push(fresh);
      this.adopt(old, peer.fresh, now);
      this.request(fresh, EXCHANGE.INFORMATIONAL, 'INFORMATIONAL (delete redundant IKE SA)', [{ type: PAYLOAD.D, protocol: PROTOCOL.IKE, spis: [] }], now, {
        onResponse: () => this.retire(fresh),
        onTimeout: () => this.retire(fresh),
      });
      return;
    }
    this.switchTo(old, fresh, now);
    this.request(old, EXCHANGE.INFORMATIONAL, 'INFORMATIONAL (delete old IKE SA)', [{ type: PAYLOAD.D, protocol: PROTOCOL.IKE, spis: [] }], now, {
      onResponse: () => this.retire(old),
      onTimeout: () => this.retire(old),
    });
  }

  /** Makes the peer's new IKE SA (held aside during a collision) the current one. */
  private adopt(old: IkeContext, fresh: IkeContext, now: number): void {
    this.retire(fresh);
    this.switchTo(old, fresh, now);
  }

  private switchTo(old: IkeContext, fresh: IkeContext, now: number): void {
    if (this.current === old) {
      this.current = fresh;
      this.retiring.push(old);
      // Requests queued on the old SA move to the new one (RFC 7296 section 2.18).
      fresh.queue.push(...old.queue.splice(0));
    } else {
      this.retiring.push(fresh);
    }
    this.lastInboundAt = now;
    this.events.push({ type: 'rekeyed', what: 'ike', old: spiText(old.spiI, old.spiR), new: spiText(fresh.spiI, fresh.spiR), proposal: selectionText(fresh.selection) });
  }

  private retire(ctx: IkeContext): void {
    const i = this.retiring.indexOf(ctx);
    if (i >= 0) this.retiring.splice(i, 1);
  }

  // ------------------------------------------------------------------------- requests and responses

  private whenWindowFree(now: number, action: (now: number) => void): void {
    const ctx = this.current;
    if (!ctx) return;
    if (ctx.pending) ctx.queue.push(action);
    else action(now);
  }

  private request(
    ctx: IkeContext,
    exchange: number,
    name: string,
    payloads: Payload[],
    now: number,
    handlers: Pick<PendingRequest, 'onResponse' | 'onTimeout'> & { giveUpAt?: number },
  ): void {
    const messageId = ctx.nextRequestId++;
    const bytes = this.protect(ctx, exchange, false, messageId, payloads);
    // Any unanswered request, not only a liveness check, means a dead peer once the DPD timeout has passed.
    const dpdTimeoutMs = (this.cfg.dpd?.timeoutSeconds ?? 0) * 1000;
    const giveUpAt = handlers.giveUpAt ?? (dpdTimeoutMs > 0 ? now + dpdTimeoutMs : undefined);
    ctx.pending = { exchange, name, messageId, bytes, attempts: 0, nextAt: now + this.cfg.retransmit.timeoutMs, ...handlers, ...(giveUpAt !== undefined ? { giveUpAt } : {}) };
    this.emit(bytes);
  }

  /** A request we do not wait for (a notification after a failed AUTH). */
  private informational(ctx: IkeContext, payloads: Payload[], _now: number): void {
    this.emit(this.protect(ctx, EXCHANGE.INFORMATIONAL, false, ctx.nextRequestId++, payloads));
  }

  private respond(ctx: IkeContext, exchange: number, messageId: number, payloads: Payload[]): void {
    const bytes = this.protect(ctx, exchange, true, messageId, payloads);
    ctx.lastResponse = { messageId, bytes };
    ctx.peerNextId = messageId + 1;
    this.emit(bytes);
  }

  private protect(ctx: IkeContext, exchange: number, response: boolean, messageId: number, payloads: Payload[]): Buffer {
    const fields: HeaderFields = { spiI: ctx.spiI, spiR: ctx.spiR, exchange, initiator: ctx.originalInitiator, response, messageId };
    return protectMessage(ctx.send, fields, payloads, this.cfg.random(ctx.send.encryption.ivLength));
  }

  private settle(ctx: IkeContext, now: number): void {
    ctx.pending = undefined;
    const next = ctx.queue.shift();
    if (next && this.stateValue === 'established') next(now);
  }

  // ------------------------------------------------------------------------------------- dispatch

  private dispatch(bytes: Buffer, from: Source, now: number): void {
    const header = parseHeader(bytes);
    if (!header.ok) return;
    const h = header.value;
    if (h.exchange === EXCHANGE.IKE_SA_INIT) {
      const m = parseMessage(bytes);
      if (!m.ok) return;
      if (!h.response && this.cfg.role === 'responder' && h.spiR.equals(ZERO_SPI) && h.messageId === 0) {
        this.onInitRequest(bytes, h.spiI, m.value.payloads, from, now);
      } else if (h.response && this.starting && this.stateValue === 'init-sent' && h.spiI.equals(this.starting.spiI) && h.messageId === 0) {
        if (!h.spiR.equals(ZERO_SPI)) this.initResponseBytes = Buffer.from(bytes);
        this.onInitResponse(m.value.payloads, h.spiR, now);
      }
      return;
    }
    const ctx = this.contexts().find((c) => contextMatches(c, h.spiI, h.spiR));
    if (!ctx) return;
    // The I flag names the sender as the original initiator: it must be the peer's role, not ours.
    if (h.initiator === ctx.originalInitiator) return;
    if (h.response) {
      if (!ctx.pending || h.messageId !== ctx.pending.messageId || h.exchange !== ctx.pending.exchange) return;
    } else if (h.messageId === ctx.peerNextId - 1 && ctx.lastResponse?.messageId === h.messageId) {
      // Retransmitted request: resend our response if the request is authentic.
      if (this.open(ctx, bytes)) this.emit(ctx.lastResponse.bytes);
      return;
    } else if (h.messageId !== ctx.peerNextId) {
      return;
    }
    const payloads = this.open(ctx, bytes);
    if (!payloads) return;
    this.lastInboundAt = now;
    if (from.natT && !this.natT) this.natT = true;
    if (this.natT && from.natT) this.remotePort = from.port;
    if (h.response) {
      const pending = ctx.pending!;
      this.settle(ctx, now);
      pending.onResponse(payloads, now);
      return;
    }
    this.onRequest(ctx, h.exchange, h.messageId, payloads, now);
  }

  private open(ctx: IkeContext, bytes: Buffer): Payload[] | undefined {
    if (bytes[16] !== PAYLOAD.SK) return undefined;
    const opened = openMessage(ctx.recv, bytes, IKE_HEADER_LENGTH, bytes[IKE_HEADER_LENGTH]);
    return opened.ok ? opened.payloads : undefined;
  }

  private onRequest(ctx: IkeContext, exchange: number, messageId: number, payloads: Payload[], now: number): void {
    if (exchange === EXCHANGE.IKE_AUTH) {
      if (this.halfOpen && this.halfOpen.ctx === ctx && this.stateValue === 'init-replied') this.onAuthRequest(ctx, messageId, payloads, now);
      return;
    }
    if (this.stateValue !== 'established' && this.stateValue !== 'deleting') return;
    if (exchange === EXCHANGE.INFORMATIONAL) return this.onInformational(ctx, messageId, payloads, now);
    if (exchange === EXCHANGE.CREATE_CHILD_SA) return this.onCreateChildSa(ctx, messageId, payloads, now);
    this.respond(ctx, exchange, messageId, [this.notifyOnly(NOTIFY.INVALID_SYNTAX)]);
  }

  private onInformational(ctx: IkeContext, messageId: number, payloads: Payload[], now: number): void {
    const deletes = findPayloads(payloads, PAYLOAD.D);
    if (deletes.some((d) => d.protocol === PROTOCOL.IKE)) {
      this.respond(ctx, EXCHANGE.INFORMATIONAL, messageId, []);
      if (ctx === this.current) this.terminate('peer');
      else this.retire(ctx);
      return;
    }
    const ours: Buffer[] = [];
    for (const d of deletes.filter((x) => x.protocol === PROTOCOL.ESP)) {
      for (const spi of d.spis) {
        const child = this.childList.find((c) => c.outSpi === spi.readUInt32BE(0));
        if (!child) continue;
        // Our own DELETE for the same CHILD_SA is in flight: it has been answered by this one.
        ours.push(spiBytes(child.inSpi));
        this.removeChild(child, child.state === 'rekeyed' ? 'rekeyed' : 'peer');
      }
    }
    if (findNotify(payloads, NOTIFY.AUTHENTICATION_FAILED)) {
      this.respond(ctx, EXCHANGE.INFORMATIONAL, messageId, []);
      return this.fail('INFORMATIONAL', 'the peer reports AUTHENTICATION_FAILED', NOTIFY.AUTHENTICATION_FAILED);
    }
    this.respond(ctx, EXCHANGE.INFORMATIONAL, messageId, ours.length ? [{ type: PAYLOAD.D, protocol: PROTOCOL.ESP, spis: ours }] : []);
    void now;
  }

  private onCreateChildSa(ctx: IkeContext, messageId: number, payloads: Payload[], now: number): void {
    const sa = findPayload(payloads, PAYLOAD.SA);
    const nonce = findPayload(payloads, PAYLOAD.NONCE);
    if (!sa || !nonce) return this.respond(ctx, EXCHANGE.CREATE_CHILD_SA, messageId, [this.notifyOnly(NOTIFY.INVALID_SYNTAX)]);
    if (sa.proposals.some((p) => p.protocol === PROTOCOL.IKE)) return this.onIkeRekeyRequest(ctx, messageId, payloads, now);
    const rekey = findNotify(payloads, NOTIFY.REKEY_SA);
    const old = rekey && rekey.spi.length === 4 ? this.childList.find((c) => c.outSpi === rekey.spi.readUInt32BE(0)) : undefined;
    if (rekey && (!old || old.state === 'deleting' || old.state === 'rekeyed')) {
      const n: Payload = { type: PAYLOAD.N, protocol: PROTOCOL.ESP, spi: rekey.spi, notifyType: NOTIFY.CHILD_SA_NOT_FOUND, data: Buffer.alloc(0) };
      return this.respond(ctx, EXCHANGE.CREATE_CHILD_SA, messageId, [n]);
    }
    const selection = chooseProposal(sa.proposals, this.cfg.espProposals, 'esp', this.cfg.choiceRule, 'match');
    if (!selection) {
      this.events.push({ type: 'failed', exchange: 'CREATE_CHILD_SA', notify: 'NO_PROPOSAL_CHOSEN', detail: 'no ESP proposal of the peer matches ours (PFS group included)' });
      return this.respond(ctx, EXCHANGE.CREATE_CHILD_SA, messageId, [this.notifyOnly(NOTIFY.NO_PROPOSAL_CHOSEN)]);
    }
    const ke = findPayload(payloads, PAYLOAD.KE);
    let kexPayload: Payload | undefined;
    let gir: Buffer | undefined;
    if (selection.dhGroup) {
      if (!ke || ke.group !== selection.dhGroup.ianaId) {
        const data = Buffer.alloc(2);
        data.writeUInt16BE(selection.dhGroup.ianaId);
        return this.respond(ctx, EXCHANGE.CREATE_CHILD_SA, messageId, [this.notifyOnly(NOTIFY.INVALID_KE_PAYLOAD, data)]);
      }
      const kex = this.cfg.keyExchange(selection.dhGroup);
      gir = kex.computeSharedSecret(ke.data);
      kexPayload = { type: PAYLOAD.KE, group: kex.group.ianaId, data: kex.publicKey };
    }
    const nr = this.cfg.random(NONCE_LENGTH);
    const result = this.childForRequest(payloads, ctx, nonce.data, nr, gir ? { gir } : undefined, 'match', selection);
    if (typeof result === 'number') return this.respond(ctx, EXCHANGE.CREATE_CHILD_SA, messageId, [this.notifyOnly(result)]);
    const [saAnswer, ...ts] = result.response;
    this.respond(ctx, EXCHANGE.CREATE_CHILD_SA, messageId, [saAnswer, { type: PAYLOAD.NONCE, data: nr }, ...(kexPayload ? [kexPayload] : []), ...ts]);
    if (old) {
      this.installRekeyed(old, result.child, now);
      if (old.state === 'installed') old.state = 'rekeyed';
      if (old.state === 'rekeying' && old.rekey) {
        // Collision: remember the peer's exchange; our response handler decides (RFC 7296 section 2.8.1).
        old.rekey.peer = { nonces: [nonce.data, nr], child: result.child };
      }
    } else {
      this.installChild(result.child, now);
    }
  }

  private onIkeRekeyRequest(ctx: IkeContext, messageId: number, payloads: Payload[], now: number): void {
    if (ctx !== this.current || this.childList.some((c) => c.state === 'rekeying')) {
      return this.respond(ctx, EXCHANGE.CREATE_CHILD_SA, messageId, [this.notifyOnly(NOTIFY.TEMPORARY_FAILURE)]);
    }
    const sa = findPayload(payloads, PAYLOAD.SA)!;
    const nonce = findPayload(payloads, PAYLOAD.NONCE)!;
    const ke = findPayload(payloads, PAYLOAD.KE);
    const selection = chooseProposal(sa.proposals, this.cfg.ikeProposals, 'ike', this.cfg.choiceRule, 'match');
    if (!selection || selection.spi.length !== 8) return this.respond(ctx, EXCHANGE.CREATE_CHILD_SA, messageId, [this.notifyOnly(NOTIFY.NO_PROPOSAL_CHOSEN)]);
    if (!ke || ke.group !== selection.dhGroup!.ianaId) {
      const data = Buffer.alloc(2);
      data.writeUInt16BE(selection.dhGroup!.ianaId);
      return this.respond(ctx, EXCHANGE.CREATE_CHILD_SA, messageId, [this.notifyOnly(NOTIFY.INVALID_KE_PAYLOAD, data)]);
    }
    const kex = this.cfg.keyExchange(selection.dhGroup!);
    const gir = kex.computeSharedSecret(ke.data);
    const spiR = this.newIkeSpi();
    const nr = this.cfg.random(NONCE_LENGTH);
    const suite = ikeSuite(selection);
    const keys = deriveIkeKeys(suite, rekeySkeyseed(ctx.suite.prf, ctx.keys.skD, gir, nonce.data, nr), nonce.data, nr, selection.spi, spiR);
    this.respond(ctx, EXCHANGE.CREATE_CHILD_SA, messageId, [
      { type: PAYLOAD.SA, proposals: [answerProposal(selection, spiR)] },
      { type: PAYLOAD.NONCE, data: nr },
      { type: PAYLOAD.KE, group: kex.group.ianaId, data: kex.publicKey },
    ]);
    const fresh = this.newContext(Buffer.from(selection.spi), spiR, false, selection, keys, now);
    if (ctx.rekeying) {
      // Collision: hold the peer's new SA aside until our own exchange completes and the nonces decide.
      ctx.rekeying.peer = { nonces: [nonce.data, nr], fresh };
      this.retiring.push(fresh);
      return;
    }
    this.switchTo(ctx, fresh, now);
  }

  // ------------------------------------------------------------------------------------------ timers

  private runTimers(now: number): void {
    if (this.starting && this.stateValue === 'init-sent' && now >= this.starting.nextAt) {
      const s = this.starting;
      if (s.attempts >= this.cfg.retransmit.tries) {
        this.fail('IKE_SA_INIT', `no response after ${s.attempts} retransmissions`);
        return;
      }
      s.attempts++;
      s.nextAt = now + this.cfg.retransmit.timeoutMs * this.cfg.retransmit.backoff ** s.attempts;
      this.emit(s.request);
    }
    for (const ctx of this.contexts()) {
      const p = ctx.pending;
      if (!p) continue;
      if (p.giveUpAt !== undefined && now >= p.giveUpAt) {
        ctx.pending = undefined;
        // A rekeyed-away context's last request (its DELETE) is that context's affair, not the peer's death.
        if (ctx === this.current) this.peerGone('dpd-timeout', now);
        else p.onTimeout(now);
        continue;
      }
      if (now >= p.nextAt && p.attempts >= this.cfg.retransmit.tries) {
        ctx.pending = undefined;
        p.onTimeout(now);
        continue;
      }
      if (now >= p.nextAt) {
        p.attempts++;
        p.nextAt = now + this.cfg.retransmit.timeoutMs * this.cfg.retransmit.backoff ** p.attempts;
        this.out.push({ bytes: p.bytes, remoteAddress: this.cfg.remoteAddress, remotePort: this.remotePort, natT: this.natT });
      }
    }
    const ctx = this.current;
    if (this.stateValue !== 'established' || !ctx) return;
    if (now >= ctx.expireAt) {
      this.terminate('expired');
      return;
    }
    for (const child of [...this.childList]) {
      if (now >= child.expireAt) this.whenWindowFree(now, (t) => this.requestChildDelete(child, 'expired', t));
      else if (child.state === 'installed' && now >= child.rekeyAt) {
        child.rekeyAt = Infinity;
        this.whenWindowFree(now, (t) => this.requestChildRekey(child, t));
      }
    }
    if (now >= ctx.rekeyAt && !ctx.rekeying) {
      ctx.rekeyAt = Infinity;
      this.whenWindowFree(now, (t) => this.requestIkeRekey(t));
    }
    const dpd = this.cfg.dpd;
    if (dpd && dpd.intervalSeconds > 0 && !ctx.pending && now >= this.lastInboundAt + dpd.intervalSeconds * 1000) this.requestDpd(now);
  }

  private requestDpd(now: number): void {
    const ctx = this.current!;
    const timeoutMs = (this.cfg.dpd?.timeoutSeconds ?? 0) * 1000;
    this.request(ctx, EXCHANGE.INFORMATIONAL, 'INFORMATIONAL (liveness)', [], now, {
      onResponse: () => this.events.push({ type: 'peer-alive' }),
      onTimeout: (t) => this.peerGone('dpd-timeout', t),
      ...(timeoutMs > 0 ? { giveUpAt: now + timeoutMs } : {}),
    });
  }

  private peerGone(reason: DeleteReason, _now: number): void {
    if (this.stateValue === 'deleted') return;
    this.terminate(reason);
  }
}

/** The algorithms the IKE SA's keys and SK payloads use. */
export function ikeSuite(s: Selection): IkeSuite {
  if (!s.prf) throw new Error('An IKE selection always has a PRF');
  return { encryption: s.encryption, integrity: s.integrity, prf: s.prf };
}


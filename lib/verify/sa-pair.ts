/**
 * The CHILD_SA pair of one tunnel as the ESP engine runs it: keys in, SA configs and SAs out. Today the keys
 * are random test keys; the live stage will hand in the keys IKE derives (RFC 7296 section 2.17), and
 * nothing else here changes.
 */
import { randomBytes, randomInt } from 'crypto';
import { EspSa, EspSuite, SaConfig, SaDatabase, suiteInfo } from '../esp';

/** One direction's SPI and keys. The keys are secrets: never print them. */
export interface DirectionKeys {
  readonly spi: number;
  readonly encryptionKey: Buffer;
  /** Absent for suites that authenticate themselves (AEAD, GMAC). */
  readonly integrityKey?: Buffer;
}

/** Keying for both directions of the tunnel's CHILD_SA pair. */
export interface ChildSaKeys {
  readonly toAws: DirectionKeys;
  readonly toOnPrem: DirectionKeys;
}

/** Fresh random keys of the suite's lengths and two adjacent random SPIs. */
export function randomTestKeys(suite: EspSuite): ChildSaKeys {
  const info = suiteInfo(suite);
  const keys = (spi: number): DirectionKeys => ({
    spi,
    encryptionKey: randomBytes(info.encryptionKeyLength),
    ...(info.integrityKeyLength > 0 ? { integrityKey: randomBytes(info.integrityKeyLength) } : {}),
  });
  const spi = randomInt(0x100, 0x7fffffff);
  return { toAws: keys(spi), toOnPrem: keys(spi + 1) };
}

/** The engine's SA config for one direction. `replayWindow` 0 for the sending side (it checks nothing). */
export function saConfig(suite: EspSuite, keys: DirectionKeys, replayWindow: number): SaConfig {
  return { spi: keys.spi, suite, mode: 'tunnel', replayWindow, encryptionKey: keys.encryptionKey, ...(keys.integrityKey ? { integrityKey: keys.integrityKey } : {}) };
}

/** One side's SAs: what it sends with and what it receives with. */
export interface SaSide {
  readonly outbound: EspSa;
  readonly inbound: SaDatabase;
}

export interface SaPair {
  readonly onPrem: SaSide;
  readonly aws: SaSide;
}

/** Both sides' SAs from one set of keys; each receiver's anti-replay window as the tunnel configures it. */
export function buildSaPair(suite: EspSuite, keys: ChildSaKeys, replayWindows: { readonly onPrem: number; readonly aws: number }): SaPair {
  const inbound = (config: SaConfig) => {
    const db = new SaDatabase();
    db.add(new EspSa(config));
    return db;
  };
  return {
    onPrem: { outbound: new EspSa(saConfig(suite, keys.toAws, 0)), inbound: inbound(saConfig(suite, keys.toOnPrem, replayWindows.onPrem)) },
    aws: { outbound: new EspSa(saConfig(suite, keys.toOnPrem, 0)), inbound: inbound(saConfig(suite, keys.toAws, replayWindows.aws)) },
  };
}

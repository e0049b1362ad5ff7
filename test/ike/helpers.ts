/** Shared test helpers for the IKE suites: fixtures as typed data. */
import { readFileSync } from 'fs';
import { join } from 'path';

export interface CharonCapture {
  readonly source: string;
  readonly ikeProposal: string;
  readonly espProposal: string;
  readonly psk: string;
  readonly idi: string;
  readonly idr: string;
  readonly ikeSpiI: string;
  readonly ikeSpiR: string;
  readonly espSpiInitiatorInbound: string;
  readonly espSpiInitiatorOutbound: string;
  readonly secrets: Record<string, string>;
  readonly messages: readonly { src: string; dst: string; sport: number; dport: number; hex: string }[];
}

export const FIXTURES = join(__dirname, '..', 'fixtures', 'ike');

export function charonCapture(name: string): CharonCapture {
  return JSON.parse(readFileSync(join(FIXTURES, `charon-${name}.json`), 'utf8')) as CharonCapture;
}

export function fixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}

export const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

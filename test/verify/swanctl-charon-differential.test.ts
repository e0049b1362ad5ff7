/**
 * verify is as strict as strongSwan: every mutation of every fixture's rendered swanctl.conf (typos,
 * wrong nesting, braces, values, sections, duplicates, syntax, secrets, includes) is loaded into a real
 * charon 5.9.8 with `swanctl --load-all` and read by verify's swanctl gate; both must give the same
 * verdict. charon refuses when swanctl exits non-zero or says a connection, secret, pool or authority
 * failed, was ignored or discarded. One charon serves every mutation: `--load-all` replaces what the
 * previous file loaded (connections and shared keys not in the file are unloaded). A file with inline
 * secrets has the secret canary as every key (plantInSwanctl), and verify's refusals are scanned for it.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { endpointConfigFromDescribe, renderSwanctl } from '../../lib/endpoint';
import { readLoadableSwanctl } from '../../lib/verify/swanctl-schema';
import { Charon, startCharon, stopCharon, swanctl, SWANCTL_SUBDIRS } from '../interop/harness/charon';
import { settlesWithin } from '../interop/harness/exec';
import { certificateFilesFor, writeFilesUnder } from '../interop/harness/test-pki';
import { describeWithTools } from '../interop/harness/tools';
import { plantInSwanctl, scanned } from '../helpers/bad-input';
import { FIXTURE_NAMES, loadConnection } from './helpers';
import { Credentials, documentedKeywordMutations, Mutation, MutationClass, mutations, secretLineMutations } from './swanctl-mutations';

/** swanctl's words for something it did not load (load_conns.c, load_creds.c, load_pools.c, load_authorities.c). */
const REFUSAL = /failed|discarded|ignored|ignoring|invalid|missing|unknown/i;
/** The one such line that is not a refusal: an include pattern matching no file is skipped by design. */
const SKIPPED_INCLUDE = /^expanding file pattern '.*' failed: No such file or directory$/;

/** A CA and a peer certificate (ECDSA P-256) and the peer's public key, made by openssl. */
function makeCredentials(dir: string): Credentials {
  mkdirSync(dir, { recursive: true });
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  openssl('ecparam', '-genkey', '-name', 'prime256v1', '-noout', '-out', 'ca.key');
  openssl('req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=Example CA', '-days', '30', '-out', 'ca.pem', '-addext', 'basicConstraints=critical,CA:TRUE');
  openssl('ecparam', '-genkey', '-name', 'prime256v1', '-noout', '-out', 'peer.key');
  openssl('req', '-new', '-key', 'peer.key', '-subj', '/CN=vpn.example.com', '-out', 'peer.csr');
  openssl('x509', '-req', '-in', 'peer.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '30', '-out', 'peer.pem');
  openssl('pkey', '-in', 'peer.key', '-pubout', '-out', 'peer.pub');
  writeFileSync(join(dir, 'junk.pem'), 'neither a certificate nor a key\n');
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { caPem: read('ca.pem'), peerPem: read('peer.pem'), peerPub: read('peer.pub'), caPath: join(dir, 'ca.pem'), peerPath: join(dir, 'peer.pem'), junkPath: join(dir, 'junk.pem') };
}

/** The fixture's swanctl.conf; with inline secrets, the canary is every key (and one more secret section). */
function rendered(fixture: string, inlineSecrets: boolean): string {
  const conf = renderSwanctl(endpointConfigFromDescribe(loadConnection(fixture), { inlineSecrets }), { startAction: 'none' });
  return inlineSecrets ? plantInSwanctl(conf) : conf;
}

interface Outcome {
  readonly fixture: string;
  readonly mutation: Mutation;
  readonly charonRefuses: boolean;
  readonly charonSays: string;
  readonly verifyRefuses: boolean;
  readonly verifySays: string;
}

describeWithTools('verify refuses exactly the swanctl.conf files charon refuses', ['root', 'ip', 'charon', 'swanctl'], () => {
  let charon: Charon;
  let base: string;
  let credentials: Credentials;
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    charon = await startCharon();
    base = mkdtempSync(join(charon.dir, 'mutations-'));
    credentials = makeCredentials(join(base, 'pki'));
  });

  afterAll(async () => {
    if (charon) await stopCharon(charon, { signal: 'SIGKILL' });
  });

  async function charonVerdict(dir: string, path: string): Promise<{ refuses: boolean; says: string }> {
    const r = await swanctl(charon, ['--load-all', '--noprompt', '--file', path], { swanctlDir: dir });
    const output = `${r.stdout}${r.stderr}`;
    // A verdict needs a live charon: if a mutation crashed it, stop rather than count refusals.
    if (/^(connecting to .* failed|load-\w+ request failed)/m.test(output)) throw new Error(`charon is gone (after ${path}): ${output}`);
    const says = output
      .split('\n')
      .filter((l) => REFUSAL.test(l) && !SKIPPED_INCLUDE.test(l))
      .join(' | ');
    return { refuses: r.exitCode !== 0 || says !== '', says: says || `exit ${r.exitCode}` };
  }

  async function run(fixture: string, m: Mutation, i: number): Promise<Outcome> {
    const dir = join(base, `${fixture}-${i}`);
    // The credential directories --load-all scans (a missing one makes it print "opening directory ... failed").
    for (const sub of SWANCTL_SUBDIRS) mkdirSync(join(dir, sub), { recursive: true });
    const path = join(dir, 'swanctl.conf');
    writeFileSync(path, m.text);
    // A certificate-authenticated fixture names the user's certificate files: supply them, as a user would.
    writeFilesUnder(dir, certificateFilesFor(endpointConfigFromDescribe(loadConnection(fixture))));
    writeFilesUnder(dir, m.extraFiles ?? {});
    const c = await charonVerdict(dir, path);
    const v = await scanned(() => readLoadableSwanctl(m.text, path)).catch((e: Error) => {
      throw new Error(`${fixture}, ${m.description}: ${e.message}`);
    });
    rmSync(dir, { recursive: true, force: true });
    return {
      fixture,
      mutation: m,
      charonRefuses: c.refuses,
      charonSays: c.says,
      verifyRefuses: 'refused' in v,
      verifySays: 'refused' in v ? v.refused.join(' | ') : 'accepted',
    };
  }

  test('the unmutated files load in both', async () => {
    for (const [i, fixture] of FIXTURE_NAMES.entries()) {
      for (const inlineSecrets of [false, true]) {
        const conf = rendered(fixture, inlineSecrets);
        const o = await run(fixture, { kind: 'syntax', description: 'unmutated', text: conf }, 1000 + i * 2 + Number(inlineSecrets));
        expect({ fixture, inlineSecrets, charon: o.charonSays, verify: o.verifySays, refused: [o.charonRefuses, o.verifyRefuses] }).toMatchObject({ refused: [false, false] });
      }
    }
  });

  test('every mutation gets the same verdict from verify as from charon', async () => {
    for (const [salt, fixture] of FIXTURE_NAMES.entries()) {
      // Inline secrets for every other fixture, so both a secrets section and none are mutated.
      const conf = rendered(fixture, salt % 2 === 0);
      const ms = [...mutations(conf, salt), ...documentedKeywordMutations(conf, salt, credentials), ...secretLineMutations(conf)];
      for (const [i, m] of ms.entries()) outcomes.push(await run(fixture, m, i));
    }
    const byClass = new Map<MutationClass, { n: number; agree: number; charonRefused: number }>();
    for (const o of outcomes) {
      const c = byClass.get(o.mutation.kind) ?? { n: 0, agree: 0, charonRefused: 0 };
      c.n++;
      if (o.charonRefuses === o.verifyRefuses) c.agree++;
      if (o.charonRefuses) c.charonRefused++;
      byClass.set(o.mutation.kind, c);
    }
    const table = [...byClass].map(([kind, c]) => `${kind.padEnd(16)} ${String(c.n).padStart(4)} mutations, ${String(c.agree).padStart(4)} agree, charon refused ${c.charonRefused}`);
    const agree = outcomes.filter((o) => o.charonRefuses === o.verifyRefuses).length;
    // eslint-disable-next-line no-console
    console.log(`verify vs charon 5.9.8: ${outcomes.length} mutations, ${agree} agree\n${table.join('\n')}`);
    const disagreements = outcomes
      .filter((o) => o.charonRefuses !== o.verifyRefuses)
      .map((o) => ({ fixture: o.fixture, kind: o.mutation.kind, mutation: o.mutation.description, charon: o.charonSays, verify: o.verifySays }));
    if (process.env.DIFFERENTIAL_REPORT) {
      const all = outcomes.map((o) => ({ fixture: o.fixture, kind: o.mutation.kind, mutation: o.mutation.description, charon: o.charonSays, verify: o.verifySays }));
      writeFileSync(process.env.DIFFERENTIAL_REPORT, JSON.stringify({ total: outcomes.length, agree, byClass: Object.fromEntries(byClass), disagreements, all }, null, 2));
    }
    expect(disagreements).toEqual([]);
    // The mutations do exercise both verdicts in every class that can have both.
    expect(outcomes.filter((o) => o.charonRefuses).length).toBeGreaterThan(outcomes.length / 3);
    expect(outcomes.filter((o) => !o.charonRefuses).length).toBeGreaterThan(outcomes.length / 10);
  }, 240_000);

  test('mediated_by without mediation_peer: charon 5.9.8 dies loading it, so verify refuses it', async () => {
    const own = await startCharon();
    try {
      const dir = join(own.dir, 'mediated');
      for (const sub of SWANCTL_SUBDIRS) mkdirSync(join(dir, sub), { recursive: true });
      const conf = renderSwanctl(endpointConfigFromDescribe(loadConnection('hq')), { startAction: 'none' }).replace(/(\n\s*)mobike = no/, '$1mobike = no$1mediated_by = other');
      writeFileSync(join(dir, 'swanctl.conf'), conf);
      // On SIGSEGV charon prints a backtrace before it exits, which can take long on a loaded machine: swanctl
      // then either sees the request fail or is still waiting. The proof is the daemon's own death by SIGSEGV.
      const r = await swanctl(own, ['--load-all', '--noprompt', '--file', join(dir, 'swanctl.conf')], { swanctlDir: dir, timeoutMs: 40_000 });
      if (!r.timedOut) expect(`${r.stdout}${r.stderr}`).toMatch(/load-conn request failed/);
      expect(await settlesWithin(own.exited, 60_000)).toBe(true); // the daemon is gone
      expect(readFileSync(own.logPath, 'utf8')).toMatch(/thread \d+ received 11/); // SIGSEGV
      const v = readLoadableSwanctl(conf, join(dir, 'swanctl.conf'));
      expect('refused' in v && v.refused).toEqual([expect.stringContaining('sets `mediated_by` without `mediation_peer`, which makes charon 5.9.8 crash')]);
    } finally {
      await stopCharon(own, { signal: 'SIGKILL' });
    }
  }, 130_000);

  test('the harness reads charon\'s refusal of an unknown keyword from its own words', async () => {
    const conf = renderSwanctl(endpointConfigFromDescribe(loadConnection('hq')), { startAction: 'none' }).replace('replay_window', 'replay_windw');
    const dir = join(base, 'replay');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'swanctl.conf'), conf);
    const r = await swanctl(charon, ['--load-all', '--noprompt', '--file', join(dir, 'swanctl.conf')], { swanctlDir: dir });
    expect(r.exitCode).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain('unknown option: replay_windw, config discarded');
    expect(readFileSync(charon.logPath, 'utf8').length).toBeGreaterThan(0);
  });
});

/**
 * The rendered swanctl.conf, loaded into a real strongSwan 5.9 charon: in a network namespace with only
 * loopback (the configs name AWS's public addresses; nothing may be sent to them) and start_action none.
 * What charon reports having loaded is compared with what each fixture's tunnel options say.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { TunnelOption, VpnConnection } from '@aws-sdk/client-ec2';
import { endpointConfigFromDescribe, renderSwanctl } from '../../../lib/endpoint';
import { Charon, startCharon, stopCharon, swanctl } from '../../interop/harness/charon';
import { run } from '../../interop/harness/exec';
import { describeWithTools } from '../../interop/harness/tools';
import { FIXTURE_NAMES, loadConnection } from '../fixtures';
import { offeredCombinations, parseConfigDump } from './charon-config-dump';

/** AWS's names → charon's names, written out independently of lib/algorithms/. */
const ENC: Record<string, string> = {
  'AES128': 'AES_CBC_128', 'AES256': 'AES_CBC_256', 'AES128-GCM-16': 'AES_GCM_16_128', 'AES256-GCM-16': 'AES_GCM_16_256',
};
const INTEG: Record<string, string> = {
  'SHA1': 'HMAC_SHA1_96', 'SHA2-256': 'HMAC_SHA2_256_128', 'SHA2-384': 'HMAC_SHA2_384_192', 'SHA2-512': 'HMAC_SHA2_512_256',
};
const PRF: Record<string, string> = {
  'SHA1': 'PRF_HMAC_SHA1', 'SHA2-256': 'PRF_HMAC_SHA2_256', 'SHA2-384': 'PRF_HMAC_SHA2_384', 'SHA2-512': 'PRF_HMAC_SHA2_512',
};
const GROUP: Record<number, string> = {
  2: 'MODP_1024', 5: 'MODP_1536', 14: 'MODP_2048', 15: 'MODP_3072', 16: 'MODP_4096', 17: 'MODP_6144', 18: 'MODP_8192',
  19: 'ECP_256', 20: 'ECP_384', 21: 'ECP_521', 22: 'MODP_1024_160', 23: 'MODP_2048_224', 24: 'MODP_2048_256',
};
/** AWS's "omitted means all" lists and default numbers, as the User Guide gives them. */
const ALL_ENC = Object.keys(ENC);
const ALL_INTEG = Object.keys(INTEG);
const PHASE1_GROUPS = [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];
const PHASE2_GROUPS = [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];

const values = <T>(list: { Value?: T }[] | undefined, all: T[]): T[] => (list?.length ? list.map((v) => v.Value as T) : all);

function expectedIke(o: TunnelOption): string[] {
  const out: string[] = [];
  for (const e of values(o.Phase1EncryptionAlgorithms, ALL_ENC)) {
    for (const i of values(o.Phase1IntegrityAlgorithms, ALL_INTEG)) {
      for (const g of values(o.Phase1DHGroupNumbers, PHASE1_GROUPS)) out.push(`${ENC[e]}/${e.includes('GCM') ? PRF[i] : INTEG[i]}/${GROUP[g]}`);
    }
  }
  return [...new Set(out)].sort();
}

function expectedEsp(o: TunnelOption): string[] {
  const out: string[] = [];
  for (const e of values(o.Phase2EncryptionAlgorithms, ALL_ENC)) {
    for (const g of values(o.Phase2DHGroupNumbers, PHASE2_GROUPS)) {
      if (e.includes('GCM')) out.push(`${ENC[e]}/${GROUP[g]}`);
      else for (const i of values(o.Phase2IntegrityAlgorithms, ALL_INTEG)) out.push(`${ENC[e]}/${INTEG[i]}/${GROUP[g]}`);
    }
  }
  return [...new Set(out)].sort();
}

/** The fixture's tunnels in XML order: AWS outside address and the tunnel options entry for it. */
function xmlTunnels(c: VpnConnection): { aws: string; cgw: string; options: TunnelOption }[] {
  return [...(c.CustomerGatewayConfiguration as string).matchAll(/<ipsec_tunnel>([\s\S]*?)<\/ipsec_tunnel>/g)].map((m) => {
    const [cgw, aws] = [...m[1].matchAll(/<tunnel_outside_address>\s*<ip_address>([^<]+)</g)].map((x) => x[1]);
    return { cgw, aws, options: c.Options?.TunnelOptions?.find((o) => o.OutsideIpAddress === aws) as TunnelOption };
  });
}

const SWANCTL_SUBDIRS = ['x509', 'x509ca', 'x509ocsp', 'x509aa', 'x509ac', 'x509crl', 'pubkey', 'private', 'rsa', 'ecdsa', 'bliss', 'pkcs8', 'pkcs12'];

describeWithTools('swanctl.conf loads into strongSwan charon', ['root', 'ip', 'charon', 'swanctl'], () => {
  let charon: Charon;
  let swanctlDir: string;

  beforeAll(async () => {
    // cfg = 2: charon dumps every setting it loads, which is what the assertions read.
    charon = await startCharon({ charonExtra: '  filelog { main { cfg = 2 } }' });
    swanctlDir = join(charon.dir, 'swanctl');
    for (const sub of SWANCTL_SUBDIRS) mkdirSync(join(swanctlDir, sub), { recursive: true });
  });

  afterAll(async () => {
    if (charon) await stopCharon(charon, { signal: 'SIGKILL' });
  });

  async function load(conf: string, extraFiles: Record<string, string> = {}) {
    for (const [name, text] of Object.entries(extraFiles)) writeFileSync(join(swanctlDir, name), text);
    const path = join(swanctlDir, 'swanctl.conf');
    writeFileSync(path, conf);
    const logBefore = readFileSync(charon.logPath, 'utf8').length;
    const result = await swanctl(charon, ['--load-all', '--file', path], { swanctlDir });
    const list = await swanctl(charon, ['--list-conns'], { swanctlDir });
    const log = readFileSync(charon.logPath, 'utf8').slice(logBefore);
    return { exitCode: result.exitCode, output: result.stdout + result.stderr, listConns: list.stdout, log, loaded: parseConfigDump(log) };
  }

  test('the namespace has loopback only (plus libipsec\'s TUN), so no AWS address is routable', async () => {
    const links = await run('ip', ['-n', charon.ns, '-o', 'link', 'show']);
    expect(links.stdout.trim().split('\n').map((l) => l.split(': ')[1]).sort()).toEqual(['ipsec0', 'lo']);
    const routes = await run('ip', ['-n', charon.ns, 'route', 'show', 'table', 'all']);
    expect(routes.stdout.split('\n').filter((l) => l && !/^(local|broadcast|multicast) /.test(l) && !/ dev lo /.test(l) && !/^(fe80|ff00)::/.test(l))).toEqual([]);
    for (const name of FIXTURE_NAMES) {
      for (const { aws } of xmlTunnels(loadConnection(name))) {
        const route = await run('ip', ['-n', charon.ns, 'route', 'get', aws]);
        expect({ aws, exitCode: route.exitCode }).toEqual({ aws, exitCode: 2 });
        expect(route.stderr).toMatch(/unreachable/i);
      }
    }
  });

  test.each(FIXTURE_NAMES)('%s loads without error, as the tunnel options say', async (name) => {
    const connection = loadConnection(name);
    const config = endpointConfigFromDescribe(connection);
    const conf = renderSwanctl(config, { startAction: 'none' });
    const r = await load(conf);

    expect(r.exitCode).toBe(0);
    expect(r.output.split('\n').filter((l) => /fail|error/i.test(l))).toEqual([]);
    expect(r.output).toContain(`successfully loaded ${config.tunnels.length} connections`);

    const tunnels = xmlTunnels(connection);
    tunnels.forEach(({ aws, cgw, options: o }, i) => {
      const connName = `${connection.VpnConnectionId}-tunnel${i + 1}`;
      expect(r.output).toContain(`loaded connection '${connName}'`);
      expect(r.listConns).toContain(`${connName}: IKEv`);
      const loaded = r.loaded[connName];
      expect(loaded).toBeDefined();
      const child = loaded.children[connName];

      const versions = values(o.IkeVersions, ['ikev1', 'ikev2']);
      expect(loaded.settings.version).toBe(versions.length === 2 ? '0' : versions[0] === 'ikev1' ? '1' : '2');
      expect(loaded.settings.local_addrs).toBe(cgw);
      expect(loaded.settings.remote_addrs).toBe(aws);
      expect(loaded.settings.mobike).toBe('0');
      expect(loaded.settings.dpd_delay).toBe('10');
      expect(loaded.settings.if_id_in).toBe(String(i + 1));
      expect(loaded.settings.if_id_out).toBe(String(i + 1));
      expect(offeredCombinations(loaded.settings.proposals)).toEqual(expectedIke(o));
      expect(offeredCombinations(child.proposals)).toEqual(expectedEsp(o));

      const margin = o.RekeyMarginTimeSeconds ?? 270;
      const fuzz = o.RekeyFuzzPercentage ?? 100;
      const phase1 = o.Phase1LifetimeSeconds ?? 28800;
      const phase2 = o.Phase2LifetimeSeconds ?? 3600;
      expect(Number(loaded.settings.rekey_time) + Number(loaded.settings.over_time)).toBe(phase1);
      expect(loaded.settings.rekey_time).toBe(String(phase1 - margin));
      expect(loaded.settings.rand_time).toBe(String(Math.floor((margin * fuzz) / 100)));
      expect(child.life_time).toBe(String(phase2));
      expect(child.rekey_time).toBe(String(phase2 - margin));
      expect(child.rand_time).toBe(String(Math.floor((margin * fuzz) / 100)));
      expect(child.replay_window).toBe(String(o.ReplayWindowSize ?? 1024));
      expect(child.mode).toBe('TUNNEL');
      expect(child.start_action).toBe('none');
      const ts = config.tunnels[i].local.insideCidr ? '0.0.0.0/0' : '::/0';
      expect(child.local_ts).toBe(ts);
      expect(child.remote_ts).toBe(ts);
    });

    // Nothing initiated: no SAs, no IKE packets built.
    const sas = await swanctl(charon, ['--list-sas'], { swanctlDir });
    expect(sas.stdout.trim()).toBe('');
    expect(r.log).not.toMatch(/initiating|sending packet/i);
  });

  test('the secrets file the comments describe loads the keys', async () => {
    const connection = loadConnection('vgw-bgp-multi-algorithm');
    const conf = renderSwanctl(endpointConfigFromDescribe(connection), { startAction: 'none' });
    // Build the secrets file exactly from the template in the comments, with a made-up key.
    const template = conf.split('\n').filter((l) => /^ {2}# {3}/.test(l) && !/^ {2}# {3}aws /.test(l)).map((l) => l.replace(/^ {2}# {3}/, ''));
    const secretsFile = template.join('\n').replace(/"<the key>"/g, '"EXAMPLE.loaded_from_the_secrets_file"');
    expect(secretsFile).toMatch(/^ike-vpn-0a1b2c3d4e5f60718-tunnel1 \{/);
    const r = await load(conf, { 'vpn-0a1b2c3d4e5f60718.secrets.conf': `${secretsFile}\n` });
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain("loaded ike secret 'ike-vpn-0a1b2c3d4e5f60718-tunnel1'");
    expect(r.output).toContain("loaded ike secret 'ike-vpn-0a1b2c3d4e5f60718-tunnel2'");
    expect(r.log).toContain("loaded IKE shared key with id 'ike-vpn-0a1b2c3d4e5f60718-tunnel2' for: '198.51.100.10', '192.0.2.145'");
  });

  test('inline secrets load as shared keys', async () => {
    const conf = renderSwanctl(endpointConfigFromDescribe(loadConnection('reversed-tunnel-options'), { inlineSecrets: true }), { startAction: 'none' });
    const r = await load(conf);
    expect(r.exitCode).toBe(0);
    expect(r.log).toContain("loaded IKE shared key with id 'ike-vpn-0f60718293a4b5c6d-tunnel1' for: '203.0.113.80', '192.0.2.81'");
    expect(r.log).toContain("loaded IKE shared key with id 'ike-vpn-0f60718293a4b5c6d-tunnel2' for: '203.0.113.80', '192.0.2.82'");
  });
});

/**
 * The reusable charon harness (test/interop/harness/charon.ts): a swanctl.conf that is valid loads, one that
 * is not is reported, and nothing is left running afterwards.
 */
import { run } from './harness/exec';
import { loadSwanctlConf } from './harness/charon';
import { describeWithTools } from './harness/tools';

const VALID = `
connections {
  harness-check {
    version = 2
    local_addrs = 192.0.2.1
    remote_addrs = 192.0.2.2
    proposals = aes256-sha256-modp2048
    local {
      auth = psk
      id = 192.0.2.1
    }
    remote {
      auth = psk
      id = 192.0.2.2
    }
    children {
      net {
        local_ts = 198.51.100.0/24
        remote_ts = 203.0.113.0/24
        esp_proposals = aes256gcm16-modp2048
      }
    }
  }
}
secrets {
  ike-harness {
    id = 192.0.2.2
    secret = "harness-check-psk-0123456789"
  }
}
`;

async function namespacesNow(): Promise<string[]> {
  const r = await run('ip', ['netns', 'list']);
  return r.stdout.split('\n').filter((l) => l.includes(`-${process.pid}-`));
}

describeWithTools('charon harness: loadSwanctlConf', ['root', 'ip', 'charon', 'swanctl'], () => {
  test('a valid swanctl.conf loads and its connection and child are listed', async () => {
    const r = await loadSwanctlConf(VALID);
    expect(r.output).toContain("loaded connection 'harness-check'");
    expect(r.output).toContain('loaded ike secret');
    expect(r.exitCode).toBe(0);
    expect(r.listConns).toMatch(/harness-check: IKEv2/);
    expect(r.listConns).toMatch(/net: TUNNEL/);
    expect(r.listConns).toContain('198.51.100.0/24');
    // The secret itself is never echoed.
    expect(r.output + r.listConns).not.toContain('harness-check-psk');
    expect(await namespacesNow()).toEqual([]);
  });

  test('an invalid proposal is reported with a non-zero exit code', async () => {
    const r = await loadSwanctlConf(VALID.replace('aes256-sha256-modp2048', 'aes999-nonsense'));
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toMatch(/loading connection 'harness-check' failed/);
    expect(r.listConns).not.toMatch(/harness-check: IKEv2/);
  });

  test('extra files (credentials) are placed under the swanctl dir, outside paths are refused', async () => {
    // A file in private/ that is not a key: swanctl must have found it (and complains about it).
    const r = await loadSwanctlConf(VALID, { extraFiles: { 'private/junk.pem': 'not a key\n' } });
    expect(r.output).toMatch(/private\/junk\.pem/);
    await expect(loadSwanctlConf(VALID, { extraFiles: { '../escape.pem': 'x' } })).rejects.toThrow(/escapes the swanctl dir/);
    expect(await namespacesNow()).toEqual([]);
  });
});

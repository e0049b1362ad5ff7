/**
 * Every "fetch the key" command a rendered swanctl.conf prints, run as written by a real shell against the same
 * DescribeVpnConnections response: `aws` is a stand-in that evaluates `--query` with jmespath (the AWS CLI's own
 * query engine) over the fixture, and the pipeline's xmllint is the real one. Each must print the tunnel's key.
 */
import { execFileSync } from 'child_process';
import { join } from 'path';
import { endpointConfigFromDescribe, isInlineKey, isSecretsManagerKeyRef, renderSwanctl } from '../../lib/endpoint';
import { describeWithTools } from '../interop/harness/tools';
import { FIXTURE_NAMES, fixturePath, loadConnections } from './fixtures';

const FAKE_AWS_DIR = join(__dirname, 'aws-cli');

/** The commands under "fetch the key with", in tunnel order. */
function fetchCommands(conf: string): string[] {
  const lines = conf.split('\n');
  return lines.flatMap((line, i) => (/^ {2}# tunnel\d+: fetch the key with$/.test(line) ? [lines[i + 1].replace(/^ {2}# {3}/, '')] : []));
}

function runInShell(command: string, describeFile: string): string {
  return execFileSync('/bin/bash', ['--norc', '--noprofile', '-c', command], {
    env: { PATH: `${FAKE_AWS_DIR}:/usr/bin:/bin`, FAKE_AWS_DESCRIBE: describeFile },
    encoding: 'utf8',
    timeout: 20_000,
  }).replace(/\n$/, '');
}

describeWithTools('the rendered key-fetching commands return the key', ['jmespath', 'xmllint'], () => {
  const cases = FIXTURE_NAMES.flatMap((name) => loadConnections(name).map((c, index) => ({ name, index, id: c.VpnConnectionId as string })));

  test.each(cases)('$name ($id)', ({ name, index }) => {
    const connection = loadConnections(name)[index];
    const config = endpointConfigFromDescribe(connection);
    const keys = endpointConfigFromDescribe(connection, { inlineSecrets: true }).tunnels.map((t) => t.preSharedKey);
    const commands = fetchCommands(renderSwanctl(config));
    const pskTunnels = config.tunnels.filter((t) => t.preSharedKey !== undefined);
    expect(commands).toHaveLength(pskTunnels.length);
    commands.forEach((command, i) => {
      const tunnel = pskTunnels[i];
      const expected = keys[config.tunnels.indexOf(tunnel)];
      if (tunnel.preSharedKey && isSecretsManagerKeyRef(tunnel.preSharedKey)) {
        // The secret itself is not in the response; what can be proven is that the shell passes the ARN intact.
        expect(runInShell(command, fixturePath(name))).toBe(tunnel.preSharedKey.secretArn);
      } else {
        expect(expected && isInlineKey(expected)).toBe(true);
        expect(runInShell(command, fixturePath(name))).toBe((expected as { value: string }).value);
      }
    });
  });

  test('the queries are not trivially right: a wrong address yields no key', () => {
    const config = endpointConfigFromDescribe(loadConnections('outside-address-only')[0]);
    const [command] = fetchCommands(renderSwanctl(config));
    expect(runInShell(command.replace('203.0.113.3', '203.0.113.99'), fixturePath('outside-address-only'))).toBe('');
    const [tunnelOptionsCommand] = fetchCommands(renderSwanctl(endpointConfigFromDescribe(loadConnections('cloud-wan')[0])));
    expect(tunnelOptionsCommand).toContain('.Options.TunnelOptions[');
    expect(runInShell(tunnelOptionsCommand.replace(/OutsideIpAddress=='[^']+'/, "OutsideIpAddress=='192.0.2.250'"), fixturePath('cloud-wan'))).toBe('None');
  });
});

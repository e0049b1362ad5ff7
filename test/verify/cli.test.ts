/** `s2s-vpn verify` as a process: exit codes 0/1/2, stdout clean for --json, --pcap parses back. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parsePcap } from '../../lib/esp';
import type { VerifyReport } from '../../lib/verify';
import { cliProcessScanned, plantInEndpointConfig } from '../helpers/bad-input';
import { convertedConfig, fixturePath, tempDir, writeAllFormats, writeJson } from './helpers';

const dir = tempDir();
// Every config here carries a secret canary as each tunnel's key; every run's output and files are scanned.
const config = () => plantInEndpointConfig(convertedConfig('hq'));
const files = writeAllFormats(config(), dir);
const describe = fixturePath('hq');
const cli = (...args: string[]) => cliProcessScanned(args, { dirs: [dir], inputs: Object.values(files) });

test('exit 0: --json prints only the report on stdout, progress on stderr; --pcap writes a capture', async () => {
  const pcapFile = join(dir, 'exchange.pcap');
  const run = await cli('verify', files.json, '--describe', describe, '--tunnel', '2', '--json', '--pcap', pcapFile);
  expect(run.stderr).toContain('verify: ');
  expect(run.code).toBe(0);
  const report = JSON.parse(run.stdout) as VerifyReport;
  expect(report).toMatchObject({ formatVersion: 1, configFormat: 'json', awsSide: 'describe', summary: { failed: 0, ok: true } });
  expect(Object.keys(report).sort()).toEqual(['assumptions', 'awsSide', 'config', 'configFormat', 'formatVersion', 'summary', 'tunnels']);
  expect(report.tunnels).toHaveLength(1);
  const [tunnel] = report.tunnels;
  expect(tunnel.awsOutsideAddress).toBe('192.0.2.102');
  for (const c of tunnel.checks) expect(['pass', 'warn', 'skip']).toContain(c.status);
  const [exchange] = tunnel.exchanges;
  expect(exchange.suite).toBe('aes256gcm16');
  const records = parsePcap(readFileSync(pcapFile)).records;
  expect(records).toHaveLength(exchange.onPremToAws.sent + exchange.awsToOnPrem.sent + exchange.natT.keepalivesSent + exchange.natT.nonEspSent);
});

test('exit 1: a failing check, with the fix in the text report', async () => {
  const mtu = config();
  (mtu.tunnels[0] as { mtu?: number }).mtu = 1500;
  const run = await cli('verify', writeJson(mtu, dir, 'mtu.json'), '--describe', describe, '--static-only');
  expect(run.code).toBe(1);
  expect(run.stdout).toContain('FAIL  MTU 1500 is above 1438, the limit for aes256gcm16 with NAT-T');
  expect(run.stdout).toContain('fix: set tunnels[0].mtu to at most 1438');
  expect(run.stdout).toMatch(/Summary: \d+ passed, \d+ warning\(s\), 1 failed/);
});

test('exit 2: bad input and usage errors, each with a message', async () => {
  const [noDescribe, missing, unknownOption, badTunnel] = await Promise.all([
    cli('verify', files.swanctl),
    cli('verify', join(dir, 'nope.json')),
    cli('verify', files.json, '--bogus'),
    cli('verify', files.json, '--tunnel', 'x'),
  ]);
  expect(noDescribe.code).toBe(2);
  expect(noDescribe.stderr).toContain('pass --describe FILE');
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('cannot read');
  expect(unknownOption.code).toBe(2);
  expect(unknownOption.stderr).toContain("unknown option '--bogus'");
  expect(badTunnel.code).toBe(2);
  expect(badTunnel.stderr).toContain('expected a tunnel number');
  for (const run of [noDescribe, missing, unknownOption, badTunnel]) expect(run.stdout).toBe('');
});

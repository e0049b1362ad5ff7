/** Every describe fixture, converted and rendered in each format, passes verify's static checks. */
import { renderReportJson, renderReportText, verifyConfig } from '../../lib/verify';
import { describeOf, FIXTURE_NAMES, convertedConfig, presharedKeysIn, tempDir, writeAllFormats } from './helpers';

const failures = (report: Awaited<ReturnType<typeof verifyConfig>>) =>
  report.tunnels.flatMap((t) => t.checks.filter((c) => c.status === 'fail').map((c) => `${t.name} ${c.id}: ${c.summary} (fix: ${c.fix})`));

describe.each(FIXTURE_NAMES)('fixture %s', (name) => {
  const dir = tempDir();
  const files = writeAllFormats(convertedConfig(name), dir);

  test.each(['json', 'ts', 'swanctl'] as const)('as %s with --describe: every check passes', async (format) => {
    const report = await verifyConfig({ configPath: files[format], describe: describeOf(name), dynamic: false });
    expect(failures(report)).toEqual([]);
    expect(report.summary.ok).toBe(true);
    expect(report.tunnels).toHaveLength(convertedConfig(name).tunnels.length);
    expect(report.tunnels.every((t) => t.checks.some((c) => c.id === 'esp-proposals' && c.status === 'pass'))).toBe(true);
  });

  test('with inline keys on both sides: keys match and appear nowhere in the report', async () => {
    const inline = writeAllFormats(convertedConfig(name, { inlineSecrets: true }), dir, 'inline');
    for (const configPath of [inline.json, inline.swanctl]) {
      const report = await verifyConfig({ configPath, describe: describeOf(name), dynamic: false });
      expect(failures(report)).toEqual([]);
      const text = renderReportText(report) + renderReportJson(report);
      for (const key of presharedKeysIn(name)) expect(text).not.toContain(key);
    }
  });

  test('as json without --describe: passes against AWS allowed values', async () => {
    const report = await verifyConfig({ configPath: files.json, dynamic: false });
    expect(failures(report)).toEqual([]);
    expect(report.awsSide).toBe('aws-rules');
  });
});

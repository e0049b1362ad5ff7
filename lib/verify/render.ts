/** The verify report as text for people, and as JSON for CI pipelines (the {@link VerifyReport} shape). */
import type { CheckResult, VerifyReport } from './report';

const MARK: Record<CheckResult['status'], string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };

/** Stable JSON: the report itself, 2-space indent, trailing newline. */
export function renderReportJson(report: VerifyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * One line per check, grouped by tunnel; failures add their details and the fix, exchanges their
 * counters; then the summary and the assumptions.
 */
export function renderReportText(report: VerifyReport): string {
  const source = report.awsSide === 'describe' ? "the tunnels' AWS options from the describe file" : "AWS's allowed values and the config's own record of AWS";
  const lines = [`Verifying ${report.config} (${report.configFormat}) against ${source}`, ''];
  for (const tunnel of report.tunnels) {
    lines.push(`${tunnel.name} (AWS ${tunnel.awsOutsideAddress})`);
    for (const check of tunnel.checks) {
      lines.push(`  ${MARK[check.status]}  ${check.summary}`);
      const showDetails = check.status === 'fail' || check.stage !== 'static';
      if (showDetails) for (const d of check.details ?? []) lines.push(`          ${d}`);
      if (check.fix) lines.push(`          fix: ${check.fix}`);
    }
    lines.push('');
  }
  const { passed, warnings, failed, skipped, ok } = report.summary;
  const verdict = ok ? 'the config will work with AWS' : 'the config will NOT work with AWS as it is; apply the fixes above';
  lines.push(`Summary: ${passed} passed, ${warnings} warning(s), ${failed} failed, ${skipped} skipped: ${verdict}.`);
  lines.push('Assumptions:', ...report.assumptions.map((a) => `  - ${a}`), '');
  return lines.join('\n');
}

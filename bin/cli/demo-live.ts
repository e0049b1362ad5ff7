/**
 * The demo's live step: the rendered swanctl.conf in a real charon against our engine as AWS, when this host
 * can (root, strongSwan); otherwise one line saying exactly what is missing. The example keeps its keys in
 * Secrets Manager, so the demo uses a throwaway key for both sides.
 */
import { relative } from 'path';
import type { VpnConnection } from '@aws-sdk/client-ec2';
import { missingLiveRequirements, renderReportText, verifyConfig } from '../../lib/verify';
import type { CliIo } from './io';

const DEMO_KEY = 's2s-vpn-demo-key-not-a-real-one';

/** True when the live stage passed or could not run here (a skip is not a failure of the demo). */
export async function runDemoLive(swanctlFile: string, connection: VpnConnection, describeFile: string, io: CliIo): Promise<boolean> {
  const missing = missingLiveRequirements();
  if (missing.length > 0) {
    io.stdout(`\n4. Live stage skipped (s2s-vpn verify --live): this host lacks ${missing.join('; ')}\n`);
    return true;
  }
  io.stdout(`\n4. Live: strongSwan charon loads ${relative(process.cwd(), swanctlFile)}, our IKEv2 engine plays AWS (network namespaces)\n\n`);
  const report = await verifyConfig({
    configPath: swanctlFile,
    describe: { connection, file: describeFile },
    dynamic: false,
    live: { psk: DEMO_KEY, dpd: false },
    progress: (line) => io.stderr(`verify --live: ${line}\n`),
  });
  const live = { ...report, tunnels: report.tunnels.map((t) => ({ ...t, checks: t.checks.filter((c) => c.stage === 'live') })) };
  io.stdout(renderReportText({ ...live, summary: { ...report.summary } }).split('\nSummary:')[0]);
  const failed = live.tunnels.flatMap((t) => t.checks).filter((c) => c.status === 'fail').length;
  io.stdout(`\n  live: ${failed === 0 ? 'PASS, both tunnels up, pinging, rekeyed both ways' : `FAIL, ${failed} live check(s) failed`}\n`);
  return failed === 0;
}

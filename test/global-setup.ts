/** Jest's global setup: bundles the endpoint-config handlers into `assets/`, which the construct deploys from. */
import * as path from 'path';
import { bundleHandlers } from '../scripts/bundle-handlers';

export default function globalSetup(): void {
  // Always rebuilt (about a second): a stale bundle would test yesterday's handler.
  bundleHandlers(path.join(__dirname, '..', 'assets'));
}

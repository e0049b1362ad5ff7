/** Builds the app's stack from a config file; shared by `bin/app.ts` and the tests. */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HybridVpnStack } from '../../lib/construct/hybrid-vpn-stack';
import { loadConfig } from './load-config';

export const DEFAULT_CONFIG_FILE = 'examples/hq.json';
export const DEFAULT_STACK_NAME = 'HybridVpn';

/** Adds the config's `HybridVpnStack` to the app, with cdk-nag's AWS Solutions checks on the app. */
export function buildHybridVpnStack(app: App, configFile: string): HybridVpnStack {
  const config = loadConfig(configFile);
  const stack = new HybridVpnStack(app, config.stackName ?? DEFAULT_STACK_NAME, { config });
  // cdk-nag 3 is a policy-validation plugin: an unacknowledged AWS Solutions error fails the synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}

#!/usr/bin/env node
/**
 * The CDK app: one `HybridVpnStack` built from a JSON config file.
 *   npx cdk synth -c config=examples/hq.json
 * The stack is environment-agnostic, so synth needs no AWS credentials and no network.
 */
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { SiteToSiteVpnValidationError } from '../lib/construct/validation/problems';
import { buildHybridVpnStack, DEFAULT_CONFIG_FILE } from './app-config/build-app';
import { ConfigError } from './app-config/load-config';
import { EXIT } from './cli/io';

const app = new App();
try {
  buildHybridVpnStack(app, path.resolve(String(app.node.tryGetContext('config') ?? DEFAULT_CONFIG_FILE)));
} catch (e) {
  // A bad config is the user's to fix: show the list of problems, not a stack trace.
  if (!(e instanceof ConfigError || e instanceof SiteToSiteVpnValidationError)) throw e;
  console.error(e.message);
  process.exit(EXIT.badInput);
}
app.synth();

/**
 * `verify --live [--psk-file FILE] [--no-dpd]`: the options of the live stage and their checks before
 * anything runs (root and strongSwan present, the key file readable): missing ones exit 2 naming them.
 */
import type { Command } from 'commander';
import { LiveOptions, missingLiveRequirements } from '../../lib/verify';
import { lazyAwsKeyResolver } from './lazy-key-resolver';
import { CliError } from './io';
import { readPskFile } from './psk-file';

export interface LiveCommandOptions {
  live?: boolean;
  pskFile?: string;
  dpd?: boolean;
}

export function addLiveOptions(command: Command): Command {
  return command
    .option('--live', 'bring each tunnel up for real: strongSwan charon with CONFIG against our IKEv2 engine as AWS (network namespaces; root)', false)
    .option('--psk-file <file>', "--live: the tunnels' pre-shared key (first line), when CONFIG and --describe hold none")
    .option('--no-dpd', '--live: skip the DPD check (it waits for AWS\'s DPD timeout, 30 s or more)');
}

/** The live stage's options, or undefined without --live; throws CliError (exit 2) for what is missing. */
export function liveOptionsFrom(options: LiveCommandOptions): LiveOptions | undefined {
  if (!options.live) {
    if (options.pskFile) throw new CliError('--psk-file needs --live');
    return undefined;
  }
  const missing = missingLiveRequirements();
  if (missing.length > 0) throw new CliError(`--live cannot run here; missing: ${missing.join('; ')}`);
  return { psk: options.pskFile ? readPskFile(options.pskFile) : undefined, resolveKey: lazyAwsKeyResolver, dpd: options.dpd };
}

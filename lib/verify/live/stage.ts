/**
 * The `live` stage of verify: per tunnel, the keys found (inline, the --psk-file key, or the key resolver),
 * charon's swanctl.conf assembled (the config as is, or rendered from the endpoint config), then
 * {@link liveTunnel}. Signals and failures tear down everything the stage created.
 */
import { KeyResolver, keyReferenceOf } from '../key-resolver';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { isInlineKey, renderSwanctl } from '../../endpoint';
import type { AwsSide } from '../aws-side';
import { VerifyInputError } from '../errors';
import type { LoadedConfig } from '../load-config';
import type { OnPremTunnel } from '../on-prem';
import { CheckResult } from '../report';
import { teardownOnSignals, trackDir, untrackDir } from './cleanup';
import { liveTunnel } from './live-tunnel';
import { bundlePeer } from './peer-process';
import { missingLiveRequirements } from './requirements';
import { withoutUpdown } from './site-hooks';

/** Resolves a tunnel's pre-shared key (Secrets Manager, DescribeVpnConnections...); undefined: not found. */
/** The config's key reference resolved through `resolve` (Secrets Manager, DescribeVpnConnections), if it has one. */
export async function resolvedKey(onPrem: OnPremTunnel, resolve?: KeyResolver): Promise<string | undefined> {
  const ref = keyReferenceOf(onPrem.preSharedKey);
  return ref && resolve ? Buffer.from(await resolve(ref)).toString('utf8') : undefined;
}

export interface LiveOptions {
  /** The key of every tunnel verified (the CLI's --psk-file). */
  readonly psk?: string;
  readonly resolveKey?: KeyResolver;
  /** Run the DPD check. @default true */
  readonly dpd?: boolean;
}

/** One run of the stage: a temp dir with the bundled AWS endpoint, removed (also on a signal) by close(). */
export class LiveStage {
  private readonly dir: string;
  private readonly bundle: string;
  private readonly offSignals: () => void;
  private count = 0;

  constructor(
    private readonly loaded: LoadedConfig,
    private readonly options: LiveOptions,
  ) {
    const missing = missingLiveRequirements();
    if (missing.length > 0) throw new VerifyInputError(`--live needs: ${missing.join('; ')}`);
    this.dir = mkdtempSync(join(tmpdir(), 's2s-vpn-live-'));
    trackDir(this.dir);
    this.offSignals = teardownOnSignals();
    this.bundle = bundlePeer(this.dir);
  }

  async tunnel(onPrem: OnPremTunnel, aws: AwsSide, predicted: { ike?: string; esp?: string }, progress: (line: string) => void): Promise<CheckResult[]> {
    const keys = await this.keysFor(onPrem, aws);
    const conf = withoutUpdown(this.swanctlConf(keys.onPrem));
    return liveTunnel({
      onPrem,
      aws,
      swanctlConf: conf.text,
      hooksLeftOut: conf.removed,
      awsKey: keys.aws,
      predicted,
      workDir: join(this.dir, `tunnel-${this.count++}`),
      bundle: this.bundle,
      dpd: this.options.dpd,
      progress,
    });
  }

  close(): void {
    this.offSignals();
    rmSync(this.dir, { recursive: true, force: true });
    untrackDir(this.dir);
  }

  /** AWS's key: the describe file's, else the given or resolved one, else the config's own. */
  private async keysFor(onPrem: OnPremTunnel, aws: AwsSide): Promise<{ aws: string; onPrem?: string }> {
    const inlineOnPrem = onPrem.preSharedKey.kind === 'inline' ? onPrem.preSharedKey.value : undefined;
    const awsRef = aws.source === 'describe' ? aws.tunnel.preSharedKey : undefined;
    const fromDescribe = awsRef && isInlineKey(awsRef) ? awsRef.value : undefined;
    const supplied = this.options.psk ?? (await resolvedKey(onPrem, this.options.resolveKey));
    const awsKey = fromDescribe ?? supplied ?? inlineOnPrem;
    if (awsKey === undefined) {
      throw new VerifyInputError(`${onPrem.name}: no pre-shared key for the live stage: the config and the describe file hold none; pass --psk-file FILE or let the key resolver reach it`);
    }
    // The config's own key wins for the on-prem side: that is what is being verified.
    return { aws: awsKey, onPrem: inlineOnPrem === undefined ? (supplied ?? fromDescribe) : undefined };
  }

  private swanctlConf(extraKey: string | undefined): string {
    const text = this.loaded.format === 'swanctl' ? readFileSync(this.loaded.path, 'utf8') : renderSwanctl(this.loaded.endpointConfig!);
    // A second `secrets` section merges with the config's; hex keeps any key free of quoting.
    const secret = extraKey === undefined ? '' : `\nsecrets {\n  ike-s2s-vpn-live {\n    secret = 0x${Buffer.from(extraKey, 'utf8').toString('hex')}\n  }\n}\n`;
    return text + secret;
  }
}

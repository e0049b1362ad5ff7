/**
 * The AWS key resolver, loaded on first use: the AWS SDK costs start-up time and needs credentials, and most
 * runs (keys inline, in --psk-file or in the describe file) never call it.
 */
import type { KeyReference } from '../../lib/verify';

export async function lazyAwsKeyResolver(ref: KeyReference): Promise<Uint8Array> {
  return (await import('./key-resolver')).awsKeyResolver()(ref);
}

/**
 * The on-prem pre-shared key, resolved: a reference in the config (a Secrets Manager ARN, or "the tunnel's
 * key in DescribeVpnConnections") turned into the key's bytes by a resolver the caller supplies (the CLI's
 * uses the AWS SDK). The bytes stay in memory: no check, message or error ever shows them.
 */
import { preSharedKeyProblem } from '../aws-rules';
import { isInlineKey } from '../endpoint/model';
import type { AwsSide } from './aws-side';
import type { OnPremKey, OnPremTunnel } from './on-prem';
import { CheckResult, fail, pass } from './report';

/** A key the config names but does not contain. */
export type KeyReference = Extract<OnPremKey, { readonly kind: 'secrets-manager' } | { readonly kind: 'describe' }>;

/** Key reference to key bytes. Throws {@link KeyResolutionError} (with a message free of secrets) when it cannot. */
export type KeyResolver = (ref: KeyReference) => Promise<Uint8Array>;

/** Why a reference could not be resolved. The message names the reference and the cause, never a key. */
export class KeyResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyResolutionError';
  }
}

export function keyReferenceOf(key: OnPremKey): KeyReference | undefined {
  return key.kind === 'secrets-manager' || key.kind === 'describe' ? key : undefined;
}

function describeReference(ref: KeyReference): string {
  return ref.kind === 'secrets-manager' ? `Secrets Manager secret ${ref.arn}` : `DescribeVpnConnections of ${ref.vpnConnectionId}, tunnel ${ref.awsOutsideAddress}`;
}

export interface ResolvedKey {
  readonly check: CheckResult;
  /** The key's bytes when resolution worked. A secret: never print it. */
  readonly key?: Buffer;
}

/** Resolves the tunnel's key reference and checks the key against AWS's rules (and AWS's key, when known). */
export async function resolveKeyCheck(onPrem: OnPremTunnel, aws: AwsSide, resolve: KeyResolver): Promise<ResolvedKey | undefined> {
  const ref = keyReferenceOf(onPrem.preSharedKey);
  if (!ref) return undefined;
  const id = 'pre-shared-key-value';
  const where = describeReference(ref);
  let key: Buffer;
  try {
    key = Buffer.from(await resolve(ref));
  } catch (e) {
    const why = e instanceof KeyResolutionError ? e.message : `${(e as Error).name ?? 'Error'} (details withheld: they may hold the key)`;
    return { check: fail(id, 'static', `Pre-shared key: cannot read it from ${where}: ${why}`, `make ${onPrem.field.preSharedKey} readable with the current AWS credentials, or put the key inline`) };
  }
  const problem = preSharedKeyProblem(key.toString('utf8'));
  if (problem) return { check: fail(id, 'static', `Pre-shared key from ${where}: ${problem} (AWS's rule)`, `store a key of 8 to 64 letters, digits, periods or underscores, not starting with 0`), key };
  const awsRef = aws.source === 'describe' ? aws.tunnel.preSharedKey : undefined;
  const awsKey = awsRef && isInlineKey(awsRef) ? Buffer.from(awsRef.value, 'utf8') : undefined;
  if (awsKey && !awsKey.equals(key)) {
    return { check: fail(id, 'static', `Pre-shared key from ${where}: differs from AWS's key for this tunnel`, `store the tunnel's PreSharedKey from DescribeVpnConnections in ${where}`), key };
  }
  return { check: pass(id, 'static', `Pre-shared key: read from ${where}, ${key.length} bytes, within AWS's rules${awsKey ? "; matches AWS's key" : ''} (not shown)`), key };
}

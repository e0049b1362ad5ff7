/**
 * What one invocation has written so far, so a failure can take exactly that back (nothing half-written).
 */
import type { EndpointConfigAws, ObjectVersion } from './aws';
import type { Logger } from './log';

export class WriteJournal {
  private readonly objects: { bucket: string; version: ObjectVersion }[] = [];
  private readonly secretArns: string[] = [];

  public objectWritten(bucket: string, key: string, versionId: string | undefined): void {
    this.objects.push({ bucket, version: { key, versionId } });
  }

  /** Only secrets this invocation created: a secret that existed before keeps its (same) key. */
  public secretCreated(arn: string): void {
    this.secretArns.push(arn);
  }

  /** Deletes what was written, newest first; keeps going past errors and logs them, then reports them. */
  public async rollback(aws: EndpointConfigAws, log: Logger): Promise<void> {
    const problems: string[] = [];
    for (const { bucket, version } of [...this.objects].reverse()) {
      await aws.deleteObjectVersions(bucket, [version]).catch((err: unknown) => problems.push(`s3://${bucket}/${version.key}: ${String(err)}`));
    }
    for (const arn of [...this.secretArns].reverse()) {
      await aws.deleteSecret(arn).catch((err: unknown) => problems.push(`${arn}: ${String(err)}`));
    }
    log.info('rolled back this invocation\'s writes', {
      objects: this.objects.length,
      secrets: this.secretArns.length,
      problems: problems.length,
    });
    if (problems.length > 0) log.error('rollback left some writes behind', { problems });
  }
}

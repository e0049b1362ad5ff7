/**
 * The artifacts in S3: written under the connection's own prefix, removed (every version) on Delete.
 */
import type { EndpointConfigAws } from './aws';
import { ArtifactKind } from '../../lib/endpoint-config-resource/contract';
import type { WriteJournal } from './journal';
import type { Logger } from './log';
import { artifactKey, ConnectionLocation, s3Uri } from './properties';

const CONTENT_TYPES: Readonly<Record<ArtifactKind, string>> = {
  json: 'application/json',
  typescript: 'text/x-typescript; charset=utf-8',
  swanctl: 'text/plain; charset=utf-8',
};

/** Writes each artifact; every version written is recorded in the journal. Returns the URIs by kind. */
export async function writeArtifacts(
  aws: EndpointConfigAws,
  log: Logger,
  location: ConnectionLocation,
  bodies: Readonly<Record<ArtifactKind, string>>,
  journal: WriteJournal,
): Promise<Record<ArtifactKind, string>> {
  const uris = artifactUris(location);
  for (const kind of Object.keys(bodies) as ArtifactKind[]) {
    const key = artifactKey(location, kind);
    const versionId = await aws.putObject(location.bucketName, key, bodies[kind], CONTENT_TYPES[kind]);
    journal.objectWritten(location.bucketName, key, versionId);
    log.info('artifact written', { uri: uris[kind], versionId });
  }
  return uris;
}

/** Where the artifacts are (or would be) for the location. */
export function artifactUris(location: ConnectionLocation): Record<ArtifactKind, string> {
  const uri = (kind: ArtifactKind) => s3Uri(location.bucketName, artifactKey(location, kind));
  return { json: uri('json'), typescript: uri('typescript'), swanctl: uri('swanctl') };
}

/** Deletes every version and delete marker under the connection's prefix; nothing there is success. */
export async function deleteArtifacts(aws: EndpointConfigAws, log: Logger, location: ConnectionLocation): Promise<number> {
  const versions = await aws.listObjectVersions(location.bucketName, location.keyPrefix);
  if (versions.length > 0) await aws.deleteObjectVersions(location.bucketName, versions);
  log.info('artifacts deleted', { prefix: s3Uri(location.bucketName, location.keyPrefix), versions: versions.length });
  return versions.length;
}

/**
 * A throwaway CA and customer gateway certificate (openssl), for configs that authenticate with certificates:
 * what a user supplies from AWS Private CA. swanctl refuses a config whose `certs`/`cacerts` files are
 * missing, and so does `verify`, so every test that loads such a config writes these next to it.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import type { OnPremEndpointConfig } from '../../../lib/endpoint';

const made = new Map<string, Record<string, string>>();

/** The files, keyed by their path relative to the swanctl directory (the renderer's default names). */
export function customerGatewayCertificateFiles(cgwId: string): Record<string, string> {
  const cached = made.get(cgwId);
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 's2s-pki-'));
  const at = (f: string) => join(dir, f);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/O=Example/CN=Example Private CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', at('ca.key'), '-out', at('ca.pem'));
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/O=Example/CN=${cgwId}`, '-keyout', at('cgw.key'), '-out', at('cgw.csr'));
  openssl('x509', '-req', '-in', at('cgw.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-days', '2', '-out', at('cgw.pem'));
  const files = {
    'x509ca/aws-private-ca.pem': readFileSync(at('ca.pem'), 'utf8'),
    [`x509/${cgwId}.pem`]: readFileSync(at('cgw.pem'), 'utf8'),
    [`private/${cgwId}.key`]: readFileSync(at('cgw.key'), 'utf8'),
  };
  made.set(cgwId, files);
  return files;
}

/** The certificate files `config` needs, or none when no tunnel uses certificates. */
export function certificateFilesFor(config: OnPremEndpointConfig): Record<string, string> {
  return config.tunnels.some((t) => t.auth) ? customerGatewayCertificateFiles(config.customerGatewayId) : {};
}

/** Writes `files` (relative paths) under `dir`. */
export function writeFilesUnder(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

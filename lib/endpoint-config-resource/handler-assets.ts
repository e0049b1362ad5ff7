/**
 * The endpoint-config Lambda handlers ship pre-bundled (esbuild at `npm run build`, see
 * `scripts/bundle-handlers.ts`), so a consumer's synth needs no esbuild, Docker or lock file.
 * In the package they are `dist/assets/endpoint-config/<handler>/index.js`; in this repository
 * `assets/endpoint-config/<handler>/index.js` (jest's global setup, cdk.json's pre-synth build, or `npm run bundle:handlers`).
 */
import * as fs from 'fs';
import * as path from 'path';

/** The handlers, by file name under `lambda/endpoint-config/`. */
export const ENDPOINT_CONFIG_HANDLERS = ['on-event', 'is-complete'] as const;
export type EndpointConfigHandler = (typeof ENDPOINT_CONFIG_HANDLERS)[number];

/** `<root>/endpoint-config/<handler>`: the directory one bundle is written to and deployed from. */
export function handlerAssetDir(root: string, handler: EndpointConfigHandler): string {
  return path.join(root, 'endpoint-config', handler);
}

/** The asset root next to this module: `dist/assets` in the package, `assets` in the repository. */
export const HANDLER_ASSET_ROOT = path.join(__dirname, '..', '..', 'assets');

/** The directory to deploy a handler from; a clear error when the bundle was never built. */
export function bundledHandlerDir(handler: EndpointConfigHandler, root = HANDLER_ASSET_ROOT): string {
  const dir = handlerAssetDir(root, handler);
  if (!fs.existsSync(path.join(dir, 'index.js'))) {
    throw new Error(`The bundled ${handler} handler is missing (${path.join(dir, 'index.js')}): ` +
      'in a checkout of cdk-site-to-site-vpn run `npm run bundle:handlers` (or `npm run build`); an installed package ships it');
  }
  return dir;
}

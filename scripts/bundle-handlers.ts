/**
 * Bundles the endpoint-config Lambda handlers with esbuild into `<out>/endpoint-config/<handler>/index.js`.
 *   ts-node scripts/bundle-handlers.ts dist/assets   (npm run build: shipped in the package)
 *   ts-node scripts/bundle-handlers.ts assets        (npm run bundle:handlers: this checkout's tests and synth)
 *
 * Measured choices (README "At deploy time: the custom resource"): the AWS SDK is bundled, so the handler runs
 * the client versions its tests ran against, whatever the Lambda runtime ships, and requires faster (245 ms
 * against 400 ms for the runtime's unbundled copy);
 * minified; no source map (6.8 MB, +~35 ms on require with --enable-source-maps, and the handlers log
 * messages, never stacks).
 */
import * as path from 'path';
import { buildSync } from 'esbuild';
import { ENDPOINT_CONFIG_HANDLERS, handlerAssetDir } from '../lib/endpoint-config-resource/handler-assets';

/** This checkout (scripts/..); `scripts/prepare-synth.mjs` passes it explicitly, as it runs this file bundled elsewhere. */
const CHECKOUT = path.join(__dirname, '..');

/** Bundles every handler under `outRoot`; returns the written files. */
export function bundleHandlers(outRoot: string, checkout = CHECKOUT): string[] {
  return ENDPOINT_CONFIG_HANDLERS.map((handler) => {
    const outfile = path.join(handlerAssetDir(outRoot, handler), 'index.js');
    buildSync({
      entryPoints: [path.join(checkout, 'lambda', 'endpoint-config', `${handler}.ts`)],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      minify: true,
      sourcemap: false,
      legalComments: 'none',
      logLevel: 'error',
    });
    return outfile;
  });
}

if (require.main === module) {
  const outRoot = process.argv[2];
  if (!outRoot) {
    process.stderr.write('usage: bundle-handlers.ts <output directory>\n');
    process.exit(2);
  }
  for (const file of bundleHandlers(path.resolve(outRoot))) process.stdout.write(`bundled ${path.relative(process.cwd(), file)}\n`);
}

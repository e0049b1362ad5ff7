// cdk.json's pre-synth `build`: bundles the endpoint-config handlers into assets/ and the CDK app into
// .tmp/synth/app.cjs, both with esbuild, so `cdk synth` runs plain JavaScript: no ts-node, no TypeScript
// compiler at synth (it cost ~1.5 s of CPU, see bench/synth.ts). Type checking is `npm test`'s job.
// .tmp/synth/ is two levels below the checkout, like lib/<module>/, so the paths the library derives from
// __dirname (assets/, the package root) resolve the same. Plain .mjs: it must run before anything is compiled.
import { buildSync } from 'esbuild';
import { createRequire } from 'module';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';

const checkout = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(checkout, '.tmp', 'synth');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', logLevel: 'error' };

buildSync({ ...common, entryPoints: [join(checkout, 'scripts', 'bundle-handlers.ts')], outfile: join(out, 'bundle-handlers.cjs') });
createRequire(import.meta.url)(join(out, 'bundle-handlers.cjs')).bundleHandlers(join(checkout, 'assets'), checkout);
buildSync({ ...common, entryPoints: [join(checkout, 'bin', 'app.ts')], outfile: join(out, 'app.cjs') });

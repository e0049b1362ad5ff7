import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { layerViolations } from './layers';

const ROOT = join(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function sources(): Map<string, string> {
  return new Map(['lib', 'lambda', 'bin'].flatMap(tsFiles).map((p) => [relative(ROOT, join(ROOT, p)), readFileSync(join(ROOT, p), 'utf8')]));
}

describe('layers (README "Layout"): imports only point down', () => {
  it('no module of lib/, lambda/ or bin/ imports from a layer above it', () => {
    const files = sources();
    expect(files.size).toBeGreaterThan(100);
    expect(layerViolations(files).map((v) => v.message)).toEqual([]);
  });

  it('catches an upward import, a sideways one, a dynamic one and a file in no layer (synthetic sources)', () => {
    const files = new Map([
      ['lib/esp/esp-sa.ts', "import { verifyConfig } from '../verify';\nexport const x = 1;"],
      ['lib/verify/index.ts', "export * from './verify';"],
      ['lib/verify/verify.ts', "export const verifyConfig = 1;"],
      ['lib/construct/vpn-site.ts', "export { handler } from '../../lambda/endpoint-config/on-event';"],
      ['lambda/endpoint-config/on-event.ts', 'export const handler = 1;'],
      ['lib/algorithms/lookup.ts', "const m = import('../endpoint/model');"],
      ['lib/endpoint/model.ts', "import type { AwsSide } from '../verify/aws-side';"],
      ['lib/verify/aws-side.ts', "import { dhGroupById } from '../algorithms/lookup';"],
      ['lib/stray.ts', ''],
    ]);
    expect(layerViolations(files).map((v) => v.message)).toEqual([
      'lib/esp/esp-sa.ts (lib/esp/) imports lib/verify/index.ts (lib/verify/), a layer above it',
      'lib/construct/vpn-site.ts (lib/construct/) imports lambda/endpoint-config/on-event.ts (lambda/), a layer beside it',
      'lib/algorithms/lookup.ts (lib/algorithms/, lib/aws-rules.ts, lib/net/) imports lib/endpoint/model.ts (lib/endpoint/), a layer above it',
      'lib/endpoint/model.ts (lib/endpoint/) imports lib/verify/aws-side.ts (lib/verify/), a layer above it',
      'lib/stray.ts is in no layer; add it to test/architecture/layers.ts',
    ]);
  });
});

/**
 * The package as a consumer gets it: `npm pack` (which builds), a fresh CDK app in a temp dir on the OLDEST
 * aws-cdk-lib the peer range allows, no lock file, the tarball installed from disk and everything else from the
 * registry. The app (test/consumer/app/app.ts) uses the construct on its own `ec2.Vpc` and on a Transit Gateway;
 * it must type-check, synthesize, and leave exactly one aws-cdk-lib in the tree.
 *
 * Needs the npm registry: skipped locally without it, a failure with CI=true (test/interop/harness/tools.ts).
 * Nothing is cached between runs except npm's own content-addressed tarball cache, which cannot change what
 * resolves; the package is packed afresh every run.
 */
import { execFileSync, spawnSync, SpawnSyncReturns } from 'child_process';
import { createHash } from 'crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { describeWithTools } from '../interop/harness/tools';

const ROOT = path.resolve(__dirname, '../..');
const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string; version: string; peerDependencies: Record<string, string>;
};
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** The floor of the peer range (`^2.227.0` -> `2.227.0`): the version the app is built on. */
export const OLDEST_AWS_CDK_LIB = PACKAGE.peerDependencies['aws-cdk-lib'].replace(/^\^/, '');

/** cdk init's tsconfig (aws-cdk's app/typescript template), emitting JS to build/. */
const APP_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['es2022'], declaration: true, strict: true,
    noImplicitAny: true, strictNullChecks: true, noImplicitThis: true, alwaysStrict: true, noImplicitReturns: true,
    inlineSourceMap: true, inlineSources: true, experimentalDecorators: true, strictPropertyInitialization: false,
    skipLibCheck: true, typeRoots: ['./node_modules/@types'], types: ['node'], isolatedModules: true, outDir: 'build',
  },
  include: ['app.ts'],
};

/** The same settings with library checking on, for the package's declarations against the oldest aws-cdk-lib. */
const DECLARATIONS_TSCONFIG = {
  extends: './tsconfig.json',
  compilerOptions: { skipLibCheck: false, noEmit: true },
  include: [],
  files: ['node_modules/cdk-site-to-site-vpn/dist/lib/index.d.ts', 'node_modules/cdk-site-to-site-vpn/dist/lib/endpoint/index.d.ts'],
};

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
}

/** Runs a command that must succeed; its output is in the error when it does not. */
function mustRun(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const result = run(cmd, args, cwd, env);
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describeWithTools('consumer: the packed package in a fresh CDK app on the oldest supported aws-cdk-lib', ['npm-registry'], () => {
  let work: string;
  let app: string;
  let tarball: string;

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 's2s-consumer-'));
    app = path.join(work, 'app');
    mkdirSync(app);
    // prepack runs `npm run build`: tsc and the handler bundles, fresh every run.
    mustRun('npm', ['pack', '--silent', '--pack-destination', work], ROOT);
    const packed = readdirSync(work).filter((f) => f.endsWith('.tgz'));
    expect(packed).toHaveLength(1);
    tarball = path.join(work, packed[0]);

    writeFileSync(path.join(app, 'package.json'), JSON.stringify({
      name: 'consumer-app',
      version: '0.0.0',
      private: true,
      dependencies: { 'aws-cdk-lib': OLDEST_AWS_CDK_LIB, constructs: '^10.0.0', [PACKAGE.name]: `file:${tarball}` },
      devDependencies: { '@types/node': '^20.0.0' },
    }, null, 2));
    writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(APP_TSCONFIG, null, 2));
    writeFileSync(path.join(app, 'tsconfig.declarations.json'), JSON.stringify(DECLARATIONS_TSCONFIG, null, 2));
    copyFileSync(path.join(__dirname, 'app', 'app.ts'), path.join(app, 'app.ts'));
    mustRun('npm', ['install', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error'], app);
  }, 15 * 60_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('no lock file was written, and one aws-cdk-lib (the oldest supported) is in the tree', () => {
    expect(existsSync(path.join(app, 'package-lock.json'))).toBe(false);
    const tree = mustRun('npm', ['ls', 'aws-cdk-lib', '--all'], app);
    process.stdout.write(`consumer: npm ls aws-cdk-lib\n${tree}`);
    const copies = mustRun('npm', ['ls', 'aws-cdk-lib', '--all', '--parseable'], app).trim().split('\n');
    expect(copies).toEqual([path.join(app, 'node_modules', 'aws-cdk-lib')]);
    expect(JSON.parse(readFileSync(path.join(copies[0], 'package.json'), 'utf8')).version).toBe(OLDEST_AWS_CDK_LIB);
    expect(tree).toContain(`${PACKAGE.name}@${PACKAGE.version}`);
    expect(tree).toContain('deduped');
  });

  test('nothing a synth used to need is installed: no esbuild, no TypeScript, no cdk-nag', () => {
    for (const name of ['esbuild', 'typescript', 'cdk-nag']) expect(existsSync(path.join(app, 'node_modules', name))).toBe(false);
  });

  test("the app type-checks against the package's declarations (cdk init's tsconfig), and so do the declarations themselves", () => {
    mustRun(process.execPath, [TSC, '-p', 'tsconfig.json'], app);
    mustRun(process.execPath, [TSC, '-p', 'tsconfig.declarations.json'], app);
  });

  test('the app synthesizes: the VPC stack gets one virtual private gateway, the Transit Gateway stack none', () => {
    const out = path.join(app, 'cdk.out');
    mustRun(process.execPath, ['build/app.js'], app, { CDK_OUTDIR: out });
    const template = (stack: string) => JSON.parse(readFileSync(path.join(out, `${stack}.template.json`), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const ofType = (stack: string, type: string) => Object.values(template(stack).Resources).filter((r) => r.Type === type);

    expect(ofType('ConsumerVpc', 'AWS::EC2::VPNGateway')).toHaveLength(1);
    const [vpcConnection] = ofType('ConsumerVpc', 'AWS::EC2::VPNConnection');
    expect(vpcConnection.Properties).toMatchObject({ PreSharedKeyStorage: 'SecretsManager' });
    const spec = (vpcConnection.Properties.VpnTunnelOptionsSpecifications as Record<string, unknown>[])[0];
    expect(spec).toMatchObject({ EnableTunnelLifecycleControl: true, LogOptions: { CloudwatchLogOptions: { LogEnabled: true, BgpLogEnabled: true } } });
    expect(ofType('ConsumerVpc', 'AWS::EC2::CustomerGateway')[0].Properties).toMatchObject({ BgpAsnExtended: 4199999999 });

    expect(ofType('ConsumerTgw', 'AWS::EC2::VPNGateway')).toHaveLength(0);
    expect(ofType('ConsumerTgw', 'AWS::EC2::VPNConnection')[0].Properties).toMatchObject({
      TransitGatewayId: 'tgw-0123456789abcdef0',
      TunnelBandwidth: 'large',
      TunnelInsideIpVersion: 'ipv6',
    });
  });

  test("the handlers deployed are the package's pre-built bundles, byte for byte", () => {
    const out = path.join(app, 'cdk.out');
    const manifest = JSON.parse(readFileSync(path.join(out, 'ConsumerVpc.assets.json'), 'utf8')) as {
      files: Record<string, { source: { path: string; packaging?: string } }>;
    };
    const staged = Object.values(manifest.files)
      .filter((f) => f.source.packaging === 'zip' && existsSync(path.join(out, f.source.path, 'index.js')))
      .map((f) => sha256(path.join(out, f.source.path, 'index.js')));
    const shipped = ['on-event', 'is-complete'].map((h) =>
      sha256(path.join(app, 'node_modules', PACKAGE.name, 'dist', 'assets', 'endpoint-config', h, 'index.js')));
    for (const digest of shipped) expect(staged).toContain(digest);
  });

  test('the installed CLI: --version, demo (with the packaged example), and verify of an endpoint.ts without TypeScript', () => {
    const cli = path.join(app, 'node_modules', '.bin', 's2s-vpn');
    expect(mustRun(cli, ['--version'], app).trim()).toBe(PACKAGE.version);
    const demo = run(cli, ['demo', '--out-dir', 'demo-out'], app);
    expect({ status: demo.status, stderr: demo.status === 0 ? '' : demo.stderr }).toEqual({ status: 0, stderr: '' });
    expect(demo.stdout).toMatch(/^ {2}PASS {2}json /m);
    expect(demo.stdout).toMatch(/^ {2}PASS {2}swanctl /m);
    expect(demo.stdout).toMatch(/^ {2}SKIP {2}ts .*TypeScript is not installed/m);
    const verify = run(cli, ['verify', 'demo-out/endpoint.ts', '--static-only'], app);
    expect(verify.status).toBe(2);
    expect(verify.stderr).toContain('verifying an endpoint.ts needs the TypeScript compiler, which is not installed');
  });

  test("requiring the built package loads neither TypeScript nor cdk-nag, though this repository's node_modules has both", () => {
    const probe = 'const before = new Set(Object.keys(require.cache)); require(process.argv[1]);' +
      'process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((f) => !before.has(f))))';
    const loaded = JSON.parse(execFileSync(process.execPath, ['-e', probe, path.join(ROOT, 'dist', 'lib', 'index.js')], { cwd: ROOT, encoding: 'utf8' })) as string[];
    require.resolve('typescript');
    require.resolve('cdk-nag');
    expect(loaded.length).toBeGreaterThan(10);
    expect(loaded.filter((f) => /node_modules[\\/](typescript|cdk-nag)[\\/]/.test(f))).toEqual([]);
  });
});

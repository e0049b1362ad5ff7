/**
 * Which external tools the interop suites need, and the CI rule: locally a missing tool skips the
 * suite; with CI=true it fails the suite loudly (a skipped interop proof must never look green in CI).
 */
import { existsSync } from 'fs';
import { execFileSync } from 'child_process';
import { CHARON } from '../../../lib/verify/live/charon';
import { onPath } from '../../../lib/verify/live/requirements';

export { CHARON };
export const PYTHON = '/usr/bin/python3';

export type Tool = 'root' | 'ip' | 'charon' | 'swanctl' | 'ping' | 'tshark' | 'scapy' | 'cryptography' | 'esbuild' | 'jmespath' | 'xmllint' | 'openssl' | 'npm-registry' | SiteTool;
/** The site suites' parsers and daemons (test/site). */
export type SiteTool = 'vtysh' | 'bgpd' | 'staticd' | 'bird' | 'birdc' | 'shellcheck' | 'nft' | 'libreswan';

/** Where .ci/run unpacks Debian's libreswan (installing it would remove strongswan-charon). */
export const LIBRESWAN_ROOT = process.env.LIBRESWAN_ROOT ?? '/opt/libreswan-unpacked';

function pythonImports(module: string): boolean {
  try {
    execFileSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore', timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

const probes: Record<Tool, () => boolean> = {
  root: () => process.getuid?.() === 0,
  ip: () => onPath('ip'),
  charon: () => existsSync(CHARON),
  swanctl: () => onPath('swanctl'),
  ping: () => onPath('ping'),
  tshark: () => onPath('tshark'),
  esbuild: () => {
    try {
      require.resolve('esbuild');
      return true;
    } catch {
      return false;
    }
  },
  vtysh: () => onPath('vtysh'),
  bgpd: () => existsSync('/usr/lib/frr/bgpd') && existsSync('/usr/lib/frr/zebra'),
  staticd: () => existsSync('/usr/lib/frr/staticd') && existsSync('/usr/lib/frr/zebra'),
  bird: () => onPath('bird'),
  birdc: () => onPath('birdc'),
  shellcheck: () => onPath('shellcheck'),
  nft: () => onPath('nft'),
  libreswan: () => existsSync(`${LIBRESWAN_ROOT}/usr/libexec/ipsec/addconn`),
  scapy: () => pythonImports('scapy.layers.ipsec'),
  // The consumer test installs the packed package and aws-cdk-lib from the registry.
  'npm-registry': () => {
    try {
      execFileSync('npm', ['ping'], { stdio: 'ignore', timeout: 30_000 });
      return true;
    } catch {
      return false;
    }
  },
  cryptography: () => pythonImports('cryptography.hazmat.primitives.ciphers.aead'),
  // The JMESPath implementation the AWS CLI evaluates --query with (Debian: python3-jmespath).
  jmespath: () => pythonImports('jmespath'),
  xmllint: () => onPath('xmllint'),
  openssl: () => onPath('openssl'),
};

const cache = new Map<Tool, boolean>();

/** INTEROP_PRETEND_MISSING=tshark,scapy makes tools look absent: to check the skip/fail rule itself. */
const pretendMissing = (process.env.INTEROP_PRETEND_MISSING ?? '').split(',').filter((t) => t.length > 0);

export function missingTools(tools: readonly Tool[]): Tool[] {
  return tools.filter((t) => {
    if (pretendMissing.includes(t)) return true;
    if (!cache.has(t)) cache.set(t, probes[t]());
    return !cache.get(t);
  });
}

export const isCi = (): boolean => process.env.CI === 'true';

/**
 * `describe` when every tool is present. Otherwise: `describe.skip` locally, and with CI=true a suite
 * whose single test fails naming the missing tools.
 */
export function describeWithTools(title: string, tools: readonly Tool[], body: () => void): void {
  const missing = missingTools(tools);
  if (missing.length === 0) {
    describe(title, body);
  } else if (isCi()) {
    describe(title, () => {
      test('required interop tools are installed', () => {
        throw new Error(`CI=true but interop tools are missing: ${missing.join(', ')} (see test/interop/README.md)`);
      });
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(`skipping "${title}": missing ${missing.join(', ')} (set CI=true to make this a failure)`);
    describe.skip(title, body);
  }
}

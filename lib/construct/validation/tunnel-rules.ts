/** AWS's rules for one tunnel's options (`VpnTunnelOptionsSpecification`). */
import {
  DPD_TIMEOUT_ACTIONS,
  DPD_TIMEOUT_SECONDS,
  ENCRYPTION_ALGORITHMS,
  IKE_VERSIONS,
  INTEGRITY_ALGORITHMS,
  LOG_OUTPUT_FORMATS,
  maxRekeyMarginSeconds,
  PHASE1_DH_GROUPS,
  PHASE1_LIFETIME_SECONDS,
  PHASE2_DH_GROUPS,
  PHASE2_LIFETIME_SECONDS,
  REKEY_FUZZ_PERCENTAGE,
  REKEY_MARGIN_TIME_SECONDS,
  REPLAY_WINDOW_SIZE,
  RESERVED_TUNNEL_INSIDE_CIDRS,
  STARTUP_ACTIONS,
  TUNNEL_INSIDE_CIDR_PREFIX,
  TUNNEL_INSIDE_CIDR_RANGE,
  TUNNEL_INSIDE_IPV6_CIDR_PREFIX,
  TUNNEL_INSIDE_IPV6_CIDR_RANGE,
  TunnelInsideIpVersion,
} from '../../aws-rules';
import { describeValue } from '../../endpoint/errors';
import { Cidr, cidrContains, formatCidr, parseCidr } from '../../net/address';
import { GatewayKind } from '../gateway-choice';
import { TunnelOptions } from '../props';
import { checkCidr, checkInteger, checkList, checkOneOf, isKnown } from './checks';
import { Location, Problems } from './problems';

/** What a tunnel's rules need to know about its connection. */
export interface TunnelContext {
  readonly at: Location;
  readonly gatewayKind: GatewayKind;
  readonly insideIpVersion: TunnelInsideIpVersion;
  readonly bgp: boolean;
}

/** The tunnel's inside CIDRs in canonical text, for the per-gateway uniqueness check. */
export interface TunnelInsideCidrs {
  readonly ipv4?: string;
  readonly ipv6?: string;
}

const INSIDE_RANGE = parseCidr(TUNNEL_INSIDE_CIDR_RANGE) as Cidr;
const INSIDE_IPV6_RANGE = parseCidr(TUNNEL_INSIDE_IPV6_CIDR_RANGE) as Cidr;
const RESERVED = RESERVED_TUNNEL_INSIDE_CIDRS.map((c) => formatCidr(parseCidr(c) as Cidr));

export function validateTunnel(problems: Problems, tunnel: TunnelOptions, ctx: TunnelContext): TunnelInsideCidrs {
  const { at } = ctx;
  checkList(problems, at, 'ikeVersions', tunnel.ikeVersions, IKE_VERSIONS);
  checkList(problems, at, 'phase1EncryptionAlgorithms', tunnel.phase1EncryptionAlgorithms, ENCRYPTION_ALGORITHMS);
  checkList(problems, at, 'phase2EncryptionAlgorithms', tunnel.phase2EncryptionAlgorithms, ENCRYPTION_ALGORITHMS);
  checkList(problems, at, 'phase1IntegrityAlgorithms', tunnel.phase1IntegrityAlgorithms, INTEGRITY_ALGORITHMS);
  checkList(problems, at, 'phase2IntegrityAlgorithms', tunnel.phase2IntegrityAlgorithms, INTEGRITY_ALGORITHMS);
  checkList(problems, at, 'phase1DhGroupNumbers', tunnel.phase1DhGroupNumbers, PHASE1_DH_GROUPS);
  checkList(problems, at, 'phase2DhGroupNumbers', tunnel.phase2DhGroupNumbers, PHASE2_DH_GROUPS);
  checkInteger(problems, at, 'replayWindowSize', tunnel.replayWindowSize, REPLAY_WINDOW_SIZE);
  checkInteger(problems, at, 'rekeyFuzzPercentage', tunnel.rekeyFuzzPercentage, REKEY_FUZZ_PERCENTAGE);
  checkInteger(problems, at, 'dpdTimeoutSeconds', tunnel.dpdTimeoutSeconds, DPD_TIMEOUT_SECONDS);
  checkOneOf(problems, at, 'dpdTimeoutAction', tunnel.dpdTimeoutAction, DPD_TIMEOUT_ACTIONS);
  checkOneOf(problems, at, 'startupAction', tunnel.startupAction, STARTUP_ACTIONS);
  checkLifetimes(problems, tunnel, at);
  checkStartupAction(problems, tunnel, at);
  checkPreSharedKey(problems, tunnel, at);
  checkLogging(problems, tunnel, ctx);
  return {
    ipv4: checkInsideCidr(problems, tunnel.tunnelInsideCidr, ctx),
    ipv6: checkInsideIpv6Cidr(problems, tunnel.tunnelInsideIpv6Cidr, ctx),
  };
}

/** Lifetimes and rekey margin, compared on effective values: an unset field counts as AWS's default. */
function checkLifetimes(problems: Problems, tunnel: TunnelOptions, at: Location): void {
  checkInteger(problems, at, 'phase1LifetimeSeconds', tunnel.phase1LifetimeSeconds, PHASE1_LIFETIME_SECONDS);
  checkInteger(problems, at, 'phase2LifetimeSeconds', tunnel.phase2LifetimeSeconds, PHASE2_LIFETIME_SECONDS);
  const phase1 = effective(tunnel.phase1LifetimeSeconds, PHASE1_LIFETIME_SECONDS.default);
  const phase2 = effective(tunnel.phase2LifetimeSeconds, PHASE2_LIFETIME_SECONDS.default);
  if (phase1 && phase2 && (tunnel.phase1LifetimeSeconds !== undefined || tunnel.phase2LifetimeSeconds !== undefined)
    && phase2.value >= phase1.value) {
    problems.error(at, `\`phase2LifetimeSeconds\` ${phase2.text} must be less than \`phase1LifetimeSeconds\` ${phase1.text}`);
  }
  if (tunnel.rekeyMarginTimeSeconds === undefined || !phase2) return;
  const max = maxRekeyMarginSeconds(phase2.value);
  checkInteger(problems, at, 'rekeyMarginTimeSeconds', tunnel.rekeyMarginTimeSeconds,
    { min: REKEY_MARGIN_TIME_SECONDS.min, max }, ` (at most half of \`phase2LifetimeSeconds\` ${phase2.text})`);
}

/** A field's value for comparisons, or undefined when it is an unresolved token. */
function effective(value: number | undefined, awsDefault: number): { value: number; text: string } | undefined {
  if (value === undefined) return { value: awsDefault, text: `${awsDefault} (AWS default)` };
  return isKnown(value) ? { value, text: String(value) } : undefined;
}

/** AWS can only initiate IKEv2: `start` needs `ikeVersions` to be exactly ikev2 (unset means both versions). */
function checkStartupAction(problems: Problems, tunnel: TunnelOptions, at: Location): void {
  if (tunnel.startupAction !== 'start' || !isKnown(tunnel.ikeVersions ?? [])) return;
  const versions = tunnel.ikeVersions;
  if (!versions || versions.length !== 1 || versions[0] !== 'ikev2') {
    const shown = versions ? versions.join(', ') : 'unset (ikev1 and ikev2)';
    problems.error(at, `\`startupAction\` start needs \`ikeVersions\` to be only ikev2, but it is ${shown}`);
  }
}

/** Key fields are named by type and length only (describeValue): a key pasted into one must not be echoed. */
function checkPreSharedKey(problems: Problems, tunnel: TunnelOptions, at: Location): void {
  const secret: unknown = tunnel.preSharedKeySecret;
  if (secret !== undefined && !isSecret(secret)) {
    problems.error(at, `\`preSharedKeySecret\` must be a Secrets Manager secret (secretsmanager.ISecret, e.g. Secret.fromSecretNameV2), but it is ${describeValue(secret, 'preSharedKeySecret')}; never put the key itself in the app`);
  }
  const field: unknown = tunnel.preSharedKeySecretField;
  if (field !== undefined && (typeof field !== 'string' || field === '')) {
    problems.error(at, `\`preSharedKeySecretField\` must be the name of a JSON field of the secret, but it is ${describeValue(field, 'preSharedKeySecretField')}`);
  } else if (field !== undefined && secret === undefined) {
    problems.error(at, `\`preSharedKeySecretField\` (${describeValue(field, 'preSharedKeySecretField')}) is set without \`preSharedKeySecret\``);
  }
}

function isSecret(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { secretValueFromJson?: unknown }).secretValueFromJson === 'function';
}

function checkLogging(problems: Problems, tunnel: TunnelOptions, ctx: TunnelContext): void {
  if (typeof tunnel.logging !== 'object') return;
  checkOneOf(problems, ctx.at, 'logging.outputFormat', tunnel.logging.outputFormat, LOG_OUTPUT_FORMATS);
  if (tunnel.logging.bgpLogs && !ctx.bgp) {
    problems.error(ctx.at, '`logging.bgpLogs` true needs a BGP site (`bgpAsn`), but this site uses static routes');
  }
}

function checkInsideCidr(problems: Problems, value: string | undefined, ctx: TunnelContext): string | undefined {
  const { at } = ctx;
  if (isKnown(value) && ctx.insideIpVersion === 'ipv6') {
    problems.error(at, `\`tunnelInsideCidr\` ${value} applies to ipv4 tunnels; use \`tunnelInsideIpv6Cidr\` with \`tunnelInsideIpVersion\` ipv6`);
    return undefined;
  }
  const cidr = checkCidr(problems, at, 'tunnelInsideCidr', value, 4);
  if (!cidr) return undefined;
  const text = formatCidr(cidr);
  if (cidr.prefixLength !== TUNNEL_INSIDE_CIDR_PREFIX || !cidrContains(INSIDE_RANGE, cidr)) {
    problems.error(at, `\`tunnelInsideCidr\` ${value} must be a /${TUNNEL_INSIDE_CIDR_PREFIX} inside ${TUNNEL_INSIDE_CIDR_RANGE}`);
    return undefined;
  }
  if (RESERVED.includes(text)) {
    problems.error(at, `\`tunnelInsideCidr\` ${value} is reserved by AWS`);
    return undefined;
  }
  return text;
}

function checkInsideIpv6Cidr(problems: Problems, value: string | undefined, ctx: TunnelContext): string | undefined {
  const { at } = ctx;
  if (!isKnown(value)) return undefined;
  if (ctx.gatewayKind !== 'transitGateway') {
    problems.error(at, `\`tunnelInsideIpv6Cidr\` ${value} needs a Transit Gateway; a virtual private gateway has only IPv4 tunnels`);
    return undefined;
  }
  if (ctx.insideIpVersion !== 'ipv6') {
    problems.error(at, `\`tunnelInsideIpv6Cidr\` ${value} needs \`tunnelInsideIpVersion\` ipv6 on the site`);
    return undefined;
  }
  const cidr = checkCidr(problems, at, 'tunnelInsideIpv6Cidr', value, 6);
  if (!cidr) return undefined;
  if (cidr.prefixLength !== TUNNEL_INSIDE_IPV6_CIDR_PREFIX || !cidrContains(INSIDE_IPV6_RANGE, cidr)) {
    problems.error(at, `\`tunnelInsideIpv6Cidr\` ${value} must be a /${TUNNEL_INSIDE_IPV6_CIDR_PREFIX} inside ${TUNNEL_INSIDE_IPV6_CIDR_RANGE}`);
    return undefined;
  }
  return formatCidr(cidr);
}

/** Every synth-time rule for `SiteToSiteVpn` props, run together so one error lists all problems. */
import { AMAZON_SIDE_ASN_RANGES, CUSTOMER_BGP_ASN, MAX_CONNECTIONS_PER_VIRTUAL_PRIVATE_GATEWAY } from '../../aws-rules';
import { SiteToSiteGateway } from '../gateway-choice';
import { SiteOptions, SiteToSiteVpnProps } from '../props';
import { checkCidr, isKnown } from './checks';
import { Location, Problems } from './problems';
import { validateSite } from './site-rules';
import { TunnelInsideCidrs } from './tunnel-rules';

/** Problems of the construct as a whole, not of one site. */
const WHOLE: Location = {};

/** Checks the props; throws `SiteToSiteVpnValidationError` listing every error, returns the warnings. */
export function validateProps(props: SiteToSiteVpnProps, gateway: SiteToSiteGateway): readonly string[] {
  const problems = new Problems();
  checkGateway(problems, props, gateway);
  checkVpcCidr(problems, props, gateway);
  const sites = props.sites ?? [];
  checkSiteCount(problems, sites, gateway);
  const insideCidrs = sites.map((site) => validateSite(problems, site, { gatewayKind: gateway.kind, amazonSideAsn: gateway.amazonSideAsn }));
  checkUniqueNames(problems, sites);
  checkUniqueInsideCidrs(problems, sites, insideCidrs);
  checkDistinctCustomerGateways(problems, sites);
  problems.throwIfErrors();
  return problems.warnings;
}

function checkVpcCidr(problems: Problems, props: SiteToSiteVpnProps, gateway: SiteToSiteGateway): void {
  if (props.vpc === undefined && gateway.kind === 'virtualPrivateGateway' && gateway.vpnGatewayId === undefined) {
    checkCidr(problems, WHOLE, 'vpcCidr', props.vpcCidr, 4);
  } else if (props.vpcCidr !== undefined) {
    problems.error(WHOLE, `\`vpcCidr\` ${props.vpcCidr} applies only to a new VPC, which is created only for a new virtual private gateway without \`vpc\``);
  }
}

function checkSiteCount(problems: Problems, sites: readonly SiteOptions[], gateway: SiteToSiteGateway): void {
  if (sites.length === 0) problems.error(WHOLE, '`sites` is empty: give at least one site');
  if (gateway.kind === 'virtualPrivateGateway' && sites.length > MAX_CONNECTIONS_PER_VIRTUAL_PRIVATE_GATEWAY) {
    problems.error(WHOLE, `\`sites\` has ${sites.length} sites, but a virtual private gateway takes at most ` +
      `${MAX_CONNECTIONS_PER_VIRTUAL_PRIVATE_GATEWAY} VPN connections`);
  }
}

function checkUniqueNames(problems: Problems, sites: readonly SiteOptions[]): void {
  const firstIndexByName = new Map<string, number>();
  sites.forEach((site, index) => {
    const earlier = firstIndexByName.get(site.name);
    if (earlier === undefined) firstIndexByName.set(site.name, index);
    else problems.error({ site: site.name }, `\`name\` is used by sites[${earlier}] and sites[${index}]: site names must be unique`);
  });
}

/** Inside CIDRs must be unique across every tunnel on the gateway. Unset ones are AWS-assigned: never duplicates. */
function checkUniqueInsideCidrs(problems: Problems, sites: readonly SiteOptions[], insideCidrs: readonly TunnelInsideCidrs[][]): void {
  const owner = new Map<string, string>();
  sites.forEach((site, s) => insideCidrs[s].forEach((cidrs, t) => {
    for (const [prop, cidr] of [['tunnelInsideCidr', cidrs.ipv4], ['tunnelInsideIpv6Cidr', cidrs.ipv6]] as const) {
      if (cidr === undefined) continue;
      const first = owner.get(cidr);
      if (first === undefined) owner.set(cidr, `site \`${site.name}\`, tunnel ${t + 1}`);
      else problems.error({ site: site.name, tunnel: t + 1 }, `\`${prop}\` ${cidr} is already used by ${first}: inside CIDRs must be unique on the gateway`);
    }
  }));
}

/**
 * EC2 answers a CreateCustomerGateway identical to an existing one (same IP, ASN and device name) with the
 * existing gateway, so two such sites would share one physical customer gateway behind two CloudFormation
 * resources. An unset ASN counts as AWS's default and an unset device name as empty.
 */
function checkDistinctCustomerGateways(problems: Problems, sites: readonly SiteOptions[]): void {
  const firstSiteByIdentity = new Map<string, string>();
  for (const site of sites) {
    const asn = site.bgpAsn ?? CUSTOMER_BGP_ASN.default;
    if (![site.customerGatewayIp, asn, site.deviceName].every((v) => v === undefined || isKnown(v))) continue;
    const identity = JSON.stringify([site.customerGatewayIp, asn, site.deviceName ?? '']);
    const other = firstSiteByIdentity.get(identity);
    if (other !== undefined) {
      problems.error({ site: site.name }, `\`customerGatewayIp\` ${site.customerGatewayIp} with BGP ASN ${asn} is also site \`${other}\`'s ` +
        'customer gateway: AWS would return the same gateway for both; give each a distinct `deviceName`');
    } else {
      firstSiteByIdentity.set(identity, site.name);
    }
  }
}

function checkGateway(problems: Problems, props: SiteToSiteVpnProps, gateway: SiteToSiteGateway): void {
  const asn = gateway.amazonSideAsn;
  if (isKnown(asn) && !AMAZON_SIDE_ASN_RANGES.some((r) => Number.isInteger(asn) && asn >= r.min && asn <= r.max)) {
    const ranges = AMAZON_SIDE_ASN_RANGES.map((r) => `${r.min}-${r.max}`).join(' or ');
    problems.error(WHOLE, `\`gateway.amazonSideAsn\` ${asn} must be in ${ranges}`);
  }
  const vgw = gateway.vpnGatewayId;
  if (vgw !== undefined) {
    if (isKnown(vgw) && !/^vgw-[0-9a-f]{8,17}$/.test(vgw)) problems.error(WHOLE, `\`gateway.vpnGatewayId\` ${JSON.stringify(vgw)} is not a virtual private gateway id (vgw-...)`);
    if (gateway.propagateTo !== undefined && props.vpc === undefined) problems.error(WHOLE, '`gateway.propagateTo` needs `vpc`: the VPC whose subnets receive the routes');
  }
  if (gateway.kind === 'transitGateway') {
    if (props.vpc !== undefined) {
      problems.error(WHOLE, '`vpc` applies only to a virtual private gateway; a Transit Gateway connection attaches to no VPC here');
    }
    const id = gateway.transitGatewayId;
    if (isKnown(id) && !/^tgw-[0-9a-f]{8,17}$/.test(id)) {
      problems.error(WHOLE, `\`gateway.transitGatewayId\` ${id} is not a Transit Gateway id (tgw-...)`);
    }
  }
}

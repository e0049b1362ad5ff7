/**
 * BGP checks of one tunnel against an FRR or BIRD file: the neighbour on AWS's inside address, both ASNs,
 * the local address, the hold time, and the announced prefixes within AWS's per-session quota ("IPsec up,
 * BGP down" is mostly one of these).
 */
import { BGP_ROUTE_QUOTAS, routeQuotaGateway } from '../aws-rules';
import { formatIp, parseIp } from '../net/address';
import type { AwsSide } from './aws-side';
import { CheckResult, fail, pass, warn } from './report';
import type { BgpNeighbor, RoutingDaemonConfig } from './routing-parse';

export function bgpChecks(routing: RoutingDaemonConfig, aws: AwsSide, file: string): CheckResult[] {
  const t = aws.tunnel;
  if (aws.routing.type === 'static') {
    return routing.neighbors.length > 0
      ? [warn('bgp-routing', 'static', `BGP: ${file} has BGP neighbours, but the connection uses static routing (AWS runs no BGP on it)`, 'remove them, or recreate the connection with dynamic routing')]
      : [pass('bgp-routing', 'static', `BGP: static connection, ${file} runs no BGP`)];
  }
  const peers = [t.remote.insideCidr, t.remote.insideIpv6Cidr].filter((c): c is string => c !== undefined).map(host);
  const neighbors = peers.map((p) => routing.neighbors.find((n) => sameAddress(n.address, p)));
  const found = neighbors.filter((n): n is BgpNeighbor => n !== undefined);
  if (found.length === 0) {
    return [fail('bgp-neighbor', 'static', `BGP: ${file} has no neighbour on AWS's inside address ${peers.join(' / ')}`, `add neighbor ${peers[0]} remote-as ${t.remote.bgpAsn ?? "AWS's ASN"}`, listed(routing))];
  }
  return [
    pass('bgp-neighbor', 'static', `BGP: neighbour ${found.map((n) => n.address).join(' / ')} (AWS's inside address) in ${file}`),
    ...found.flatMap((n) => [asnCheck(n, aws), localAddressCheck(n, aws), holdTimeCheck(n, aws, routing)]),
    prefixCheck(routing, found, aws, file),
  ];
}

function asnCheck(n: BgpNeighbor, aws: AwsSide): CheckResult {
  const t = aws.tunnel;
  if (n.remoteAsn === undefined) return fail('bgp-asn', 'static', `BGP: neighbour ${n.address} has no remote AS`, `set neighbor ${n.address} remote-as ${t.remote.bgpAsn}`);
  if (t.remote.bgpAsn !== undefined && n.remoteAsn !== t.remote.bgpAsn) {
    return fail('bgp-asn', 'static', `BGP: neighbour ${n.address} has remote AS ${n.remoteAsn}, AWS's ASN is ${t.remote.bgpAsn}`, `set its remote AS to ${t.remote.bgpAsn}`);
  }
  if (t.local.bgpAsn !== undefined && n.localAsn !== t.local.bgpAsn) {
    return fail('bgp-asn', 'static', `BGP: local AS ${n.localAsn ?? '(none)'} towards ${n.address}; AWS expects the customer gateway's ASN ${t.local.bgpAsn}`, `run BGP as AS ${t.local.bgpAsn}`);
  }
  return pass('bgp-asn', 'static', `BGP: ${n.address}: local AS ${n.localAsn}, remote AS ${n.remoteAsn} (AWS)`);
}

function localAddressCheck(n: BgpNeighbor, aws: AwsSide): CheckResult {
  const ours = [aws.tunnel.local.insideCidr, aws.tunnel.local.insideIpv6Cidr].filter((c): c is string => c !== undefined).map(host);
  if (n.localAddress === undefined) return pass('bgp-local-address', 'static', `BGP: ${n.address}: source address left to the kernel (the tunnel's inside address ${ours.join(' / ')})`);
  if (!ours.some((a) => sameAddress(a, n.localAddress as string))) {
    return fail('bgp-local-address', 'static', `BGP: ${n.address}: local address ${n.localAddress} is not the customer gateway's inside address ${ours.join(' / ')}`, `use ${ours[0]}: AWS accepts the session only from it`);
  }
  return pass('bgp-local-address', 'static', `BGP: ${n.address}: local address ${n.localAddress}`);
}

function holdTimeCheck(n: BgpNeighbor, aws: AwsSide, routing: RoutingDaemonConfig): CheckResult {
  const awsHold = aws.tunnel.remote.bgpHoldTime;
  const hold = n.holdTime ?? routing.defaultHoldTime;
  const source = n.holdTime === undefined ? `${routing.format.toUpperCase()}'s default ${hold} s` : `${hold} s`;
  if (hold === 0) return fail('bgp-hold-time', 'static', `BGP: ${n.address}: hold time 0 turns keepalives off, so a dead tunnel is never noticed`, `set the hold time to ${awsHold ?? 30}`);
  if (awsHold === undefined || hold === awsHold) return pass('bgp-hold-time', 'static', `BGP: ${n.address}: hold time ${source}${awsHold !== undefined ? " (AWS's)" : ''}`);
  // BGP runs the smaller of the two hold times (RFC 4271 4.2), so this still comes up; it just is not what the file says.
  return warn('bgp-hold-time', 'static', `BGP: ${n.address}: hold time ${source}, AWS's is ${awsHold} s; the session runs ${Math.min(hold, awsHold)} s`, `set it to ${awsHold} (keepalive ${Math.floor(awsHold / 3)}) so the file says what runs`);
}

function prefixCheck(routing: RoutingDaemonConfig, found: readonly BgpNeighbor[], aws: AwsSide, file: string): CheckResult {
  const quota = BGP_ROUTE_QUOTAS[aws.gatewayType].fromCustomerGateway;
  const count = routing.announced.length;
  const gateway = routeQuotaGateway(aws.gatewayType);
  if (count > quota) {
    return fail('bgp-prefix-count', 'static', `BGP: ${file} announces ${count} prefixes; AWS resets the session of ${gateway} beyond ${quota}`, `summarise to at most ${quota} prefixes`);
  }
  const unlimited = found.filter((n) => n.exportLimit === undefined || n.exportLimit > quota);
  if (unlimited.length > 0) {
    const how = routing.format === 'frr' ? `neighbor ${unlimited[0].address} maximum-prefix-out ${quota}` : `export limit ${quota} action block;`;
    return warn('bgp-prefix-count', 'static', `BGP: ${count} prefix(es) announced (quota ${quota}), but nothing stops more reaching AWS and resetting the session`, `add ${how}`);
  }
  return pass('bgp-prefix-count', 'static', `BGP: ${count} prefix(es) announced, outbound limit ${Math.max(...found.map((n) => n.exportLimit as number))} within AWS's quota of ${quota} for ${gateway}`);
}

function listed(routing: RoutingDaemonConfig): string[] {
  return routing.neighbors.length === 0 ? ['the file has no BGP neighbours'] : [`neighbours in the file: ${routing.neighbors.map((n) => n.address).join(', ')}`];
}

function host(cidr: string): string {
  return cidr.split('/')[0];
}

function sameAddress(a: string, b: string): boolean {
  const x = parseIp(a);
  const y = parseIp(b);
  return x !== undefined && y !== undefined && formatIp(x.version, x.address) === formatIp(y.version, y.address);
}

/**
 * Reads AWS's CustomerGatewayConfiguration XML into typed values, for the fields that are the truth there:
 * ids, addresses, BGP, TCP MSS and DPD interval. The crypto fields are stale and deliberately not read.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describeValue, EndpointConfigError, quote } from './errors';

/** Where errors point: the SDK field that carries the XML. */
const XML_FIELD = 'CustomerGatewayConfiguration';

export interface XmlInsideAddress {
  readonly ipAddress: string;
  readonly prefixLength: number;
}

export interface XmlTunnelSide {
  readonly outsideAddress: string;
  readonly insideAddress?: XmlInsideAddress;
  /** IPv6 inside address; the XML says prefix 128 although the tunnel network is a /126. */
  readonly insideIpv6Address?: string;
  readonly bgp?: { readonly asn: number; readonly holdTime?: number };
}

export interface XmlTunnel {
  /** The element's path, for error messages: `CustomerGatewayConfiguration vpn_connection/ipsec_tunnel[2]`. */
  readonly path: string;
  readonly customerGateway: XmlTunnelSide;
  readonly vpnGateway: XmlTunnelSide;
  /** Present when the connection keeps its keys in the VPN service (standard storage). */
  readonly preSharedKey?: string;
  readonly tcpMssAdjustment?: number;
  readonly dpdIntervalSeconds?: number;
}

export interface CustomerGatewayXml {
  readonly vpnConnectionId?: string;
  readonly customerGatewayId?: string;
  /** Empty for a transit gateway connection. */
  readonly vpnGatewayId?: string;
  /** `vpn_connection_attributes` = `NoBGPVPNConnection`: static routing. */
  readonly noBgp: boolean;
  readonly tunnels: readonly XmlTunnel[];
}

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false, // keep every value a string: keys like "0123..." and addresses must not become numbers
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => name === 'ipsec_tunnel',
});

/**
 * fast-xml-parser's validator reports elements still open at the end of the text (a truncated paste) as
 * `Invalid '["vpn_connection", "ipsec_tunnel", ...]' found.`: say which element is unclosed, and where.
 * No message quotes element text, which may be a pre-shared key.
 */
function wellFormednessProblem(err: { code: string; msg: string; line: number }): string {
  const open = /^Invalid '(\[[\s\S]*\])' found\.$/.exec(err.msg);
  let unclosed: unknown;
  try {
    unclosed = open ? JSON.parse(open[1]) : undefined;
  } catch {
    unclosed = undefined;
  }
  if (Array.isArray(unclosed) && unclosed.length > 0 && unclosed.every((n) => typeof n === 'string')) {
    const innermost = unclosed[unclosed.length - 1];
    const parents = unclosed.length > 1 ? ` (in ${unclosed.slice(0, -1).join('/')})` : '';
    return `ends before <${innermost}>${parents} is closed: the XML is truncated (copy all of it)`;
  }
  return `is not well-formed XML (line ${err.line}: ${err.msg})`;
}

/** Parse the XML, or throw an EndpointConfigError naming the element that is wrong or missing. */
export function parseCustomerGatewayXml(xml: string): CustomerGatewayXml {
  if (xml.trim() === '') throw new EndpointConfigError(XML_FIELD, 'is empty');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new EndpointConfigError(XML_FIELD, wellFormednessProblem(valid.err));
  const doc = parser.parse(xml) as XmlNode;
  const root = doc.vpn_connection;
  if (!isNode(root)) throw new EndpointConfigError(`${XML_FIELD} vpn_connection`, 'the root element is missing');

  const tunnels = root.ipsec_tunnel;
  if (!Array.isArray(tunnels) || tunnels.length === 0) {
    throw new EndpointConfigError(`${XML_FIELD} vpn_connection/ipsec_tunnel`, 'no ipsec_tunnel element');
  }
  return {
    vpnConnectionId: optionalText(root['@_id']),
    customerGatewayId: optionalText(root.customer_gateway_id),
    vpnGatewayId: optionalText(root.vpn_gateway_id),
    noBgp: optionalText(root.vpn_connection_attributes) === 'NoBGPVPNConnection',
    tunnels: tunnels.map((t, i) => readTunnel(t, `${XML_FIELD} vpn_connection/ipsec_tunnel[${i + 1}]`)),
  };
}

function readTunnel(node: unknown, path: string): XmlTunnel {
  const tunnel = requireNode(node, path);
  const ike = optionalNode(tunnel.ike, `${path}/ike`);
  const ipsec = optionalNode(tunnel.ipsec, `${path}/ipsec`);
  const dpd = ipsec ? optionalNode(ipsec.dead_peer_detection, `${path}/ipsec/dead_peer_detection`) : undefined;
  return {
    path,
    customerGateway: readSide(tunnel.customer_gateway, `${path}/customer_gateway`),
    vpnGateway: readSide(tunnel.vpn_gateway, `${path}/vpn_gateway`),
    preSharedKey: ike ? optionalText(ike.pre_shared_key) : undefined,
    tcpMssAdjustment: ipsec ? optionalInteger(ipsec.tcp_mss_adjustment, `${path}/ipsec/tcp_mss_adjustment`) : undefined,
    dpdIntervalSeconds: dpd ? optionalInteger(dpd.interval, `${path}/ipsec/dead_peer_detection/interval`) : undefined,
  };
}

function readSide(node: unknown, path: string): XmlTunnelSide {
  const side = requireNode(node, path);
  const outside = requireNode(side.tunnel_outside_address, `${path}/tunnel_outside_address`);
  const outsideAddress = requiredText(outside.ip_address, `${path}/tunnel_outside_address/ip_address`);

  const insideNode = optionalNode(side.tunnel_inside_address, `${path}/tunnel_inside_address`);
  const insideAddress = insideNode
    ? {
        ipAddress: requiredText(insideNode.ip_address, `${path}/tunnel_inside_address/ip_address`),
        prefixLength: requiredInteger(insideNode.network_cidr, `${path}/tunnel_inside_address/network_cidr`),
      }
    : undefined;

  const ipv6Node = optionalNode(side.tunnel_inside_ipv6_address, `${path}/tunnel_inside_ipv6_address`);
  const insideIpv6Address = ipv6Node
    ? requiredText(ipv6Node.ip_address, `${path}/tunnel_inside_ipv6_address/ip_address`)
    : undefined;

  const bgpNode = optionalNode(side.bgp, `${path}/bgp`);
  const bgp = bgpNode
    ? {
        asn: requiredInteger(bgpNode.asn, `${path}/bgp/asn`),
        holdTime: optionalInteger(bgpNode.hold_time, `${path}/bgp/hold_time`),
      }
    : undefined;

  return { outsideAddress, insideAddress, insideIpv6Address, bgp };
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireNode(value: unknown, path: string): XmlNode {
  if (value === undefined) throw new EndpointConfigError(path, 'element is missing');
  if (!isNode(value)) throw new EndpointConfigError(path, `expected child elements, found ${describeValue(value, path)}`);
  return value;
}

function optionalNode(value: unknown, path: string): XmlNode | undefined {
  return value === undefined || value === '' ? undefined : requireNode(value, path);
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function requiredText(value: unknown, path: string): string {
  if (value === undefined || value === '') throw new EndpointConfigError(path, 'element is missing or empty');
  if (typeof value !== 'string') throw new EndpointConfigError(path, 'expected text, found child elements');
  return value;
}

function requiredInteger(value: unknown, path: string): number {
  const text = requiredText(value, path);
  if (!/^\d{1,10}$/.test(text)) throw new EndpointConfigError(path, `expected a whole number, found ${quote(text)}`);
  return Number(text);
}

function optionalInteger(value: unknown, path: string): number | undefined {
  return value === undefined || value === '' ? undefined : requiredInteger(value, path);
}

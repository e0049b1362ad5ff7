/**
 * The endpoint config as a strongSwan 5.9 `swanctl.conf`: one route-based connection per tunnel.
 *
 * Each CHILD_SA carries 0.0.0.0/0 (and/or ::/0) and is bound to its own XFRM interface by `if_id_in` /
 * `if_id_out`; routing (BGP or static) then happens on those interfaces, as AWS expects.
 *
 * Lifetimes mirror AWS's schedule. With lifetime L, margin M and fuzz F %, AWS rekeys at a random moment in
 * [L - M - M*F/100, L - M]. strongSwan rekeys at `rekey_time` minus a random value up to `rand_time`, and
 * gives up at the hard lifetime (`life_time` for a CHILD_SA, `rekey_time + over_time` for an IKE SA). So:
 *   rekey_time = L - M, rand_time = M*F/100 (rounded down), and hard lifetime = L
 *   (CHILD_SA: life_time = L; IKE SA: over_time = M). AWS applies its margin to both phases.
 */
import { EndpointConfigError } from './errors';
import {
  isDescribeVpnConnectionsKeyRef,
  isInlineKey,
  isSecretsManagerKeyRef,
  OnPremEndpointConfig,
  TrafficSelectors,
  TunnelConfig,
} from './model';
import { tunnelIfIds } from './if-ids';
import { shellQuote } from './shell';
import { hasStaticRoutes, linuxScriptPath, tunnelInterfaceName } from './site-routing';
import { espProposals, ikeProposals } from './proposals';
import { validateEndpointConfig } from './validate';

export interface SwanctlRenderOptions {
  /** Prefix of the connection names (`<prefix>-tunnel1`). @default the VPN connection id */
  readonly connectionPrefix?: string;
  /** XFRM interface id of the first tunnel; each further tunnel takes the next. @default 1 */
  readonly ifIdBase?: number;
  /**
   * `local_addrs` for every tunnel, e.g. `%any` or the private address when the customer gateway is
   * behind NAT. @default the customer gateway's outside address
   */
  readonly localAddress?: string;
  /**
   * `start_action` for every tunnel. @default `start` when the customer gateway must initiate
   * (startupAction `add`), `none` when AWS initiates (`start`)
   */
  readonly startAction?: 'none' | 'trap' | 'start';
  /**
   * The secrets file the `secrets` section includes when the keys are not inline, relative to swanctl.conf.
   * @default `<connectionPrefix>.secrets.conf`
   */
  readonly secretsFile?: string;
  /**
   * Certificate-authenticated tunnels: the customer gateway's certificate, in swanctl's `x509/` directory (its
   * private key goes to `private/`, which `swanctl --load-all` loads by itself). @default `<customerGatewayId>.pem`
   */
  readonly certificateFile?: string;
  /** Certificate-authenticated tunnels: the CA chain (your AWS Private CA) in `x509ca/`. @default `aws-private-ca.pem` */
  readonly caCertificateFile?: string;
  /**
   * Static sites with AWS prefixes: the Linux data-plane script (`--format linux`) each CHILD_SA's `updown`
   * runs, which takes a down tunnel's static routes away. @default `/usr/local/sbin/<vpn-connection-id>-tunnels.sh`
   */
  readonly updownScript?: string;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const SAFE_PATH = /^[A-Za-z0-9._/-][A-Za-z0-9._/-]*$/;

/** What AWS negotiates: the config's selectors, or (older configs) everything in the tunnels' address families. */
export function trafficSelectorsOf(config: OnPremEndpointConfig): TrafficSelectors {
  if (config.trafficSelectors) return config.trafficSelectors;
  const all = [
    config.tunnels.some((t) => t.local.insideCidr) ? '0.0.0.0/0' : undefined,
    config.tunnels.some((t) => t.local.insideIpv6Cidr) ? '::/0' : undefined,
  ].filter((x): x is string => x !== undefined);
  return { local: all, remote: all };
}

function isEverything(cidrs: readonly string[]): boolean {
  return cidrs.every((c) => c === '0.0.0.0/0' || c === '::/0');
}

export function renderSwanctl(config: OnPremEndpointConfig, options: SwanctlRenderOptions = {}): string {
  validateEndpointConfig(config); // every string written below is then an id, an address, an ARN or a keyword
  const prefix = options.connectionPrefix ?? config.vpnConnectionId;
  const secretsFile = options.secretsFile ?? `${prefix}.secrets.conf`;
  if (!SAFE_NAME.test(prefix)) throw new EndpointConfigError('connectionPrefix', `${JSON.stringify(prefix)} is not a safe swanctl section name`);
  if (!SAFE_NAME.test(secretsFile)) throw new EndpointConfigError('secretsFile', `${JSON.stringify(secretsFile)} must be a plain file name`);
  for (const [field, file] of [['certificateFile', options.certificateFile], ['caCertificateFile', options.caCertificateFile], ['updownScript', options.updownScript]] as const) {
    if (file !== undefined && !SAFE_PATH.test(file)) throw new EndpointConfigError(field, `${JSON.stringify(file)} must be a file name or path without spaces or quotes`);
  }
  if (options.localAddress !== undefined && !/^[^\s#{}"',]+$/.test(options.localAddress)) {
    throw new EndpointConfigError('localAddress', `${JSON.stringify(options.localAddress)} is not an address, range or %any`);
  }
  const ifIds = tunnelIfIds(options.ifIdBase, config.tunnels.length);
  const tunnels = config.tunnels.map((tunnel, i) => ({ tunnel, conn: `${prefix}-${tunnel.name}`, ifId: ifIds[i] }));

  return [
    ...header(config),
    '',
    ...tunnels.flatMap(({ tunnel, ifId }) => interfaceSetup(tunnel, ifId)),
    '',
    'connections {',
    ...tunnels.flatMap(({ tunnel, conn, ifId }) => connection(config, tunnel, conn, ifId, options).map(indent)),
    '}',
    '',
    ...secrets(config, tunnels, secretsFile),
    '',
  ].join('\n');
}

function header(config: OnPremEndpointConfig): string[] {
  const routing =
    config.routing.type === 'bgp'
      ? ['# Routing: BGP over each tunnel (peers below).']
      : [
          `# Routing: static. AWS routes ${config.routing.onPremCidrs.join(', ') || '(no routes yet)'} into the tunnels;`,
          '# route your VPC CIDRs into both tunnel interfaces below.',
          ...(hasStaticRoutes(config) ? failoverNote(config) : []),
        ];
  const ts = trafficSelectorsOf(config);
  const selectors = isEverything(ts.local) && isEverything(ts.remote)
    ? []
    : [
        `# Traffic selectors: exactly ${ts.local.join(', ')} (this side) <-> ${ts.remote.join(', ')} (AWS side). AWS negotiates`,
        '# one SA pair per tunnel with exactly these; a policy-based device must offer this one pair, not one SA per subnet.',
      ];
  const transport = config.transport;
  const path = [
    ...(transport?.accelerated
      ? ['# Accelerated (AWS Global Accelerator): NAT-T is mandatory, so UDP encapsulation is forced (encap = yes);',
         '# this side must start the IKE rekeys, which the rekey_time values below do before AWS would.']
      : []),
    ...(transport?.outsideIpAddressType === 'PrivateIpv4'
      ? [`# Private IP VPN over Direct Connect${transport.transportAttachmentId ? ` (transport attachment ${transport.transportAttachmentId})` : ''}: the outside addresses are private.`]
      : []),
  ];
  return [
    `# strongSwan swanctl.conf for AWS Site-to-Site VPN connection ${config.vpnConnectionId}`,
    `# (customer gateway ${config.customerGatewayId}, ${gatewayText(config)}).`,
    '# Generated by `s2s-vpn config --format swanctl` from DescribeVpnConnections; regenerate rather than edit.',
    '# Use: create the interfaces below, put it in /etc/swanctl/conf.d/ with the secrets file, `swanctl --load-all`.',
    '#',
    '# Route-based: each tunnel is an XFRM interface (if_id) carrying all traffic; lifetimes mirror AWS\'s rekey',
    '# schedule (rekey_time = lifetime - margin, rand_time = margin * fuzz%, hard lifetime = lifetime).',
    ...routing,
    ...selectors,
    ...path,
  ];
}

/** How soon a dead tunnel's static routes go: when its SA ends, which DPD (IKEv1) or retransmits (IKEv2) decide. */
function failoverNote(config: OnPremEndpointConfig): string[] {
  const lines = ["# Failover: each CHILD_SA's updown takes its tunnel's static routes away while it is down."];
  if (config.tunnels.some((t) => t.ike.versions.includes('ikev1'))) lines.push('# IKEv1: a silent peer is dead after dpd_timeout.');
  if (config.tunnels.some((t) => t.ike.versions.includes('ikev2'))) {
    lines.push(
      "# IKEv2: a silent peer is dead once charon's DPD retransmits run out, about 165 s with strongSwan's defaults;",
      '# for faster failover lower charon.retransmit_tries / retransmit_timeout in strongswan.conf.',
    );
  }
  return lines;
}

function gatewayText(config: OnPremEndpointConfig): string {
  const g = config.gateway;
  switch (g.type) {
    case 'vgw':
      return `virtual private gateway ${g.id}`;
    case 'tgw':
      return `transit gateway ${g.id}${g.vpnConcentratorId ? `, VPN Concentrator ${g.vpnConcentratorId}` : ''}`;
    case 'cloud-wan':
      return `Cloud WAN core network ${g.id}`;
  }
}

/** Shell commands for the tunnel's XFRM interface, as comments: swanctl cannot create interfaces. */
function interfaceSetup(tunnel: TunnelConfig, ifId: number): string[] {
  const dev = tunnelInterfaceName(ifId);
  const lines = [
    `# ${tunnel.name}: AWS ${tunnel.remote.outsideAddress}; create its interface before loading:`,
    `#   ip link add ${dev} type xfrm if_id ${ifId}`,
  ];
  if (tunnel.local.insideCidr) lines.push(`#   ip addr add ${tunnel.local.insideCidr} dev ${dev}`);
  if (tunnel.local.insideIpv6Cidr) lines.push(`#   ip addr add ${tunnel.local.insideIpv6Cidr} dev ${dev}`);
  lines.push(`#   ip link set ${dev} ${tunnel.mtu !== undefined ? `mtu ${tunnel.mtu} ` : ''}up`);
  if (tunnel.tcpMssAdjust !== undefined) {
    lines.push(`#   iptables -t mangle -A FORWARD -o ${dev} -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss ${tunnel.tcpMssAdjust}`);
  }
  if (tunnel.remote.bgpAsn !== undefined) {
    const peer = [tunnel.remote.insideCidr, tunnel.remote.insideIpv6Cidr].filter(Boolean).map((c) => (c as string).split('/')[0]).join(' / ');
    const hold = tunnel.remote.bgpHoldTime !== undefined ? `, hold time ${tunnel.remote.bgpHoldTime}s` : '';
    lines.push(`#   BGP: neighbor ${peer} remote-as ${tunnel.remote.bgpAsn}, local AS ${tunnel.local.bgpAsn ?? '?'}${hold}`);
  }
  return lines;
}

function connection(config: OnPremEndpointConfig, tunnel: TunnelConfig, conn: string, ifId: number, options: SwanctlRenderOptions): string[] {
  const { ike, esp, rekey, dpd } = tunnel;
  const weInitiate = tunnel.startupAction === 'add';
  const awsRestarts = !weInitiate && dpd.action === 'restart';
  const randTime = (rekey.marginSeconds * rekey.fuzzPercent) / 100;
  const ts = trafficSelectorsOf(config);
  const accelerated = config.transport?.accelerated === true;
  const bothVersions = ike.versions.length === 2;
  const lines = [
    `${conn} {`,
    // strongSwan strips all but the first algorithm of each kind from a proposal in IKEv1.
    ...(bothVersions ? ['  # version 0: initiates IKEv2; answers IKEv1 too, then with the first algorithm of each kind only'] : []),
    `  version = ${bothVersions ? 0 : ike.versions[0] === 'ikev1' ? 1 : 2}`,
    `  local_addrs = ${options.localAddress ?? tunnel.local.outsideAddress}`,
    `  remote_addrs = ${tunnel.remote.outsideAddress}`,
    `  proposals = ${ikeProposals(ike).join(',')}`,
    // Accelerated tunnels must run NAT-T whether or not there is a NAT; otherwise NAT-T is detected as needed.
    `  encap = ${accelerated ? 'yes' : 'no'}`,
    '  mobike = no',
    `  dpd_delay = ${dpd.intervalSeconds}s`,
  ];
  if (ike.versions.includes('ikev1')) lines.push(`  dpd_timeout = ${dpd.timeoutSeconds}s`);
  lines.push(
    `  rekey_time = ${ike.lifetimeSeconds - rekey.marginSeconds}s`,
    `  over_time = ${rekey.marginSeconds}s`,
    `  rand_time = ${Math.floor(randTime)}s`,
  );
  if (weInitiate) lines.push('  keyingtries = 0');
  lines.push(
    `  if_id_in = ${ifId}`,
    `  if_id_out = ${ifId}`,
    ...authSections(config, tunnel, options),
    '  children {',
    `    ${conn} {`,
    `      mode = ${esp.mode}`,
    `      local_ts = ${ts.local.join(',')}`,
    `      remote_ts = ${ts.remote.join(',')}`,
    `      esp_proposals = ${espProposals(esp, ike).join(',')}`,
    `      rekey_time = ${esp.lifetimeSeconds - rekey.marginSeconds}s`,
    `      life_time = ${esp.lifetimeSeconds}s`,
    `      rand_time = ${Math.floor(randTime)}s`,
    `      replay_window = ${esp.replayWindow}`,
    // Whoever brings the tunnel back after DPD: us, unless AWS initiates and restarts on its own.
    `      dpd_action = ${awsRestarts ? 'clear' : 'restart'}`,
    `      start_action = ${options.startAction ?? (weInitiate ? 'start' : 'none')}`,
  );
  if (weInitiate) lines.push('      close_action = start');
  // The script marks the tunnel up or down and rebuilds the static routes (render-linux.ts).
  if (hasStaticRoutes(config)) lines.push(`      updown = ${options.updownScript ?? linuxScriptPath(config)} --updown`);
  lines.push('    }', '  }', '}');
  return lines;
}

/**
 * PSK: both sides identified by their outside addresses. Certificates: this side by its certificate's subject
 * (strongSwan's default id), AWS by its tunnel certificate's subject, which must chain to the user's CA.
 */
function authSections(config: OnPremEndpointConfig, tunnel: TunnelConfig, options: SwanctlRenderOptions): string[] {
  if (!tunnel.auth) {
    return ['  local {', '    auth = psk', `    id = ${tunnel.local.outsideAddress}`, '  }', '  remote {', '    auth = psk', `    id = ${tunnel.remote.outsideAddress}`, '  }'];
  }
  return [
    '  local {',
    '    auth = pubkey',
    `    certs = ${options.certificateFile ?? `${config.customerGatewayId}.pem`}`,
    '  }',
    '  remote {',
    '    auth = pubkey',
    `    id = "${tunnel.auth.awsIdentity}"`,
    `    cacerts = ${options.caCertificateFile ?? 'aws-private-ca.pem'}`,
    '  }',
  ];
}

function secrets(config: OnPremEndpointConfig, tunnels: readonly { tunnel: TunnelConfig; conn: string }[], secretsFile: string): string[] {
  const psk = tunnels.filter(({ tunnel }) => tunnel.preSharedKey !== undefined);
  const inline = psk.filter(({ tunnel }) => tunnel.preSharedKey && isInlineKey(tunnel.preSharedKey));
  const referenced = psk.filter(({ tunnel }) => tunnel.preSharedKey && !isInlineKey(tunnel.preSharedKey));
  const certificate = tunnels.filter(({ tunnel }) => tunnel.auth);
  const lines = ['secrets {'];
  for (const { tunnel, conn } of inline) {
    const key = tunnel.preSharedKey as { value: string };
    lines.push(...secretSection(conn, tunnel, `"${key.value.replace(/["\\]/g, (c) => `\\${c}`)}"`).map(indent));
  }
  if (referenced.length > 0) {
    lines.push(
      `  # The pre-shared keys are not in this file. Write them to ${secretsFile} next to it (chmod 600),`,
      '  # one section per tunnel; swanctl loads it through the include below (nothing is loaded while it is absent).',
    );
    for (const { tunnel, conn } of referenced) {
      lines.push(`  # ${tunnel.name}: fetch the key with`, `  #   ${fetchCommand(config, tunnel)}`);
      lines.push(...secretSection(conn, tunnel, '"<the key>"').map((l) => `  #   ${l}`));
    }
    lines.push(`  include ${secretsFile}`);
  }
  if (certificate.length > 0) {
    lines.push(
      `  # ${certificate.map(({ tunnel }) => tunnel.name).join(', ')}: certificate authentication. Put this gateway's certificate in x509/,`,
      '  # its private key in private/ (swanctl --load-all loads both) and your AWS Private CA chain in x509ca/.',
    );
  }
  lines.push('}');
  return lines;
}

function secretSection(conn: string, tunnel: TunnelConfig, secret: string): string[] {
  return [
    `ike-${conn} {`,
    `  id-local = ${tunnel.local.outsideAddress}`,
    `  id-remote = ${tunnel.remote.outsideAddress}`,
    `  secret = ${secret}`,
    '}',
  ];
}

/** The AWS CLI command that prints the tunnel's key. */
export function fetchCommand(config: OnPremEndpointConfig, tunnel: TunnelConfig): string {
  const ref = tunnel.preSharedKey;
  if (ref && isSecretsManagerKeyRef(ref)) {
    return (
      `aws secretsmanager get-secret-value --secret-id ${shellQuote(ref.secretArn)} --query SecretString --output text` +
      // A shell comment, so the whole line can be pasted as it is.
      `  # if it holds several keys, take the one for ${tunnel.remote.outsideAddress}`
    );
  }
  if (ref && isDescribeVpnConnectionsKeyRef(ref)) {
    const describe = `aws ec2 describe-vpn-connections --vpn-connection-ids ${ref.vpnConnectionId} --query`;
    if (ref.field === 'CustomerGatewayConfiguration') {
      // JMESPath cannot read inside the XML string, so an XPath over it picks the tunnel by AWS's address.
      const xpath = `string(/vpn_connection/ipsec_tunnel[vpn_gateway/tunnel_outside_address/ip_address="${ref.awsOutsideAddress}"]/ike/pre_shared_key)`;
      return `${describe} ${shellQuote('VpnConnections[0].CustomerGatewayConfiguration')} --output text | xmllint --xpath ${shellQuote(xpath)} -`;
    }
    return `${describe} "VpnConnections[0].Options.TunnelOptions[?OutsideIpAddress=='${ref.awsOutsideAddress}'].PreSharedKey | [0]" --output text`;
  }
  throw new EndpointConfigError(`tunnels[${config.tunnels.indexOf(tunnel)}].preSharedKey`, 'is inline; no command fetches it');
}

function indent(line: string): string {
  return line === '' ? line : `  ${line}`;
}


/**
 * `SiteToSiteVpn`: AWS Site-to-Site VPN connections from one or more on-premises sites to a VPC (through a new
 * virtual private gateway) or to an existing Transit Gateway, with every tunnel option, tunnel logs and alarms.
 */
import { Annotations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SiteToSiteGateway } from './gateway-choice';
import { createDefaultVpc } from './network';
import { addGatewayOutput } from './outputs';
import { SiteToSiteVpnProps } from './props';
import { validateProps } from './validation/validate-props';
import { createEndpointConfigBucket } from '../endpoint-config-resource';
import { createVirtualPrivateGateway } from './virtual-private-gateway';
import { SiteGatewayRef, VpnSite } from './vpn-site';

/**
 * Site-to-Site VPN connections, one per on-premises site. Props are checked against AWS's rules at synth time
 * (one error lists every problem); pre-shared keys reach the template only as Secrets Manager references.
 */
export class SiteToSiteVpn extends Construct {
  /** The VPC the virtual private gateway is attached to; undefined with a Transit Gateway. */
  public readonly vpc?: ec2.IVpc;
  /** The new virtual private gateway; undefined with a Transit Gateway. */
  public readonly vpnGateway?: ec2.CfnVPNGateway;
  /** The gateway's attachment to the VPC; undefined with a Transit Gateway. */
  public readonly vpnGatewayAttachment?: ec2.CfnVPCGatewayAttachment;
  /** Id of the gateway the connections terminate on (virtual private gateway or Transit Gateway). */
  public readonly gatewayId: string;
  /** The AWS end, as chosen in the props. */
  public readonly gateway: SiteToSiteGateway;
  /** Every site with its resources, in the order given. */
  public readonly sites: VpnSite[];
  /** Every site's VPN connection, in site order. */
  public readonly vpnConnections: ec2.CfnVPNConnection[];
  /** Every site's customer gateway, in site order. */
  public readonly customerGateways: ec2.CfnCustomerGateway[];
  /** The bucket the sites' on-prem endpoint configs are written to; undefined when `endpointConfig` is off. */
  public readonly endpointConfigBucket?: s3.IBucket;

  constructor(scope: Construct, id: string, props: SiteToSiteVpnProps) {
    super(scope, id);
    this.gateway = props.gateway ?? SiteToSiteGateway.virtualPrivateGateway();
    // Synth-time validation: throws once with every problem listed.
    for (const warning of validateProps(props, this.gateway)) Annotations.of(this).addWarningV2('cdk-site-to-site-vpn:validation', warning);

    let ref: SiteGatewayRef = { transitGatewayId: this.gateway.transitGatewayId };
    if (this.gateway.kind === 'virtualPrivateGateway') {
      this.vpc = props.vpc ?? createDefaultVpc(this, { cidr: props.vpcCidr, flowLogs: props.vpcFlowLogs });
      const created = createVirtualPrivateGateway(this, this.vpc, this.gateway.amazonSideAsn as number, this.gateway.propagateTo);
      this.vpnGateway = created.gateway;
      this.vpnGatewayAttachment = created.attachment;
      ref = { vpnGatewayId: created.gateway.ref };
    }
    this.gatewayId = (ref.vpnGatewayId ?? ref.transitGatewayId) as string;
    if (props.endpointConfig ?? true) {
      this.endpointConfigBucket = props.endpointConfigBucket ?? createEndpointConfigBucket(this, 'EndpointConfigs');
    }
    this.sites = props.sites.map((options) => new VpnSite(this, options.name, {
      options,
      gateway: ref,
      monitoring: props.monitoring ?? true,
      alarmTopic: props.alarmTopic,
      endpointConfigBucket: this.endpointConfigBucket,
    }));
    this.vpnConnections = this.sites.map((site) => site.vpnConnection);
    this.customerGateways = this.sites.map((site) => site.customerGateway);
    addGatewayOutput(this, this.gateway.kind === 'transitGateway' ? 'Transit Gateway' : 'virtual private gateway', this.gatewayId);
  }

  /** Looks a site up by name. */
  public site(name: string): VpnSite | undefined {
    return this.sites.find((site) => site.name === name);
  }

  /**
   * AWS's outside address of a site's tunnel `index` (0 or 1), known at deploy time: a token for other
   * constructs (firewall rules, DNS records, the on-prem automation). Needs `endpointConfig` (the default).
   */
  public tunnelOutsideAddress(siteName: string, index: number): string {
    const site = this.site(siteName);
    if (!site) throw new Error(`No site named ${JSON.stringify(siteName)}; sites: ${this.sites.map((s) => s.name).join(', ')}`);
    if (!site.endpointConfig) throw new Error('Tunnel outside addresses are read at deploy time by the endpoint config generator: set `endpointConfig` to true');
    return site.endpointConfig.tunnelOutsideAddress(index);
  }
}

/** One on-premises site: its customer gateway, VPN connection, static routes, tunnel logs and alarms. */
import { Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CUSTOMER_BGP_ASN, MAX_TUNNELS_PER_CONNECTION, PreSharedKeyStorage } from '../aws-rules';
import { EndpointConfigResource } from '../endpoint-config-resource';
import { addEndpointConfigOutputs, addSiteOutputs } from './outputs';
import { SiteOptions, TunnelOptions } from './props';
import { createTunnelAlarms } from './tunnel-alarms';
import { createTunnelLogging, TunnelLogging } from './tunnel-logging';
import { tunnelSpecification } from './tunnel-specification';

/** The AWS end a site's connection terminates on: exactly one of the two ids. */
export interface SiteGatewayRef {
  readonly vpnGatewayId?: string;
  readonly transitGatewayId?: string;
}

export interface VpnSiteProps {
  readonly options: SiteOptions;
  readonly gateway: SiteGatewayRef;
  readonly monitoring: boolean;
  readonly alarmTopic?: sns.ITopic;
  /** Where to write the site's generated on-prem endpoint config. @default no endpoint config is generated */
  readonly endpointConfigBucket?: s3.IBucket;
}

/** One tunnel as deployed: the options given, what went into the template, and its log groups. */
export interface SiteTunnel {
  /** 1 or 2, as AWS numbers them. */
  readonly number: number;
  readonly options: TunnelOptions;
  readonly specification: ec2.CfnVPNConnection.VpnTunnelOptionsSpecificationProperty;
  readonly logging?: TunnelLogging;
}

/** The default pre-shared key storage: AWS keeps the keys in Secrets Manager, never in the VPN service's own store. */
export const DEFAULT_PRE_SHARED_KEY_STORAGE: PreSharedKeyStorage = 'SecretsManager';

/** A site's resources; `SiteToSiteVpn.sites` holds one per site, for other constructs to build on. */
export class VpnSite extends Construct {
  /** The site's name. */
  public readonly name: string;
  /** The site's options as given. */
  public readonly options: SiteOptions;
  public readonly customerGateway: ec2.CfnCustomerGateway;
  public readonly vpnConnection: ec2.CfnVPNConnection;
  /** One route per `staticRoutes` CIDR (empty for BGP sites). */
  public readonly staticRoutes: ec2.CfnVPNConnectionRoute[];
  /** The tunnels given options, in AWS's order. */
  public readonly tunnels: SiteTunnel[];
  /** TunnelState alarms (empty when monitoring is off). */
  public readonly alarms: cloudwatch.Alarm[];
  /** The deploy-time generator of the site's on-prem endpoint config, when enabled. */
  public readonly endpointConfig?: EndpointConfigResource;

  constructor(scope: Construct, id: string, props: VpnSiteProps) {
    super(scope, id);
    const site = props.options;
    this.name = site.name;
    this.options = site;

    this.customerGateway = new ec2.CfnCustomerGateway(this, 'CustomerGateway', {
      type: 'ipsec.1',
      ipAddress: site.customerGatewayIp,
      ...customerAsn(site.bgpAsn),
      certificateArn: site.certificateArn,
      deviceName: site.deviceName,
    });

    this.tunnels = (site.tunnels ?? []).map((options, i) => {
      const logging = createTunnelLogging(this, site.name, i + 1, options);
      return { number: i + 1, options, logging, specification: tunnelSpecification(options, logging?.logOptions) };
    });

    this.vpnConnection = new ec2.CfnVPNConnection(this, 'Connection', {
      type: 'ipsec.1',
      customerGatewayId: this.customerGateway.ref,
      vpnGatewayId: props.gateway.vpnGatewayId,
      transitGatewayId: props.gateway.transitGatewayId,
      staticRoutesOnly: site.staticRoutes !== undefined ? true : undefined,
      localIpv4NetworkCidr: site.localIpv4NetworkCidr,
      remoteIpv4NetworkCidr: site.remoteIpv4NetworkCidr,
      localIpv6NetworkCidr: site.localIpv6NetworkCidr,
      remoteIpv6NetworkCidr: site.remoteIpv6NetworkCidr,
      outsideIpAddressType: site.outsideIpAddressType,
      transportTransitGatewayAttachmentId: site.transportTransitGatewayAttachmentId,
      enableAcceleration: site.enableAcceleration,
      tunnelInsideIpVersion: site.tunnelInsideIpVersion,
      tunnelBandwidth: site.tunnelBandwidth,
      // Certificate-authenticated tunnels have no pre-shared key to store.
      preSharedKeyStorage: site.preSharedKeyStorage ?? (site.certificateArn ? undefined : DEFAULT_PRE_SHARED_KEY_STORAGE),
      vpnTunnelOptionsSpecifications: this.tunnels.length > 0 ? this.tunnels.map((t) => t.specification) : undefined,
    });

    this.staticRoutes = (site.staticRoutes ?? []).map((cidr, i) => new ec2.CfnVPNConnectionRoute(this, `StaticRoute${i}`, {
      destinationCidrBlock: cidr,
      vpnConnectionId: this.vpnConnection.ref,
    }));

    if (props.endpointConfigBucket) {
      this.endpointConfig = new EndpointConfigResource(this, 'EndpointConfig', {
        vpnConnection: this.vpnConnection,
        siteName: site.name,
        staticRoutes: this.staticRoutes,
        bucket: props.endpointConfigBucket,
      });
    }

    this.alarms = props.monitoring
      ? createTunnelAlarms(this, {
        siteName: site.name,
        vpnConnectionId: this.vpnConnection.ref,
        tunnelOutsideIpAddresses: site.tunnelOutsideIpAddresses ?? this.deployTimeTunnelAddresses(),
        topic: props.alarmTopic,
      })
      : [];

    Tags.of(this).add('Name', site.name);
    addSiteOutputs(this, site.name, this.vpnConnection.ref, this.customerGateway.ref);
    if (this.endpointConfig) addEndpointConfigOutputs(this, site.name, this.endpointConfig);
  }

  /** AWS's outside addresses of both tunnels as read at deploy time, when the endpoint config is generated. */
  private deployTimeTunnelAddresses(): string[] | undefined {
    const config = this.endpointConfig;
    if (!config) return undefined;
    return Array.from({ length: MAX_TUNNELS_PER_CONNECTION }, (_, i) => config.tunnelOutsideAddress(i));
  }
}

/** 2-byte and low 4-byte ASNs go in `BgpAsn`; the rest of the 4-byte space needs `BgpAsnExtended`. */
export function customerAsn(asn: number | undefined): { bgpAsn?: number; bgpAsnExtended?: number } {
  if (asn === undefined) return {};
  return asn > CUSTOMER_BGP_ASN.max ? { bgpAsnExtended: asn } : { bgpAsn: asn };
}

/**
 * Which AWS gateway terminates the VPN connections: a new virtual private gateway, an existing one (AWS attaches
 * at most one to a VPC), or an existing Transit Gateway.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AMAZON_SIDE_ASN_DEFAULT } from '../aws-rules';

/** Options for a new virtual private gateway. */
export interface VirtualPrivateGatewayOptions {
  /** BGP ASN of the Amazon side. @default 64512 */
  readonly amazonSideAsn?: number;
  /** Subnets whose route tables receive the routes the gateway learns. @default all private subnets of the VPC */
  readonly propagateTo?: ec2.SubnetSelection[];
}

/** Options for an existing virtual private gateway. */
export interface ExistingVirtualPrivateGatewayOptions {
  /** The gateway's Amazon side ASN, if you want it checked against the customer ASNs. @default not checked */
  readonly amazonSideAsn?: number;
  /**
   * Subnets of `vpc` whose route tables receive the routes the gateway learns (needs `vpc`).
   * @default none: left to the gateway's owner (an `ec2.Vpc` with `vpnGateway: true` propagates into `vpnRoutePropagation`)
   */
  readonly propagateTo?: ec2.SubnetSelection[];
}

/** Options for an existing Transit Gateway. */
export interface TransitGatewayOptions {
  /** The Transit Gateway's Amazon side ASN, if you want it checked against the customer ASNs. @default not checked */
  readonly amazonSideAsn?: number;
}

export type GatewayKind = 'virtualPrivateGateway' | 'transitGateway';

/** The AWS end of the VPN connections. */
export class SiteToSiteGateway {
  /** A new virtual private gateway, attached to the VPC with route propagation. */
  public static virtualPrivateGateway(options: VirtualPrivateGatewayOptions = {}): SiteToSiteGateway {
    return new SiteToSiteGateway('virtualPrivateGateway', options.amazonSideAsn ?? AMAZON_SIDE_ASN_DEFAULT, undefined, options.propagateTo);
  }

  /**
   * An existing virtual private gateway, by id (`vgw-...`), already attached to the VPC: e.g. `vpc.vpnGatewayId` of
   * an `ec2.Vpc` created with `vpnGateway: true`, or the gateway of another `SiteToSiteVpn` on the same VPC.
   */
  public static existingVirtualPrivateGateway(vpnGatewayId: string, options: ExistingVirtualPrivateGatewayOptions = {}): SiteToSiteGateway {
    return new SiteToSiteGateway('virtualPrivateGateway', options.amazonSideAsn, undefined, options.propagateTo, vpnGatewayId);
  }

  /** An existing Transit Gateway, by id (`tgw-...`). */
  public static transitGateway(transitGatewayId: string, options: TransitGatewayOptions = {}): SiteToSiteGateway {
    return new SiteToSiteGateway('transitGateway', options.amazonSideAsn, transitGatewayId, undefined);
  }

  private constructor(
    /** Which kind of gateway. */
    public readonly kind: GatewayKind,
    /** Amazon side ASN; undefined for a Transit Gateway whose ASN was not given. */
    public readonly amazonSideAsn: number | undefined,
    /** Id of the existing Transit Gateway. */
    public readonly transitGatewayId: string | undefined,
    /** Subnets receiving propagated routes (virtual private gateway). */
    public readonly propagateTo: ec2.SubnetSelection[] | undefined,
    /** Id of the existing virtual private gateway; undefined for a new one or a Transit Gateway. */
    public readonly vpnGatewayId?: string,
  ) {}
}

/** Which AWS gateway terminates the VPN connections: a new virtual private gateway or an existing Transit Gateway. */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AMAZON_SIDE_ASN_DEFAULT } from '../aws-rules';

/** Options for a new virtual private gateway. */
export interface VirtualPrivateGatewayOptions {
  /** BGP ASN of the Amazon side. @default 64512 */
  readonly amazonSideAsn?: number;
  /** Subnets whose route tables receive the routes the gateway learns. @default all private subnets of the VPC */
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
  ) {}
}

/** Stack outputs: the ids an operator (or the on-prem config generator) needs after deploy. */
import { CfnOutput } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { MAX_TUNNELS_PER_CONNECTION } from '../aws-rules';
import type { EndpointConfigResource } from '../endpoint-config-resource';

export function addSiteOutputs(scope: Construct, siteName: string, vpnConnectionId: string, customerGatewayId: string): void {
  new CfnOutput(scope, 'VpnConnectionId', { value: vpnConnectionId, description: `VPN connection of site ${siteName}` });
  new CfnOutput(scope, 'CustomerGatewayId', { value: customerGatewayId, description: `Customer gateway of site ${siteName}` });
}

export function addGatewayOutput(scope: Construct, kind: string, gatewayId: string): void {
  new CfnOutput(scope, 'GatewayId', { value: gatewayId, description: `The ${kind} terminating the VPN connections` });
}

/** AWS's tunnel outside addresses (known only at deploy time) and where the generated on-prem config is. */
export function addEndpointConfigOutputs(scope: Construct, siteName: string, config: EndpointConfigResource): void {
  for (let i = 0; i < MAX_TUNNELS_PER_CONNECTION; i++) {
    new CfnOutput(scope, `Tunnel${i + 1}OutsideAddress`, {
      value: config.tunnelOutsideAddress(i),
      description: `AWS outside address of tunnel ${i + 1} of site ${siteName}`,
    });
  }
  new CfnOutput(scope, 'EndpointConfigUri', {
    value: config.artifactPrefixUri,
    description: `Generated on-prem endpoint config of site ${siteName} (endpoint.json, endpoint.ts, swanctl.conf)`,
  });
  new CfnOutput(scope, 'EndpointConfigStatus', {
    value: config.endpointConfigStatus,
    description: `ok, or why the endpoint config of site ${siteName} could not be generated (then error.txt is in its folder)`,
  });
}

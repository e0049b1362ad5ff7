/** A virtual private gateway takes at most 10 VPN connections (aws-rules: MAX_CONNECTIONS_PER_VIRTUAL_PRIVATE_GATEWAY). */
import { MAX_CONNECTIONS_PER_VIRTUAL_PRIVATE_GATEWAY } from '../../lib/aws-rules';
import { SiteOptions } from '../../lib/construct/props';
import { SiteToSiteVpn } from '../../lib/construct/site-to-site-vpn';
import { newStack, synth } from './synth';

function sites(count: number): SiteOptions[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `branch-${i + 1}`,
    customerGatewayIp: `203.0.113.${i + 1}`,
    bgpAsn: 65001 + i,
    tunnels: [{ tunnelInsideCidr: `169.254.${100 + i}.0/30` }, { tunnelInsideCidr: `169.254.${100 + i}.4/30` }],
  }));
}

test('10 sites on one virtual private gateway synthesize', () => {
  expect(MAX_CONNECTIONS_PER_VIRTUAL_PRIVATE_GATEWAY).toBe(10);
  const stack = newStack();
  new SiteToSiteVpn(stack, 'Vpn', { sites: sites(10) });
  const template = synth(stack);
  template.resourceCountIs('AWS::EC2::VPNConnection', 10);
  template.resourceCountIs('AWS::EC2::CustomerGateway', 10);
  template.resourceCountIs('AWS::EC2::VPNGateway', 1);
});

test('11 sites on one virtual private gateway fail', () => {
  expect(() => new SiteToSiteVpn(newStack(), 'Vpn', { sites: sites(11) }))
    .toThrow(/`sites` has 11 sites, but a virtual private gateway takes at most 10 VPN connections/);
});

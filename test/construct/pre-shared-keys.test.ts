/** Pre-shared keys reach the template only as `{{resolve:secretsmanager:...}}` references; the scan that enforces it. */
import { SecretValue } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SiteToSiteVpn } from '../../lib/construct/site-to-site-vpn';
import { assertNoPlainTextPsk, newStack, PSK_CANARIES, synth } from './synth';

/** Every PreSharedKey value in the template, rendered to text. */
function preSharedKeys(template: Template): string[] {
  const connections = Object.values(template.findResources('AWS::EC2::VPNConnection'));
  return connections.flatMap((c) => (c.Properties.VpnTunnelOptionsSpecifications ?? [])
    .filter((t: Record<string, unknown>) => 'PreSharedKey' in t)
    .map((t: Record<string, unknown>) => JSON.stringify(t.PreSharedKey)));
}

describe('a pre-shared key the user brings', () => {
  const stack = newStack();
  const byName = secretsmanager.Secret.fromSecretNameV2(stack, 'ByName', 'vpn/branch-psk');
  const generated = new secretsmanager.Secret(stack, 'Generated', {
    // AWS's PSK alphabet is letters, digits, '.' and '_': no punctuation.
    generateSecretString: { passwordLength: 40, excludePunctuation: true },
  });
  new SiteToSiteVpn(stack, 'Vpn', {
    sites: [{
      name: 'branch',
      customerGatewayIp: '198.51.100.20',
      bgpAsn: 65020,
      tunnels: [
        { preSharedKeySecret: byName, preSharedKeySecretField: 'tunnel1' },
        { preSharedKeySecret: generated },
      ],
    }],
  });
  const template = synth(stack);

  test('appears only as a Secrets Manager dynamic reference', () => {
    const keys = preSharedKeys(template);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^\{"Fn::Join":\["",\["\{\{resolve:secretsmanager:arn:",.*:secret:vpn\/branch-psk:SecretString:tunnel1::\}\}"\]\]\}$/);
    expect(keys[1]).toMatch(/^\{"Fn::Join":\["",\["\{\{resolve:secretsmanager:",\{"Ref":"Generated[0-9A-F]+"\},":SecretString:::\}\}"\]\]\}$/);
  });

  test('AWS still stores the keys in Secrets Manager', () => {
    template.hasResourceProperties('AWS::EC2::VPNConnection', { PreSharedKeyStorage: 'SecretsManager' });
  });
});

describe('the plain-text PSK scan every construct test goes through', () => {
  test('catches a key a user put into a secret in plain text', () => {
    const stack = newStack();
    const leaky = new secretsmanager.Secret(stack, 'Leaky', { secretStringValue: SecretValue.unsafePlainText(PSK_CANARIES[0]) });
    new SiteToSiteVpn(stack, 'Vpn', {
      sites: [{ name: 'x', customerGatewayIp: '198.51.100.1', bgpAsn: 65001, tunnels: [{ preSharedKeySecret: leaky }] }],
    });
    expect(() => synth(stack)).toThrow('a test pre-shared key appears in plain text in the template');
  });

  test('rejects a literal PreSharedKey anywhere, naming where and never the value', () => {
    const literal = { Resources: { C: { Properties: { VpnTunnelOptionsSpecifications: [{ PreSharedKey: 'abcdefgh1234' }] } } } };
    expect(() => assertNoPlainTextPsk(literal))
      .toThrow(/^Resources\.C\.Properties\.VpnTunnelOptionsSpecifications\.0\.PreSharedKey is not a \{\{resolve:secretsmanager:\.\.\.\}\} reference$/);
    expect(() => assertNoPlainTextPsk({ Outputs: { Key: { Value: 'x', PreSharedKey: 'abcdefgh1234' } } })).toThrow(/Outputs\.Key\.PreSharedKey/);
    expect(() => assertNoPlainTextPsk({ Outputs: { Key: { Value: PSK_CANARIES[1] } } })).toThrow(/plain text/);
  });

  test('accepts dynamic references, plain or joined', () => {
    expect(() => assertNoPlainTextPsk({ A: { PreSharedKey: '{{resolve:secretsmanager:arn:aws:secretsmanager:r:1:secret:s:SecretString:::}}' } })).not.toThrow();
    expect(() => assertNoPlainTextPsk({ A: { PreSharedKey: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'S' }, ':SecretString:::}}']] } } })).not.toThrow();
  });
});

/**
 * The one way construct tests synthesize: every template passes the plain-text PSK scan before a test sees it.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** PSK-shaped values tests use as bait: none may ever appear in a template. */
export const PSK_CANARIES = ['CanaryKey1234567890abcdef', 'Second.canary_key_9876'] as const;

const DYNAMIC_REFERENCE = /^\{\{resolve:secretsmanager:/;

/** Throws when a template holds a pre-shared key in plain text. */
export function assertNoPlainTextPsk(template: unknown): void {
  const text = JSON.stringify(template);
  for (const canary of PSK_CANARIES) {
    if (text.includes(canary)) throw new Error('a test pre-shared key appears in plain text in the template');
  }
  walk(template, []);
}

function walk(node: unknown, path: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => walk(child, [...path, String(i)]));
  } else if (node && typeof node === 'object') {
    for (const [key, child] of Object.entries(node)) {
      if (/^PreSharedKey$/i.test(key) && !isSecretReference(child)) {
        throw new Error(`${[...path, key].join('.')} is not a {{resolve:secretsmanager:...}} reference`);
      }
      walk(child, [...path, key]);
    }
  }
}

/** A dynamic reference, as a plain string or as the Fn::Join CDK emits when the secret ARN is a token. */
function isSecretReference(value: unknown): boolean {
  if (typeof value === 'string') return DYNAMIC_REFERENCE.test(value);
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })?.['Fn::Join'];
  return Array.isArray(join) && typeof join[1][0] === 'string' && DYNAMIC_REFERENCE.test(join[1][0]);
}

/** A fresh environment-agnostic stack; CloudFormation schema findings fail its synth instead of warning. */
export function newStack(id = 'TestStack'): Stack {
  return new Stack(new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } }), id);
}

/** Synthesizes the stack, scans it for plain-text PSKs, returns the template for assertions. */
export function synth(stack: Stack): Template {
  const template = Template.fromStack(stack);
  assertNoPlainTextPsk(template.toJSON());
  return template;
}

/**
 * AWS resource ids and ARNs as AWS writes them. Anything else is refused: these strings end up in rendered
 * files (comments, section names, shell commands), so input must not be able to smuggle text into them.
 */

export type ResourceKind = 'vpn' | 'cgw' | 'vgw' | 'tgw';

/** `vpn-0a1b2c3d4e5f60718`, `cgw-...`, `vgw-...`, `tgw-...`. */
export function isResourceId(kind: ResourceKind, text: unknown): text is string {
  return typeof text === 'string' && new RegExp(`^${kind}-[0-9A-Za-z]{1,32}$`).test(text);
}

/** `arn:partition:service:region:account:resource`, with the characters secret names may use. */
const ARN = /^arn:[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]*:\d*:[A-Za-z0-9+=,.@:/_-]+$/;

export function isArn(text: unknown): text is string {
  return typeof text === 'string' && text.length <= 2048 && ARN.test(text);
}

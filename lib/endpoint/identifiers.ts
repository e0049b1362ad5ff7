/**
 * AWS resource ids and ARNs as AWS writes them. Anything else is refused: these strings end up in rendered
 * files (comments, section names, shell commands), so input must not be able to smuggle text into them.
 */

export type ResourceKind = 'vpn' | 'cgw' | 'vgw' | 'tgw';

/** `vpn-0a1b2c3d4e5f60718`, `cgw-...`, `vgw-...`, `tgw-...`. */
export function isResourceId(kind: ResourceKind, text: unknown): text is string {
  return typeof text === 'string' && new RegExp(`^${kind}-[0-9A-Za-z]{1,32}$`).test(text);
}

/**
 * `arn:partition:service:region:account-id:resource` (AWS's ARN grammar: the resource part is free-form).
 * Any printable ASCII is accepted there: AWS-managed secrets are named like `s2svpn-preprod!vpn-...-1Skga6`.
 * Renderers quote what they write (see `shell.ts`), so nothing here depends on the resource's characters.
 */
const ARN = /^arn:[a-z][a-z0-9-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:[!-~]+$/;

export function isArn(text: unknown): text is string {
  return typeof text === 'string' && text.length <= 2048 && ARN.test(text);
}

/** AWS's id of a VPN Concentrator, or of a transit gateway attachment: `<prefix>-<hex>`. */
export function isPrefixedId(text: unknown): text is string {
  return typeof text === 'string' && /^[a-z]{2,16}(-[a-z]{2,16})*-[0-9A-Za-z]{1,32}$/.test(text);
}

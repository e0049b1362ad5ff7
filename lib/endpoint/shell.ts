/**
 * Shell quoting for the commands the renderers print: every value goes into single quotes, so `!`, `$`,
 * spaces and backquotes are literal in sh, bash (history expansion does not apply inside single quotes) and zsh.
 */

/** `value` as one single-quoted shell word; a `'` inside becomes `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

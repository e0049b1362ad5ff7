/**
 * What the live stage leaves out of the config it loads into its charon: `updown` scripts. A site's updown
 * (the Linux script's `--updown`) rewrites routes and keeps tunnel state in /run on the host it runs on;
 * run from the live stage's namespace it would act on a test tunnel, and on the real gateway it could mark
 * a live tunnel down. Each line is blanked, not removed, so charon's line numbers still match the file.
 */
export interface ConfigWithoutHooks {
  readonly text: string;
  /** The hooks left out, as written (`updown = ...`), in file order. */
  readonly removed: readonly string[];
}

const UPDOWN_LINE = /^[ \t]*updown[ \t]*=.*$/gm;

export function withoutUpdown(swanctlConf: string): ConfigWithoutHooks {
  const removed: string[] = [];
  const text = swanctlConf.replace(UPDOWN_LINE, (line) => {
    removed.push(line.trim());
    return '';
  });
  return { text, removed };
}

/**
 * The strongSwan `swanctl.conf` syntax: nested `name { ... }` sections, `key = value` settings, `#` comments
 * and `include` lines. Values are kept as text; meaning is the caller's business.
 */

export interface SwanctlSection {
  readonly settings: Map<string, string>;
  /** Sub-sections in file order. */
  readonly sections: Map<string, SwanctlSection>;
  /** `include` lines inside this section, as written. */
  readonly includes: string[];
  /** 1-based line the section opened on (0 for the top level). */
  readonly line: number;
}

export interface SwanctlFile {
  readonly root: SwanctlSection;
  /** Every comment's text (after `#`), in order: generated files put interface setup there. */
  readonly comments: string[];
}

/** A syntax error at a line of the file. Carries no setting value (a value could be a secret). */
export class SwanctlSyntaxError extends Error {
  constructor(
    public readonly line: number,
    problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'SwanctlSyntaxError';
  }
}

function section(line: number): SwanctlSection {
  return { settings: new Map(), sections: new Map(), includes: [], line };
}

export function parseSwanctl(text: string): SwanctlFile {
  const root = section(0);
  const stack: SwanctlSection[] = [root];
  const comments: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const lineNo = i + 1;
    const { code, comment } = splitComment(raw);
    if (comment !== undefined) comments.push(comment);
    let line = code.trim();
    while (line !== '') {
      const current = stack[stack.length - 1];
      if (line.startsWith('}')) {
        if (stack.length === 1) throw new SwanctlSyntaxError(lineNo, 'unexpected `}`');
        stack.pop();
        line = line.slice(1).trim();
        continue;
      }
      const open = /^([A-Za-z0-9_.%-][^\s{}=]*)\s*\{/.exec(line);
      if (open) {
        const child = section(lineNo);
        current.sections.set(open[1], child);
        stack.push(child);
        line = line.slice(open[0].length).trim();
        continue;
      }
      const include = /^include\s+(\S+)\s*$/.exec(line);
      if (include) {
        current.includes.push(include[1]);
        break;
      }
      const setting = /^([A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(line);
      if (!setting) throw new SwanctlSyntaxError(lineNo, 'expected `name {`, `key = value`, `include file` or `}`');
      const { value, rest } = settingValue(setting[2]);
      current.settings.set(setting[1], value);
      line = rest.trim();
    }
  });
  if (stack.length > 1) throw new SwanctlSyntaxError(stack[stack.length - 1].line, 'section is never closed with `}`');
  return { root, comments };
}

/** Splits off a `#` comment that is not inside a double-quoted string. */
function splitComment(line: string): { code: string; comment?: string } {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === '#' && !quoted) return { code: line.slice(0, i), comment: line.slice(i + 1) };
  }
  return { code: line };
}

/** A quoted value (with `\"` and `\\` escapes) or everything up to a closing brace. */
function settingValue(text: string): { value: string; rest: string } {
  const t = text.trim();
  if (t.startsWith('"')) {
    let value = '';
    for (let i = 1; i < t.length; i++) {
      if (t[i] === '\\' && i + 1 < t.length) value += t[++i];
      else if (t[i] === '"') return { value, rest: t.slice(i + 1) };
      else value += t[i];
    }
    return { value, rest: '' };
  }
  const brace = t.indexOf('}');
  return brace < 0 ? { value: t, rest: '' } : { value: t.slice(0, brace).trim(), rest: t.slice(brace) };
}

/**
 * A strongSwan time value in seconds: `3060s`, `51m`, `8h`, `1d`, or a bare number of seconds. Undefined
 * when malformed.
 */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

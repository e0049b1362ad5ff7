/**
 * The strongSwan settings syntax swanctl.conf is written in, read as strongSwan 5.9.8's own lexer and
 * grammar read it (libstrongswan/settings: settings_lexer.l, settings_parser.y), so that what is a syntax
 * error there is one here, and what strongSwan accepts is accepted:
 *
 * - `name {` ... `}` sections, `name : ref, ref {` sections that inherit from others (full paths), and
 *   `name = value` settings. A name is any run of characters but `#{}:.,="` and white space.
 * - A value runs to the end of the line, a `#` or a `}`; its words are joined by one space; `"..."` parts
 *   (escapes `\n \r \t \x`, `\` before a newline joins lines) are taken literally. `name =` with nothing
 *   after it unsets `name`.
 * - `include PATTERN` reads the files the glob matches (relative to the including file; none is fine) in
 *   place, as if their text were written there.
 * - A section written twice is one section; a setting written twice keeps the last value.
 *
 * Values are kept as text; what they mean is swanctl-schema.ts's and the caller's business.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { dirname, isAbsolute, join, resolve } from 'path';
import { timeSeconds } from './swanctl-schema-values';

/** Where something was written. */
export interface SwanctlLocation {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
}

export interface SwanctlSection {
  readonly name: string;
  /** The settings that have a value, in the order first written (strongSwan's order). */
  readonly settings: Map<string, string>;
  /** Where each setting's value was last written. */
  readonly settingAt: Map<string, SwanctlLocation>;
  /** Sub-sections in file order. */
  readonly sections: Map<string, SwanctlSection>;
  /** `include` patterns written inside this section, as written. */
  readonly includes: string[];
  /** The include patterns that matched no readable file (strongSwan skips them silently). */
  readonly missingIncludes: string[];
  /** 1-based line the section opened on (0 for the top level). */
  readonly line: number;
  readonly file: string;
}

export interface SwanctlFile {
  readonly root: SwanctlSection;
  /** Every comment's text (after `#`), in order: generated files put interface setup there. */
  readonly comments: string[];
}

/** A syntax error at a line of a file. Carries no setting value (a value could be a secret). */
export class SwanctlSyntaxError extends Error {
  constructor(
    public readonly line: number,
    problem: string,
    public readonly file?: string,
  ) {
    super(`${file ? `${file}: ` : ''}line ${line}: ${problem}`);
    this.name = 'SwanctlSyntaxError';
  }
}

/** Finds the files an `include` pattern names: absolute paths, sorted (glob(3) order). */
export type IncludeResolver = (pattern: string, includingFile: string) => { path: string; text: string }[];

export interface ParseOptions {
  /** The file's path: names it in errors and anchors relative includes. Default `swanctl.conf` in the working directory. */
  readonly file?: string;
  readonly resolveInclude?: IncludeResolver;
  /**
   * Which names a syntax error may quote. A stray word can be a value that lost its `key =` (a pre-shared
   * key on the line after `secret =`), so by default none is quoted: the line says where.
   */
  readonly quotableName?: (name: string) => boolean;
}

export function parseSwanctl(text: string, options: ParseOptions = {}): SwanctlFile {
  const file = options.file ?? resolve('swanctl.conf');
  return new Parser(new Lexer(text, file, options.resolveInclude ?? includeFromDisk), options.quotableName ?? (() => false)).file();
}

// ---------------------------------------------------------------------------------------------------
// Lexer: the start conditions of settings_lexer.l (initial, `val` after `=`, `ref` after `:`, strings,
// include patterns), over a stack of buffers because an include is read in place.

type RawToken =
  | { kind: 'name'; text: string; line: number }
  | { kind: 'string'; text: string; line: number }
  | { kind: '{' | '}' | '=' | ':' | ',' | '.' | 'newline' | 'eof'; line: number };
type Token = RawToken & { file: string };

interface Buffer {
  readonly text: string;
  readonly file: string;
  pos: number;
  line: number;
}

const NAME_CHAR = /[^#{}:.,="\r\n\t ]/;
const VALUE_CHAR = /[^#}"\r\n\t ]/;

class Lexer {
  private readonly buffers: Buffer[];
  private mode: 'initial' | 'val' | 'ref' = 'initial';
  readonly comments: string[] = [];
  /** Include patterns and what they matched, reported to the section being read when they occur. */
  onInclude: (pattern: string, matched: number) => void = () => undefined;

  constructor(
    text: string,
    file: string,
    private readonly resolveInclude: IncludeResolver,
  ) {
    this.buffers = [{ text, file, pos: 0, line: 1 }];
  }

  get location(): SwanctlLocation {
    const b = this.top;
    return { file: b.file, line: b.line };
  }

  private get top(): Buffer {
    return this.buffers[this.buffers.length - 1];
  }

  private error(problem: string): never {
    throw new SwanctlSyntaxError(this.top.line, problem, this.top.file);
  }

  /** The next token; `eof` only at the end of the outermost file. */
  next(): Token {
    for (;;) {
      const b = this.top;
      if (b.pos >= b.text.length) {
        if (this.mode === 'val') {
          this.mode = 'initial';
          return { kind: 'newline', line: b.line, file: b.file };
        }
        if (this.buffers.length === 1) return { kind: 'eof', line: b.line, file: b.file };
        this.buffers.pop();
        continue;
      }
      const token = this.mode === 'val' ? this.valueToken(b) : this.mode === 'ref' ? this.refToken(b) : this.initialToken(b);
      if (token) return { ...token, file: b.file };
    }
  }

  private skipBlankAndComments(b: Buffer): boolean {
    const c = b.text[b.pos];
    if (c === ' ' || c === '\t' || c === '\r') {
      b.pos++;
      return true;
    }
    if (c === '\n') {
      b.pos++;
      b.line++;
      return true;
    }
    if (c === '#') {
      const end = lineEnd(b.text, b.pos);
      this.comments.push(b.text.slice(b.pos + 1, end).replace(/\r$/, ''));
      b.pos = end;
      return true;
    }
    return false;
  }

  private initialToken(b: Buffer): RawToken | undefined {
    if (this.skipBlankAndComments(b)) return undefined;
    const c = b.text[b.pos];
    const line = b.line;
    if (c === '{' || c === '}' || c === '.' || c === ',') {
      b.pos++;
      return { kind: c, line };
    }
    if (c === ':') {
      b.pos++;
      this.mode = 'ref';
      return { kind: ':', line };
    }
    if (c === '=') {
      b.pos++;
      this.mode = 'val';
      return { kind: '=', line };
    }
    if (c === '"') this.error('unexpected string detected (a name cannot be quoted)');
    const include = includeStart(b.text, b.pos);
    if (include !== undefined) {
      b.pos = include;
      this.include(b);
      return undefined;
    }
    let end = b.pos;
    while (end < b.text.length && NAME_CHAR.test(b.text[end])) end++;
    const text = b.text.slice(b.pos, end);
    b.pos = end;
    return { kind: 'name', text, line };
  }

  private refToken(b: Buffer): RawToken | undefined {
    if (this.skipBlankAndComments(b)) return undefined;
    const c = b.text[b.pos];
    if (c === ',') {
      b.pos++;
      return { kind: ',', line: b.line };
    }
    const m = /^[^#{}:.,="\r\n\t ]+(?:\.[^#{}:.,="\r\n\t ]+)*/.exec(b.text.slice(b.pos, lineEnd(b.text, b.pos)));
    if (m) {
      b.pos += m[0].length;
      return { kind: 'name', text: m[0], line: b.line };
    }
    this.mode = 'initial';
    return undefined;
  }

  private valueToken(b: Buffer): RawToken | undefined {
    const c = b.text[b.pos];
    if (c === ' ' || c === '\t' || c === '\r') {
      b.pos++;
      return undefined;
    }
    if (c === '\n' || c === '#' || c === '}') {
      this.mode = 'initial'; // the newline, comment or brace is read again outside the value
      return { kind: 'newline', line: b.line };
    }
    const line = b.line;
    if (c === '"') {
      b.pos++;
      return { kind: 'string', text: this.quoted(b), line };
    }
    let end = b.pos;
    while (end < b.text.length && VALUE_CHAR.test(b.text[end])) end++;
    const text = b.text.slice(b.pos, end);
    b.pos = end;
    return { kind: 'name', text, line };
  }

  /** A quoted string's text, after its opening quote; leaves `pos` after the closing one. */
  private quoted(b: Buffer): string {
    let out = '';
    for (;;) {
      if (b.pos >= b.text.length) this.error('unterminated string detected');
      const c = b.text[b.pos];
      if (c === '"') {
        b.pos++;
        return out;
      }
      if (c === '\r') {
        b.pos++;
        continue;
      }
      if (c === '\\') {
        const n = b.text[b.pos + 1];
        if (n === undefined) this.error('unterminated string detected');
        if (n === '\n' || (n === '\r' && b.text[b.pos + 2] === '\n')) {
          b.pos += n === '\n' ? 2 : 3;
          b.line++;
          continue;
        }
        if (n === '\r') this.error('unterminated string detected');
        out += n === 'n' ? '\n' : n === 'r' ? '\r' : n === 't' ? '\t' : n;
        b.pos += 2;
        continue;
      }
      if (c === '\n') b.line++;
      out += c;
      b.pos++;
    }
  }

  /** Reads an include pattern (escapes `\" \# \} \ `, or a quoted string) and pushes the files it matches. */
  private include(b: Buffer): void {
    let pattern = '';
    for (;;) {
      const c = b.text[b.pos];
      if (c === undefined || c === '#' || c === '}' || c === '\n' || c === '\t' || c === ' ') {
        if (c === '\t' || c === ' ') b.pos++;
        break;
      }
      if (c === '\r') {
        b.pos++;
      } else if (c === '"') {
        b.pos++;
        pattern += this.quoted(b);
        break;
      } else if (c === '\\' && /["#} ]/.test(b.text[b.pos + 1] ?? '')) {
        pattern += b.text[b.pos + 1];
        b.pos += 2;
      } else {
        pattern += c;
        b.pos++;
      }
    }
    const files = pattern === '' ? [] : this.resolveInclude(pattern, b.file);
    this.onInclude(pattern, files.length);
    for (const f of [...files].reverse()) this.buffers.push({ text: f.text, file: f.path, pos: 0, line: 1 });
  }
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

/**
 * Where the include pattern starts if `include` at `pos` is the include keyword: flex's
 * `"include"[\t ]+/[^=]`, the longest run of blanks not followed by `=` (`include = x` is a setting).
 */
function includeStart(text: string, pos: number): number | undefined {
  if (!text.startsWith('include', pos)) return undefined;
  let end = pos + 7;
  while (text[end] === ' ' || text[end] === '\t') end++;
  const blanks = end - pos - 7;
  if (blanks === 0 || end >= text.length) return undefined;
  if (text[end] !== '=') return end;
  return blanks >= 2 ? end - 1 : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Parser: settings_parser.y's grammar, building sections the way settings_types.c merges them.

interface Entry {
  value: string | undefined;
  at: SwanctlLocation;
}

interface Building {
  readonly name: string;
  readonly entries: Map<string, Entry>;
  readonly sections: Map<string, Building>;
  readonly references: string[];
  readonly includes: string[];
  readonly missingIncludes: string[];
  readonly at: SwanctlLocation;
}

function building(name: string, at: SwanctlLocation): Building {
  return { name, entries: new Map(), sections: new Map(), references: [], includes: [], missingIncludes: [], at };
}

class Parser {
  private readonly stack: Building[] = [];
  private token: Token;

  constructor(
    private readonly lexer: Lexer,
    private readonly quotable: (name: string) => boolean,
  ) {
    this.stack.push(building('', { ...this.lexer.location, line: 0 }));
    lexer.onInclude = (pattern, matched) => {
      const current = this.stack[this.stack.length - 1];
      current.includes.push(pattern);
      if (matched === 0) current.missingIncludes.push(pattern);
    };
    this.token = lexer.next();
  }

  file(): SwanctlFile {
    const root = this.stack[0];
    this.statements();
    if (this.kind() !== 'eof') this.unexpected('a section or setting name');
    return { root: finish(root, root), comments: this.lexer.comments };
  }

  /** The current token's kind (a call, so TypeScript does not narrow it across advance()). */
  private kind(): Token['kind'] {
    return this.token.kind;
  }

  private advance(): Token {
    const t = this.token;
    this.token = this.lexer.next();
    return t;
  }

  private unexpected(expected: string): never {
    const t = this.token;
    const found =
      t.kind === 'eof' ? 'the end of the file' : t.kind === 'name' ? this.nameOf(t.text) : t.kind === 'newline' ? 'the end of the line' : `\`${t.kind}\``;
    if (t.kind === 'eof' && this.stack.length > 1) {
      const open = this.stack[this.stack.length - 1];
      throw new SwanctlSyntaxError(open.at.line, `section \`${open.name}\` is never closed with \`}\``, open.at.file);
    }
    if (t.kind === '}' && this.stack.length === 1) throw new SwanctlSyntaxError(t.line, 'unexpected `}` (no section is open)', t.file);
    throw new SwanctlSyntaxError(t.line, `expected ${expected}, found ${found}`, t.file);
  }

  private nameOf(name: string): string {
    return this.quotable(name) ? `\`${name}\`` : 'a name';
  }

  private statements(): void {
    for (;;) {
      if (this.kind() === 'newline') this.advance();
      else if (this.kind() === 'name') this.statement();
      else return;
    }
  }

  private statement(): void {
    const at = { file: this.token.file, line: this.token.line };
    const name = (this.advance() as { text: string }).text;
    const kind = this.kind();
    if (kind === '=') {
      this.advance();
      const parts: string[] = [];
      while (this.kind() === 'name' || this.kind() === 'string') parts.push((this.advance() as { text: string }).text);
      if (this.kind() !== 'newline') this.unexpected('the end of the value');
      const current = this.stack[this.stack.length - 1];
      const existing = current.entries.get(name);
      const value = parts.length === 0 ? undefined : parts.join(' ');
      if (existing) {
        existing.value = value;
        existing.at = at;
      } else current.entries.set(name, { value, at });
      return;
    }
    if (kind !== '{' && kind !== ':') this.unexpected(`\`=\` or \`{\` after ${this.nameOf(name)}`);
    const section = building(name, at);
    if (kind === ':') {
      this.advance();
      for (;;) {
        if (this.kind() !== 'name') this.unexpected('the name of a section to inherit from');
        section.references.push((this.advance() as { text: string }).text);
        if (this.kind() !== ',') break;
        this.advance();
      }
      if (this.kind() !== '{') this.unexpected('`{`');
    }
    // The stack changes before the next token is read: an include there belongs to the section it is in.
    this.stack.push(section);
    this.advance();
    this.statements();
    if (this.kind() !== '}') this.unexpected('a setting, a section or `}`');
    this.stack.pop();
    merge(this.stack[this.stack.length - 1], section);
    this.advance();
  }
}

/** settings_section_add: a section written again extends the first (its settings win). */
function merge(parent: Building, section: Building): void {
  const found = parent.sections.get(section.name);
  if (!found) {
    parent.sections.set(section.name, section);
    return;
  }
  for (const [key, entry] of section.entries) {
    const existing = found.entries.get(key);
    if (existing) Object.assign(existing, entry);
    else found.entries.set(key, { ...entry });
  }
  for (const sub of section.sections.values()) merge(found, sub);
  found.references.push(...section.references.filter((r) => !found.references.includes(r)));
  found.includes.push(...section.includes);
  found.missingIncludes.push(...section.missingIncludes);
}

/** The section as strongSwan enumerates it: its own settings and sections, then those inherited (`name : ref`). */
function finish(b: Building, root: Building, seen: ReadonlySet<Building> = new Set()): SwanctlSection {
  const sources = [b, ...inherited(b, root, new Set([...seen, b]))];
  const settings = new Map<string, string>();
  const settingAt = new Map<string, SwanctlLocation>();
  const decided = new Set<string>();
  for (const s of sources) {
    for (const [key, entry] of s.entries) {
      if (decided.has(key)) continue;
      decided.add(key);
      if (entry.value !== undefined) {
        settings.set(key, entry.value);
        settingAt.set(key, entry.at);
      }
    }
  }
  const subs = new Map<string, Building>();
  for (const s of sources) {
    for (const [name, sub] of s.sections) {
      const existing = subs.get(name);
      subs.set(name, existing ? withFallback(existing, sub) : sub);
    }
  }
  const sections = new Map<string, SwanctlSection>();
  for (const [name, sub] of subs) sections.set(name, finish(sub, root, new Set([...seen, b])));
  return { name: b.name, settings, settingAt, sections, includes: b.includes, missingIncludes: b.missingIncludes, line: b.at.line, file: b.at.file };
}

/** A section whose missing settings and sections come from `fallback` (an inherited one of the same name). */
function withFallback(own: Building, fallback: Building): Building {
  const merged = building(own.name, own.at);
  for (const [k, e] of own.entries) merged.entries.set(k, e);
  for (const [k, e] of fallback.entries) if (!merged.entries.has(k)) merged.entries.set(k, e);
  for (const [k, s] of own.sections) merged.sections.set(k, s);
  for (const [k, s] of fallback.sections) merged.sections.set(k, merged.sections.has(k) ? withFallback(merged.sections.get(k) as Building, s) : s);
  merged.references.push(...own.references, ...fallback.references);
  merged.includes.push(...own.includes);
  merged.missingIncludes.push(...own.missingIncludes);
  return merged;
}

/** The sections `b` references (full paths from the top), and theirs, each once. */
function inherited(b: Building, root: Building, seen: Set<Building>): Building[] {
  const out: Building[] = [];
  for (const ref of b.references) {
    let target: Building | undefined = root;
    for (const part of ref.split('.')) target = target?.sections.get(part);
    if (!target || seen.has(target)) continue;
    seen.add(target);
    out.push(target, ...inherited(target, root, seen));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------

/** Includes read from disk: `*`, `?` and `[...]` in any path segment, as glob(3) matches them. */
export const includeFromDisk: IncludeResolver = (pattern, includingFile) => {
  const full = isAbsolute(pattern) ? pattern : join(dirname(includingFile), pattern);
  return globPaths(full)
    .filter((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    })
    .flatMap((path) => {
      try {
        return [{ path, text: readFileSync(path, 'utf8') }];
      } catch {
        return [];
      }
    });
};

function globPaths(pattern: string): string[] {
  const parts = pattern.split('/');
  let paths = [parts[0] === '' ? '/' : parts[0]];
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    if (!/[*?[]/.test(part)) {
      paths = paths.map((p) => join(p, part));
      continue;
    }
    const re = globSegment(part);
    paths = paths.flatMap((dir) => {
      try {
        return readdirSync(dir)
          .filter((name) => re.test(name) && (part.startsWith('.') || !name.startsWith('.')))
          .sort()
          .map((name) => join(dir, name));
      } catch {
        return [];
      }
    });
  }
  return paths;
}

function globSegment(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        const body = segment.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * A strongSwan time value in seconds, read as charon reads it: `3060s`, `51m`, `8h`, `1d`, or a bare
 * number of seconds. Undefined when charon would refuse it.
 */
export function parseDuration(text: string): number | undefined {
  return timeSeconds(text);
}

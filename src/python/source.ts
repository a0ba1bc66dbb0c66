// Python source: parsing with py-ast (a CPython-shaped AST in pure JS; the file is never run),
// node positions (py-ast, like CPython, gives 1-based lines and UTF-8 *byte* columns) → UTF-16
// offsets in the file, and string literals decoded with a file offset for every character.
import { parse } from 'py-ast';
import type { LineMap } from '../extract/position.js';
import { lookupUnicodeName } from './unicode-names.js';

/** A py-ast node (CPython `ast` shape: `nodeType`, fields, lineno/col_offset/end_*). */
export type PyNode = Record<string, any> & { nodeType: string };

export interface PySyntaxError {
  line: number;
  column: number;
  message: string;
}

export function parsePython(text: string): { module: PyNode } | { error: PySyntaxError } {
  try {
    return { module: parse(text) as unknown as PyNode };
  } catch (e) {
    const err = e as Error & { lineno?: number; col_offset?: number };
    const m = /at line (\d+)(?:, column (\d+))?/.exec(err.message ?? '');
    const line = err.lineno ?? (m ? Number(m[1]) : 1);
    const column = (err.col_offset ?? (m?.[2] !== undefined ? Number(m[2]) : 0)) + 1;
    return { error: { line, column, message: String(err.message ?? e).replace(/\s+/g, ' ').slice(0, 200) } };
  }
}

/**
 * A string whose every character knows where it came from: `src[i]` is the UTF-16 offset in the
 * file of the source character that produced `text[i]` (for an escape: its backslash).
 */
export interface Str {
  text: string;
  src: number[];
}

/**
 * The name shown for a value only known at run time, in synthesized SQL and so in messages
 * ("Drops table (value of t)", "Drops constraint (unnamed) on users"): never a bare `{…}` template
 * look-alike. `expr` is the Python source of the value (None: Python's None).
 */
export function runtimeName(expr?: string): string {
  if (expr === undefined || expr === '?') return '(unknown)';
  if (expr === 'None') return '(unnamed)';
  return `(value of ${expr})`;
}

/** A name made by runtimeName (or another parenthesized description): not a real identifier. */
export function isRuntimeName(text: string): boolean {
  return text.startsWith('(') && text.endsWith(')');
}

export function strOf(text: string, at: number): Str {
  return { text, src: new Array(text.length).fill(at) };
}

export function concat(...parts: Str[]): Str {
  return { text: parts.map((p) => p.text).join(''), src: parts.flatMap((p) => p.src) };
}

export function slice(s: Str, start: number, end = s.text.length): Str {
  return { text: s.text.slice(start, end), src: s.src.slice(start, end) };
}

export class PySource {
  constructor(
    readonly text: string,
    readonly lines: LineMap,
    /** Characters cut from the start of line 1 before parsing (a byte-order mark). */
    readonly firstLineShift = 0,
  ) {}

  /** UTF-16 offset in the file of a (1-based line, UTF-8 byte column) position. */
  offset(lineno: number, colBytes: number): number {
    const start = this.lines.lineStart(lineno) + (lineno === 1 ? this.firstLineShift : 0);
    let bytes = 0;
    let i = start;
    while (bytes < colBytes && i < this.text.length && this.text[i] !== '\n') {
      const c = this.text.charCodeAt(i);
      if (c < 0x80) bytes += 1;
      else if (c < 0x800) bytes += 2;
      else if (c >= 0xd800 && c <= 0xdbff) {
        bytes += 4;
        i++;
      } else bytes += 3;
      i++;
    }
    return i;
  }

  start(node: PyNode): number {
    return this.offset(node.lineno ?? 1, node.col_offset ?? 0);
  }

  end(node: PyNode): number {
    return this.offset(node.end_lineno ?? node.lineno ?? 1, node.end_col_offset ?? node.col_offset ?? 0);
  }

  /** The source text of a node. */
  segment(node: PyNode): string {
    return this.text.slice(this.start(node), this.end(node));
  }

  /** A node's source on one line, whitespace folded, shortened: for messages and placeholders. */
  brief(node: PyNode, max = 60): string {
    const s = this.segment(node).replace(/\s+/g, ' ').trim();
    return s.length > max ? s.slice(0, max - 1) + '…' : s;
  }

  /** 1-based line and column of a node's start. */
  pos(node: PyNode): { line: number; column: number } {
    return this.lines.pos(this.start(node));
  }

  /**
   * A string Constant (possibly several implicitly concatenated literals) decoded with per-character
   * source offsets. py-ast gives the decoded value but no per-character positions, hence this small
   * decoder; when it disagrees with py-ast's value (exotic escapes such as \N{…}), py-ast's value is
   * kept with line-accurate (not column-accurate) positions.
   */
  literal(node: PyNode): Str {
    const value = String(node.value);
    const start = this.start(node);
    const decoded = decodeLiterals(this.text, start, this.end(node));
    if (decoded && decoded.text === value) return decoded;
    // Fallback: each line of the value maps to the start of the corresponding source line.
    const src: number[] = [];
    let off = start;
    for (let i = 0; i < value.length; i++) {
      src.push(off);
      if (value[i] === '\n') {
        const nl = this.text.indexOf('\n', off);
        off = nl < 0 ? off : nl + 1;
      }
    }
    return { text: value, src };
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Inside a string token: its quote, and the prefix letters that change how its body reads. */
interface TokState {
  quote: string;
  raw: boolean;
  bytes: boolean;
  f: boolean;
}

interface ScanOut {
  out: string[];
  src: number[];
}

/**
 * Decode string-token text in [start, end) as CPython's tokenizer and string parser do
 * (Parser/string_parser.c `decode_unicode_with_escapes`, `_PyBytes_DecodeEscape`): every escape
 * CPython knows — `\\ \' \" \a \b \f \n \r \t \v`, `\ooo` octal (str: up to 0o777; bytes: the low 8
 * bits), `\xhh`, `\uXXXX`/`\UXXXXXXXX` (str only), `\N{name}` (str only), a backslash-newline; an
 * unknown escape keeps its backslash; raw tokens keep everything; in f-string tokens `{{`/`}}` are
 * braces. `state` is the token the range starts inside (null: between tokens); returns the state at
 * `end`, or null when CPython would refuse the text (a malformed escape, an unknown `\N` name).
 */
function scanStrings(text: string, start: number, end: number, state: TokState | null, o: ScanOut): { state: TokState | null } | null {
  const push = (s: string, at: number) => {
    for (let k = 0; k < s.length; k++) {
      o.out.push(s[k]);
      o.src.push(at);
    }
  };
  let i = start;
  while (i < end) {
    if (!state) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '(' || c === ')') {
        i++;
        continue;
      }
      if (c === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) {
        i += 2;
        continue;
      }
      if (c === '#') {
        while (i < end && text[i] !== '\n') i++;
        continue;
      }
      const pm = /^[rRbBuUfF]{0,2}/.exec(text.slice(i, i + 2))!;
      const prefix = pm[0].toLowerCase();
      i += pm[0].length;
      const q = text[i];
      if (q !== '"' && q !== "'") return null;
      const quote = text.startsWith(q.repeat(3), i) ? q.repeat(3) : q;
      i += quote.length;
      state = { quote, raw: prefix.includes('r'), bytes: prefix.includes('b'), f: prefix.includes('f') };
      continue;
    }
    const { quote, raw, bytes, f } = state;
    if (text.startsWith(quote, i)) {
      i += quote.length;
      state = null;
      continue;
    }
    const ch = text[i];
    if (ch === '\r') {
      // The tokenizer reads \r\n and \r as \n.
      push('\n', i);
      i += text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    if (f && (ch === '{' || ch === '}')) {
      if (text[i + 1] !== ch) return null; // a replacement field: not string text
      push(ch, i);
      i += 2;
      continue;
    }
    if (ch !== '\\') {
      push(ch, i);
      i++;
      continue;
    }
    const at = i;
    const nx = text[i + 1];
    if (nx === undefined || i + 1 >= end) return null;
    if (raw) {
      // Raw strings keep the backslash; it still protects the next character from ending the string.
      push('\\', at);
      if (nx === '\r') push('\n', i + 1), (i += text[i + 2] === '\n' ? 3 : 2);
      else if (f && (nx === '{' || nx === '}')) i++;
      else push(nx, i + 1), (i += 2);
      continue;
    }
    if (nx === '\n') {
      i += 2;
      continue;
    }
    if (nx === '\r') {
      i += text[i + 2] === '\n' ? 3 : 2;
      continue;
    }
    if (nx in SIMPLE_ESCAPES) {
      push(SIMPLE_ESCAPES[nx], at);
      i += 2;
      continue;
    }
    if (/[0-7]/.test(nx)) {
      const m = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4))!;
      const v = parseInt(m[0], 8);
      push(String.fromCodePoint(bytes ? v & 0xff : v), at);
      i += 1 + m[0].length;
      continue;
    }
    const hexLen = nx === 'x' ? 2 : !bytes && nx === 'u' ? 4 : !bytes && nx === 'U' ? 8 : 0;
    if (hexLen) {
      const h = text.slice(i + 2, i + 2 + hexLen);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(h)) return null;
      const v = parseInt(h, 16);
      if (v > 0x10ffff) return null;
      push(String.fromCodePoint(v), at);
      i += 2 + hexLen;
      continue;
    }
    if (nx === 'N' && !bytes) {
      const m = /^\{([^}\n]*)\}/.exec(text.slice(i + 2, Math.min(end, i + 2 + 200)));
      const cp = m ? lookupUnicodeName(m[1]) : undefined;
      if (cp === undefined) return null; // "malformed \N character escape" / "unknown Unicode character name"
      push(String.fromCodePoint(cp), at);
      i += 2 + m![0].length;
      continue;
    }
    // Unknown escape: kept as written (CPython warns, and keeps the backslash).
    push('\\', at);
    i++;
  }
  return { state };
}

/** Decode the string literal tokens in text[start, end) (whitespace, comments, continuations between them). */
export function decodeLiterals(text: string, start: number, end: number): Str | null {
  const o: ScanOut = { out: [], src: [] };
  const r = scanStrings(text, start, end, null, o);
  if (!r || r.state) return null;
  return { text: o.out.join(''), src: o.src };
}

const IDENT_FIELDS = ['id', 'attr', 'name', 'asname', 'module', 'arg', 'rest'];
const IDENT_LIST_FIELDS = ['names', 'kwd_attrs'];

/**
 * Make the tree read as CPython's: identifiers NFKC-normalized (PEP 3131: the tokenizer normalizes
 * every non-ASCII identifier, so `ｏｓ.ｓｙｓｔｅｍ` *is* `os.system`), string constants decoded with
 * every escape CPython knows (py-ast leaves `\N{…}` undecoded and reads `"\777"` as U+00FF).
 * Returns the nodes whose text could not be decoded as CPython would (CPython refuses them, or we
 * cannot tell what they hold): the caller fails closed on them.
 */
export function normalizeTree(module: PyNode, src: PySource): PyNode[] {
  const problems: PyNode[] = [];
  const specs = new Set<PyNode>();
  const stack: PyNode[] = [module];
  while (stack.length) {
    const n = stack.pop()!;
    for (const k of IDENT_FIELDS) {
      const v = n[k];
      if (typeof v === 'string' && /[^\x00-\x7f]/.test(v)) n[k] = v.normalize('NFKC');
    }
    for (const k of IDENT_LIST_FIELDS) {
      const v = n[k];
      if (Array.isArray(v)) for (let i = 0; i < v.length; i++) if (typeof v[i] === 'string' && /[^\x00-\x7f]/.test(v[i])) v[i] = v[i].normalize('NFKC');
    }
    if (n.nodeType === 'FormattedValue' && n.format_spec) specs.add(n.format_spec);
    if (n.nodeType === 'Constant' && typeof n.value === 'string' && !specs.has(n)) {
      const seg = src.segment(n);
      if (seg.includes('\\')) {
        const d = decodeLiterals(src.text, src.start(n), src.end(n));
        if (d) n.value = d.text;
        else if (/\\N/.test(seg)) problems.push(n);
      }
    } else if (n.nodeType === 'JoinedStr' && !specs.has(n) && src.segment(n).includes('\\')) {
      if (!fixFString(n, src) && /\\N/.test(src.segment(n))) problems.push(n);
    }
    for (const k in n) {
      if (k === 'parent') continue;
      const v = n[k];
      if (n.nodeType === 'JoinedStr' && k === 'values') {
        // its Constant parts are fixed by fixFString; descend into the replacement fields only
        for (const x of v ?? []) if (x?.nodeType === 'FormattedValue') stack.push(x);
        continue;
      }
      if (Array.isArray(v)) {
        for (const x of v) if (x && typeof x === 'object' && typeof x.nodeType === 'string') stack.push(x);
      } else if (v && typeof v === 'object' && typeof v.nodeType === 'string') stack.push(v);
    }
  }
  return problems;
}

/**
 * An f-string's literal parts, decoded from the source: the text between its replacement fields
 * (FormattedValue spans), scanned as string tokens. False when the parts do not line up (then
 * py-ast's values are kept).
 */
function fixFString(j: PyNode, src: PySource): boolean {
  const values: PyNode[] = j.values ?? [];
  let state: TokState | null = null;
  let pos = src.start(j);
  const gaps: string[] = [];
  for (const v of values) {
    if (v.nodeType !== 'FormattedValue') continue;
    const o: ScanOut = { out: [], src: [] };
    const r = scanStrings(src.text, pos, src.start(v), state, o);
    if (!r || !r.state?.f) return false;
    gaps.push(o.out.join(''));
    state = r.state;
    pos = src.end(v);
  }
  const o: ScanOut = { out: [], src: [] };
  const r = scanStrings(src.text, pos, src.end(j), state, o);
  if (!r || r.state) return false;
  gaps.push(o.out.join(''));
  // Constant parts ↔ non-empty gaps, in order.
  let g = 0;
  let used = false;
  const assign: Array<[PyNode, string]> = [];
  for (const v of values) {
    if (v.nodeType === 'Constant') {
      if (used || g >= gaps.length || gaps[g] === '') return false;
      assign.push([v, gaps[g]]);
      used = true;
    } else if (v.nodeType === 'FormattedValue') {
      if (gaps[g] !== '' && !used) return false;
      g++;
      used = false;
    } else return false;
  }
  if (g !== gaps.length - 1 || (gaps[g] !== '' && !used)) return false;
  for (const [n, s] of assign) n.value = s;
  return true;
}

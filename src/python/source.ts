// Python source: parsing with py-ast (a CPython-shaped AST in pure JS; the file is never run),
// node positions (py-ast, like CPython, gives 1-based lines and UTF-8 *byte* columns) → UTF-16
// offsets in the file, and string literals decoded with a file offset for every character.
import { parse } from 'py-ast';
import type { LineMap } from '../position.js';

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

/** Decode the string literal tokens in text[start, end) (whitespace, comments, continuations between them). */
export function decodeLiterals(text: string, start: number, end: number): Str | null {
  const out: string[] = [];
  const src: number[] = [];
  const push = (s: string, at: number) => {
    for (let k = 0; k < s.length; k++) {
      out.push(s[k]);
      src.push(at);
    }
  };
  let i = start;
  while (i < end) {
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
    const pm = /^[rRbBuU]{0,2}/.exec(text.slice(i, i + 2))!;
    const prefix = pm[0].toLowerCase();
    i += pm[0].length;
    const q = text[i];
    if (q !== '"' && q !== "'") return null;
    const triple = text.startsWith(q.repeat(3), i);
    const quote = triple ? q.repeat(3) : q;
    i += quote.length;
    const raw = prefix.includes('r');
    const bytes = prefix.includes('b');
    for (;;) {
      if (i >= end) return null;
      if (text.startsWith(quote, i)) {
        i += quote.length;
        break;
      }
      const ch = text[i];
      if (ch === '\r' && text[i + 1] === '\n') {
        i++;
        continue;
      }
      if (ch !== '\\') {
        push(ch, i);
        i++;
        continue;
      }
      const at = i;
      const nx = text[i + 1];
      if (raw) {
        // Raw strings keep the backslash; it still protects the next character from ending the string.
        push('\\', at);
        if (nx !== undefined) {
          if (nx === '\r' && text[i + 2] === '\n') push('\n', i + 2), (i += 3);
          else push(nx, i + 1), (i += 2);
        } else i++;
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
        push(String.fromCodePoint(parseInt(m[0], 8)), at);
        i += 1 + m[0].length;
        continue;
      }
      const hexLen = nx === 'x' ? 2 : !bytes && nx === 'u' ? 4 : !bytes && nx === 'U' ? 8 : 0;
      if (hexLen) {
        const h = text.slice(i + 2, i + 2 + hexLen);
        if (!new RegExp(`^[0-9a-fA-F]{${hexLen}}$`).test(h)) return null;
        push(String.fromCodePoint(parseInt(h, 16)), at);
        i += 2 + hexLen;
        continue;
      }
      // Unknown escape (and \N{…}, which needs the Unicode name table): kept as written.
      push('\\', at);
      i++;
    }
  }
  return { text: out.join(''), src };
}

// Logical lines of a Python file, found with the tokenizer's rules for strings, comments,
// brackets and backslash continuations (CPython's Parser/tokenizer.c: a NEWLINE token ends a
// logical line only outside brackets and strings). History needs a handful of assignments out of
// files that are mostly `upgrade()` bodies; py-ast parses ~0.4 MB/s, so only those statements are
// parsed (the fides history: 3.5 s → well under 0.1 s). Written by hand: no library exposes
// CPython's logical-line split in JS, and py-ast's tokenizer is not exported.

export interface LogicalLine {
  /** Columns of leading whitespace of its first physical line (tabs to multiples of 8, like CPython). */
  indent: number;
  /** The statement text without its leading whitespace. */
  text: string;
}

/** null when the text ends inside a string or a bracket (the caller falls back to a full parse). */
export function logicalLines(src: string): LogicalLine[] | null {
  const out: LogicalLine[] = [];
  const n = src.length;
  let i = 0;
  while (i < n) {
    // Start of a physical line: measure indentation.
    let indent = 0;
    let j = i;
    for (; j < n; j++) {
      const c = src[j];
      if (c === ' ') indent++;
      else if (c === '\t') indent = indent - (indent % 8) + 8;
      else if (c === '\f') indent = 0;
      else break;
    }
    // Blank or comment-only line: no logical line.
    if (j >= n) break;
    if (src[j] === '\n' || src[j] === '\r' || src[j] === '#') {
      while (j < n && src[j] !== '\n') j++;
      i = j + 1;
      continue;
    }
    const start = j;
    let depth = 0;
    let end = -1;
    while (j < n) {
      const c = src[j];
      if (c === '#') {
        while (j < n && src[j] !== '\n') j++;
        continue;
      }
      if (c === '\\' && (src[j + 1] === '\n' || (src[j + 1] === '\r' && src[j + 2] === '\n'))) {
        j += src[j + 1] === '\r' ? 3 : 2;
        continue;
      }
      if (c === '"' || c === "'") {
        // String prefix letters are plain name characters before the quote: nothing to do.
        const triple = src.startsWith(c + c + c, j);
        const q = triple ? c + c + c : c;
        j += q.length;
        let closed = false;
        while (j < n) {
          if (src[j] === '\\') {
            j += 2;
            continue;
          }
          if (src.startsWith(q, j)) {
            j += q.length;
            closed = true;
            break;
          }
          if (!triple && src[j] === '\n') return null; // unterminated single-quoted string
          j++;
        }
        if (!closed) return null;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
      else if (c === '\n' && depth === 0) {
        end = j;
        break;
      }
      j++;
    }
    if (end < 0) {
      if (depth > 0) return null;
      end = n;
    }
    out.push({ indent, text: src.slice(start, end).replace(/\r$/, '') });
    i = end + 1;
  }
  return out;
}

const ASSIGN = /^([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)/;

/** `name = …` / `name: T = …` statements of the module (indent 0), by name; the last one wins, as at run time. */
export function moduleAssignments(lines: LogicalLine[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of lines) {
    if (l.indent !== 0) continue;
    const m = ASSIGN.exec(l.text);
    if (m) out.set(m[1], l.text);
  }
  return out;
}

/**
 * Assignments directly in the body of the module-level `class <name>`: statements at the body's
 * indentation. undefined when there is no such class; null when the body is on the class line.
 */
export function classAssignments(lines: LogicalLine[], name: string): Map<string, string> | null | undefined {
  const k = lines.findIndex((l) => l.indent === 0 && new RegExp(`^class\\s+${name}\\b`).test(l.text));
  if (k < 0) return undefined;
  if (!/:\s*(#.*)?$/.test(lines[k].text)) return null;
  const body = lines[k + 1];
  if (!body || body.indent === 0) return null;
  const out = new Map<string, string>();
  for (let i = k + 1; i < lines.length && lines[i].indent > 0; i++) {
    if (lines[i].indent !== body.indent) continue;
    const m = ASSIGN.exec(lines[i].text);
    if (m) out.set(m[1], lines[i].text);
  }
  return out;
}

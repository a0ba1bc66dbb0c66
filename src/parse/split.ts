// Statement splitter that keeps source offsets. Written by hand because no maintained library
// splits PostgreSQL *and* MySQL scripts (dollar quotes, nested comments, DELIMITER, psql
// meta-commands) while reporting where each statement starts; the parsers need that.
import type { Dialect } from '../types.js';

export interface Piece {
  /** Offsets into the text (UTF-16), `end` exclusive, without the terminating delimiter. */
  start: number;
  end: number;
  /** The statement text, with leading whitespace and comments skipped. */
  text: string;
  /** Set when the piece is a psql meta-command line (`\i file`, `\! cmd`, ...). */
  meta?: boolean;
  /** True when the piece ends inside an unterminated quote, comment or dollar quote. */
  unterminated?: string;
}

const isWs = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

/** Skip whitespace and comments from `i`; returns the first offset of real text. */
export function skipTrivia(text: string, i: number, end = text.length, dialect: Dialect = 'postgresql'): number {
  const mysqlish = dialect === 'mysql' || dialect === 'mariadb';
  while (i < end) {
    const c = text[i];
    if (isWs(c) || c === '\uFEFF') {
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl > end ? end : nl + 1;
    } else if (c === '#' && mysqlish) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl > end ? end : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      i = skipBlockComment(text, i, end, !mysqlish);
    } else break;
  }
  return Math.min(i, end);
}

function skipBlockComment(text: string, i: number, end: number, nested: boolean): number {
  let depth = 0;
  while (i < end) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
      if (!nested && depth > 1) depth = 1;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return end;
}

const DOLLAR_TAG = /\$([A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF]*)?\$/y;

/**
 * Split a script into statements. PostgreSQL: `'…'`, `E'…'`, `"…"`, `$tag$…$tag$`, nested
 * block comments, psql meta-commands at the start of a line. MySQL/MariaDB: backslash escapes,
 * backticks, `#` comments, `DELIMITER`.
 */
export function splitStatements(text: string, dialect: Dialect = 'postgresql'): Piece[] {
  const mysqlish = dialect === 'mysql' || dialect === 'mariadb';
  const pg = dialect === 'postgresql';
  const out: Piece[] = [];
  const n = text.length;
  let delimiter = ';';
  let stmtStart = 0;
  let i = 0;
  let atLineStart = true; // only whitespace since the last newline or statement end
  let unterminated: string | undefined;

  const push = (start: number, end: number, extra: Partial<Piece> = {}) => {
    const s = skipTrivia(text, start, end, dialect);
    let e = end;
    while (e > s && isWs(text[e - 1])) e--;
    if (e > s) out.push({ start: s, end: e, text: text.slice(s, e), ...extra });
  };

  while (i < n) {
    const c = text[i];
    // DELIMITER (MySQL client command), only at the start of a statement.
    if (mysqlish && atLineStart && (c === 'D' || c === 'd') && /^delimiter[ \t]/i.test(text.slice(i, i + 10))) {
      if (skipTrivia(text, stmtStart, i, dialect) === i) {
        const nl = text.indexOf('\n', i);
        const lineEnd = nl < 0 ? n : nl;
        const d = text.slice(i + 10, lineEnd).trim();
        if (d) delimiter = d;
        i = lineEnd;
        stmtStart = i;
        continue;
      }
    }
    // psql meta-command: a backslash as the first non-blank character of a line, between statements.
    if (pg && c === '\\' && atLineStart && skipTrivia(text, stmtStart, i, dialect) === i) {
      const nl = text.indexOf('\n', i);
      const lineEnd = nl < 0 ? n : nl;
      push(i, lineEnd, { meta: true });
      // `COPY … FROM stdin` data ends with `\.`; it is handled by the caller.
      i = lineEnd;
      stmtStart = i;
      continue;
    }
    if (c === '\n') {
      atLineStart = true;
      i++;
      continue;
    }
    if (!isWs(c)) atLineStart = false;

    if (delimiter !== ';' && text.startsWith(delimiter, i)) {
      push(stmtStart, i);
      i += delimiter.length;
      stmtStart = i;
      atLineStart = false;
      continue;
    }
    if (c === ';' && delimiter === ';') {
      push(stmtStart, i);
      i++;
      stmtStart = i;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c === '#' && mysqlish) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const j = skipBlockComment(text, i, n, !mysqlish);
      if (j >= n && !text.endsWith('*/')) unterminated = 'comment';
      i = j;
      continue;
    }
    if (c === "'" || c === '"' || (c === '`' && mysqlish)) {
      // E'…' (PostgreSQL) and every MySQL string take backslash escapes.
      const prev = text[i - 1];
      const backslash = mysqlish || (c === "'" && (prev === 'E' || prev === 'e') && !/[A-Za-z0-9_]/.test(text[i - 2] ?? ''));
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const d = text[j];
        if (backslash && d === '\\' && c !== '`') {
          j += 2;
          continue;
        }
        if (d === c) {
          if (text[j + 1] === c) {
            j += 2;
            continue;
          }
          closed = true;
          j++;
          break;
        }
        j++;
      }
      if (!closed) unterminated = c === '`' ? 'backtick' : c === '"' ? 'double quote' : 'quote';
      i = Math.min(j, n);
      continue;
    }
    if (c === '$' && pg) {
      DOLLAR_TAG.lastIndex = i;
      const m = DOLLAR_TAG.exec(text);
      // A dollar quote cannot follow an identifier character ($1 parameters, a$b identifiers).
      if (m && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
        const tag = m[0];
        const close = text.indexOf(tag, i + tag.length);
        if (close < 0) {
          unterminated = `dollar quote ${tag}`;
          i = n;
        } else i = close + tag.length;
        continue;
      }
    }
    i++;
  }
  push(stmtStart, n, unterminated ? { unterminated } : {});
  if (unterminated && out.length && !out[out.length - 1].unterminated) out[out.length - 1].unterminated = unterminated;
  return out;
}

/**
 * Lexical normal form of a statement for pattern rules: comments removed (replaced by a space),
 * zero-width and other invisible characters removed, whitespace folded, lower-cased.
 */
export function lexicalForm(text: string): string {
  let s = '';
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      s += ' ';
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      i = skipBlockComment(text, i, n, true);
      s += ' ';
      continue;
    }
    s += c;
    i++;
  }
  return s
    .normalize('NFKC')
    .replace(/[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u00AD\uFEFF\u0000-\u0008\u000E-\u001F]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

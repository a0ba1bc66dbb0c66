// Statement-level normalizations, tried only after a parser rejected a statement as written:
// dialect syntax the parser's grammar lacks is rewritten into an equivalent form the parser
// knows (same object names, same operation), so the statement is analyzed instead of being
// only a parse error. A statement that still fails keeps the original parser error.
import type { Dialect } from '../types.js';
import { codeView, regionAt } from './split.js';

/** Which set of rewrites applies: MySQL/MariaDB (node-sql-parser) or CockroachDB (libpg-query). */
export type Flavor = 'mysql' | 'cockroach';

interface Rewrite {
  /** Matched against the code view (comments blanked, string contents masked), flags `dgi`. */
  re: RegExp;
  /** Replacement of capture group 1 (its offsets come from the `d` flag). */
  by: (g: string) => string;
  why: string;
}

const spaces = (s: string) => s.replace(/[^\n]/g, ' ');

const REWRITES: Record<Flavor, Rewrite[]> = {
  mysql: [
    // BOOL is MySQL's synonym of BOOLEAN (TINYINT(1)); node-sql-parser only knows BOOLEAN.
    { re: /(?<![\w`$.])(bool)(?![\w`$(])/dgi, by: () => 'BOOLEAN', why: 'BOOL type' },
    // `VARCHAR(n) BINARY`: the BINARY attribute only selects the binary collation.
    { re: /(?:\b(?:var)?char\s*\(\s*\d+\s*\)|\b(?:tiny|medium|long)?text\b)\s+(binary)\b/dgi, by: spaces, why: 'BINARY attribute' },
    // `DROP CONSTRAINT \`name\``: the grammar only takes a bare name there.
    { re: /\bdrop\s+(?:constraint|check)\s+(`[A-Za-z_][A-Za-z0-9_$]*`)/dgi, by: (g) => ' ' + g.slice(1, -1) + ' ', why: 'quoted constraint name' },
  ],
  cockroach: [
    // `table@index` names an index of a table; `schema.index` is what PostgreSQL takes.
    { re: /(?<=[\w"])(@)(?=[\w"])/dg, by: () => '.', why: 'table@index' },
    // CockroachDB's GIN index spelling.
    { re: /\bcreate\s+(?:unique\s+)?(inverted)\s+index\b/dgi, by: spaces, why: 'INVERTED INDEX' },
    // STORING (cols) is CockroachDB's INCLUDE (cols).
    { re: /\)\s*(storing)\s*\(/dgi, by: () => 'INCLUDE', why: 'STORING' },
    // ADD CONSTRAINT IF NOT EXISTS (CockroachDB extension).
    { re: /\badd\s+constraint\s+(if\s+not\s+exists)\s/dgi, by: spaces, why: 'ADD CONSTRAINT IF NOT EXISTS' },
  ],
};

/**
 * The statement rewritten for `flavor`, or null when no rewrite applies. CockroachDB rewrites keep
 * the length (libpg-query node locations stay valid for the original text).
 */
export function normalizeForRetry(text: string, flavor: Flavor): string | null {
  const dialect: Dialect = flavor === 'mysql' ? 'mysql' : 'postgresql';
  const view = codeView(text, dialect);
  const edits: Array<[number, number, string]> = [];
  for (const rw of REWRITES[flavor]) {
    rw.re.lastIndex = 0;
    for (const m of view.matchAll(rw.re)) {
      const at = m.indices?.[1];
      if (!at) continue;
      edits.push([at[0], at[1], rw.by(text.slice(at[0], at[1]))]);
    }
  }
  if (!edits.length) return null;
  edits.sort((a, b) => b[0] - a[0]);
  let out = text;
  let floor = Infinity;
  for (const [s, e, r] of edits) {
    if (e > floor) continue; // overlapping edits: keep the later one only
    out = out.slice(0, s) + r + out.slice(e);
    floor = s;
  }
  return out === text ? null : out;
}

/**
 * MySQL/MariaDB executable comments `/*! … *\/`, `/*!50100 … *\/`, `/*M! … *\/`: the server runs
 * their content, so it is unwrapped (same length) and parsed like any other SQL instead of being
 * skipped as a comment.
 */
export function unwrapExecutableComments(text: string, dialect: Dialect): string {
  if (!text.includes('/*!') && !text.includes('/*M!')) return text;
  let out = text;
  for (let i = 0; i < text.length; ) {
    const r = regionAt(text, i, dialect);
    if (!r) {
      i++;
      continue;
    }
    if (r.type === 'comment' && !r.unterminated) {
      const m = /^\/\*M?!\d{0,6}/.exec(text.slice(r.start, r.start + 10));
      if (m) {
        out = out.slice(0, r.start) + ' '.repeat(m[0].length) + out.slice(r.start + m[0].length, r.end - 2) + '  ' + out.slice(r.end);
      }
    }
    i = Math.max(r.end, i + 1);
  }
  return out;
}

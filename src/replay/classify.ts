// Classifies a statement's text before the sandbox runs it: transaction control (skipped: each
// statement runs in its own transaction), psql meta-commands, and the two COPY forms PGlite cannot
// serve (FROM STDIN waits forever for client data; … PROGRAM makes PGlite lose protocol sync).
//
// Hand-written rather than libpg-query: the worker must start fast and small, and all it needs is
// the leading keywords and whether a word appears outside quotes. The words are PostgreSQL's lexical
// rules (scan.l): `--` and nested `/* */` comments, '…' / E'…' strings, "…" identifiers and
// $tag$…$tag$ bodies are skipped.

/** The statement's words outside comments, strings, quoted identifiers and dollar bodies, lower-cased. */
export function words(sql: string, max = Infinity): string[] {
  const out: string[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n && out.length < max) {
    const c = sql[i];
    if (c === '-' && sql[i + 1] === '-') {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') (depth++, (i += 2));
        else if (sql[i] === '*' && sql[i + 1] === '/') (depth--, (i += 2));
        else i++;
      }
    } else if (c === "'" || c === '"') {
      i++;
      while (i < n) {
        if (sql[i] === c) {
          if (sql[i + 1] === c) i += 2;
          else break;
        } else if (c === "'" && sql[i] === '\\') i += 2; // E'' strings; harmless over-skip otherwise
        else i++;
      }
      i++;
    } else if (c === '$') {
      const m = /^\$([A-Za-z_][A-Za-z_0-9]*)?\$/.exec(sql.slice(i, i + 64));
      if (m) {
        const e = sql.indexOf(m[0], i + m[0].length);
        i = e < 0 ? n : e + m[0].length;
      } else i++;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z_0-9$\u0080-\uffff]/.test(sql[j])) j++;
      out.push(sql.slice(i, j).toLowerCase());
      i = j;
    } else i++;
  }
  return out;
}

export type Classification = { run: true } | { run: false; skipped: string };

const TX = new Set(['begin', 'start', 'commit', 'end', 'rollback', 'abort', 'savepoint', 'release']);

export function classifyPg(sql: string): Classification {
  const trimmed = sql.replace(/^(\s|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/, '');
  if (trimmed.startsWith('\\')) return { run: false, skipped: 'psql meta-command (not SQL)' };
  const w = words(sql, 4);
  if (!w.length) return { run: false, skipped: 'empty statement' };
  if (TX.has(w[0]) || (w[0] === 'prepare' && w[1] === 'transaction') || ((w[0] === 'commit' || w[0] === 'rollback') && w[1] === 'prepared'))
    return { run: false, skipped: `transaction control (${w.slice(0, 2).join(' ').toUpperCase()}): each statement runs in its own transaction` };
  if (w[0] === 'copy') {
    const all = words(sql);
    if (all.includes('program'))
      return { run: false, skipped: 'sandbox policy: COPY … PROGRAM runs a program on the database server; not executed (the WASM engine cannot spawn programs)' };
    const from = all.indexOf('from');
    if (from > 0 && (all[from + 1] === 'stdin' || all[from + 1] === 'pstdin'))
      return { run: false, skipped: 'COPY … FROM STDIN: the rows come from the client (psql), not from the statement; data is not replayed' };
  }
  return { run: true };
}

const SQLITE_TX = new Set(['begin', 'commit', 'end', 'rollback', 'savepoint', 'release']);

export function classifySqlite(sql: string): Classification {
  const trimmed = sql.replace(/^(\s|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/, '');
  if (trimmed.startsWith('.')) return { run: false, skipped: 'sqlite3 shell dot-command (not SQL)' };
  const w = words(sql, 2);
  if (!w.length) return { run: false, skipped: 'empty statement' };
  if (SQLITE_TX.has(w[0])) return { run: false, skipped: `transaction control (${w[0].toUpperCase()}): each statement runs in its own transaction` };
  return { run: true };
}

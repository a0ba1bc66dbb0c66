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

/**
 * A MySQL/MariaDB statement's tokens as the server's lexer sees them (sql/sql_lex.cc): `-- ` (two
 * dashes then a space or control character) and `#` comments to the end of the line, `/* … *\/`
 * comments, but `/*!NNNNN … *\/` and MariaDB's `/*M!NNNNNN … *\/` are code the server runs, so
 * their content is read; '…' and "…" strings (backslash escapes, doubled quotes) are skipped;
 * `…` identifiers are kept (kind 'q'); words are lower-cased; punctuation is one token per character.
 */
export function mysqlTokens(sql: string): Array<{ k: 'w' | 'q' | 'p'; v: string }> {
  const out: Array<{ k: 'w' | 'q' | 'p'; v: string }> = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql[i];
    if ((c === '-' && sql[i + 1] === '-' && (i + 2 >= n || /[\s\x00-\x1f]/.test(sql[i + 2]))) || c === '#') {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const m = /^\/\*(M?!)([0-9]{5,6})?/.exec(sql.slice(i, i + 12));
      if (m && m[1]) i += m[0].length; // executable comment: read on; its closing `*/` is skipped below
      else {
        const e = sql.indexOf('*/', i + 2);
        i = e < 0 ? n : e + 2;
      }
    } else if (c === '*' && sql[i + 1] === '/') i += 2;
    else if (c === "'" || c === '"') {
      i++;
      while (i < n) {
        if (sql[i] === '\\') i += 2;
        else if (sql[i] === c) {
          if (sql[i + 1] === c) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (c === '`') {
      let j = i + 1;
      let v = '';
      while (j < n) {
        if (sql[j] === '`') {
          if (sql[j + 1] === '`') ((v += '`'), (j += 2));
          else break;
        } else v += sql[j++];
      }
      out.push({ k: 'q', v: v.toLowerCase() });
      i = j + 1;
    } else if (/[A-Za-z0-9_$\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j])) j++;
      out.push({ k: 'w', v: sql.slice(i, j).toLowerCase() });
      i = j;
    } else {
      if (!/\s/.test(c)) out.push({ k: 'p', v: c });
      i++;
    }
  }
  return out;
}

const MYSQL_TX = new Set(['begin', 'commit', 'rollback', 'savepoint', 'release', 'xa']);
/** Statements that act on the server, not on one database: never run on the user's server. */
const MYSQL_GLOBAL_FIRST = new Set([
  'grant', 'revoke', 'flush', 'kill', 'shutdown', 'install', 'uninstall', 'load', 'use', 'purge', 'reset', 'change', 'stop', 'backup',
  'binlog', 'cache', 'restart', 'clone', 'import',
]);
/** The statement's first two words (after CREATE's OR REPLACE): account, database, server-wide statements. */
const MYSQL_GLOBAL_START = new Set([
  'create user', 'drop user', 'alter user', 'rename user', 'create role', 'drop role', 'set password', 'set role', 'set default',
  'create database', 'create schema', 'drop database', 'drop schema', 'alter database', 'alter schema', 'create server', 'alter server',
  'drop server', 'create tablespace', 'alter tablespace', 'drop tablespace', 'create logfile', 'alter logfile', 'alter instance',
  'start slave', 'start replica', 'start group_replication', 'start all', 'set global', 'set persist', 'set persist_only',
]);
/** Anywhere in the statement (routine bodies included): file access. */
const MYSQL_FILE_PAIRS = new Set(['into outfile', 'into dumpfile', 'load data', 'load xml', 'data directory', 'index directory']);
/** Storage engines whose tables live in the database's own files (others reach files or other servers: CONNECT, FEDERATED, SPIDER…). */
const MYSQL_ENGINES = new Set(['innodb', 'myisam', 'aria', 'memory', 'heap', 'archive', 'blackhole', 'csv', 'mrg_myisam', 'merge', 'sequence']);
/** Databases every server has; `information_schema` is read-only and migrations read it for conditional DDL. */
const MYSQL_SYSTEM_DBS = ['mysql', 'performance_schema', 'sys'];

/**
 * May this statement run on the user's MySQL/MariaDB server, inside the throwaway database? The
 * first of two layers (the second: the sandbox account has privileges on that database only).
 * Refused here, and left to the static rules: statements on the server rather than one database
 * (accounts, grants, global variables, replication, plugins, other databases), file access
 * (INTO OUTFILE/DUMPFILE, LOAD DATA/XML, LOAD_FILE(), DATA/INDEX DIRECTORY), storage engines that
 * reach files or other servers, and names qualified with another database of that server
 * (`otherDbs`, lower-cased). Dynamic SQL (PREPARE/EXECUTE, routine bodies) cannot be read here: the
 * account's privileges contain it.
 */
export function classifyMysql(sql: string, otherDbs: ReadonlySet<string> = new Set()): Classification {
  const t = mysqlTokens(sql);
  const w = t.filter((x) => x.k === 'w').map((x) => x.v);
  if (!t.length) return { run: false, skipped: 'empty statement' };
  if (t[0].k === 'w' && t[0].v === 'delimiter') return { run: false, skipped: 'DELIMITER is a client (mysql) command, not SQL' };
  if (MYSQL_TX.has(w[0]) || (w[0] === 'start' && w[1] === 'transaction') || (w[0] === 'set' && w[1] === 'autocommit') || (w[0] === 'lock' && w[1] === 'tables') || w[0] === 'unlock')
    return { run: false, skipped: `transaction control (${w.slice(0, 2).join(' ').toUpperCase()}): each statement runs on its own` };
  const policy = (what: string): Classification => ({ run: false, skipped: `sandbox policy: ${what}; not run on the database server (judged by the static rules)` });
  if (t[0].k === 'w' && MYSQL_GLOBAL_FIRST.has(w[0])) return policy(`${w[0].toUpperCase()} acts on the server, not on one database`);
  const lead = w[0] === 'create' && w[1] === 'or' && w[2] === 'replace' ? ['create', w[3]] : w.slice(0, 2);
  if (t[0].k === 'w' && MYSQL_GLOBAL_START.has(lead.join(' '))) return policy(`${lead.join(' ').toUpperCase()} acts on the server, not on one database`);
  for (let i = 0; i < t.length; i++) {
    const a = t[i];
    const b = t[i + 1];
    if (a.k === 'w' && b?.k === 'w' && MYSQL_FILE_PAIRS.has(`${a.v} ${b.v}`)) return policy(`${a.v.toUpperCase()} ${b.v.toUpperCase()} reads or writes files on the server`);
    if (a.k === 'w' && (a.v === 'grant' || a.v === 'revoke' || a.v === 'load_file' || a.v === 'soname')) return policy(`${a.v.toUpperCase()} reaches beyond the throwaway database`);
    // @@global.x, @@persist.x
    if (a.v === '@' && b?.v === '@' && t[i + 2]?.k === 'w' && /^(global|persist|persist_only)$/.test(t[i + 2].v)) return policy(`@@${t[i + 2].v} sets a server variable`);
    if (a.k === 'w' && a.v === 'global' && t.slice(0, i).some((x) => x.k === 'w' && x.v === 'set')) return policy('SET GLOBAL sets a server variable');
    if (a.k === 'w' && a.v === 'engine') {
      const e = t[i + 1]?.v === '=' ? t[i + 2] : t[i + 1];
      if (e && e.k !== 'p' && !MYSQL_ENGINES.has(e.v)) return policy(`storage engine ${e.v.toUpperCase()} may reach files or other servers`);
    }
    // db.name: a name qualified with another database of the server (or a system one).
    if (a.k !== 'p' && b?.v === '.' && t[i + 2] && t[i + 2].k !== 'p' && (otherDbs.has(a.v) || MYSQL_SYSTEM_DBS.includes(a.v))) {
      if (t[i - 1]?.v === '.' || t[i - 1]?.v === '@') continue; // tbl.col after a database, or @@session.x
      return policy(`names database \`${a.v}\`, outside the throwaway database`);
    }
  }
  return { run: true };
}

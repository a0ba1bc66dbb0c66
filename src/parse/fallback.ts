// Statement-kind-specific recovery, tried last (after node-sql-parser, its normalizations and, for
// SQLite, the real SQLite engine): valid MySQL/MariaDB syntax that node-sql-parser 5.4.0 (the
// newest release) lacks. Written by hand because no maintained JavaScript MySQL grammar covers
// these statements; each recovery is narrow (an exact statement shape, read on the code view, so
// comments and string contents cannot fake it) and what it cannot read is still a parse error.
//
// A recovered statement is `parsed` with `recovered` set: the analyzer applies the rules' lexical
// patterns to it (src/analyze/index.ts), and the statements inside a routine or trigger body are
// split out and analyzed one by one (a CREATE PROCEDURE whose body drops a table gates).
import type { Dialect } from '../types.js';
import { codeView } from './split.js';

export interface Recovery {
  /** What was recognized, e.g. "SET NAMES" (shown in findings on the statement). */
  recovered: string;
  /** node-sql-parser AST of what remains once the clauses the grammar lacks are taken out. */
  ast?: any[];
  /** Offsets (in the statement text) of a BEGIN … END body whose statements are analyzed too. */
  body?: { start: number; end: number };
}

type Astify = (sql: string) => any[];

const ID = String.raw`(?:\x60(?:[^\x60]|\x60\x60)+\x60|"(?:[^"]|"")+"|[A-Za-z0-9_$\u0080-\uFFFF]+)`;
const QNAME = String.raw`${ID}(?:\s*\.\s*${ID})?`;
const USER = String.raw`(?:${ID}|'(?:[^']|'')*'|\x01*)(?:\s*@\s*(?:${ID}|'(?:[^']|'')*'))?`;
/** MySQL's `DEFINER = user` (also CURRENT_USER[()]). */
const DEFINER = String.raw`(?:definer\s*=\s*(?:current_user(?:\s*\(\s*\))?|${USER})\s+)?`;

function re(src: string, flags = 'i'): RegExp {
  return new RegExp(src, flags);
}

const SET_NAMES = re(String.raw`^set\s+(?:names|character\s+set|charset)\s+(?:${ID}|'\x01*'|default)(?:\s+collate\s+(?:${ID}|'\x01*'))?\s*$`);
const DROP_ROUTINE = re(String.raw`^drop\s+(procedure|function|event)\s+(?:if\s+exists\s+)?${QNAME}\s*$`);
const CALL = re(String.raw`^call\s+${QNAME}\s*(?:\([\s\S]*\))?\s*$`);
/** CREATE [DEFINER=…] PROCEDURE|FUNCTION|TRIGGER|EVENT [IF NOT EXISTS] name … (head only). */
const ROUTINE_HEAD = re(String.raw`^create\s+(?:or\s+replace\s+)?${DEFINER}(?:aggregate\s+)?(procedure|function|trigger|event)\s+(?:if\s+not\s+exists\s+)?(${QNAME})`);

/** ALTER TABLE clauses node-sql-parser does not know (MySQL 8.0 / MariaDB ALTER TABLE syntax). */
const ALTER_CLAUSES: Array<[RegExp, string]> = [
  [re(String.raw`^convert\s+to\s+(?:character\s+set|charset)\s+(?:${ID}|default)(?:\s+collate\s+${ID})?$`), 'CONVERT TO CHARACTER SET'],
  [re(String.raw`^alter\s+(?:column\s+)?${ID}\s+(?:set\s+default\s+(?:\([\s\S]*\)|'\x01*'|[^\s,()]+)|drop\s+default|set\s+(?:visible|invisible))$`), 'ALTER COLUMN … SET/DROP DEFAULT'],
  [re(String.raw`^rename\s+(?:index|key)\s+${ID}\s+to\s+${ID}$`), 'RENAME INDEX'],
  [re(String.raw`^alter\s+index\s+${ID}\s+(?:visible|invisible)$`), 'ALTER INDEX … VISIBLE'],
  [re(String.raw`^force$`), 'FORCE'],
];

/** Split `s` (a code view) at top-level commas: [start, end) pairs. */
function topLevelCommas(s: string, from: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let depth = 0;
  let at = from;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push([at, i]);
      at = i + 1;
    }
  }
  out.push([at, s.length]);
  return out;
}

/** Offsets of a routine's top-level BEGIN … END body in the code view, if it has one. */
function compoundBody(view: string, from: number): { start: number; end: number } | undefined {
  const b = /\bbegin\b/i.exec(view.slice(from));
  if (!b) return undefined;
  const start = from + b.index + b[0].length;
  const tail = /\bend\s*;?\s*$/i.exec(view);
  if (!tail || tail.index < start) return undefined;
  return { start, end: tail.index };
}

/**
 * The recovery of one MySQL/MariaDB statement (as split, without its delimiter), or null. `astify`
 * parses with node-sql-parser for the statement's dialect (throws on a syntax error).
 */
export function recoverMysql(sql: string, dialect: Dialect, astify: Astify): Recovery | null {
  const full = codeView(sql, dialect);
  const lead = full.length - full.trimStart().length;
  const view = full.trim();
  if (SET_NAMES.test(view)) return { recovered: 'SET NAMES / CHARACTER SET' };
  let m = DROP_ROUTINE.exec(view);
  if (m) return { recovered: `DROP ${m[1].toUpperCase()}` };
  if (CALL.test(view)) return { recovered: 'CALL' };
  m = ROUTINE_HEAD.exec(view);
  if (m) {
    const kind = m[1].toUpperCase();
    const body = compoundBody(view, m[0].length);
    if (body) return { recovered: `CREATE ${kind}`, body: { start: body.start + lead, end: body.end + lead } };
    // A routine whose body is one statement (`CREATE TRIGGER … FOR EACH ROW DELETE …`): the text after
    // FOR EACH ROW / the characteristic list is analyzed as that statement.
    const one = /\bfor\s+each\s+row\s+(?:(?:follows|precedes)\s+\S+\s+)?/i.exec(view) ?? /\bdo\s+/i.exec(view.slice(m[0].length));
    if (one) {
      const at = one.index + one[0].length + (one[0].toLowerCase().startsWith('do') ? m[0].length : 0);
      return { recovered: `CREATE ${kind}`, body: { start: at + lead, end: view.length + lead } };
    }
    return null;
  }
  const alter = re(String.raw`^alter\s+(?:online\s+|ignore\s+)*table\s+(?:if\s+exists\s+)?${QNAME}\s+`).exec(view);
  if (alter) {
    const clauses = topLevelCommas(view, alter[0].length);
    const keep: Array<[number, number]> = [];
    const dropped: string[] = [];
    for (const [s, e] of clauses) {
      const c = view.slice(s, e).trim();
      const hit = ALTER_CLAUSES.find(([r]) => r.test(c));
      if (hit) dropped.push(hit[1]);
      else keep.push([s, e]);
    }
    if (!dropped.length) return null;
    const why = `ALTER TABLE (${[...new Set(dropped)].join(', ')})`;
    if (!keep.length) return { recovered: why };
    const rest = sql.slice(0, alter[0].length + lead) + keep.map(([s, e]) => sql.slice(s + lead, e + lead)).join(',');
    try {
      return { recovered: why, ast: astify(rest) };
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Rewrites into an equivalent form node-sql-parser knows, per dialect (tried before recovery):
 * `GRANT ALL PRIVILEGES` is `GRANT ALL` (MySQL reference, GRANT: "ALL [PRIVILEGES]"); MariaDB's
 * `CREATE INDEX IF NOT EXISTS` (MySQL has no such clause: its statements stay parse errors).
 */
export function rewriteMysql(sql: string, dialect: Dialect): string | null {
  const view = codeView(sql, dialect);
  let out = sql;
  const edit = (r: RegExp, by: string) => {
    const m = r.exec(view);
    if (m && m.indices?.[1]) {
      const [s, e] = m.indices[1];
      out = out.slice(0, s) + by.padEnd(e - s) + out.slice(e);
    }
  };
  edit(/^\s*grant\s+all\s+(privileges)\b/di, '');
  if (dialect === 'mariadb') {
    edit(/^\s*create\s+(?:or\s+replace\s+)?(?:unique\s+|fulltext\s+|spatial\s+)?index\s+(if\s+not\s+exists)\s/di, '');
  }
  out = parenthesizeCaseResults(out, codeView(out, dialect));
  return out === sql ? null : out;
}

/**
 * `CASE WHEN c THEN a = 1 AND NOT b ELSE FALSE END`: MySQL takes any expression as a THEN/ELSE
 * result; node-sql-parser 5.4.0's grammar takes no AND/OR there ("Expected … but "A" found", the
 * memos migration 0.31/01__migrate_storage_setting.sql). Each result of a CASE expression is put
 * in parentheses, which does not change its value: a blank (space or tab, never a newline, so no
 * line moves) after THEN/ELSE becomes `(` and one before the next WHEN/ELSE/END becomes `)`;
 * a result without such blanks on both sides is left as written.
 */
export function parenthesizeCaseResults(sql: string, view: string): string {
  const frames: Array<{ depth: number; open: number }> = [];
  const edits: Array<[number, string]> = [];
  let depth = 0;
  const word = /[A-Za-z_][A-Za-z0-9_$]*/y;
  for (let i = 0; i < view.length; ) {
    const c = view[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (!/[A-Za-z_]/.test(c) || /[A-Za-z0-9_$@]/.test(view[i - 1] ?? '')) {
      i++;
      continue;
    }
    word.lastIndex = i;
    const w = word.exec(view)![0];
    const kw = w.toUpperCase();
    const top = frames[frames.length - 1];
    if (kw === 'CASE') frames.push({ depth, open: -1 });
    else if (top && top.depth === depth && (kw === 'WHEN' || kw === 'ELSE' || kw === 'END' || kw === 'THEN')) {
      if (top.open >= 0 && kw !== 'THEN') {
        // The blank before this keyword closes the result opened after THEN/ELSE.
        let k = i - 1;
        while (k > top.open && /\s/.test(view[k])) k--;
        let j = k + 1;
        while (j < i && view[j] !== ' ' && view[j] !== '\t') j++;
        if (j < i && k > top.open) edits.push([top.open, '('], [j, ')']);
        top.open = -1;
      }
      if (kw === 'THEN' || kw === 'ELSE') {
        // The last blank of the run after the keyword opens the result.
        let j = i + w.length;
        let at = -1;
        while (j < view.length && /\s/.test(view[j])) {
          if (view[j] === ' ' || view[j] === '\t') at = j;
          j++;
        }
        top.open = at;
      }
      if (kw === 'END') frames.pop();
    }
    i += w.length;
  }
  if (!edits.length) return sql;
  const chars = sql.split('');
  for (const [at, ch] of edits) chars[at] = ch;
  return chars.join('');
}

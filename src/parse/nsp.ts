// Every dialect but PostgreSQL: node-sql-parser, statement by statement after our splitter
// (node-sql-parser has no statement locations; the splitter keeps them). A statement the grammar
// rejects is retried once after a dialect normalization (MySQL) and, for SQLite, with libpg-query:
// SQLite's DDL is close to PostgreSQL's and node-sql-parser's SQLite grammar lacks much of it
// (`DROP INDEX name`, `bool` columns, …). What still fails is a parse error.
import { parseSync } from './guard.js';
import type { Dialect, PgNode, SqlUnit, Statement } from '../types.js';
import { normalizeForRetry, unwrapExecutableComments } from './normalize.js';
import { codeView, lexicalForm, splitStatements } from './split.js';
import { recoverMysql, rewriteMysql, type Recovery } from './fallback.js';
import { loadSqliteEngine, sqliteCompiles } from './sqlite-check.js';


/** node-sql-parser's `database` option for a dialect. */
const DATABASE: Partial<Record<Dialect, string>> = {
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
  bigquery: 'bigquery',
  db2: 'db2',
  hive: 'hive',
  redshift: 'redshift',
  snowflake: 'snowflake',
  transactsql: 'transactsql',
  trino: 'trino',
  flinksql: 'flinksql',
  athena: 'athena',
  noql: 'noql',
};

type ParserLike = { astify(sql: string, opt: { database: string }): unknown };
const parsers = new Map<string, ParserLike>();

/**
 * Load the grammar of one database (each per-dialect build is ~0.3 MB; the full one 2.5 MB).
 * Dynamic imports with literal specifiers: the bundler includes each grammar as a chunk beside
 * the bundle and loads it only when a file of that dialect is seen.
 */
export async function loadNsp(dialect: Dialect): Promise<void> {
  const db = DATABASE[dialect] ?? 'mysql';
  if (dialect === 'sqlite') await loadSqliteEngine();
  if (parsers.has(db)) return;
  let mod: any;
  switch (db) {
    case 'mariadb':
      mod = await import('node-sql-parser/build/mariadb.js');
      break;
    case 'sqlite':
      mod = await import('node-sql-parser/build/sqlite.js');
      break;
    case 'bigquery':
      mod = await import('node-sql-parser/build/bigquery.js');
      break;
    case 'db2':
      mod = await import('node-sql-parser/build/db2.js');
      break;
    case 'hive':
      mod = await import('node-sql-parser/build/hive.js');
      break;
    case 'redshift':
      mod = await import('node-sql-parser/build/redshift.js');
      break;
    case 'snowflake':
      mod = await import('node-sql-parser/build/snowflake.js');
      break;
    case 'transactsql':
      mod = await import('node-sql-parser/build/transactsql.js');
      break;
    case 'trino':
      mod = await import('node-sql-parser/build/trino.js');
      break;
    case 'flinksql':
      mod = await import('node-sql-parser/build/flinksql.js');
      break;
    case 'athena':
      mod = await import('node-sql-parser/build/athena.js');
      break;
    case 'noql':
      mod = await import('node-sql-parser/build/noql.js');
      break;
    default:
      mod = await import('node-sql-parser/build/mysql.js');
  }
  const Parser = mod.Parser ?? mod.default?.Parser;
  parsers.set(db, new Parser() as ParserLike);
}

function parserFor(db: string): ParserLike {
  const p = parsers.get(db);
  if (!p) throw new Error(`internal: the ${db} grammar was not loaded (call loadNsp first)`);
  return p;
}

function errorMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.length > 300 ? m.slice(0, 300) + '…' : m;
}

export function parseNspUnit(unit: SqlUnit): Statement[] {
  const db = DATABASE[unit.dialect] ?? 'mysql';
  const mysqlish = unit.dialect === 'mysql' || unit.dialect === 'mariadb';
  // Executable comments run on the server: parse their content (same length, offsets kept).
  const text = mysqlish ? unwrapExecutableComments(unit.text, unit.dialect) : unit.text;
  const out: Statement[] = [];
  for (const piece of splitStatements(text, unit.dialect)) {
    const base: Statement = {
      unit,
      text: piece.text,
      start: piece.start,
      end: piece.end,
      dialect: unit.dialect,
      parsed: true,
      lexical: lexicalForm(piece.text),
    };
    if (piece.unterminated) {
      out.push({ ...base, parsed: false, parseError: `unterminated ${piece.unterminated}` });
      continue;
    }
    if (piece.ambiguous) {
      out.push({ ...base, parsed: false, parseError: piece.ambiguous });
      continue;
    }
    const parsed = parsePiece(piece.text, db, unit.dialect);
    if ('error' in parsed) {
      const st: Statement = { ...base, parsed: false, parseError: parsed.error };
      out.push(st);
      const body = expandCompound(base, out, db, false);
      if (body.analyzed > 0 && body.unparsed === 0) st.bodyParsed = true;
      continue;
    }
    if ('pg' in parsed) {
      for (const node of parsed.pg) out.push({ ...base, pg: node, pgText: piece.text, pgOffset: piece.start });
      continue;
    }
    if ('recovered' in parsed) {
      // A routine's body is read statement by statement with its control flow set aside
      // (expandCompound); other recovered statements as fallback.ts read them.
      const before = out.length;
      if (parsed.body) {
        const head = { lexical: lexicalForm(base.text.slice(0, parsed.body.start)) };
        if (parsed.ast?.length) for (const a of parsed.ast) out.push({ ...base, ...head, ast: a, recovered: parsed.recovered });
        else out.push({ ...base, ...head, recovered: parsed.recovered });
        const body = expandCompound(base, out, db, 'recovered');
        if (body.analyzed + body.unparsed > 0) continue;
        out.length = before;
      }
      pushRecovered(out, base, parsed, db, unit.dialect);
      continue;
    }
    for (const a of parsed.ast) out.push({ ...base, ast: a });
    expandCompound(base, out, db, true);
  }
  return out;
}

// ---- Bodies of triggers, procedures, functions and events (MySQL, MariaDB, SQLite, …) ----
// Their statements run later, on every row event or call: like PL/pgSQL bodies (src/parse/pg.ts)
// they are parsed and analyzed as nested statements. node-sql-parser parses SQLite trigger bodies
// but keeps them inside the CREATE TRIGGER node, and rejects MySQL compound bodies (BEGIN … END
// with IF/WHILE/DECLARE): both are read here from the text, statement by statement, with the
// control-flow words before a statement set aside the way the server's grammar reads them
// (MySQL 8.4 reference, "Compound Statement Syntax"; SQLite "CREATE TRIGGER": a BEGIN … END list of
// UPDATE/INSERT/DELETE/SELECT statements).

/** An identifier as written (`quoted`, "quoted", [bracketed] or bare), optionally schema-qualified. */
const ID = String.raw`(?:\x60[^\x60]+\x60|"[^"]+"|\[[^\]]+\]|[\w$]+)`;
export const QUALIFIED_NAME = String.raw`${ID}(?:\s*\.\s*${ID})?`;
/**
 * The head of CREATE TRIGGER/PROCEDURE/FUNCTION/EVENT: its kind (1) and name as written (2).
 * `OR ALTER`: SQL Server's CREATE [OR ALTER] {PROCEDURE | FUNCTION | TRIGGER} (T-SQL reference).
 */
const ROUTINE_HEAD = new RegExp(
  String.raw`^create\s+(?:or\s+(?:replace|alter)\s+)?(?:definer\s*=\s*(?:'[^']*'|\x60[^\x60]*\x60|"[^"]*"|[^\s@]+)(?:@(?:'[^']*'|\x60[^\x60]*\x60|"[^"]*"|[^\s]+))?\s+)?(?:temp(?:orary)?\s+)?(?:aggregate\s+)?(trigger|procedure|function|event)\s+(?:if\s+not\s+exists\s+)?(${QUALIFIED_NAME})`,
  'i',
);

/** A CREATE TRIGGER/PROCEDURE/FUNCTION/EVENT statement's kind, its name as written and where its head ends. */
export function routineHead(text: string): { kind: 'trigger' | 'procedure' | 'function' | 'event'; name: string; end: number } | undefined {
  const m = ROUTINE_HEAD.exec(text);
  return m ? { kind: m[1].toLowerCase() as 'trigger' | 'procedure' | 'function' | 'event', name: m[2], end: m[0].length } : undefined;
}

/** The table (as written) a CREATE TRIGGER watches: the name after the first ON past its head. */
export function triggerTable(text: string): string | undefined {
  const head = routineHead(text);
  if (head?.kind !== 'trigger') return undefined;
  return new RegExp(String.raw`^[\s\S]*?\bon\s+(${QUALIFIED_NAME})`, 'i').exec(text.slice(head.end))?.[1];
}

/** Control-flow prefixes of a compound statement (label, IF … THEN, ELSE, WHILE … DO, LOOP, REPEAT, BEGIN, CASE … WHEN … THEN). */
const CONTROL_PREFIX =
  /^(?:[A-Za-z_][\w$]*\s*:\s*)?(?:declare\s+(?:continue|exit|undo)\s+handler\s+for\s+(?:sqlexception|sqlwarning|not\s+found|sqlstate\s+(?:value\s+)?'[^']*'|\d+|[A-Za-z_][\w$]*)(?:\s*,\s*(?:sqlexception|sqlwarning|not\s+found|sqlstate\s+(?:value\s+)?'[^']*'|\d+|[A-Za-z_][\w$]*))*|begin(?:\s+not\s+atomic)?|if\b[\s\S]*?\bthen|elseif\b[\s\S]*?\bthen|else|while\b[\s\S]*?\bdo|loop|repeat|case\b[\s\S]*?\bwhen\b[\s\S]*?\bthen|when\b[\s\S]*?\bthen)\s+/i;
/** Pieces that are only control flow or declarations: nothing to analyze. */
const CONTROL_ONLY = /^(?:end(?:\s+(?:if|while|loop|repeat|case))?(?:\s+[\w$]+)?|until\b[\s\S]*?end\s+repeat(?:\s+[\w$]+)?|declare\b(?![\s\S]*\bhandler\b)[\s\S]*|leave\s+[\w$]+|iterate\s+[\w$]+|return\b[\s\S]*|signal\b[\s\S]*|resignal\b[\s\S]*|open\s+[\w$]+|close\s+[\w$]+|fetch\b[\s\S]*|set\s+(?:new|old)\s*\.[\s\S]*|set\s+@?[\w$]+\s*=[\s\S]*)$/i;

/** Offset in `text` of the body: after `FOR EACH ROW [WHEN …]` / the parameter list / `DO`, at BEGIN or the single statement. */
function bodyStart(text: string, kind: string): number {
  const t = text;
  if (kind === 'trigger') {
    // SQLite: … ON t [FOR EACH ROW] [WHEN expr] BEGIN …; MySQL: … FOR EACH ROW [FOLLOWS|PRECEDES t] stmt.
    const m = /\bfor\s+each\s+row\b(?:\s+(?:follows|precedes)\s+[\w$`".]+)?/i.exec(t);
    const b = /\bbegin\b/i.exec(t);
    if (b && (!m || b.index > m.index)) return b.index;
    return m ? m.index + m[0].length : -1;
  }
  if (kind === 'event') {
    const m = /\bdo\b/i.exec(t);
    return m ? m.index + m[0].length : -1;
  }
  // procedure/function: the first BEGIN, or (a single-statement routine) nothing we can place.
  const b = /\bbegin\b/i.exec(t);
  return b ? b.index : -1;
}

/**
 * `parentParsed`: true when the parent parsed (a body piece we cannot read alone is a parse error),
 * false when it did not (already a parse error: pieces only get the lexical patterns), 'recovered'
 * when it is valid but read by its text (src/parse/fallback.ts): an unreadable piece is read by its
 * text too, so a DROP or DELETE in it still reaches the rules.
 */
function expandCompound(parent: Statement, out: Statement[], db: string, parentParsed: boolean | 'recovered'): { analyzed: number; unparsed: number } {
  const n = { analyzed: 0, unparsed: 0 };
  const head = routineHead(parent.text);
  if (!head) return n;
  const kind = head.kind;
  const name = head.name.replace(/[`"[\]]/g, '');
  const at = bodyStart(parent.text, kind);
  if (at < 0) return n;
  let bodyText = parent.text.slice(at);
  // Strip the outer BEGIN … END; inner ones are handled piece by piece.
  const outer = /^begin\b/i.exec(bodyText);
  if (outer) {
    bodyText = ' '.repeat(outer[0].length) + bodyText.slice(outer[0].length).replace(/\bend\s*$/i, (m) => ' '.repeat(m.length));
  }
  const nested = { kind: kind === 'function' ? ('function' as const) : kind, name };
  for (const p of splitStatements(bodyText, parent.dialect)) {
    let text = p.text;
    let skip = 0;
    for (let guard = 0; guard < 8; guard++) {
      const m = CONTROL_PREFIX.exec(text);
      if (!m) break;
      skip += m[0].length;
      text = text.slice(m[0].length);
    }
    text = text.trim();
    if (!text || CONTROL_ONLY.test(text)) continue;
    const start = parent.start + at + p.start + skip;
    const st: Statement = { unit: parent.unit, text, start, end: start + text.length, dialect: parent.dialect, parsed: true, lexical: lexicalForm(text), nested };
    const r = parsePiece(text, db, parent.dialect);
    if ('error' in r) {
      n.unparsed++;
      if (parentParsed === 'recovered') {
        out.push({ ...st, recovered: 'a statement with control flow in a routine body' });
        continue;
      }
      if (!parentParsed) continue;
      // The parent parsed (SQLite): a body statement it accepted but we cannot read alone is reported.
      // The parent did not parse (MySQL compound body): it is already a parse error; the lexical
      // patterns still run on this piece.
      out.push({ ...st, parsed: false, parseError: r.error });
      continue;
    }
    n.analyzed++;
    if ('pg' in r) {
      for (const node of r.pg) out.push({ ...st, pg: node, pgText: text, pgOffset: start });
      continue;
    }
    if ('recovered' in r) {
      // Valid, read by its text (src/parse/fallback.ts): the rules' text patterns run on it.
      if (r.ast?.length) for (const a of r.ast) out.push({ ...st, ast: a, recovered: r.recovered });
      else out.push({ ...st, recovered: r.recovered });
      continue;
    }
    for (const a of r.ast) out.push({ ...st, ast: a });
  }
  return n;
}


/**
 * A recovered statement (see fallback.ts), with its AST when part of it parsed, then the
 * statements of its BEGIN … END body, each parsed (or recovered by its text) and placed at its
 * own offsets in the unit.
 */
function pushRecovered(out: Statement[], base: Statement, r: Recovery, db: string, dialect: Dialect): void {
  // The head of a routine is read without its body: the body's statements are analyzed one by one.
  const head = r.body ? { lexical: lexicalForm(base.text.slice(0, r.body.start)) } : {};
  if (r.ast?.length) for (const a of r.ast) out.push({ ...base, ...head, ast: a, recovered: r.recovered });
  else out.push({ ...base, ...head, recovered: r.recovered });
  if (!r.body) return;
  const name = /^create\b[\s\S]*?\b(?:procedure|function|trigger|event)\s+(?:if\s+not\s+exists\s+)?(\S+)/i.exec(base.text)?.[1];
  const nested = { kind: 'function' as const, ...(name ? { name } : {}) };
  const bodyText = base.text.slice(r.body.start, r.body.end);
  const at0 = base.start + r.body.start;
  for (const piece of splitStatements(bodyText, dialect)) {
    const st: Statement = {
      unit: base.unit,
      text: piece.text,
      start: at0 + piece.start,
      end: at0 + piece.end,
      dialect,
      parsed: true,
      lexical: lexicalForm(piece.text),
      nested,
    };
    if (piece.unterminated) {
      out.push({ ...st, parsed: false, parseError: `unterminated ${piece.unterminated}` });
      continue;
    }
    let asts: any[] | null = null;
    try {
      asts = astify(piece.text, db);
    } catch {
      asts = null;
    }
    // Control flow (IF … THEN, DECLARE … HANDLER, loops) is not in the grammar: such a piece is
    // read by its text, so a DROP or DELETE in it still reaches the rules.
    if (asts) for (const a of asts) out.push({ ...st, ast: a });
    else out.push({ ...st, recovered: 'a statement with control flow in a routine body' });
  }
}

type PieceResult = { ast: any[] } | { pg: PgNode[] } | Recovery | { error: string };

function astify(sql: string, db: string): any[] {
  const ast = parserFor(db).astify(sql, { database: db });
  return Array.isArray(ast) ? ast : [ast];
}

/** node-sql-parser, then the retries; the first parser's error is the one reported. */
function parsePiece(sql: string, db: string, dialect: Dialect): PieceResult {
  let first: unknown;
  try {
    return { ast: astify(sql, db) };
  } catch (e) {
    first = e;
  }
  if (dialect === 'mysql' || dialect === 'mariadb') {
    for (const alt of [normalizeForRetry(sql, 'mysql'), rewriteMysql(sql, dialect)]) {
      if (alt === null) continue;
      try {
        return { ast: astify(alt, db) };
      } catch {
        // keep the first error
      }
    }
    const r = recoverMysql(sql, dialect, (s) => astify(s, db));
    if (r) return r;
  }
  if (dialect === 'sqlite') {
    try {
      const tree = parseSync(sql) as { stmts?: Array<{ stmt: PgNode }> };
      const nodes = (tree.stmts ?? []).map((s) => s.stmt);
      if (nodes.length) return { pg: nodes };
    } catch {
      // keep the first error
    }
    // The real SQLite grammar (sqlite-check.ts): valid SQLite that neither grammar above knows.
    const v = sqliteCompiles(sql);
    if (v.ok && v.statements === 1) {
      const head = /^\s*create\s+(?:temp(?:orary)?\s+)?trigger\b/i.test(sql) ? compoundBodyOf(sql) : undefined;
      return { recovered: 'accepted by the SQLite engine', ...(head ? { body: head } : {}) };
    }
  }
  return { error: errorMessage(first) };
}

/** A SQLite trigger's BEGIN … END body (offsets in `sql`). */
function compoundBodyOf(sql: string): { start: number; end: number } | undefined {
  const view = codeView(sql, 'sqlite');
  const b = /\bbegin\b/i.exec(view);
  const e = /\bend\s*;?\s*$/i.exec(view);
  if (!b || !e || e.index < b.index + 5) return undefined;
  return { start: b.index + 5, end: e.index };
}

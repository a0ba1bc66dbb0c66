// Every dialect but PostgreSQL: node-sql-parser, statement by statement after our splitter
// (node-sql-parser has no statement locations; the splitter keeps them). A statement the grammar
// rejects is retried once after a dialect normalization (MySQL) and, for SQLite, with libpg-query:
// SQLite's DDL is close to PostgreSQL's and node-sql-parser's SQLite grammar lacks much of it
// (`DROP INDEX name`, `bool` columns, …). What still fails is a parse error.
import { parseSync } from './guard.js';
import type { Dialect, PgNode, SqlUnit, Statement } from '../types.js';
import { normalizeForRetry, unwrapExecutableComments } from './normalize.js';
import { lexicalForm, splitStatements } from './split.js';


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
    const parsed = parsePiece(piece.text, db, unit.dialect);
    if ('error' in parsed) {
      out.push({ ...base, parsed: false, parseError: parsed.error });
      continue;
    }
    if ('pg' in parsed) {
      for (const node of parsed.pg) out.push({ ...base, pg: node, pgText: piece.text, pgOffset: piece.start });
      continue;
    }
    for (const a of parsed.ast) out.push({ ...base, ast: a });
  }
  return out;
}

type PieceResult = { ast: any[] } | { pg: PgNode[] } | { error: string };

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
    const alt = normalizeForRetry(sql, 'mysql');
    if (alt !== null) {
      try {
        return { ast: astify(alt, db) };
      } catch {
        // keep the first error
      }
    }
  }
  if (dialect === 'sqlite') {
    try {
      const tree = parseSync(sql) as { stmts?: Array<{ stmt: PgNode }> };
      const nodes = (tree.stmts ?? []).map((s) => s.stmt);
      if (nodes.length) return { pg: nodes };
    } catch {
      // keep the first error
    }
  }
  return { error: errorMessage(first) };
}

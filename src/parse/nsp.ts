// Every dialect but PostgreSQL: node-sql-parser, statement by statement after our splitter
// (node-sql-parser has no statement locations; the splitter keeps them).
import { createRequire } from 'node:module';
import type { Dialect, SqlUnit, Statement } from '../types.js';
import { lexicalForm, splitStatements } from './split.js';

const require = createRequire(import.meta.url);

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

/** Load only the grammar needed (each per-dialect build is ~0.3 MB; the full one 2.5 MB). */
function parserFor(db: string): ParserLike {
  let p = parsers.get(db);
  if (!p) {
    // Static requires so the bundler sees and includes each grammar.
    const loaders: Record<string, () => any> = {
      mysql: () => require('node-sql-parser/build/mysql'),
      mariadb: () => require('node-sql-parser/build/mariadb'),
      sqlite: () => require('node-sql-parser/build/sqlite'),
      bigquery: () => require('node-sql-parser/build/bigquery'),
      db2: () => require('node-sql-parser/build/db2'),
      hive: () => require('node-sql-parser/build/hive'),
      redshift: () => require('node-sql-parser/build/redshift'),
      snowflake: () => require('node-sql-parser/build/snowflake'),
      transactsql: () => require('node-sql-parser/build/transactsql'),
      trino: () => require('node-sql-parser/build/trino'),
      flinksql: () => require('node-sql-parser/build/flinksql'),
      athena: () => require('node-sql-parser/build/athena'),
      noql: () => require('node-sql-parser/build/noql'),
    };
    const mod = loaders[db]();
    p = new mod.Parser() as ParserLike;
    parsers.set(db, p);
  }
  return p;
}

function errorMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.length > 300 ? m.slice(0, 300) + '…' : m;
}

export function parseNspUnit(unit: SqlUnit): Statement[] {
  const db = DATABASE[unit.dialect] ?? 'mysql';
  const out: Statement[] = [];
  for (const piece of splitStatements(unit.text, unit.dialect)) {
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
    try {
      const ast = parserFor(db).astify(piece.text, { database: db });
      const list = Array.isArray(ast) ? ast : [ast];
      if (!list.length) continue;
      for (const a of list) out.push({ ...base, ast: a });
    } catch (e) {
      out.push({ ...base, parsed: false, parseError: errorMessage(e) });
    }
  }
  return out;
}

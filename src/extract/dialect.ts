// Dialect hints from the path: ory/pop `*.mysql.up.sql`, `migrations/mysql/`, and Prisma's
// migration_lock.toml provider (read by the caller and passed as SourceFile.dialectHint).
import type { Dialect } from '../types.js';

const WORDS: Array<[RegExp, Dialect]> = [
  [/^(postgres|postgresql|pg|pgsql|cockroach|cockroachdb|crdb|redshift)$/, 'postgresql'],
  [/^(mysql|mysql8|mysql5)$/, 'mysql'],
  [/^mariadb$/, 'mariadb'],
  [/^(sqlite|sqlite3)$/, 'sqlite'],
  [/^(mssql|sqlserver|tsql|transactsql)$/, 'transactsql'],
  [/^bigquery$/, 'bigquery'],
  [/^snowflake$/, 'snowflake'],
];

/**
 * Database engines whose SQL no parser here reads (not PostgreSQL- or MySQL-compatible): a file
 * whose path names one is reported as not verifiable, never parsed as another dialect.
 */
const UNSUPPORTED: Array<[RegExp, string]> = [
  [/^clickhouse$/, 'ClickHouse'],
  [/^h2$/, 'H2'],
  [/^(hsql|hsqldb)$/, 'HSQLDB'],
  [/^derby$/, 'Apache Derby'],
  [/^(oracle|oracledb|ora)$/, 'Oracle'],
  [/^duckdb$/, 'DuckDB'],
  [/^(cassandra|cql|scylla|scylladb)$/, 'Cassandra CQL'],
  [/^spanner$/, 'Cloud Spanner'],
  [/^firebird$/, 'Firebird'],
  [/^(informix|sybase|teradata|vertica|exasol|hana|saphana)$/, 'a database'],
];

/** `jdbc-mysql` (Kestra), `mysql-8`: the engine word of a directory name. */
function words(w: string): string[] {
  const lw = w.toLowerCase();
  return [lw, lw.replace(/^jdbc[-_]/, '').replace(/[-_]?\d+$/, '')];
}

/** Each path component is looked up for every file under it, at every lift (src/cli/lift.ts): kept. */
const wordMemo = new Map<string, Dialect | { unsupported: string } | null>();

function word(w: string): Dialect | { unsupported: string } | null {
  let d = wordMemo.get(w);
  if (d === undefined) {
    if (wordMemo.size >= 10_000) wordMemo.clear(); // names come from the PR: bounded
    wordMemo.set(w, (d = wordOf(w)));
  }
  return d && typeof d === 'object' ? { ...d } : d;
}

function wordOf(w: string): Dialect | { unsupported: string } | null {
  for (const lw of words(w)) {
    for (const [re, d] of WORDS) if (re.test(lw)) return d;
    for (const [re, name] of UNSUPPORTED) if (re.test(lw)) return { unsupported: name === 'a database' ? lw : name };
  }
  return null;
}

function nearest(path: string): Dialect | { unsupported: string } | null {
  const parts = path.replace(/\\/g, '/').split('/');
  const name = parts.pop() ?? '';
  for (const w of name.split('.').slice(1, -1)) {
    const d = word(w);
    if (d) return d;
  }
  for (let i = parts.length - 1; i >= 0; i--) {
    const d = word(parts[i]);
    if (d) return d;
  }
  return null;
}

/** Dialect named by the file name's dotted parts or by a directory name, nearest first. */
export function detectDialect(path: string, _text?: string): Dialect | null {
  const d = nearest(path);
  return typeof d === 'string' ? d : null;
}

/** The unsupported engine the path names (nearest dialect word first), or null. */
export function unsupportedDialect(path: string): string | null {
  const d = nearest(path);
  return d && typeof d === 'object' ? d.unsupported : null;
}

/**
 * PostgreSQL-compatible engine named by the path (CockroachDB: `*.cockroach.up.sql`,
 * `migrations/cockroachdb/`): its files are parsed by libpg-query, with CockroachDB syntax
 * normalized when PostgreSQL's grammar rejects a statement (src/parse/normalize.ts).
 */
export function pathFlavor(path: string): 'cockroach' | null {
  const parts = path.replace(/\\/g, '/').split('/');
  const name = parts.pop() ?? '';
  const words = [...name.split('.').slice(1, -1), ...parts];
  return words.some((w) => /^(cockroach|cockroachdb|crdb)$/i.test(w)) ? 'cockroach' : null;
}

/** Prisma's migration_lock.toml: `provider = "postgresql"`. */
export function prismaProvider(lockText: string): Dialect | null {
  const m = /^\s*provider\s*=\s*"([^"]+)"/m.exec(lockText);
  if (!m) return null;
  const p = m[1].toLowerCase();
  if (p === 'postgresql' || p === 'postgres' || p === 'cockroachdb') return 'postgresql';
  if (p === 'mysql') return 'mysql';
  if (p === 'sqlite') return 'sqlite';
  if (p === 'sqlserver') return 'transactsql';
  return null;
}

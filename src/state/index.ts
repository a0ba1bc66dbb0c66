// Schema state: what existed before the migration under review, as rules see it. One small
// interface with two sources: the replayed sandbox (PostgreSQL, SQLite: src/replay/) and, where no
// engine can replay, a simulation of the DDL the files spell (src/state/static.ts). Rules ask
// about the objects a statement touches; an answer they cannot trust is 'unknown', and 'unknown'
// is judged like an object that existed (fail closed), never like a new one.
import type { CatalogChange, LockInfo } from '../replay/types.js';
import type { Dialect, SqlUnit, Statement } from '../types.js';
import type { ReversalNote } from './reversal.js';

/**
 * How an object named by a statement stood just before that statement ran:
 * - 'new': created by the migration under review (by identity, not by name) and never existing before it;
 * - 'preexisting': it existed before the migration under review ran;
 * - 'absent': it does not exist and did not before (only said when the whole history was replayed);
 * - 'unknown': nothing trustworthy is known.
 */
export type Existence = 'new' | 'preexisting' | 'absent' | 'unknown';

export interface SchemaState {
  /** Where the answers come from. */
  readonly source: 'replay' | 'static';
  /**
   * The whole history before the judged files was known and replayed without error: what the
   * sandbox did not have before a statement did not exist (a CREATE there is a first creation).
   */
  readonly complete?: boolean;
  /** The relation (table, view, sequence…) `name` (`schema.name` or `name`) as this statement sees it. */
  relation(stmt: Statement, name: string): Existence;
  /** The column `table.column` as this statement sees it. */
  column(stmt: Statement, table: string, column: string): Existence;
  /** The column's type just before this statement (as the engine prints it), if known. */
  columnType(stmt: Statement, table: string, column: string): string | undefined;
  /** What this statement did to the catalog in the sandbox; undefined when it was not replayed or failed. */
  effects(stmt: Statement): CatalogChange[] | undefined;
  /** Locks the statement took in the sandbox (PostgreSQL), if read. */
  locks(stmt: Statement): LockInfo[] | undefined;
  /** Set on the statement the sandbox was running when its time or memory limit cut the replay short. */
  limit(stmt: Statement): string | undefined;
  /**
   * Reversibility (src/state/reversal.ts): what the `irreversible` rule reports at this statement
   * (the first up statement of a migration with a down path, or a failing down statement). Set by
   * the state builder when it checked a rollback; undefined otherwise.
   */
  reversal?(stmt: Statement): ReversalNote[] | undefined;
}

/** The state a statement is judged against (set by the engine; a file-local simulation otherwise). */
export function stateOf(stmt: Statement): SchemaState | undefined {
  return stmt.scope?.state;
}

/** "Created earlier by the migration under review", decided by state: never by a name match alone. */
export function isNew(stmt: Statement, name: string): boolean {
  return stateOf(stmt)?.relation(stmt, name) === 'new';
}

/** Was the column added by the migration under review (so no existing value is in it)? */
export function isNewColumn(stmt: Statement, table: string, column: string): boolean {
  return stateOf(stmt)?.column(stmt, table, column) === 'new';
}

/** ' (replayed: takes ShareLock on public.users)' — the locks the sandbox saw this statement take on `table`, for safety messages. */
export function lockNote(stmt: Statement, table: string): string {
  const locks = stateOf(stmt)?.locks(stmt);
  if (!locks?.length) return '';
  const last = table.slice(table.lastIndexOf('.') + 1).toLowerCase();
  const on = locks.filter((l) => l.relation.slice(l.relation.lastIndexOf('.') + 1).toLowerCase() === last);
  if (!on.length) return '';
  const modes = [...new Set(on.map((l) => l.mode))].join(', ');
  return ` (replayed: takes ${modes} on ${on[0].relation})`;
}

/**
 * Does this unit run on a database of `dialect`? SQL a Python migration runs only on other
 * databases (`if bind.dialect.name == "sqlite":` in a PostgreSQL set) is not replayed into its
 * engine: the migration never sends it there. Undefined branch: every database.
 */
export function runsOn(unit: SqlUnit, dialect: Dialect): boolean {
  return !unit.branch || unit.branch.runsOn.includes(dialect === 'transactsql' ? 'mssql' : dialect === 'redshift' ? 'postgresql' : dialect);
}

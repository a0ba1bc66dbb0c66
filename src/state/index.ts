// Schema state: what existed before the migration under review, as rules see it. One small
// interface with two sources: the replayed sandbox (PostgreSQL, SQLite: src/replay/) and, where no
// engine can replay, a simulation of the DDL the files spell (src/state/static.ts). Rules ask
// about the objects a statement touches; an answer they cannot trust is 'unknown', and 'unknown'
// is judged like an object that existed (fail closed), never like a new one.
import type { Dialect, Existence, FileKind, ReversalNote, SchemaState, SqlUnit, Statement } from '../types.js';
// The interface is declared with the engine's shared types (src/types.ts), so that Statement can carry it without an import cycle.
export type { Existence, SchemaState };


/** A parsed migration file as the state builder takes it. */
export interface ParsedFile {
  path: string;
  dialect: Dialect | null;
  statements: Statement[];
  /** What extract made of it, and its SQL units (the reversibility check looks for down sections). */
  kind?: FileKind;
  units?: SqlUnit[];
  /** Reversibility notes about the file as a whole (an emptied `.down.sql`): reported at line 1. */
  fileNotes?: ReversalNote[];
}

/** One file in run order: judged, or history (run only to build the state). */
export interface StateEntry {
  file: ParsedFile;
  judged: boolean;
  /** The migration set it belongs to ('' : none); each set is replayed on its own database. */
  group: string;
  /** The set's history before the judged files is complete (so a missing object did not exist). */
  historyKnown: boolean;
  /**
   * An up file's separate rollback file (golang-migrate / pop `.down.sql`, Flyway `U`, sqitch
   * `revert/`), from the history plan; `file: null`: the framework expects one and there is none.
   */
  rollback?: { file: ParsedFile | null; files?: ParsedFile[] };
  /**
   * ory/pop: the change this version belongs to (`<timestamp>_<name>` split over several versions):
   * its versions are rolled back together (src/state/reversal.ts).
   */
  popUnit?: string;
  /** false: the group is judged statically, never replayed (a pop dialect variant the sandbox does not run). */
  replay?: false;
}

/**
 * The replay group of an entry, one per dialect: its migration set; a judged file in no set is a
 * group of its own (`file:<path>`); history in no set is the loose `history` group, which joins
 * every such file's group of its dialect. Callers pass the dialect as they group by it.
 */
export function groupKey(e: StateEntry, dialect: string): string {
  return `${e.group || (e.judged ? `file:${e.file.path}` : 'history')}\0${dialect}`;
}

/** The state a statement is judged against (set by the engine; a file-local simulation otherwise). */
export function stateOf(stmt: Statement): SchemaState | undefined {
  return stmt.scope?.state;
}

/**
 * Statements a later ROLLBACK (or ROLLBACK TO SAVEPOINT, ABORT) of the same file may undo: what they
 * create may not be there afterwards. The sandbox does not run transaction control, so neither the
 * replay nor the simulation can tell: such a CREATE proves nothing (`BEGIN; CREATE TABLE users …;
 * ROLLBACK; DROP TABLE users;` drops the real table).
 */
export function beforeRollback(statements: Iterable<Statement>): Set<Statement> {
  const byFile = new Map<string, Statement[]>();
  for (const st of statements) {
    const k = `${st.unit.path}\0${st.unit.down}`;
    if (!byFile.has(k)) byFile.set(k, []);
    byFile.get(k)!.push(st);
  }
  const out = new Set<Statement>();
  for (const list of byFile.values()) {
    let last = -1;
    list.forEach((st, i) => {
      if (/^(rollback|abort)\b/.test(st.lexical)) last = i;
    });
    for (let i = 0; i < last; i++) out.add(list[i]);
  }
  return out;
}

/** "Created earlier by the migration under review", decided by state: never by a name match alone. */
export function isNew(stmt: Statement, name: string): boolean {
  return stateOf(stmt)?.relation(stmt, name) === 'new';
}

/** Was the column added by the migration under review (so no existing value is in it)? */
export function isNewColumn(stmt: Statement, table: string, column: string): boolean {
  return stateOf(stmt)?.column(stmt, table, column) === 'new';
}

/**
 * The columns an INSERT's values go into: its column list, else (`INSERT INTO t VALUES (…)`) the
 * table's columns in order as the schema state knows them, when every row has that many values.
 */
export function insertColumns(stmt: Statement, table: string, listed: string[], rows: readonly unknown[][]): string[] {
  if (listed.length) return listed;
  const cols = stateOf(stmt)?.columns(stmt, table);
  return cols?.length && rows.length && rows.every((r) => r.length === cols.length) ? cols : [];
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

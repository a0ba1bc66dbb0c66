// Schema state read from the sandboxed replay (src/replay/): the catalog before each judged unit
// and what every judged statement did to it, by identity. Statements the replay did not run (down
// sections, statements the engine refused, a run cut short) are answered by the static simulation.
import type { CatalogChange, CatalogSnapshot, LockInfo, ReplayResult } from '../replay/types.js';
import type { Statement } from '../types.js';
import { beforeRollback, type Existence, type SchemaState } from './index.js';
import { splitName, Timeline } from './timeline.js';

const RELATION_KINDS = new Set(['table', 'view', 'materialized view', 'sequence', 'foreign table']);

/** A statement's place in the replay: its id in the request and its judged unit (-1: history). */
export interface Placed {
  id: number;
  unit: number;
}

/** Did this statement only create if absent (so, without the whole history, it proves nothing)? */
export function conditionalCreate(st: Statement): boolean {
  const pg = st.pg;
  if (pg?.CreateStmt) return !!pg.CreateStmt.if_not_exists || pg.CreateStmt.relation?.relpersistence === 't';
  if (pg?.CreateTableAsStmt) return !!pg.CreateTableAsStmt.if_not_exists || pg.CreateTableAsStmt.into?.rel?.relpersistence === 't';
  if (pg?.AlterTableStmt) return (pg.AlterTableStmt.cmds ?? []).some((c: any) => c?.AlterTableCmd?.missing_ok && c.AlterTableCmd.subtype === 'AT_AddColumn');
  if (st.ast?.type === 'create') return !!st.ast.if_not_exists || !!st.ast.temporary;
  if (st.ast?.type === 'alter') return (st.ast.expr ?? []).some((e: any) => e?.if_not_exists);
  // Anything nested (a DO block, a function body) or a statement we cannot see into: doubtful.
  return !!st.nested || !st.parsed;
}

/** Same object? The catalog names it fully; a statement may leave the schema out. */
function sameObject(catalogName: string, asked: string, foldCase: boolean): boolean {
  const f = (s: string) => (foldCase ? s.toLowerCase() : s);
  const [cs, cn] = splitName(f(catalogName));
  const [as, an] = splitName(f(asked));
  return cn === an && (as === '' || as === cs);
}

export class ReplayState implements SchemaState {
  readonly source = 'replay' as const;
  private readonly t: Timeline;
  private readonly seq = new Map<Statement, { seq: number; unit: number; id: number }>();
  private readonly outcomes: Map<number, ReplayResult['outcomes'][number]>;
  /** The statement that was running when the replay was cut short. */
  private cut?: Statement;
  /** Objects a conditional CREATE made while the history was not known whole: they may have existed. */
  private readonly doubtful = new Set<string>();
  /** Judged statements a later ROLLBACK may undo (beforeRollback). */
  private readonly undone: Set<Statement>;

  /**
   * `order`: every replayed statement in run order with its place. `complete`: the whole history of
   * the set was known and replayed without error (so an object that is not there did not exist).
   */
  constructor(
    private readonly result: ReplayResult,
    order: Array<{ stmt: Statement; place: Placed }>,
    readonly complete: boolean,
    private readonly fallback: SchemaState,
    private readonly foldCase: boolean,
  ) {
    this.t = new Timeline({ foldCase, publicDefault: result.dialect === 'postgresql', foldColumns: result.dialect !== 'postgresql', sqliteSchemas: result.dialect === 'sqlite' });
    this.outcomes = new Map(result.outcomes.map((o) => [o.id, o]));
    this.undone = beforeRollback(order.filter((o) => o.place.unit >= 0).map((o) => o.stmt));
    let lastUnit = -1;
    let gap = true; // statements outside the judged units ran since the last rebase
    order.forEach(({ stmt, place }, n) => {
      if (place.unit < 0) {
        gap = true;
        return;
      }
      if (place.unit !== lastUnit && gap) this.rebase(n - 0.25, result.before[place.unit]);
      lastUnit = place.unit;
      gap = false;
      this.seq.set(stmt, { seq: n, unit: place.unit, id: place.id });
      const o = this.outcomes.get(place.id);
      if (!o) {
        // Not replayed (the run was cut short): from here on nothing is known.
        if (!this.cut && result.limit) this.cut = stmt;
        gap = true;
        return;
      }
      if (o.ok && o.effects) this.apply(n + 0.5, place.unit, stmt, o.effects);
    });
  }

  private gone(): Existence {
    return this.complete ? 'absent' : 'unknown';
  }

  /** Start from a snapshot: what is in it existed; what the timeline knew and it lacks, does not. */
  private rebase(at: number, snap: CatalogSnapshot | undefined) {
    for (const name of this.t.relationNames()) this.t.setRelation(at, -1, name, 'unknown');
    if (!snap) return;
    for (const [name, rel] of Object.entries(snap.relations)) {
      if (!RELATION_KINDS.has(rel.kind)) continue;
      this.t.setRelation(at, -1, name, 'preexisting');
      for (const [col, c] of Object.entries(rel.columns ?? {})) this.t.setColumn(at, -1, name, col, 'preexisting', c.type);
    }
  }

  private apply(at: number, unit: number, stmt: Statement, effects: CatalogChange[]) {
    const made: Existence = (conditionalCreate(stmt) && !this.complete) || this.undone.has(stmt) ? 'unknown' : 'new';
    // A relation created or dropped here: the columns its name had belonged to another table.
    for (const e of effects) if (RELATION_KINDS.has(e.kind) && (e.change === 'created' || e.change === 'dropped')) this.t.resetColumns(at, e.object);
    for (const e of effects) {
      if (e.kind === 'column') {
        const [table, column] = [e.object.slice(0, e.object.lastIndexOf('.')), e.object.slice(e.object.lastIndexOf('.') + 1)];
        if (e.change === 'created') this.t.setColumn(at, unit, table, column, e.preexisting ? 'preexisting' : made, e.after);
        else if (e.change === 'dropped') this.t.setColumn(at, unit, table, column, this.gone());
        // Seen from this unit: made by an earlier judged file is preexisting here (a directory judged file by file).
        else if (e.change === 'type-changed') this.t.setColumn(at, unit, table, column, this.t.columnAt(at, table, column, unit)?.status ?? 'unknown', e.after);
        continue;
      }
      if (!RELATION_KINDS.has(e.kind)) continue;
      if (e.change === 'created') {
        this.t.setRelation(at, unit, e.object, e.preexisting ? 'preexisting' : made);
        if (made === 'unknown') this.doubtful.add(e.object);
      } else if (e.change === 'dropped') this.t.setRelation(at, unit, e.object, this.gone());
      else if (e.change === 'renamed' && e.before && e.after) {
        this.t.setRelation(at, unit, e.after, this.t.relationAt(at, e.before, unit)?.status ?? (e.preexisting ? 'preexisting' : 'unknown'));
        this.t.moveColumns(at, unit, e.before, e.after);
        this.t.setRelation(at, unit, e.before, this.gone());
      }
    }
  }

  // Where the replay cannot tell (`unknown`: a statement of the unit failed for want of an object an
  // unknown history made, or the run was cut short), the static simulation's reading stands: it
  // calls `new` only what an unconditional, top-level CREATE / ADD COLUMN of this migration made.
  // What the replay does know (preexisting, absent, doubtful) is never overridden.
  relation(stmt: Statement, name: string): Existence {
    const r = this.replayedRelation(stmt, name);
    return r === 'unknown' && this.seq.has(stmt) && this.fallback.relation(stmt, name) === 'new' ? 'new' : r;
  }

  private replayedRelation(stmt: Statement, name: string): Existence {
    const p = this.seq.get(stmt);
    if (!p) return this.fallback.relation(stmt, name);
    // A drop's own effect names what it really removed (the engine resolved the name).
    const dropped = this.outcomes.get(p.id)?.effects?.find((e) => e.change === 'dropped' && RELATION_KINDS.has(e.kind) && sameObject(e.object, name, this.foldCase));
    if (dropped) {
      if (dropped.preexisting) return 'preexisting';
      return this.doubtful.has(dropped.object) ? 'unknown' : 'new';
    }
    const known = this.t.relationAt(p.seq, name, p.unit)?.status;
    if (known) return known;
    // Absent in the sandbox, but the statement judged failed there: the sandbox's state is not the
    // real one (a CREATE before it failed for want of an extension, a role, an unreplayable type),
    // so its absence proves nothing; the static reading stands (relation()).
    if (this.outcomes.get(p.id)?.ok === false) return 'unknown';
    return this.gone();
  }

  column(stmt: Statement, table: string, column: string): Existence {
    const p = this.seq.get(stmt);
    if (!p) return this.fallback.column(stmt, table, column);
    const rel = this.relation(stmt, table);
    if (rel === 'new') return 'new';
    const c = this.t.columnAt(p.seq, table, column, p.unit)?.status ?? (rel === 'preexisting' ? 'preexisting' : 'unknown');
    return c === 'unknown' && this.fallback.column(stmt, table, column) === 'new' ? 'new' : c;
  }

  columnType(stmt: Statement, table: string, column: string): string | undefined {
    const p = this.seq.get(stmt);
    if (!p) return this.fallback.columnType(stmt, table, column);
    const t = this.t.columnAt(p.seq, table, column)?.type;
    // MySQL/MariaDB (a server the user named): a history the server refused (another server's
    // syntax, a missing base schema) leaves the type unknown; the DDL the files spell, which is all
    // the judgement has without a server, still tells it. MODIFY/CHANGE restate the whole column,
    // so without a type before them every one of them would gate.
    return t ?? (this.result.dialect === 'mysql' ? this.fallback.columnType(stmt, table, column) : undefined);
  }

  columns(stmt: Statement, table: string): string[] | undefined {
    const p = this.seq.get(stmt);
    if (!p) return this.fallback.columns(stmt, table);
    // The replay's catalog reads do not record every table's columns (a table created and filled in
    // the judged file): what the files spell is the next best reading.
    return this.t.columnsAt(p.seq, table) ?? this.fallback.columns(stmt, table);
  }

  effects(stmt: Statement): CatalogChange[] | undefined {
    const p = this.seq.get(stmt);
    const o = p && this.outcomes.get(p.id);
    return o?.ok ? (o.effects ?? []) : undefined;
  }

  limit(stmt: Statement): string | undefined {
    if (stmt !== this.cut) return undefined;
    return `${this.result.limit}${this.result.limitDetail ? ` (${this.result.limitDetail})` : ''}`;
  }

  locks(stmt: Statement): LockInfo[] | undefined {
    const p = this.seq.get(stmt);
    return p ? this.outcomes.get(p.id)?.locks : undefined;
  }
}

// Schema state from the DDL the files spell, for what no embedded engine replays (MySQL, MariaDB
// and the other node-sql-parser dialects), and for any statement the replay could not run. It is a
// simulation, so it claims little: an object is 'new' only when an unconditional, permanent,
// top-level CREATE of the migration under review made it (IF NOT EXISTS, TEMPORARY and CREATEs in
// DO blocks or functions prove nothing), and 'absent' never.
import { nspColumn, nspTable, rangeVarName } from '../sql/ast.js';
import type { Statement } from '../types.js';
import { beforeRollback, type Existence, type SchemaState } from './index.js';
import { Timeline } from './timeline.js';
import { nspTypeText } from './typechange.js';

/** The parser spells built-in types by their internal names; format_type prints these. */
const PG_INTERNAL: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  bool: 'boolean',
  float4: 'real',
  float8: 'double precision',
};

/** Type text of a libpg-query TypeName, as PostgreSQL's format_type would roughly print it. */
export function pgTypeText(t: any): string | undefined {
  if (!t) return undefined;
  const names: string[] = (t.names ?? []).map((n: any) => n?.String?.sval).filter(Boolean);
  const raw = names.filter((n) => n !== 'pg_catalog').join('.');
  const base = names[0] === 'pg_catalog' ? (PG_INTERNAL[raw] ?? raw) : raw;
  const mods = (t.typmods ?? []).map((m: any) => m?.A_Const?.ival?.ival ?? m?.A_Const?.sval?.sval ?? (m?.A_Const?.ival ? 0 : '?'));
  return base + (mods.length ? `(${mods.join(',')})` : '') + '[]'.repeat((t.arrayBounds ?? []).length);
}

/** What one statement does to the simulated schema. */
interface Effect {
  rel?: Array<{ name: string; status: Existence }>;
  col?: Array<{ table: string; column: string; status: Existence; type?: string }>;
  /** Rename: `to` takes over the standing of `from`. */
  rename?: { from: string; to: string };
  renameColumn?: { table: string; from: string; to: string };
}

/**
 * The effect of a statement. `made` is the standing an unconditional CREATE gives ('new' in the
 * migration under review, 'preexisting' in its history); conditional ones give 'unknown' there.
 */
function effectOf(st: Statement, made: Existence): Effect | undefined {
  const maybe: Existence = made === 'new' ? 'unknown' : made;
  const pg = st.pg;
  if (pg) {
    const c = pg.CreateStmt;
    if (c?.relation) {
      const temp = c.relation.relpersistence === 't';
      const status = temp || c.if_not_exists ? maybe : made;
      const name = rangeVarName(c.relation);
      const cols = (c.tableElts ?? [])
        .map((e: any) => e?.ColumnDef)
        .filter((d: any) => d?.colname)
        .map((d: any) => ({ table: name, column: d.colname, status, type: pgTypeText(d.typeName) }));
      return { rel: [{ name, status }], col: cols };
    }
    const ctas = pg.CreateTableAsStmt;
    if (ctas?.into?.rel) {
      const temp = ctas.into.rel.relpersistence === 't';
      return { rel: [{ name: rangeVarName(ctas.into.rel), status: temp || ctas.if_not_exists ? maybe : made }] };
    }
    const d = pg.DropStmt;
    if (d && /^OBJECT_(TABLE|FOREIGN_TABLE|VIEW|MATVIEW|SEQUENCE)$/.test(d.removeType)) {
      return { rel: (d.objects ?? []).map((o: any) => ({ name: (o.List?.items ?? []).map((i: any) => i?.String?.sval).join('.'), status: 'unknown' as const })) };
    }
    const r = pg.RenameStmt;
    if (r?.relation && r.newname) {
      const from = rangeVarName(r.relation);
      if (r.renameType === 'OBJECT_COLUMN' && r.subname) return { renameColumn: { table: from, from: r.subname, to: r.newname } };
      if (/^OBJECT_(TABLE|VIEW|MATVIEW|SEQUENCE|FOREIGN_TABLE)$/.test(r.renameType)) {
        const schema = r.relation.schemaname ? `${r.relation.schemaname}.` : '';
        return { rename: { from, to: schema + r.newname } };
      }
    }
    const a = pg.AlterTableStmt;
    if (a?.relation) {
      const table = rangeVarName(a.relation);
      const col: Effect['col'] = [];
      for (const x of a.cmds ?? []) {
        const cmd = x?.AlterTableCmd;
        if (cmd?.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef?.colname) {
          col.push({ table, column: cmd.def.ColumnDef.colname, status: cmd.missing_ok ? maybe : made, type: pgTypeText(cmd.def.ColumnDef.typeName) });
        } else if (cmd?.subtype === 'AT_DropColumn' && cmd.name) col.push({ table, column: cmd.name, status: 'unknown' });
        else if (cmd?.subtype === 'AT_AlterColumnType' && cmd.name) col.push({ table, column: cmd.name, status: 'keep' as Existence, type: pgTypeText(cmd.def?.ColumnDef?.typeName) });
      }
      return col.length ? { col } : undefined;
    }
    return undefined;
  }
  const ast = st.ast;
  if (!ast) return undefined;
  if (ast.type === 'create' && /^table$/i.test(ast.keyword ?? '')) {
    const status = ast.temporary || ast.if_not_exists ? maybe : made;
    const rel = (ast.table ?? []).map((t: any) => ({ name: nspTable(t), status }));
    const table = rel[0]?.name;
    const col = table
      ? (ast.create_definitions ?? [])
          .filter((d: any) => d?.resource === 'column' && d.column)
          .map((d: any) => ({ table, column: nspColumn(d.column), status, type: nspTypeText(d.definition) }))
      : [];
    return { rel, col };
  }
  if (ast.type === 'drop' && /^(table|view)$/i.test(ast.keyword ?? '')) {
    const list = Array.isArray(ast.name) ? ast.name : [ast.name];
    return { rel: list.map((t: any) => ({ name: nspTable(t), status: 'unknown' as const })) };
  }
  if (ast.type === 'rename') {
    const pair = ast.table?.[0];
    if (Array.isArray(pair) && pair.length === 2) return { rename: { from: nspTable(pair[0]), to: nspTable(pair[1]) } };
  }
  if (ast.type === 'alter') {
    const table = nspTable(ast.table?.[0] ?? ast.table);
    // ALTER TABLE a RENAME TO b (MySQL, SQLite).
    const renamed = (ast.expr ?? []).find((e: any) => e?.action === 'rename' && e.resource === 'table' && e.table);
    if (renamed) return { rename: { from: table, to: typeof renamed.table === 'string' ? renamed.table : nspTable(renamed.table) } };
    const col: Effect['col'] = [];
    for (const e of ast.expr ?? []) {
      if (e?.resource !== 'column') continue;
      if (e.action === 'add') col.push({ table, column: nspColumn(e.column), status: e.if_not_exists ? maybe : made, type: nspTypeText(e.definition) });
      else if (e.action === 'drop') col.push({ table, column: nspColumn(e.column), status: 'unknown' });
      else if (e.action === 'modify') col.push({ table, column: nspColumn(e.column), status: 'keep' as Existence, type: nspTypeText(e.definition) });
      else if (e.action === 'change') {
        const from = nspColumn(e.old_column);
        const to = nspColumn(e.column);
        if (from !== to) return { renameColumn: { table, from, to }, col: [{ table, column: to, status: 'keep' as Existence, type: nspTypeText(e.definition) }] };
        col.push({ table, column: to, status: 'keep' as Existence, type: nspTypeText(e.definition) });
      } else if (e.action === 'rename') return { renameColumn: { table, from: nspColumn(e.old_column), to: nspColumn(e.column) } };
    }
    return col.length ? { col } : undefined;
  }
  return undefined;
}

/**
 * The simulated state over statements in run order: `history` (before the migration under review)
 * then the judged files' own. Up and down sections are separate timelines: a down section runs at
 * another time, and what an up section created says nothing about it.
 */
export class StaticState implements SchemaState {
  readonly source = 'static' as const;
  private readonly seq = new Map<Statement, { seq: number; unit: number }>();
  private readonly up: Timeline;
  private readonly down: Timeline;

  /**
   * `units`: the judged units in run order (a unit is one file, or a pull request's files together):
   * what a unit creates is 'new' to its own statements and existed before the units after it.
   */
  constructor(history: Statement[], units: Statement[][], foldCase: boolean, foldColumns = foldCase) {
    // A `SET search_path` anywhere makes an unqualified name mean something else than public.name.
    const searchPath = [history, ...units].some((l) => l.some((s) => s.pg?.VariableSetStmt?.name === 'search_path'));
    const rules = { foldCase, publicDefault: !searchPath, foldColumns, sqliteSchemas: foldCase };
    this.up = new Timeline(rules);
    this.down = new Timeline(rules);
    let n = 0;
    for (const st of history) this.apply(this.up, n++, -1, st, 'preexisting');
    const undone = beforeRollback(units.flat());
    units.forEach((list, unit) => {
      for (const st of list) {
        this.seq.set(st, { seq: n, unit });
        // Statements inside DO blocks and function bodies may sit in a branch that never runs, and a
        // function body runs at some later time: what they create proves nothing. Nor does what a
        // later ROLLBACK may undo, or an unqualified CREATE while the file changes search_path (the
        // simulation does not follow which schema it lands in).
        this.apply(st.unit.down ? this.down : this.up, n++, unit, st, st.nested || undone.has(st) ? 'unknown' : 'new', searchPath);
      }
    });
  }

  private apply(t: Timeline, seq: number, unit: number, st: Statement, made: Existence, searchPath = false) {
    if (!st.parsed) return;
    const e = effectOf(st, made);
    if (e && searchPath && made === 'new') {
      for (const r of e.rel ?? []) if (r.status === 'new' && !r.name.includes('.')) r.status = 'unknown';
      for (const c of e.col ?? []) if (c.status === 'new' && !c.table.includes('.')) c.status = 'unknown';
    }
    if (!e) return;
    // Events take effect after the statement: a query at `seq` sees only earlier ones.
    const at = seq + 0.5;
    // Carried-over statuses are read as this unit sees them: what an earlier judged file made is
    // preexisting here (a directory judged file by file), never "made earlier in this file".
    // An unconditional CREATE or a DROP: the columns the name had so far were another table's (IF NOT EXISTS may leave the old one).
    const conditional = !!(st.pg?.CreateStmt?.if_not_exists || st.pg?.CreateTableAsStmt?.if_not_exists || (st.ast?.type === 'create' && st.ast.if_not_exists));
    for (const r of e.rel ?? []) {
      if (!conditional) t.resetColumns(at, r.name);
      t.setRelation(at, unit, r.name, r.status);
    }
    for (const c of e.col ?? []) {
      const prev = t.columnAt(at, c.table, c.column, unit);
      const status = (c.status as string) === 'keep' ? (prev?.status ?? t.relationAt(at, c.table, unit)?.status ?? 'unknown') : c.status;
      t.setColumn(at, unit, c.table, c.column, status, c.type ?? prev?.type);
    }
    if (e.rename) {
      t.setRelation(at, unit, e.rename.to, t.relationAt(at, e.rename.from, unit)?.status ?? 'unknown');
      t.moveColumns(at, unit, e.rename.from, e.rename.to);
      t.setRelation(at, unit, e.rename.from, 'unknown');
    }
    if (e.renameColumn) {
      const { table, from, to } = e.renameColumn;
      const prev = t.columnAt(at, table, from, unit);
      t.setColumn(at, unit, table, to, prev?.status ?? 'unknown', prev?.type);
      t.setColumn(at, unit, table, from, 'unknown');
    }
  }

  private at(stmt: Statement): { t: Timeline; seq: number; unit: number } | undefined {
    const p = this.seq.get(stmt);
    return p && { t: stmt.unit.down ? this.down : this.up, ...p };
  }

  relation(stmt: Statement, name: string): Existence {
    const a = this.at(stmt);
    return a?.t.relationAt(a.seq, name, a.unit)?.status ?? 'unknown';
  }

  column(stmt: Statement, table: string, column: string): Existence {
    const a = this.at(stmt);
    if (!a) return 'unknown';
    const rel = a.t.relationAt(a.seq, table, a.unit)?.status ?? 'unknown';
    // Every column of a table this migration created was made by it.
    if (rel === 'new') return 'new';
    return a.t.columnAt(a.seq, table, column, a.unit)?.status ?? (rel === 'preexisting' ? 'preexisting' : 'unknown');
  }

  columnType(stmt: Statement, table: string, column: string): string | undefined {
    const a = this.at(stmt);
    return a?.t.columnAt(a.seq, table, column)?.type;
  }

  columns(stmt: Statement, table: string): string[] | undefined {
    const a = this.at(stmt);
    return a?.t.columnsAt(a.seq, table);
  }

  effects(): undefined {
    return undefined;
  }

  locks(): undefined {
    return undefined;
  }

  limit(): undefined {
    return undefined;
  }
}

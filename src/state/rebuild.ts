// Table rebuilds: the way SQLite changes a table (https://www.sqlite.org/lang_altertable.html,
// "Making Other Kinds Of Table Schema Changes"), and what Prisma, pop and hand-written SQLite
// migrations emit for every change ALTER TABLE cannot make:
//
//   CREATE TABLE new_t (…);  INSERT INTO new_t (a, b) SELECT a, b FROM t;  DROP TABLE t;  ALTER TABLE new_t RENAME TO t;
//   ALTER TABLE t RENAME TO t_old;  CREATE TABLE t (…);  INSERT INTO t (a, b) SELECT a, b FROM t_old;  DROP TABLE t_old;
//
// The DROP removes a table whose rows were copied, within the same change, into the table that
// takes its name: what is lost is only the columns the copy left out (or the rows its WHERE left
// out). Read from the statements of the change (SchemaState.change) and the columns the state knows.
import { names, nspTable, rangeVarName, sameName } from '../sql/ast.js';
import type { Statement } from '../types.js';
import { stateOf } from './index.js';

export interface Rebuild {
  /** The table the rows were copied into (it takes the dropped table's name). */
  into: string;
  /** Columns of the dropped table the copy left out; undefined when its columns are not known. */
  lost: string[] | undefined;
  /** Why the copy may have left rows out (`a WHERE clause`, `LIMIT`…), if it may. */
  filtered?: string;
}

interface Copy {
  into: string;
  from: string;
  /** Column names the SELECT list reads (lower-cased), or '*'. */
  reads: Set<string> | '*';
  filtered?: string;
}

/** `INSERT INTO n [(…)] SELECT … FROM d`: one source table, no join. */
function copyOf(st: Statement): Copy | undefined {
  const ins = st.pg?.InsertStmt;
  if (ins) {
    const sel = ins.selectStmt?.SelectStmt;
    const from = sel?.fromClause ?? [];
    if (!sel || ins.withClause || sel.withClause || (sel.op && sel.op !== 'SETOP_NONE') || from.length !== 1 || !from[0]?.RangeVar) return undefined;
    let star = false;
    const reads = new Set<string>();
    const walk = (n: any): void => {
      if (!n || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach(walk);
      if (n.ColumnRef) {
        const f: any[] = n.ColumnRef.fields ?? [];
        const last = f[f.length - 1];
        if (last?.A_Star) star = f.length === 1 || sameName(names(f.slice(0, -1)), rangeVarName(from[0].RangeVar)) || f[0]?.String?.sval === from[0].RangeVar.alias?.aliasname;
        else if (last?.String?.sval) reads.add(last.String.sval.toLowerCase());
        return;
      }
      for (const v of Object.values(n)) walk(v);
    };
    walk(sel.targetList);
    const filtered = sel.whereClause ? 'a WHERE clause' : sel.limitCount ? 'LIMIT' : sel.distinctClause ? 'DISTINCT' : sel.groupClause ? 'GROUP BY' : sel.havingClause ? 'HAVING' : ins.onConflictClause ? 'ON CONFLICT (rows that conflict are skipped or merged)' : undefined;
    return { into: rangeVarName(ins.relation), from: rangeVarName(from[0].RangeVar), reads: star ? '*' : reads, ...(filtered ? { filtered } : {}) };
  }
  const a = st.ast;
  if (a?.type !== 'insert' || a.values?.type !== 'select') return undefined;
  const sel = a.values;
  const from: any[] = sel.from ?? [];
  if (sel.with || sel._next || sel.set_op || from.length !== 1 || !from[0]?.table || from[0].join) return undefined;
  let star = false;
  const reads = new Set<string>();
  // SQLite reads a double-quoted name that matches a column as that column.
  const quotedIsColumn = st.dialect === 'sqlite';
  const walk = (n: any): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (n.type === 'column_ref') {
      const c = typeof n.column === 'string' ? n.column : n.column?.expr?.value;
      if (c === '*') star = !n.table || sameName(String(n.table), nspTable(from[0])) || n.table === from[0].as;
      else if (typeof c === 'string') reads.add(c.toLowerCase());
      return;
    }
    if (n.type === 'double_quote_string' && quotedIsColumn && typeof n.value === 'string') reads.add(n.value.toLowerCase());
    if (n.ast) return; // a subquery reads another table
    for (const v of Object.values(n)) walk(v);
  };
  walk(sel.columns);
  // INSERT OR IGNORE / OR REPLACE, INSERT IGNORE, ON DUPLICATE KEY UPDATE: rows that conflict are skipped or merged.
  const conflict = (a.or ?? []).length > 1 || /ignore/i.test(String(a.prefix ?? '')) || a.on_duplicate_update;
  const filtered = sel.where ? 'a WHERE clause' : sel.limit?.value?.length ? 'LIMIT' : sel.distinct ? 'DISTINCT' : sel.groupby ? 'GROUP BY' : sel.having ? 'HAVING' : conflict ? 'a conflict clause (rows that conflict are skipped or merged)' : undefined;
  return { into: nspTable(a.table?.[0]), from: nspTable(from[0]), reads: star ? '*' : reads, ...(filtered ? { filtered } : {}) };
}

/** `ALTER TABLE a RENAME TO b` / `RENAME TABLE a TO b` → [a, b]. */
function renameOf(st: Statement): [string, string] | undefined {
  const r = st.pg?.RenameStmt;
  if (r?.relation && r.newname && r.renameType === 'OBJECT_TABLE') return [rangeVarName(r.relation), (r.relation.schemaname ? `${r.relation.schemaname}.` : '') + r.newname];
  const a = st.ast;
  if (a?.type === 'rename' && Array.isArray(a.table?.[0]) && a.table[0].length === 2) return [nspTable(a.table[0][0]), nspTable(a.table[0][1])];
  if (a?.type === 'alter') {
    const e = (a.expr ?? []).find((x: any) => x?.action === 'rename' && x.resource === 'table' && x.table);
    if (e) return [nspTable(a.table?.[0]), typeof e.table === 'string' ? e.table : nspTable(e.table)];
  }
  return undefined;
}

/** A change's positions, copies and renames, computed once per change (a file can hold thousands of drops). */
interface ChangeIndex {
  pos: Map<Statement, number>;
  copies: Array<{ at: number; copy: Copy }>;
  renames: Array<{ at: number; from: string; to: string }>;
  creates: Array<{ at: number; name: string }>;
}
const indexes = new WeakMap<Statement[], ChangeIndex>();

function indexOf(list: Statement[]): ChangeIndex {
  let ix = indexes.get(list);
  if (ix) return ix;
  ix = { pos: new Map(), copies: [], renames: [], creates: [] };
  list.forEach((s, at) => {
    ix!.pos.set(s, at);
    // Only statements that can be a step of a rebuild are read (cheap tests first).
    if (s.pg?.InsertStmt || s.ast?.type === 'insert') {
      const copy = copyOf(s);
      if (copy) ix!.copies.push({ at, copy });
    }
    if (s.pg?.RenameStmt || s.ast?.type === 'rename' || s.ast?.type === 'alter') {
      const r = renameOf(s);
      if (r) ix!.renames.push({ at, from: r[0], to: r[1] });
    }
    const c = s.pg?.CreateStmt?.relation ? rangeVarName(s.pg.CreateStmt.relation) : s.ast?.type === 'create' && /^table$/i.test(s.ast.keyword ?? '') ? nspTable(s.ast.table?.[0]) : undefined;
    if (c) ix!.creates.push({ at, name: c });
  });
  indexes.set(list, ix);
  return ix;
}

/**
 * Is dropping `table` at `stmt` the middle of a rebuild: its rows copied earlier in the same change
 * into a table that has (or later takes) its name? Undefined when it is not.
 */
export function rebuildOf(stmt: Statement, table: string): Rebuild | undefined {
  const state = stateOf(stmt);
  const list = state?.change?.(stmt);
  if (!list) return undefined;
  const ix = indexOf(list);
  const at = ix.pos.get(stmt);
  if (at === undefined) return undefined;
  // The last copy from the table before the drop.
  let found: { at: number; copy: Copy } | undefined;
  for (const c of ix.copies) if (c.at < at && sameName(c.copy.from, table)) found = c;
  if (!found) return undefined;
  const c = found.copy;
  // The copy takes the dropped table's place: renamed to its name later in the change, or
  // carrying the name the dropped table had before it was renamed out of the way.
  const swap = (r: { from: string; to: string }) => sameName(r.from, c.into) && sameName(r.to, table);
  const takesName = ix.renames.some((r) => r.at > at && swap(r));
  const heldName = ix.renames.some((r) => r.at < found!.at && swap(r));
  if (!takesName && !heldName) return undefined;
  const cols = state!.columns(stmt, table);
  const lost = c.reads === '*' ? [] : cols?.filter((x) => !(c.reads as Set<string>).has(x.toLowerCase()));
  return { into: c.into, lost, ...(c.filtered ? { filtered: c.filtered } : {}) };
}

/**
 * Is renaming `from` to `to` at `stmt` the first step of a rebuild: a table named `from` is created
 * later in the change, the rows of `to` are copied into it, and `to` is dropped? Then code that
 * reads `from` keeps finding it.
 */
export function renamedForRebuild(stmt: Statement, from: string, to: string): boolean {
  const list = stateOf(stmt)?.change?.(stmt);
  if (!list) return false;
  const ix = indexOf(list);
  const at = ix.pos.get(stmt);
  if (at === undefined) return false;
  const created = ix.creates.find((c) => c.at > at && sameName(c.name, from));
  if (!created) return false;
  return ix.copies.some((c) => c.at > created.at && sameName(c.copy.from, to) && sameName(c.copy.into, from));
}

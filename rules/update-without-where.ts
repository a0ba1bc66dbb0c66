import { alwaysTrue, alwaysTrueNsp, createdEarlier, nestedSuffix, nodeOffset, nodesOf, nspColumn, nspTable, rangeVarName, rowIndependentNsp } from '../src/sql/ast.js';
import { mergeActionsOnEveryRow, upsertFromItself, upsertFromItselfNsp, whereOnEveryRow } from '../src/sql/rows.js';
import { isNewColumn } from '../src/state/index.js';
import type { Rule } from '../src/types.js';

/** `insert [or …] into t … select … from t … on conflict … do update` in a statement's lexical form (linear: the lookahead runs once per INSERT). */
const SELF_UPSERT = /\binsert\s+(?:or\s+[a-z]+\s+)?into\s+([a-z_][a-z0-9_.]*)(?=[^;]*\bon\s+conflict\b[^;]*\bdo\s+update\b)[^;]*?\bselect\b[^;]*?\bfrom\s+\1(?![a-z0-9_.])/;

/** The names a column of the UPDATE's target can be written with: `c`, `t.c`, `alias.c`, `schema.t.c`. */
function ownColumn(node: any, column: string, relation: any): boolean {
  const fields: string[] | undefined = node?.ColumnRef?.fields?.map((f: any) => f?.String?.sval);
  if (!fields?.length || fields.some((f) => f === undefined) || fields[fields.length - 1] !== column) return false;
  if (fields.length === 1) return true;
  const r = relation?.RangeVar ?? relation ?? {};
  const qual = fields.slice(0, -1).join('.');
  return qual === (r.alias?.aliasname ?? r.relname) || (!r.alias && qual === [r.schemaname, r.relname].filter(Boolean).join('.'));
}

/**
 * Does `SET column = value` keep every value the column holds that is not NULL? `c = c`,
 * `c = COALESCE(c, …)` (PostgreSQL returns its first non-NULL argument), `c = CASE WHEN c IS NULL
 * THEN … ELSE c END`: only NULLs change, exactly what `SET c = … WHERE c IS NULL` does, which this
 * rule lets pass. (The usual Prisma/Django edit before SET NOT NULL.)
 */
function keepsValues(target: any, relation: any): boolean {
  const name: string | undefined = target?.ResTarget?.name;
  const v = target?.ResTarget?.val;
  if (!name || target.ResTarget.indirection?.length) return false;
  if (ownColumn(v, name, relation)) return true;
  const args: any[] | undefined = v?.CoalesceExpr?.args;
  if (args?.length && ownColumn(args[0], name, relation)) return true;
  const c = v?.CaseExpr;
  if (c && !c.arg && c.args?.length === 1 && ownColumn(c.defresult, name, relation)) {
    const w = c.args[0]?.CaseWhen;
    const t = w?.expr?.NullTest;
    return t?.nulltesttype === 'IS_NULL' && !t.argisrow && ownColumn(t.arg, name, relation);
  }
  return false;
}

/** The columns an UPDATE's SET list (libpg-query ResTargets) assigns, each once, in order. */
function setColumns(targets: any[]): string[] {
  return [...new Set<string>(targets.map((t: any) => t?.ResTarget?.name ?? '?'))];
}

function fillsMessage(cols: string[], table: string, how: string, where: string): string {
  return `Fills only NULLs of ${cols.join(', ')} in every row of ${table} (${how}): every value that is not NULL is kept, so no existing value is overwritten, but every row is rewritten and locked${where}.`;
}

/** node-sql-parser (MySQL, MariaDB, SQLite): the same for `SET c = c | COALESCE(c, …) | IFNULL(c, …)` (column names compared case-insensitively, as those databases do). */
function keepsValuesNsp(set: any, table: any): boolean {
  const name = nspColumn(set?.column).toLowerCase();
  const names = new Set([set?.table, table?.as, table?.table].filter((x) => typeof x === 'string').map((x: string) => x.toLowerCase()));
  const own = (v: any) => v?.type === 'column_ref' && nspColumn(v).toLowerCase() === name && (!v.table || names.has(String(v.table).toLowerCase()));
  const v = set?.value;
  if (own(v)) return true;
  const fn = v?.type === 'function' ? (v.name?.name ?? []).map((p: any) => p?.value).join('.').toLowerCase() : '';
  return (fn === 'coalesce' || fn === 'ifnull') && own(v.args?.value?.[0]);
}

const rule: Rule = {
  meta: {
    id: 'update-without-where',
    category: 'destructive',
    severity: 'error',
    summary: 'UPDATE without a WHERE clause (or with one that is always true) overwrites every row',
    rationale:
      'An UPDATE with no WHERE, or with a condition that is always true (`WHERE true`, `WHERE 1=1`, `… OR 1=1`) or names none of the table\'s ' +
      'columns (`WHERE (SELECT count(*) FROM admins) = 0`: every row or none), overwrites the column in every ' +
      'row and the old values are gone; `UPDATE … FROM other` without WHERE pairs every row with an arbitrary row of the other table. ' +
      'Filling only columns added earlier in the same file (a backfill) overwrites no existing data: it is a warning (it still rewrites ' +
      'and locks every row), and updating a table created in the same file is info. A SET that keeps every value that is not NULL ' +
      '(`c = COALESCE(c, 0)`, MySQL/SQLite `IFNULL(c, 0)`, `CASE WHEN c IS NULL THEN 0 ELSE c END`) only fills NULLs, as ' +
      '`SET c = 0 WHERE c IS NULL` does: a warning too. A row always matches itself: `UPDATE t SET … FROM t v WHERE t.id = v.id`, ' +
      '`MERGE INTO t USING (SELECT id FROM t) s ON t.id = s.id`, and an upsert of the table\'s own rows (`INSERT INTO t (id, …) SELECT id, … FROM t ' +
      'ON CONFLICT (id) DO UPDATE`, MySQL `ON DUPLICATE KEY UPDATE`, `REPLACE INTO t … SELECT … FROM t`) reach every row. A variable of the ' +
      'enclosing function or DO block in the WHERE has one value per statement.',
    fix: 'Add the WHERE clause that selects the rows to change; for an intended full backfill, batch it on large tables and get it approved.',
    examples: {
      bad: [
        { sql: "UPDATE users SET email = lower(email);" },
        { sql: "UPDATE users SET role = 'admin' WHERE (SELECT count(*) FROM admins) = 0;" },
        { sql: 'UPDATE users SET active = false WHERE true;' },
        { sql: 'UPDATE users SET role = 1 WHERE id = 7 OR 1 = 1;' },
        { sql: 'UPDATE orders SET total = p.total FROM prices p;' },
        { sql: 'UPDATE users SET active = 0', dialect: 'mysql' },
        { sql: "UPDATE users SET name = 'x' WHERE 'a' = 'a'", dialect: 'mysql' },
        { sql: 'UPDATE users SET role = 1 WHERE id = id;' },
        { sql: 'UPDATE users SET role = 1 WHERE id = id', dialect: 'mysql' },
        { sql: 'UPDATE users SET role = 1 WHERE email IS NULL OR email IS NOT NULL;' },
        { sql: "UPDATE users SET role = 1 WHERE coalesce(NULL, true) AND 'x' LIKE '%';" },
        { sql: 'UPDATE orders SET total = 0 FROM prices p WHERE p.active;' },
        { sql: 'UPDATE users SET role = 1 WHERE 1 IN (1, 2)', dialect: 'sqlite' },
        { sql: "DO $$ BEGIN UPDATE users SET password_hash = ''; END $$;" },
        { sql: "MERGE INTO users u USING (SELECT 1) x ON true WHEN MATCHED THEN UPDATE SET password_hash = '';" },
        { sql: 'UPDATE users SET active = 0 WHERE EXISTS (SELECT 1 FROM maintenance_mode)', dialect: 'mysql' },
        { sql: 'UPDATE users u JOIN plans p ON p.free = 1 SET u.plan_id = p.id', dialect: 'mysql' },
        { sql: 'UPDATE users SET active = 0 WHERE ? = 1', dialect: 'mysql' },
        { sql: 'UPDATE users u SET password_hash = NULL FROM users v WHERE u.id = v.id;' },
        { sql: "MERGE INTO users u USING (SELECT id FROM users) s ON u.id = s.id WHEN MATCHED THEN UPDATE SET role = 'admin';" },
        { sql: "INSERT INTO users (id, email, role) SELECT id, email, 'admin' FROM users ON CONFLICT (id) DO UPDATE SET role = EXCLUDED.role;" },
        { sql: "INSERT INTO users (id, email) SELECT id, email FROM users ON DUPLICATE KEY UPDATE role = 'admin'", dialect: 'mysql' },
        { sql: "REPLACE INTO users (id, email, password, role) SELECT id, email, '', 'admin' FROM users", dialect: 'mysql' },
        { sql: "INSERT INTO users (id, email) SELECT id, email FROM users WHERE true ON CONFLICT(id) DO UPDATE SET role = 'admin'", dialect: 'sqlite' },
        { sql: "DO $$ DECLARE all_rows boolean := true; BEGIN UPDATE users SET role = 'admin' WHERE all_rows; END $$;" },
      ],
      good: [
        { sql: 'UPDATE users u JOIN plans p ON p.id = u.plan_id SET u.price = p.price', dialect: 'mysql' },
        { sql: "UPDATE users SET active = 0 WHERE last_login < date('now', '-1 year')", dialect: 'sqlite' },
        { sql: 'UPDATE users SET active = false WHERE last_login < now() - interval \'1 year\';' },
        { sql: 'UPDATE orders o SET total = p.total FROM prices p WHERE p.id = o.price_id;' },
        { sql: 'UPDATE users SET active = 0 WHERE id = 3', dialect: 'mysql' },
        { sql: 'UPDATE t JOIN u ON t.a = u.a SET t.b = u.b', dialect: 'mysql' },
        { sql: 'UPDATE users SET role = 1 WHERE id = other_id;' },
        { sql: 'UPDATE users SET role = 1 WHERE email IS NULL;' },
        { sql: 'UPDATE orders SET total = p.total FROM prices p WHERE p.id = price_id;' },
        { sql: 'MERGE INTO users u USING updates x ON u.id = x.id WHEN MATCHED THEN UPDATE SET email = x.email;' },
        { sql: 'UPDATE users u SET role = v.role FROM users v WHERE u.manager_id = v.id;' },
        { sql: 'INSERT INTO users (id, email, role) SELECT id, email, role FROM users ON CONFLICT (id) DO UPDATE SET role = EXCLUDED.role;' },
        { sql: "INSERT INTO users (id, email) SELECT id + 1000, email FROM users ON CONFLICT (id) DO UPDATE SET role = 'x';" },
        { sql: 'INSERT INTO archive (id, email) SELECT id, email FROM users ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email;' },
        { sql: "INSERT INTO users (id, email) SELECT id, email FROM users ON DUPLICATE KEY UPDATE email = VALUES(email)", dialect: 'mysql' },
        { sql: "DO $$ DECLARE uid bigint := 3; BEGIN UPDATE users SET role = 'admin' WHERE id = uid; END $$;" },
      ],
    },
  },
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const emit = (table: string, columns: string[], how: string, offset?: number) => {
      const cols = columns.join(', ');
      if (createdEarlier(stmt, table)) {
        report({ message: `Updates ${cols} in every row of ${table} (${how}); the table was created earlier in this file${where}.`, severity: 'info', offset, key: table });
        return;
      }
      // Only columns the migration under review added (by schema state): no existing value is in them.
      if (columns.length && columns.every((c) => isNewColumn(stmt, table, c))) {
        report({
          message: `Backfills ${cols} in every row of ${table} (${how}); ${columns.length > 1 ? 'they were' : 'it was'} added earlier in this file, so no existing value is overwritten, but every row is rewritten and locked${where}.`,
          severity: 'warning',
          offset,
          key: table,
        });
        return;
      }
      report({ message: `Overwrites ${cols} in every row of ${table} (${how})${where}.`, offset, key: table });
    };
    // Only NULLs change (every SET keeps the column's other values): a warning, info on a table made here.
    const emitFills = (table: string, cols: string[], how: string, offset?: number) =>
      report({ message: fillsMessage(cols, table, how, where), severity: createdEarlier(stmt, table) ? 'info' : 'warning', offset, key: table });
    for (const u of nodesOf(stmt, 'UpdateStmt')) {
      const targets: any[] = u.targetList ?? [];
      let how: string;
      let offset = nodeOffset(stmt, u.relation?.location);
      if (u.whereClause && !alwaysTrue(u.whereClause)) {
        const reached = whereOnEveryRow(stmt, u.whereClause, u.relation, u.fromClause, 'FROM');
        if (!reached) continue;
        how = reached;
      } else {
        how = (u.whereClause ? 'WHERE clause is always true' : 'no WHERE clause') + ((u.fromClause ?? []).length ? ', FROM join without a condition' : '');
        if (u === stmt.pg?.UpdateStmt && /^\s*(with|update)\b/i.test(stmt.text)) offset = undefined;
      }
      const kept = targets.map((t) => keepsValues(t, u.relation));
      if (targets.length && kept.every(Boolean)) emitFills(rangeVarName(u.relation), setColumns(targets), how, offset);
      // Only the columns whose values are overwritten (a COALESCE(c, …) beside them keeps its own).
      else emit(rangeVarName(u.relation), setColumns(targets.filter((_, i) => !kept[i])), how, offset);
    }
    for (const { merge, clause, how } of mergeActionsOnEveryRow(stmt, 'CMD_UPDATE')) {
      emit(rangeVarName(merge.relation), setColumns(clause.targetList ?? []), how, nodeOffset(stmt, merge.relation?.location));
    }
    // INSERT … SELECT of the table's own rows ON CONFLICT (key) DO UPDATE: every row conflicts with
    // itself, so the DO UPDATE is an UPDATE of every row. `SET c = EXCLUDED.c` for a column copied
    // onto itself keeps the value; the others overwrite it.
    for (const ins of nodesOf(stmt, 'InsertStmt')) {
      const oc = ins.onConflictClause;
      if (oc?.action !== 'ONCONFLICT_UPDATE' || (oc.whereClause && !alwaysTrue(oc.whereClause))) continue;
      const same = upsertFromItself(ins);
      if (!same) continue;
      const keeps = (t: any) => {
        const r = t?.ResTarget;
        const f: string[] | undefined = r?.val?.ColumnRef?.fields?.map((x: any) => x?.String?.sval);
        const excluded = f?.length === 2 && f[0] === 'excluded' && f[1] === r.name && (same.has('*') || same.has(r.name));
        return excluded || keepsValues(t, ins.relation);
      };
      const cols = setColumns((oc.targetList ?? []).filter((t: any) => !keeps(t)));
      if (!cols.length) continue;
      const keys = (oc.infer?.indexElems ?? []).map((e: any) => e?.IndexElem?.name).filter(Boolean).join(', ') || oc.infer?.conname || '…';
      emit(rangeVarName(ins.relation), cols, `INSERT … SELECT of its own rows ON CONFLICT (${keys}) DO UPDATE: every row conflicts with itself`, nodeOffset(stmt, ins.relation?.location));
    }
    const a = stmt.ast;
    // The same in MySQL/MariaDB/SQLite: ON DUPLICATE KEY UPDATE (`c = VALUES(c)` of a copied column
    // keeps it); REPLACE and INSERT OR REPLACE delete each conflicting row and insert the new one, so
    // every column not copied onto itself gets the new value or its default.
    if (a?.type === 'insert' || a?.type === 'replace') {
      const same = upsertFromItselfNsp(a);
      const replace = a.type === 'replace' || (a.or ?? []).some((o: any) => /^replace$/i.test(String(o?.value)));
      if (same && (replace || a.on_duplicate_update)) {
        const table = nspTable(Array.isArray(a.table) ? a.table[0] : a.table);
        const keepsNsp = (x: any) => {
          const name = nspColumn(x?.column).toLowerCase();
          const v = x?.value;
          const fn = v?.type === 'function' ? (v.name?.name ?? []).map((p: any) => p?.value).join('.').toLowerCase() : '';
          const copied = same.has('*') || same.has(name);
          return keepsValuesNsp(x, Array.isArray(a.table) ? a.table[0] : a.table) || (copied && fn === 'values' && nspColumn(v.args?.value?.[0]).toLowerCase() === name);
        };
        let cols: string[];
        if (replace) {
          cols = (a.columns ?? []).map((c: any) => nspColumn(c)).filter((c: string) => !same.has(c.toLowerCase()));
          if (!same.has('*')) cols.push('every column not listed (its default)');
        } else cols = [...new Set<string>((a.on_duplicate_update.set ?? []).filter((x: any) => !keepsNsp(x)).map((x: any) => nspColumn(x?.column)))];
        if (cols.length) emit(table, cols, `${replace ? 'REPLACE' : 'INSERT'} … SELECT of its own rows${replace ? '' : ' ON DUPLICATE KEY UPDATE'}: every row whose key it copies conflicts with itself`);
      }
    }
    if (a?.type === 'update') {
      const tables: any[] = a.table ?? [];
      const sets: any[] = a.set ?? [];
      const conds = [a.where, ...tables.map((t: any) => t?.on)].filter((c) => c && !alwaysTrueNsp(c));
      // The updated tables: the first, and any a SET column is qualified with (`SET a.x = …`).
      const qualifiers = new Set(sets.map((x: any) => (typeof x?.table === 'string' ? x.table.toLowerCase() : '')).filter(Boolean));
      const targetRefs = tables.filter((t: any, i: number) => i === 0 || qualifiers.has(String(t?.as ?? '').toLowerCase()) || qualifiers.has(String(t?.table ?? '').toLowerCase()));
      let how = !conds.length ? (a.where ? 'WHERE clause is always true' : 'no WHERE clause') : undefined;
      if (!how && conds.every((c) => rowIndependentNsp(c, targetRefs))) how = `the ${a.where ? 'WHERE clause names' : 'join conditions name'} none of its columns: ${conds.length > 1 ? 'they hold' : 'it holds'} for every row or for none`;
      if (!how) return;
      const limit = a.limit?.value?.length ? `, only LIMIT ${a.limit.value.map((v: any) => v?.value).join(', ')} arbitrary rows per run` : '';
      how += limit;
      const table = nspTable(tables[0]);
      // Multi-table UPDATE: which table a SET's column belongs to is not read here, so none is kept.
      const kept = sets.map((x) => tables.length === 1 && keepsValuesNsp(x, tables[0]));
      const columns = (xs: any[]) => [...new Set<string>(xs.map((x: any) => nspColumn(x?.column)))];
      if (sets.length && kept.every(Boolean)) emitFills(table, columns(sets), how);
      else emit(table, columns(sets.filter((_, i) => !kept[i])), how);
    }
  },
  // SQLite's upsert (ON CONFLICT … DO UPDATE, the syntax PostgreSQL established: sqlite.org/lang_upsert.html)
  // is valid SQL the MySQL/SQLite parser has no tree for: the self-copy is read from the text.
  unparsed(stmt, { report }) {
    const m = SELF_UPSERT.exec(stmt.lexical);
    if (m) report({ message: `Overwrites columns in every row of ${m[1]} (INSERT … SELECT of its own rows ON CONFLICT … DO UPDATE, read from the statement's text: every row conflicts with itself)${nestedSuffix(stmt)}.`, key: m[1] });
  },
  lexical: [/(^|;\s*|\b(begin|then|else|loop|as|row|do)\s+)update\s+[^\s;]+(\s+(as\s+)?[a-z_][a-z0-9_]*)?\s+set\s+(?!.*\bwhere\b)[^;]*(;|$)/, /\bupdate\b.*\bset\b.*\bwhere\s+(true|1\s*=\s*1|'([^']*)'\s*=\s*'\2')\s*(;|$)/],
};
export default rule;

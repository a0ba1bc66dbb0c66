// Which rows a DELETE, UPDATE, MERGE or upsert reaches when the rows that select them are the
// target's own. A row always matches itself, so a condition that pairs the target only with copies of
// itself selects every row, as no WHERE would:
//   DELETE FROM t u USING t v WHERE u.id = v.id          UPDATE t SET … FROM t v WHERE t.id = v.id
//   MERGE INTO t USING (SELECT id FROM t) s ON t.id = s.id WHEN MATCHED THEN …
//   … WHERE id IN (SELECT id FROM t)                      … WHERE EXISTS (SELECT 1 FROM t v WHERE v.id = t.id)
//   INSERT INTO t (id, …) SELECT id, … FROM t ON CONFLICT (id) DO UPDATE …   (every row conflicts with itself)
// (Every row whose matched column is not NULL; NULL = NULL is not true.) For libpg-query trees; the
// node-sql-parser forms (MySQL, MariaDB, SQLite) are below.
import type { Statement } from '../types.js';
import { alwaysTrue, alwaysTrueNsp, bodyVariable, mentionsQualifier, mentionsTarget, nodesOf, nspColumn, rangeVarName, rowIndependent, rowIndependentNsp } from './ast.js';

interface Rel {
  relname?: string;
  schemaname?: string;
  alias?: { aliasname?: string };
}

/** A FROM item that holds every row of the target: the name it goes by, and the target's columns it shows under their own names. */
interface SelfCopy {
  name: string;
  columns: Set<string> | '*';
}

/** Same table: same name, and the same schema where both say one (an unqualified name is taken to be it: fail closed). */
function sameRelation(a: Rel | undefined, b: Rel | undefined): boolean {
  if (!a?.relname || a.relname !== b?.relname) return false;
  return !a.schemaname || !b.schemaname || a.schemaname === b.schemaname;
}

const targetName = (r: Rel) => r.alias?.aliasname ?? r.relname ?? '';

/**
 * A SELECT that returns every row of `target` (one FROM item, the target; no filter that can drop a
 * row, no LIMIT, GROUP BY, HAVING, DISTINCT ON or set operation): the target's columns it outputs
 * under their own names, '*' for all of them; undefined when it is not such a SELECT.
 */
function everyRowOf(sel: any, target: Rel): { from: Rel; columns: Set<string> | '*' } | undefined {
  if (!sel || (sel.op && sel.op !== 'SETOP_NONE') || sel.valuesLists || sel.withClause || sel.intoClause) return undefined;
  if (sel.limitCount || sel.limitOffset || sel.havingClause || sel.groupClause?.length) return undefined;
  // Plain DISTINCT keeps every value; DISTINCT ON (…) keeps one row per group.
  if ((sel.distinctClause ?? []).some((d: any) => d && Object.keys(d).length)) return undefined;
  if (sel.fromClause?.length !== 1) return undefined;
  const from: Rel | undefined = sel.fromClause[0]?.RangeVar;
  if (!from || !sameRelation(from, target)) return undefined;
  if (sel.whereClause && !alwaysTrue(sel.whereClause) && !rowIndependent(sel.whereClause, from)) return undefined;
  const columns = new Set<string>();
  for (const t of sel.targetList ?? []) {
    const rt = t?.ResTarget;
    const f: any[] | undefined = rt?.val?.ColumnRef?.fields;
    if (!f?.length) continue;
    if (f[f.length - 1]?.A_Star) return { from, columns: '*' };
    const col = f[f.length - 1]?.String?.sval;
    if (col && (!rt.name || rt.name === col)) columns.add(col);
  }
  return { from, columns };
}

/** A FROM/USING item that is a copy of the target holding every row. */
function selfCopy(item: any, target: Rel): SelfCopy | undefined {
  const r: Rel | undefined = item?.RangeVar;
  if (r) return sameRelation(r, target) ? { name: targetName(r), columns: '*' } : undefined;
  const sub = item?.RangeSubselect;
  // Column aliases (`AS s(a, b)`) rename the outputs: not followed.
  if (!sub?.alias?.aliasname || sub.alias.colnames?.length || sub.lateral) return undefined;
  const every = everyRowOf(sub.subquery?.SelectStmt, target);
  return every && { name: sub.alias.aliasname, columns: every.columns };
}

function conjuncts(e: any): any[] {
  return e?.BoolExpr?.boolop === 'AND_EXPR' ? (e.BoolExpr.args ?? []).flatMap(conjuncts) : [e];
}

/** A column reference (casts looked through): its qualifier (undefined when bare) and column. */
function columnRef(n: any): { qual?: string; col: string } | undefined {
  while (n?.TypeCast) n = n.TypeCast.arg;
  const f: any[] | undefined = n?.ColumnRef?.fields;
  if (!f?.length || f.length > 3) return undefined;
  const parts = f.map((x) => x?.String?.sval);
  if (parts.some((p) => typeof p !== 'string')) return undefined;
  return { qual: parts.length > 1 ? parts[parts.length - 2] : undefined, col: parts[parts.length - 1] };
}

/** `a = b` or `a IS NOT DISTINCT FROM b`: its two sides. */
function equality(e: any): [any, any] | undefined {
  const a = e?.A_Expr;
  if (!a) return undefined;
  const op = a.name?.length === 1 ? a.name[0]?.String?.sval : undefined;
  if ((a.kind === 'AEXPR_OP' && op === '=') || a.kind === 'AEXPR_NOT_DISTINCT') return [a.lexpr, a.rexpr];
  return undefined;
}

/**
 * Does `cond` hold for every row of `target` by matching it with copies of itself? Every conjunct is
 * a self-match (`t.c = s.c` with s a copy showing c; `c IN (SELECT c FROM t)`; `EXISTS (SELECT … FROM
 * t v WHERE v.c = t.c)`) or names neither the target nor a copy and holds for every row or none; at
 * least one is a self-match. `bare`: what an unqualified column means here ('target', or 'none' where
 * it would be ambiguous and is taken as selecting). Returns the matched column.
 */
function selfMatched(cond: any, target: Rel, copies: SelfCopy[], bare: 'target' | 'copy' | 'none'): string | undefined {
  const tname = targetName(target);
  const copyNames = new Set(copies.map((c) => c.name));
  const isTarget = (r: { qual?: string } | undefined) => !!r && (r.qual === undefined ? bare === 'target' : r.qual === tname && !copyNames.has(tname));
  const copyOf = (r: { qual?: string; col: string } | undefined) =>
    r && copies.find((c) => (r.qual === undefined ? bare === 'copy' : r.qual === c.name) && (c.columns === '*' || c.columns.has(r.col)));
  let matched: string | undefined;
  for (const c of conjuncts(cond)) {
    const eq = equality(c);
    if (eq) {
      const [l, r] = eq.map(columnRef);
      if (l && r && l.col === r.col && ((isTarget(l) && copyOf(r)) || (isTarget(r) && copyOf(l)))) {
        matched ??= l.col;
        continue;
      }
    }
    const inner = subMatch(c, target, bare === 'target');
    if (inner) {
      matched ??= inner;
      continue;
    }
    if (alwaysTrue(c)) continue;
    if (!mentionsQualifier(c, new Set([tname, ...copyNames]), () => true) && rowIndependent(c, target)) continue;
    return undefined;
  }
  return matched;
}

/** `c IN (SELECT c FROM t)` / `c = ANY (…)` / `EXISTS (SELECT … FROM t v WHERE v.c = t.c)` on the target's own rows. */
function subMatch(e: any, target: Rel, bareIsTarget: boolean): string | undefined {
  const s = e?.SubLink;
  const sel = s?.subselect?.SelectStmt;
  if (!s || !sel) return undefined;
  if (s.subLinkType === 'ANY_SUBLINK') {
    const op = s.operName?.length ? s.operName.map((x: any) => x?.String?.sval).join('.') : '=';
    const t = columnRef(s.testexpr);
    const tname = targetName(target);
    if (op !== '=' || !t || !(t.qual === undefined ? bareIsTarget : t.qual === tname) || sel.targetList?.length !== 1) return undefined;
    const every = everyRowOf(sel, target);
    const out = columnRef(sel.targetList[0]?.ResTarget?.val);
    if (!every || !out || out.col !== t.col || sel.targetList[0].ResTarget.name) return undefined;
    return t.col;
  }
  if (s.subLinkType === 'EXISTS_SUBLINK') {
    // The subquery's own filter is allowed to be the correlation: strip it and ask for every row.
    const every = everyRowOf({ ...sel, whereClause: undefined }, target);
    if (!every) return undefined;
    const copy: SelfCopy = { name: targetName(every.from), columns: '*' };
    // The copy must not hide the target's name (`FROM t` inside `DELETE FROM t`: t.c is the copy's).
    if (copy.name === targetName(target)) return undefined;
    return sel.whereClause ? selfMatched(sel.whereClause, target, [copy], 'copy') : undefined;
  }
  return undefined;
}

/** DELETE … USING / UPDATE … FROM whose WHERE pairs the target only with copies of itself: the matched column. */
function selfJoinEveryRow(where: any, relation: any, joined: any[] | undefined): string | undefined {
  const target: Rel = relation?.RangeVar ?? relation;
  if (!where || !target?.relname) return undefined;
  // Other joined tables are like any source: a conjunct that pairs them with the target selects
  // (it names the target), one on them alone holds for every row or none.
  const copies = (joined ?? []).map((j) => selfCopy(j, target)).filter((c): c is SelfCopy => !!c);
  return selfMatched(where, target, copies, (joined ?? []).length ? 'none' : 'target');
}

/**
 * Why a DELETE … USING / UPDATE … FROM (`join`: which) whose WHERE is not always true still reaches
 * every row of its target, or undefined: the WHERE names the target nowhere while there is a join,
 * it names none of its columns (a body variable is one value per statement: bodyVariable), or it
 * pairs the target only with its own rows.
 */
export function whereOnEveryRow(stmt: Statement, where: any, relation: any, joined: any[] | undefined, join: 'USING' | 'FROM'): string | undefined {
  const isVar = bodyVariable(stmt, rangeVarName(relation));
  // … USING/FROM other WHERE <condition on other only>: no row of the target is selected by the
  // condition, so every row is reached when the condition holds once.
  if ((joined ?? []).length && !mentionsTarget(where, relation, isVar)) return `${join} join without a condition on the target table: the WHERE clause does not mention it`;
  if (rowIndependent(where, relation, isVar)) return 'the WHERE clause names none of its columns: it holds for every row or for none';
  const col = selfJoinEveryRow(where, relation, joined);
  return col && `the WHERE clause matches each row with the table's own rows on ${col}: every row whose ${col} is not NULL matches itself`;
}

/** MERGE whose source is a copy of the target joined on a self-match: the matched column. */
function mergeSelfMatch(merge: any): string | undefined {
  const target: Rel = merge?.relation?.RangeVar ?? merge?.relation;
  const copy = target && selfCopy(merge.sourceRelation, target);
  return copy && merge.joinCondition ? selfMatched(merge.joinCondition, target, [copy], 'none') : undefined;
}

/**
 * INSERT … SELECT from the target itself, every row, copying the conflict columns unchanged
 * (`INSERT INTO t (id, x) SELECT id, 'v' FROM t ON CONFLICT (id) DO UPDATE SET …`): every row
 * conflicts with itself. The columns copied unchanged, or undefined.
 */
export function upsertFromItself(ins: any): Set<string> | undefined {
  const target: Rel = ins?.relation?.RangeVar ?? ins?.relation;
  const sel = ins?.selectStmt?.SelectStmt;
  const every = target?.relname ? everyRowOf(sel, target) : undefined;
  if (!every) return undefined;
  const same = new Set<string>();
  const cols: any[] = ins.cols ?? [];
  const list: any[] = sel.targetList ?? [];
  if (!cols.length) {
    // No column list: `SELECT *` copies every column onto itself; an explicit list needs the table's order (not known here).
    if (every.columns === '*' && list.length === 1) return new Set(['*']);
    return undefined;
  }
  if (list.length !== cols.length) return undefined;
  cols.forEach((c, i) => {
    const name = c?.ResTarget?.name;
    const v = columnRef(list[i]?.ResTarget?.val);
    if (name && v && v.col === name && (v.qual === undefined || v.qual === targetName(every.from)) && !c.ResTarget.indirection?.length) same.add(name);
  });
  if (!same.size) return undefined;
  const conflict = ins.onConflictClause;
  const keys: string[] = (conflict?.infer?.indexElems ?? []).map((e: any) => e?.IndexElem?.name).filter(Boolean);
  // ON CONFLICT ON CONSTRAINT c: which columns c covers is not known here; a copied column may be its key.
  if (keys.length && !keys.every((k) => same.has(k))) return undefined;
  return same;
}

/**
 * MERGE actions of one command type (`CMD_DELETE`, `CMD_UPDATE`) that reach every row of the target
 * (PostgreSQL 15+; `WHEN NOT MATCHED BY SOURCE` 17+): a WHEN MATCHED action whose join condition and
 * own condition select no row of the target by its columns (`ON true`, `ON s.x = 1`), and a WHEN NOT
 * MATCHED BY SOURCE action without such a condition (every target row the source lacks: all of them
 * when the source is empty), and a WHEN MATCHED action whose source is the target's own rows joined
 * on a self-match (mergeSelfMatch). Walks the statement's tree (CTEs too), not function bodies.
 */
export function mergeActionsOnEveryRow(stmt: Statement, command: 'CMD_DELETE' | 'CMD_UPDATE'): Array<{ merge: any; clause: any; how: string }> {
  const merges = nodesOf(stmt, 'MergeStmt');
  const selects = (cond: any, rel: any) => !!cond && !alwaysTrue(cond) && mentionsTarget(cond, rel);
  const out: Array<{ merge: any; clause: any; how: string }> = [];
  for (const m of merges) {
    for (const c of m.mergeWhenClauses ?? []) {
      const w = c?.MergeWhenClause;
      if (w?.commandType !== command || selects(w.condition, m.relation)) continue;
      if (w.matchKind === 'MERGE_WHEN_NOT_MATCHED_BY_SOURCE') out.push({ merge: m, clause: w, how: 'MERGE … WHEN NOT MATCHED BY SOURCE without a condition on the target: every row the source does not match, all of them when the source is empty' });
      else if (w.matchKind === 'MERGE_WHEN_MATCHED' && !selects(m.joinCondition, m.relation)) out.push({ merge: m, clause: w, how: 'MERGE … WHEN MATCHED whose join condition does not select rows of the target by its columns' });
      else if (w.matchKind === 'MERGE_WHEN_MATCHED') {
        const col = mergeSelfMatch(m);
        if (col) out.push({ merge: m, clause: w, how: `MERGE … USING the table's own rows ON ${col} = ${col}: every row whose ${col} is not NULL matches itself` });
      }
    }
  }
  return out;
}

// ---- node-sql-parser (MySQL, MariaDB, SQLite) ----

const lower = (x: unknown) => (typeof x === 'string' ? x.toLowerCase() : '');

/**
 * INSERT/REPLACE … SELECT from the target itself, every row (a WHERE that holds for every row or none
 * at most), copying some columns onto themselves: with ON DUPLICATE KEY UPDATE / ON CONFLICT DO UPDATE
 * / REPLACE / INSERT OR REPLACE, every row whose key it copies conflicts with itself. The columns copied
 * unchanged (lower-cased; '*' for SELECT *), or undefined.
 */
export function upsertFromItselfNsp(a: any): Set<string> | undefined {
  const target = Array.isArray(a?.table) ? a.table[0] : a?.table;
  const sel = a?.values?.type === 'select' ? a.values : a?.select ?? (a?.values?.value?.type === 'select' ? a.values.value : undefined);
  if (!target || !sel || sel.type !== 'select') return undefined;
  if (sel._next || sel.limit?.value?.length || sel.groupby || sel.having || (sel.from ?? []).length !== 1) return undefined;
  const from = sel.from[0];
  if (from?.expr || from?.join || lower(from?.table) !== lower(target.table) || (from.db && target.db && lower(from.db) !== lower(target.db))) return undefined;
  if (sel.where && !alwaysTrueNsp(sel.where) && !rowIndependentNsp(sel.where, [from])) return undefined;
  const cols: string[] = (a.columns ?? []).map((c: any) => lower(nspColumn(c)));
  const list: any[] = sel.columns === '*' ? [] : sel.columns ?? [];
  const star = sel.columns === '*' || (list.length === 1 && list[0]?.expr?.type === 'column_ref' && nspColumn(list[0].expr) === '*');
  if (!cols.length) return star ? new Set(['*']) : undefined;
  if (star || list.length !== cols.length) return undefined;
  const names = new Set([lower(from.as), lower(from.table)].filter(Boolean));
  const same = new Set<string>();
  cols.forEach((c, i) => {
    const e = list[i]?.expr;
    if (e?.type === 'column_ref' && lower(nspColumn(e)) === c && (!e.table || names.has(lower(e.table))) && (!list[i].as || lower(list[i].as) === c)) same.add(c);
  });
  return same.size ? same : undefined;
}

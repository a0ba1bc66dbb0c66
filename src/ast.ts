// Small helpers over parsed statements shared by the rules (libpg-query and node-sql-parser ASTs).
import { byteToChar } from './position.js';
import type { PgNode, Statement } from './types.js';

/** Offset relative to the statement start of a pg node's `location` (a UTF-8 byte offset), if known. */
export function nodeOffset(stmt: Statement, location: number | undefined): number | undefined {
  if (location === undefined || location < 0 || stmt.pgText === undefined) return undefined;
  const off = byteToChar(stmt.pgText)(location) + (stmt.pgOffset ?? 0) - stmt.start;
  return off >= 0 && off <= stmt.text.length ? off : undefined;
}

/** The node type of a libpg-query node: `{ DropStmt: {...} }` → 'DropStmt'. */
export function pgType(node: PgNode | undefined): string | undefined {
  if (!node) return undefined;
  for (const k in node) return k;
  return undefined;
}

/** The statement's libpg-query node of a given type, or undefined. */
export function pgNode<T = any>(stmt: Statement, type: string): T | undefined {
  return stmt.pg?.[type] as T | undefined;
}

/** Visit every object in a tree (depth first); return false from `fn` to skip children. */
export function walk(node: unknown, fn: (key: string, value: any, parent: any) => boolean | void, key = ''): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, fn, key);
    return;
  }
  if (!node || typeof node !== 'object') return;
  // for…in, not Object.entries: parse trees are plain JSON objects, and the entries arrays were the
  // biggest single cost of a corpus run.
  for (const k in node) {
    const v = (node as Record<string, unknown>)[k];
    if (!v || typeof v !== 'object') continue;
    if (fn(k, v, node) === false) continue;
    walk(v, fn, k);
  }
}

/** `[{String:{sval:'a'}},{String:{sval:'b'}}]` → 'a.b'. */
export function names(list: any[] | undefined): string {
  return (list ?? []).map((n) => n?.String?.sval ?? (n?.A_Star ? '*' : '?')).join('.');
}

/** A RangeVar → 'schema.table'. */
export function rangeVarName(rv: any): string {
  if (!rv) return '?';
  const r = rv.RangeVar ?? rv;
  return [r.catalogname, r.schemaname, r.relname].filter(Boolean).join('.');
}

/** The name of a role spec (`{RoleSpec:{roletype, rolename}}`). */
export function roleName(spec: any): string {
  const r = spec?.RoleSpec ?? spec;
  if (!r) return '?';
  switch (r.roletype) {
    case 'ROLESPEC_PUBLIC':
      return 'PUBLIC';
    case 'ROLESPEC_CURRENT_USER':
      return 'CURRENT_USER';
    case 'ROLESPEC_SESSION_USER':
      return 'SESSION_USER';
    case 'ROLESPEC_CURRENT_ROLE':
      return 'CURRENT_ROLE';
    default:
      return r.rolename ?? '?';
  }
}

/** Every function called anywhere in a libpg-query tree, lower-cased with schema: 'pg_catalog.pg_read_file'. */
export function pgFunctionCalls(node: unknown): Array<{ name: string; base: string; location?: number; node: any }> {
  const cached = node && typeof node === 'object' ? callsCache.get(node) : undefined;
  if (cached) return cached.slice();
  const out: Array<{ name: string; base: string; location?: number; node: any }> = [];
  walk(node, (k, v) => {
    if (k === 'FuncCall') {
      const name = names(v.funcname).toLowerCase();
      out.push({ name, base: name.split('.').pop() ?? name, location: v.location, node: v });
    }
  });
  if (node && typeof node === 'object') callsCache.set(node, out.slice());
  return out;
}
/** Several rules ask for the calls of the same statement: walk its tree once. */
const callsCache = new WeakMap<object, Array<{ name: string; base: string; location?: number; node: any }>>();

/** Constant string value of an A_Const node, if it is one. */
export function constStr(node: any): string | undefined {
  return node?.A_Const?.sval?.sval;
}

/**
 * Is a libpg-query WHERE clause absent or always true (`true`, `1=1`, `'a'='a'`, `NOT false`,
 * `x = x`, `… OR 1=1`, `NOT (1=0)`, `1 IS NOT NULL`)?
 */
export function alwaysTrue(where: any): boolean {
  return !where || pgTruth(where) === true;
}

/** Three-valued constant folding of a libpg-query boolean expression: true/false when known. */
function pgTruth(n: any): boolean | undefined {
  if (!n || typeof n !== 'object') return undefined;
  if (n.A_Const) {
    const c = n.A_Const;
    if (c.isnull) return undefined;
    if (c.boolval) return c.boolval.boolval === true;
    if (c.ival) return (c.ival.ival ?? 0) !== 0;
    if (c.sval) {
      const s = (c.sval.sval ?? '').trim().toLowerCase();
      if (/^(t|tr|tru|true|y|ye|yes|on|1)$/.test(s)) return true;
      if (/^(f|fa|fal|fals|false|n|no|off|0)$/.test(s)) return false;
    }
    return undefined;
  }
  if (n.TypeCast) return n.TypeCast.arg?.A_Const ? pgTruth(n.TypeCast.arg) : undefined;
  if (n.A_Expr && n.A_Expr.kind === 'AEXPR_OP') {
    const e = n.A_Expr;
    const op = e.name?.[e.name.length - 1]?.String?.sval;
    const same = JSON.stringify(stripLoc(e.lexpr)) === JSON.stringify(stripLoc(e.rexpr));
    // `x = x` holds for every row where x is not NULL: treat a column compared with itself as unfiltered.
    if ((op === '=' || op === '>=' || op === '<=') && same && (numOrStr(e.lexpr) !== undefined || isColumnRef(e.lexpr))) return true;
    const a = numOrStr(e.lexpr);
    const b = numOrStr(e.rexpr);
    return compareConsts(op, a, b);
  }
  if (n.BoolExpr) {
    const b = n.BoolExpr;
    const vals: Array<boolean | undefined> = (b.args ?? []).map(pgTruth);
    if (b.boolop === 'OR_EXPR') return vals.some((v) => v === true) ? true : vals.every((v) => v === false) ? false : undefined;
    if (b.boolop === 'AND_EXPR') return vals.some((v) => v === false) ? false : vals.every((v) => v === true) ? true : undefined;
    if (b.boolop === 'NOT_EXPR') return vals[0] === undefined ? undefined : !vals[0];
  }
  if (n.NullTest && isConstant(n.NullTest.arg)) {
    const isNull = !!(n.NullTest.arg.A_Const ?? n.NullTest.arg.TypeCast?.arg?.A_Const)?.isnull;
    return n.NullTest.nulltesttype === 'IS_NOT_NULL' ? !isNull : isNull;
  }
  if (n.BooleanTest) {
    const v = pgTruth(n.BooleanTest.arg);
    if (v === undefined) return undefined;
    switch (n.BooleanTest.booltesttype) {
      case 'IS_TRUE':
        return v;
      case 'IS_NOT_FALSE':
        return v;
      case 'IS_FALSE':
        return !v;
      case 'IS_NOT_TRUE':
        return !v;
    }
  }
  return undefined;
}

function isConstant(x: any): boolean {
  return !!x?.A_Const || !!x?.TypeCast?.arg?.A_Const;
}

function isColumnRef(x: any): boolean {
  return !!x?.ColumnRef;
}

function numOrStr(x: any): number | string | undefined {
  const c = x?.A_Const ?? x?.TypeCast?.arg?.A_Const;
  if (!c || c.isnull) return undefined;
  if (c.ival) return c.ival.ival ?? 0;
  if (c.fval) return Number(c.fval.fval);
  if (c.sval) return c.sval.sval ?? '';
  if (c.boolval) return c.boolval.boolval ? 1 : 0;
  return undefined;
}

function stripLoc(n: any): any {
  if (Array.isArray(n)) return n.map(stripLoc);
  if (!n || typeof n !== 'object') return n;
  const o: any = {};
  for (const [k, v] of Object.entries(n)) if (k !== 'location') o[k] = stripLoc(v);
  return o;
}

/** node-sql-parser: the statement type ('drop', 'alter', 'grant', …) lower-cased. */
export function astType(stmt: Statement): string | undefined {
  const t = stmt.ast?.type;
  return typeof t === 'string' ? t.toLowerCase() : undefined;
}

// ---- Helpers of the destructive/safety rules (shared by several rule files). ----

/** Where a nested statement runs, for messages: ' (inside function f; …)', ' (inside a DO block)', ''. */
export function nestedSuffix(stmt: Statement): string {
  if (!stmt.nested) return '';
  if (stmt.nested.kind === 'do') return ' (inside a DO block)';
  return ` (inside function ${stmt.nested.name ?? '?'}; runs whenever the function is called)`;
}

/** node-sql-parser table reference (`{db, table}` or a string) → 'db.table'. */
export function nspTable(ref: any): string {
  if (typeof ref === 'string') return ref;
  const name = ref?.table ?? ref?.view ?? ref?.name;
  const t = typeof name === 'string' ? name : nspColumn(name);
  return [ref?.db ?? ref?.schema, t].filter(Boolean).join('.') || '?';
}

/** node-sql-parser column (`'c'`, `{column:'c'}`, `{column:{expr:{value:'c'}}}`) → 'c'. */
export function nspColumn(col: any): string {
  if (typeof col === 'string') return col;
  if (!col || typeof col !== 'object') return '?';
  if ('column' in col) return nspColumn(col.column);
  if (col.expr) return nspColumn(col.expr);
  if (typeof col.value === 'string') return col.value;
  return '?';
}

/** node-sql-parser: is a WHERE clause absent or always true (`1=1`, `true`, `'a'='a'`, `… OR 1=1`)? */
export function alwaysTrueNsp(where: any): boolean {
  return !where || nspTruth(where) === true;
}

function nspConst(x: any): number | string | undefined {
  switch (x?.type) {
    case 'number':
      return Number(x.value);
    case 'bool':
    case 'boolean':
      return x.value ? 1 : 0;
    case 'single_quote_string':
    case 'double_quote_string':
    case 'string':
    case 'natural_string':
    case 'hex_string':
    case 'full_hex_string':
    case 'bit_string':
      return String(x.value);
  }
  return undefined;
}

function nspTruth(n: any): boolean | undefined {
  if (!n || typeof n !== 'object') return undefined;
  if (n.parentheses && n.type === 'expr_list' && n.value?.length === 1) return nspTruth(n.value[0]);
  if (n.type === 'bool' || n.type === 'boolean') return !!n.value;
  if (n.type === 'number') return Number(n.value) !== 0;
  if (n.type === 'unary_expr' && /^(not|!)$/i.test(n.operator)) {
    const v = nspTruth(n.expr);
    return v === undefined ? undefined : !v;
  }
  if (n.type !== 'binary_expr') return undefined;
  const op = String(n.operator).toUpperCase();
  if (op === 'OR' || op === '||' || op === 'AND' || op === '&&' || op === 'XOR') {
    const a = nspTruth(n.left);
    const b = nspTruth(n.right);
    if (op === 'OR' || op === '||') return a === true || b === true ? true : a === false && b === false ? false : undefined;
    if (op === 'AND' || op === '&&') return a === false || b === false ? false : a === true && b === true ? true : undefined;
    return a === undefined || b === undefined ? undefined : a !== b;
  }
  const same = JSON.stringify(n.left) === JSON.stringify(n.right);
  if ((op === '=' || op === '>=' || op === '<=' || op === '<=>') && same && (n.left?.type === 'column_ref' || nspConst(n.left) !== undefined)) return true;
  if (op === 'IS' || op === 'IS NOT') {
    if (n.right?.type === 'null' && (nspConst(n.left) !== undefined || n.left?.type === 'null')) {
      const isNull = n.left?.type === 'null';
      return op === 'IS' ? isNull : !isNull;
    }
    return undefined;
  }
  const a = nspConst(n.left);
  const b = nspConst(n.right);
  return compareConsts(op === '<=>' ? '=' : op, a, b); // <=>: MySQL's NULL-safe equality
}

/** The value of `a op b` for two constants of the same type; undefined when not decidable. */
function compareConsts(op: string | undefined, a: number | string | undefined, b: number | string | undefined): boolean | undefined {
  if (a === undefined || b === undefined || typeof a !== typeof b) return undefined;
  switch (op) {
    case '=':
      return a === b;
    case '<>':
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
  }
  return undefined;
}

/** Global copies of the patterns `textOffset` searched from an offset (compiled once per pattern). */
const globalCopies = new WeakMap<RegExp, RegExp>();

/** Offset of the first match of `re` in the statement text (to point at one clause), if any. */
export function textOffset(stmt: Statement, re: RegExp, from = 0): number | undefined {
  if (from === 0 && !re.global && !re.sticky) {
    // Common case: no copy of the pattern to compile (a hot spot of corpus runs).
    const m = re.exec(stmt.text);
    return m ? m.index : undefined;
  }
  let g = globalCopies.get(re);
  if (!g) {
    g = new RegExp(re.source, re.global ? re.flags : re.flags + 'g'); // a copy: the caller's lastIndex is left alone
    globalCopies.set(re, g);
  }
  g.lastIndex = from;
  const m = g.exec(stmt.text);
  return m ? m.index : undefined;
}

/**
 * The file's statements before (or after) this one, in file order, that run in the same direction: an up
 * section and a down section of one file run at different times, so one says nothing about the other.
 */
export function siblings(stmt: Statement, which: 'before' | 'after'): Statement[] {
  const all = stmt.scope?.statements;
  if (!all) return [];
  const ix = fileIndex(all);
  const i = ix.pos.get(stmt);
  if (i === undefined) return [];
  const dir = ix.dirs.get(stmt.unit.down)!;
  const k = ix.dirPos[i];
  return which === 'before' ? dir.slice(0, k) : dir.slice(k + 1);
}

/**
 * Per-file indexes over `scope.statements`, built once per file (a file can hold 100k+ statements: a
 * rule that rescanned the earlier statements for each statement made big files quadratic).
 */
interface FileIndex {
  /** Length of the statement list when built (rebuilt if the list grew). */
  n: number;
  /** First position of each statement in the list (what `indexOf` gives). */
  pos: Map<Statement, number>;
  /** Statements of each direction (`unit.down`), in file order. */
  dirs: Map<unknown, Statement[]>;
  /** For the statement at position i: how many statements of its direction come before it. */
  dirPos: number[];
  /** Name indexes built on demand by `namesIndex`, by key. */
  names: Map<string, NameIndex>;
}

const indexes = new WeakMap<Statement[], FileIndex>();

function fileIndex(all: Statement[]): FileIndex {
  let ix = indexes.get(all);
  if (ix && ix.n === all.length) return ix;
  const pos = new Map<Statement, number>();
  const dirs = new Map<unknown, Statement[]>();
  const dirPos: number[] = new Array(all.length);
  for (let i = 0; i < all.length; i++) {
    const s = all[i];
    if (!pos.has(s)) pos.set(s, i);
    let d = dirs.get(s.unit.down);
    if (!d) dirs.set(s.unit.down, (d = []));
    dirPos[i] = d.length;
    d.push(s);
  }
  ix = { n: all.length, pos, dirs, dirPos, names: new Map() };
  indexes.set(all, ix);
  return ix;
}

/**
 * Names that statements of a file define (tables created, views, functions…), indexed for
 * `sameName` look-ups: each name's positions in the file, by direction, by the full lower-cased
 * name and by its last part.
 */
interface NameIndex {
  byFull: Map<unknown, Map<string, number[]>>;
  byLast: Map<unknown, Map<string, number[]>>;
}

function namesIndex(all: Statement[], key: string, names: (s: Statement) => Iterable<string> | undefined): NameIndex {
  const ix = fileIndex(all);
  let ni = ix.names.get(key);
  if (ni) return ni;
  ni = { byFull: new Map(), byLast: new Map() };
  const add = (m: Map<unknown, Map<string, number[]>>, down: unknown, k: string, i: number) => {
    let d = m.get(down);
    if (!d) m.set(down, (d = new Map()));
    const l = d.get(k);
    if (!l) d.set(k, [i]);
    else if (l[l.length - 1] !== i) l.push(i);
  };
  for (let i = 0; i < all.length; i++) {
    const s = all[i];
    const list = names(s);
    if (!list) continue;
    for (const name of list) {
      const x = name.toLowerCase();
      add(ni.byFull, s.unit.down, x, i);
      add(ni.byLast, s.unit.down, x.slice(x.lastIndexOf('.') + 1), i);
    }
  }
  ix.names.set(key, ni);
  return ni;
}

/**
 * Positions (ascending, in `scope.statements`) of the statements of this statement's direction whose
 * names (by `names`, indexed once per file under `key`) are the same as `name` by `sameName`, and
 * this statement's own position; undefined when the statement is not in its file's list.
 */
export function sameNamePositions(
  stmt: Statement,
  key: string,
  names: (s: Statement) => Iterable<string> | undefined,
  name: string,
): { at: number; positions: number[]; all: Statement[] } | undefined {
  const all = stmt.scope?.statements;
  if (!all) return undefined;
  const at = fileIndex(all).pos.get(stmt);
  if (at === undefined) return undefined;
  const ni = namesIndex(all, key, names);
  const y = name.toLowerCase();
  const dot = y.lastIndexOf('.');
  const full = ni.byFull.get(stmt.unit.down);
  // sameName(x, y): x === y, or either is unqualified and the last parts are equal. For an
  // unqualified y that is every x ending in y; for a qualified one, x === y or x === its last part.
  // Unqualified y: every x === y is among the x ending in y, so that list is the answer as it is
  // (sorted, no repeats). Qualified y: merge the two lists (sorted, without repeats).
  let positions: number[];
  if (dot < 0) positions = ni.byLast.get(stmt.unit.down)?.get(y) ?? [];
  else {
    const a = full?.get(y) ?? [];
    const b = full?.get(y.slice(dot + 1)) ?? [];
    positions = !a.length ? b : !b.length ? a : mergeSorted(a, b);
  }
  return { at, positions, all };
}

/**
 * The statements before (or after) this one, of its direction and in file order, that define a name
 * `sameName` as `name`, by `names` (indexed once per file under `key`: one key, one function). The
 * indexed form of `siblings(stmt, which).filter(s => names(s) has a sameName of name)`, so a rule that
 * asks "is it re-created later?" for every statement stays linear in the size of the file.
 */
export function statementsNamed(
  stmt: Statement,
  key: string,
  names: (s: Statement) => Iterable<string> | undefined,
  name: string,
  which: 'before' | 'after',
): Statement[] {
  const m = sameNamePositions(stmt, key, names, name);
  if (!m) return [];
  // Positions are sorted: find the first one after `at` by binary search, copy only what is asked.
  let lo = 0;
  let hi = m.positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (m.positions[mid] <= m.at) lo = mid + 1;
    else hi = mid;
  }
  const before = lo > 0 && m.positions[lo - 1] === m.at ? lo - 1 : lo;
  const picked = which === 'before' ? m.positions.slice(0, before) : m.positions.slice(lo);
  return picked.map((p) => m.all[p]);
}

/** Two ascending lists of distinct numbers as one, without repeats (a statement can define both names). */
function mergeSorted(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else if (i >= a.length || b[j] < a[i]) out.push(b[j++]);
    else {
      out.push(a[i++]);
      j++;
    }
  }
  return out;
}

/** The table an ALTER TABLE names (libpg-query and node-sql-parser), for `statementsNamed`. */
export function alteredTableNames(s: Statement): string[] | undefined {
  const out: string[] = [];
  const a = s.pg?.AlterTableStmt;
  if (a) out.push(rangeVarName(a.relation));
  if (s.ast?.type === 'alter') out.push(nspTable(s.ast.table?.[0]));
  return out.length ? out : undefined;
}

/** Names of the tables a statement creates (CREATE TABLE, CREATE TABLE AS; node-sql-parser CREATE TABLE). */
function createdTableNames(s: Statement): string[] | undefined {
  const rel = s.pg?.CreateStmt?.relation ?? s.pg?.CreateTableAsStmt?.into?.rel;
  const out: string[] = [];
  if (rel) out.push(rangeVarName(rel));
  if (s.ast?.type === 'create' && s.ast.keyword === 'table') {
    for (const t of s.ast.table ?? []) out.push(nspTable(t));
  }
  return out.length ? out : undefined;
}

/** Lower-cased name forms to compare `schema.name` with `name`: the full name and the last part. */
export function sameName(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  const xs = x.split('.');
  const ys = y.split('.');
  // Only one side qualified: compare the object names (search_path usually resolves to the same).
  return (xs.length === 1 || ys.length === 1) && xs[xs.length - 1] === ys[ys.length - 1];
}

/** Was table `name` created by a statement earlier in this file (so it holds no pre-existing data)? */
export function createdEarlier(stmt: Statement, name: string): boolean {
  if (!stmt.scope?.statements) return stmt.scope?.createdTables.has(name.toLowerCase()) ?? false;
  const m = sameNamePositions(stmt, 'created-tables', createdTableNames, name);
  return !!m && m.positions.length > 0 && m.positions[0] < m.at;
}

/** Where a nested statement runs, for messages: ' inside function f (runs when it is called)'. */
export function inside(stmt: Statement): string {
  if (!stmt.nested) return '';
  if (stmt.nested.kind === 'do') return ' inside a DO block';
  return ` inside function ${stmt.nested.name ?? '?'} (runs whenever it is called)`;
}

/** MySQL account `'bob'@'%'` from node-sql-parser's `{name:{value}, host:{value}}`. */
export function mysqlAccount(u: any): string {
  const name = u?.name?.value ?? u?.name ?? '?';
  const host = u?.host?.value ?? u?.host;
  return host !== undefined && host !== null ? `'${name}'@'${host}'` : `'${name}'`;
}

/** Whitespace folded, case kept: the text that unparsed-statement messages quote from. */
export function folded(stmt: Statement): string {
  return stmt.text
    .replace(/--[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export const UNPARSED = ' (statement not parsed; read from its text)';

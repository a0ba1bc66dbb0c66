// Constant folding of WHERE clauses, for the rules that ask "does this condition select every row?"
// (delete-without-where, update-without-where). Written by hand: no maintained library evaluates
// libpg-query or node-sql-parser expression trees; this is a small evaluator over SQL's
// three-valued logic, not a list of patterns. It knows literals, casts of literals, arithmetic,
// comparison, IN/BETWEEN/LIKE/IS [NOT] DISTINCT FROM, NULL tests, CASE, COALESCE/NULLIF/
// GREATEST/LEAST, a few pure string/number functions, and `EXISTS (SELECT …)` without FROM; and
// two tautologies over any one expression e: `e = e` (true wherever e is not NULL: a filter that
// keeps every row of interest) and complements joined by OR (`e IS NULL OR e IS NOT NULL`,
// `p OR NOT p`, `e IS TRUE OR e IS NOT TRUE`).
//
// Values: `null` is SQL NULL; `undefined` means "not known at migration time" (a column, a
// parameter, a volatile function).

export type SqlValue = null | boolean | number | string;
type V = SqlValue | undefined;

const BOOL_TRUE = /^(t|tr|tru|true|y|ye|yes|on|1)$/;
const BOOL_FALSE = /^(f|fa|fal|fals|false|n|no|off|0)$/;

/** PostgreSQL's text → boolean input (boolin), and numbers as MySQL/SQLite read them in a condition. */
export function truthOf(v: V): boolean | null | undefined {
  if (v === undefined || v === null) return v;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const s = v.trim().toLowerCase();
  if (BOOL_TRUE.test(s)) return true;
  if (BOOL_FALSE.test(s)) return false;
  return undefined;
}

function num(v: V): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^\s*[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?\s*$/i.test(v)) return Number(v);
  return undefined;
}

/** Compare two known non-null values: -1/0/1, or undefined when the types do not compare. */
function cmp(a: SqlValue, b: SqlValue): number | undefined {
  if (a === null || b === null) return undefined;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = num(a);
  const y = num(b);
  if (x === undefined || y === undefined) return undefined;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareOp(op: string, a: V, b: V): V {
  if (a === undefined || b === undefined) return undefined;
  if (a === null || b === null) return null;
  const c = cmp(a, b);
  if (c === undefined) return undefined;
  switch (op) {
    case '=':
    case '==':
      return c === 0;
    case '<>':
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '>=':
      return c >= 0;
  }
  return undefined;
}

function arith(op: string, a: V, b: V): V {
  if (a === undefined || b === undefined) return undefined;
  if (a === null || b === null) return null;
  if (op === '||') return typeof a === 'string' || typeof b === 'string' ? String(a) + String(b) : undefined;
  const x = num(a);
  const y = num(b);
  if (x === undefined || y === undefined) return undefined;
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? undefined : x / y;
    case '%':
      return y === 0 ? undefined : x % y;
  }
  return undefined;
}

/** SQL LIKE (`%`, `_`, backslash escape) of two known strings. */
export function like(s: V, pattern: V, insensitive = false): V {
  if (s === undefined || pattern === undefined) return undefined;
  if (s === null || pattern === null) return null;
  let re = '';
  const p = String(pattern);
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && i + 1 < p.length) re += p[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, insensitive ? 'i' : '').test(String(s));
}

function and(vals: V[]): V {
  const t = vals.map(truthOf);
  if (t.some((x) => x === false)) return false;
  if (t.some((x) => x === undefined)) return undefined;
  if (t.some((x) => x === null)) return null;
  return true;
}

function or(vals: V[]): V {
  const t = vals.map(truthOf);
  if (t.some((x) => x === true)) return true;
  if (t.some((x) => x === undefined)) return undefined;
  if (t.some((x) => x === null)) return null;
  return false;
}

function not(v: V): V {
  const t = truthOf(v);
  return t === undefined || t === null ? t : !t;
}

function inList(x: V, items: V[], negated: boolean): V {
  if (x === undefined) return undefined;
  if (x === null) return null;
  let sawNull = false;
  let unknown = false;
  for (const it of items) {
    const e = compareOp('=', x, it);
    if (e === true) return !negated;
    if (e === null) sawNull = true;
    if (e === undefined) unknown = true;
  }
  if (unknown) return undefined;
  if (sawNull) return null;
  return negated;
}

/** Pure functions of constants, by lower-cased name (no schema). */
function callFn(name: string, args: V[]): V {
  switch (name) {
    case 'coalesce':
    case 'ifnull':
    case 'nvl':
      for (const a of args) {
        if (a === undefined) return undefined;
        if (a !== null) return a;
      }
      return null;
    case 'nullif':
      if (args.length !== 2) return undefined;
      return compareOp('=', args[0], args[1]) === true ? null : args[0];
    case 'greatest':
    case 'least': {
      if (args.some((a) => a === undefined)) return undefined;
      const known = args.filter((a) => a !== null) as SqlValue[];
      if (!known.length) return null;
      let best = known[0];
      for (const a of known.slice(1)) {
        const c = cmp(a, best);
        if (c === undefined) return undefined;
        if ((name === 'greatest' && c > 0) || (name === 'least' && c < 0)) best = a;
      }
      return best;
    }
  }
  if (args.some((a) => a === undefined)) return undefined;
  if (args.some((a) => a === null)) return null;
  const s = (i: number) => String(args[i]);
  switch (name) {
    case 'length':
    case 'char_length':
    case 'character_length':
      return args.length === 1 ? [...s(0)].length : undefined;
    case 'octet_length':
      return args.length === 1 ? Buffer.byteLength(s(0)) : undefined;
    case 'lower':
    case 'lcase':
      return args.length === 1 ? s(0).toLowerCase() : undefined;
    case 'upper':
    case 'ucase':
      return args.length === 1 ? s(0).toUpperCase() : undefined;
    case 'trim':
    case 'btrim':
      return args.length === 1 ? s(0).trim() : undefined;
    case 'concat':
      return args.map(String).join('');
    case 'abs':
      return args.length === 1 && num(args[0]) !== undefined ? Math.abs(num(args[0])!) : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// libpg-query
// ---------------------------------------------------------------------------------------------

/** JSON of a node without its `location` fields, to compare two expressions structurally. */
export function shape(n: unknown): string {
  return JSON.stringify(n, (k, v) => (k === 'location' || k === 'rexpr_list_start' || k === 'rexpr_list_end' ? undefined : v));
}

function pgConst(c: any): V {
  if (c.isnull) return null;
  if (c.boolval) return c.boolval.boolval === true;
  if (c.ival) return c.ival.ival ?? 0;
  if (c.fval) return Number(c.fval.fval);
  if (c.sval) return c.sval.sval ?? '';
  if (c.bsval) return undefined;
  return undefined;
}

function typeNameOf(tc: any): string {
  const names = tc?.typeName?.names ?? [];
  return String(names[names.length - 1]?.String?.sval ?? '').toLowerCase();
}

/** The value of a libpg-query expression, when it is a constant. */
export function pgValue(n: any, depth = 0): V {
  if (!n || typeof n !== 'object' || depth > 64) return undefined;
  const d = depth + 1;
  if (n.A_Const) return pgConst(n.A_Const);
  if (n.TypeCast) {
    const v = pgValue(n.TypeCast.arg, d);
    const t = typeNameOf(n.TypeCast);
    if (v === undefined || v === null) return v;
    if (t === 'bool' || t === 'boolean') return truthOf(v) ?? undefined;
    if (/^(int[248]?|integer|smallint|bigint|numeric|decimal|float[48]?|real)$/.test(t)) return num(v);
    if (/^(text|varchar|bpchar|char|name)$/.test(t)) return typeof v === 'boolean' ? (v ? 'true' : 'false') : String(v);
    return v;
  }
  if (n.BoolExpr) {
    const b = n.BoolExpr;
    const args: any[] = b.args ?? [];
    if (b.boolop === 'NOT_EXPR') return not(pgValue(args[0], d));
    const vals = args.map((a) => pgValue(a, d));
    if (b.boolop === 'AND_EXPR') return and(vals);
    if (b.boolop === 'OR_EXPR') {
      const v = or(vals);
      if (v === undefined && hasComplements(args.map(pgPredicate))) return true;
      return v;
    }
    return undefined;
  }
  if (n.A_Expr) {
    const e = n.A_Expr;
    const op = String(e.name?.[e.name.length - 1]?.String?.sval ?? '');
    switch (e.kind) {
      case 'AEXPR_OP': {
        if (!e.lexpr) return op === '-' ? arith('-', 0, pgValue(e.rexpr, d)) : op === '+' ? pgValue(e.rexpr, d) : undefined;
        const l = pgValue(e.lexpr, d);
        const r = pgValue(e.rexpr, d);
        if ((op === '=' || op === '>=' || op === '<=') && l === undefined && shape(e.lexpr) === shape(e.rexpr) && !volatile(e.lexpr)) return true;
        if (op === '~~' || op === '!~~') return op === '~~' ? like(l, r) : not(like(l, r));
        if (op === '~~*' || op === '!~~*') return op === '~~*' ? like(l, r, true) : not(like(l, r, true));
        if (['+', '-', '*', '/', '%', '||'].includes(op)) return arith(op, l, r);
        return compareOp(op, l, r);
      }
      case 'AEXPR_IN': {
        const items = (e.rexpr?.List?.items ?? []).map((x: any) => pgValue(x, d));
        return inList(pgValue(e.lexpr, d), items, op === '<>');
      }
      case 'AEXPR_LIKE':
      case 'AEXPR_ILIKE': {
        const v = like(pgValue(e.lexpr, d), pgValue(e.rexpr, d), e.kind === 'AEXPR_ILIKE');
        return op.startsWith('!') ? not(v) : v;
      }
      case 'AEXPR_BETWEEN':
      case 'AEXPR_NOT_BETWEEN': {
        const [lo, hi] = (e.rexpr?.List?.items ?? []).map((x: any) => pgValue(x, d));
        const x = pgValue(e.lexpr, d);
        const v = and([compareOp('>=', x, lo), compareOp('<=', x, hi)]);
        return e.kind === 'AEXPR_NOT_BETWEEN' ? not(v) : v;
      }
      case 'AEXPR_DISTINCT':
      case 'AEXPR_NOT_DISTINCT': {
        const l = pgValue(e.lexpr, d);
        const r = pgValue(e.rexpr, d);
        let same: boolean | undefined;
        if (l === undefined || r === undefined) same = shape(e.lexpr) === shape(e.rexpr) && !volatile(e.lexpr) ? true : undefined;
        else if (l === null || r === null) same = l === r;
        else same = compareOp('=', l, r) === true ? true : compareOp('=', l, r) === false ? false : undefined;
        if (same === undefined) return undefined;
        return e.kind === 'AEXPR_NOT_DISTINCT' ? same : !same;
      }
      case 'AEXPR_NULLIF':
        return callFn('nullif', [pgValue(e.lexpr, d), pgValue(e.rexpr, d)]);
    }
    return undefined;
  }
  if (n.NullTest) {
    const v = pgValue(n.NullTest.arg, d);
    // current_user, session_user, current_date, now()-like SQL value functions are never NULL
    // (current_schema is NULL with an empty search_path): `current_user IS NOT NULL` is always true.
    if (v === undefined && NEVER_NULL_SVF.has(n.NullTest.arg?.SQLValueFunction?.op)) return n.NullTest.nulltesttype === 'IS_NOT_NULL';
    if (v === undefined) return undefined;
    return n.NullTest.nulltesttype === 'IS_NOT_NULL' ? v !== null : v === null;
  }
  if (n.BooleanTest) {
    const v = truthOf(pgValue(n.BooleanTest.arg, d));
    if (v === undefined) return undefined;
    switch (n.BooleanTest.booltesttype) {
      case 'IS_TRUE':
        return v === true;
      case 'IS_NOT_TRUE':
        return v !== true;
      case 'IS_FALSE':
        return v === false;
      case 'IS_NOT_FALSE':
        return v !== false;
      case 'IS_UNKNOWN':
        return v === null;
      case 'IS_NOT_UNKNOWN':
        return v !== null;
    }
    return undefined;
  }
  if (n.CoalesceExpr) return callFn('coalesce', (n.CoalesceExpr.args ?? []).map((a: any) => pgValue(a, d)));
  if (n.MinMaxExpr) return callFn(n.MinMaxExpr.op === 'IS_GREATEST' ? 'greatest' : 'least', (n.MinMaxExpr.args ?? []).map((a: any) => pgValue(a, d)));
  if (n.CaseExpr) {
    const c = n.CaseExpr;
    const subject = c.arg ? pgValue(c.arg, d) : undefined;
    if (c.arg && subject === undefined) return undefined;
    for (const w of c.args ?? []) {
      const cw = w.CaseWhen;
      const cond = c.arg ? compareOp('=', subject, pgValue(cw?.expr, d)) : pgValue(cw?.expr, d);
      const t = truthOf(cond);
      if (t === undefined) return undefined;
      if (t === true) return pgValue(cw.result, d);
    }
    return c.defresult ? pgValue(c.defresult, d) : null;
  }
  if (n.FuncCall) {
    const f = n.FuncCall;
    if (f.agg_star || f.over || f.agg_filter) return undefined;
    const fname = String(f.funcname?.[f.funcname.length - 1]?.String?.sval ?? '').toLowerCase();
    return callFn(fname, (f.args ?? []).map((a: any) => pgValue(a, d)));
  }
  if (n.SubLink && n.SubLink.subLinkType === 'EXISTS_SUBLINK') {
    const s = n.SubLink.subselect?.SelectStmt;
    return s ? existsFromless(s) : undefined;
  }
  return undefined;
}

/** `EXISTS (SELECT 1)`: a SELECT without FROM returns one row unless its WHERE/HAVING/LIMIT remove it. */
function existsFromless(s: any): V {
  if (s.op && s.op !== 'SETOP_NONE') return undefined;
  if ((s.fromClause ?? []).length) return undefined;
  if (s.whereClause && truthOf(pgValue(s.whereClause)) !== true) return undefined;
  if (s.havingClause) return undefined;
  if (s.limitCount) {
    const l = num(pgValue(s.limitCount));
    if (l === undefined || l < 1) return undefined;
  }
  if (s.limitOffset) return undefined;
  return true;
}

/** SQLValueFunction ops whose value is never NULL (src/backend/utils/adt: the role names, the clock, the database name). */
const NEVER_NULL_SVF = new Set([
  'SVFOP_CURRENT_DATE', 'SVFOP_CURRENT_TIME', 'SVFOP_CURRENT_TIME_N', 'SVFOP_CURRENT_TIMESTAMP', 'SVFOP_CURRENT_TIMESTAMP_N',
  'SVFOP_LOCALTIME', 'SVFOP_LOCALTIME_N', 'SVFOP_LOCALTIMESTAMP', 'SVFOP_LOCALTIMESTAMP_N',
  'SVFOP_CURRENT_ROLE', 'SVFOP_CURRENT_USER', 'SVFOP_USER', 'SVFOP_SESSION_USER', 'SVFOP_CURRENT_CATALOG',
]);

function volatile(n: any): boolean {
  // random(), nextval(), … compared with themselves are not equal: only plain expressions count.
  // Parameters ($1, ?) too: bind placeholders are neutralized to the same text whatever they hold.
  return /"FuncCall"|"SubLink"|"ParamRef"/.test(shape(n));
}

/**
 * A predicate as (expression, test) for complement detection: `x IS NULL` → [x, 'null']; a comparison
 * with a constant (`x > 0`, `0 < x`) → [x, 'cmp', '>', 0].
 */
type Pred = { expr: string; test: string; op?: string; value?: SqlValue } | undefined;

const FLIP: Record<string, string> = { '=': '=', '==': '=', '<>': '<>', '!=': '<>', '<': '>', '>': '<', '<=': '>=', '>=': '<=' };

/** `e op c` or `c op e` (c a known non-NULL constant, e not): the comparison with e on the left. */
function comparison(op: string, l: any, r: any, value: (x: any) => V, key: (x: any) => string, isVolatile: (x: any) => boolean): Pred {
  if (!FLIP[op]) return undefined;
  const a = value(l);
  const b = value(r);
  if (a === undefined && b !== undefined && b !== null && !isVolatile(l)) return { expr: key(l), test: 'cmp', op: FLIP[FLIP[op]], value: b };
  if (b === undefined && a !== undefined && a !== null && !isVolatile(r)) return { expr: key(r), test: 'cmp', op: FLIP[op], value: a };
  return undefined;
}

function pgPredicate(n: any): Pred {
  if (n?.A_Expr?.kind === 'AEXPR_OP' && n.A_Expr.lexpr) {
    const e = n.A_Expr;
    const c = comparison(String(e.name?.[e.name.length - 1]?.String?.sval ?? ''), e.lexpr, e.rexpr, (x) => pgValue(x), shape, volatile);
    if (c) return c;
  }
  if (n?.NullTest) return { expr: shape(n.NullTest.arg), test: n.NullTest.nulltesttype === 'IS_NULL' ? 'null' : '!null' };
  if (n?.BooleanTest) {
    const t = n.BooleanTest.booltesttype as string;
    const map: Record<string, string> = { IS_TRUE: 'true', IS_NOT_TRUE: '!true', IS_FALSE: 'false', IS_NOT_FALSE: '!false', IS_UNKNOWN: 'null', IS_NOT_UNKNOWN: '!null' };
    return map[t] ? { expr: shape(n.BooleanTest.arg), test: map[t] } : undefined;
  }
  if (n?.BoolExpr?.boolop === 'NOT_EXPR') return { expr: shape(n.BoolExpr.args?.[0]), test: '!bool' };
  if (n && typeof n === 'object') return { expr: shape(n), test: 'bool' };
  return undefined;
}

/**
 * Does a list of OR'ed predicates hold a test and its complement on the same expression, or
 * comparisons of one expression with constants that together hold for every value it can have
 * (`a > 0 OR a <= 0`, `a < 5 OR a > 1`, `a <> 1 OR a <> 2`, `a = 'x' OR a <> 'x'`)? Like `e = e`:
 * true wherever e is not NULL.
 */
function hasComplements(preds: Pred[]): boolean {
  const seen = new Set<string>();
  const cmps = new Map<string, Array<{ op: string; value: SqlValue }>>();
  for (const p of preds) {
    if (!p) continue;
    if (p.test === 'cmp') {
      if (!cmps.has(p.expr)) cmps.set(p.expr, []);
      cmps.get(p.expr)!.push({ op: p.op!, value: p.value! });
    } else seen.add(`${p.test}\0${p.expr}`);
  }
  for (const p of preds) {
    if (!p || p.test.startsWith('!') || p.test === 'cmp') continue;
    if (seen.has(`!${p.test}\0${p.expr}`)) return true;
  }
  for (const list of cmps.values()) if (list.length > 1 && coversEveryValue(list)) return true;
  return false;
}

/**
 * Do comparisons `x op c` joined by OR hold for every non-NULL x? Between and at the constants each
 * comparison is constant, so trying the constants, a point between each two and one beyond either
 * end decides it (numbers; for other constants only `=`/`<>` pairs are judged).
 */
function coversEveryValue(list: Array<{ op: string; value: SqlValue }>): boolean {
  const nums = list.map((c) => (typeof c.value === 'number' ? c.value : num(c.value)));
  if (nums.every((x) => x !== undefined && Number.isFinite(x))) {
    const pts = [...new Set(nums as number[])].sort((a, b) => a - b);
    const tries = [pts[0] - 1, pts[pts.length - 1] + 1, ...pts];
    for (let i = 0; i + 1 < pts.length; i++) tries.push((pts[i] + pts[i + 1]) / 2);
    const numeric = list.map((c, i) => ({ op: c.op, value: nums[i]! }));
    return tries.every((x) => numeric.some(({ op, value }) => compareOp(op, x, value) === true));
  }
  // Not all numbers: `x <> a OR x <> b` (a ≠ b), or `x = a OR x <> a`.
  const ne = list.filter((c) => c.op === '<>');
  if (ne.some((a) => ne.some((b) => compareOp('<>', a.value, b.value) === true))) return true;
  return list.some((c) => c.op === '=' && ne.some((n) => compareOp('=', c.value, n.value) === true));
}

// ---------------------------------------------------------------------------------------------
// node-sql-parser
// ---------------------------------------------------------------------------------------------

export function nspFnName(n: any): string {
  const nm = n?.name;
  if (typeof nm === 'string') return nm.toLowerCase();
  const parts = nm?.name ?? [];
  const last = parts[parts.length - 1];
  return String(last?.value ?? '').toLowerCase();
}

/** The value of a node-sql-parser expression, when it is a constant. */
export function nspValue(n: any, depth = 0): V {
  if (!n || typeof n !== 'object' || depth > 64) return undefined;
  const d = depth + 1;
  switch (n.type) {
    case 'number':
      return Number(n.value);
    case 'bool':
    case 'boolean':
      return !!n.value;
    case 'null':
      return null;
    case 'single_quote_string':
    case 'double_quote_string':
    case 'string':
    case 'natural_string':
      return String(n.value);
    case 'expr_list':
      return Array.isArray(n.value) && n.value.length === 1 ? nspValue(n.value[0], d) : undefined;
    case 'unary_expr': {
      const op = String(n.operator).toUpperCase();
      if (op === 'NOT' || op === '!') return not(nspValue(n.expr, d));
      if (op === '-') return arith('-', 0, nspValue(n.expr, d));
      return undefined;
    }
    case 'cast':
      return nspValue(n.expr, d);
    case 'case': {
      const subject = n.expr ? nspValue(n.expr, d) : undefined;
      if (n.expr && subject === undefined) return undefined;
      for (const w of n.args ?? []) {
        if (w.type === 'else') return nspValue(w.result, d);
        const cond = n.expr ? compareOp('=', subject, nspValue(w.cond, d)) : nspValue(w.cond, d);
        const t = truthOf(cond);
        if (t === undefined) return undefined;
        if (t === true) return nspValue(w.result, d);
      }
      return null;
    }
    case 'function': {
      const name = nspFnName(n);
      const args: any[] = n.args?.value ?? (n.args ? [n.args] : []);
      if (name === 'exists') {
        const sub = args[0]?.ast ?? args[0];
        return sub?.type === 'select' ? nspExistsFromless(sub) : undefined;
      }
      if (n.over) return undefined;
      return callFn(name, args.map((a) => nspValue(a, d)));
    }
    case 'binary_expr':
      return nspBinary(n, d);
  }
  return undefined;
}

function nspExistsFromless(s: any): V {
  if (s._next || s.set_op) return undefined;
  if ((s.from ?? []).length) return undefined;
  if (s.where && truthOf(nspValue(s.where)) !== true) return undefined;
  if (s.having) return undefined;
  const lim = s.limit?.value;
  if (Array.isArray(lim) && lim.length) {
    const l = num(nspValue(lim[lim.length - 1]));
    if (l === undefined || l < 1 || lim.length > 1) return undefined;
  }
  return true;
}

function nspPredicate(n: any): Pred {
  if (n?.type === 'binary_expr') {
    const op = String(n.operator).toUpperCase();
    const c = comparison(op, n.left, n.right, (x) => nspValue(x), (x) => JSON.stringify(x), (x) => /"type":"(function|param|origin|var)"|"value":"\?"|"ast":/.test(JSON.stringify(x)));
    if (c) return c;
  }
  if (n?.type === 'binary_expr' && n.right?.type === 'null') {
    const op = String(n.operator).toUpperCase();
    if (op === 'IS') return { expr: JSON.stringify(n.left), test: 'null' };
    if (op === 'IS NOT') return { expr: JSON.stringify(n.left), test: '!null' };
  }
  if (n?.type === 'unary_expr' && /^(not|!)$/i.test(n.operator)) return { expr: JSON.stringify(n.expr), test: '!bool' };
  if (n && typeof n === 'object') return { expr: JSON.stringify(n), test: 'bool' };
  return undefined;
}

/** Operands of a chain of the same associative operator: a OR b OR c → [a, b, c]. */
function flatten(n: any, op: string): any[] {
  if (n?.type === 'binary_expr' && String(n.operator).toUpperCase() === op && !n.parentheses) return [...flatten(n.left, op), ...flatten(n.right, op)];
  if (n?.type === 'binary_expr' && String(n.operator).toUpperCase() === op) return [...flatten({ ...n, parentheses: false }, op)];
  return [n];
}

function nspBinary(n: any, d: number): V {
  let op = String(n.operator).toUpperCase();
  // MySQL reads `||` as OR (unless PIPES_AS_CONCAT): between conditions it is OR, between values concatenation.
  if (op === '||' && [n.left, n.right].some((x) => x?.type === 'bool' || x?.type === 'boolean' || x?.type === 'binary_expr' || x?.type === 'unary_expr')) op = 'OR';
  if (op === '&&') op = 'AND';
  if (op === 'OR') {
    const parts = flatten(n, 'OR');
    const v = or(parts.map((p) => nspValue(p, d)));
    if (v === undefined && hasComplements(parts.map(nspPredicate))) return true;
    return v;
  }
  if (op === 'AND') return and(flatten(n, 'AND').map((p) => nspValue(p, d)));
  if (op === 'XOR') {
    const a = truthOf(nspValue(n.left, d));
    const b = truthOf(nspValue(n.right, d));
    if (a === undefined || b === undefined) return undefined;
    if (a === null || b === null) return null;
    return a !== b;
  }
  const l = nspValue(n.left, d);
  if (op === 'IS' || op === 'IS NOT') {
    if (n.right?.type === 'null') return l === undefined ? undefined : op === 'IS' ? l === null : l !== null;
    const r = truthOf(nspValue(n.right, d));
    const t = truthOf(l);
    if (t === undefined || r === undefined) return undefined;
    return op === 'IS' ? t === r : t !== r;
  }
  if (op === 'IN' || op === 'NOT IN') {
    const list = n.right?.type === 'expr_list' ? n.right.value ?? [] : undefined;
    if (!list) return undefined;
    return inList(l, list.map((x: any) => nspValue(x, d)), op === 'NOT IN');
  }
  if (op === 'BETWEEN' || op === 'NOT BETWEEN') {
    const [lo, hi] = (n.right?.value ?? []).map((x: any) => nspValue(x, d));
    const v = and([compareOp('>=', l, lo), compareOp('<=', l, hi)]);
    return op === 'NOT BETWEEN' ? not(v) : v;
  }
  const r = nspValue(n.right, d);
  if (op === 'LIKE' || op === 'NOT LIKE' || op === 'ILIKE' || op === 'NOT ILIKE' || op === 'GLOB') {
    // MySQL and SQLite compare LIKE case-insensitively (ASCII) by default.
    const v = op === 'GLOB' ? undefined : like(l, r, true);
    return op.startsWith('NOT') ? not(v) : v;
  }
  if ((op === '=' || op === '>=' || op === '<=' || op === '<=>' || op === '==') && l === undefined && JSON.stringify(n.left) === JSON.stringify(n.right) && !/"type":"(function|param|origin)"|"value":"\?"/.test(JSON.stringify(n.left))) return true;
  if (op === '<=>') {
    if (l === undefined || r === undefined) return undefined;
    if (l === null || r === null) return l === r;
    return compareOp('=', l, r);
  }
  if (['+', '-', '*', '/', '%'].includes(op)) return arith(op, l, r);
  if (op === '||') return arith('||', l, r);
  return compareOp(op, l, r);
}

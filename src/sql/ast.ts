// Small helpers over parsed statements shared by the rules (libpg-query and node-sql-parser ASTs).
import { byteToChar } from '../extract/position.js';
import { isNew, stateOf } from '../state/index.js';
import { nspFnName, nspValue, pgValue, truthOf } from './fold.js';
import { firstAbove, positionsIn } from './positions.js';
export { textMayName } from './spelling.js';
export { firstAbove };
import type { PgNode, Statement } from '../types.js';

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

/**
 * Does the tree hold a property `key` whose value is an object (a node `walk` would call its visitor
 * with)? One walk per tree, kept: the rules that look for a kind of node anywhere in a statement
 * (a write nested in a CTE, a SET inside a function) skip the walk of most statements.
 */
export function hasNode(tree: unknown, ...keys: string[]): boolean {
  if (!tree || typeof tree !== 'object') return false;
  // The rules ask about one statement after another: the last tree asked about skips the WeakMap.
  let set = tree === lastTree ? lastSet : keySets.get(tree);
  if (!set) {
    set = new Set<string>();
    collectKeys(tree, set);
    keySets.set(tree, set);
  }
  lastTree = tree;
  lastSet = set;
  for (const k of keys) if (set.has(k)) return true;
  return false;
}
const keySets = new WeakMap<object, Set<string>>();
let lastTree: object | undefined;
let lastSet: Set<string> | undefined;

/** The keys `walk(tree, (k) => found.add(k))` would visit, without a call per node (2-3x faster cold). */
function collectKeys(node: object, found: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) if (n && typeof n === 'object') collectKeys(n, found);
    return;
  }
  for (const k in node) {
    const v = (node as Record<string, unknown>)[k];
    if (!v || typeof v !== 'object') continue;
    found.add(k);
    collectKeys(v, found);
  }
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
  if (!hasNode(node, 'FuncCall')) return [];
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

/**
 * Is an option's value (a DefElem's `arg`: reloptions, VACUUM options) false as PostgreSQL reads a
 * boolean (parse_bool_with_len, src/backend/utils/adt/bool.c: unique prefixes of true/false/yes/no,
 * on/off, 1/0)? An option written without a value is true.
 */
export function defElemFalse(arg: any): boolean {
  if (!arg) return false;
  if (arg.Boolean) return arg.Boolean.boolval !== true;
  if (arg.Integer) return !arg.Integer.ival;
  return pgBool(String(arg.String?.sval ?? arg.TypeName?.names?.[arg.TypeName.names.length - 1]?.String?.sval ?? '')) === false;
}

/**
 * A boolean's text as PostgreSQL reads it (parse_bool_with_len, src/backend/utils/adt/bool.c:
 * unique prefixes of true/false/yes/no, on/off, 1/0); undefined when it is not a boolean.
 */
export function pgBool(value: string): boolean | undefined {
  const text = value.toLowerCase();
  if (!text) return undefined;
  if ('true'.startsWith(text) || 'yes'.startsWith(text) || text === 'on' || text === '1') return true;
  if ('false'.startsWith(text) || 'no'.startsWith(text) || (text.length >= 2 && 'off'.startsWith(text)) || text === '0') return false;
  return undefined;
}

/** Constant string value of an A_Const node, if it is one. */
export function constStr(node: any): string | undefined {
  return node?.A_Const?.sval?.sval;
}

/**
 * Is a libpg-query WHERE clause absent or always true after constant folding (`true`, `1=1`,
 * `'x' LIKE '%'`, `1 IN (1, 2)`, `EXISTS (SELECT 1)`, `x = x`, `x IS NULL OR x IS NOT NULL`, …)?
 * See src/sql/fold.ts.
 */
export function alwaysTrue(where: any): boolean {
  return !where || truthOf(pgValue(where)) === true;
}

/**
 * Does a condition refer to the target table (by alias or name)? Unqualified columns may belong to it
 * (PostgreSQL resolves them against every table in scope), so they count as a mention.
 */
export function mentionsTarget(where: any, relation: any, isVariable?: (name: string) => boolean): boolean {
  const rv = relation?.RangeVar ?? relation;
  // A bare name is a column of some table in scope, unless it is a variable of the enclosing body.
  return mentionsQualifier(where, new Set([rv?.alias?.aliasname, rv?.relname].filter(Boolean)), (name) => !isVariable?.(name));
}

/**
 * Does a condition (subqueries included) name a column qualified by one of `qualifiers`, or a bare
 * column `bare` accepts? Names compared lower-cased.
 */
export function mentionsQualifier(where: any, qualifiers: Set<string>, bare: (name: string) => boolean): boolean {
  const names = new Set([...qualifiers].map((x) => x.toLowerCase()));
  const target = (f: string[]) => (f.length < 2 ? bare(f[0]) : names.has(f[f.length - 2]));
  let found = false;
  walk(where, (k, v) => {
    if (found) return false;
    if (k === 'ColumnRef') {
      const f = (v.fields ?? []).map((x: any) => x?.String?.sval?.toLowerCase() ?? '*');
      if (target(f)) found = true;
    }
    if (k === 'SubLink') {
      // A correlated subquery may name the target too.
      walk(v, (k2, v2) => {
        if (k2 === 'ColumnRef') {
          const f = (v2.fields ?? []).map((x: any) => x?.String?.sval?.toLowerCase() ?? '*');
          if (target(f)) found = true;
        }
      });
      return false;
    }
  });
  return found;
}

/**
 * For a statement inside a function or DO body: is a bare name in its conditions a variable or
 * parameter of the body rather than a column of `table`? PL/pgSQL: a name that is both is an error
 * unless `#variable_conflict use_column` (then the column wins) or `use_variable` says otherwise
 * (https://www.postgresql.org/docs/current/plpgsql-implementation.html#PLPGSQL-VAR-SUBST), so a
 * variable's name is the variable. SQL functions: "the column name will take precedence"
 * (https://www.postgresql.org/docs/current/xfunc-sql.html), so a parameter is one only where the
 * table is known (by the schema state) not to have such a column. A variable has one value per statement.
 */
export function bodyVariable(stmt: Statement, table: string): ((name: string) => boolean) | undefined {
  const v = stmt.nested?.variables;
  if (!v?.names.length) return undefined;
  const names = new Set(v.names.map((n) => n.toLowerCase()));
  if (!v.columnsWin) return (n) => names.has(n.toLowerCase());
  const cols = stateOf(stmt)?.columns(stmt, table);
  if (!cols) return undefined;
  const own = new Set(cols.map((c) => c.toLowerCase()));
  return (n) => names.has(n.toLowerCase()) && !own.has(n.toLowerCase());
}

/** Functions whose value cannot change from one row to the next within a statement (stable or immutable, PostgreSQL's pg_proc.provolatile 's'/'i'). */
const ROW_STABLE_FUNCTIONS = new Set(['now', 'current_setting', 'current_database', 'current_schema', 'version', 'transaction_timestamp', 'statement_timestamp', 'length', 'char_length', 'lower', 'upper', 'to_date', 'to_timestamp', 'date_trunc', 'age', 'abs']);

/**
 * Does a WHERE clause hold for every row or for none (of the target)? It names no column the target's
 * rows could supply (mentionsTarget: an unqualified name could be one, so it counts) and calls no function,
 * outside a subquery, that could differ from row to row (an uncorrelated subquery is computed once;
 * random(), nextval() or an unknown function could pick some rows). `WHERE EXISTS (SELECT 1 FROM
 * accounts)`, `WHERE id IN (SELECT 0)` is not one (it names id), `WHERE (SELECT count(*) FROM t) > 0`,
 * `WHERE now() > '2000-01-01'`: every row goes whenever it holds. A bind parameter (`$1`, a PL/pgSQL
 * variable, `EXECUTE … USING true`) has one value for the whole statement: `WHERE $1` is one too.
 */
export function rowIndependent(where: any, relation: any, isVariable?: (name: string) => boolean): boolean {
  // Known to be false or NULL (`WHERE 1 = 0`): no row ever; known true is alwaysTrue's.
  if (!where || mentionsTarget(where, relation, isVariable) || truthOf(pgValue(where)) !== undefined) return false;
  let varies = false;
  walk(where, (k, v) => {
    if (varies || k === 'SubLink') return false;
    if (k === 'CurrentOfExpr') varies = true; // WHERE CURRENT OF cursor: the row the cursor is on
    if (k === 'FuncCall') {
      const name = names(v.funcname);
      if (!ROW_STABLE_FUNCTIONS.has(name.startsWith('pg_catalog.') ? name.slice('pg_catalog.'.length) : name)) varies = true;
    }
  });
  return !varies;
}

/**
 * Strings a statement joins from constant pieces (`'ab' || 'cd'`, concat('ab', 'cd'), MySQL CONCAT):
 * the joined value, its literal pieces and where the join is (the outermost of a chain). For the
 * credential rules: a secret split into pieces is none of them, but is the value the database gets.
 */
export function joinedStrings(stmt: Statement): Array<{ value: string; pieces: string[]; location?: number }> {
  const joined: Array<{ value: string; pieces: string[]; location?: number }> = [];
  if (!/\|\||\bconcat/i.test(stmt.text)) return joined;
  if (stmt.pg) {
    // The outermost join of a chain: its parts are not walked again (return false).
    walk(stmt.pg, (k, v) => {
      const concat = (k === 'A_Expr' && v?.name?.[v.name.length - 1]?.String?.sval === '||') || (k === 'FuncCall' && /^(pg_catalog\.)?concat(_ws)?$/.test(names(v?.funcname)));
      if (!concat) return;
      const value = pgValue({ [k]: v });
      if (typeof value !== 'string') return;
      const pieces: string[] = [];
      walk(v, (k2, v2) => {
        if (k2 === 'A_Const' && typeof v2?.sval?.sval === 'string') pieces.push(v2.sval.sval);
      });
      joined.push({ value, pieces, location: v.location });
      return false;
    });
  } else if (stmt.ast) {
    const seen = (n: any, depth: number): void => {
      if (!n || typeof n !== 'object' || depth > 200) return;
      if (Array.isArray(n)) return n.forEach((x) => seen(x, depth + 1));
      if (n.type === 'function' && /^concat(_ws)?$/i.test(nspFnName(n))) {
        const value = nspValue(n);
        if (typeof value === 'string') {
          const pieces: string[] = [];
          const collect = (x: any, d: number): void => {
            if (!x || typeof x !== 'object' || d > 200) return;
            if (Array.isArray(x)) return x.forEach((y) => collect(y, d + 1));
            if (/string$/.test(String(x.type)) && typeof x.value === 'string') pieces.push(x.value);
            for (const y of Object.values(x)) collect(y, d + 1);
          };
          collect(n.args, 0);
          joined.push({ value, pieces });
          return;
        }
      }
      for (const y of Object.values(n)) seen(y, depth + 1);
    };
    seen(stmt.ast, 0);
  }
  return joined;
}

/**
 * The pieces of a joined string that hold part of `secret` (3+ characters of it: the piece inside it,
 * it inside the piece, or one's end the other's start): the ones to mask, not the innocent others
 * (`'password='`).
 */
export function piecesHolding(secret: string, pieces: string[]): string[] {
  const overlaps = (a: string, b: string) => {
    for (let n = Math.min(a.length, b.length); n >= 3; n--) if (a.endsWith(b.slice(0, n))) return true;
    return false;
  };
  return pieces.filter((p) => p.length >= 3 && (secret.includes(p) || p.includes(secret) || overlaps(p, secret) || overlaps(secret, p)));
}

/** Functions of MySQL/MariaDB/SQLite whose value is the same for every row of one statement (besides ROW_STABLE_FUNCTIONS). */
const ROW_STABLE_NSP = new Set(['current_timestamp', 'current_date', 'current_time', 'curdate', 'curtime', 'utc_timestamp', 'utc_date', 'unix_timestamp', 'database', 'schema', 'user', 'current_user', 'date', 'datetime', 'julianday', 'strftime', 'sqlite_version', 'ifnull', 'coalesce', 'count']);

/**
 * rowIndependent for node-sql-parser trees (MySQL, MariaDB, SQLite): does a condition (a WHERE, a
 * join's ON) name no column of the target tables (`targets`: `{table, as}`; an unqualified column
 * could be one, so it counts, in a subquery too) and call nothing outside a subquery that could
 * differ per row (rand(), uuid(), sysdate(), an unknown function)? A `?` parameter or a `@variable`
 * has one value for the whole statement, like a constant. Then it holds for every row of the targets
 * or for none.
 */
export function rowIndependentNsp(where: any, targets: any[]): boolean {
  if (!where || truthOf(nspValue(where)) !== undefined) return false;
  const names = new Set<string>();
  for (const t of targets) for (const n of [t?.as, t?.table]) if (typeof n === 'string') names.add(n.toLowerCase());
  let found = false;
  const visit = (n: any, inSub: boolean, depth: number): void => {
    if (found || !n || typeof n !== 'object' || depth > 200) return;
    if (Array.isArray(n)) return n.forEach((x) => visit(x, inSub, depth + 1));
    if (n.ast && typeof n.ast === 'object') return visit(n.ast, true, depth + 1); // a subquery: computed once unless correlated
    if (n.type === 'column_ref') {
      const t = typeof n.table === 'string' ? n.table.toLowerCase() : '';
      if (!t || names.has(t)) found = true;
      return;
    }
    if (!inSub) {
      if (n.type === 'function') {
        const name = nspFnName(n);
        if (name !== 'exists' && !ROW_STABLE_FUNCTIONS.has(name) && !ROW_STABLE_NSP.has(name)) found = true;
      }
    }
    for (const k of Object.keys(n)) if (k !== 'tableList' && k !== 'columnList' && !(k === 'name' && n.type === 'function')) visit(n[k], inSub, depth + 1);
  };
  visit(where, false, 0);
  return !found;
}

/**
 * Every node of one type in a statement's tree: the statement itself, and the ones in CTEs and rule
 * actions; not inside function bodies (parsed and analyzed as statements of their own).
 */
export function nodesOf(stmt: Statement, type: string): any[] {
  const out: any[] = [];
  const top = stmt.pg?.[type];
  if (top) out.push(top);
  if (!hasNode(stmt.pg, type)) return out;
  walk(stmt.pg, (k, v) => {
    if (k === 'sql_body' || k === 'CreateFunctionStmt') return false;
    if (k === type && v !== top) out.push(v);
  });
  return out;
}

/** node-sql-parser: the statement type ('drop', 'alter', 'grant', …) lower-cased. */
export function astType(stmt: Statement): string | undefined {
  const t = stmt.ast?.type;
  return typeof t === 'string' ? t.toLowerCase() : undefined;
}

// ---- Helpers of the destructive/safety rules (shared by several rule files). ----

/** Where a nested statement runs, for messages: ' (inside function f; …)', ' (inside a DO block)', ''. */
export function nestedSuffix(stmt: Statement): string {
  if (!stmt.nested || stmt.nested.kind === 'call') return ''; // the analyzer says where a call's statements come from
  if (stmt.nested.kind === 'do') return ' (inside a DO block)';
  if (stmt.nested.kind === 'cron') return ` (inside pg_cron job ${stmt.nested.name ?? '?'}; runs on its schedule)`;
  if (stmt.nested.kind === 'query') return ` (SQL string run by ${stmt.nested.name ?? '?'}())`;
  if (stmt.nested.kind === 'trigger') return ` (inside trigger ${stmt.nested.name ?? '?'}; runs on every row event it fires on)`;
  if (stmt.nested.kind === 'procedure' || stmt.nested.kind === 'event') return ` (inside ${stmt.nested.kind} ${stmt.nested.name ?? '?'}; runs whenever it ${stmt.nested.kind === 'event' ? 'is scheduled' : 'is called'})`;
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

/** node-sql-parser: is a WHERE clause absent or always true after constant folding (src/sql/fold.ts)? */
export function alwaysTrueNsp(where: any): boolean {
  return !where || truthOf(nspValue(where)) === true;
}

/** Global copies of the patterns `textOffset` searched from an offset (compiled once per pattern). */
const globalCopies = new WeakMap<RegExp, RegExp>();

/**
 * A pattern compiled once per run for its source and flags: rules build one per reported name to
 * point at its clause (`drop constraint <name>`), and compiling a new one per statement showed in
 * the profiles of big files. Only for patterns without state (not global, not sticky).
 */
export function cachedRegExp(source: string, flags = ''): RegExp {
  const key = `${flags}/${source}`;
  let r = compiled.get(key);
  if (!r) compiled.set(key, (r = new RegExp(source, flags)));
  return r;
}
const compiled = new Map<string, RegExp>();

/**
 * Does `name` stand at `pos` of `text` as a case-insensitive regular expression (flag i, no u) reads
 * it, followed by a word boundary (`\b`)? For clause lookups whose name varies per statement: a
 * pattern compiled per name was a hot spot of files with thousands of names.
 */
function nameAt(text: string, pos: number, name: string): boolean {
  if (!sameAt(text, pos, name)) return false;
  const end = pos + name.length;
  return isWordUnit(text.charCodeAt(end - 1)) !== isWordUnit(end < text.length ? text.charCodeAt(end) : -1);
}

/** `name` at `pos` of `text`, compared as a case-insensitive pattern (flag i, no u) compares. */
function sameAt(text: string, pos: number, name: string): boolean {
  if (!name || pos < 0 || pos + name.length > text.length) return false;
  for (let k = 0; k < name.length; k++) {
    const a = text[pos + k];
    const b = name[k];
    if (a !== b && canonical(a) !== canonical(b)) return false;
  }
  return true;
}

/**
 * Where the per-name pattern `head(opt1)?(opt2)?…[quotes]?NAME\b` (flag i; or `…NAME` + `tail`) first matches `text`,
 * without compiling one per name (a rule that pointed each finding at its clause compiled a pattern
 * per column or constraint name: thousands on a big file). `head` is global and case-insensitive and
 * ends in `\s+`; each `opt` is sticky and case-insensitive, tried present and absent, in order, as
 * the pattern's backtracking would. Property-tested against the per-name patterns
 * (tests/property.test.ts); a name that starts with white space (which only a quoted identifier can
 * have) is read only after its quote.
 */
export function namedClause(text: string, name: string, head: RegExp, optional: readonly RegExp[] = [], quotes = '`"', tail?: RegExp): number | undefined {
  // With a `tail` (sticky), the pattern is `…NAME` + tail instead of `…NAME\b`.
  const fits = (p: number) => (tail ? sameAt(text, p, name) && ((tail.lastIndex = p + name.length), tail.test(text)) : nameAt(text, p, name));
  head.lastIndex = 0;
  for (let m = head.exec(text); m; m = head.exec(text)) {
    let at = [m.index + m[0].length];
    for (const o of optional) {
      const more: number[] = [];
      for (const q of at) {
        o.lastIndex = q;
        if (o.test(text)) more.push(o.lastIndex);
      }
      if (more.length) at = more.concat(at);
    }
    for (const q of at) {
      if (q < text.length && quotes.includes(text[q]) && fits(q + 1)) return m.index;
      if (fits(q)) return m.index;
    }
    head.lastIndex = m.index + 1;
  }
  return undefined;
}

/** ECMAScript's Canonicalize for a non-unicode, ignore-case pattern (ECMA-262 22.2.2.7.3). */
function canonical(ch: string): string {
  const u = ch.toUpperCase();
  if (u.length !== 1) return ch;
  return ch.charCodeAt(0) >= 128 && u.charCodeAt(0) < 128 ? ch : u;
}

/** `\w` without the u flag: [A-Za-z0-9_]. */
function isWordUnit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

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
 * Per-file indexes over `scope.statements`, built once per file (a file can hold 100k+ statements: a
 * rule that rescanned the earlier statements for each statement made big files quadratic).
 */
interface FileIndex {
  /** Length of the statement list when built (rebuilt if the list grew). */
  n: number;
  /** First position of each statement in the list (what `indexOf` gives). */
  pos: Map<Statement, number>;
  /** Name indexes built on demand by `namesIndex`, by key. */
  names: Map<string, NameIndex>;
  /** Values built on demand by `perFile`, by key. */
  memo: Map<string, unknown>;
}

const indexes = new WeakMap<Statement[], FileIndex>();

function fileIndex(all: Statement[]): FileIndex {
  let ix = indexes.get(all);
  if (ix && ix.n === all.length) return ix;
  ix = { n: all.length, pos: positionsIn(all), names: new Map(), memo: new Map() };
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

/** Position of a statement in its file's list (what `indexOf` gives, from the per-file index); undefined when not in it. */
export function positionOf(stmt: Statement): number | undefined {
  const all = stmt.scope?.statements;
  return all ? fileIndex(all).pos.get(stmt) : undefined;
}

/**
 * Does a statement of this statement's direction that comes before it define exactly `name`
 * (compared lower-cased, whole: not `sameName`), by `names` indexed once per file under `key`?
 */
export function definedBefore(stmt: Statement, key: string, names: (s: Statement) => Iterable<string> | undefined, name: string): boolean {
  const all = stmt.scope?.statements;
  if (!all) return false;
  const at = fileIndex(all).pos.get(stmt);
  const first = namesIndex(all, key, names).byFull.get(stmt.unit.down)?.get(name.toLowerCase())?.[0];
  return at !== undefined && first !== undefined && first < at;
}

/**
 * A value computed once per file from its statement list (recomputed if the list grew), under `key`:
 * for the facts a rule would otherwise gather by rescanning the whole file for every statement.
 */
export function perFile<T>(stmt: Statement, key: string, compute: (all: Statement[]) => T): T | undefined {
  const all = stmt.scope?.statements;
  if (!all) return undefined;
  const ix = fileIndex(all);
  if (!ix.memo.has(key)) ix.memo.set(key, compute(all));
  return ix.memo.get(key) as T;
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
 * indexed form of "the earlier (later) statements of this direction whose names are a sameName of name", so a rule that
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
  const lo = firstAbove(m.positions, m.at);
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

/**
 * Was table `name` created by the migration under review before this statement (so it holds no
 * pre-existing data)? Decided by schema state (src/state/), never by a name match in the text.
 */
export function createdEarlier(stmt: Statement, name: string): boolean {
  return isNew(stmt, name);
}

/** Where a nested statement runs, for messages: ' inside function f (runs when it is called)'. */
export function inside(stmt: Statement): string {
  if (!stmt.nested || stmt.nested.kind === 'call') return '';
  if (stmt.nested.kind === 'do') return ' inside a DO block';
  if (stmt.nested.kind === 'cron') return ` inside pg_cron job ${stmt.nested.name ?? '?'} (runs on its schedule)`;
  if (stmt.nested.kind === 'query') return ` in the SQL string run by ${stmt.nested.name ?? '?'}()`;
  if (stmt.nested.kind !== 'function') return ` inside ${stmt.nested.kind} ${stmt.nested.name ?? '?'} (runs whenever it fires or is called)`;
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

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
  for (const [k, v] of Object.entries(node)) {
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
  const out: Array<{ name: string; base: string; location?: number; node: any }> = [];
  walk(node, (k, v) => {
    if (k === 'FuncCall') {
      const name = names(v.funcname).toLowerCase();
      out.push({ name, base: name.split('.').pop() ?? name, location: v.location, node: v });
    }
  });
  return out;
}

/** Constant string value of an A_Const node, if it is one. */
export function constStr(node: any): string | undefined {
  return node?.A_Const?.sval?.sval;
}

/** Is a libpg-query WHERE clause absent or always true (`true`, `1=1`, `'a'='a'`, `NOT false`)? */
export function alwaysTrue(where: any): boolean {
  if (!where) return true;
  if (where.A_Const) {
    const c = where.A_Const;
    if (c.boolval) return c.boolval.boolval === true;
    if (c.ival) return (c.ival.ival ?? 0) !== 0;
    if (c.sval) return /^(t|true|y|yes|on|1)$/i.test(c.sval.sval ?? '');
    return false;
  }
  if (where.TypeCast) return alwaysTrue(where.TypeCast.arg) && !!where.TypeCast.arg?.A_Const;
  if (where.A_Expr && where.A_Expr.kind === 'AEXPR_OP') {
    const op = where.A_Expr.name?.[0]?.String?.sval;
    const l = JSON.stringify(stripLoc(where.A_Expr.lexpr));
    const r = JSON.stringify(stripLoc(where.A_Expr.rexpr));
    const constant = (x: any) => !!x?.A_Const || !!x?.TypeCast?.arg?.A_Const;
    if ((op === '=' || op === '>=' || op === '<=') && l === r && (constant(where.A_Expr.lexpr) || isColumnRef(where.A_Expr.lexpr))) return true;
    if (constant(where.A_Expr.lexpr) && constant(where.A_Expr.rexpr)) {
      const a = numOrStr(where.A_Expr.lexpr);
      const b = numOrStr(where.A_Expr.rexpr);
      if (a !== undefined && b !== undefined) {
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
      }
    }
    return false;
  }
  if (where.BoolExpr) {
    const b = where.BoolExpr;
    if (b.boolop === 'OR_EXPR') return b.args.some(alwaysTrue);
    if (b.boolop === 'AND_EXPR') return b.args.every(alwaysTrue);
    if (b.boolop === 'NOT_EXPR') return alwaysFalse(b.args[0]);
  }
  if (where.NullTest) return false;
  return false;
}

function alwaysFalse(node: any): boolean {
  if (node?.A_Const) {
    const c = node.A_Const;
    if (c.boolval) return c.boolval.boolval !== true;
    if (c.ival) return (c.ival.ival ?? 0) === 0;
  }
  return false;
}

function isColumnRef(x: any): boolean {
  return !!x?.ColumnRef;
}

function numOrStr(x: any): number | string | undefined {
  const c = x?.A_Const ?? x?.TypeCast?.arg?.A_Const;
  if (!c) return undefined;
  if (c.ival) return c.ival.ival ?? 0;
  if (c.fval) return Number(c.fval.fval);
  if (c.sval) return c.sval.sval;
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

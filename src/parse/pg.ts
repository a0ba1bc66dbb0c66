// PostgreSQL: libpg-query (the real Postgres parser, WASM). DO blocks and PL/pgSQL / SQL function
// bodies are parsed too and their statements analyzed; dynamic EXECUTE becomes a pseudo-statement
// `{ PLpgSQL_dynamic: … }` that the dynamic-sql rule reports.
import { loadModule, parsePlPgSQLSync, parseSync } from 'libpg-query';
import { byteToChar } from '../position.js';
import type { PgNode, SqlUnit, Statement } from '../types.js';
import { lexicalForm, skipTrivia, splitStatements } from './split.js';

let loaded: Promise<void> | null = null;
export function loadPg(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

const MAX_DEPTH = 6;

function errorMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.length > 300 ? m.slice(0, 300) + '…' : m;
}

function trimEnd(text: string, s: number, e: number): number {
  while (e > s && /\s/.test(text[e - 1])) e--;
  return e;
}

function makeStatement(unit: SqlUnit, start: number, end: number, extra: Partial<Statement>): Statement {
  const text = unit.text.slice(start, end);
  return { unit, text, start, end, dialect: 'postgresql', parsed: true, lexical: lexicalForm(text), ...extra };
}

/** Parse one SQL unit into statements, never throwing. */
export function parsePgUnit(unit: SqlUnit): Statement[] {
  const out: Statement[] = [];
  let tree: { stmts?: Array<{ stmt: PgNode; stmt_location?: number; stmt_len?: number }> } | null = null;
  try {
    tree = parseSync(unit.text) as any;
  } catch {
    tree = null;
  }
  if (tree) {
    const b2c = byteToChar(unit.text);
    for (const s of tree.stmts ?? []) {
      const bs = s.stmt_location ?? 0;
      const start = skipTrivia(unit.text, b2c(bs));
      const end = trimEnd(unit.text, start, s.stmt_len ? b2c(bs + s.stmt_len) : unit.text.length);
      const st = makeStatement(unit, start, end, { pg: s.stmt, pgText: unit.text, pgOffset: 0 });
      out.push(st);
      expandBodies(st, out, 0);
    }
    return out;
  }
  // Fallback: split, parse each piece alone so one bad statement does not hide the others.
  for (const piece of splitStatements(unit.text, 'postgresql')) {
    if (piece.meta) {
      out.push(makeStatement(unit, piece.start, piece.end, { meta: piece.text }));
      continue;
    }
    try {
      const t = parseSync(piece.text) as any;
      const stmts = t.stmts ?? [];
      if (!stmts.length) continue; // only comments
      for (const s of stmts) {
        const st = makeStatement(unit, piece.start, piece.end, { pg: s.stmt, pgText: piece.text, pgOffset: piece.start });
        out.push(st);
        expandBodies(st, out, 0);
      }
    } catch (e) {
      const msg = piece.unterminated ? `unterminated ${piece.unterminated}` : errorMessage(e);
      out.push(makeStatement(unit, piece.start, piece.end, { parsed: false, parseError: msg }));
    }
  }
  return out;
}

/** Options list → { name: value } for DefElem lists. */
function defElems(options: any[] | undefined): Record<string, any> {
  const r: Record<string, any> = {};
  for (const o of options ?? []) {
    const d = o?.DefElem;
    if (d?.defname) r[d.defname] = d;
  }
  return r;
}

function strVal(arg: any): string | undefined {
  if (!arg) return undefined;
  if (arg.String) return arg.String.sval;
  if (arg.List) return arg.List.items?.map((i: any) => i.String?.sval ?? '').join('');
  return undefined;
}

/** Function / DO bodies: parse them and add the statements inside as nested statements. */
function expandBodies(st: Statement, out: Statement[], depth: number): void {
  if (depth >= MAX_DEPTH || !st.pg) return;
  const node = st.pg;
  let kind: 'do' | 'function' | null = null;
  let language = 'plpgsql';
  let name: string | undefined;
  let asElem: any;
  if (node.DoStmt) {
    kind = 'do';
    const d = defElems(node.DoStmt.args);
    if (d.language) language = strVal(d.language.arg)?.toLowerCase() ?? language;
    asElem = d.as;
  } else if (node.CreateFunctionStmt) {
    kind = 'function';
    const f = node.CreateFunctionStmt;
    name = f.funcname?.map((n: any) => n.String?.sval).filter(Boolean).join('.');
    const d = defElems(f.options);
    language = strVal(d.language?.arg)?.toLowerCase() ?? 'sql';
    asElem = d.as;
    if (f.sql_body) {
      // BEGIN ATOMIC … END / RETURN expr: already parsed by the server grammar.
      const items = f.sql_body.List?.items ?? [f.sql_body];
      for (const it of items) {
        for (const s of it?.List?.items ?? [it]) {
          if (s && typeof s === 'object' && Object.keys(s).length) out.push({ ...st, pg: s, nested: { kind, name }, text: st.text, lexical: st.lexical });
        }
      }
    }
  }
  if (!kind || !asElem) return;
  const body = strVal(asElem.arg);
  if (body === undefined) return;
  // Where the body starts in the unit text: the DefElem location is the literal's first byte.
  let bodyStart = st.start;
  if (st.pgText !== undefined && typeof asElem.location === 'number' && asElem.location >= 0) {
    const lit = byteToChar(st.pgText)(asElem.location) + (st.pgOffset ?? 0);
    const m = /^(\$[^$\s]*\$|[Ee]?')/.exec(st.unit.text.slice(lit, lit + 64));
    bodyStart = lit + (m ? m[0].length : 0);
  }
  const nested = { kind, name };
  if (language === 'plpgsql') {
    let tree: any;
    try {
      tree = parsePlPgSQLSync(st.text);
    } catch (e) {
      out.push({ ...makeStatement(st.unit, st.start, st.end, { parsed: false, parseError: `PL/pgSQL body: ${errorMessage(e)}` }), nested });
      return;
    }
    const ctx: BodyCtx = { st, out, depth, bodyStart, nested };
    walkPl(tree, ctx, 1);
  } else if (language === 'sql') {
    parseNestedSql(body, { st, out, depth, bodyStart, nested }, 1, false);
  }
  // Other languages (plpython3u, C, …) are reported by the execution rules from the statement.
}

interface BodyCtx {
  st: Statement;
  out: Statement[];
  depth: number;
  bodyStart: number;
  nested: Statement['nested'];
}

/** Offset in the unit text of line `lineno` (1-based) of the body, pointing at `needle` if found. */
function bodyOffset(ctx: BodyCtx, lineno: number, needle: string): number {
  const text = ctx.st.unit.text;
  let off = ctx.bodyStart;
  for (let l = 1; l < lineno; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0 || nl >= ctx.st.end) break;
    off = nl + 1;
  }
  const word = needle.trim().split(/\s+/)[0];
  if (word) {
    const lineEnd = text.indexOf('\n', off);
    const at = text.indexOf(word, off);
    if (at >= 0 && (lineEnd < 0 || at < lineEnd)) return at;
  }
  return skipTrivia(text, off, ctx.st.end);
}

function pushNested(ctx: BodyCtx, lineno: number, text: string, extra: Partial<Statement>): Statement {
  const start = Math.min(bodyOffset(ctx, lineno, text), ctx.st.end);
  const s: Statement = {
    unit: ctx.st.unit,
    text,
    start,
    end: Math.min(ctx.st.end, start + text.length),
    dialect: 'postgresql',
    parsed: true,
    lexical: lexicalForm(text),
    nested: ctx.nested,
    ...extra,
  };
  ctx.out.push(s);
  return s;
}

/** Parse SQL found inside a body (a PL/pgSQL statement or a literal EXECUTE string). */
function parseNestedSql(sql: string, ctx: BodyCtx, lineno: number, expression: boolean): void {
  const text = expression ? `SELECT ${sql}` : sql;
  let tree: any;
  try {
    tree = parseSync(text);
  } catch (e) {
    pushNested(ctx, lineno, sql, { parsed: false, parseError: errorMessage(e) });
    return;
  }
  const stmts = tree.stmts ?? [];
  const b2c = byteToChar(text);
  for (const s of stmts) {
    const bs = s.stmt_location ?? 0;
    const piece = expression ? sql : text.slice(skipTrivia(text, b2c(bs)), s.stmt_len ? b2c(bs + s.stmt_len) : text.length).trim();
    const child = pushNested(ctx, lineno, piece, { pg: s.stmt });
    // The child's node locations refer to `text`; it sits at child.start in the unit (approximately).
    if (!expression) {
      child.pgText = text;
      child.pgOffset = child.start - (text.indexOf(piece) >= 0 ? text.indexOf(piece) : 0);
    }
    if (ctx.depth + 1 < MAX_DEPTH) expandBodies({ ...child, start: child.start }, ctx.out, ctx.depth + 1);
  }
}

const DYNAMIC: Record<string, string> = {
  PLpgSQL_stmt_dynexecute: 'query',
  PLpgSQL_stmt_dynfors: 'query',
  PLpgSQL_stmt_open: 'dynquery',
  PLpgSQL_stmt_return_query: 'dynquery',
};

/** Fold a constant string expression: 'a' || 'b', E'…', casts of constants. */
export function constString(node: any): string | undefined {
  if (!node) return undefined;
  if (node.A_Const) return node.A_Const.sval?.sval;
  if (node.TypeCast) return constString(node.TypeCast.arg);
  if (node.A_Expr && node.A_Expr.kind === 'AEXPR_OP' && node.A_Expr.name?.[0]?.String?.sval === '||') {
    const l = constString(node.A_Expr.lexpr);
    const r = constString(node.A_Expr.rexpr);
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  return undefined;
}

function literalOfExpression(expr: string): string | undefined {
  try {
    const t: any = parseSync(`SELECT ${expr}`);
    const targets = t.stmts?.[0]?.stmt?.SelectStmt?.targetList;
    if (targets?.length !== 1) return undefined;
    return constString(targets[0].ResTarget?.val);
  } catch {
    return undefined;
  }
}

function walkPl(node: any, ctx: BodyCtx, lineno: number): void {
  if (Array.isArray(node)) {
    for (const n of node) walkPl(n, ctx, lineno);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, val] of Object.entries(node)) {
    if (!val || typeof val !== 'object') continue;
    const v: any = val;
    const ln = typeof v.lineno === 'number' && v.lineno > 0 ? v.lineno : lineno;
    if (key in DYNAMIC) {
      const q: string | undefined = v[DYNAMIC[key]]?.PLpgSQL_expr?.query;
      if (q !== undefined) {
        const literal = literalOfExpression(q);
        pushNested(ctx, ln, `EXECUTE ${q}`, { pg: { PLpgSQL_dynamic: { kind: key, query: q, literal } } });
        if (literal !== undefined) parseNestedSql(literal, ctx, ln, false);
      }
      // Still walk the rest (USING params, loop bodies) but not the dynamic query itself.
      const rest = { ...v };
      delete rest[DYNAMIC[key]];
      walkPl(rest, ctx, ln);
      continue;
    }
    if (key === 'PLpgSQL_expr' && typeof v.query === 'string') {
      const mode = v.parseMode ?? 0;
      if (mode === 0) parseNestedSql(v.query, ctx, ln, false);
      else if (mode === 1) {
        // type name: nothing to analyze
      } else {
        const q = mode >= 3 ? v.query.replace(/^[^:=]*:?=/, '') : v.query;
        parseNestedSql(q, ctx, ln, true);
      }
      continue;
    }
    walkPl(v, ctx, ln);
  }
}

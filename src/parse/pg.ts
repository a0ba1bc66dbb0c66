// PostgreSQL: libpg-query (the real Postgres parser, WASM). DO blocks and PL/pgSQL / SQL function
// bodies are parsed too and their statements analyzed; dynamic EXECUTE becomes a pseudo-statement
// `{ PLpgSQL_dynamic: … }` that the dynamic-sql rule reports.
import { loadModule, parsePlPgSQLSync, parseSync, PgGuardError, PgSyntaxError } from './guard.js';
import { byteToChar } from '../extract/position.js';
import type { PgNode, SqlUnit, Statement } from '../types.js';
import { pathFlavor } from '../extract/dialect.js';
import { normalizeForRetry } from './normalize.js';
import { lexicalForm, regionAt, skipTrivia, splitStatements } from './split.js';
import { textMayName } from '../sql/spelling.js';
import { sqlStringCalls, SQL_STRING_FUNCTIONS_RE } from '../sql/sql-strings.js';

/** Ready the parser; after a crash this makes a fresh instance (see guard.ts). */
export function loadPg(): Promise<void> {
  return loadModule();
}

const MAX_DEPTH = 6;
/** Units longer than this (UTF-16 units) skip the whole-unit parse. */
const WHOLE_UNIT_MAX = 4 * 1024 * 1024;

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
  return lazyLexical({ unit, text, start, end, dialect: 'postgresql', parsed: true, lexical: '', ...extra }, extra);
}

/**
 * `lexical` computed on first read (a spread copies it like a plain value): most parsed statements
 * never need it, and it was a top cost per statement.
 */
function lazyLexical(st: Statement, extra: Partial<Statement> = {}): Statement {
  if (extra.lexical !== undefined) return st;
  let value: string | undefined;
  Object.defineProperty(st, 'lexical', {
    get: () => (value ??= lexicalForm(st.text)),
    set: (v: string) => {
      value = v;
    },
    enumerable: true,
    configurable: true,
  });
  return st;
}

/** Parse one SQL unit into statements, never throwing. */
export function parsePgUnit(unit: SqlUnit): Statement[] {
  const out = parsePgUnitAsSent(unit);
  if (/standard_conforming_strings|\breset\s+all\b/i.test(unit.text)) psqlReading(unit, out);
  return out;
}

/**
 * A script that changes `standard_conforming_strings` is read differently by psql (which follows
 * the setting line by line, see settingsAfter in split.ts) and by a driver that sends the file as
 * one query (the server lexes the whole string with the setting it had before: golang-migrate,
 * goose without StatementBegin, Prisma, …). When the two readings split the file differently,
 * the statements only psql sees are analyzed too (so a DROP hidden in a "string" is found either
 * way) and the file gets a parse error at the first difference: its reading is ambiguous.
 */
function psqlReading(unit: SqlUnit, out: Statement[]): void {
  const psql = splitStatements(unit.text, 'postgresql', { psqlSettings: true });
  const driver = splitStatements(unit.text, 'postgresql');
  const key = (p: { start: number; end: number }) => `${p.start}:${p.end}`;
  const seen = new Set(driver.map(key));
  let reported = false;
  for (const piece of psql) {
    if (piece.ambiguous && !reported) {
      reported = true;
      out.push(makeStatement(unit, piece.start, piece.end, { parsed: false, parseError: piece.ambiguous }));
    }
    if (seen.has(key(piece)) || piece.meta) continue;
    if (!reported) {
      reported = true;
      out.push(
        makeStatement(unit, piece.start, piece.end, {
          parsed: false,
          parseError:
            'the script changes standard_conforming_strings, and psql (which follows the setting line by line) splits it into statements differently from a driver that sends the file at once; both readings are analyzed',
        }),
      );
    }
    let pgText = piece.text;
    // Read under standard_conforming_strings = off: a `\'` inside '…' is a quote, like `''` (same length).
    if (piece.pgBackslash) pgText = backslashQuotesToStd(piece.text);
    try {
      for (const s of (parseSync(pgText) as any).stmts ?? []) {
        const st = makeStatement(unit, piece.start, piece.end, { pg: s.stmt, pgText, pgOffset: piece.start });
        out.push(st);
        expandBodies(st, out, 0);
      }
    } catch (e) {
      out.push(makeStatement(unit, piece.start, piece.end, { parsed: false, parseError: errorMessage(e) }));
    }
  }
}

/** `'…'` literals read with backslash escapes, rewritten (same length) for a parser reading them without. */
export function backslashQuotesToStd(text: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; ) {
    const r = regionAt(text, i, 'postgresql', { pgBackslash: true });
    if (!r) {
      i++;
      continue;
    }
    if (r.type === 'string' && text[r.start] === "'" && !/[Ee]/.test(text[r.start - 1] ?? '')) {
      const body = text.slice(r.start + 1, r.end - 1).replace(/\\(.)/gs, (_m, ch: string) => (ch === "'" ? "''" : ch === '\\' ? '\\\\' : '\\' + ch));
      out += text.slice(last, r.start + 1) + body;
      last = r.end - 1;
    }
    i = Math.max(r.end, i + 1);
  }
  return out + text.slice(last);
}

function parsePgUnitAsSent(unit: SqlUnit): Statement[] {
  const out: Statement[] = [];
  let tree: { stmts?: Array<{ stmt: PgNode; stmt_location?: number; stmt_len?: number }> } | null = null;
  let topError: unknown;
  try {
    // A huge unit is parsed statement by statement: one parse tree of it all takes gigabytes (a
    // 30 MB dump exhausted the parser's 1 GB heap) where the pieces take what their trees take.
    if (unit.text.length <= WHOLE_UNIT_MAX) tree = parseSync(unit.text) as any;
  } catch (e) {
    tree = null;
    topError = e;
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
  // Pieces that did not parse as written explain the unit's failure; if none does, it is reported.
  const explained: Array<[number, number]> = [];
  for (const piece of splitStatements(unit.text, 'postgresql')) {
    // A migration-tool marker (goose, Drizzle, Liquibase) ended the statement before: the whole
    // text's error there is the missing `;` the tool does not need.
    if (piece.afterMarker) explained.push([piece.start, piece.start]);
    if (piece.meta) {
      explained.push([piece.start, piece.end]);
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
      explained.push([piece.start, piece.end]);
      // CockroachDB files: retry once with its syntax normalized (same length, see normalize.ts).
      const alt = !piece.unterminated && pathFlavor(unit.path) === 'cockroach' ? normalizeForRetry(piece.text, 'cockroach') : null;
      let stmts: any[] = [];
      try {
        if (alt !== null) stmts = (parseSync(alt) as any).stmts ?? [];
      } catch {
        stmts = [];
      }
      for (const s of stmts) {
        const st = makeStatement(unit, piece.start, piece.end, { pg: s.stmt, pgText: alt!, pgOffset: piece.start });
        out.push(st);
        expandBodies(st, out, 0);
      }
      if (stmts.length) continue;
      const msg = piece.unterminated ? `unterminated ${piece.unterminated}` : errorMessage(e);
      out.push(makeStatement(unit, piece.start, piece.end, { parsed: false, parseError: msg }));
    }
  }
  if (topError !== undefined) unexplainedFailure(unit, topError, explained, out);
  return out;
}

const INVISIBLE = /^[\s\u200B-\u200F\u2060-\u2064\uFEFF]$/u;

/**
 * The unit as a whole did not parse but every piece did (e.g. the splitter saw no statement in an
 * unterminated comment): report the parser's error from where it points, never pass silently.
 */
function unexplainedFailure(unit: SqlUnit, err: unknown, explained: Array<[number, number]>, out: Statement[]): void {
  // The whole text was too big for the parser but each statement parsed alone: nothing is unverified.
  if (err instanceof PgGuardError && err.reason === 'crash' && !explained.length) return;
  const cursor = err instanceof PgSyntaxError && err.cursorPosition !== undefined ? codePointToChar(unit.text, err.cursorPosition) : undefined;
  const covered = cursor === undefined ? explained.length > 0 : explained.some(([s, e]) => cursor >= s && cursor <= e);
  if (covered) return;
  // The parser stopped at an invisible character (a stray BOM or zero-width space that our splitter
  // reads as blank): report that character itself, where it is.
  const c = cursor !== undefined ? unit.text.codePointAt(cursor) : undefined;
  if (cursor !== undefined && c !== undefined && c > 0x7f && INVISIBLE.test(String.fromCodePoint(c))) {
    out.push(makeStatement(unit, cursor, cursor + (c > 0xffff ? 2 : 1), { parsed: false, parseError: errorMessage(err) }));
    return;
  }
  let start = Math.min(cursor ?? 0, unit.text.length);
  let end = trimEnd(unit.text, start, unit.text.length);
  if (end <= start) {
    start = skipTrivia(unit.text, 0);
    end = trimEnd(unit.text, start, unit.text.length);
  }
  if (end <= start) return; // nothing but blanks and comments
  out.push(makeStatement(unit, start, end, { parsed: false, parseError: errorMessage(err) }));
}

/** libpg-query's error cursor counts code points (not bytes): → UTF-16 offset. */
function codePointToChar(text: string, cp: number): number {
  let i = 0;
  for (let n = 0; n < cp && i < text.length; n++) i += text.codePointAt(i)! > 0xffff ? 2 : 1;
  return i;
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

/**
 * Function / DO bodies: parse them and add the statements inside as nested statements. A body
 * that cannot be walked (too deep, a crash) is a parse error on the statement, never skipped.
 */
function expandBodies(st: Statement, out: Statement[], depth: number): void {
  const kind = st.pg?.DoStmt ? 'do' : st.pg?.CreateFunctionStmt ? 'function' : null;
  if (!kind) {
    if (depth < MAX_DEPTH && textMayName(st.text, /schedule/i)) expandCronJobs(st, out, depth);
    if (depth < MAX_DEPTH && textMayName(st.text, SQL_STRING_FUNCTIONS_RE)) expandSqlStrings(st, out, depth);
    return;
  }
  const fail = (why: string) => out.push({ ...makeStatement(st.unit, st.start, st.end, { parsed: false, parseError: why }), nested: { kind } });
  if (depth >= MAX_DEPTH) {
    fail(`bodies nested more than ${MAX_DEPTH} levels deep: the innermost body was not analyzed`);
    return;
  }
  try {
    expandBodiesAt(st, out, depth);
  } catch (e) {
    fail(`its body could not be analyzed (${errorMessage(e)})`);
  }
}

function expandBodiesAt(st: Statement, out: Statement[], depth: number): void {
  if (!st.pg) return;
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
          const params = sqlParameters(f);
          const variables = params.length ? { variables: { names: params, columnsWin: true } } : {};
          if (s && typeof s === 'object' && Object.keys(s).length) out.push({ ...st, pg: s, nested: { kind, name, ...variables }, text: st.text, lexical: st.lexical });
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
  const nested: Statement['nested'] = { kind, name };
  if (language === 'plpgsql') {
    let tree: any;
    try {
      tree = parsePlPgSQLSync(st.text);
    } catch (e) {
      out.push({ ...makeStatement(st.unit, st.start, st.end, { parsed: false, parseError: `PL/pgSQL body: ${errorMessage(e)}` }), nested });
      return;
    }
    const datums = datumNames(tree);
    // `#variable_conflict use_column`: a column of the same name wins over a variable (see bodyVariable).
    const names = datums.filter((n) => /^[a-z_][a-z0-9_$]*$/.test(n) && n !== 'found');
    if (names.length) nested.variables = { names, columnsWin: /#\s*variable_conflict\s+use_column\b/i.test(body) };
    const ctx: BodyCtx = { st, out, depth, bodyStart, nested, env: constantsOf(tree), datums };
    walkPl(tree, ctx, 1);
  } else if (language === 'sql') {
    const params = sqlParameters(node.CreateFunctionStmt);
    if (params.length) nested.variables = { names: params, columnsWin: true };
    parseNestedSql(body, { st, out, depth, bodyStart, nested }, 1, false);
  }
  // Other languages (plpython3u, C, …) are reported by the execution rules from the statement.
}

/**
 * pg_cron: `cron.schedule([name,] schedule, command)`, `cron.schedule_in_database(name, schedule,
 * command, database, …)` and `cron.alter_job(job_id, schedule, command, …)` run `command` as SQL
 * on the schedule (https://github.com/citusdata/pg_cron#usage; named arguments `command := …`).
 * A constant command is parsed and its statements analyzed like a DO body's; a computed one is
 * reported by the scheduled-job rule as not verifiable.
 */
export function cronCalls(node: unknown): Array<{ fn: string; job?: string; command?: any; location?: number }> {
  const out: Array<{ fn: string; job?: string; command?: any; location?: number }> = [];
  const visit = (n: any): void => {
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    if (!n || typeof n !== 'object') return;
    const f = n.FuncCall;
    if (f) {
      const fname = (f.funcname ?? []).map((x: any) => x?.String?.sval).join('.').toLowerCase();
      const fn = /^(cron\.)?(schedule|schedule_in_database|alter_job)$/.exec(fname);
      // Unqualified schedule() is pg_cron's only when cron is on the search_path; alter_job too generic bare.
      if (fn && (fname.startsWith('cron.') || fn[2] !== 'alter_job')) {
        const args: any[] = f.args ?? [];
        const named = (k: string) => args.find((a) => a?.NamedArgExpr?.name === k)?.NamedArgExpr?.arg;
        const pos = args.filter((a) => !a?.NamedArgExpr);
        let command: any;
        let job: string | undefined;
        if (fn[2] === 'schedule') {
          command = named('command') ?? (pos.length >= 3 ? pos[2] : pos.length === 2 ? pos[1] : undefined);
          job = constString(named('job_name') ?? (pos.length >= 3 ? pos[0] : undefined));
        } else if (fn[2] === 'schedule_in_database') {
          command = named('command') ?? pos[2];
          job = constString(named('job_name') ?? pos[0]);
        } else {
          command = named('command') ?? pos[2];
          const id = pos[0]?.A_Const?.ival;
          job = id ? `#${id.ival ?? 0}` : undefined;
        }
        if (fname.startsWith('cron.') || command !== undefined) out.push({ fn: fname, job, command, location: f.location });
      }
    }
    for (const k in n) {
      const v = n[k];
      if (v && typeof v === 'object') visit(v);
    }
  };
  visit(node);
  return out;
}

function expandCronJobs(st: Statement, out: Statement[], depth: number): void {
  if (!st.pg) return;
  for (const c of cronCalls(st.pg)) {
    const sql = constString(c.command);
    if (sql === undefined) continue;
    parseStringArg(st, out, depth, sql, c.command, { kind: 'cron', name: c.job ?? '(unnamed)' }, 'pg_cron job');
  }
}

/**
 * SQL in a string argument of a function that runs it (src/sql/dynamic.ts sqlStringCalls:
 * query_to_xml, ts_stat, crosstab, pg_background_launch, dblink…): a constant string is parsed
 * and its statements analyzed like a DO body's, at the call. They run when the calling statement
 * runs: now for a top-level statement or a DO block's ('query'), when the function runs inside a
 * function body (its nesting is kept). A computed string is the dynamic-sql rule's.
 */
function expandSqlStrings(st: Statement, out: Statement[], depth: number): void {
  if (!st.pg) return;
  for (const c of sqlStringCalls(st.pg)) {
    const sql = constString(c.arg);
    if (sql === undefined) continue;
    const nested: Statement['nested'] = !st.nested || st.nested.kind === 'do' ? { kind: 'query', name: c.fn } : st.nested;
    parseStringArg(st, out, depth, sql, c.arg, nested, `SQL string run by ${c.fn}()`);
  }
}

/** Parse SQL given as a string constant (`arg`, its node) and add its statements as nested ones, placed at the literal. */
function parseStringArg(st: Statement, out: Statement[], depth: number, sql: string, arg: any, nested: Statement['nested'], what: string): void {
  let bodyStart = st.start;
  const loc = arg?.A_Const?.location;
  if (st.pgText !== undefined && typeof loc === 'number' && loc >= 0) {
    const lit = byteToChar(st.pgText)(loc) + (st.pgOffset ?? 0);
    const m = /^(\$[^$\s]*\$|[Ee]?')/.exec(st.unit.text.slice(lit, lit + 64));
    bodyStart = lit + (m ? m[0].length : 0);
  }
  try {
    parseNestedSql(sql, { st, out, depth, bodyStart, nested }, 1, false);
  } catch (e) {
    out.push({ ...makeStatement(st.unit, st.start, st.end, { parsed: false, parseError: `${what}: ${errorMessage(e)}` }), nested });
  }
}

interface BodyCtx {
  st: Statement;
  out: Statement[];
  depth: number;
  bodyStart: number;
  nested: Statement['nested'];
  /** Offsets of the body's line starts (computed once: bodies can have many thousand lines). */
  lineStarts?: number[];
  /** Variables whose possible values are known: constants, FOREACH over an array literal, … */
  env?: Env;
  datums?: string[];
}

/** Variable name → every value it takes (a constant has one). */
type Env = Map<string, string[]>;
/** At most this many expansions of one dynamic statement are analyzed; more is "unknown". */
const MAX_EXPANSIONS = 64;

/**
 * Constants of a PL/pgSQL body: `x CONSTANT text := 'lit'`, and variables declared with a
 * literal default that nothing assigns (no statement of the body names their variable number:
 * assignments, SELECT INTO, loop variables, GET DIAGNOSTICS all do).
 */
function constantsOf(tree: any): Env {
  const env: Env = new Map();
  for (const fn of tree?.plpgsql_funcs ?? []) {
    const f = fn?.PLpgSQL_function;
    const datums: any[] = f?.datums ?? [];
    const action = JSON.stringify(f?.action ?? {});
    datums.forEach((d, varno) => {
      const v = d?.PLpgSQL_var;
      const q = v?.default_val?.PLpgSQL_expr?.query;
      if (!v?.refname || typeof q !== 'string') return;
      if (!v.isconst && new RegExp(`"varno":${varno}[,}]`).test(action)) return;
      const vals = evalExpr(q, env);
      if (vals) env.set(v.refname.toLowerCase(), vals);
    });
  }
  return env;
}

/** Names of a SQL function's input parameters (OUT and TABLE columns cannot be referred to in its body). */
function sqlParameters(f: any): string[] {
  return (f?.parameters ?? [])
    .map((p: any) => p?.FunctionParameter)
    .filter((p: any) => p?.name && !['FUNC_PARAM_OUT', 'FUNC_PARAM_TABLE'].includes(p.mode))
    .map((p: any) => String(p.name).toLowerCase());
}

function datumNames(tree: any): string[] {
  const f = tree?.plpgsql_funcs?.[0]?.PLpgSQL_function;
  return (f?.datums ?? []).map((d: any) => String(d?.PLpgSQL_var?.refname ?? d?.PLpgSQL_rec?.refname ?? '').toLowerCase());
}

/** PostgreSQL's quote_ident for what analysis needs: lower-case simple names bare, others quoted. */
function quoteIdent(s: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(s) ? s : '"' + s.replace(/"/g, '""') + '"';
}
function quoteLiteral(s: string): string {
  return (s.includes('\\') ? 'E' : '') + "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
}

/** format() as PostgreSQL implements it (src/backend/utils/adt/varlena.c, text_format): %s %I %L %%, %n$. */
function formatText(fmt: string, args: string[]): string | undefined {
  let next = 0;
  let bad = false;
  const out = fmt.replace(/%(?:(\d+)\$)?(-?\d*)([sIL%])/g, (_m, pos: string | undefined, _w: string, conv: string) => {
    if (conv === '%') return '%';
    const i = pos ? Number(pos) - 1 : next;
    next = i + 1;
    if (i >= args.length) {
      bad = true;
      return '';
    }
    const a = args[i];
    return conv === 'I' ? quoteIdent(a) : conv === 'L' ? quoteLiteral(a) : a;
  });
  // A conversion PostgreSQL would reject (or one not read here) leaves the text unknown.
  return bad || fmt.replace(/%(?:\d+\$)?-?\d*[sIL%]/g, '').includes('%') ? undefined : out;
}

/** Every value of a node under `env`, or undefined when some part is not known. */
function evalNode(node: any, env: Env): string[] | undefined {
  if (!node) return undefined;
  const c = node.A_Const;
  if (c) return c.sval ? [c.sval.sval ?? ''] : c.ival ? [String(c.ival.ival ?? 0)] : undefined;
  if (node.TypeCast) return evalNode(node.TypeCast.arg, env);
  const ref = node.ColumnRef?.fields;
  if (ref?.length === 1 && ref[0]?.String?.sval) return env.get(ref[0].String.sval.toLowerCase());
  const e = node.A_Expr;
  if (e?.kind === 'AEXPR_OP' && e.name?.[0]?.String?.sval === '||') return cross([evalNode(e.lexpr, env), evalNode(e.rexpr, env)], (p) => p.join(''));
  const fc = node.FuncCall;
  if (fc) {
    const fn = String(fc.funcname?.[fc.funcname.length - 1]?.String?.sval ?? '').toLowerCase();
    const args = (fc.args ?? []).map((a: any) => evalNode(a, env));
    if (fn === 'quote_ident' && args.length === 1) return args[0]?.map(quoteIdent);
    if ((fn === 'quote_literal' || fn === 'quote_nullable') && args.length === 1) return args[0]?.map(quoteLiteral);
    if (fn === 'concat') return cross(args, (p) => p.join(''));
    if (fn === 'format' && args.length >= 1) {
      const r = cross(args, (p) => formatText(p[0], p.slice(1)) ?? '\u0000');
      return r?.some((x) => x === '\u0000') ? undefined : r;
    }
  }
  return undefined;
}

/** Every combination of the parts' values, or undefined if a part is unknown or there are too many. */
function cross(parts: Array<string[] | undefined>, join: (p: string[]) => string): string[] | undefined {
  let acc: string[][] = [[]];
  for (const p of parts) {
    if (!p) return undefined;
    const next: string[][] = [];
    for (const a of acc) for (const v of p) next.push([...a, v]);
    if (next.length > MAX_EXPANSIONS) return undefined;
    acc = next;
  }
  return acc.map(join);
}

function evalExpr(expr: string, env: Env): string[] | undefined {
  try {
    const t: any = parseSync(`SELECT ${expr}`);
    const targets = t.stmts?.[0]?.stmt?.SelectStmt?.targetList;
    if (targets?.length !== 1) return undefined;
    return evalNode(targets[0].ResTarget?.val, env);
  } catch {
    return undefined;
  }
}

/** The elements of `ARRAY['a', 'b']` (or `'{a,b}'::text[]`-free literal arrays), each folded. */
function arrayValues(expr: string, env: Env): string[] | undefined {
  try {
    const t: any = parseSync(`SELECT ${expr}`);
    const targets = t.stmts?.[0]?.stmt?.SelectStmt?.targetList;
    if (targets?.length !== 1) return undefined;
    let v = targets[0].ResTarget?.val;
    while (v?.TypeCast) v = v.TypeCast.arg;
    const els = v?.A_ArrayExpr?.elements;
    if (!Array.isArray(els) || !els.length) return undefined;
    const out: string[] = [];
    for (const el of els) {
      const vals = evalNode(el, env);
      if (!vals || vals.length !== 1) return undefined;
      out.push(vals[0]);
    }
    return out.length <= MAX_EXPANSIONS ? out : undefined;
  } catch {
    return undefined;
  }
}

/** `SELECT unnest(ARRAY[…])` (a FOR … IN query over a literal list) → its values. */
function unnestValues(query: string, env: Env): string[] | undefined {
  const m = /^\s*select\s+(?:pg_catalog\.)?unnest\s*\(([\s\S]*)\)\s*(?:as\s+\w+\s*)?$/i.exec(query);
  return m ? arrayValues(m[1], env) : undefined;
}

/** Offset in the unit text of line `lineno` (1-based) of the body, pointing at `needle` if found. */
function bodyOffset(ctx: BodyCtx, lineno: number, needle: string): number {
  const text = ctx.st.unit.text;
  if (!ctx.lineStarts) {
    ctx.lineStarts = [ctx.bodyStart];
    for (let nl = text.indexOf('\n', ctx.bodyStart); nl >= 0 && nl < ctx.st.end; nl = text.indexOf('\n', nl + 1)) ctx.lineStarts.push(nl + 1);
  }
  const off = ctx.lineStarts[Math.min(Math.max(lineno, 1), ctx.lineStarts.length) - 1];
  const word = /\S+/.exec(needle)?.[0];
  if (word) {
    const nl = text.indexOf('\n', off);
    const at = text.slice(off, nl < 0 ? text.length : nl).indexOf(word);
    if (at >= 0) return off + at;
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
    lexical: '',
    nested: ctx.nested,
    ...extra,
  };
  lazyLexical(s, extra);
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
    const at = expression ? 0 : skipTrivia(text, b2c(bs));
    const piece = expression ? sql : text.slice(at, s.stmt_len ? b2c(bs + s.stmt_len) : text.length).trim();
    // A multi-statement body (LANGUAGE sql, a literal EXECUTE string): each statement's own line.
    let nl = 0;
    for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) nl++;
    const child = pushNested(ctx, lineno + nl, piece, { pg: s.stmt });
    // The child's node locations refer to `text`; it sits at child.start in the unit (approximately).
    if (!expression) {
      child.pgText = text;
      child.pgOffset = child.start - at;
    }
    expandBodies({ ...child, start: child.start }, ctx.out, ctx.depth + 1);
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
    // Loops over a literal list bind their variable to each value for the statements inside.
    if ((key === 'PLpgSQL_stmt_foreach_a' || key === 'PLpgSQL_stmt_fors') && ctx.env) {
      const names = ctx.datums ?? [];
      const q = v.expr?.PLpgSQL_expr?.query ?? v.query?.PLpgSQL_expr?.query;
      const fields = v.var?.PLpgSQL_row?.fields;
      const varName = key === 'PLpgSQL_stmt_foreach_a' ? names[v.varno] : fields?.length === 1 ? String(fields[0].name ?? '').toLowerCase() : undefined;
      const vals = typeof q === 'string' ? (key === 'PLpgSQL_stmt_foreach_a' ? arrayValues(q, ctx.env) : unnestValues(q, ctx.env)) : undefined;
      if (varName && vals) {
        const inner: BodyCtx = { ...ctx, env: new Map(ctx.env).set(varName, vals) };
        walkPl(v.body, inner, ln);
        ctx.lineStarts = inner.lineStarts;
        const rest = { ...v };
        delete rest.body;
        walkPl(rest, ctx, ln);
        continue;
      }
    }
    if (key in DYNAMIC) {
      const q: string | undefined = v[DYNAMIC[key]]?.PLpgSQL_expr?.query;
      if (q !== undefined) {
        let literal = literalOfExpression(q);
        // Fixed shape: every value the expression can take is known (constants, literal lists):
        // each expansion is analyzed at the EXECUTE's line.
        const expansions = literal === undefined && ctx.env?.size ? evalExpr(q, ctx.env) : undefined;
        if (expansions?.length) literal = expansions.join(';\n');
        pushNested(ctx, ln, `EXECUTE ${q}`, { pg: { PLpgSQL_dynamic: { kind: key, query: q, literal, ...(expansions ? { expansions } : {}) } } });
        if (expansions) for (const x of expansions) parseNestedSql(x, ctx, ln, false);
        else if (literal !== undefined) parseNestedSql(literal, ctx, ln, false);
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

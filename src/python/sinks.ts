// SQL sinks: op.execute, batch_op.execute, op.get_bind().execute, a connection/session/cursor
// `.execute(…)`, `.exec_driver_sql(…)`, `.executemany`, `.executescript`, Django
// `schema_editor.execute`. A literal (or statically foldable) argument becomes a SQL unit whose
// positions point into the Python file; a Core/ORM expression becomes its SQL; anything else is
// dynamic SQL, which cannot be checked.
import type { PyAnalyzer, WalkCtx } from './analyzer.js';
import { coreSql, coreTableName } from './sqlalchemy.js';
import { SqlGen } from './sqlgen.js';
import { runtimeName, strOf } from './source.js';
import type { PyNode } from './source.js';
import type { FnInfo } from './scope.js';
import type { Dialect } from '../types.js';

const SINK_METHODS = new Set(['execute', 'exec_driver_sql', 'executemany', 'executescript', 'execute_sql', 'raw']);

export function handleSink(a: PyAnalyzer, call: PyNode, ctx: WalkCtx, origin: string, sql: PyNode | undefined, runsOn?: { dialect: Dialect; note: string }): void {
  if (!sql) {
    a.dynamic(call, ctx.down, `Dynamic SQL: \`${origin}(…)\` is called without a SQL argument this review can see; what it runs cannot be checked.`);
    return;
  }
  if (sql.nodeType === 'Starred') {
    a.dynamic(call, ctx.down, `Dynamic SQL: \`${origin}(*…)\` takes its SQL from unpacked arguments; what it runs cannot be checked.`);
    return;
  }
  const core = coreSql(a, sql, ctx.scope);
  if (core !== undefined) {
    if (core) a.emitSql(core, { down: ctx.down, origin, call, synthetic: true });
    return;
  }
  // Every text the argument can hold (constants folded, names with several literal values crossed).
  const f = a.foldVariants(sql, ctx.scope);
  if (f.ok) {
    // execute(sql, params) with literal parameters: judge the SQL the driver sends.
    const params = call.args?.[1] ?? call.keywords?.find((k: PyNode) => k.arg === 'params' || k.arg === 'parameters' || k.arg === 'args')?.value;
    for (const v of f.strs) {
      a.facts.stats.sqlStrings++;
      const bound = params && /%/.test(v.text) ? a.withParams(v, params, ctx.scope) : undefined;
      a.emitSql(bound ?? v, { down: ctx.down, origin, call, binds: bound ? false : undefined, ...(runsOn ? { runsOn } : {}) });
    }
    return;
  }
  a.dynamic(sql, ctx.down, `Dynamic SQL: \`${origin}(${a.src.brief(sql, 50)})\` runs SQL built at run time (${f.why}); what it runs cannot be checked.`);
}

/** Call handler: `<anything>.execute(sql, …)` other than op/batch_op (handled with the op calls). */
export function sinkCall(a: PyAnalyzer, call: PyNode, ctx: WalkCtx): void {
  const f = call.func;
  if (!f) return;
  let method: string;
  let origin: string;
  if (f.nodeType === 'Attribute') {
    if (!SINK_METHODS.has(f.attr)) return;
    if (f.value?.nodeType === 'Name' && ctx.batch.has(f.value.id)) return;
    if (isOp(a, f.value, ctx.scope)) return;
    // Django's QuerySet.raw(sql) and Manager.raw: only when called on `.objects`
    if (f.attr === 'raw' && !(f.value?.nodeType === 'Attribute' && f.value.attr === 'objects')) return;
    method = f.attr;
    origin = `${a.src.brief(f.value, 40)}.${f.attr}`;
  } else {
    // `run = conn.execute; run(sql)`, `getattr(conn, "execute")(sql)`
    const q = a.qual(f, ctx.scope);
    const last = q?.split('.').pop() ?? '';
    if (!q || !SINK_METHODS.has(last) || last === 'raw' || /^(?:alembic\.op|op)\.\w+$/.test(q)) return;
    method = last;
    origin = a.src.brief(f, 40);
  }
  const sql = a.arg(call, 0, method === 'executescript' ? 'sql_script' : 'statement') ?? a.arg(call, 0, 'sql') ?? a.arg(call, 0, 'query');
  const sqlite = f.nodeType === 'Attribute' && ((method === 'executescript' && a.facts.framework === 'python') || sqliteConnection(a, f.value, ctx.scope));
  handleSink(a, call, ctx, origin, sql, sqlite ? SQLITE3 : undefined);
}

const SQLITE3 = { dialect: 'sqlite' as Dialect, note: "runs on SQLite: a connection of Python's sqlite3 module" };

/**
 * Is `node` a connection or cursor of Python's sqlite3 module (the standard library's SQLite
 * driver: whatever it executes, SQLite runs)? `sqlite3.connect(…)`, its `.cursor()`, a name bound to
 * one, a parameter annotated `sqlite3.Connection` / `sqlite3.Cursor`
 * (https://docs.python.org/3/library/sqlite3.html). `executescript` is a method of those objects
 * only. Anything else stays unconstrained; in an Alembic or Django migration only a connection
 * made right there (`sqlite3.connect`) counts, not an annotation or the method's name.
 */
function sqliteConnection(a: PyAnalyzer, node: PyNode | undefined, scope: FnInfo, depth = 0): boolean {
  if (!node || depth > 8) return false;
  const d = a.deref(node, scope);
  const n = d.node;
  if (n.nodeType === 'Call') {
    const q = a.qual(n.func, d.scope);
    if (q === 'sqlite3.connect' || q === 'sqlite3.Connection') return true;
    return n.func?.nodeType === 'Attribute' && n.func.attr === 'cursor' && sqliteConnection(a, n.func.value, d.scope, depth + 1);
  }
  // A parameter with a type annotation (a parameter name resolves to its Param, or stays a Name).
  // Python does not check annotations: in an Alembic or Django migration, whose functions the
  // framework calls with its own connection, one is not taken for the connection's kind.
  if (a.facts.framework !== 'python') return false;
  if (n.nodeType === 'Param') return annotatedSqlite(a, n.fn, n.name);
  if (n.nodeType !== 'Name') return false;
  const s = a.scopes.lookupScope(n.id, d.scope);
  return !!s && annotatedSqlite(a, s.node, n.id);
}

function annotatedSqlite(a: PyAnalyzer, fn: PyNode, name: string): boolean {
  const args = fn?.args;
  const arg = args && [...(args.posonlyargs ?? []), ...(args.args ?? []), ...(args.kwonlyargs ?? [])].find((x: PyNode) => x?.arg === name);
  if (!arg?.annotation) return false;
  // The annotation is evaluated where the def statement runs: the enclosing scope.
  const t = a.qual(arg.annotation, a.scopes.info(fn)?.parent ?? a.scopes.module);
  return t === 'sqlite3.Connection' || t === 'sqlite3.Cursor';
}

/** Call handler: ORM writes not passed to execute (`session.query(M).delete()`, `M.objects.all().delete()`). */
export function ormCall(a: PyAnalyzer, call: PyNode, ctx: WalkCtx): void {
  const f = call.func;
  // Django's schema editor called directly from RunPython (`schema_editor.delete_model(M)`,
  // `.remove_field(M, field)`): the DDL the operations would run, with no operation to see.
  if (f?.nodeType === 'Attribute' && (f.attr === 'delete_model' || f.attr === 'remove_field') && call.args?.[0] && a.facts.framework === 'django') {
    const at = a.src.start(call);
    const t = coreTableName(a, call.args[0], ctx.scope);
    const g = new SqlGen(at);
    if (f.attr === 'delete_model') g.kw('DROP TABLE ').qname(t.name, t.schema);
    else g.kw('ALTER TABLE ').qname(t.name, t.schema).kw(' DROP COLUMN ').ident(strOf(runtimeName(a.src.brief(call.args[1] ?? call, 40)), at));
    a.emitSql(g.build(), { down: ctx.down, origin: `schema_editor.${f.attr}()`, call, synthetic: true });
    return;
  }
  if (f?.nodeType !== 'Attribute' || (f.attr !== 'delete' && f.attr !== '_raw_delete' && f.attr !== 'update')) return;
  const sql = coreSql(a, call, ctx.scope, true);
  if (sql) a.emitSql(sql, { down: ctx.down, origin: `ORM .${f.attr}()`, call, synthetic: true });
}

/** Is `node` the Alembic `op` proxy? */
export function isOp(a: PyAnalyzer, node: PyNode, scope: FnInfo): boolean {
  const q = a.qual(node, scope);
  return q === 'alembic.op' || q === 'op' || q === 'alembic.operations.op';
}

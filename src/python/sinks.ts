// SQL sinks: op.execute, batch_op.execute, op.get_bind().execute, a connection/session/cursor
// `.execute(…)`, `.exec_driver_sql(…)`, `.executemany`, `.executescript`, Django
// `schema_editor.execute`. A literal (or statically foldable) argument becomes a SQL unit whose
// positions point into the Python file; a Core/ORM expression becomes its SQL; anything else is
// dynamic SQL, which cannot be checked.
import type { PyAnalyzer, WalkCtx } from './analyzer.js';
import { coreSql } from './sqlalchemy.js';
import type { PyNode } from './source.js';
import type { FnInfo } from './scope.js';

const SINK_METHODS = new Set(['execute', 'exec_driver_sql', 'executemany', 'executescript', 'execute_sql', 'raw']);

export function handleSink(a: PyAnalyzer, call: PyNode, ctx: WalkCtx, origin: string, sql: PyNode | undefined): void {
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
      a.emitSql(bound ?? v, { down: ctx.down, origin, call, binds: bound ? false : undefined });
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
  handleSink(a, call, ctx, origin, sql);
}

/** Call handler: ORM writes not passed to execute (`session.query(M).delete()`, `M.objects.all().delete()`). */
export function ormCall(a: PyAnalyzer, call: PyNode, ctx: WalkCtx): void {
  const f = call.func;
  if (f?.nodeType !== 'Attribute' || (f.attr !== 'delete' && f.attr !== 'update')) return;
  const sql = coreSql(a, call, ctx.scope, true);
  if (sql) a.emitSql(sql, { down: ctx.down, origin: `ORM .${f.attr}()`, call, synthetic: true });
}

/** Is `node` the Alembic `op` proxy? */
export function isOp(a: PyAnalyzer, node: PyNode, scope: FnInfo): boolean {
  const q = a.qual(node, scope);
  return q === 'alembic.op' || q === 'op' || q === 'alembic.operations.op';
}

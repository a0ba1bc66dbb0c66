// SQLAlchemy Core / ORM and Django ORM write expressions → the SQL they run, so that an
// unscoped `table.delete()`, `sa.update(t).values(...)`, `session.query(M).delete()` or
// `Model.objects.all().delete()` is judged like `DELETE FROM t` / `UPDATE t SET …`.
import type { FnInfo } from './scope.js';
import type { PyAnalyzer } from './analyzer.js';
import { isRuntimeName, type PyNode, runtimeName, type Str, strOf } from './source.js';
import { SqlGen } from './sqlgen.js';

/** Table name of a Core table / ORM model expression (`sa.table("t")`, a class with `__tablename__`, apps.get_model). */
export function coreTableName(a: PyAnalyzer, node: PyNode, scope: FnInfo): { name: Str; schema?: Str } {
  const d = a.deref(node, scope);
  const n = d.node;
  const at = a.src.start(node);
  if (n.nodeType === 'Call') {
    const q = a.qual(n.func, d.scope) ?? '';
    // `apps` in a RunPython function is a parameter: fall back to the attribute name.
    const last = q ? (q.split('.').pop() ?? '') : n.func?.nodeType === 'Attribute' ? n.func.attr : '';
    if (last === 'table' || last === 'Table' || last === 'TableClause') {
      const name = a.strArg(a.arg(n, 0, 'name'), d.scope, at).str;
      const schemaNode = a.arg(n, -1, 'schema');
      return { name, schema: schemaNode ? a.strArg(schemaNode, d.scope, at).str : undefined };
    }
    if (last === 'get_model') {
      // Django: apps.get_model("app", "Model") or apps.get_model("app.Model") → app_model
      const x = a.fold(a.arg(n, 0, 'app_label'), d.scope);
      const y = a.fold(a.arg(n, 1, 'model_name'), d.scope);
      if (x.ok && y.ok) return { name: strOf(`${x.str.text}_${y.str.text}`.toLowerCase(), at) };
      if (x.ok && x.str.text.includes('.')) return { name: strOf(x.str.text.replace('.', '_').toLowerCase(), at) };
    }
  }
  if (n.nodeType === 'ClassDef') {
    for (const s of n.body ?? []) {
      if (s.nodeType === 'Assign' && s.targets?.[0]?.id === '__tablename__') {
        const f = a.fold(s.value, d.scope);
        if (f.ok) return { name: f.str };
      }
    }
    return { name: strOf(String(n.name).toLowerCase(), at) };
  }
  if (n.nodeType === 'Attribute' && n.attr === '__table__') return coreTableName(a, n.value, d.scope);
  if (n.nodeType === 'Name') {
    // Assigned several times (e.g. `queries = table("queries", …)` before each step): fine when
    // every assignment names the same table.
    const all = a.scopes.valuesOf(n.id, d.scope);
    if (all && all.length > 1) {
      const names = all.map((x) => (x.node.nodeType === 'Name' ? undefined : coreTableName(a, x.node, x.scope)));
      const first = names[0];
      if (first && names.every((x) => x && !isRuntimeName(x.name.text) && x.name.text === first.name.text && x.schema?.text === first.schema?.text)) return first;
    }
  }
  return { name: strOf(runtimeName(a.src.brief(node, 50)), at) };
}

interface Chain {
  base: PyNode;
  calls: Array<{ method: string; call: PyNode }>;
}

/** `x.a(1).b(2)` → base x, calls [a(1), b(2)]. */
/**
 * The method chain of an expression. `resolve` follows a name bound to a chain (`qs = M.objects.all()`
 * then `qs.delete()`): the chain goes on through the value it holds.
 */
function chainOf(node: PyNode, resolve?: (n: PyNode) => PyNode | undefined, depth = 0): Chain {
  const calls: Chain['calls'] = [];
  let cur = node;
  for (let hops = depth; ; ) {
    if (cur.nodeType === 'Call' && cur.func?.nodeType === 'Attribute') {
      calls.unshift({ method: cur.func.attr, call: cur });
      cur = cur.func.value;
    } else if (cur.nodeType === 'Attribute' && (cur.attr === 'objects' || cur.attr === 'query')) {
      calls.unshift({ method: cur.attr, call: cur });
      cur = cur.value;
    } else if (cur.nodeType === 'Name' && resolve && hops++ < 8) {
      // Only a queryset (`M.objects…`, `session.query(M)…`): a Core table bound to a name
      // (`t = sa.table(…)`; `t.delete()`) is read by its name as before.
      const next = resolve(cur);
      if (!next || next === cur || (next.nodeType !== 'Call' && next.nodeType !== 'Attribute')) break;
      if (!chainOf(next, resolve, hops).calls.some((c) => c.method === 'objects' || c.method === 'query')) break;
      cur = next;
    } else break;
  }
  return { base: cur, calls };
}

const WHERE_METHODS = new Set(['where', 'filter', 'filter_by', 'exclude', 'get', 'whereclause']);

/**
 * If `node` is a Core/ORM write or read expression, the equivalent SQL (or null for reads), else
 * undefined. `orm`: only ORM terminal writes (`….delete()`, `….update()`), used for statements
 * that are not passed to an execute() call.
 */
export function coreSql(a: PyAnalyzer, node: PyNode, scope: FnInfo, orm = false): Str | null | undefined {
  const d = a.deref(node, scope);
  if (d.node.nodeType !== 'Call') return undefined;
  scope = d.scope;
  if (!orm) {
    const ddl = ddlElement(a, d.node, scope);
    if (ddl !== undefined) return ddl;
  }
  const { base, calls } = chainOf(d.node, (n) => a.deref(n, scope).node);
  const at = a.src.start(node);
  let kind: 'update' | 'delete' | 'insert' | 'select' | undefined;
  let table: { name: Str; schema?: Str } | undefined;
  let where: PyNode | null | undefined; // null: a where clause we cannot render
  let hasWhere = false;
  const values: Str[] = [];
  let i = 0;
  const KINDS = ['update', 'delete', 'insert', 'select'];
  const saFn = (call: PyNode): string | undefined => {
    // sa.update(t) / update(t) imported from sqlalchemy
    const q = a.qual(call.func, scope) ?? '';
    const last = q.split('.').pop() ?? '';
    return KINDS.includes(last) && /^sqlalchemy(\.[A-Za-z_]\w*)*$/.test(q) ? last : undefined;
  };
  if (!orm && base.nodeType === 'Call' && saFn(base)) {
    kind = saFn(base) as typeof kind;
    if (kind !== 'select' && base.args?.[0]) table = coreTableName(a, base.args[0], scope);
  } else if (!orm && calls.length && calls[0].call.nodeType === 'Call' && saFn(calls[0].call)) {
    kind = saFn(calls[0].call) as typeof kind;
    if (kind !== 'select' && calls[0].call.args?.[0]) table = coreTableName(a, calls[0].call.args[0], scope);
    i = 1;
  } else if (!orm && calls.length && KINDS.includes(calls[0].method) && calls[0].call.nodeType === 'Call') {
    // table.update(whereclause?) / table.delete(whereclause?) / table.insert() / table.select()
    kind = calls[0].method as typeof kind;
    table = coreTableName(a, base, scope);
    const wc = a.arg(calls[0].call, 0, 'whereclause');
    if (wc && kind !== 'insert' && kind !== 'select') (hasWhere = true), (where = wc);
    i = 1;
  }
  // ORM: session.query(M)….delete() / Model.objects….delete() / .update(...)
  const qIdx = calls.findIndex((c) => c.method === 'query' || c.method === 'objects');
  const last = calls[calls.length - 1];
  // QuerySet._raw_delete(using): Django's own fast path of delete(), the same DELETE without signals or cascades.
  if (!kind && qIdx >= 0 && last && (last.method === 'delete' || last.method === '_raw_delete' || last.method === 'update')) {
    const q = calls[qIdx];
    kind = last.method === 'update' ? 'update' : 'delete';
    if (q.method === 'query' && q.call.nodeType === 'Call' && q.call.args?.[0]) table = coreTableName(a, q.call.args[0], scope);
    else if (q.method === 'objects') table = coreTableName(a, q.call.value ?? base, scope);
    if (kind === 'update') {
      const v = last.call.args?.[0];
      if (v?.nodeType === 'Dict') for (const k of v.keys) if (k) values.push(a.strArg(k, scope, at).str);
      for (const kw of last.call.keywords ?? []) if (kw.arg) values.push(strOf(kw.arg, a.src.start(kw.value)));
    }
    for (const c of calls.slice(qIdx + 1, -1)) if (WHERE_METHODS.has(c.method)) hasWhere = true;
    i = calls.length; // done
    if (!hasWhere && calls.slice(qIdx + 1, -1).some((c) => !['all', 'order_by', 'select_related', 'prefetch_related', 'using', 'only', 'defer', 'options', 'execution_options'].includes(c.method))) {
      // unknown refinements (join, limit, custom querysets): treat as scoped, cannot prove otherwise
      hasWhere = true;
    }
  }
  if (!kind) return undefined;
  for (; i < calls.length; i++) {
    const c = calls[i];
    if (WHERE_METHODS.has(c.method)) {
      hasWhere = true;
      where = where === undefined ? (c.call.args?.[0] ?? null) : null;
    } else if (c.method === 'values' && kind === 'update') {
      const v = c.call.args?.[0];
      if (v?.nodeType === 'Dict') for (const k of v.keys) if (k) values.push(a.strArg(k, scope, at).str);
      for (const kw of c.call.keywords ?? []) if (kw.arg) values.push(strOf(kw.arg, a.src.start(kw.value)));
    }
  }
  a.facts.stats.coreExpressions++;
  if (kind === 'select') return null;
  const g = new SqlGen(at);
  const tbl = table ?? { name: strOf(runtimeName(a.src.brief(base, 50)), at) };
  if (kind === 'insert') return g.kw('INSERT INTO ').qname(tbl.name, tbl.schema).kw(' DEFAULT VALUES').build();
  if (kind === 'delete') g.kw('DELETE FROM ').qname(tbl.name, tbl.schema);
  else {
    g.kw('UPDATE ').qname(tbl.name, tbl.schema).kw(' SET ');
    if (!values.length) values.push(strOf('(columns set at run time)', at));
    g.list(values, (v) => g.ident(v).kw(' = NULL'));
  }
  if (hasWhere) {
    g.kw(' WHERE ');
    whereSql(a, g, where, scope);
  }
  return g.build();
}

/** A where clause: literal text() SQL as written, `sa.true()` as true, anything else as an opaque condition. */
function whereSql(a: PyAnalyzer, g: SqlGen, node: PyNode | null | undefined, scope: FnInfo) {
  if (node) {
    const q = node.nodeType === 'Call' ? (a.qual(node.func, scope) ?? '') : '';
    // sa.true(), True, and sa.literal(True) (a bound constant true: every row).
    const literalTrue = /(^|\.)literal$/.test(q) && node.args?.[0]?.nodeType === 'Constant' && node.args[0].value === true;
    if (/(^|\.)(true|literal\(True\))$/.test(q) || literalTrue || (node.nodeType === 'Constant' && node.value === true)) {
      g.kw('true');
      return;
    }
    // `sa.literal_column('1') == 1`, `sa.literal(1) == sa.literal(1)`: a comparison of SQL text and
    // constants renders as the SQL it becomes, so the SQL rules can fold it.
    const side = (x: PyNode | undefined): string | undefined => {
      if (x?.nodeType === 'Constant' && (typeof x.value === 'number' || typeof x.value === 'boolean')) return String(x.value);
      if (x?.nodeType === 'Constant' && typeof x.value === 'string') return `'${x.value.replace(/'/g, "''")}'`;
      const xq = x?.nodeType === 'Call' ? (a.qual(x.func, scope) ?? '') : '';
      const arg = x?.args?.[0];
      if (/(^|\.)literal_column$/.test(xq) && arg?.nodeType === 'Constant' && typeof arg.value === 'string') return arg.value;
      if (/(^|\.)literal$/.test(xq)) return side(arg);
      return undefined;
    };
    const OPS: Record<string, string> = { Eq: '=', NotEq: '<>', Lt: '<', LtE: '<=', Gt: '>', GtE: '>=' };
    if (node.nodeType === 'Compare' && node.ops?.length === 1 && OPS[node.ops[0]?.nodeType ?? node.ops[0]]) {
      const l = side(node.left);
      const r = side(node.comparators?.[0]);
      if (l !== undefined && r !== undefined) {
        g.kw(`(${l} ${OPS[node.ops[0]?.nodeType ?? node.ops[0]]} ${r})`);
        return;
      }
    }
    if (node.nodeType === 'Constant' || /(^|\.)text$/.test(q)) {
      const f = a.fold(node, scope);
      if (f.ok) {
        g.kw('(').raw(f.str).kw(')');
        return;
      }
    }
    g.ident(runtimeName(a.src.brief(node, 50)));
    return;
  }
  g.ident('(a condition)');
}

/**
 * SQLAlchemy DDL elements passed to execute(): `CreateSchema("x", if_not_exists=…)`,
 * `DropSchema("x", cascade=…, if_exists=…)`, `DropTable(t, if_exists=…)`, `CreateTable(t)`
 * (sqlalchemy.schema; their SQL is fixed by their arguments).
 */
function ddlElement(a: PyAnalyzer, call: PyNode, scope: FnInfo): Str | undefined {
  const q = a.qual(call.func, scope) ?? '';
  const m = /^sqlalchemy(?:\.schema|\.sql\.ddl)?\.(CreateSchema|DropSchema|DropTable|CreateTable)$/.exec(q);
  if (!m) return undefined;
  const at = a.src.start(call);
  const g = new SqlGen(at);
  const arg0 = a.arg(call, 0, m[1].endsWith('Schema') ? 'name' : 'element');
  switch (m[1]) {
    case 'CreateSchema':
      return g.kw(a.kwTrue(call, 'if_not_exists') ? 'CREATE SCHEMA IF NOT EXISTS ' : 'CREATE SCHEMA ').ident(a.strArg(arg0, scope, at).str).build();
    case 'DropSchema':
      g.kw(a.kwTrue(call, 'if_exists') ? 'DROP SCHEMA IF EXISTS ' : 'DROP SCHEMA ').ident(a.strArg(arg0, scope, at).str);
      return (a.kwTrue(call, 'cascade') ? g.kw(' CASCADE') : g).build();
    case 'DropTable': {
      const t = arg0 ? coreTableName(a, arg0, scope) : { name: strOf(runtimeName(), at) };
      return g.kw(a.kwTrue(call, 'if_exists') ? 'DROP TABLE IF EXISTS ' : 'DROP TABLE ').qname(t.name, t.schema).build();
    }
    default: {
      const t = arg0 ? coreTableName(a, arg0, scope) : { name: strOf(runtimeName(), at) };
      return g.kw('CREATE TABLE ').qname(t.name, t.schema).kw(' ()').build();
    }
  }
}

/** Schema objects whose `.drop(bind)` emits a DROP statement, by the last part of their constructor's name. */
const DROPPABLE: Record<string, string> = {
  Table: 'TABLE',
  table: 'TABLE',
  Index: 'INDEX',
  Sequence: 'SEQUENCE',
  Enum: 'TYPE',
  ENUM: 'TYPE',
  DOMAIN: 'DOMAIN',
};

/**
 * Call handler: SQLAlchemy DDL run directly, not through Alembic's op: `sa.Table(…).drop(bind)`,
 * `model.__table__.drop(bind)`, `metadata.drop_all(bind)` (every table the metadata knows, or those
 * in `tables=[…]`). They emit the same DROP statements as `op.drop_table` (SQLAlchemy
 * `Table.drop` / `MetaData.drop_all`, sqlalchemy/sql/schema.py) and are judged as such.
 */
export function coreDdlCall(a: PyAnalyzer, call: PyNode, ctx: { scope: FnInfo; down: boolean }): void {
  const f = call.func;
  if (f?.nodeType !== 'Attribute' || (f.attr !== 'drop' && f.attr !== 'drop_all')) return;
  const bind = a.arg(call, 0, 'bind');
  const at = a.src.start(call);
  const checkfirst = a.kwTrue(call, 'checkfirst');
  if (f.attr === 'drop_all') {
    if (!bind) return; // not SQLAlchemy's signature (drop_all(bind, tables=None, checkfirst=True))
    const tablesNode = a.arg(call, 1, 'tables');
    const g = new SqlGen(at).kw('DROP TABLE ');
    // drop_all defaults to checkfirst=True: only existing tables are dropped, but all of them are.
    if (checkfirst || !call.keywords?.some((k: PyNode) => k.arg === 'checkfirst')) g.kw('IF EXISTS ');
    const list = tablesNode ? a.deref(tablesNode, ctx.scope).node : undefined;
    if (list && (list.nodeType === 'List' || list.nodeType === 'Tuple') && list.elts?.length) {
      g.list(list.elts.map((e: PyNode) => coreTableName(a, e, ctx.scope)), (t: { name: Str; schema?: Str }) => g.qname(t.name, t.schema));
    } else g.ident(`{every table of ${a.src.brief(f.value, 40)}}`);
    a.emitSql(g.build(), { down: ctx.down, origin: `${a.src.brief(f.value, 30)}.drop_all()`, call, synthetic: true });
    return;
  }
  if (!bind) return;
  const d = a.deref(f.value, ctx.scope);
  let kind: string | undefined;
  let target: PyNode = f.value;
  if (d.node.nodeType === 'Call') {
    const q = a.qual(d.node.func, d.scope) ?? '';
    const last = q.split('.').pop() ?? '';
    if (/^sqlalchemy(\.|$)|^sa\.|^alembic|^postgresql\./.test(q) || q === last || /\.dialects\./.test(q)) kind = DROPPABLE[last];
  } else if (d.node.nodeType === 'Attribute' && d.node.attr === '__table__') {
    kind = 'TABLE';
    target = d.node;
  }
  if (!kind) return;
  const g = new SqlGen(at).kw(`DROP ${kind} `);
  if (checkfirst) g.kw('IF EXISTS ');
  if (kind === 'TABLE') {
    const t = coreTableName(a, target, ctx.scope);
    g.qname(t.name, t.schema);
  } else {
    const n = d.node.nodeType === 'Call' ? (a.arg(d.node, kind === 'TYPE' ? -1 : 0, 'name') ?? (kind === 'TYPE' ? undefined : undefined)) : undefined;
    g.ident(n ? a.strArg(n, d.scope, at).str : strOf(`{${a.src.brief(f.value, 40)}}`, at));
  }
  a.emitSql(g.build(), { down: ctx.down, origin: `${a.src.brief(f.value, 30)}.drop()`, call, synthetic: true });
}

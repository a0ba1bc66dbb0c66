// Alembic: `op.*` and `batch_op.*` calls (with `op.batch_alter_table(...) as batch_op`) become
// the SQL they emit, so the SQL rules (drop-table, drop-column, alter-column-type, rename-*, …)
// judge them; SQL passed to op.execute / conn.execute is handled by ./sinks.ts.
// alembic_utils entities (PGFunction, PGView, PGTrigger, …) become their CREATE/DROP statements.
import { children, type FnInfo, walkAll } from './scope.js';
import type { BatchTable, PyAnalyzer, WalkCtx } from './analyzer.js';
import { type PyNode, runtimeName, type Str, strOf } from './source.js';
import { SqlGen } from './sqlgen.js';
import { handleSink, isOp } from './sinks.js';
export { isOp };
import { coreTableName } from './sqlalchemy.js';

/** Operations that change nothing dangerous or only configure (counted, no SQL). */
const PASSIVE = new Set([
  'f',
  'get_bind',
  'get_context',
  'batch_alter_table',
  'inline_literal',
  'implementation_for',
  'create_table_comment',
  'drop_table_comment',
  'create_exclude_constraint',
  'register_operation',
]);

/** `op.invoke(ops.XOp(…))`: operation classes whose constructor takes the arguments of the op method. */
const OP_CLASSES: Record<string, string> = {
  DropTableOp: 'drop_table',
  DropColumnOp: 'drop_column',
  DropIndexOp: 'drop_index',
  DropConstraintOp: 'drop_constraint',
  AlterColumnOp: 'alter_column',
  RenameTableOp: 'rename_table',
  ExecuteSQLOp: 'execute',
  CreateTableOp: 'create_table',
  AddColumnOp: 'add_column',
  CreateIndexOp: 'create_index',
  BulkInsertOp: 'bulk_insert',
};

const KNOWN = new Set([
  ...PASSIVE,
  'drop_table',
  'drop_column',
  'alter_column',
  'rename_table',
  'drop_constraint',
  'drop_index',
  'create_table',
  'add_column',
  'create_index',
  'create_foreign_key',
  'create_check_constraint',
  'create_unique_constraint',
  'create_primary_key',
  'execute',
  'bulk_insert',
  'create_entity',
  'replace_entity',
  'drop_entity',
  'run_async',
  'invoke',
]);


/** `with op.batch_alter_table("t", schema="s") as batch_op:` → alias batch_op → table t. */
export function alembicWith(a: PyAnalyzer, w: PyNode, ctx: WalkCtx): WalkCtx {
  let batch: Map<string, BatchTable> | undefined;
  for (const it of w.items ?? []) {
    const c = it.context_expr;
    if (c?.nodeType !== 'Call' || c.func?.nodeType !== 'Attribute' || c.func.attr !== 'batch_alter_table') continue;
    if (!isOp(a, c.func.value, ctx.scope) || it.optional_vars?.nodeType !== 'Name') continue;
    const at = a.src.start(c);
    const table = a.strArg(a.arg(c, 0, 'table_name'), ctx.scope, at).str;
    const schemaNode = a.arg(c, -1, 'schema');
    batch ??= new Map(ctx.batch);
    batch.set(it.optional_vars.id, { table, schema: schemaNode ? a.strArg(schemaNode, ctx.scope, at).str : undefined });
  }
  return batch ? { ...ctx, batch } : ctx;
}

/** Call handler: op.X(...) / batch_op.X(...). */
export function alembicCall(a: PyAnalyzer, call: PyNode, ctx: WalkCtx): void {
  const f = call.func;
  if (!f) return;
  let batch: BatchTable | undefined;
  let name: string;
  if (f.nodeType === 'Attribute' && f.value?.nodeType === 'Name' && ctx.batch.has(f.value.id)) {
    batch = ctx.batch.get(f.value.id);
    name = f.attr;
  } else {
    // op.drop_table(…), but also `o.drop_table` (o = op), `drop = op.drop_table; drop(…)`,
    // `getattr(op, "drop_table")(…)`, `from alembic.op import drop_table`.
    const q = a.qual(f, ctx.scope);
    const m = q ? /^(?:alembic\.op|op|alembic\.operations\.op)\.(\w+)$/.exec(q) : null;
    if (!m) {
      if (f.nodeType === 'Call' && a.qual(f.func, ctx.scope) === 'builtins.getattr' && f.args?.[0] && isOp(a, f.args[0], ctx.scope)) {
        a.dynamic(call, ctx.down, `\`${a.src.brief(f, 50)}(…)\` calls an Alembic operation chosen at run time; what it does cannot be checked.`);
      }
      return;
    }
    name = m[1];
  }
  const stats = a.facts.stats.ops;
  stats[name] = (stats[name] ?? 0) + 1;
  if (!KNOWN.has(name)) {
    a.note(call, 'parse-error', `\`${batch ? 'batch_op' : 'op'}.${name}(…)\` is not an Alembic operation this review knows (a custom operation?): what it does could not be verified.`, { down: ctx.down });
    return;
  }
  if (PASSIVE.has(name)) return;
  const op = new OpCall(a, call, ctx, name, batch);
  op.run();
}

/**
 * An Alembic operation used as a value rather than called where it stands (`list(map(op.drop_table,
 * names))`, `functools.partial(op.drop_table, "users")()`, `{"x": op.drop_table}["x"](…)`,
 * `op.drop_table.__call__(…)`): what it runs, on what, is not followed here, so it is reported as
 * dynamic (fail closed). A name bound to it (`drop = op.drop_table`) is not: its calls are read
 * through the name (alembicCall). Code in a function named `downgrade…` runs on rollback.
 */
export function alembicIndirect(a: PyAnalyzer): void {
  if (!/\bop\b/.test(a.ex.text)) return;
  const direct = new Set<PyNode>();
  for (const n of walkAll(a.module)) {
    if (n.nodeType === 'Call' && n.func) direct.add(n.func);
    if (n.nodeType === 'Assign' && n.value && (n.targets ?? []).every((t: PyNode) => t.nodeType === 'Name')) direct.add(n.value);
    if (n.nodeType === 'AnnAssign' && n.value && n.target?.nodeType === 'Name') direct.add(n.value);
  }
  const visit = (node: PyNode, scope: FnInfo, down: boolean): void => {
    for (const c of children(node)) {
      if (c.nodeType === 'FunctionDef' || c.nodeType === 'AsyncFunctionDef') {
        visit(c, a.scopes.info(c) ?? scope, down || /^downgrade/.test(c.name ?? ''));
        continue;
      }
      if (c.nodeType === 'Attribute' && !direct.has(c)) {
        const m = /^(?:alembic\.op|op|alembic\.operations\.op)\.(\w+)$/.exec(a.qual(c, scope) ?? '');
        if (m && KNOWN.has(m[1]) && !PASSIVE.has(m[1])) {
          a.dynamic(c, down, `\`${a.src.brief(c, 50)}\` passes the Alembic operation ${m[1]} on as a value: where and on what it runs is not followed, so it cannot be checked.`);
          continue;
        }
      }
      visit(c, scope, down);
    }
  };
  visit(a.module, a.scopes.module, false);
}

class OpCall {
  readonly at: number;
  readonly scope: FnInfo;
  constructor(
    readonly a: PyAnalyzer,
    readonly call: PyNode,
    readonly ctx: WalkCtx,
    readonly name: string,
    readonly batch: BatchTable | undefined,
  ) {
    this.at = a.src.start(call);
    this.scope = ctx.scope;
  }

  /** Positional index shifted for batch ops (which have no table argument). */
  arg(index: number, kw?: string, batchIndex = index - 1): PyNode | undefined {
    return this.a.arg(this.call, this.batch ? batchIndex : index, kw);
  }

  s(node: PyNode | undefined): Str {
    return this.a.strArg(node, this.scope, this.at).str;
  }

  opt(kw: string): Str | undefined {
    const n = this.a.arg(this.call, -1, kw);
    if (!n || (n.nodeType === 'Constant' && n.value === null)) return undefined;
    return this.s(n);
  }

  table(index = 0, kw = 'table_name'): { name: Str; schema?: Str } {
    if (this.batch) return { name: this.batch.table, schema: this.batch.schema };
    return { name: this.s(this.a.arg(this.call, index, kw)), schema: this.opt('schema') };
  }

  gen(): SqlGen {
    return new SqlGen(this.at);
  }

  emit(g: SqlGen) {
    this.a.emitSql(g.build(), { down: this.ctx.down, origin: `${this.batch ? 'batch_op' : 'op'}.${this.name}`, call: this.call, synthetic: true });
  }

  run() {
    const a = this.a;
    switch (this.name) {
      case 'drop_table': {
        const t = this.table(0);
        const g = this.gen().kw('DROP TABLE ');
        if (a.kwTrue(this.call, 'if_exists')) g.kw('IF EXISTS ');
        this.emit(g.qname(t.name, t.schema));
        return;
      }
      case 'drop_column': {
        const t = this.table(0);
        const g = this.gen().kw('ALTER TABLE ').qname(t.name, t.schema).kw(' DROP COLUMN ');
        if (a.kwTrue(this.call, 'if_exists')) g.kw('IF EXISTS ');
        this.emit(g.ident(this.s(this.arg(1, 'column_name'))));
        return;
      }
      case 'alter_column':
        return this.alterColumn();
      case 'rename_table': {
        const old = this.s(a.arg(this.call, 0, 'old_table_name'));
        const neu = this.s(a.arg(this.call, 1, 'new_table_name'));
        this.emit(this.gen().kw('ALTER TABLE ').qname(old, this.opt('schema')).kw(' RENAME TO ').ident(neu));
        return;
      }
      case 'drop_constraint': {
        const name = this.s(a.arg(this.call, 0, 'constraint_name'));
        const t = this.batch ? this.table() : { name: this.s(a.arg(this.call, 1, 'table_name')), schema: this.opt('schema') };
        const g = this.gen().kw('ALTER TABLE ').qname(t.name, t.schema).kw(' DROP CONSTRAINT ');
        if (a.kwTrue(this.call, 'if_exists')) g.kw('IF EXISTS ');
        this.emit(g.ident(name));
        return;
      }
      case 'drop_index': {
        const name = this.s(a.arg(this.call, 0, 'index_name'));
        const g = this.gen().kw('DROP INDEX ');
        if (a.kwTrue(this.call, 'postgresql_concurrently')) g.kw('CONCURRENTLY ');
        if (a.kwTrue(this.call, 'if_exists')) g.kw('IF EXISTS ');
        this.emit(g.qname(name, this.batch ? this.batch.schema : this.opt('schema')));
        return;
      }
      case 'create_table': {
        // With its columns, primary key and unique constraints (alembic/operations/ops.py
        // CreateTableOp: positional Column and Constraint objects after the name), so the replay's
        // later ALTERs, indexes and foreign keys on it find what they name. Foreign keys, checks
        // and `*columns` are left out: a referenced table missing from the sandbox would make the
        // whole CREATE fail.
        const t = this.table(0);
        const g = this.gen().kw('CREATE TABLE ').qname(t.name, t.schema).kw(' (');
        const pk: PyNode[] = [];
        let n = 0;
        const sep = () => {
          if (n++) g.kw(', ');
        };
        for (const item of (this.call.args ?? []).slice(1) as PyNode[]) {
          const d = this.a.deref(item, this.scope);
          const c = d?.node;
          if (!c || c.nodeType !== 'Call') continue;
          const callee = this.a.src.brief(c.func ?? c, 80).split('.').pop() ?? '';
          if (callee === 'Column') {
            sep();
            // A type of the project's own (a TypeDecorator such as GUID) as text: the table exists for what follows.
            this.columnDef(g, item, 'text');
            if (this.a.kwTrue(c, 'primary_key') && c.args?.[0]) pk.push(c.args[0]);
          } else if (callee === 'PrimaryKeyConstraint' || callee === 'UniqueConstraint') {
            const cols = ((c.args ?? []) as PyNode[]).filter((x) => x.nodeType === 'Constant' && typeof x.value === 'string');
            if (!cols.length) continue;
            if (callee === 'PrimaryKeyConstraint') {
              pk.push(...cols);
              continue;
            }
            sep();
            g.kw('UNIQUE (').list(cols, (x) => g.ident(this.a.strArg(x, d!.scope, this.at).str)).kw(')');
          }
        }
        if (pk.length) {
          sep();
          g.kw('PRIMARY KEY (').list(pk, (x) => g.ident(this.a.strArg(x, this.scope, this.at).str)).kw(')');
        }
        this.emit(g.kw(')'));
        return;
      }
      case 'add_column': {
        const t = this.table(0);
        const col = this.arg(1, 'column');
        const g = this.gen().kw('ALTER TABLE ').qname(t.name, t.schema).kw(' ADD COLUMN ');
        this.columnDef(g, col);
        this.emit(g);
        return;
      }
      case 'create_index': {
        const name = a.arg(this.call, 0, 'index_name');
        const t = this.batch ? this.table() : { name: this.s(a.arg(this.call, 1, 'table_name')), schema: this.opt('schema') };
        const cols = this.arg(2, 'columns');
        const g = this.gen().kw('CREATE ');
        if (a.kwTrue(this.call, 'unique')) g.kw('UNIQUE ');
        g.kw('INDEX ');
        if (a.kwTrue(this.call, 'postgresql_concurrently')) g.kw('CONCURRENTLY ');
        if (a.kwTrue(this.call, 'if_not_exists')) g.kw('IF NOT EXISTS ');
        if (name && !(name.nodeType === 'Constant' && name.value === null)) g.ident(this.s(name)).kw(' ');
        g.kw('ON ').qname(t.name, t.schema).kw(' (');
        this.columnList(g, cols);
        this.emit(g.kw(')'));
        return;
      }
      case 'create_foreign_key': {
        const name = a.arg(this.call, 0, 'constraint_name');
        const src = this.batch ? this.table() : { name: this.s(a.arg(this.call, 1, 'source_table')), schema: this.opt('source_schema') };
        const ref = this.s(this.arg(2, 'referent_table'));
        const g = this.gen().kw('ALTER TABLE ').qname(src.name, src.schema).kw(' ADD ');
        if (name && !(name.nodeType === 'Constant' && name.value === null)) g.kw('CONSTRAINT ').ident(this.s(name)).kw(' ');
        g.kw('FOREIGN KEY (');
        this.columnList(g, this.arg(3, 'local_cols'));
        g.kw(') REFERENCES ').qname(ref, this.opt('referent_schema')).kw(' (');
        this.columnList(g, this.arg(4, 'remote_cols'));
        g.kw(')');
        if (a.kwTrue(this.call, 'postgresql_not_valid')) g.kw(' NOT VALID');
        this.emit(g);
        return;
      }
      case 'create_check_constraint': {
        const name = a.arg(this.call, 0, 'constraint_name');
        const t = this.batch ? this.table() : { name: this.s(a.arg(this.call, 1, 'table_name')), schema: this.opt('schema') };
        const cond = this.arg(2, 'condition');
        const g = this.gen().kw('ALTER TABLE ').qname(t.name, t.schema).kw(' ADD ');
        if (name && !(name.nodeType === 'Constant' && name.value === null)) g.kw('CONSTRAINT ').ident(this.s(name)).kw(' ');
        g.kw('CHECK (');
        const c = cond ? a.fold(cond, this.scope) : undefined;
        if (c?.ok) g.raw(c.str);
        else g.ident(runtimeName(cond ? a.src.brief(cond, 50) : undefined));
        g.kw(')');
        if (a.kwTrue(this.call, 'postgresql_not_valid')) g.kw(' NOT VALID');
        this.emit(g);
        return;
      }
      case 'create_unique_constraint':
      case 'create_primary_key': {
        const name = a.arg(this.call, 0, 'constraint_name');
        const t = this.batch ? this.table() : { name: this.s(a.arg(this.call, 1, 'table_name')), schema: this.opt('schema') };
        const g = this.gen().kw('ALTER TABLE ').qname(t.name, t.schema).kw(' ADD ');
        if (name && !(name.nodeType === 'Constant' && name.value === null)) g.kw('CONSTRAINT ').ident(this.s(name)).kw(' ');
        g.kw(this.name === 'create_primary_key' ? 'PRIMARY KEY (' : 'UNIQUE (');
        this.columnList(g, this.arg(2, 'columns'));
        this.emit(g.kw(')'));
        return;
      }
      case 'execute':
        handleSink(a, this.call, this.ctx, `${this.batch ? 'batch_op' : 'op'}.execute`, a.arg(this.call, 0, 'sqltext'));
        return;
      case 'bulk_insert':
        return this.bulkInsert();
      case 'create_entity':
      case 'replace_entity':
      case 'drop_entity':
        return this.entity();
      case 'invoke':
        return this.invoke();
      case 'run_async':
        a.facts.runPython.push(a.hitAt(this.call, `\`op.run_async(${a.src.brief(a.arg(this.call, 0) ?? this.call, 40)})\` runs Python code against the database; what it does is not checked as SQL.`, { down: this.ctx.down }));
        return;
    }
  }

  /**
   * `op.invoke(ops.DropTableOp("t"))`: Alembic runs the operation object exactly as the op method
   * (alembic/operations/base.py `Operations.invoke`); the constructors take the same arguments.
   */
  private invoke() {
    const a = this.a;
    const arg = a.arg(this.call, 0, 'operation');
    const d = arg ? a.deref(arg, this.scope) : undefined;
    const n = d?.node;
    const q = n?.nodeType === 'Call' ? (a.qual(n.func, d!.scope) ?? (n.func?.nodeType === 'Attribute' ? n.func.attr : '')) : '';
    const cls = q.split('.').pop() ?? '';
    const method = OP_CLASSES[cls];
    if (!n || !method) {
      a.note(this.call, 'parse-error', `\`op.invoke(${a.src.brief(arg ?? this.call, 40)})\` runs an operation object this review does not know: what it does could not be verified.`, { down: this.ctx.down });
      return;
    }
    new OpCall(a, n, { ...this.ctx, scope: d!.scope }, method, undefined).run();
  }

  private alterColumn() {
    const a = this.a;
    const t = this.table(0);
    const col = this.s(this.arg(1, 'column_name'));
    const start = () => this.gen().kw('ALTER TABLE ').qname(t.name, t.schema);
    const stmts: SqlGen[] = [];
    const type = a.arg(this.call, -1, 'type_');
    if (type) {
      const g = start().kw(' ALTER COLUMN ').ident(col).kw(' TYPE ');
      renderType(a, g, type, this.scope);
      const using = a.arg(this.call, -1, 'postgresql_using');
      if (using) {
        const u = a.fold(using, this.scope);
        g.kw(' USING ');
        if (u.ok) g.raw(u.str);
        else g.ident(runtimeName(a.src.brief(using, 50)));
      }
      stmts.push(g);
    }
    const nullable = a.arg(this.call, -1, 'nullable');
    if (nullable?.nodeType === 'Constant' && typeof nullable.value === 'boolean') {
      stmts.push(start().kw(' ALTER COLUMN ').ident(col).kw(nullable.value ? ' DROP NOT NULL' : ' SET NOT NULL'));
    }
    const rename = a.arg(this.call, -1, 'new_column_name');
    if (rename && !(rename.nodeType === 'Constant' && rename.value === null)) {
      stmts.push(start().kw(' RENAME COLUMN ').ident(col).kw(' TO ').ident(this.s(rename)));
    }
    if (!stmts.length) return;
    const g = this.gen();
    stmts.forEach((s, i) => {
      if (i) g.kw(';\n');
      g.raw(s.build());
    });
    this.emit(g);
  }

  /** Column names from a list of strings (or expressions, shown as `(value of expr)`). */
  private columnList(g: SqlGen, node: PyNode | undefined) {
    const d = node ? this.a.deref(node, this.scope) : undefined;
    const elts: PyNode[] = d && (d.node.nodeType === 'List' || d.node.nodeType === 'Tuple') ? d.node.elts : node ? [node] : [];
    if (!elts.length) {
      g.ident(runtimeName());
      return;
    }
    g.list(elts, (e) => g.ident(this.a.strArg(e, d?.scope ?? this.scope, this.at).str));
  }

  /**
   * `sa.Column("name", sa.Type(), nullable=False, server_default=…)` → `"name" type NOT NULL DEFAULT '…'`.
   * `unknownType`: the type written for a project's own column type (create_table: so the table is made at all).
   */
  private columnDef(g: SqlGen, col: PyNode | undefined, unknownType?: string) {
    const a = this.a;
    const d = col ? a.deref(col, this.scope) : undefined;
    const c = d?.node;
    if (!c || c.nodeType !== 'Call') {
      g.ident(runtimeName(col ? a.src.brief(col, 50) : undefined)).kw(' text');
      return;
    }
    const args: PyNode[] = c.args ?? [];
    let idx = 0;
    let name: Str | undefined;
    if (args[0] && (args[0].nodeType === 'Constant' || args[0].nodeType === 'Name' || args[0].nodeType === 'JoinedStr' || args[0].nodeType === 'BinOp')) {
      const f = a.fold(args[0], d.scope);
      if (f.ok) {
        name = f.str;
        idx = 1;
      }
    }
    const kwName = a.arg(c, -1, 'name');
    if (!name && kwName) name = a.strArg(kwName, d.scope, this.at).str;
    g.ident(name ?? strOf('(unnamed column)', this.at)).kw(' ');
    const typeNode = args[idx] ?? a.arg(c, -1, 'type_');
    if (typeNode && !/ForeignKey|Sequence|Identity|Computed/.test(a.src.brief(typeNode, 80).split('(')[0])) renderType(a, g, typeNode, d.scope, unknownType);
    else g.kw('integer');
    const nullable = a.arg(c, -1, 'nullable');
    const pk = a.kwTrue(c, 'primary_key');
    if (pk || (nullable?.nodeType === 'Constant' && nullable.value === false)) g.kw(' NOT NULL');
    const def = a.arg(c, -1, 'server_default');
    if (def && !(def.nodeType === 'Constant' && def.value === null)) {
      const f = a.fold(def, d.scope);
      g.kw(' DEFAULT ').literal(f.ok ? f.str : strOf(runtimeName(a.src.brief(def, 50)), a.src.start(def)));
    }
  }

  private bulkInsert() {
    const a = this.a;
    const tableNode = a.arg(this.call, 0, 'table');
    const t = tableNode ? coreTableName(a, tableNode, this.scope) : { name: strOf(runtimeName(), this.at) };
    const rowsNode = a.arg(this.call, 1, 'rows');
    const rows = rowsNode ? a.deref(rowsNode, this.scope) : undefined;
    const g = this.gen();
    let n = 0;
    if (rows && (rows.node.nodeType === 'List' || rows.node.nodeType === 'Tuple')) {
      for (const row of (rows.node.elts as PyNode[]).slice(0, 1000)) {
        if (row.nodeType !== 'Dict') continue;
        const keys: Str[] = [];
        const vals: PyNode[] = [];
        (row.keys as Array<PyNode | null>).forEach((k, i) => {
          if (!k) return;
          const f = a.fold(k, rows.scope);
          if (!f.ok) return;
          keys.push(f.str);
          vals.push(row.values[i]);
        });
        if (n++) g.kw(';\n');
        g.kw('INSERT INTO ').qname(t.name, t.schema);
        if (!keys.length) {
          g.kw(' DEFAULT VALUES');
          continue;
        }
        g.kw(' (').list(keys, (k) => g.ident(k)).kw(') VALUES (');
        g.list(vals, (v) => {
          if (v.nodeType === 'Constant' && (v.value === null || typeof v.value === 'boolean')) g.kw(v.value === null ? 'NULL' : v.value ? 'true' : 'false');
          else if (v.nodeType === 'Constant' && typeof v.value === 'number') g.kw(String(v.value));
          else {
            const f = a.fold(v, rows.scope);
            if (f.ok) g.literal(f.str);
            else g.kw('NULL');
          }
        });
        g.kw(')');
      }
    }
    if (!n) g.kw('INSERT INTO ').qname(t.name, t.schema).kw(' DEFAULT VALUES');
    this.emit(g);
  }

  /** alembic_utils: op.create_entity / replace_entity / drop_entity(PGFunction(...) | PGView(...) | …). */
  private entity() {
    const a = this.a;
    const argNode = a.arg(this.call, 0, 'entity');
    const d = argNode ? a.deref(argNode, this.scope) : undefined;
    const c = d?.node;
    const kind = c?.nodeType === 'Call' ? (a.qual(c.func, d!.scope) ?? '').split('.').pop() : undefined;
    const POSITIONAL: Record<string, string[]> = {
      PGFunction: ['schema', 'signature', 'definition'],
      PGProcedure: ['schema', 'signature', 'definition'],
      PGView: ['schema', 'signature', 'definition'],
      PGMaterializedView: ['schema', 'signature', 'definition', 'with_data'],
      PGTrigger: ['schema', 'signature', 'on_entity', 'definition', 'is_constraint'],
      PGPolicy: ['schema', 'signature', 'on_entity', 'definition'],
      PGExtension: ['schema', 'signature'],
      PGGrantTable: ['schema', 'table', 'columns', 'role', 'grant', 'with_grant_option'],
    };
    if (!c || !kind || !POSITIONAL[kind]) {
      a.dynamic(this.call, this.ctx.down, `op.${this.name}(${argNode ? a.src.brief(argNode, 40) : ''}): the database entity (alembic_utils) could not be resolved to its definition in this file, so its SQL cannot be checked.`);
      return;
    }
    const names = POSITIONAL[kind];
    const get = (field: string) => a.arg(c, names.indexOf(field), field);
    const str = (field: string): Str | undefined => {
      const n = get(field);
      if (!n) return undefined;
      const f = a.fold(n, d!.scope);
      return f.ok ? f.str : undefined;
    };
    const need = (field: string): Str | undefined => {
      const s = str(field);
      if (!s && get(field)) a.dynamic(get(field)!, this.ctx.down, `${kind} ${field} is not a literal in this file, so the SQL of op.${this.name} cannot be checked.`);
      return s;
    };
    const schema = str('schema');
    const sig = need('signature');
    if (!sig) return;
    const drop = this.name === 'drop_entity';
    const replace = this.name === 'replace_entity';
    const g = this.gen();
    const qualified = () => {
      if (schema) g.ident(schema).kw('.');
    };
    switch (kind) {
      case 'PGFunction':
      case 'PGProcedure': {
        const word = kind === 'PGFunction' ? 'FUNCTION' : 'PROCEDURE';
        if (drop) {
          g.kw(`DROP ${word} `);
          qualified();
          g.raw(withoutDefaults(sig));
        } else {
          const def = need('definition');
          if (!def) return;
          g.kw(replace ? `CREATE OR REPLACE ${word} ` : `CREATE ${word} `);
          qualified();
          g.raw(sig).kw(' ').raw(def);
        }
        break;
      }
      case 'PGView':
      case 'PGMaterializedView': {
        const word = kind === 'PGView' ? 'VIEW' : 'MATERIALIZED VIEW';
        if (drop || (replace && kind === 'PGMaterializedView')) {
          g.kw(`DROP ${word} `);
          qualified();
          g.ident(sig);
          if (drop) break;
          g.kw(';\n');
        }
        const def = need('definition');
        if (!def) return;
        g.kw(replace && kind === 'PGView' ? `CREATE OR REPLACE ${word} ` : `CREATE ${word} `);
        qualified();
        g.ident(sig).kw(' AS ').raw(def);
        break;
      }
      case 'PGTrigger':
      case 'PGPolicy': {
        const word = kind === 'PGTrigger' ? 'TRIGGER' : 'POLICY';
        const on = need('on_entity');
        if (!on) return;
        if (drop || (replace && kind === 'PGTrigger')) {
          g.kw(`DROP ${word} `).ident(sig).kw(' ON ').raw(on);
          if (drop) break;
          g.kw(';\n');
        }
        const def = need('definition');
        if (!def) return;
        if (kind === 'PGTrigger') g.kw(a.kwTrue(c, 'is_constraint') ? 'CREATE CONSTRAINT TRIGGER ' : 'CREATE TRIGGER ').ident(sig).kw(' ').raw(def);
        else g.kw(replace ? 'ALTER POLICY ' : 'CREATE POLICY ').ident(sig).kw(' ON ').raw(on).kw(' ').raw(def);
        break;
      }
      case 'PGExtension':
        if (drop) g.kw('DROP EXTENSION ').ident(sig);
        else {
          g.kw('CREATE EXTENSION IF NOT EXISTS ').ident(sig);
          if (schema) g.kw(' WITH SCHEMA ').ident(schema);
        }
        break;
      case 'PGGrantTable': {
        const table = str('table') ?? sig;
        const role = need('role');
        const grant = need('grant');
        if (!role || !grant) return;
        g.kw(drop ? 'REVOKE ' : 'GRANT ').raw(grant).kw(' ON ');
        qualified();
        g.ident(table).kw(drop ? ' FROM ' : ' TO ').ident(role);
        if (!drop && a.kwTrue(c, 'with_grant_option')) g.kw(' WITH GRANT OPTION');
        break;
      }
    }
    this.emit(g);
  }
}

/** `f(a int DEFAULT 1, b text = 'x')` → `f(a int, b text)` (DROP FUNCTION takes no defaults). */
function withoutDefaults(sig: Str): Str {
  const open = sig.text.indexOf('(');
  if (open < 0) return sig;
  const keep: boolean[] = new Array(sig.text.length).fill(true);
  let depth = 0;
  let dropping = false;
  let quote: string | null = null;
  for (let i = open; i < sig.text.length; i++) {
    const ch = sig.text[i];
    if (quote) {
      if (ch === quote) quote = null;
      if (dropping) keep[i] = false;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    if (ch === '(') depth++;
    if (ch === ')') {
      depth--;
      if (depth === 0) dropping = false;
    }
    if (depth === 1 && ch === ',') dropping = false;
    if (depth === 1 && !dropping) {
      const rest = sig.text.slice(i);
      const m = /^\s+default\b|^\s*=/i.exec(rest);
      if (m) dropping = true;
    }
    if (dropping) keep[i] = false;
  }
  const text: string[] = [];
  const src: number[] = [];
  for (let i = 0; i < sig.text.length; i++) if (keep[i]) text.push(sig.text[i]), src.push(sig.src[i]);
  return { text: text.join(''), src };
}

const TYPE_MAP: Record<string, string> = {
  string: 'varchar',
  varchar: 'varchar',
  unicode: 'varchar',
  nvarchar: 'varchar',
  char: 'char',
  text: 'text',
  unicodetext: 'text',
  integer: 'integer',
  int: 'integer',
  smallinteger: 'smallint',
  smallint: 'smallint',
  biginteger: 'bigint',
  bigint: 'bigint',
  boolean: 'boolean',
  datetime: 'timestamp',
  timestamp: 'timestamp',
  date: 'date',
  time: 'time',
  interval: 'interval',
  float: 'double precision',
  double: 'double precision',
  double_precision: 'double precision',
  real: 'real',
  numeric: 'numeric',
  decimal: 'numeric',
  json: 'json',
  jsonb: 'jsonb',
  uuid: 'uuid',
  largebinary: 'bytea',
  bytea: 'bytea',
  binary: 'bytea',
  inet: 'inet',
  cidr: 'cidr',
  tsvector: 'tsvector',
  citext: 'citext',
  money: 'money',
  macaddr: 'macaddr',
};

/**
 * A SQLAlchemy type expression → SQL type; unknown ones (a project's own TypeDecorator) become
 * `unknownAs` when given, else a quoted name showing the Python.
 */
export function renderType(a: PyAnalyzer, g: SqlGen, node: PyNode, scope: FnInfo, unknownAs?: string) {
  const d = a.deref(node, scope);
  const n = d.node;
  const fn = n.nodeType === 'Call' ? n.func : n;
  const last = (fn.nodeType === 'Attribute' ? fn.attr : fn.nodeType === 'Name' ? fn.id : '') as string;
  const base = TYPE_MAP[last.toLowerCase()];
  if (n.nodeType === 'Call' && last.toUpperCase() === 'ARRAY' && n.args?.[0]) {
    renderType(a, g, n.args[0], d.scope, unknownAs);
    g.kw('[]');
    return;
  }
  if (!base) {
    if (unknownAs) g.kw(unknownAs);
    else g.ident(a.src.brief(n, 60));
    return;
  }
  let t = base;
  if (n.nodeType === 'Call') {
    const nums = (n.args ?? []).filter((x: PyNode) => x.nodeType === 'Constant' && typeof x.value === 'number').map((x: PyNode) => String(x.value));
    const len = a.arg(n, -1, 'length');
    const prec = a.arg(n, -1, 'precision');
    const scale = a.arg(n, -1, 'scale');
    if (!nums.length && len?.nodeType === 'Constant' && typeof len.value === 'number') nums.push(String(len.value));
    if (!nums.length && prec?.nodeType === 'Constant') nums.push(String(prec.value), ...(scale?.nodeType === 'Constant' ? [String(scale.value)] : []));
    if (a.kwTrue(n, 'timezone') && (t === 'timestamp' || t === 'time')) t += ' with time zone';
    else if (nums.length && /^(varchar|char|numeric)$/.test(t)) t += `(${nums.join(', ')})`;
  }
  g.kw(t);
}

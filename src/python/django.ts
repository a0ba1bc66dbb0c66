// Django migrations: `migrations.RunSQL` (sql = up, reverse_sql = down), `RunPython` (reported:
// it runs arbitrary code), and schema operations turned into their SQL on the default table name
// `<app_label>_<model>` (DeleteModel → DROP TABLE, RemoveField → DROP COLUMN, RenameModel,
// RenameField, AlterModelTable, RemoveIndex, RemoveConstraint, AddIndex, CreateModel).
// AddField and CreateModel make typed columns (src/python/djangofields.ts) and a typed AlterField is an
// ALTER COLUMN … TYPE, judged against the column's type before it; an AlterField whose field cannot be
// typed is reported as a possible type change.
import type { PyAnalyzer, WalkCtx } from './analyzer.js';
import { type FnInfo, walkAll } from './scope.js';
import { type PyNode, type Str, strOf } from './source.js';
import { SqlGen } from './sqlgen.js';
import { type FieldColumn, fieldColumn } from './djangofields.js';

/**
 * Reversibility of a Django migration (issue 11, part 1), judged statically from its operations as
 * Django reverses them (the `irreversible` rule reports these notes):
 * - `Migration.unapply` (django/db/migrations/migration.py) first walks every operation and raises
 *   IrreversibleError on one whose `reversible` is false, before undoing anything. Only RunSQL
 *   (`reversible = reverse_sql is not None`) and RunPython (`reverse_code is not None`) can be
 *   false (django/db/migrations/operations/special.py); `RunSQL.noop` is "" and `RunPython.noop`
 *   a function, both reversible. Inside SeparateDatabaseAndState's database_operations the
 *   same operations raise NotImplementedError("You cannot reverse this operation") from
 *   `database_backwards`: as irreversible.
 * - The operations whose reverse Django computes are reversible: AddField ↔ RemoveField,
 *   CreateModel ↔ DeleteModel, AlterField back to the definition in the earlier state, renames.
 *   But RemoveField.database_backwards re-adds the column (`schema_editor.add_field`,
 *   operations/fields.py) and DeleteModel.database_backwards re-creates the table
 *   (`schema_editor.create_model`, operations/models.py) empty: the schema comes back, the data
 *   does not — said as the SQL path says it (src/state/reversal.ts), when the migration is
 *   otherwise reversible and the column or table was not made earlier in the same migration.
 * The reverse is not replayed in the sandbox: Django derives the reverse SQL from the folded model
 * state (the previous field definition for AlterField, the whole model for DeleteModel), which
 * this review reads only in part (src/python/djangofields.ts); a partial replay would report
 * differences Django does not make. RunSQL's reverse_sql is judged by the rules as a down unit.
 */
interface ReverseFact {
  node: PyNode;
  kind: 'irreversible' | 'data';
  message: string;
}

const reverseFacts = new WeakMap<PyAnalyzer, { facts: ReverseFact[]; made: Set<string> }>();

function reverseOf(a: PyAnalyzer) {
  let r = reverseFacts.get(a);
  if (!r) reverseFacts.set(a, (r = { facts: [], made: new Set() }));
  return r;
}

/** After the walk: the reversibility notes of a Django migration. */
export function djangoReversal(a: PyAnalyzer): void {
  const r = reverseFacts.get(a);
  if (!r || a.ex.kind !== 'django') return;
  const irreversible = r.facts.filter((f) => f.kind === 'irreversible');
  for (const f of irreversible.length ? irreversible : r.facts) a.note(f.node, 'irreversible', f.message, { down: false });
}

/** The argument is absent or the literal None. */
function noneArg(n: PyNode | undefined): boolean {
  return !n || (n.nodeType === 'Constant' && n.value === null);
}

const OPS = new Set([
  'RunSQL',
  'RunPython',
  'DeleteModel',
  'RemoveField',
  'AlterField',
  'RenameModel',
  'RenameField',
  'AlterModelTable',
  'RemoveIndex',
  'RemoveConstraint',
  'AddIndex',
  'AddIndexConcurrently',
  'RemoveIndexConcurrently',
  'CreateModel',
  'AddField',
  'AddConstraint',
  'SeparateDatabaseAndState',
  'AlterUniqueTogether',
  'AlterIndexTogether',
  'AlterModelOptions',
  'AlterModelManagers',
  'AlterOrderWithRespectTo',
  'RenameIndex',
  'CreateExtension',
  'TrigramExtension',
  'HStoreExtension',
  'CITextExtension',
  'UnaccentExtension',
  'BtreeGinExtension',
  'BtreeGistExtension',
  'CryptoExtension',
  'AddConstraintNotValid',
  'ValidateConstraint',
]);

/** The Django operation a call constructs (`migrations.DeleteModel(...)` → 'DeleteModel'), if any. */
function djangoOp(a: PyAnalyzer, call: PyNode, scope: FnInfo): string | undefined {
  const q = a.qual(call.func, scope);
  if (!q) return undefined;
  const last = q.split('.').pop()!;
  if (!OPS.has(last)) return undefined;
  if (/^django(\.|$)/.test(q) || /(^|\.)migrations\.\w+$/.test(q) || /(^|\.)operations\.\w+$/.test(q)) return last;
  return undefined;
}

/** App label from the path: `<app>/migrations/0001_x.py`. */
function appLabel(path: string): string {
  const parts = path.replace(/\\/g, '/').split('/');
  const i = parts.lastIndexOf('migrations');
  return i > 0 ? parts[i - 1] : 'app';
}

/** Before roles are computed: functions named as RunPython reverse_code run on reverse only. */
export function djangoPrepass(a: PyAnalyzer): void {
  stateOnlyLists(a);
  if (!/\bRunPython\b/.test(a.ex.text)) return;
  for (const n of walkAll(a.module)) {
    if (n.nodeType !== 'Call') continue;
    const q = a.qual(n.func, a.scopes.module) ?? '';
    if (!/(^|\.)RunPython$/.test(q)) continue;
    const rev = a.arg(n, 1, 'reverse_code');
    if (rev) a.markDownRef(rev);
  }
}

/**
 * Django runs a RunPython function when the operations list reaches it (django/db/migrations/
 * operations/special.py RunPython.database_forwards), not where the `def` stands: the SQL found in
 * a module-level function named as a RunPython `code` or `reverse_code` is moved to the RunPython
 * call's place among the operations' SQL (`units` from index `from` on, stable otherwise), so that
 * the state and the replay see `AddField` before the function that fills the new column.
 */
export function djangoRunOrder(a: PyAnalyzer, from: number): void {
  if (a.ex.kind !== 'django' || !/\bRunPython\b/.test(a.ex.text)) return;
  const defs = new Map<string, PyNode>();
  for (const s of a.module.body ?? []) if (s.nodeType === 'FunctionDef' || s.nodeType === 'AsyncFunctionDef') defs.set(s.name, s);
  // Function → the RunPython call that names it (the first, if several do).
  const at = new Map<PyNode, { line: number; column: number }>();
  for (const n of walkAll(a.module)) {
    if (n.nodeType !== 'Call' || !/(^|\.)RunPython$/.test(a.qual(n.func, a.scopes.module) ?? '')) continue;
    for (const r of [a.arg(n, 0, 'code'), a.arg(n, 1, 'reverse_code')]) {
      const fn = r?.nodeType === 'Name' ? defs.get(r.id) : undefined;
      if (fn && !at.has(fn)) at.set(fn, { line: n.lineno, column: n.col_offset });
    }
  }
  if (!at.size) return;
  const units = a.ex.units.slice(from);
  const key = units.map((u, i) => {
    const p = u.pos(0);
    for (const [fn, call] of at) if (p.line >= fn.lineno && p.line <= (fn.end_lineno ?? fn.lineno)) return { ...call, i };
    return { line: p.line, column: p.column, i };
  });
  const order = key.sort((x, y) => x.line - y.line || x.column - y.column || x.i - y.i).map((k) => units[k.i]);
  a.ex.units.splice(from, units.length, ...order);
}

/**
 * `state_operations = [migrations.DeleteModel(…)]` then `SeparateDatabaseAndState(state_operations=
 * state_operations)`: like an inline list there, the operations change Django's model state only
 * (django/db/migrations/operations/special.py: database_forwards runs database_operations alone).
 * The walk meets the list before the call that says so, so such lists are found first: a name bound
 * once, to a literal list or tuple, and used nowhere but as `state_operations=` (of
 * SeparateDatabaseAndState or RunSQL). Any other use (in `operations`, as database_operations, `+`,
 * `.append`, an attribute of that name, getattr/globals/locals/vars) keeps its operations judged as
 * run.
 */
function stateOnlyLists(a: PyAnalyzer): void {
  if (!/\bstate_operations\b/.test(a.ex.text) || /\b(getattr|globals|locals|vars|eval|exec|setattr|__dict__)\b/.test(a.ex.text)) return;
  const args = new Map<string, Set<PyNode>>();
  const all = [...walkAll(a.module)];
  for (const n of all) {
    if (n.nodeType !== 'Call') continue;
    const q = a.qual(n.func, a.scopes.module) ?? '';
    const at = /(^|\.)SeparateDatabaseAndState$/.test(q) ? 1 : /(^|\.)RunSQL$/.test(q) ? 2 : -1;
    if (at < 0) continue;
    const st = a.arg(n, at, 'state_operations');
    if (st?.nodeType === 'Name') args.set(st.id, (args.get(st.id) ?? new Set()).add(st));
  }
  for (const [name, refs] of args) {
    const v = a.scopes.valueOf(name, a.scopes.module);
    if (!v || (v.node.nodeType !== 'List' && v.node.nodeType !== 'Tuple')) continue;
    // Occurrences of the name: the one assignment's target and the state_operations arguments, no more.
    const uses = all.filter((n) => (n.nodeType === 'Name' && n.id === name) || (n.nodeType === 'Attribute' && n.attr === name));
    if (uses.length !== refs.size + 1 || !uses.every((n) => refs.has(n) || (n.nodeType === 'Name' && n.ctx?.nodeType === 'Store'))) continue;
    a.skip.add(v.node);
  }
}

export function djangoCall(a: PyAnalyzer, call: PyNode, ctx: WalkCtx): void {
  const f = call.func;
  const name = f?.nodeType === 'Attribute' ? f.attr : f?.nodeType === 'Name' ? f.id : undefined;
  if (!name || (!OPS.has(name) && !a.scopes.imports.has(name))) return;
  const op = djangoOp(a, call, ctx.scope);
  if (!op) return;
  const stats = a.facts.stats.djangoOps;
  stats[op] = (stats[op] ?? 0) + 1;
  new DjangoOp(a, call, ctx, op).run();
}

class DjangoOp {
  readonly at: number;
  readonly app: string;
  constructor(
    readonly a: PyAnalyzer,
    readonly call: PyNode,
    readonly ctx: WalkCtx,
    readonly op: string,
  ) {
    this.at = a.src.start(call);
    this.app = appLabel(a.ex.path);
  }

  s(node: PyNode | undefined): Str {
    return this.a.strArg(node, this.ctx.scope, this.at).str;
  }

  /** Default table name of a model: `<app>_<model>` lower-cased (db_table overrides are not visible here). */
  table(node: PyNode | undefined): Str {
    const s = this.s(node);
    return { text: `${this.app}_${s.text}`.toLowerCase(), src: [...new Array(this.app.length + 1).fill(s.src[0] ?? this.at), ...s.src] };
  }

  emit(g: SqlGen, down = this.ctx.down) {
    this.a.emitSql(g.build(), { down, origin: `migrations.${this.op}`, call: this.call, synthetic: true });
  }

  run() {
    const a = this.a;
    const c = this.call;
    const g = new SqlGen(this.at);
    switch (this.op) {
      case 'RunSQL': {
        // state_operations change Django's model state only: no SQL runs for them.
        const st = a.arg(c, 2, 'state_operations');
        if (st) a.skip.add(st);
        if (!this.ctx.down && noneArg(a.arg(c, 1, 'reverse_sql'))) this.irreversible('RunSQL', 'reverse_sql', 'migrations.RunSQL.noop');
        this.runSql(a.arg(c, 0, 'sql'), this.ctx.down);
        this.runSql(a.arg(c, 1, 'reverse_sql'), true);
        return;
      }
      case 'RunPython':
        if (!this.ctx.down && noneArg(a.arg(c, 1, 'reverse_code'))) this.irreversible('RunPython', 'reverse_code', 'migrations.RunPython.noop');
        this.runPython(a.arg(c, 0, 'code'), false);
        this.runPython(a.arg(c, 1, 'reverse_code'), true);
        return;
      case 'SeparateDatabaseAndState': {
        const st = a.arg(c, 1, 'state_operations');
        if (st) a.skip.add(st); // state only: no SQL runs
        return;
      }
      case 'DeleteModel':
        this.dataLost('table', this.table(a.arg(c, 0, 'name')).text, 'DeleteModel', 'CreateModel', 'the table');
        this.emit(g.kw('DROP TABLE ').ident(this.table(a.arg(c, 0, 'name'))));
        return;
      case 'RemoveField':
        this.dataLost('column', `${this.table(a.arg(c, 0, 'model_name')).text}.${this.s(a.arg(c, 1, 'name')).text.toLowerCase()}`, 'RemoveField', 'AddField', 'the column');
        this.emit(g.kw('ALTER TABLE ').ident(this.table(a.arg(c, 0, 'model_name'))).kw(' DROP COLUMN ').ident(this.s(a.arg(c, 1, 'name'))));
        return;
      case 'RenameModel':
        this.emit(g.kw('ALTER TABLE ').ident(this.table(a.arg(c, 0, 'old_name'))).kw(' RENAME TO ').ident(this.table(a.arg(c, 1, 'new_name'))));
        return;
      case 'RenameField': {
        const m2m = this.m2mField(a.arg(c, 0, 'model_name'), a.arg(c, 1, 'old_name'));
        if (m2m === 'through') return; // an explicit through model keeps its table: nothing is renamed
        if (m2m === 'auto') {
          // Django renames the auto-created join table `<app>_<model>_<field>`, not a column
          // (BaseDatabaseSchemaEditor._alter_many_to_many → alter_db_table).
          const join = (f: PyNode | undefined) => {
            const t = this.table(a.arg(c, 0, 'model_name'));
            const fs = this.s(f);
            return { text: `${t.text}_${fs.text}`.toLowerCase(), src: [...t.src, fs.src[0] ?? this.at, ...fs.src] };
          };
          this.emit(g.kw('ALTER TABLE ').ident(join(a.arg(c, 1, 'old_name'))).kw(' RENAME TO ').ident(join(a.arg(c, 2, 'new_name'))));
          return;
        }
        this.emit(
          g
            .kw('ALTER TABLE ')
            .ident(this.table(a.arg(c, 0, 'model_name')))
            .kw(' RENAME COLUMN ')
            .ident(this.s(a.arg(c, 1, 'old_name')))
            .kw(' TO ')
            .ident(this.s(a.arg(c, 2, 'new_name'))),
        );
        return;
      }
      case 'AlterModelTable': {
        const t = a.arg(c, 1, 'table');
        if (!t || (t.nodeType === 'Constant' && t.value === null)) return;
        this.emit(g.kw('ALTER TABLE ').ident(this.table(a.arg(c, 0, 'name'))).kw(' RENAME TO ').ident(this.s(t)));
        return;
      }
      case 'AlterField': {
        const model = this.s(a.arg(c, 0, 'model_name')).text;
        const name = this.s(a.arg(c, 1, 'name')).text;
        const field = a.arg(c, 2, 'field');
        const col = fieldColumn(a, field ? a.deref(field, this.ctx.scope).node : undefined, name, this.ctx.scope);
        if (col) {
          // Typed: replayed and compared with the column's type before (schema state); without a
          // history the alter-column-type rule keeps this judgement's warning.
          this.emit(g.kw('ALTER TABLE ').ident(this.table(a.arg(c, 0, 'model_name'))).kw(' ALTER COLUMN ').ident(col.column).kw(` TYPE ${col.type}`));
          return;
        }
        a.note(c, 'alter-column-type', `AlterField ${this.app}_${model}.${name} → ${field ? a.src.brief(field, 60) : '?'}: the column's type or constraints may change (the previous definition is in an earlier migration); a type change can rewrite the table and fail or truncate on existing rows.`, {
          severity: 'warning',
          down: this.ctx.down,
        });
        return;
      }
      case 'RemoveIndex':
      case 'RemoveIndexConcurrently':
        g.kw(this.op === 'RemoveIndexConcurrently' ? 'DROP INDEX CONCURRENTLY ' : 'DROP INDEX ').ident(this.s(a.arg(c, 1, 'name')));
        this.emit(g);
        return;
      case 'RemoveConstraint':
        this.emit(g.kw('ALTER TABLE ').ident(this.table(a.arg(c, 0, 'model_name'))).kw(' DROP CONSTRAINT ').ident(this.s(a.arg(c, 1, 'name'))));
        return;
      case 'AddIndex':
      case 'AddIndexConcurrently': {
        const idx = a.arg(c, 1, 'index');
        const d = idx ? a.deref(idx, this.ctx.scope) : undefined;
        const name = d?.node.nodeType === 'Call' ? a.arg(d.node, -1, 'name') : undefined;
        const fields = d?.node.nodeType === 'Call' ? a.arg(d.node, -1, 'fields') : undefined;
        g.kw(this.op === 'AddIndexConcurrently' ? 'CREATE INDEX CONCURRENTLY ' : 'CREATE INDEX ');
        if (name) g.ident(this.s(name)).kw(' ');
        g.kw('ON ').ident(this.table(a.arg(c, 0, 'model_name'))).kw(' (');
        const elts: PyNode[] = fields?.nodeType === 'List' || fields?.nodeType === 'Tuple' ? fields.elts : [];
        if (elts.length) g.list(elts, (e) => g.ident(strOf(this.s(e).text.replace(/^-/, ''), a.src.start(e))));
        else g.ident('(expressions)');
        this.emit(g.kw(')'));
        return;
      }
      case 'CreateModel': {
        reverseOf(a).made.add(`table ${this.table(a.arg(c, 0, 'name')).text}`);
        g.kw('CREATE TABLE ').ident(this.table(a.arg(c, 0, 'name'))).kw(' (');
        const fields = a.arg(c, 1, 'fields');
        const list = fields ? a.deref(fields, this.ctx.scope).node : undefined;
        const cols: FieldColumn[] = [];
        for (const e of list?.nodeType === 'List' || list?.nodeType === 'Tuple' ? list.elts : []) {
          const [n, f] = e.nodeType === 'Tuple' ? e.elts : [];
          const fieldName = n?.nodeType === 'Constant' && typeof n.value === 'string' ? n.value : undefined;
          const col = fieldName ? fieldColumn(a, f, fieldName, this.ctx.scope) : undefined;
          if (col) cols.push(col);
        }
        cols.forEach((col, i) => g.kw(i ? ', ' : '').ident(col.column).kw(` ${col.type}`));
        this.emit(g.kw(')'));
        return;
      }
      case 'AddField': {
        const name = this.s(a.arg(c, 1, 'name')).text;
        reverseOf(a).made.add(`column ${this.table(a.arg(c, 0, 'model_name')).text}.${name.toLowerCase()}`);
        const field = a.arg(c, 2, 'field');
        const col = fieldColumn(a, field ? a.deref(field, this.ctx.scope).node : undefined, name, this.ctx.scope);
        // Nullable here on purpose: Django adds NOT NULL columns with a temporary default in the same step.
        if (col) this.emit(g.kw('ALTER TABLE ').ident(this.table(a.arg(c, 0, 'model_name'))).kw(' ADD COLUMN ').ident(col.column).kw(` ${col.type}`));
        return;
      }
      case 'CreateExtension':
      case 'TrigramExtension':
      case 'HStoreExtension':
      case 'CITextExtension':
      case 'UnaccentExtension':
      case 'BtreeGinExtension':
      case 'BtreeGistExtension':
      case 'CryptoExtension': {
        const builtin: Record<string, string> = {
          TrigramExtension: 'pg_trgm',
          HStoreExtension: 'hstore',
          CITextExtension: 'citext',
          UnaccentExtension: 'unaccent',
          BtreeGinExtension: 'btree_gin',
          BtreeGistExtension: 'btree_gist',
          CryptoExtension: 'pgcrypto',
        };
        const name = builtin[this.op] ? strOf(builtin[this.op], this.at) : this.s(a.arg(c, 0, 'name'));
        this.emit(g.kw('CREATE EXTENSION IF NOT EXISTS ').ident(name));
        return;
      }
    }
  }

  /** A RunSQL / RunPython without its reverse: Django refuses to unapply the migration. */
  private irreversible(op: string, arg: string, noop: string) {
    const line = this.a.src.pos(this.call).line;
    reverseOf(this.a).facts.push({
      node: this.call,
      kind: 'irreversible',
      message:
        `Django cannot roll this migration back: migrations.${op} (line ${line}) has no ${arg}, so \`migrate\` to an earlier migration stops with ` +
        `IrreversibleError before undoing anything. Give it a ${arg} (${noop} when there is nothing to undo).`,
    });
  }

  /** RemoveField / DeleteModel: Django's reverse re-creates the column or table, empty. */
  private dataLost(kind: 'table' | 'column', name: string, op: string, reverse: string, what: string) {
    if (this.ctx.down) return;
    const r = reverseOf(this.a);
    if (r.made.has(`${kind} ${name}`) || (kind === 'column' && r.made.has(`table ${name.slice(0, name.lastIndexOf('.'))}`))) return; // made in this migration: no earlier data
    r.facts.push({
      node: this.call,
      kind: 'data',
      message:
        `Rolling back with Django's reverse operations restores the schema but not the data: the up drops ${kind} ${name} (${op}), which existed before it, ` +
        `and the reverse (${reverse}) re-creates ${what} empty.`,
    });
  }

  /**
   * Is `model.field` a ManyToManyField defined in this file (CreateModel fields, AddField,
   * AlterField)? 'auto': Django created its join table; 'through': an explicit through model.
   */
  private m2mField(modelNode: PyNode | undefined, fieldNode: PyNode | undefined): 'auto' | 'through' | undefined {
    const a = this.a;
    const model = a.fold(modelNode, this.ctx.scope);
    const field = a.fold(fieldNode, this.ctx.scope);
    if (!model.ok || !field.ok) return undefined;
    const same = (n: PyNode | undefined, v: string) => {
      const f = n ? a.fold(n, this.ctx.scope) : undefined;
      return !!f?.ok && f.str.text.toLowerCase() === v.toLowerCase();
    };
    const kind = (def: PyNode | undefined): 'auto' | 'through' | undefined => {
      const d = def ? a.deref(def, this.ctx.scope).node : undefined;
      if (d?.nodeType !== 'Call') return undefined;
      const q = a.qual(d.func, this.ctx.scope) ?? (d.func?.attr as string | undefined) ?? '';
      if (!/(^|\.)ManyToManyField$/.test(q)) return undefined;
      return a.arg(d, -1, 'through') ? 'through' : 'auto';
    };
    let found: 'auto' | 'through' | undefined;
    for (const n of walkAll(a.module)) {
      if (n.nodeType !== 'Call' || n === this.call) continue;
      const op = n.func?.nodeType === 'Attribute' ? n.func.attr : n.func?.nodeType === 'Name' ? n.func.id : '';
      if (op === 'CreateModel' && same(a.arg(n, 0, 'name'), model.str.text)) {
        const fields = a.arg(n, 1, 'fields');
        for (const t of fields?.nodeType === 'List' || fields?.nodeType === 'Tuple' ? fields.elts : []) {
          if ((t.nodeType === 'Tuple' || t.nodeType === 'List') && same(t.elts?.[0], field.str.text)) found = kind(t.elts?.[1]) ?? found;
        }
      } else if ((op === 'AddField' || op === 'AlterField') && same(a.arg(n, 0, 'model_name'), model.str.text) && same(a.arg(n, 1, 'name'), field.str.text)) {
        found = kind(a.arg(n, 2, 'field')) ?? found;
      }
    }
    return found;
  }

  /** RunSQL's sql / reverse_sql: a string, a list of strings, or (sql, params) pairs. */
  private runSql(node: PyNode | undefined, down: boolean) {
    const a = this.a;
    if (!node || (node.nodeType === 'Constant' && node.value === null)) return;
    const q = a.qual(node, this.ctx.scope) ?? '';
    if (/(^|\.)RunSQL\.noop$/.test(q) || /(^|\.)noop$/.test(q)) return;
    const origin = down ? 'migrations.RunSQL(reverse_sql)' : 'migrations.RunSQL';
    const d = a.deref(node, this.ctx.scope);
    const items: PyNode[] = d.node.nodeType === 'List' || d.node.nodeType === 'Tuple' ? d.node.elts : [node];
    for (const it of items) {
      let sqlNode = it;
      let params: PyNode | undefined;
      if (it.nodeType === 'Tuple' || it.nodeType === 'List') {
        sqlNode = it.elts?.[0];
        params = it.elts?.[1];
      }
      const f = sqlNode ? a.foldVariants(sqlNode, d.scope) : undefined;
      if (f?.ok) {
        for (const v of f.strs) {
          a.facts.stats.sqlStrings++;
          const bound = params ? a.withParams(v, params, d.scope) : undefined;
          a.emitSql(bound ?? v, { down, origin, call: this.call, binds: bound ? false : undefined });
        }
      } else {
        a.dynamic(sqlNode ?? it, down, `Dynamic SQL: \`${origin}(${a.src.brief(sqlNode ?? it, 50)})\` runs SQL built at run time (${f && !f.ok ? f.why : 'not a string'}); what it runs cannot be checked.`);
      }
    }
  }

  private runPython(node: PyNode | undefined, down: boolean) {
    const a = this.a;
    if (!node || (node.nodeType === 'Constant' && node.value === null)) return;
    const q = a.qual(node, this.ctx.scope) ?? '';
    if (/(^|\.)RunPython\.noop$/.test(q)) return;
    let where: string;
    if (node.nodeType === 'Lambda') where = 'a lambda in this file';
    else if (node.nodeType === 'Name' && a.scopes.byName.has(node.id) && !a.scopes.imports.has(node.id)) where = `\`${node.id}\`, defined in this file (scanned for process, network and file access)`;
    else where = `\`${a.src.brief(node, 40)}\`, defined outside this file (not reviewed here)`;
    a.facts.runPython.push(
      a.hitAt(node, `RunPython${down ? ' (reverse_code)' : ''} runs Python code ${where} during the migration; its database writes (ORM updates and deletes) are not all visible as SQL.`, {
        down,
        key: down ? 'reverse' : 'forward',
      }),
    );
  }
}

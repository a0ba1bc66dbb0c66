// The Python migration analyzer: parses the file (never runs it), resolves names statically, and
// turns what the migration does into SQL units for the SQL rules (op calls and Django operations
// as synthesized SQL, SQL strings as written) plus facts for the Python rules (execution,
// dynamic SQL, RunPython, Alembic revision data).
import type { Extracted } from '../extract/index.js';
import type { Dialect, SqlUnit } from '../types.js';
import type { PyHit, PythonFacts } from './facts.js';
import { children, type FnInfo, Scopes, walkAll } from './scope.js';
import { concat, type PyNode, PySource, type Str, slice, strOf } from './source.js';

export type Fold = { ok: true; str: Str } | { ok: false; why: string; node: PyNode };

const DIALECT_NAMES: Record<string, Dialect> = {
  postgresql: 'postgresql',
  postgres: 'postgresql',
  psycopg2: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
  mssql: 'transactsql',
};

/** Builtins the resolver knows by name (when not shadowed by an import or an assignment). */
const BUILTINS = new Set(['exec', 'eval', 'compile', '__import__', 'open', 'getattr', 'setattr', 'globals', 'locals', 'vars', 'breakpoint', 'bytes', 'str', 'input', '__builtins__', 'memoryview']);

export interface WalkCtx {
  scope: FnInfo;
  down: boolean;
  /** Aliases of `with op.batch_alter_table(...) as X:` in effect → the batch's table. */
  batch: Map<string, BatchTable>;
  /** Dialect of SQL inside `if bind.dialect.name == "mysql":` (or `url.startswith("mysql")`) branches. */
  dialect?: Dialect;
}

export interface BatchTable {
  table: Str;
  schema?: Str;
}

/** Plugins that look at every call: Alembic ops, SQL sinks, Django operations, ORM writes. */
export type CallHandler = (a: PyAnalyzer, call: PyNode, ctx: WalkCtx) => void;

export class PyAnalyzer {
  readonly src: PySource;
  readonly scopes: Scopes;
  readonly facts: PythonFacts;
  private readonly roles = new Map<FnInfo, 'up' | 'down'>();
  /** Nodes not to descend into (Django state_operations: they change no database). */
  readonly skip = new Set<PyNode>();
  /** Extra down roots named by module-level code (Django RunPython reverse_code). */
  private readonly moduleDownRefs = new Set<PyNode>();

  constructor(
    readonly ex: Extracted,
    readonly module: PyNode,
    firstLineShift = 0,
  ) {
    this.src = new PySource(ex.text, ex.lines, firstLineShift);
    this.scopes = new Scopes(module);
    const framework = ex.kind === 'alembic' || ex.kind === 'django' ? ex.kind : 'python';
    this.facts = {
      framework,
      execution: [],
      dynamic: [],
      runPython: [],
      accounts: [],
      stats: { ops: {}, djangoOps: {}, sqlStrings: 0, coreExpressions: 0, dynamic: 0, execution: 0, upUnits: 0, downUnits: 0 },
    };
  }

  // ---- positions -------------------------------------------------------------------------

  hitAt(node: PyNode, message: string, extra: Partial<PyHit> = {}): PyHit {
    const p = this.src.pos(node);
    const e = this.ex.lines.pos(this.src.end(node));
    return { line: p.line, column: p.column, endLine: e.line, message, ...extra };
  }

  // ---- name resolution -------------------------------------------------------------------

  /**
   * The dotted name an expression stands for, imports resolved: `sa.text` → 'sqlalchemy.text',
   * `s` after `from os import system as s` → 'os.system', `op.get_bind()` → 'alembic.op.get_bind()'.
   */
  qual(node: PyNode | undefined, scope: FnInfo, depth = 0): string | undefined {
    const q = this.qualRaw(node, scope, depth);
    // `__builtins__.exec` is `exec`
    return q?.startsWith('builtins.__builtins__.') ? `builtins.${q.slice(22)}` : q;
  }

  private qualRaw(node: PyNode | undefined, scope: FnInfo, depth: number): string | undefined {
    if (!node || depth > 25) return undefined;
    switch (node.nodeType) {
      case 'Name': {
        const imp = this.scopes.imports.get(node.id);
        if (imp) return imp.target;
        const star = this.scopes.starImports.find(() => !this.scopes.isBound(node.id, scope));
        if (star && !BUILTINS.has(node.id)) return `${star.module}.${node.id}`;
        if (this.scopes.isBound(node.id, scope)) {
          const v = this.scopes.valueOf(node.id, scope);
          if (v && v.node.nodeType !== 'FunctionDef' && v.node.nodeType !== 'AsyncFunctionDef' && v.node.nodeType !== 'ClassDef') {
            return this.qual(v.node, v.scope, depth + 1);
          }
          return undefined;
        }
        return BUILTINS.has(node.id) ? `builtins.${node.id}` : node.id;
      }
      case 'Attribute': {
        const base = this.qual(node.value, scope, depth + 1);
        return base ? `${base}.${node.attr}` : undefined;
      }
      case 'Call': {
        const f = this.qual(node.func, scope, depth + 1);
        if (!f) return undefined;
        const a0 = node.args?.[0];
        if ((f === 'builtins.__import__' || f === 'importlib.import_module' || f === 'importlib.__import__') && a0) {
          const m = this.fold(a0, scope, depth + 1);
          if (m.ok) return m.str.text;
        }
        if (f === 'builtins.getattr' && node.args?.length >= 2) {
          const attr = this.fold(node.args[1], scope, depth + 1);
          const base = this.qual(a0, scope, depth + 1);
          if (attr.ok && base) return `${base}.${attr.str.text}`;
        }
        return `${f}()`;
      }
      case 'Subscript': {
        const base = this.qual(node.value, scope, depth + 1);
        if (base === 'sys.modules' || base?.endsWith('.__dict__') || base === 'builtins.__builtins__') {
          // sys.modules["os"] → os; os.__dict__["system"] → os.system
          const k = this.fold(node.slice, scope, depth + 1);
          if (k.ok) return base === 'sys.modules' ? k.str.text : `${base.replace(/\.__dict__$/, '')}.${k.str.text}`;
        }
        return base ? `${base}[]` : undefined;
      }
    }
    return undefined;
  }

  /** Follow a Name to the single value assigned to it (a few hops), or return the node itself. */
  deref(node: PyNode, scope: FnInfo): { node: PyNode; scope: FnInfo } {
    let cur = { node, scope };
    for (let i = 0; i < 10 && cur.node.nodeType === 'Name'; i++) {
      if (this.scopes.imports.has(cur.node.id)) break;
      const v = this.scopes.valueOf(cur.node.id, cur.scope);
      if (!v) break;
      cur = v;
    }
    return cur;
  }

  /**
   * Every string a name may hold, when it is assigned several literal values (each is checked:
   * which one runs depends on control flow), else undefined.
   */
  foldAll(node: PyNode, scope: FnInfo): Str[] | undefined {
    if (node.nodeType !== 'Name' || this.scopes.imports.has(node.id)) return undefined;
    const all = this.scopes.valuesOf(node.id, scope);
    if (!all || all.length < 2) return undefined;
    const out: Str[] = [];
    for (const x of all) {
      const f = this.fold(x.node, x.scope);
      if (!f.ok) return undefined;
      out.push(f.str);
    }
    return out;
  }

  /** Why a name has no single literal value (for dynamic-SQL messages). */
  private whyName(name: string, scope: FnInfo): string {
    const imp = this.scopes.imports.get(name);
    if (imp) return `\`${name}\` is imported from ${imp.target.replace(/\.[^.]*$/, '') || imp.target}; its value is not in this file`;
    const s = this.scopes.lookupScope(name, scope);
    if (!s) return `\`${name}\` is not defined in this file`;
    const b = s.bindings.get(name)!;
    if (b.length > 1) return `\`${name}\` is assigned more than once`;
    return `\`${name}\` is a parameter, loop variable or otherwise computed at run time`;
  }

  /**
   * The string an expression evaluates to, when that is known statically: literals (implicit
   * concatenation, triple quotes, raw strings, escapes), `+`, names bound once to such values
   * (module constants, locals), f-strings whose parts are all known, `text()`/`sa.text()`/`DDL()`,
   * `textwrap.dedent()`, `.strip()`, `"sep".join([...])`, `.bindparams()`.
   */
  fold(node: PyNode | undefined, scope: FnInfo, depth = 0): Fold {
    if (!node) return { ok: false, why: 'no SQL argument', node: this.module };
    const fail = (why: string): Fold => ({ ok: false, why, node });
    if (depth > 400) return fail('too deeply nested');
    switch (node.nodeType) {
      case 'Constant': {
        const v = node.value;
        if (typeof v === 'string') return { ok: true, str: this.src.literal(node) };
        if (typeof v === 'number' || typeof v === 'bigint') return { ok: true, str: strOf(String(v), this.src.start(node)) };
        if (typeof v === 'boolean') return { ok: true, str: strOf(v ? 'True' : 'False', this.src.start(node)) };
        return fail(`${this.src.brief(node)} is not a string`);
      }
      case 'JoinedStr': {
        const parts: Str[] = [];
        for (const p of node.values ?? []) {
          if (p.nodeType === 'Constant') parts.push(strOf(String(p.value), this.src.start(p)));
          else if (p.nodeType === 'FormattedValue' && (p.conversion ?? -1) === -1 && !p.format_spec) {
            const f = this.fold(p.value, scope, depth + 1);
            if (!f.ok) return fail(`an f-string interpolates \`${this.src.brief(p.value, 40)}\` (${f.why})`);
            parts.push(f.str);
          } else return fail(`an f-string formats \`${this.src.brief(p.value ?? p, 40)}\` at run time`);
        }
        return { ok: true, str: concat(...parts) };
      }
      case 'BinOp': {
        const op = node.op?.nodeType;
        if (op === 'Add') {
          const l = this.fold(node.left, scope, depth + 1);
          if (!l.ok) return l;
          const r = this.fold(node.right, scope, depth + 1);
          if (!r.ok) return r;
          return { ok: true, str: concat(l.str, r.str) };
        }
        if (op === 'Mod') return fail('the SQL is built with %-formatting');
        return fail(`the SQL is computed (${this.src.brief(node, 40)})`);
      }
      case 'Name': {
        const v = this.scopes.imports.has(node.id) ? undefined : this.scopes.valueOf(node.id, scope);
        if (!v) {
          // Assigned several times: fine when every assignment gives the same text.
          const all = this.scopes.imports.has(node.id) ? undefined : this.scopes.valuesOf(node.id, scope);
          if (all && all.length > 1) {
            const folds = all.map((x) => this.fold(x.node, x.scope, depth + 1));
            const bad = folds.find((x) => !x.ok);
            if (!bad && folds.every((x) => x.ok && x.str.text === (folds[0] as { str: Str }).str.text)) return folds[0];
            if (!bad) return fail(`\`${node.id}\` is assigned different SQL in several places`);
          }
          return fail(this.whyName(node.id, scope));
        }
        if (v.node.nodeType.endsWith('FunctionDef') || v.node.nodeType === 'ClassDef') return fail(this.whyName(node.id, scope));
        const r = this.fold(v.node, v.scope, depth + 1);
        return r.ok ? r : fail(`\`${node.id}\` is not a literal (${r.why})`);
      }
      case 'Call': {
        const f = this.qual(node.func, scope, depth + 1) ?? '';
        const last = f.replace(/\(\)$/, '').split('.').pop() ?? '';
        const a0 = node.args?.[0] ?? node.keywords?.find((k: PyNode) => k.arg === 'text' || k.arg === 'statement' || k.arg === 'sql')?.value;
        if ((last === 'text' || last === 'DDL' || last === 'literal_column') && (f === last || /^(sqlalchemy|sa)(\.|$)/.test(f))) return this.fold(a0, scope, depth + 1);
        if (f === 'alembic.op.f' || f === 'op.f') return this.fold(a0, scope, depth + 1);
        if (f === 'textwrap.dedent' || f === 'inspect.cleandoc') {
          const r = this.fold(a0, scope, depth + 1);
          if (!r.ok) return r;
          const d = dedent(r.str);
          return { ok: true, str: f === 'inspect.cleandoc' ? strip(d, ' \t\n\r') : d };
        }
        if (node.func?.nodeType === 'Attribute') {
          const m = node.func.attr;
          if (m === 'bindparams' || m === 'execution_options' || m === 'columns') return this.fold(node.func.value, scope, depth + 1);
          if (m === 'strip' || m === 'lstrip' || m === 'rstrip') {
            const r = this.fold(node.func.value, scope, depth + 1);
            if (!r.ok) return r;
            let chars = ' \t\n\r\f\v';
            if (node.args?.length) {
              const c = this.fold(node.args[0], scope, depth + 1);
              if (!c.ok) return c;
              chars = c.str.text;
            }
            return { ok: true, str: strip(r.str, chars, m === 'lstrip' ? 'l' : m === 'rstrip' ? 'r' : 'lr') };
          }
          if (m === 'join' && node.func.value.nodeType === 'Constant' && node.args?.length === 1) {
            const sep = this.fold(node.func.value, scope, depth + 1);
            const list = this.deref(node.args[0], scope);
            if (sep.ok && (list.node.nodeType === 'List' || list.node.nodeType === 'Tuple')) {
              const parts: Str[] = [];
              for (const [i, e] of (list.node.elts as PyNode[]).entries()) {
                const r = this.fold(e, list.scope, depth + 1);
                if (!r.ok) return r;
                if (i) parts.push(sep.str);
                parts.push(r.str);
              }
              return { ok: true, str: concat(...parts) };
            }
          }
          if (m === 'format' || m === 'format_map') return fail('the SQL is built with .format()');
          if (m === 'replace') return fail('the SQL is rewritten with .replace() at run time');
        }
        return fail(`the SQL is the result of \`${this.src.brief(node.func, 40)}(…)\``);
      }
      case 'Attribute':
        return fail(`\`${this.src.brief(node, 40)}\` is not a literal in this file`);
      case 'Subscript':
        return fail(`the SQL is looked up at run time (\`${this.src.brief(node, 40)}\`)`);
    }
    return fail(`the SQL is computed at run time (\`${this.src.brief(node, 40)}\`)`);
  }

  /** A literal string argument, or a placeholder `{expr}` (still at the argument's position). */
  strArg(node: PyNode | undefined, scope: FnInfo, fallbackAt: number): { str: Str; literal: boolean } {
    if (!node) return { str: strOf('{?}', fallbackAt), literal: false };
    if (node.nodeType === 'Constant' && node.value === null) return { str: strOf('{None}', this.src.start(node)), literal: false };
    const f = this.fold(node, scope);
    if (f.ok) return { str: f.str, literal: true };
    return { str: strOf(`{${this.src.brief(node, 50)}}`, this.src.start(node)), literal: false };
  }

  // ---- call arguments --------------------------------------------------------------------

  /** Argument by position or keyword. */
  arg(call: PyNode, index: number, name?: string): PyNode | undefined {
    if (name) {
      const k = (call.keywords ?? []).find((kw: PyNode) => kw.arg === name);
      if (k) return k.value;
    }
    const a = call.args ?? [];
    if (index >= 0 && index < a.length && a.slice(0, index + 1).every((x: PyNode) => x.nodeType !== 'Starred')) return a[index];
    return undefined;
  }

  kwTrue(call: PyNode, name: string): boolean {
    const v = this.arg(call, -1, name);
    return !!v && v.nodeType === 'Constant' && v.value === true;
  }

  // ---- outputs ---------------------------------------------------------------------------

  /**
   * Add a SQL unit. `synthetic`: SQL we wrote for an op call (PostgreSQL syntax, the snippet is the
   * Python call); otherwise SQL text from the file, parsed in the file's dialect, with bind
   * parameters (`:name`, `%(name)s`, `%s`) replaced by same-length placeholders.
   */
  emitSql(str: Str, o: { down: boolean; origin: string; call: PyNode; synthetic?: boolean; binds?: boolean; dialect?: Dialect }): SqlUnit {
    const dialect = o.synthetic ? 'postgresql' : (o.dialect ?? this.ex.dialect ?? 'postgresql');
    const text = o.binds === false || o.synthetic ? str.text : neutralizeBinds(str.text, dialect === 'postgresql');
    const src = str.src;
    const callStart = this.src.start(o.call);
    const lines = this.ex.lines;
    const unit: SqlUnit = {
      path: this.ex.path,
      text,
      dialect,
      pos: (off: number) => lines.pos(off < src.length ? src[Math.max(0, off)] : src.length ? src[src.length - 1] + 1 : callStart),
      down: o.down,
      origin: o.origin,
    };
    // The Python call on one line (a multi-line op.alter_column(…) would otherwise show only `op.alter_column(`).
    if (o.synthetic) unit.snippet = this.src.segment(o.call).replace(/\s+/g, ' ').replace(/([([{]) /g, '$1').replace(/,? ([)\]}])/g, '$1');
    this.ex.units.push(unit);
    if (o.down) this.facts.stats.downUnits++;
    else this.facts.stats.upUnits++;
    return unit;
  }

  /**
   * SQL with DB-API parameters given as literals (`RunSQL(("… WHERE %s = %s", [1, 1]))`,
   * `cursor.execute(sql, [1, 1])`): the SQL the database receives, with each `%s` / `%(name)s`
   * replaced by the SQL literal of its parameter, the way psycopg and the MySQL drivers interpolate
   * them (`%%` is a literal `%`). Undefined when a parameter is not a literal.
   */
  withParams(str: Str, params: PyNode | undefined, scope: FnInfo): Str | undefined {
    if (!params) return undefined;
    const d = this.deref(params, scope);
    const p = d.node;
    const lit = (n: PyNode | undefined): string | undefined => {
      if (!n) return undefined;
      const x = this.deref(n, d.scope).node;
      if (x.nodeType === 'Constant') {
        const v = x.value;
        if (v === null || v === undefined) return 'NULL';
        if (typeof v === 'boolean') return v ? 'true' : 'false';
        if (typeof v === 'number' || typeof v === 'bigint') return String(v);
        if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
        return undefined;
      }
      if (x.nodeType === 'UnaryOp' && x.operand?.nodeType === 'Constant' && typeof x.operand.value === 'number') return `-${x.operand.value}`;
      const f = this.fold(x, d.scope);
      return f.ok ? `'${f.str.text.replace(/'/g, "''")}'` : undefined;
    };
    let byPos: Array<string | undefined> | undefined;
    let byName: Map<string, string | undefined> | undefined;
    if (p.nodeType === 'List' || p.nodeType === 'Tuple') byPos = (p.elts ?? []).map(lit);
    else if (p.nodeType === 'Dict') {
      byName = new Map();
      (p.keys ?? []).forEach((k: PyNode | null, i: number) => {
        if (k?.nodeType === 'Constant' && typeof k.value === 'string') byName!.set(k.value, lit(p.values[i]));
      });
    } else return undefined;
    const out: Str = { text: '', src: [] };
    let i = 0;
    let k = 0;
    const re = /%%|%\(([A-Za-z_]\w*)\)s|%s/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(str.text))) {
      out.text += str.text.slice(i, m.index);
      out.src.push(...str.src.slice(i, m.index));
      let rep: string | undefined;
      if (m[0] === '%%') rep = '%';
      else if (m[1] !== undefined) rep = byName?.get(m[1]);
      else rep = byPos?.[k++];
      if (rep === undefined) return undefined;
      out.text += rep;
      out.src.push(...new Array(rep.length).fill(str.src[m.index] ?? 0));
      i = m.index + m[0].length;
    }
    if (byPos && k !== byPos.length) return undefined; // not the driver's shape: keep the placeholders
    out.text += str.text.slice(i);
    out.src.push(...str.src.slice(i));
    return out;
  }

  dynamic(node: PyNode, down: boolean, message: string) {
    this.facts.dynamic.push(this.hitAt(node, message, { down }));
    this.facts.stats.dynamic++;
  }

  note(node: PyNode, ruleId: string, message: string, extra: { severity?: 'error' | 'warning' | 'info'; down?: boolean } = {}) {
    const p = this.src.pos(node);
    this.ex.notes.push({ ruleId, line: p.line, column: p.column, endLine: this.ex.lines.pos(this.src.end(node)).line, message, ...extra });
  }

  /**
   * `if bind.dialect.name == "mysql":`, `if url.startswith("sqlite")`, `if op.get_context().dialect.name
   * in ("postgresql",)`: the one dialect the branch is for, when the test names exactly one.
   */
  dialectGuard(test: PyNode | undefined): Dialect | undefined {
    if (!test) return undefined;
    const text = this.src.segment(test);
    if (!/dialect|url|engine|bind|driver|database|connection/i.test(text)) return undefined;
    const found = new Set<Dialect>();
    for (const n of walkAll(test)) {
      if (n.nodeType === 'UnaryOp' && n.op?.nodeType === 'Not') return undefined;
      if (n.nodeType === 'Compare' && (n.ops ?? []).some((o: PyNode) => o.nodeType === 'NotEq' || o.nodeType === 'IsNot' || o.nodeType === 'NotIn')) return undefined;
      if (n.nodeType === 'Constant' && n.value === false) return undefined;
      if (n.nodeType === 'Constant' && typeof n.value === 'string') {
        const d = DIALECT_NAMES[n.value.toLowerCase().split('+')[0]];
        if (d) found.add(d);
      }
    }
    return found.size === 1 ? [...found][0] : undefined;
  }

  // ---- upgrade / downgrade ---------------------------------------------------------------

  /** Mark a module-level reference as a downgrade/reverse root (Django reverse_code=…). */
  markDownRef(node: PyNode) {
    for (const n of walkAll(node)) if (n.nodeType === 'Name') this.moduleDownRefs.add(n);
  }

  /**
   * Which functions run on upgrade and which only on downgrade: `upgrade*`/`downgrade*` and what
   * they (transitively) reference; module-level code runs on import, so what it references is up
   * unless marked as reverse code. A function nobody references counts as upgrade (fail closed).
   */
  computeRoles() {
    const edges = new Map<FnInfo, Set<FnInfo>>();
    const upRoots: FnInfo[] = [];
    const downRoots: FnInfo[] = [];
    const refsIn = (body: PyNode[], owner: FnInfo | null) => {
      const out = new Set<FnInfo>();
      const downOut = new Set<FnInfo>();
      const stack = [...body];
      while (stack.length) {
        const n = stack.pop()!;
        const info = n.nodeType === 'FunctionDef' || n.nodeType === 'AsyncFunctionDef' ? this.scopes.info(n) : undefined;
        if (info) {
          if (owner) out.add(info); // a nested def belongs to its parent
          // decorators and defaults are evaluated by the enclosing code
          for (const d of n.decorator_list ?? []) stack.push(d);
          continue;
        }
        if (n.nodeType === 'Name') {
          for (const f of this.scopes.byName.get(n.id) ?? []) (this.moduleDownRefs.has(n) ? downOut : out).add(f);
        }
        stack.push(...children(n));
      }
      return { out, downOut };
    };
    for (const f of this.scopes.functions) {
      edges.set(f, refsIn(f.node.body ?? [], f).out);
      if (f.parent === this.scopes.module) {
        if (/^upgrade/.test(f.name)) upRoots.push(f);
        else if (/^downgrade/.test(f.name)) downRoots.push(f);
      }
    }
    const top = refsIn(this.module.body ?? [], null);
    upRoots.push(...top.out);
    downRoots.push(...top.downOut);
    const reach = (roots: FnInfo[]) => {
      const seen = new Set<FnInfo>(roots);
      const queue = [...roots];
      while (queue.length) for (const g of edges.get(queue.pop()!) ?? []) if (!seen.has(g)) seen.add(g), queue.push(g);
      return seen;
    };
    const up = reach(upRoots);
    const down = reach(downRoots);
    for (const f of this.scopes.functions) this.roles.set(f, !up.has(f) && down.has(f) ? 'down' : 'up');
  }

  roleOf(scope: FnInfo): 'up' | 'down' {
    return this.roles.get(scope) ?? 'up';
  }

  // ---- walk ------------------------------------------------------------------------------

  walk(handlers: CallHandler[], onWith?: (a: PyAnalyzer, w: PyNode, ctx: WalkCtx) => WalkCtx) {
    const visit = (n: PyNode, ctx: WalkCtx): void => {
      if (this.skip.has(n)) return;
      switch (n.nodeType) {
        case 'FunctionDef':
        case 'AsyncFunctionDef':
        case 'Lambda': {
          const info = this.scopes.info(n);
          for (const d of n.decorator_list ?? []) visit(d, ctx);
          const a = n.args ?? {};
          for (const d of [...(a.defaults ?? []), ...(a.kw_defaults ?? [])]) if (d) visit(d, ctx);
          if (!info) return;
          const inner: WalkCtx = { scope: info, down: n.nodeType === 'Lambda' ? ctx.down : this.roleOf(info) === 'down', batch: new Map(ctx.batch) };
          const body = n.nodeType === 'Lambda' ? [n.body] : (n.body ?? []);
          for (const s of body) visit(s, inner);
          return;
        }
        case 'With':
        case 'AsyncWith': {
          const inner = onWith ? onWith(this, n, ctx) : ctx;
          for (const it of n.items ?? []) visit(it.context_expr, ctx);
          for (const s of n.body ?? []) visit(s, inner);
          return;
        }
        case 'If': {
          const dialect = this.dialectGuard(n.test);
          if (!dialect) break;
          visit(n.test, ctx);
          const inner = { ...ctx, dialect };
          for (const s of n.body ?? []) visit(s, inner);
          for (const s of n.orelse ?? []) visit(s, ctx);
          return;
        }
        case 'Call':
          for (const h of handlers) h(this, n, ctx);
          break;
      }
      for (const c of children(n)) visit(c, ctx);
    };
    const ctx: WalkCtx = { scope: this.scopes.module, down: false, batch: new Map() };
    for (const s of this.module.body ?? []) visit(s, ctx);
  }
}

/** textwrap.dedent with positions: removes the common leading whitespace of non-blank lines. */
export function dedent(s: Str): Str {
  const lines: Array<{ start: number; end: number }> = [];
  let st = 0;
  for (let i = 0; i <= s.text.length; i++) {
    if (i === s.text.length || s.text[i] === '\n') {
      lines.push({ start: st, end: i });
      st = i + 1;
    }
  }
  let margin: string | undefined;
  for (const l of lines) {
    const t = s.text.slice(l.start, l.end);
    if (!t.trim()) continue;
    const ws = /^[ \t]*/.exec(t)![0];
    if (margin === undefined) margin = ws;
    else {
      let k = 0;
      while (k < margin.length && k < ws.length && margin[k] === ws[k]) k++;
      margin = margin.slice(0, k);
    }
  }
  const parts: Str[] = [];
  lines.forEach((l, idx) => {
    const t = s.text.slice(l.start, l.end);
    if (!t.trim()) {
      /* whitespace-only lines become empty */
    } else parts.push(slice(s, l.start + (margin?.length ?? 0), l.end));
    if (idx < lines.length - 1) parts.push(slice(s, l.end, l.end + 1));
  });
  return concat(...parts);
}

export function strip(s: Str, chars: string, side: 'l' | 'r' | 'lr' = 'lr'): Str {
  let a = 0;
  let b = s.text.length;
  if (side.includes('l')) while (a < b && chars.includes(s.text[a])) a++;
  if (side.includes('r')) while (b > a && chars.includes(s.text[b - 1])) b--;
  return slice(s, a, b);
}

/**
 * Bind parameters → same-length placeholders the SQL parsers accept (`$1`/`?` padded with spaces):
 * SQLAlchemy text() `:name` (the same pattern SQLAlchemy itself uses, `\:` is an escaped colon),
 * and DB-API `%(name)s` / `%s`. Offsets are preserved so positions stay exact.
 */
export function neutralizeBinds(text: string, pg: boolean): string {
  const ph = (m: string) => (pg ? '$1' : '?').padEnd(m.length, ' ');
  return text
    .replace(/(?<![:\w\\]):(\w+)(?!:)/gu, (m) => ph(m))
    .replace(/\\:/g, ' :')
    .replace(/%\([A-Za-z_]\w*\)s|%s/g, (m) => ph(m));
}

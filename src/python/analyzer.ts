// The Python migration analyzer: parses the file (never runs it), resolves names statically, and
// turns what the migration does into SQL units for the SQL rules (op calls and Django operations
// as synthesized SQL, SQL strings as written) plus facts for the Python rules (execution,
// dynamic SQL, RunPython, Alembic revision data).
import type { Extracted } from '../types.js';
import type { Dialect, SqlUnit } from '../types.js';
import type { PyHit, PythonFacts } from './facts.js';
import { ALL, branchLabel, DB, DialectRegions, dialectsFor, familyOf, namesOf } from './dialects.js';
import { children, type FnInfo, Scopes, walkAll } from './scope.js';
import { concat, type PyNode, PySource, runtimeName, type Str, slice, strOf } from './source.js';

export type Fold = { ok: true; str: Str } | { ok: false; why: string; node: PyNode };
export type Folds = { ok: true; strs: Str[] } | { ok: false; why: string; node: PyNode };

/** Thrown by fold() in variant mode when a name has several values and none is chosen yet. */
class NeedChoice {
  constructor(
    readonly key: object,
    readonly count: number,
  ) {}
}

/** `(key, value)` tuples of literal dicts iterated with .items() (one per dict: loop choices key on them). */
const DICT_ITEMS = new WeakMap<PyNode, PyNode[]>();

/** Most variants of one SQL string (names assigned several values, crossed) before it counts as unknown. */
const MAX_VARIANTS = 32;
/** Most iterations of literal-list loops (nested loops multiply) expanded when walking. */
const MAX_LOOP_EXPANSION = 64;

/** Builtins the resolver knows by name (when not shadowed by an import or an assignment). */
const BUILTINS = new Set(['exec', 'eval', 'compile', '__import__', 'open', 'getattr', 'setattr', 'globals', 'locals', 'vars', 'breakpoint', 'bytes', 'str', 'input', '__builtins__', 'memoryview']);

export interface WalkCtx {
  scope: FnInfo;
  down: boolean;
  /** Aliases of `with op.batch_alter_table(...) as X:` in effect → the batch's table. */
  batch: Map<string, BatchTable>;
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
  /** The iteration being walked of each literal-list `for` loop (see walk). */
  private readonly loopChoice = new Map<PyNode, number>();
  /** Comprehension variables bound while a comprehension over a literal list is folded (literalItems). */
  private readonly compEnv = new Map<string, { node: PyNode; scope: FnInfo }>();
  /** Variant mode (foldVariants): the value chosen for each name assigned several values. */
  private variant: Map<object, number> | undefined;
  /** Units already emitted (a loop body walked once per element repeats what does not depend on it). */
  private readonly emitted = new Set<string>();
  /** The parts of the module that run only on some databases. */
  readonly branches = new DialectRegions(this);

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
    for (let i = 0; i < 10 && (cur.node.nodeType === 'Name' || cur.node.nodeType === 'LoopVar'); i++) {
      if (cur.node.nodeType === 'LoopVar') {
        const e = this.loopElement(cur.node, cur.scope);
        if (!e) break;
        cur = e;
        continue;
      }
      if (this.scopes.imports.has(cur.node.id)) break;
      const v = this.activeLoopVar(cur.node, cur.scope) ?? this.scopes.valueOf(cur.node.id, cur.scope);
      if (!v) break;
      cur = v;
    }
    return cur;
  }

  private callSites?: Map<string, Array<{ call: PyNode; scope: FnInfo }>>;
  private attrNames?: Set<string>;

  /**
   * Every direct call of a function in this file, or undefined when a caller is not visible: the
   * function is referenced other than by a direct call (a callback, RunPython(fn)), its name is
   * defined more than once or also used as an attribute (a method).
   */
  private sitesOf(fn: PyNode): Array<{ call: PyNode; scope: FnInfo }> | undefined {
    if ((this.scopes.byName.get(fn.name) ?? []).length !== 1) return undefined;
    if (!this.callSites) {
      this.callSites = new Map();
      this.attrNames = new Set();
      const refs = new Map<string, number>();
      const visit = (n: PyNode, scope: FnInfo) => {
        if (n.nodeType === 'Call' && n.func?.nodeType === 'Name') {
          const list = this.callSites!.get(n.func.id) ?? [];
          list.push({ call: n, scope });
          this.callSites!.set(n.func.id, list);
        }
        if (n.nodeType === 'Name') refs.set(n.id, (refs.get(n.id) ?? 0) + 1);
        if (n.nodeType === 'Attribute') this.attrNames!.add(n.attr);
        const inner = this.scopes.info(n) ?? scope;
        for (const c of children(n)) visit(c, inner);
      };
      visit(this.module, this.scopes.module);
      // a name referenced more often than it is called escapes (callback, alias)
      for (const [name, sites] of this.callSites) if ((refs.get(name) ?? 0) !== sites.length) this.callSites.set(name, []);
      for (const [name, n] of refs) if (!this.callSites.has(name) && n) this.callSites.set(name, []);
    }
    if (this.attrNames!.has(fn.name)) return undefined;
    const sites = this.callSites.get(fn.name);
    if (!sites?.length) return sites;
    const fnScope = this.scopes.info(fn);
    // shadowed at a call site: that call is of something else
    if (sites.some(({ scope }) => this.scopes.lookupScope(fn.name, scope) !== fnScope?.parent)) return undefined;
    return sites;
  }

  /** The calls of a function, when every use of it in this file is a direct call (see sitesOf); an empty list when it is never called here. */
  callersOf(info: FnInfo): Array<{ call: PyNode; scope: FnInfo }> | undefined {
    return this.sitesOf(info.node);
  }

  /**
   * The argument every call in this file passes to a parameter (`def drop(t): op.execute(f"DROP TABLE
   * {t}")` called as `drop("a")`, `drop("b")`), or undefined when a caller is not visible: the
   * function is referenced other than by a direct call (a callback, RunPython(fn), a method), or a
   * call unpacks arguments.
   */
  paramValues(param: PyNode): Array<{ node: PyNode; scope: FnInfo }> | undefined {
    const fn: PyNode = param.fn;
    const sites = this.sitesOf(fn);
    if (!sites?.length) return undefined;
    const out: Array<{ node: PyNode; scope: FnInfo }> = [];
    const fnScope = this.scopes.info(fn);
    for (const { call, scope } of sites) {
      if (this.scopes.lookupScope(fn.name, scope) !== fnScope?.parent) return undefined; // shadowed
      if ((call.args ?? []).some((x: PyNode) => x.nodeType === 'Starred') || (call.keywords ?? []).some((k: PyNode) => !k.arg)) return undefined;
      const kw = (call.keywords ?? []).find((k: PyNode) => k.arg === param.name);
      const v = kw?.value ?? (param.index >= 0 ? call.args?.[param.index] : undefined);
      if (v) out.push({ node: v, scope });
      else if (param.dflt) out.push({ node: param.dflt, scope: fnScope?.parent ?? this.scopes.module });
      else return undefined;
    }
    return out;
  }

  /** The elements of a `for` loop's iterable when it is a literal list, tuple or set (`for t in ["a", "b"]`, `for t in TABLES`). */
  loopElements(loop: PyNode, scope: FnInfo): { elts: PyNode[]; scope: FnInfo } | undefined {
    const call = loop.iter;
    if (call?.nodeType === 'Call' && call.func?.nodeType === 'Attribute' && !call.args?.length && ['items', 'keys', 'values'].includes(call.func.attr)) {
      // `for k, v in MAPPING.items()` over a literal dict
      const dict = this.deref(call.func.value, scope);
      if (dict.node.nodeType !== 'Dict' || (dict.node.keys as Array<PyNode | null>).some((k) => !k) || !dict.node.keys.length) return undefined;
      const m = call.func.attr;
      let cache = DICT_ITEMS.get(dict.node);
      if (!cache) DICT_ITEMS.set(dict.node, (cache = (dict.node.keys as PyNode[]).map((k, i) => ({ nodeType: 'Tuple', elts: [k, dict.node.values[i]] }))));
      return { elts: m === 'items' ? cache : m === 'keys' ? dict.node.keys : dict.node.values, scope: dict.scope };
    }
    const it = this.deref(loop.iter, scope);
    if (!['List', 'Tuple', 'Set'].includes(it.node.nodeType)) return undefined;
    const elts: PyNode[] = it.node.elts ?? [];
    if (!elts.length || elts.some((e) => e.nodeType === 'Starred')) return undefined;
    return { elts, scope: it.scope };
  }

  /**
   * A name used inside a literal-list loop being walked, when every binding of the name is a loop
   * variable (`for col in COLUMNS:` twice in one function): the innermost enclosing loop's.
   */
  private activeLoopVar(name: PyNode, scope: FnInfo): { node: PyNode; scope: FnInfo } | undefined {
    if (!this.loopChoice.size) return undefined;
    const s = this.scopes.lookupScope(name.id, scope);
    const b = s?.bindings.get(name.id);
    if (!s || !b || b.length < 2 || b.some((v) => v?.nodeType !== 'LoopVar')) return undefined;
    const off = this.src.start(name);
    let best: PyNode | undefined;
    for (const v of b) {
      const loop = v!.loop as PyNode;
      if (!this.loopChoice.has(loop) || off < this.src.start(loop) || off >= this.src.end(loop)) continue;
      if (!best || this.src.start(loop) > this.src.start(best.loop)) best = v!;
    }
    return best ? { node: best, scope: s } : undefined;
  }

  /** The element a loop variable holds in the iteration being walked (or chosen in variant mode). */
  private loopElement(v: PyNode, scope: FnInfo): { node: PyNode; scope: FnInfo } | undefined {
    const loop: PyNode = v.loop;
    const els = this.loopElements(loop, scope);
    if (!els) return undefined;
    let idx = this.loopChoice.get(loop);
    if (idx === undefined && this.variant) {
      idx = this.variant.get(loop);
      if (idx === undefined) throw new NeedChoice(loop, els.elts.length);
    }
    if (idx === undefined) return undefined;
    let cur = { node: els.elts[idx], scope: els.scope };
    for (const p of v.path as number[]) {
      const d = this.deref(cur.node, cur.scope);
      if ((d.node.nodeType !== 'Tuple' && d.node.nodeType !== 'List') || d.node.elts?.[p] === undefined || d.node.elts.some((e: PyNode) => e.nodeType === 'Starred')) return undefined;
      cur = { node: d.node.elts[p], scope: d.scope };
    }
    return cur;
  }

  /**
   * Every text an expression can evaluate to, when only the choice among known values is open:
   * names assigned several literal values (`if mysql: TRUE = "1" else: TRUE = "TRUE"`), crossed
   * when several appear (at most MAX_VARIANTS), and loop variables over literal lists. Each is
   * checked: which one runs depends on control flow.
   */
  foldVariants(node: PyNode, scope: FnInfo): Folds {
    const out: Str[] = [];
    const seen = new Set<string>();
    const queue: Array<Map<object, number>> = [new Map()];
    const saved = this.variant;
    try {
      while (queue.length) {
        this.variant = queue.shift()!;
        try {
          const f = this.fold(node, scope);
          if (!f.ok) return f;
          if (!seen.has(f.str.text)) seen.add(f.str.text), out.push(f.str);
        } catch (e) {
          if (!(e instanceof NeedChoice)) throw e;
          if (out.length + queue.length + e.count > MAX_VARIANTS) return { ok: false, why: `it can take more than ${MAX_VARIANTS} different values`, node };
          for (let i = 0; i < e.count; i++) queue.push(new Map(this.variant).set(e.key, i));
        }
      }
    } finally {
      this.variant = saved;
    }
    return { ok: true, strs: out };
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
    if (b[0]?.nodeType === 'LoopVar') return `\`${name}\` is a loop variable over ${this.src.brief(b[0].loop.iter, 40)}, not a literal list`;
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
        if (typeof v === 'number' || typeof v === 'bigint') {
          const t = this.pyNumber(node);
          return t === undefined ? fail(`${this.src.brief(node)} is a number Python prints differently`) : { ok: true, str: strOf(t, this.src.start(node)) };
        }
        if (typeof v === 'boolean') return { ok: true, str: strOf(v ? 'True' : 'False', this.src.start(node)) };
        return fail(`${this.src.brief(node)} is not a string`);
      }
      case 'JoinedStr': {
        const parts: Str[] = [];
        for (const p of node.values ?? []) {
          if (p.nodeType === 'Constant') parts.push(strOf(String(p.value), this.src.start(p)));
          else if (p.nodeType === 'FormattedValue' && ((p.conversion ?? -1) === -1 || p.conversion === 115) && !p.format_spec) {
            // `{x}` and `{x!s}` are str(x)
            const f = this.foldStr(p.value, scope, depth + 1);
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
        if (op === 'Mod') {
          const l = this.fold(node.left, scope, depth + 1);
          if (!l.ok) return fail(`the SQL is built with %-formatting (${l.why})`);
          return this.percentFormat(l.str, node.right, scope, depth + 1, node);
        }
        return fail(`the SQL is computed (${this.src.brief(node, 40)})`);
      }
      case 'Name': {
        const c = this.compEnv.get(node.id);
        if (c) return this.fold(c.node, c.scope, depth + 1);
        const v = this.scopes.imports.has(node.id) ? undefined : (this.activeLoopVar(node, scope) ?? this.scopes.valueOf(node.id, scope));
        if (!v) {
          // Assigned several times: fine when every assignment gives the same text.
          const all = this.scopes.imports.has(node.id) ? undefined : this.scopes.valuesOf(node.id, scope);
          if (all && all.length > 1 && this.variant) {
            // variant mode: one of the assigned values, chosen by foldVariants
            const key = this.scopes.lookupScope(node.id, scope)!.bindings.get(node.id)!;
            const idx = this.variant.get(key);
            if (idx === undefined) throw new NeedChoice(key, all.length);
            const r = this.fold(all[idx].node, all[idx].scope, depth + 1);
            return r.ok ? r : fail(`\`${node.id}\` is not a literal (${r.why})`);
          }
          if (all && all.length > 1) {
            const folds = all.map((x) => this.fold(x.node, x.scope, depth + 1));
            const bad = folds.find((x) => !x.ok);
            if (!bad && folds.every((x) => x.ok && x.str.text === (folds[0] as { str: Str }).str.text)) return folds[0];
            if (!bad) return fail(`\`${node.id}\` is assigned different SQL in several places`);
          }
          return fail(this.whyName(node.id, scope));
        }
        if (v.node.nodeType.endsWith('FunctionDef') || v.node.nodeType === 'ClassDef') return fail(this.whyName(node.id, scope));
        if (v.node.nodeType === 'LoopVar' && !this.loopElement(v.node, v.scope)) return fail(this.whyName(node.id, scope));
        const r = this.fold(v.node, v.scope, depth + 1);
        return r.ok ? r : fail(`\`${node.id}\` is not a literal (${r.why})`);
      }
      case 'Call': {
        const f = this.qual(node.func, scope, depth + 1) ?? '';
        const last = f.replace(/\(\)$/, '').split('.').pop() ?? '';
        const a0 = node.args?.[0] ?? node.keywords?.find((k: PyNode) => k.arg === 'text' || k.arg === 'statement' || k.arg === 'sql')?.value;
        if ((last === 'text' || last === 'DDL' || last === 'literal_column') && (f === last || /^(sqlalchemy|sa)(\.|$)/.test(f))) return this.fold(a0, scope, depth + 1);
        if (f === 'alembic.op.f' || f === 'op.f') return this.fold(a0, scope, depth + 1);
        // repr() of a text known to be a str (a string literal, directly or through names and
        // loop variables over literal lists): Python's quoting (fides b2c3d4e5f6a7:
        // `->>{repr(identity_key)}` over a literal list). Other values stay unknown.
        if (f === 'repr' && node.args?.length === 1 && !node.keywords?.length && !this.scopes.lookupScope('repr', scope) && !this.scopes.imports.has('repr')) {
          const d = this.deref(node.args[0], scope).node;
          if ((d.nodeType === 'Constant' && typeof d.value === 'string') || d.nodeType === 'JoinedStr') {
            const r = this.fold(node.args[0], scope, depth + 1);
            if (!r.ok) return r;
            const q = pyReprAscii(r.str, this.src.start(node));
            if (q) return { ok: true, str: q };
          }
        }
        if (f === 'textwrap.dedent' || f === 'inspect.cleandoc') {
          const r = this.fold(a0, scope, depth + 1);
          if (!r.ok) return r;
          const d = dedent(r.str);
          return { ok: true, str: f === 'inspect.cleandoc' ? strip(d, ' \t\n\r') : d };
        }
        if (node.func?.nodeType === 'Attribute') {
          const m = node.func.attr;
          if (m === 'bindparams' || m === 'params' || m === 'execution_options' || m === 'columns') return this.fold(node.func.value, scope, depth + 1);
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
            const items = sep.ok ? this.literalItems(node.args[0], scope, depth + 1) : undefined;
            if (sep.ok && Array.isArray(items)) {
              const parts: Str[] = [];
              items.forEach((r, i) => {
                if (i) parts.push(sep.str);
                parts.push(r);
              });
              return { ok: true, str: concat(...parts) };
            }
            if (items && !Array.isArray(items)) return items;
          }
          if (m === 'format') {
            const t = this.fold(node.func.value, scope, depth + 1);
            if (!t.ok) return fail(`the SQL is built with .format() (${t.why})`);
            return this.strFormat(t.str, node, scope, depth + 1);
          }
          if (m === 'format_map') return fail('the SQL is built with .format_map()');
          // str case methods on a known text (a non-str value would raise there): `variable.upper()`
          // over a literal list is fixed text. ASCII only (Python's Unicode case mapping, e.g.
          // 'ß'.upper() == 'SS', is not JavaScript's in every case): other text stays unknown.
          if (CASE_METHODS.has(m) && !node.args?.length && !node.keywords?.length) {
            const r = this.fold(node.func.value, scope, depth + 1);
            if (!r.ok) return r;
            if (!/^[\x00-\x7f]*$/.test(r.str.text)) return fail(`the SQL is the result of \`${this.src.brief(node.func, 40)}(…)\` on non-ASCII text`);
            return { ok: true, str: { text: pyAsciiCase(r.str.text, m), src: r.str.src } };
          }
          if (m === 'replace') return fail('the SQL is rewritten with .replace() at run time');
        }
        return fail(`the SQL is the result of \`${this.src.brief(node.func, 40)}(…)\``);
      }
      case 'IfExp': {
        // `"a" if cond else "b"`: in variant mode both branches are checked
        if (!this.variant) return fail(`the SQL is chosen at run time (\`${this.src.brief(node, 40)}\`)`);
        const idx = this.variant.get(node);
        if (idx === undefined) throw new NeedChoice(node, 2);
        return this.fold(idx === 0 ? node.body : node.orelse, scope, depth + 1);
      }
      case 'Param': {
        // variant mode: each value the file's calls pass (see paramValues)
        const vals = this.variant ? this.paramValues(node) : undefined;
        if (!vals) return fail(`\`${node.name}\` is a parameter of ${node.fn.name}() whose callers are not all visible in this file`);
        // one choice per function: the parameters of one call go together
        const idx = this.variant!.get(node.fn);
        if (idx === undefined) throw new NeedChoice(node.fn, vals.length);
        const r = this.fold(vals[idx].node, vals[idx].scope, depth + 1);
        return r.ok ? r : fail(`\`${node.name}\`, a parameter of ${node.fn.name}(), is passed a value that is not a literal (${r.why})`);
      }
      case 'LoopVar': {
        const e = this.loopElement(node, scope);
        return e ? this.fold(e.node, e.scope, depth + 1) : fail('a loop variable over a list that is not literal');
      }
      case 'Attribute':
        return fail(`\`${this.src.brief(node, 40)}\` is not a literal in this file`);
      case 'Subscript':
        return fail(`the SQL is looked up at run time (\`${this.src.brief(node, 40)}\`)`);
    }
    return fail(`the SQL is computed at run time (\`${this.src.brief(node, 40)}\`)`);
  }

  /**
   * The strings of a literal sequence given to `sep.join(…)`: a list/tuple/set literal (or a name
   * bound to one), `set(…)`/`sorted(…)`/`list(…)`/`tuple(…)` of one, or a comprehension
   * `f"{c} = :{c}" for c in COLUMNS` over one (no `if`). A set's order is Python's hash order: the
   * literal order is used, the statement's shape is the same.
   */
  private literalItems(node: PyNode, scope: FnInfo, depth: number): Str[] | { ok: false; why: string; node: PyNode } | undefined {
    let d = this.deref(node, scope);
    if (d.node.nodeType === 'Call' && d.node.args?.length === 1 && !d.node.keywords?.length && ['set', 'sorted', 'list', 'tuple', 'frozenset'].includes(this.qual(d.node.func, d.scope) ?? '')) d = this.deref(d.node.args[0], d.scope);
    if (['List', 'Tuple', 'Set'].includes(d.node.nodeType)) {
      const out: Str[] = [];
      for (const e of d.node.elts as PyNode[]) {
        if (e.nodeType === 'Starred') return undefined;
        const r = this.fold(e, d.scope, depth + 1);
        if (!r.ok) return r;
        out.push(r.str);
      }
      return out;
    }
    if (['ListComp', 'GeneratorExp', 'SetComp'].includes(d.node.nodeType) && d.node.generators?.length === 1) {
      const g = d.node.generators[0];
      if (g.ifs?.length || g.is_async || g.target?.nodeType !== 'Name') return undefined;
      const els = this.loopElements(g, d.scope);
      if (!els) return undefined;
      const out: Str[] = [];
      const saved = this.compEnv.get(g.target.id);
      try {
        for (const e of els.elts) {
          this.compEnv.set(g.target.id, { node: e, scope: els.scope });
          const r = this.fold(d.node.elt, d.scope, depth + 1);
          if (!r.ok) return r;
          out.push(r.str);
        }
      } finally {
        if (saved) this.compEnv.set(g.target.id, saved);
        else this.compEnv.delete(g.target.id);
      }
      return out;
    }
    return undefined;
  }

  /** str(x) of an interpolated value (f-string, %s, .format): like fold, and None is "None". */
  private foldStr(node: PyNode, scope: FnInfo, depth: number): Fold {
    if (node.nodeType === 'Constant' && node.value === null) return { ok: true, str: strOf('None', this.src.start(node)) };
    return this.fold(node, scope, depth);
  }

  /**
   * str() of a number literal as CPython prints it (int: digits; float: repr, `1.0`, `0.5`), or
   * undefined where JavaScript's and Python's shortest forms differ (exponents, huge values, complex).
   */
  private pyNumber(node: PyNode): string | undefined {
    const v = node.value;
    if (typeof v === 'bigint') return String(v);
    const seg = this.src.segment(node).replace(/_/g, '');
    if (/[jJ]$/.test(seg) || !Number.isFinite(v)) return undefined;
    const isFloat = /[.eE]/.test(seg) && !/^0[xXoObB]/.test(seg);
    if (!isFloat) return Number.isSafeInteger(v) ? String(v) : undefined;
    if (v !== 0 && (Math.abs(v) >= 1e16 || Math.abs(v) < 1e-4)) return undefined;
    if (Number.isInteger(v)) return `${Object.is(v, -0) ? '-0' : v.toFixed(0)}.0`;
    return String(v);
  }

  /** `fmt % args` (printf-style, Objects/unicodeobject.c PyUnicode_Format): %s, %d, %i, %% and %(name)s, no flags or widths. */
  private percentFormat(fmt: Str, rhs: PyNode, scope: FnInfo, depth: number, whole: PyNode): Fold {
    const fail = (why: string): Fold => ({ ok: false, why: `the SQL is built with %-formatting (${why})`, node: whole });
    const r = this.deref(rhs, scope);
    const dict = r.node.nodeType === 'Dict' ? r.node : undefined;
    const args: PyNode[] | undefined = r.node.nodeType === 'Tuple' ? r.node.elts : dict ? undefined : [rhs];
    if (args?.some((e) => e.nodeType === 'Starred')) return fail('unpacked arguments');
    const argScope = r.node.nodeType === 'Tuple' ? r.scope : scope;
    const parts: Str[] = [];
    let next = 0;
    let i = 0;
    let lit = 0;
    const t = fmt.text;
    while (i < t.length) {
      if (t[i] !== '%') {
        i++;
        continue;
      }
      parts.push(slice(fmt, lit, i));
      const m = /^%(?:\(([^)]*)\))?([-#0 +]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)?/.exec(t.slice(i))!;
      if (m[5] === '%' && !m[1] && !m[2] && !m[3] && !m[4]) {
        parts.push(slice(fmt, i, i + 1));
      } else {
        if (m[2] || m[3] || m[4] || !m[5] || !'sdi'.includes(m[5])) return fail(`\`${m[0]}\` is not folded`);
        let v: PyNode | undefined;
        let vScope = argScope;
        if (m[1] !== undefined) {
          if (!dict) return fail('a named field without a literal dict');
          const k = (dict.keys as Array<PyNode | null>).findIndex((k) => k?.nodeType === 'Constant' && k.value === m[1]);
          if (k < 0 || (dict.keys as Array<PyNode | null>).some((k) => !k)) return fail(`no literal value for \`${m[1]}\``);
          v = dict.values[k];
          vScope = r.scope;
        } else v = args?.[next++];
        if (!v) return fail('not enough arguments');
        if (m[5] === 's') {
          const f = this.foldStr(v, vScope, depth + 1);
          if (!f.ok) return fail(f.why);
          parts.push(f.str);
        } else {
          const d = this.deref(v, vScope).node;
          const n = d.nodeType === 'Constant' && typeof d.value === 'boolean' ? String(Number(d.value)) : d.nodeType === 'Constant' && (typeof d.value === 'number' || typeof d.value === 'bigint') ? this.pyNumber(d) : undefined;
          if (n === undefined || !/^-?\d+$/.test(n.replace(/\.0$/, ''))) return fail(`\`${this.src.brief(v, 30)}\` is not a literal integer`);
          parts.push(strOf(n.replace(/\.0$/, ''), this.src.start(v)));
        }
      }
      i += m[0].length;
      lit = i;
    }
    parts.push(slice(fmt, lit));
    if (args && next !== args.length) return fail('not all arguments converted');
    return { ok: true, str: concat(...parts) };
  }

  /** `template.format(...)` (str.format, Objects/stringlib/unicode_format.h): `{}`, `{0}`, `{name}`, `{{`/`}}`; no conversions, specs, attributes or indexes. */
  private strFormat(fmt: Str, call: PyNode, scope: FnInfo, depth: number): Fold {
    const fail = (why: string): Fold => ({ ok: false, why: `the SQL is built with .format() (${why})`, node: call });
    const args: PyNode[] = call.args ?? [];
    const kws: PyNode[] = call.keywords ?? [];
    if (args.some((a) => a.nodeType === 'Starred') || kws.some((k) => !k.arg)) return fail('unpacked arguments');
    const parts: Str[] = [];
    const t = fmt.text;
    let auto = 0;
    let lit = 0;
    let i = 0;
    while (i < t.length) {
      const c = t[i];
      if ((c === '{' || c === '}') && t[i + 1] === c) {
        parts.push(slice(fmt, lit, i + 1));
        i += 2;
        lit = i;
        continue;
      }
      if (c === '}') return fail("a single '}'");
      if (c !== '{') {
        i++;
        continue;
      }
      const close = t.indexOf('}', i);
      const raw = close < 0 ? undefined : t.slice(i + 1, close);
      // `{x!s}` is `{x}`: str() either way
      const field = raw?.replace(/!s$/, '');
      if (field === undefined || !/^(\d*|[A-Za-z_]\w*)$/.test(field)) return fail(`the field \`{${raw ?? ''}}\` is not folded`);
      parts.push(slice(fmt, lit, i));
      const v = field === '' ? args[auto++] : /^\d+$/.test(field) ? args[Number(field)] : kws.find((k) => k.arg === field)?.value;
      if (!v) return fail(`no argument for \`{${field}}\``);
      const f = this.foldStr(v, scope, depth + 1);
      if (!f.ok) return fail(f.why);
      parts.push(f.str);
      i = close + 1;
      lit = i;
    }
    parts.push(slice(fmt, lit));
    return { ok: true, str: concat(...parts) };
  }

  /** A literal string argument, or a placeholder `(value of expr)` (still at the argument's position). */
  strArg(node: PyNode | undefined, scope: FnInfo, fallbackAt: number): { str: Str; literal: boolean } {
    if (!node) return { str: strOf(runtimeName(), fallbackAt), literal: false };
    if (node.nodeType === 'Constant' && node.value === null) return { str: strOf(runtimeName('None'), this.src.start(node)), literal: false };
    const f = this.fold(node, scope);
    if (f.ok) return { str: f.str, literal: true };
    return { str: strOf(runtimeName(this.src.brief(node, 50)), this.src.start(node)), literal: false };
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
  emitSql(str: Str, o: { down: boolean; origin: string; call: PyNode; synthetic?: boolean; binds?: boolean; runsOn?: { dialect: Dialect; note: string } }): SqlUnit {
    const callStart = this.src.start(o.call);
    const fileDialect = this.ex.dialect ?? 'postgresql';
    // The databases this SQL runs on (inside `if bind.dialect.name == "sqlite":` …): parsed in
    // their dialect, replayed only into their engine (src/python/dialects.ts). A connection that can
    // only be one database's (`sqlite3.connect(…)`, src/python/sinks.ts) narrows it to that one.
    const branchMask = this.branches.maskOf(str, callStart);
    const own = o.runsOn ? branchMask & DB[familyOf(o.runsOn.dialect)] : 0;
    const mask = own || branchMask;
    const readings = mask === ALL ? [] : dialectsFor(mask, fileDialect);
    const dialect = o.synthetic ? 'postgresql' : (readings[0] ?? fileDialect);
    const textIn = (d: Dialect) => (o.binds === false || o.synthetic ? str.text : neutralizeBinds(str.text, d === 'postgresql'));
    const text = textIn(dialect);
    const src = str.src;
    const lines = this.ex.lines;
    const unit: SqlUnit = {
      path: this.ex.path,
      text,
      dialect,
      pos: (off: number) => lines.pos(off < src.length ? src[Math.max(0, off)] : src.length ? src[src.length - 1] + 1 : callStart),
      down: o.down,
      origin: o.origin,
    };
    if (mask !== ALL) {
      const configured = this.ex.dialectKnown && !(mask & DB[familyOf(fileDialect)]) ? `; the configured dialect is ${fileDialect}` : '';
      unit.branch = { runsOn: namesOf(mask), note: own && branchMask === ALL ? o.runsOn!.note : `in ${branchLabel(mask)}${configured}` };
      if (!o.synthetic && readings.length > 1) unit.alternatives = readings.slice(1).map((d) => ({ dialect: d, text: textIn(d) }));
    }
    // A loop body walked once per element repeats what does not depend on the element: once is enough.
    const key = `${o.down}|${o.origin}|${callStart}|${src[0]}|${text}`;
    if (this.emitted.has(key)) return unit;
    this.emitted.add(key);
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
      // A tuple is a parenthesized list (psycopg2's tuple adaptation, `WHERE id IN %s`; PyMySQL's
      // escape_sequence likewise); an empty one is SQL no database reads, as psycopg2 sends it.
      if (x.nodeType === 'Tuple' && x.elts?.length) {
        const items = x.elts.map((e: PyNode) => lit(e));
        return items.every((v: string | undefined) => v !== undefined) ? `(${items.join(', ')})` : undefined;
      }
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
    const h = this.hitAt(node, message, { down });
    if (this.facts.dynamic.some((x) => x.line === h.line && x.column === h.column && x.message === h.message && x.down === h.down)) return;
    this.facts.dynamic.push(h);
    this.facts.stats.dynamic++;
  }

  note(node: PyNode, ruleId: string, message: string, extra: { severity?: 'error' | 'warning' | 'info'; down?: boolean } = {}) {
    const p = this.src.pos(node);
    if (this.ex.notes.some((x) => x.ruleId === ruleId && x.line === p.line && x.column === p.column && x.message === message)) return;
    this.ex.notes.push({ ruleId, line: p.line, column: p.column, endLine: this.ex.lines.pos(this.src.end(node)).line, message, ...extra });
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
        case 'For':
        case 'AsyncFor': {
          // `for t in ["a", "b"]:` / `for t in TABLES:` (a literal list): the body is walked once per
          // element with the loop variable bound to it, so `op.execute(f"DROP TABLE {t}")` is
          // checked as `DROP TABLE a` and `DROP TABLE b`, each at the call's line.
          const els = this.loopElements(n, ctx.scope);
          if (!els || expansion * els.elts.length > MAX_LOOP_EXPANSION || this.loopChoice.has(n)) break;
          visit(n.target, ctx);
          visit(n.iter, ctx);
          const outer = expansion;
          expansion *= els.elts.length;
          for (let i = 0; i < els.elts.length; i++) {
            this.loopChoice.set(n, i);
            for (const s of n.body ?? []) visit(s, ctx);
          }
          this.loopChoice.delete(n);
          expansion = outer;
          for (const s of n.orelse ?? []) visit(s, ctx);
          return;
        }
        case 'Call':
          for (const h of handlers) h(this, n, ctx);
          break;
      }
      for (const c of children(n)) visit(c, ctx);
    };
    let expansion = 1;
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

/**
 * Python's repr() of a str, for printable ASCII text with tabs and newlines (the quote is `'`
 * unless the text holds `'` and no `"`; backslash, the quote and \\t \\n \\r are escaped; other
 * control characters are \\xNN). Undefined for other text (Python keeps printable non-ASCII as is
 * and escapes the rest by its own Unicode tables).
 */
export function pyReprAscii(s: Str, at: number): Str | undefined {
  if (!/^[\x00-\x7e]*$/.test(s.text)) return undefined;
  const q = s.text.includes("'") && !s.text.includes('"') ? '"' : "'";
  const text: string[] = [q];
  const src: number[] = [s.src[0] ?? at];
  for (let i = 0; i < s.text.length; i++) {
    const c = s.text[i];
    const e =
      c === q || c === '\\' ? '\\' + c : c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c < ' ' ? '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0') : c;
    text.push(e);
    for (let k = 0; k < e.length; k++) src.push(s.src[i]);
  }
  text.push(q);
  src.push(s.src[s.text.length - 1] ?? at);
  return { text: text.join(''), src };
}

const CASE_METHODS = new Set(['upper', 'lower', 'casefold', 'capitalize', 'title', 'swapcase']);

/** Python's str case methods on ASCII text (same length: each character maps to one). */
export function pyAsciiCase(t: string, m: string): string {
  const up = (c: string) => c.toUpperCase();
  const low = (c: string) => c.toLowerCase();
  if (m === 'upper') return t.toUpperCase();
  if (m === 'lower' || m === 'casefold') return t.toLowerCase();
  if (m === 'capitalize') return t.slice(0, 1).toUpperCase() + t.slice(1).toLowerCase();
  if (m === 'swapcase') return t.replace(/[A-Za-z]/g, (c) => (c === up(c) ? low(c) : up(c)));
  // title: a letter after a letter is lower case, any other letter upper case.
  return t.replace(/[A-Za-z]/g, (c, i: number) => (/[A-Za-z]/.test(t[i - 1] ?? '') ? low(c) : up(c)));
}

export function strip(s: Str, chars: string, side: 'l' | 'r' | 'lr' = 'lr'): Str {
  let a = 0;
  let b = s.text.length;
  if (side.includes('l')) while (a < b && chars.includes(s.text[a])) a++;
  if (side.includes('r')) while (b > a && chars.includes(s.text[b - 1])) b--;
  return slice(s, a, b);
}

/**
 * A parameter right after IN or VALUES stands for a whole parenthesized list when the statement runs:
 * psycopg2 adapts a Python tuple to `(1, 2, 3)` (`WHERE id IN %s` with `(tuple(ids),)`: "Tuples
 * adaptation", https://www.psycopg.org/docs/usage.html#tuples-adaptation), SQLAlchemy renders an
 * expanding bind parameter (`bindparam("ids", expanding=True)`; `IN :ids` given a tuple through
 * psycopg2 reaches the same SQL) as `IN (…)`, and psycopg2.extras.execute_values fills `VALUES %s`
 * with `(…), (…)`. `IN $1` is SQL no database reads, so the placeholder goes in parentheses, same
 * length: `IN ($1)`, `IN($1)` without the space, and where even that does not fit (PostgreSQL's
 * `IN %s`) the constant list `(1)`. (psycopg 3 refuses `IN %s`: there the statement fails and does nothing.)
 */
function listBinds(text: string, pg: boolean): string {
  const lists = pg ? ['($1)', '(1)'] : ['(?)'];
  return text.replace(/(?<![\w$.])(IN|VALUES)(\s*)(:\w+(?!:)|%\([A-Za-z_]\w*\)s|%s)(?![\w(])/giu, (m, kw: string, ws: string, p: string) => {
    // `IN:x` is no bind parameter: SQLAlchemy's pattern wants the colon after a non-word character.
    if (!ws && p.startsWith(':')) return m;
    for (const list of lists) {
      if (p.length >= list.length) return kw + ws + list.padEnd(p.length, ' ');
      // A short one (`%s`) takes the spaces before it too (on one line: the text's lines stay).
      const room = ws.length + p.length;
      if (/[\r\n]/.test(ws) || room < list.length) continue;
      return room > list.length ? `${kw} ${list.padEnd(room - 1, ' ')}` : kw + list;
    }
    return m;
  });
}

/**
 * Bind parameters → same-length placeholders the SQL parsers accept (`$1`/`?` padded with spaces):
 * SQLAlchemy text() `:name` (the same pattern SQLAlchemy itself uses, `\:` is an escaped colon),
 * and DB-API `%(name)s` / `%s`. Offsets are preserved so positions stay exact.
 */
export function neutralizeBinds(text: string, pg: boolean): string {
  const ph = (m: string) => (pg ? '$1' : '?').padEnd(m.length, ' ');
  return listBinds(text, pg)
    .replace(/(?<![:\w\\]):(\w+)(?!:)/gu, (m) => ph(m))
    .replace(/\\:/g, ' :')
    .replace(/%\([A-Za-z_]\w*\)s|%s/g, (m) => ph(m));
}

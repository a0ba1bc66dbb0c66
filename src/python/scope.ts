// Scopes of a Python module, enough to resolve names statically: import aliases (file-wide, so an
// import inside a function still counts), single assignments (`sql = "…"`, `conn = op.get_bind()`)
// at module and function level, functions by name, and which functions run on upgrade or downgrade.
import type { PyNode } from './source.js';

/** A name bound in a scope: the assigned values, or `null` when it is bound some other way. */
type Binding = Array<PyNode | null>;

export interface FnInfo {
  node: PyNode;
  name: string;
  parent: FnInfo | null;
  bindings: Map<string, Binding>;
  globals: Set<string>;
}

export interface ImportBinding {
  /** Qualified name the alias stands for: `import os.path as p` → 'os.path'; `from os import system as s` → 'os.system'. */
  target: string;
  node: PyNode;
}

const CHILDREN = Symbol('children');

/** Child nodes of a py-ast node, in field order (memoized on the node: the tree is walked several times). */
export function children(node: PyNode): PyNode[] {
  const cached = (node as { [CHILDREN]?: PyNode[] })[CHILDREN];
  if (cached) return cached;
  const out: PyNode[] = [];
  for (const k in node) {
    const v = node[k];
    if (k === 'parent' || !v || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v) if (x && typeof x === 'object' && typeof x.nodeType === 'string') out.push(x);
    } else if (typeof (v as PyNode).nodeType === 'string') out.push(v as PyNode);
  }
  (node as { [CHILDREN]?: PyNode[] })[CHILDREN] = out;
  return out;
}

/** Every node of a tree, depth first. */
export function* walkAll(node: PyNode): Generator<PyNode> {
  const stack: PyNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    const c = children(n);
    for (let i = c.length - 1; i >= 0; i--) stack.push(c[i]);
  }
}

export class Scopes {
  readonly module: FnInfo;
  readonly functions: FnInfo[] = [];
  readonly byName = new Map<string, FnInfo[]>();
  readonly imports = new Map<string, ImportBinding>();
  readonly starImports: Array<{ module: string; node: PyNode }> = [];
  /** Every import binding in the file, in order (several may share an alias). */
  readonly allImports: Array<{ local: string; target: string; node: PyNode }> = [];
  /** Classes by name, with their `__tablename__` when it is a literal. */
  readonly classes = new Map<string, PyNode>();
  private readonly fnOf = new Map<PyNode, FnInfo>();

  constructor(readonly root: PyNode) {
    this.module = { node: root, name: '<module>', parent: null, bindings: new Map(), globals: new Set() };
    this.fnOf.set(root, this.module);
    this.collect(root.body ?? [], this.module);
  }

  /** The scope a function node opened. */
  info(fn: PyNode): FnInfo | undefined {
    return this.fnOf.get(fn);
  }

  private bind(scope: FnInfo, name: string, value: PyNode | null) {
    const target = scope.globals.has(name) ? this.module : scope;
    const list = target.bindings.get(name) ?? [];
    list.push(value);
    target.bindings.set(name, list);
  }

  private bindTarget(scope: FnInfo, t: PyNode, value: PyNode | null) {
    if (!t) return;
    if (t.nodeType === 'Name') this.bind(scope, t.id, value);
    else if (t.nodeType === 'Tuple' || t.nodeType === 'List') for (const e of t.elts ?? []) this.bindTarget(scope, e, null);
    else if (t.nodeType === 'Starred') this.bindTarget(scope, t.value, null);
  }

  /**
   * A `for` target: each name is bound to a `LoopVar` (the loop and the name's place in the target,
   * `for a, (b, c) in …` → b at [1, 0]), which the analyzer reads as each element of a literal list.
   */
  private bindLoop(scope: FnInfo, t: PyNode, loop: PyNode, path: number[]) {
    if (!t) return;
    if (t.nodeType === 'Name') this.bind(scope, t.id, { nodeType: 'LoopVar', loop, path, lineno: t.lineno, col_offset: t.col_offset, end_lineno: t.end_lineno, end_col_offset: t.end_col_offset });
    else if (t.nodeType === 'Tuple' || t.nodeType === 'List') (t.elts ?? []).forEach((e: PyNode, i: number) => (e.nodeType === 'Starred' ? this.bindTarget(scope, e, null) : this.bindLoop(scope, e, loop, [...path, i])));
    else this.bindTarget(scope, t, null);
  }

  private collect(stmts: PyNode[], scope: FnInfo) {
    for (const s of stmts) this.visit(s, scope);
  }

  private visit(n: PyNode, scope: FnInfo): void {
    switch (n.nodeType) {
      case 'FunctionDef':
      case 'AsyncFunctionDef': {
        this.bind(scope, n.name, n);
        for (const d of n.decorator_list ?? []) this.visit(d, scope);
        const info: FnInfo = { node: n, name: n.name, parent: scope, bindings: new Map(), globals: new Set() };
        this.fnOf.set(n, info);
        this.functions.push(info);
        this.byName.set(n.name, [...(this.byName.get(n.name) ?? []), info]);
        const a = n.args ?? {};
        // Named parameters are bound to a `Param` (the analyzer may find the values every call in
        // the file passes); *args and **kwargs are unknown.
        const positional: PyNode[] = [...(a.posonlyargs ?? []), ...(a.args ?? [])];
        const defaults: PyNode[] = a.defaults ?? [];
        positional.forEach((p, i) => {
          const d = defaults[i - (positional.length - defaults.length)];
          this.bind(info, p.arg, { nodeType: 'Param', fn: n, name: p.arg, index: i, dflt: d ?? null });
        });
        (a.kwonlyargs ?? []).forEach((p: PyNode, i: number) => this.bind(info, p.arg, { nodeType: 'Param', fn: n, name: p.arg, index: -1, dflt: a.kw_defaults?.[i] ?? null }));
        for (const p of [a.vararg, a.kwarg]) if (p?.arg) this.bind(info, p.arg, null);
        for (const d of [...(a.defaults ?? []), ...(a.kw_defaults ?? [])]) if (d) this.visit(d, scope);
        this.collect(n.body ?? [], info);
        return;
      }
      case 'Lambda': {
        const info: FnInfo = { node: n, name: '<lambda>', parent: scope, bindings: new Map(), globals: new Set() };
        this.fnOf.set(n, info);
        const a = n.args ?? {};
        for (const p of [...(a.posonlyargs ?? []), ...(a.args ?? []), ...(a.kwonlyargs ?? []), a.vararg, a.kwarg]) if (p?.arg) this.bind(info, p.arg, null);
        this.visit(n.body, info);
        return;
      }
      case 'ClassDef': {
        this.bind(scope, n.name, n);
        this.classes.set(n.name, n);
        // Class bodies run at definition time in the enclosing scope's context; their names are
        // recorded there too (a clash makes the name unresolvable, which fails closed).
        for (const b of n.bases ?? []) this.visit(b, scope);
        this.collect(n.body ?? [], scope);
        return;
      }
      case 'Assign':
        for (const t of n.targets ?? []) this.bindTarget(scope, t, n.targets.length === 1 ? n.value : null);
        break;
      case 'AnnAssign':
        if (n.value) this.bindTarget(scope, n.target, n.simple === 0 ? null : n.value);
        break;
      case 'AugAssign':
        this.bindTarget(scope, n.target, null);
        break;
      case 'For':
      case 'AsyncFor':
        this.bindLoop(scope, n.target, n, []);
        break;
      case 'With':
      case 'AsyncWith':
        for (const it of n.items ?? []) if (it.optional_vars) this.bindTarget(scope, it.optional_vars, null);
        break;
      case 'NamedExpr':
        this.bindTarget(scope, n.target, null);
        break;
      case 'ExceptHandler':
        if (n.name) this.bind(scope, n.name, null);
        break;
      case 'comprehension':
        this.bindTarget(scope, n.target, null);
        break;
      case 'Delete':
        for (const t of n.targets ?? []) this.bindTarget(scope, t, null);
        break;
      case 'Global':
      case 'Nonlocal':
        for (const name of n.names ?? []) scope.globals.add(name);
        break;
      case 'Import':
        for (const a of n.names ?? []) {
          const local = a.asname ?? a.name.split('.')[0];
          const target = a.asname ? a.name : a.name.split('.')[0];
          this.bind(scope, local, null);
          this.addImport(local, target, n);
        }
        break;
      case 'ImportFrom': {
        const mod = '.'.repeat(n.level ?? 0) + (n.module ?? '');
        for (const a of n.names ?? []) {
          if (a.name === '*') {
            this.starImports.push({ module: mod, node: n });
            continue;
          }
          const local = a.asname ?? a.name;
          this.bind(scope, local, null);
          this.addImport(local, mod ? `${mod}.${a.name}` : a.name, n);
        }
        break;
      }
    }
    for (const c of children(n)) this.visit(c, scope);
  }

  private addImport(local: string, target: string, node: PyNode) {
    const prev = this.imports.get(local);
    // The same alias imported twice for different things: keep the first, the other is still
    // visible to the execution scan through the import list.
    if (!prev) this.imports.set(local, { target, node });
    this.allImports.push({ local, target, node });
  }

  /** The scope a name refers to from `scope`, walking out to the module; undefined if unbound. */
  lookupScope(name: string, scope: FnInfo): FnInfo | undefined {
    for (let s: FnInfo | null = scope; s; s = s.parent) {
      if (s.globals.has(name)) return this.module.bindings.has(name) ? this.module : undefined;
      if (s.bindings.has(name)) return s;
    }
    return undefined;
  }

  /** The single value assigned to a name, if it is bound exactly once by a plain assignment. */
  valueOf(name: string, scope: FnInfo): { node: PyNode; scope: FnInfo } | undefined {
    const s = this.lookupScope(name, scope);
    if (!s) return undefined;
    const b = s.bindings.get(name)!;
    if (b.length !== 1 || !b[0]) return undefined;
    return { node: b[0], scope: s };
  }

  /** Every value assigned to a name, when all its bindings are plain assignments (else undefined). */
  valuesOf(name: string, scope: FnInfo): Array<{ node: PyNode; scope: FnInfo }> | undefined {
    const s = this.lookupScope(name, scope);
    if (!s) return undefined;
    const b = s.bindings.get(name)!;
    if (b.some((v) => !v)) return undefined;
    return b.map((v) => ({ node: v!, scope: s }));
  }

  isBound(name: string, scope: FnInfo): boolean {
    return this.lookupScope(name, scope) !== undefined;
  }
}

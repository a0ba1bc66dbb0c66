// Alembic's revision graph and Django's migration graph, read statically with py-ast (the files
// are never run). Only literals are understood (strings, tuples, lists, None, module-level names
// bound to them); anything computed is reported as `unreadable`, never guessed.
import { parsePython, type PyNode } from '../python/source.js';
import { classAssignments, logicalLines, moduleAssignments } from './pyscan.js';
import { cmpStr, cycleText } from './order.js';
import { baseOf, dirOf, type Src } from './sql.js';
import type { HistoryProblem, MigrationSet } from './types.js';

type Lit = string | null | Lit[] | { call: string; args: Lit[] } | { attr: string };
const UNKNOWN = Symbol('unknown');
type Val = Lit | typeof UNKNOWN;

interface Names {
  get(name: string): PyNode | undefined;
  has(name: string): boolean;
}

/** A literal value: constants, tuples/lists/sets, module names bound to literals, and a few call / attribute shapes. */
function literal(n: PyNode | undefined, names: Names, depth = 0): Val {
  if (!n || depth > 20) return UNKNOWN;
  switch (n.nodeType) {
    case 'Constant':
      return n.value === null ? null : typeof n.value === 'string' ? n.value : UNKNOWN;
    case 'Tuple':
    case 'List':
    case 'Set': {
      const out: Lit[] = [];
      for (const e of n.elts ?? []) {
        const v = literal(e, names, depth + 1);
        if (v === UNKNOWN) return UNKNOWN;
        out.push(v);
      }
      return out;
    }
    case 'Name': {
      const bound = names.get(n.id);
      return bound ? literal(bound, names, depth + 1) : UNKNOWN;
    }
    case 'Attribute':
      return { attr: dotted(n) };
    case 'Call': {
      const args: Lit[] = [];
      for (const a of n.args ?? []) {
        const v = literal(a, names, depth + 1);
        if (v === UNKNOWN) return UNKNOWN;
        args.push(v);
      }
      return { call: dotted(n.func), args };
    }
    case 'BinOp': {
      // `[...] + [...]`: list concatenation.
      if (n.op?.nodeType !== 'Add') return UNKNOWN;
      const l = literal(n.left, names, depth + 1);
      const r = literal(n.right, names, depth + 1);
      return Array.isArray(l) && Array.isArray(r) ? [...l, ...r] : UNKNOWN;
    }
  }
  return UNKNOWN;
}

function dotted(n: PyNode | undefined): string {
  if (!n) return '?';
  if (n.nodeType === 'Name') return n.id;
  if (n.nodeType === 'Attribute') return `${dotted(n.value)}.${n.attr}`;
  return '?';
}

/** Simple `name = value` / `name: T = value` assignments of a body. */
function assignments(body: PyNode[] | undefined): Map<string, PyNode> {
  const out = new Map<string, PyNode>();
  for (const s of body ?? []) {
    if (s.nodeType === 'Assign') {
      for (const t of s.targets ?? []) if (t.nodeType === 'Name') out.set(t.id, s.value);
    } else if (s.nodeType === 'AnnAssign' && s.target?.nodeType === 'Name' && s.value) out.set(s.target.id, s.value);
  }
  return out;
}

/** Statement texts parsed on demand: `name → value node`. */
function lazyNames(snippets: Map<string, string>): Names {
  const cache = new Map<string, PyNode | undefined>();
  return {
    has: (k) => snippets.has(k),
    get: (k) => {
      if (!cache.has(k)) {
        const text = snippets.get(k);
        const p = text === undefined ? undefined : parsePython(text);
        const st = p && !('error' in p) ? p.module.body?.[0] : undefined;
        cache.set(k, st?.nodeType === 'Assign' || st?.nodeType === 'AnnAssign' ? st.value : undefined);
      }
      return cache.get(k);
    },
  };
}

function merged(a: Names, b: Names): Names {
  return { has: (k) => b.has(k) || a.has(k), get: (k) => (b.has(k) ? b.get(k) : a.get(k)) };
}

/**
 * The module's assignments and those of `class <cls>`'s body, without parsing the whole file when
 * its logical lines can be split (pyscan.ts); a full py-ast parse otherwise. `cls: undefined` when
 * the class is absent.
 */
function readFile(text: string, clsName?: string): { module: Names; cls?: Names } | { error: string } {
  const lines = logicalLines(text);
  if (lines) {
    const cls = clsName ? classAssignments(lines, clsName) : undefined;
    if (cls !== null) return { module: lazyNames(moduleAssignments(lines)), ...(cls ? { cls: lazyNames(cls) } : {}) };
  }
  const p = parsePython(text);
  if ('error' in p) return { error: p.error.message };
  const c = clsName ? (p.module.body ?? []).find((s: PyNode) => s.nodeType === 'ClassDef' && s.name === clsName) : undefined;
  return { module: assignments(p.module.body), ...(c ? { cls: assignments(c.body) } : {}) };
}

const strings = (v: Val): string[] | null => {
  if (v === null) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return null;
};

// ───────────────────────────── Alembic ─────────────────────────────

interface Rev {
  path: string;
  revision: string;
  down: string[];
  depends: string[];
  labels: string[];
}

/** Alembic's script directory: the folder above `versions/` (version_locations otherwise: the file's folder). */
function alembicRoot(path: string): string {
  const parts = path.split('/');
  const i = parts.lastIndexOf('versions');
  return i > 0 ? parts.slice(0, i).join('/') : i === 0 ? '' : dirOf(path);
}

export function planAlembic(files: Src[]): MigrationSet[] {
  const byRoot = new Map<string, Src[]>();
  for (const f of files) {
    const r = alembicRoot(f.path);
    if (!byRoot.has(r)) byRoot.set(r, []);
    byRoot.get(r)!.push(f);
  }
  return [...byRoot].map(([root, list]) => alembicSet(root, list));
}

function alembicSet(root: string, list: Src[]): MigrationSet {
  const set: MigrationSet = { framework: 'alembic', root, entries: [], problems: [] };
  const revs: Rev[] = [];
  // Alembic loads the files in sorted file-name order (Script._list_py_dir sorts); that order is
  // also this module's tie-break between branches.
  for (const f of [...list].sort((a, b) => cmpStr(a.path, b.path))) {
    const parsed = readFile(f.text());
    if ('error' in parsed) {
      set.problems.push({ kind: 'unreadable', path: f.path, message: `Python syntax error (${parsed.error}): its place in the revision graph is unknown.` });
      continue;
    }
    const names = parsed.module;
    const rev = strings(literal(names.get('revision'), names));
    const down = strings(literal(names.get('down_revision'), names));
    const deps = names.has('depends_on') ? strings(literal(names.get('depends_on'), names)) : [];
    const labels = names.has('branch_labels') ? strings(literal(names.get('branch_labels'), names)) : [];
    if (!rev || rev.length !== 1 || !down) {
      set.problems.push({ kind: 'unreadable', path: f.path, message: `revision / down_revision are not literals: its place in the revision graph is unknown.` });
      continue;
    }
    if (!deps || !labels) set.problems.push({ kind: 'unreadable', path: f.path, message: 'depends_on / branch_labels are not literals: ignored.' });
    revs.push({ path: f.path, revision: rev[0], down, depends: deps ?? [], labels: labels ?? [] });
  }
  const byId = new Map<string, Rev>();
  for (const r of revs) {
    const prev = byId.get(r.revision);
    if (prev) set.problems.push({ kind: 'duplicate', path: r.path, message: `revision ${r.revision} is also declared in ${baseOf(prev.path)}: Alembic refuses to load the scripts.` });
    else byId.set(r.revision, r);
  }
  const byLabel = new Map<string, Rev>();
  for (const r of byId.values()) for (const l of r.labels) byLabel.set(l, r);
  // A reference is a full id, a unique id prefix, or (depends_on) a branch label.
  const resolve = (ref: string, labels: boolean): Rev | undefined => {
    const exact = byId.get(ref) ?? (labels ? byLabel.get(ref) : undefined);
    if (exact) return exact;
    const pre = [...byId.keys()].filter((k) => k.startsWith(ref));
    return pre.length === 1 && ref.length >= 4 ? byId.get(pre[0]) : undefined;
  };
  const parents = new Map<Rev, Rev[]>();
  for (const r of byId.values()) {
    const ps: Rev[] = [];
    for (const d of r.down) {
      const p = resolve(d, false);
      if (p) ps.push(p);
      else set.problems.push({ kind: 'missing', path: r.path, message: `down_revision ${d} is not among the revisions.` });
    }
    for (const d of r.depends) {
      const p = resolve(d, true);
      if (p) ps.push(p);
      else set.problems.push({ kind: 'missing', path: r.path, message: `depends_on ${d} is not among the revisions.` });
    }
    parents.set(r, ps);
  }
  const order = dfsOrder(
    [...byId.values()],
    (r) => parents.get(r)!,
    (a, b) => cmpStr(a.path, b.path),
    (cyc) => set.problems.push({ kind: 'cycle', path: cyc[0].path, message: `revision cycle: ${cycleText(cyc.map((r) => r.revision))}.` }),
  );
  const heads = [...byId.values()].filter((r) => ![...parents.values()].some((ps) => ps.includes(r)));
  if (heads.length > 1) set.problems.push({ kind: 'note', message: `${heads.length} heads (${heads.map((h) => h.revision).join(', ')}): branches are ordered depth-first, heads and parents in file-name order.` });
  for (const r of order) set.entries.push({ path: r.path, role: 'up', id: r.revision });
  return set;
}

/**
 * Depth-first post-order from the heads (nodes nobody depends on): every node after all of its
 * parents; one branch is finished before the next is started; heads and parents are visited in
 * `cmp` order. Cycles are reported once each and broken where they close.
 */
function dfsOrder<T>(nodes: T[], parentsOf: (n: T) => T[], cmp: (a: T, b: T) => number, onCycle: (c: T[]) => void): T[] {
  const out: T[] = [];
  const state = new Map<T, 1 | 2>();
  const hasChild = new Set<T>();
  for (const n of nodes) for (const p of parentsOf(n)) hasChild.add(p);
  const starts = [...nodes.filter((n) => !hasChild.has(n)).sort(cmp), ...[...nodes].sort(cmp)];
  for (const s of starts) {
    if (state.has(s)) continue;
    // Iterative (histories of thousands of steps would overflow the stack).
    const stack: Array<{ n: T; ps: T[]; i: number }> = [{ n: s, ps: [...parentsOf(s)].sort(cmp), i: 0 }];
    state.set(s, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i < top.ps.length) {
        const p = top.ps[top.i++];
        const st = state.get(p);
        if (st === 1) {
          const from = stack.findIndex((x) => x.n === p);
          onCycle(stack.slice(from).map((x) => x.n));
        } else if (!st) {
          state.set(p, 1);
          stack.push({ n: p, ps: [...parentsOf(p)].sort(cmp), i: 0 });
        }
      } else {
        state.set(top.n, 2);
        out.push(top.n);
        stack.pop();
      }
    }
  }
  return out;
}

// ───────────────────────────── Django ─────────────────────────────

interface Mig {
  path: string;
  app: string;
  name: string;
  key: string;
  deps: Array<[string, string]>;
  swappable: string[];
  replaces: Array<[string, string]>;
  runBefore: Array<[string, string]>;
}

const keyOf = (app: string, name: string) => `${app}.${name}`;

export interface DjangoOptions {
  /** Changed paths: a replaced migration among them keeps the replaced chain (see below). */
  changed?: Set<string>;
  /** Other Python files given (settings, apps.py): read for AUTH_USER_MODEL and app labels. */
  extra?: Src[];
}

/**
 * Django: one set for the whole project (dependencies cross apps). Migrations are the modules of
 * each `<app>/migrations/` package that define `class Migration` (django.db.migrations.loader).
 * The order is the one `manage.py migrate` uses on an empty database: the leaf node of every app,
 * sorted, each expanded by MigrationGraph.forwards_plan (iterative DFS over `sorted(parents)`),
 * skipping what is already planned (MigrationExecutor.migration_plan).
 *
 * Squashed migrations (`replaces`): on an empty database none of the replaced migrations is
 * applied, so Django uses the squash and repoints every reference to a replaced migration at it
 * (MigrationGraph.remove_replaced_nodes); replaced files that are present are left out of the
 * order. Exception: when a replaced file is itself under review, it only runs on a database that
 * applied part of the chain, where Django drops the squash instead (remove_replacement_node); we
 * do the same so that the edited file has its real predecessors.
 */
export function planDjango(files: Src[], opts: DjangoOptions = {}): MigrationSet {
  const problems: HistoryProblem[] = [];
  const dirs = [...new Set(files.map((f) => f.dir))].sort();
  // App labels: apps.py `label = "…"` when given, else the label the app's own migrations use for
  // their siblings (`("wagtailcore", "0001_initial")` inside wagtail/migrations), else the folder name.
  const migs: Mig[] = [];
  const pending: Array<{ f: Src; cls: Names; names: Names }> = [];
  for (const f of files) {
    const p = readFile(f.text(), 'Migration');
    if ('error' in p) {
      problems.push({ kind: 'unreadable', path: f.path, message: `Python syntax error (${p.error}): its place in the migration graph is unknown.` });
      continue;
    }
    if (!p.cls) continue; // a helper module (Django would refuse a module without Migration; helpers live in subpackages)
    pending.push({ f, cls: p.cls, names: merged(p.module, p.cls) });
  }
  const label = new Map<string, string>();
  const appsPy = new Map((opts.extra ?? []).filter((f) => f.name === 'apps.py').map((f) => [f.dir, f]));
  const siblings = new Map<string, Set<string>>();
  for (const { f } of pending) {
    if (!siblings.has(f.dir)) siblings.set(f.dir, new Set());
    siblings.get(f.dir)!.add(f.name.replace(/\.py$/, ''));
  }
  const pairsOf = (v: Val): Array<[string, string]> => (Array.isArray(v) ? v.filter((x): x is [string, string] => Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string') as any : []);
  // A renamed app's first migration `replaces` the old label's: that label is not this app's.
  const replacedLabels = new Map<string, Set<string>>();
  // (A rename replaces the migration of the same name: account/0001_initial replaces
  // userprofile/0001_initial; a squash replaces other names of its own app, which stays a candidate.)
  for (const { f, cls, names } of pending) {
    for (const [a, n] of pairsOf(literal(cls.get('replaces'), names))) {
      if (n !== f.name.replace(/\.py$/, '')) continue;
      if (!replacedLabels.has(f.dir)) replacedLabels.set(f.dir, new Set());
      replacedLabels.get(f.dir)!.add(a);
    }
  }
  const votes = new Map<string, Map<string, number>>();
  for (const { f, cls, names } of pending) {
    for (const [a, n] of pairsOf(literal(cls.get('dependencies'), names))) {
      if (!siblings.get(f.dir)!.has(n)) continue;
      const m = votes.get(f.dir) ?? new Map<string, number>();
      m.set(a, (m.get(a) ?? 0) + 1);
      votes.set(f.dir, m);
    }
  }
  for (const d of dirs) {
    const appDir = dirOf(d);
    const apps = appsPy.get(appDir);
    const declared = apps ? /^\s+label\s*=\s*["']([A-Za-z_]\w*)["']/m.exec(apps.text())?.[1] : undefined;
    const cands = [...(votes.get(d) ?? new Map<string, number>())];
    const own = cands.filter(([l]) => !replacedLabels.get(d)?.has(l));
    // The folder name is Django's default label: taken whenever the migrations use it.
    const voted = own.some(([l]) => l === baseOf(appDir)) ? baseOf(appDir) : (own.length ? own : cands).sort((a, b) => b[1] - a[1] || cmpStr(a[0], b[0]))[0]?.[0];
    label.set(d, declared ?? voted ?? baseOf(appDir));
  }
  // settings.AUTH_USER_MODEL and other swappable settings, from a settings module when given.
  const settings = new Map<string, string>();
  for (const f of opts.extra ?? []) {
    for (const m of f.text().matchAll(/^([A-Z][A-Z0-9_]*_MODEL)\s*=\s*["']([A-Za-z_]\w*)\.(\w+)["']/gm)) settings.set(m[1], m[2]);
  }
  const seenSettings = (opts.extra ?? []).some((f) => /(^|\/)settings(\/|\.py$)|settings[^/]*\.py$/.test(f.path));

  for (const { f, cls, names } of pending) {
    const app = label.get(f.dir)!;
    const name = f.name.replace(/\.py$/, '');
    const m: Mig = { path: f.path, app, name, key: keyOf(app, name), deps: [], swappable: [], replaces: [], runBefore: [] };
    const read = (attr: string): Array<[string, string]> => {
      if (!cls.has(attr)) return [];
      const v = literal(cls.get(attr), names);
      if (v === UNKNOWN || !Array.isArray(v)) {
        problems.push({ kind: 'unreadable', path: f.path, message: `Migration.${attr} is not a literal list: ignored, so the order around this migration may be wrong.` });
        return [];
      }
      const out: Array<[string, string]> = [];
      for (const x of v) {
        if (Array.isArray(x) && x.length === 2 && typeof x[0] === 'string' && typeof x[1] === 'string') out.push([x[0], x[1]]);
        else if (x && typeof x === 'object' && 'call' in x && /(^|\.)swappable_dependency$/.test(x.call) && x.args.length === 1) {
          const a = x.args[0];
          const setting = a && typeof a === 'object' && 'attr' in a ? a.attr.replace(/^settings\./, '') : typeof a === 'string' ? a : '?';
          // swappable_dependency("app.Model") → (app, "__first__") (django.db.migrations.swappable_dependency).
          const target = typeof a === 'string' ? a.split('.')[0] : settings.get(setting) ?? (seenSettings && setting === 'AUTH_USER_MODEL' ? 'auth' : undefined);
          if (target) out.push([target, '__first__']);
          else m.swappable.push(setting);
        } else problems.push({ kind: 'unreadable', path: f.path, message: `an entry of Migration.${attr} is not an (app, name) pair: ignored.` });
      }
      return out;
    };
    m.deps = read('dependencies');
    m.replaces = read('replaces');
    m.runBefore = read('run_before');
    migs.push(m);
  }

  // The graph (django.db.migrations.graph): nodes, parent edges, dummy nodes for missing parents.
  const byKey = new Map<string, Mig>();
  for (const m of migs) {
    const prev = byKey.get(m.key);
    if (prev) problems.push({ kind: 'duplicate', path: m.path, message: `migration ${m.key} is also ${prev.path}.` });
    else byKey.set(m.key, m);
  }
  const appsKnown = new Set(migs.map((m) => m.app));
  const parents = new Map<string, Set<string>>();
  const edge = (child: string, parent: string) => {
    if (!parents.has(child)) parents.set(child, new Set());
    parents.get(child)!.add(parent);
  };
  for (const m of byKey.values()) parents.set(m.key, new Set());
  // root_nodes / leaf_nodes of an app, over the same-app edges (complete after the internal pass).
  const ends = new Map<string, { roots: string[]; leaves: string[] }>();
  const endsOf = (app: string) => {
    let e = ends.get(app);
    if (!e) {
      const inner = [...byKey.values()].filter((n) => n.app === app).map((n) => n.key);
      const innerSet = new Set(inner);
      const hasChild = new Set<string>();
      for (const k of inner) for (const p of parents.get(k)!) if (innerSet.has(p)) hasChild.add(p);
      e = {
        roots: inner.filter((k) => ![...parents.get(k)!].some((p) => innerSet.has(p))).sort(cmpStr),
        leaves: inner.filter((k) => !hasChild.has(k)).sort(cmpStr),
      };
      ends.set(app, e);
    }
    return e;
  };
  const external = new Set<string>();
  const dummies = new Map<string, string>(); // missing key → path that needs it
  // Internal dependencies first (same app, not __first__/__latest__), then the rest, as the loader does.
  const replacedKeys = new Set([...byKey.values()].flatMap((m) => m.replaces.map(([a, n]) => keyOf(a, n))));
  const resolveDep = (m: Mig, [app, name]: [string, string]): string | null => {
    if (replacedKeys.has(keyOf(app, name))) return keyOf(app, name); // repointed at its replacement below
    if (!appsKnown.has(app)) {
      if (!external.has(app)) {
        external.add(app);
        problems.push({ kind: 'external', path: m.path, message: `depends on app '${app}', which has no migrations among the files (Django contrib or a package): its tables are unknown to the history.` });
      }
      return null;
    }
    if (name === '__first__') return endsOf(app).roots[0] ?? null;
    if (name === '__latest__') return endsOf(app).leaves[0] ?? null;
    return keyOf(app, name);
  };
  for (const pass of [0, 1]) {
    for (const m of byKey.values()) {
      for (const d of m.deps) {
        const internal = d[0] === m.app && d[1] !== '__first__' && d[1] !== '__latest__';
        if ((pass === 0) !== internal) continue;
        const k = resolveDep(m, d);
        if (!k) continue;
        if (!byKey.has(k) && !dummies.has(k)) dummies.set(k, m.path);
        edge(m.key, k);
      }
      if (pass === 1) {
        for (const d of m.runBefore) {
          const k = resolveDep(m, d);
          if (k && byKey.has(k)) edge(k, m.key);
        }
        for (const s of m.swappable) problems.push({ kind: 'unresolved', path: m.path, message: `swappable_dependency(settings.${s}) cannot be resolved without the project's settings: that dependency is left out.` });
      }
    }
  }
  // Replacements (squashed migrations, renamed apps).
  const removed = new Set<string>();
  for (const m of [...byKey.values()].filter((x) => x.replaces.length)) {
    const replaced = m.replaces.map(([a, n]) => keyOf(a, n));
    const editedReplaced = replaced.filter((k) => byKey.has(k) && opts.changed?.has(byKey.get(k)!.path));
    if (editedReplaced.length) {
      // remove_replacement_node: the squash goes, its dependents point at the last replaced one.
      const last = replaced[replaced.length - 1];
      for (const [c, ps] of parents) if (ps.delete(m.key)) ps.add(last);
      parents.delete(m.key);
      removed.add(m.key);
      problems.push({ kind: 'note', path: m.path, message: `${m.key} is not used: a migration it replaces is under review, so the replaced chain is ordered instead.` });
      continue;
    }
    const present = replaced.filter((k) => byKey.has(k));
    for (const k of replaced) {
      // Children of a replaced node depend on the replacement; its parents become the replacement's.
      for (const [c, ps] of parents) {
        if (c === m.key || !ps.has(k)) continue;
        ps.delete(k);
        if (!replaced.includes(c)) ps.add(m.key);
      }
      for (const p of parents.get(k) ?? []) if (!replaced.includes(p) && p !== m.key) parents.get(m.key)!.add(p);
      parents.delete(k);
      dummies.delete(k);
      if (byKey.has(k)) removed.add(k);
    }
    if (present.length) problems.push({ kind: 'note', path: m.path, message: `squashed migration ${m.key} is used (an empty database applies it instead of the ${present.length} replaced file(s) present).` });
  }
  for (const [k, path] of dummies) problems.push({ kind: 'missing', path, message: `dependency ${k} is not among the migrations.` });
  const nodes = [...byKey.keys()].filter((k) => !removed.has(k));
  const live = new Set(nodes);
  const parentList = new Map(nodes.map((k) => [k, [...(parents.get(k) ?? [])].filter((p) => live.has(p)).sort(cmpStr)]));
  const parentsOf = (k: string) => parentList.get(k) ?? [];
  // Cycles (Django: CircularDependencyError).
  cycles(nodes, parentsOf, (c) => problems.push({ kind: 'cycle', path: byKey.get(c[0])?.path, message: `dependency cycle: ${cycleText(c)}.` }));
  // migration_plan(leaf_nodes()) with forwards_plan = iterative DFS over sorted parents.
  const appOf = (k: string) => byKey.get(k)!.app;
  const sameAppChild = new Set<string>();
  for (const c of nodes) for (const p of parentsOf(c)) if (appOf(p) === appOf(c)) sameAppChild.add(p);
  const leaves = nodes.filter((n) => !sameAppChild.has(n)).sort(cmpStr);
  const planned = new Set<string>();
  const order: string[] = [];
  // Nodes no leaf reaches (only in a cycle, where Django refuses to run) are still listed, in key order.
  for (const target of [...leaves, ...[...nodes].sort(cmpStr)]) {
    if (planned.has(target)) continue;
    const visited = new Set<string>();
    const expanded = new Set<string>(); // guards against cycles (Django refuses them before planning)
    const stack: Array<[string, boolean]> = [[target, false]];
    while (stack.length) {
      const [node, processed] = stack.pop()!;
      if (visited.has(node) || (!processed && expanded.has(node))) continue;
      if (!processed) expanded.add(node);
      if (processed) {
        visited.add(node);
        if (!planned.has(node)) planned.add(node), order.push(node);
      } else {
        stack.push([node, true]);
        for (const p of parentsOf(node)) stack.push([p, false]);
      }
    }
  }
  const root = commonDir(dirs.map((d) => dirOf(d)));
  return {
    framework: 'django',
    root,
    entries: order.map((k) => ({ path: byKey.get(k)!.path, role: 'up' as const, id: k })),
    problems,
  };
}

/** Tarjan's strongly connected components: each component of more than one node (or a self-loop) is a cycle. */
function cycles(nodes: string[], parentsOf: (k: string) => string[], report: (c: string[]) => void): void {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const on = new Set<string>();
  const st: string[] = [];
  for (const s of nodes) {
    if (idx.has(s)) continue;
    const work: Array<{ n: string; ps: string[]; i: number }> = [];
    const open = (n: string) => {
      idx.set(n, index), low.set(n, index++), st.push(n), on.add(n);
      work.push({ n, ps: parentsOf(n), i: 0 });
    };
    open(s);
    while (work.length) {
      const top = work[work.length - 1];
      if (top.i < top.ps.length) {
        const p = top.ps[top.i++];
        if (!idx.has(p)) open(p);
        else if (on.has(p)) low.set(top.n, Math.min(low.get(top.n)!, idx.get(p)!));
        continue;
      }
      work.pop();
      if (work.length) low.set(work[work.length - 1].n, Math.min(low.get(work[work.length - 1].n)!, low.get(top.n)!));
      if (low.get(top.n) === idx.get(top.n)) {
        const comp: string[] = [];
        let x: string;
        do {
          x = st.pop()!;
          on.delete(x);
          comp.push(x);
        } while (x !== top.n);
        if (comp.length > 1 || top.ps.includes(top.n)) report(comp.sort(cmpStr));
      }
    }
  }
}

function commonDir(dirs: string[]): string {
  if (!dirs.length) return '';
  let parts = dirs[0].split('/');
  for (const d of dirs.slice(1)) {
    const q = d.split('/');
    let i = 0;
    while (i < parts.length && i < q.length && parts[i] === q[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.join('/');
}

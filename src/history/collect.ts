// Which files of a tree make up the migration sets of some changed files: the adapters' shared
// part. Works over a TreeView (the disk for the CLI, the base commit's git tree for the action), so
// it stays free of I/O; the adapter reads the returned paths and calls finishHistory.
import { classify } from '../extract/kind.js';
import type { SourceFile } from '../types.js';
import { historyFor, planHistory } from './index.js';
import type { SetHistory } from './types.js';

export interface TreeView {
  /** Entry names of a directory ('' is the root), sorted; [] when absent. */
  list(dir: string): string[];
  kind(path: string): 'file' | 'dir' | null;
}

const SKIP = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv', '.tox', 'site-packages']);
const PROJECT_MARKERS = ['manage.py', 'pyproject.toml', 'setup.py', 'setup.cfg', '.git'];

const dirOf = (p: string) => (p.lastIndexOf('/') < 0 ? '' : p.slice(0, p.lastIndexOf('/')));
const baseOf = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const join = (d: string, n: string) => (d ? `${d}/${n}` : n);

/**
 * Paths (in `tree`) of the other files of each changed file's migration set: the set's
 * directory, walked up to its root (Prisma's migrations/, memos' dialect folder, sqitch's plan,
 * Alembic's versions/, a Django project's other apps for cross-app dependencies). At most `max`.
 */
export function historyPaths(changed: SourceFile[], tree: TreeView, max: number): { paths: string[]; capped: boolean } {
  const out = new Set<string>();
  const dirs = new Set<string>();
  const files = (d: string) => {
    if (dirs.has(d)) return;
    dirs.add(d);
    for (const n of tree.list(d)) if (tree.kind(join(d, n)) === 'file') out.add(join(d, n));
  };
  // A set's subfolders, walked once per set (not once per changed file in it: 163 changed Prisma
  // migrations would list and stat their 163 siblings each).
  const subdirs = new Set<string>();
  const filesBelow = (up: string) => {
    if (subdirs.has(up)) return;
    subdirs.add(up);
    for (const n of tree.list(up)) if (tree.kind(join(up, n)) === 'dir') files(join(up, n));
  };
  const projects = new Set<string>();
  const walkDjango = (root: string, depth: number) => {
    if (depth > 8 || out.size > max) return;
    for (const n of tree.list(root)) {
      const p = join(root, n);
      if (SKIP.has(n)) continue;
      const k = tree.kind(p);
      if (k === 'dir') {
        if (n === 'migrations' || n === 'settings') for (const f of tree.list(p)) /\.py$/.test(f) && !(n === 'migrations' && f.startsWith('_')) && out.add(join(p, f));
        else walkDjango(p, depth + 1);
      } else if (k === 'file' && (n === 'apps.py' || /^settings[^/]*\.py$/.test(n))) out.add(p);
    }
  };
  for (const f of changed) {
    const path = f.path;
    const d = dirOf(path);
    const up = dirOf(d);
    const name = baseOf(path);
    if (/\.py$/i.test(name)) {
      const text = typeof f.content === 'string' ? f.content : new TextDecoder().decode(f.content);
      const kind = classify(path, text);
      if (kind === 'alembic') {
        const parts = d.split('/');
        const i = parts.lastIndexOf('versions');
        files(i >= 0 ? parts.slice(0, i + 1).join('/') : d);
      } else if (baseOf(d) === 'migrations') {
        let root = up;
        for (let p = up, i = 0; i < 6; i++) {
          if (PROJECT_MARKERS.some((m) => tree.kind(join(p, m)) !== null)) {
            root = p;
            break;
          }
          // The top of the paths: '' or only `..` steps (src/cli/lift.ts), above which nothing is seen.
          if (!p || p === '.' || p === '/' || /^\.\.(\/\.\.)*$/.test(p)) break;
          p = dirOf(p);
        }
        if (!projects.has(root)) projects.add(root), walkDjango(root, 0);
      }
      continue;
    }
    if (name === 'migration.sql') {
      filesBelow(up);
      if (tree.kind(join(up, 'migration_lock.toml')) === 'file') out.add(join(up, 'migration_lock.toml'));
    } else if (/^\d+(\.\d+)+$/.test(baseOf(d)) && /^\d+__/.test(name)) {
      files(up);
      filesBelow(up);
    } else if (['deploy', 'revert', 'verify'].includes(baseOf(d)) && tree.kind(join(up, 'sqitch.plan')) === 'file') {
      for (const x of ['deploy', 'revert', 'verify']) files(join(up, x));
      out.add(join(up, 'sqitch.plan'));
    } else {
      files(d);
      if (tree.kind(join(d, 'meta/_journal.json')) === 'file') out.add(join(d, 'meta/_journal.json'));
    }
  }
  const given = new Set(changed.map((f) => f.path));
  const paths = [...out].filter((p) => !given.has(p)).sort();
  return { paths: paths.slice(0, max), capped: paths.length > max };
}

/** Order changed + read files; the history is every non-changed step that runs before the last changed one. */
export function finishHistory(changed: SourceFile[], read: SourceFile[]): { history: SourceFile[]; sets: SetHistory[] } {
  const all = [...changed, ...read];
  const paths = changed.map((f) => f.path);
  const sets = historyFor(paths, planHistory(all, { changed: paths }));
  const byPath = new Map(all.map((f) => [f.path, f]));
  const seen = new Set<string>();
  const history: SourceFile[] = [];
  for (const h of sets) {
    for (const step of h.run) {
      if (step.changed || seen.has(step.path)) continue;
      seen.add(step.path);
      const f = byPath.get(step.path);
      // The set's dialect (Prisma's migration_lock.toml) travels with its files.
      if (f) history.push(!f.dialectHint && h.set.dialect && h.set.framework === 'prisma' ? { ...f, dialectHint: h.set.dialect } : f);
    }
  }
  return { history, sets };
}

/** Small, stable JSON summary of the history found per set (CLI JSON `history`, action report). */
export function historySummary(sets: SetHistory[]): unknown[] {
  return sets.map((s) => ({
    framework: s.set.framework,
    root: s.set.root,
    ...(s.set.dialect ? { dialect: s.set.dialect } : {}),
    ...(s.set.variant ? { variant: s.set.variant } : {}),
    changed: s.changed.length,
    before: s.before.length,
    ...(s.before.length ? { last: s.before[s.before.length - 1] } : {}),
    problems: s.set.problems.map((p) => ({ kind: p.kind, ...(p.path ? { path: p.path } : {}), message: p.message })),
  }));
}

// The CLI's history adapter: for migration files given on the command line, read the rest of
// their migration set from disk (walking up to the set's root) and order it with src/history.
// The files before the changed ones become the engine's `history`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { toPosix } from '../discover.js';
import { classify } from '../extract/kind.js';
import { historyFor, planHistory, type MigrationSet, type SetHistory } from '../history/index.js';
import type { SourceFile } from '../types.js';

/** Bounds of what history reading may pull from disk (a history larger than this is cut, with a problem). */
export const MAX_HISTORY_FILES = 10_000;
export const MAX_HISTORY_BYTES = 200 * 1024 * 1024;
const SKIP = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv', '.tox', 'site-packages', 'dist', 'build']);
const PROJECT_MARKERS = ['manage.py', 'pyproject.toml', 'setup.py', 'setup.cfg', '.git'];

export interface CliHistory {
  /** History files (not under review), in run order per set. */
  history: SourceFile[];
  sets: SetHistory[];
  /** Problems of reading (limits hit). */
  notes: string[];
}

/** Small JSON summary of the history found, per set (the CLI's `history` section). */
export function historySummary(h: CliHistory): unknown[] {
  return h.sets.map((s) => ({
    framework: s.set.framework,
    root: s.set.root,
    ...(s.set.dialect ? { dialect: s.set.dialect } : {}),
    ...(s.set.variant ? { variant: s.set.variant } : {}),
    changed: s.changed.length,
    before: s.before.length,
    ...(s.before.length ? { last: s.before[s.before.length - 1] } : {}),
    problems: s.set.problems.filter((p) => p.kind !== 'note' || s.set.framework !== 'django').map((p) => ({ kind: p.kind, ...(p.path ? { path: p.path } : {}), message: p.message })),
  }));
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};
const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** Directories (absolute or cwd-relative, as given) whose files form the set of `file`, and single extra files. */
function setSources(file: string, text: string): { dirs: string[]; files: string[]; djangoProject?: string } {
  const d = dirname(file);
  const name = file.slice(d.length + 1);
  const up = dirname(d);
  if (/\.py$/i.test(name)) {
    const kind = classify(toPosix(file), text);
    if (kind === 'alembic') {
      const parts = toPosix(d).split('/');
      const i = parts.lastIndexOf('versions');
      return { dirs: [i >= 0 ? parts.slice(0, i + 1).join('/') || '/' : d], files: [] };
    }
    if (/(^|[/\\])migrations$/.test(d)) {
      // Django: the project root (manage.py / pyproject / setup / .git), at most 6 levels up.
      let root = up;
      for (let p = up, i = 0; i < 6; i++, p = dirname(p)) {
        if (PROJECT_MARKERS.some((m) => existsSync(join(p, m)))) {
          root = p;
          break;
        }
        if (dirname(p) === p) break;
      }
      return { dirs: [], files: [], djangoProject: root };
    }
    return { dirs: [], files: [] };
  }
  if (name === 'migration.sql') return { dirs: listDir(up).map((x) => join(up, x)).filter(isDir), files: [join(up, 'migration_lock.toml')] };
  if (/^\d+(\.\d+)+$/.test(d.slice(up.length + 1)) && /^\d+__/.test(name)) return { dirs: [up, ...listDir(up).map((x) => join(up, x)).filter(isDir)], files: [] };
  const base = d.slice(up.length + 1);
  if (['deploy', 'revert', 'verify'].includes(base) && isFile(join(up, 'sqitch.plan'))) return { dirs: ['deploy', 'revert', 'verify'].map((x) => join(up, x)), files: [join(up, 'sqitch.plan'), join(up, 'sqitch.conf')] };
  const journal = join(d, 'meta', '_journal.json');
  return { dirs: [d], files: isFile(journal) ? [journal] : [] };
}

/** Walk a Django project for `migrations/` packages, settings modules and apps.py. */
function djangoFiles(root: string, out: string[], depth = 0): void {
  if (depth > 8 || out.length > MAX_HISTORY_FILES) return;
  for (const e of listDir(root)) {
    const p = join(root, e);
    if (SKIP.has(e)) continue;
    if (isDir(p)) {
      if (e === 'migrations') for (const f of listDir(p)) /\.py$/.test(f) && !f.startsWith('_') && out.push(join(p, f));
      else if (e === 'settings') for (const f of listDir(p)) /\.py$/.test(f) && out.push(join(p, f));
      else djangoFiles(p, out, depth + 1);
    } else if (e === 'apps.py' || /^settings[^/]*\.py$/.test(e)) out.push(p);
  }
}

/**
 * History for `files` (what the CLI will judge): every other file of their sets on disk. Paths
 * are made the way discoverFiles makes them (relative to the working directory).
 */
export function readHistory(files: SourceFile[], cwd = process.cwd()): CliHistory {
  const notes: string[] = [];
  const rel = (p: string) => toPosix(relative(cwd, p) || p);
  const given = new Map(files.map((f) => [f.path, f]));
  const paths = new Set<string>();
  const dirsDone = new Set<string>();
  const projects = new Set<string>();
  for (const f of files) {
    const text = typeof f.content === 'string' ? f.content : new TextDecoder().decode(f.content);
    const src = setSources(f.path, text);
    for (const d of src.dirs) {
      if (dirsDone.has(d)) continue;
      dirsDone.add(d);
      for (const e of listDir(d)) {
        const p = join(d, e);
        if (isFile(p)) paths.add(p);
      }
    }
    for (const p of src.files) if (isFile(p)) paths.add(p);
    if (src.djangoProject && !projects.has(src.djangoProject)) {
      projects.add(src.djangoProject);
      const out: string[] = [];
      djangoFiles(src.djangoProject, out);
      for (const p of out) paths.add(p);
    }
  }
  const all: SourceFile[] = [...files];
  let bytes = 0;
  let count = 0;
  for (const p of [...paths].sort()) {
    const r = rel(p);
    if (given.has(r)) continue;
    if (count >= MAX_HISTORY_FILES || bytes >= MAX_HISTORY_BYTES) {
      notes.push(`history cut at ${count} files / ${Math.round(bytes / 1048576)} MB: earlier migrations beyond that are not part of the history.`);
      break;
    }
    let content: Buffer;
    try {
      content = readFileSync(p);
    } catch {
      notes.push(`cannot read ${r}: left out of the history.`);
      continue;
    }
    count++;
    bytes += content.length;
    all.push({ path: r, content });
  }
  const changed = files.map((f) => f.path);
  const sets: MigrationSet[] = planHistory(all, { changed });
  const hist = historyFor(changed, sets);
  const byPath = new Map(all.map((f) => [f.path, f]));
  const seen = new Set<string>();
  const history: SourceFile[] = [];
  for (const h of hist) {
    for (const step of h.run) {
      if (step.changed || seen.has(step.path)) continue;
      seen.add(step.path);
      const f = byPath.get(step.path);
      // The set's dialect (Prisma's migration_lock.toml) travels with its files, as discoverFiles does for the judged ones.
      if (f) history.push(!f.dialectHint && h.set.dialect && h.set.framework === 'prisma' ? { ...f, dialectHint: h.set.dialect } : f);
    }
  }
  return { history, sets: hist, notes };
}

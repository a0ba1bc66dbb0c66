// History discovery (issue 7, part 1): group migration files into sets and order each set as its
// runner would, then tell for changed files which migrations run before them. Pure: no file
// system, no GitHub; the CLI (src/cli/history.ts) and the action (src/action/history.ts) feed it.
import { classify } from '../extract/kind.js';
import type { SourceFile } from '../types.js';
import { planAlembic, planDjango } from './python.js';
import { baseOf, dirOf, planSql, type Src } from './sql.js';
import type { HistoryStep, MigrationSet, SetHistory } from './types.js';

export type * from './types.js';

const decoder = new TextDecoder();

function norm(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

function toSrc(f: SourceFile): Src {
  const path = norm(f.path);
  let text: string | undefined;
  return {
    path,
    dir: dirOf(path),
    name: baseOf(path),
    dialectHint: f.dialectHint,
    text: () => (text ??= typeof f.content === 'string' ? f.content : decoder.decode(f.content)),
    // The first `chars` characters without decoding the whole file (a directory beside a big file):
    // 4 bytes hold at least one UTF-16 unit, and a cut sequence at the end decodes past them.
    head: (chars) => {
      if (text !== undefined) return text.slice(0, chars);
      if (typeof f.content === 'string') return f.content.slice(0, chars);
      return decoder.decode(f.content.subarray(0, chars * 4 + 4)).slice(0, chars);
    },
  };
}

export interface PlanOptions {
  /** Paths under review: only Django uses them (a replaced migration under review keeps its chain). */
  changed?: string[];
}

/**
 * Group `files` (the changed files and the history files together) into migration sets, each
 * ordered as its runner orders it. Files that belong to no set are left out. Never throws:
 * cycles, missing parents, duplicates and unreadable files are in each set's `problems`.
 */
export function planHistory(files: SourceFile[], opts: PlanOptions = {}): MigrationSet[] {
  const srcs = files.map(toSrc);
  const all = new Map(srcs.map((s) => [s.path, s]));
  const py = srcs.filter((s) => /\.py$/i.test(s.name));
  const alembic: Src[] = [];
  const django: Src[] = [];
  const extra: Src[] = [];
  for (const s of py) {
    const kind = classify(s.path, s.text());
    if (kind === 'alembic') alembic.push(s);
    // Django loads every module of the migrations package, not only NNNN_*.py.
    else if (/(^|\/)migrations\/[^/_~][^/]*\.py$/.test(s.path) && !/\bdown_revision\b/.test(s.text()) && /\bclass\s+Migration\b/.test(s.text())) django.push(s);
    else extra.push(s);
  }
  const sets: MigrationSet[] = [];
  sets.push(...planSql(srcs.filter((s) => !/\.py$/i.test(s.name)), all).sets);
  if (alembic.length) sets.push(...planAlembic(alembic));
  if (django.length) sets.push(planDjango(django, { changed: new Set((opts.changed ?? []).map(norm)), extra }));
  return sets.filter((s) => s.entries.length || s.problems.length).sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : a.framework < b.framework ? -1 : 1));
}

/**
 * For each set that holds a changed file: the `up` steps that run before its first changed file,
 * the changed files in run order, and the whole run through the last changed file. A changed
 * `down` file's history is its own `up` and everything before it.
 */
export function historyFor(changed: string[], sets: MigrationSet[]): SetHistory[] {
  const want = new Set(changed.map(norm));
  const out: SetHistory[] = [];
  for (const set of sets) {
    const idx = set.entries.map((e, i) => (want.has(e.path) ? i : -1)).filter((i) => i >= 0);
    if (!idx.length) continue;
    // A changed down runs against the state after its up: place it there, and everything up to it.
    const last = Math.max(...idx);
    const run: HistoryStep[] = [];
    for (let i = 0; i <= last; i++) {
      const e = set.entries[i];
      const isChanged = want.has(e.path);
      if (e.role === 'up' || isChanged) run.push({ path: e.path, role: e.role, changed: isChanged });
    }
    const firstChanged = run.findIndex((s) => s.changed);
    out.push({
      set,
      before: run.slice(0, firstChanged).map((s) => s.path),
      changed: run.filter((s) => s.changed).map((s) => s.path),
      run,
    });
  }
  return out;
}

/** Every path a set's history needs, for adapters that fetch files (the migration directories). */
export function setDirectories(set: MigrationSet): string[] {
  return [...new Set(set.entries.map((e) => dirOf(e.path)))].sort();
}

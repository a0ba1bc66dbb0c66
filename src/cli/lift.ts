// Paths that keep their context when the CLI runs inside a migration set.
//
// The history planners (src/history/) and the path-based facts of a file (its kind, its dialect:
// src/extract/kind.ts, src/extract/dialect.ts) read the path lexically: a Prisma migration is
// `<migrations>/<folder>/migration.sql`, a Django migration sits in `migrations/`, an Alembic
// script directory is the folder above `versions/`, memos needs `<dialect>/<version>/`, a
// `mysql/` folder names the dialect. Run from inside such a folder, a path relative to the working
// directory (`20240101_x/migration.sql`) has lost those names, and the history silently vanished.
//
// The rule: the reference is the view from the top, the git work tree root above the working
// directory (without git: MAX_LIFT_NO_GIT levels up, at most to the file system root), where
// every name the planners need is inside the paths. A path is "lifted" L levels by writing it
// from the working directory's L-th ancestor, `../`×L + the path from there
// (`../migrations/20240101_x/migration.sql`): still a valid path relative to the working
// directory, so a user can open it, and the engine (which re-plans from the same paths) sees the
// same names. L is the smallest number of levels whose outcome (files selected by the globs,
// each file's kind and dialect, every history set with its files) is the same as from the top.
// From the work tree root, L is 0 without any comparison; above a set it is 0 whenever the
// paths already carry what the planners need, so the output is the same as without lifting.
import { existsSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import type { Config } from '../config/index.js';
import { DiscoverError, selectWalked, toPosix, type PathView, type WalkedArg } from '../discover/index.js';
import { detectDialect, pathFlavor, unsupportedDialect } from '../extract/dialect.js';
import { classify } from '../extract/kind.js';
import type { SourceFile } from '../types.js';
import { newDiskMemo, readHistory, type CliHistory } from './history.js';

/** Without a git work tree, how many levels up the top is at most. */
export const MAX_LIFT_NO_GIT = 8;

/** Levels from `cwd` up to the top: the nearest directory holding `.git`, else MAX_LIFT_NO_GIT (bounded by the file system root). */
export function maxLift(cwd: string): number {
  let levels = 0;
  for (let d = resolve(cwd); ; d = dirname(d), levels++) {
    if (existsSync(join(d, '.git'))) return levels;
    if (dirname(d) === d) break;
  }
  return Math.min(levels, MAX_LIFT_NO_GIT);
}

/** Paths written from `cwd`'s `levels`-th ancestor: `../`×levels + the path from there (relative to `cwd` for files outside it). */
export function liftView(cwd: string, levels: number): PathView {
  const abs = resolve(cwd);
  let base = abs;
  for (let i = 0; i < levels; i++) base = dirname(base);
  return {
    base,
    show: (f) => {
      const plain = toPosix(relative(abs, f) || f);
      if (!levels) return plain;
      const rel = toPosix(relative(base, resolve(abs, f)));
      if (!rel || rel === '..' || rel.startsWith('../') || posix.isAbsolute(rel) || rel.includes(':')) return plain;
      return '../'.repeat(levels) + rel;
    },
  };
}

export interface Lifted {
  files: SourceFile[];
  history?: CliHistory;
  levels: number;
}

const decoder = new TextDecoder();

/** What the path decides, with paths made absolute: equal outcomes are equal strings. */
function outcome(files: SourceFile[], history: CliHistory | undefined, cwd: string): string {
  const abs = (p: string | undefined) => (p === undefined ? null : resolve(cwd, p));
  const f = files
    .map((x) => [abs(x.path), classify(x.path, typeof x.content === 'string' ? x.content : decoder.decode(x.content)), detectDialect(x.path), unsupportedDialect(x.path), pathFlavor(x.path), x.dialectHint ?? null])
    .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
  const h = history && {
    files: history.history.map((x) => abs(x.path)),
    sets: history.sets.map((s) => [s.set.framework, abs(s.set.root), s.set.dialect ?? null, s.set.variant ?? null, s.before.map(abs), s.changed.map(abs), s.set.problems.map((p) => [p.kind, abs(p.path)])]),
  };
  return JSON.stringify({ f, h });
}

/**
 * The files (and their history when `withHistory`) under the smallest lift whose outcome is the
 * top's (see the rule above). A directory in which nothing is selected throws at the lift chosen.
 */
export async function chooseLift(args: WalkedArg[], config: Config, withHistory: boolean, cwd = process.cwd()): Promise<Lifted> {
  const memo = newDiskMemo();
  const at = async (levels: number): Promise<Lifted & { key: string }> => {
    let files: SourceFile[];
    try {
      files = selectWalked(args, config, liftView(cwd, levels));
    } catch (e) {
      if (e instanceof DiscoverError) return { files: [], levels, key: 'no files' };
      throw e;
    }
    const history = withHistory && files.length ? await readHistory(files, cwd, true, memo) : undefined;
    return { files, history, levels, key: outcome(files, history, cwd) };
  };
  const top = maxLift(cwd);
  if (top > 0) {
    const best = await at(top);
    // Nothing selected from the top either: the plain view decides (and names the error).
    if (best.key !== 'no files') {
      for (let l = 0; l < top; l++) {
        const here = await at(l);
        if (here.key === best.key) return here;
      }
      return best;
    }
  }
  const files = selectWalked(args, config, liftView(cwd, 0));
  return { files, levels: 0, ...(withHistory && files.length ? { history: await readHistory(files, cwd, true, memo) } : {}) };
}

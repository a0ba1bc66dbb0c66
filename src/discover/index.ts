// discover: which files are migrations. The globs are shared by the CLI (walking directories) and
// the action (selecting a pull request's changed files); reading the file system is CLI-only.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { minimatch } from 'minimatch';
import type { Config } from '../config/index.js';
import { prismaProvider } from '../extract/dialect.js';
import type { SourceFile } from '../types.js';

/**
 * Default selection. Every `.sql` file is a candidate: a dangerous script outside a migrations
 * folder is still run by someone, and missing it is worse than one extra review.
 */
export const DEFAULT_INCLUDE = [
  '**/*.sql',
  // Alembic (`versions/`), Django (`migrations/0001_x.py`)
  '**/versions/**/*.py',
  '**/alembic/env.py',
  '**/migrations/**/*.py',
  // Config files that may hold database credentials
  '**/alembic.ini',
  '**/.env',
  '**/.env.*',
  '**/schema.prisma',
  '**/flyway*.conf',
  '**/flyway*.toml',
  '**/liquibase*.properties',
  '**/atlas.hcl',
  '**/config/database.yml',
  '**/config/database.yaml',
  '**/knexfile.{js,cjs,mjs,ts}',
  '**/ormconfig.*',
  '**/drizzle.config.*',
  '**/appsettings*.json',
  '**/application*.properties',
  '**/application*.{yml,yaml}',
];

/**
 * A package's `__init__.py` under versions/ is not a revision (Alembic's script directory skips
 * `__init__` files). Django's `migrations/__init__.py` is different: `migrate` imports the
 * migrations package (django.db.migrations.loader.MigrationLoader → import_module), so code in it
 * runs and it is selected; deeper `__init__.py` files are not (the loader does not recurse).
 */
export const DEFAULT_EXCLUDE = ['**/node_modules/**', '**/.git/**', '**/__pycache__/**', '**/migrations/*/**/__init__.py', '**/versions/**/__init__.py'];

// nocase: `V1__Init.SQL` is as much a migration as `v1__init.sql` (case-insensitive file systems).
const OPTS = { dot: true, nocase: true, matchBase: false } as const;

export function toPosix(p: string): string {
  return p.split(sep).join('/').replace(/\\/g, '/');
}

/** Is this path selected by the config's include/exclude globs (or the defaults)? */
export function isSelected(path: string, config: Config = {}): boolean {
  // Globs match inside the tree: leading `./`, `../` and `/` are not part of a migration's path.
  const p = toPosix(path).replace(/^(\.{1,2}\/)+|^\/+/g, '').replace(/^(\.{1,2}\/)+/, '');
  const include = config.include ?? DEFAULT_INCLUDE;
  const exclude = [...DEFAULT_EXCLUDE, ...(config.exclude ?? [])];
  return include.some((g) => minimatch(p, g, OPTS)) && !exclude.some((g) => minimatch(p, g, OPTS));
}

export class DiscoverError extends Error {
  override name = 'DiscoverError';
}

const SKIP_DIRS = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv']);

/**
 * .gitignore rules in force in one directory: `base` is the directory of the .gitignore file.
 * Git's semantics (gitignore(5)): a pattern is relative to its file's directory, a deeper file
 * overrides a shallower one (so `!keep.sql` below re-includes), and an ignored directory is not
 * entered. The `ignore` package implements the pattern syntax; the layering is ours.
 */
interface IgnoreLayer {
  base: string;
  ig: Ignore;
}

/**
 * What git says about a walked directory. .gitignore applies only to untracked files: a tracked
 * file that a pattern matches (added with `git add -f`, or before the pattern) is still in every
 * checkout and still deployed, so it is still checked. Without git (not a work tree, no git
 * binary, a repository git refuses to read) nothing is ignored: we check more, never less.
 */
interface GitView {
  /** Absolute paths of tracked files, and every directory above one. */
  tracked: Set<string>;
  trackedDirs: Set<string>;
  layers: IgnoreLayer[];
}

function readIgnore(file: string, base: string): IgnoreLayer | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null; // no such file (or unreadable): no rules
  }
  return { base, ig: ignore().add(text) };
}

function gitView(dir: string): GitView | null {
  let out: string;
  try {
    out = execFileSync('git', ['-C', dir, 'ls-files', '-z', '--cached'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30 });
  } catch {
    return null;
  }
  const base = resolve(dir);
  const tracked = new Set<string>();
  const trackedDirs = new Set<string>();
  for (const rel of out.split('\0')) {
    if (!rel) continue;
    const abs = resolve(base, rel);
    tracked.add(abs);
    for (let d = dirname(abs); d.length >= base.length && !trackedDirs.has(d); d = dirname(d)) trackedDirs.add(d);
  }
  // The layers above `dir`: the work tree root's .git/info/exclude and every .gitignore from the
  // root down to `dir`'s parent (`dir`'s own is read by the walk).
  const chain: string[] = [];
  let root: string | null = null;
  for (let d = base; ; d = dirname(d)) {
    chain.push(d);
    if (existsSync(join(d, '.git'))) {
      root = d;
      break;
    }
    if (dirname(d) === d) break;
  }
  const layers: IgnoreLayer[] = [];
  if (root) {
    const exclude = readIgnore(join(root, '.git', 'info', 'exclude'), root);
    if (exclude) layers.push(exclude);
    for (const d of chain.reverse().slice(0, -1)) {
      const l = readIgnore(join(d, '.gitignore'), d);
      if (l) layers.push(l);
    }
  }
  return { tracked, trackedDirs, layers };
}

function isIgnored(path: string, isDir: boolean, layers: IgnoreLayer[], git: GitView): boolean {
  if (isDir ? git.trackedDirs.has(path) : git.tracked.has(path)) return false;
  for (let i = layers.length - 1; i >= 0; i--) {
    const rel = toPosix(relative(layers[i].base, path));
    if (!rel || rel.startsWith('..')) continue;
    const r = layers[i].ig.test(isDir ? rel + '/' : rel);
    if (r.ignored) return true;
    if (r.unignored) return false;
  }
  return false;
}

/**
 * Every file under `dir` that git would not ignore, sorted. Symbolic links are followed (a linked
 * migration is still applied); a directory reached twice through links is walked once.
 */
function walkDir(dir: string, out: string[], git: GitView | null, layers: IgnoreLayer[], seenDirs = new Set<string>()): void {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch (e) {
    throw new DiscoverError(`cannot read directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (seenDirs.has(real)) return;
  seenDirs.add(real);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new DiscoverError(`cannot read directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const own = git ? readIgnore(join(dir, '.gitignore'), resolve(dir)) : null;
  const here = own ? [...layers, own] : layers;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const st = statSync(p);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        // A dangling link: nothing to read. Taken as a file so a selected one is reported, not skipped.
        isFile = true;
      }
    }
    if (git && (isDir || isFile) && isIgnored(resolve(p), isDir, here, git)) continue;
    if (isDir) {
      if (!SKIP_DIRS.has(e.name)) walkDir(p, out, git, here, seenDirs);
    } else if (isFile) out.push(p);
  }
}

/** The path the globs see: relative to the working directory when inside it, else as given. */
export function globPath(file: string, cwd = process.cwd()): string {
  const rel = relative(cwd, file);
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return toPosix(rel);
  return toPosix(file);
}

/** Prisma: `migrations/<name>/migration.sql` takes its dialect from `migrations/migration_lock.toml`. */
function prismaHint(file: string, cache: Map<string, SourceFile['dialectHint'] | null>): SourceFile['dialectHint'] {
  if (!/[/\\]migration\.sql$/.test(file)) return undefined;
  const lock = join(dirname(dirname(file)), 'migration_lock.toml');
  if (!cache.has(lock)) {
    let hint: SourceFile['dialectHint'] | null = null;
    try {
      hint = prismaProvider(readFileSync(lock, 'utf8'));
    } catch {
      hint = null;
    }
    cache.set(lock, hint);
  }
  return cache.get(lock) ?? undefined;
}

/**
 * Files for the CLI: explicit files are always taken; directories are walked (honouring
 * .gitignore in a git work tree) and filtered by the globs. Throws DiscoverError for a path that does not exist and
 * for a directory in which nothing is selected (a mistyped path must not pass as "clean").
 */
export function discoverFiles(paths: string[], config: Config = {}): SourceFile[] {
  const picked: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new DiscoverError(`${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
    }
    if (st.isDirectory()) {
      const all: string[] = [];
      const git = gitView(p);
      walkDir(p, all, git, git?.layers ?? []);
      const selected = all.filter((f) => isSelected(globPath(f), config));
      if (!selected.length) {
        throw new DiscoverError(
          `${p}: no migration files in this directory (${all.length ? `${all.length} file(s), none matching the ${config.include ? 'configured include globs' : 'default globs'}` : 'it is empty'}); pass the migrations folder or the files themselves`,
        );
      }
      picked.push(...selected);
    } else picked.push(p);
  }
  const seen = new Set<string>();
  const cache = new Map<string, SourceFile['dialectHint'] | null>();
  const out: SourceFile[] = [];
  for (const f of picked) {
    const path = toPosix(relative(process.cwd(), f) || f);
    if (seen.has(path)) continue;
    seen.add(path);
    let content: Uint8Array;
    try {
      content = readFileSync(f);
    } catch (e) {
      throw new DiscoverError(`cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const hint = prismaHint(f, cache);
    out.push(hint ? { path, content, dialectHint: hint } : { path, content });
  }
  return out;
}

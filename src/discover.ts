// discover: which files are migrations. The globs are shared by the CLI (walking directories) and
// the action (selecting a pull request's changed files); reading the file system is CLI-only.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { minimatch } from 'minimatch';
import type { Config } from './config.js';
import { prismaProvider } from './extract/dialect.js';
import type { SourceFile } from './types.js';

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
 * Every file under `dir`, sorted. Symbolic links are followed (a linked migration is still
 * applied); a directory reached twice through links is walked once.
 */
function walkDir(dir: string, out: string[], seenDirs = new Set<string>()): void {
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
    if (isDir) {
      if (!SKIP_DIRS.has(e.name)) walkDir(p, out, seenDirs);
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
 * Files for the CLI: explicit files are always taken; directories are walked and filtered by
 * the globs. Throws DiscoverError for a path that does not exist.
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
      walkDir(p, all);
      for (const f of all) if (isSelected(globPath(f), config)) picked.push(f);
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

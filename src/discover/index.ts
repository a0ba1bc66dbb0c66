// discover: which files are migrations. The globs are shared by the CLI (walking directories) and
// the action (selecting a pull request's changed files); reading the file system is CLI-only.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { Minimatch } from 'minimatch';
import type { Config } from '../config/index.js';
import { prismaProvider } from '../extract/dialect.js';
import { mayHoldMigrations } from './symlink.js';
import type { LinkInfo, SourceFile } from '../types.js';

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
  // Files the migration tools and database clients read credentials from: sqitch's sqitch.conf
  // (target URIs), sql-migrate's dbconfig.yml, the Sequelize CLI's config/config.json, libpq's
  // .pgpass, the MySQL client's my.cnf, and Docker Compose files (the database service's password).
  '**/sqitch.conf',
  '**/dbconfig.{yml,yaml}',
  '**/config/config.json',
  '**/.pgpass',
  '**/{.my,my}.cnf',
  '**/{docker-compose,compose}*.{yml,yaml}',
  // Migrations in formats this review does not read, named as their runners find them: selected so
  // that they are reported as not verifiable (fail closed) instead of passing unseen. goose Go
  // migrations, golang-migrate files of any extension, Flyway script and custom-suffix migrations,
  // JavaScript/TypeScript migrations (knex, Sequelize, TypeORM) in a migrations folder.
  '**/[0-9]*_*.go',
  '**/[0-9]*_*.{up,down}.*',
  '**/{V,U}[0-9]*__*.*',
  '**/R__*.*',
  '**/migrations/**/[0-9]*{_,-}*.{js,cjs,mjs,ts}',
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
export function isSelected(path: string, config: Config = NO_CONFIG): boolean {
  // One answer per path and config: the action asks for each changed file, each change rule and each link.
  let memo = selections.get(config);
  if (!memo) selections.set(config, (memo = new Map()));
  let r = memo.get(path);
  if (r === undefined) {
    if (memo.size > 100_000) memo.clear();
    memo.set(path, (r = selectedBy(path, config)));
  }
  return r;
}

const NO_CONFIG: Config = Object.freeze({});
const selections = new WeakMap<Config, Map<string, boolean>>();

function selectedBy(path: string, config: Config): boolean {
  // Globs match inside the tree: leading `./`, `../` and `/` are not part of a migration's path.
  const p = toPosix(path).replace(/^(\.{1,2}\/)+|^\/+/g, '').replace(/^(\.{1,2}\/)+/, '');
  const include = config.include ?? DEFAULT_INCLUDE;
  return include.some((g) => glob(g).match(p)) && !DEFAULT_EXCLUDE.some((g) => glob(g).match(p)) && !(config.exclude ?? []).some((g) => glob(g).match(p));
}

/** Compiled globs: `minimatch(p, g)` compiles `g` again on every call, and the action asks per changed file and per change rule. */
const globs = new Map<string, Minimatch>();
function glob(g: string): Minimatch {
  let m = globs.get(g);
  if (!m) {
    if (globs.size > 10_000) globs.clear(); // globs come from configs: bound the cache
    globs.set(g, (m = new Minimatch(g, OPTS)));
  }
  return m;
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

/** A walked file; `link` when the path is a symbolic link (what it leads to, from the tree's point of view). */
export interface Walked {
  path: string;
  link?: LinkInfo;
  /** A link not followed (outside the tree, dangling, a loop): nothing behind it is read. */
  stop?: boolean;
}

/** The work tree root above `dir` (the directory holding `.git`), or null outside a git work tree. */
function workTreeRoot(dir: string): string | null {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return null;
  }
}

/**
 * A symbolic link as the runner meets it: the kernel follows it (realpath). Inside `root` (the git
 * work tree, else the directory walked) it is followed; out of it, dangling or a loop (ELOOP) it is
 * not followed and is reported by rules/migration-symlink.ts: its target is not part of what was
 * reviewed, and the runner would run whatever it finds there at deploy time.
 */
function classifyLink(p: string, root: string): { link: LinkInfo; real?: string; isDir?: boolean } {
  let target = '';
  try {
    target = readlinkSync(p);
  } catch {
    /* unreadable link text: still a link */
  }
  let real: string;
  try {
    real = realpathSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { link: { target, resolved: null, problem: code === 'ELOOP' ? 'loop' : 'dangling' } };
  }
  const rel = relative(root, real);
  if (rel.startsWith('..') || isAbsolute(rel)) return { link: { target, resolved: null, problem: 'outside' } };
  let isDir = false;
  try {
    isDir = statSync(real).isDirectory();
  } catch {
    return { link: { target, resolved: null, problem: 'dangling' } };
  }
  return { link: { target, resolved: isDir ? null : globPath(real), ...(isDir ? { problem: 'directory' as const } : {}) }, real, isDir };
}

/**
 * Every file under `dir` that git would not ignore, sorted. A symbolic link inside the tree is
 * followed (a linked migration is still applied: read as its target, and reported); a directory
 * reached twice through links (a loop) is walked once. A link out of the tree, dangling or in a
 * loop of links is not followed: it is listed with its `link` so that it is reported, never read.
 */
function walkDir(dir: string, out: Walked[], git: GitView | null, layers: IgnoreLayer[], root: string, seenDirs = new Set<string>()): void {
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
    let link: LinkInfo | undefined;
    if (e.isSymbolicLink()) {
      const c = classifyLink(p, root);
      if (c.real === undefined) {
        // Not followed: reported as a link (its own ignore status is the link's, as git's).
        if (!(git && isIgnored(resolve(p), false, here, git))) out.push({ path: p, link: c.link, stop: true });
        continue;
      }
      isDir = !!c.isDir;
      isFile = !isDir;
      if (isFile) link = c.link;
    }
    if (git && (isDir || isFile) && isIgnored(resolve(p), isDir, here, git)) continue;
    if (isDir) {
      if (!SKIP_DIRS.has(e.name)) walkDir(p, out, git, here, root, seenDirs);
    } else if (isFile) out.push(link ? { path: p, link } : { path: p });
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

/** How the CLI names files: the directory the globs see paths from, and the path a file is reported under. */
export interface PathView {
  /** Globs match a file's path relative to this directory when it is inside it (else as given). */
  base: string;
  /** The reported path of a file (as joined from the argument: relative to the working directory, or absolute). */
  show(file: string): string;
}

/** The default view: paths relative to the working directory. */
export function cwdView(cwd = process.cwd()): PathView {
  return { base: cwd, show: (f) => toPosix(relative(cwd, f) || f) };
}

/** One command-line path after walking: the files found under it (a directory) or itself (a file). */
export interface WalkedArg {
  arg: string;
  dir: boolean;
  /** Files under a directory argument, or the file itself. */
  found: Array<Walked & { content?: Uint8Array }>;
}

/**
 * Files for the CLI: explicit files are always taken; directories are walked (honouring
 * .gitignore in a git work tree) and filtered by the globs. Throws DiscoverError for a path that does not exist and
 * for a directory in which nothing is selected (a mistyped path must not pass as "clean").
 */
export function discoverFiles(paths: string[], config: Config = {}): SourceFile[] {
  return selectWalked(walkArgs(paths), config);
}

/** Walk the command-line paths (no selection yet: that depends on how paths are viewed, see selectWalked). */
export function walkArgs(paths: string[]): WalkedArg[] {
  const out: WalkedArg[] = [];
  for (const p of paths) {
    let lst;
    try {
      lst = lstatSync(p);
    } catch (e) {
      throw new DiscoverError(`${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
    }
    let st = lst;
    if (lst.isSymbolicLink()) {
      try {
        st = statSync(p);
      } catch {
        // A named link that leads nowhere: reported, not read.
        out.push({ arg: p, dir: false, found: [{ path: p, link: classifyLink(p, workTreeRoot(dirname(p)) ?? resolve(dirname(p))).link, stop: true }] });
        continue;
      }
    }
    if (st.isDirectory()) {
      const all: Walked[] = [];
      const git = gitView(p);
      const root = workTreeRoot(p) ?? realpathSync(p);
      walkDir(p, all, git, git?.layers ?? [], root);
      out.push({ arg: p, dir: true, found: all });
    } else if (lst.isSymbolicLink()) {
      // A file named on the command line that is a link: inside the tree it is read as its target and reported.
      const c = classifyLink(p, workTreeRoot(dirname(p)) ?? resolve(dirname(p)));
      out.push({ arg: p, dir: false, found: [c.real === undefined ? { path: p, link: c.link, stop: true } : { path: p, link: c.link }] });
    } else out.push({ arg: p, dir: false, found: [{ path: p }] });
  }
  return out;
}

/** The walked files the globs select (as seen from `view.base`), read, under their `view.show` paths. */
export function selectWalked(args: WalkedArg[], config: Config = {}, view: PathView = cwdView()): SourceFile[] {
  const picked: WalkedArg['found'] = [];
  const wanted = (w: Walked) => isSelected(globPath(w.path, view.base), config) || (!!w.stop && mayHoldMigrations(globPath(w.path, view.base), (x) => isSelected(x, config)));
  for (const a of args) {
    if (!a.dir) {
      picked.push(...a.found);
      continue;
    }
    const selected = a.found.filter(wanted);
    if (!selected.length) {
      throw new DiscoverError(
        `${a.arg}: no migration files in this directory (${a.found.length ? `${a.found.length} file(s), none matching the ${config.include ? 'configured include globs' : 'default globs'}` : 'it is empty'}); pass the migrations folder or the files themselves`,
      );
    }
    picked.push(...selected);
  }
  const seen = new Set<string>();
  const cache = new Map<string, SourceFile['dialectHint'] | null>();
  const out: SourceFile[] = [];
  for (const w of picked) {
    const f = w.path;
    const path = view.show(f);
    if (seen.has(path)) continue;
    seen.add(path);
    let content: Uint8Array = new Uint8Array();
    if (!w.stop) {
      try {
        content = w.content ??= readFileSync(f);
      } catch (e) {
        throw new DiscoverError(`cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
    const hint = prismaHint(f, cache);
    out.push({ path, content, ...(hint ? { dialectHint: hint } : {}), ...(w.link ? { link: w.link } : {}) });
  }
  return out;
}

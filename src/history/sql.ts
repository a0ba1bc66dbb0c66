// Ordering of the SQL-file frameworks. Each runner's rule is cited where it is applied; where two
// runners share a file naming, the order they give is the same and the set is named after the
// first that matches (golang-migrate before pop's dialect-less files, goose/dbmate by their markers).
import { parse as parseYaml } from 'yaml';
import { detectDialect, prismaProvider } from '../extract/dialect.js';
import type { Dialect } from '../types.js';
import { cmpDottedVersion, cmpInt, cmpStr } from './order.js';
import type { Framework, HistoryEntry, HistoryProblem, MigrationSet } from './types.js';

export interface Src {
  path: string;
  dir: string;
  name: string;
  text: () => string;
  /** The first `chars` characters of `text()`. */
  head: (chars: number) => string;
  dialectHint?: Dialect;
}

const POP_DIALECTS = /^(postgres|postgresql|cockroach|cockroachdb|mysql|mariadb|sqlite3?|mssql|sqlserver)$/;

/** `dir/name` → dir ('' at the top). */
export function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}
export function baseOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
const join = (d: string, n: string) => (d ? `${d}/${n}` : n);

/** Normalize `./a/../b`-free relative references against a directory. */
function resolveRel(dir: string, rel: string): string {
  const out = dir ? dir.split('/') : [];
  for (const part of rel.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    // Above a path that starts with `..` (the CLI, run inside a set) is one more `..`; above '' is ''.
    if (part === '..') out.length && out[out.length - 1] !== '..' ? out.pop() : out.length && out.push('..');
    else out.push(part);
  }
  return out.join('/');
}

function newSet(framework: Framework, root: string, dialect?: Dialect | null): MigrationSet {
  return { framework, root, ...(dialect ? { dialect } : {}), entries: [], problems: [] };
}

/** Sort `items` by `key` parts with `cmp`, reporting equal versions as duplicates. */
function sortVersions<T extends { version: string; path: string }>(set: MigrationSet, items: T[], cmp: (a: string, b: string) => number, what: string): T[] {
  const sorted = [...items].sort((a, b) => cmp(a.version, b.version) || cmpStr(a.path, b.path));
  for (let i = 1; i < sorted.length; i++) {
    if (cmp(sorted[i - 1].version, sorted[i].version) === 0) {
      set.problems.push({ kind: 'duplicate', path: sorted[i].path, message: `${what} ${sorted[i].version} is used by both ${baseOf(sorted[i - 1].path)} and ${baseOf(sorted[i].path)}: the runner refuses to run.` });
    }
  }
  return sorted;
}

/** Steps (version → up / down / verify paths) into ordered entries. */
function pushSteps(set: MigrationSet, steps: Array<{ id: string; up?: string; down?: string; verify?: string }>): void {
  for (const s of steps) {
    if (s.up) set.entries.push({ path: s.up, role: 'up', id: s.id });
    if (s.verify) set.entries.push({ path: s.verify, role: 'verify', id: s.id });
    if (s.down) set.entries.push({ path: s.down, role: 'down', id: s.id });
    if (!s.up && s.down && set.framework !== 'pop') set.problems.push({ kind: 'missing', path: s.down, message: `${baseOf(s.down)} has no matching up migration.` });
  }
}

export function planSql(files: Src[], all: Map<string, Src>): { sets: MigrationSet[]; used: Set<string> } {
  const sets: MigrationSet[] = [];
  const used = new Set<string>();
  const take = (p: string) => used.add(p);

  // sqitch: the plan file names the order; scripts live in deploy/ revert/ verify/ beside it.
  for (const plan of files.filter((f) => f.name === 'sqitch.plan')) {
    sets.push(sqitch(plan, all, take));
  }

  // Drizzle: `<out>/meta/_journal.json` lists the migrations (`entries[].tag` → `<out>/<tag>.sql`).
  const journals = files.filter((f) => f.name === '_journal.json' && baseOf(f.dir) === 'meta');
  for (const j of journals) sets.push(drizzle(j, all, take));

  // Liquibase master changelogs (XML / YAML / JSON) that include formatted-SQL files.
  for (const m of files.filter((f) => /\.(xml|ya?ml|json)$/i.test(f.name) && !used.has(f.path))) {
    const s = liquibaseMaster(m, all, take);
    if (s) sets.push(s);
  }

  const sql = files.filter((f) => /\.sql$/i.test(f.name) && !used.has(f.path));

  // Prisma: `<migrations>/<timestamp>_name/migration.sql`, applied in folder-name order (Prisma
  // sorts the migration directories by name: migration-connector's `list_migrations`).
  const prisma = new Map<string, Array<{ version: string; path: string }>>();
  const memos = new Map<string, Array<{ version: string; nn: string; path: string }>>();
  const rest: Src[] = [];
  for (const f of sql) {
    const parts = f.path.split('/');
    if (f.name === 'migration.sql' && parts.length >= 3 && /(^|\/)migrations$/.test(dirOf(f.dir))) {
      const root = dirOf(f.dir);
      if (!prisma.has(root)) prisma.set(root, []);
      prisma.get(root)!.push({ version: baseOf(f.dir), path: f.path });
      continue;
    }
    // memos: `<dialect>/<version>/<NN>__name.sql` (store/migration/…); LATEST.sql is the schema of
    // a fresh install, not a step of the incremental history (store/migrator.go).
    const mm = /^(\d+)__.+\.sql$/i.exec(f.name);
    if (mm && /^\d+(\.\d+)+$/.test(baseOf(f.dir)) && f.dir.includes('/')) {
      const root = dirOf(f.dir);
      if (!memos.has(root)) memos.set(root, []);
      memos.get(root)!.push({ version: baseOf(f.dir), nn: mm[1], path: f.path });
      continue;
    }
    rest.push(f);
  }
  for (const [root, items] of prisma) {
    const lock = all.get(join(root, 'migration_lock.toml'));
    const hint = (lock ? prismaProvider(lock.text()) : null) ?? all.get(items[0].path)?.dialectHint ?? null;
    const set = newSet('prisma', root, hint);
    for (const it of sortVersions(set, items, cmpStr, 'migration folder')) {
      set.entries.push({ path: it.path, role: 'up', id: it.version });
      take(it.path);
    }
    sets.push(set);
  }
  for (const [root, items] of memos) {
    const set = newSet('memos', root, detectDialect(root + '/x.sql'));
    // memos compares the folder names as semantic versions (0.10 after 0.9), then the files by name.
    items.sort((a, b) => cmpDottedVersion(a.version, b.version) || cmpInt(a.nn, b.nn) || cmpStr(a.path, b.path));
    for (const it of items) {
      set.entries.push({ path: it.path, role: 'up', id: `${it.version}/${it.nn}` });
      take(it.path);
    }
    const latest = rest.find((f) => f.dir === root && f.name === 'LATEST.sql');
    if (latest) {
      take(latest.path);
      set.problems.push({ kind: 'note', path: latest.path, message: 'LATEST.sql is the schema of a fresh install, not a step of the incremental history: left out.' });
    }
    sets.push(set);
  }

  // Everything else: per directory, by file-name pattern.
  const byDir = new Map<string, Src[]>();
  for (const f of rest) {
    if (used.has(f.path)) continue;
    if (!byDir.has(f.dir)) byDir.set(f.dir, []);
    byDir.get(f.dir)!.push(f);
  }
  for (const [dir, list] of byDir) for (const s of planDir(dir, list, take)) sets.push(s);
  // ory/pop `<version>_<name>.(up|down).fizz`: pop's migration DSL, translated to each dialect's SQL
  // by pop at run time (fizz translators). No translator here: the history of the directory is
  // incomplete from the first one on, said as a problem (fail closed), never silently skipped.
  const fizz = files.filter((f) => /^\d+_[^.]*\.(up|down)\.fizz$/i.test(f.name));
  for (const dir of new Set(fizz.map((f) => f.dir))) {
    let popSets = sets.filter((s) => s.framework === 'pop' && s.root === dir);
    if (!popSets.length) sets.push(...(popSets = [newSet('pop', dir)]));
    const here = fizz.filter((f) => f.dir === dir).sort((a, b) => cmpStr(a.name, b.name));
    for (const s of popSets) {
      s.problems.push({ kind: 'unreadable', path: here[0].path, message: `${here.length} pop fizz migration${here.length > 1 ? 's' : ''} (first: ${here[0].name}): fizz is translated to SQL by pop at run time and is not replayed here, so the history is incomplete.` });
    }
    for (const f of here) take(f.path);
  }
  return { sets, used };
}

function planDir(dir: string, list: Src[], take: (p: string) => void): MigrationSet[] {
  const out: MigrationSet[] = [];
  const left = new Set(list);
  const pick = (re: RegExp) => list.filter((f) => left.has(f) && re.test(f.name));

  // Liquibase formatted SQL without a master changelog: includeAll order (file name).
  const lb = list.filter((f) => /^\s*--\s*liquibase\s+formatted\s+sql/i.test(f.head(200)));
  if (lb.length) {
    const set = newSet('liquibase', dir, detectDialect(lb[0].path));
    lb.sort((a, b) => cmpStr(a.name, b.name));
    for (const f of lb) {
      set.entries.push({ path: f.path, role: 'up', id: f.name });
      left.delete(f);
      take(f.path);
    }
    set.problems.push({ kind: 'note', message: 'no master changelog among the files: formatted-SQL changelogs ordered by file name (includeAll).' });
    out.push(set);
  }

  // ory/pop: `<version>_<name>[.<dialect>].(up|down).sql`, one history per dialect; a version with
  // a file for the dialect ignores the dialect-less ("all") file (popx SortAndFilter). Versions
  // compare as strings (pop's Migrations.Less).
  const pop = pick(/^(\d+)_[^.]+\.([a-z0-9]+)\.(up|down)\.sql$/i).filter((f) => POP_DIALECTS.test(f.name.split('.').at(-3)!.toLowerCase()));
  if (pop.length) {
    const popAll = pick(/^(\d+)_[^.]+\.(up|down)\.sql$/i);
    const dialects = [...new Set(pop.map((f) => f.name.split('.').at(-3)!.toLowerCase()))].sort();
    for (const d of dialects) {
      const set = newSet('pop', dir, detectDialect(`x.${d}.sql`));
      set.variant = d;
      const steps = new Map<string, { id: string; up?: string; down?: string; specific: boolean }>();
      for (const f of [...pop.filter((f) => f.name.split('.').at(-3)!.toLowerCase() === d), ...popAll]) {
        const version = /^\d+/.exec(f.name)![0];
        const specific = f.name.split('.').length === 4;
        const dirn = /\.down\.sql$/i.test(f.name) ? 'down' : 'up';
        let s = steps.get(version);
        if (!s) steps.set(version, (s = { id: version, specific }));
        if (s.specific && !specific) continue; // dialect file wins
        if (!s.specific && specific) (s.up = undefined), (s.down = undefined), (s.specific = true);
        if (s[dirn]) set.problems.push({ kind: 'duplicate', path: f.path, message: `version ${version} has two ${dirn} files for ${d}.` });
        s[dirn] = f.path;
      }
      pushSteps(set, [...steps.values()].sort((a, b) => cmpStr(a.id, b.id)));
      out.push(set);
    }
    for (const f of [...pop, ...popAll]) left.delete(f), take(f.path);
  }

  // Flyway: V<version>__desc.sql (versioned), U<version>__desc.sql (undo), R__desc.sql (repeatable,
  // after every versioned one, by description). Flyway's default prefixes and separator; the prefix
  // is matched case-sensitively, the suffix not (flyway-core ResourceNameParser: findPrefix uses
  // startsWith, stripSuffix compares toUpperCase()): `V1__init.SQL` is a migration, `v1__init.sql` is not.
  const fv = pick(/^[VU]\d[\d._]*__.*\.[sS][qQ][lL]$/);
  const fr = pick(/^R__.+\.[sS][qQ][lL]$/);
  if (fv.length) {
    const set = newSet('flyway', dir, detectDialect(fv[0].path));
    const ups = fv.filter((f) => f.name[0] === 'V').map((f) => ({ version: /^V([\d._]+?)__/.exec(f.name)![1], path: f.path }));
    const undos = new Map<string, string>();
    for (const f of fv.filter((f) => f.name[0] === 'U')) undos.set(/^U([\d._]+?)__/.exec(f.name)![1].replace(/_/g, '.'), f.path);
    const sorted = sortVersions(set, ups, cmpDottedVersion, 'version');
    const steps = sorted.map((u) => ({ id: u.version.replace(/_/g, '.'), up: u.path, down: undefined as string | undefined }));
    for (const [v, p] of undos) {
      const s = steps.find((x) => cmpDottedVersion(x.id, v) === 0);
      if (s) s.down = p;
      else set.problems.push({ kind: 'missing', path: p, message: `undo ${baseOf(p)} has no versioned migration ${v}.` });
    }
    pushSteps(set, steps);
    // Repeatables: ordered by description (Java String.compareTo).
    const reps = fr.map((f) => ({ desc: f.name.slice(3, -4), path: f.path })).sort((a, b) => cmpStr(a.desc, b.desc));
    for (const r of reps) set.entries.push({ path: r.path, role: 'up', id: `R:${r.desc}` });
    for (const f of [...fv, ...fr]) left.delete(f), take(f.path);
    out.push(set);
  }

  // golang-migrate: `<version>_<title>.(up|down).<ext>`, version an unsigned integer (numeric order).
  const gm = pick(/^(\d+)_.*\.(up|down)\.sql$/i);
  if (gm.length) {
    const set = newSet('golang-migrate', dir, detectDialect(gm[0].path));
    const steps = new Map<string, { id: string; up?: string; down?: string }>();
    for (const f of gm) {
      const v = /^\d+/.exec(f.name)![0].replace(/^0+(?=\d)/, '');
      const dirn = /\.down\.sql$/i.test(f.name) ? 'down' : 'up';
      let s = steps.get(v);
      if (!s) steps.set(v, (s = { id: v }));
      if (s[dirn]) set.problems.push({ kind: 'duplicate', path: f.path, message: `version ${v} has two ${dirn} files (${baseOf(s[dirn]!)}, ${f.name}): golang-migrate refuses to run.` });
      else s[dirn] = f.path;
      left.delete(f);
      take(f.path);
    }
    pushSteps(set, [...steps.values()].sort((a, b) => cmpInt(a.id, b.id)));
    out.push(set);
  }

  // Numbered files: goose (`-- +goose Up`; version int64, numeric), dbmate (`-- migrate:up`; file
  // name order), Supabase CLI (`supabase/migrations/<timestamp>_name.sql`; file name order), else a
  // plain numbered directory (numeric prefix, then name).
  const num = pick(/^\d+([-_.].*)?\.sql$/i);
  if (num.length) {
    const texts = num.map((f) => f.head(20000));
    const framework: Framework = texts.some((t) => /^\s*--\s*\+goose\s+up\b/im.test(t))
      ? 'goose'
      : texts.some((t) => /^\s*--\s*migrate:up\b/im.test(t))
        ? 'dbmate'
        : /(^|\/)supabase\/migrations$/.test(dir)
          ? 'supabase'
          : 'numbered';
    const set = newSet(framework, dir, detectDialect(num[0].path));
    const items = num.map((f) => ({ version: /^\d+/.exec(f.name)![0], path: f.path }));
    const cmp = framework === 'dbmate' || framework === 'supabase' ? (a: string, b: string) => cmpStr(a, b) : cmpInt;
    const sorted = framework === 'goose' ? sortVersions(set, items, cmpInt, 'version') : [...items].sort((a, b) => cmp(a.version, b.version) || cmpStr(a.path, b.path));
    for (const it of sorted) set.entries.push({ path: it.path, role: 'up', id: it.version });
    for (const f of num) left.delete(f), take(f.path);
    out.push(set);
  }
  return out;
}

/** sqitch.plan: changes in plan order; a reworked change's earlier versions are `name@tag`. */
function sqitch(plan: Src, all: Map<string, Src>, take: (p: string) => void): MigrationSet {
  const root = plan.dir;
  take(plan.path);
  const set = newSet('sqitch', root, null);
  const engine = /^%\s*project\b[\s\S]*?^%\s*default_engine\s*=\s*(\w+)/m.exec(plan.text()) ?? /^%\s*default_engine\s*=\s*(\w+)/m.exec(plan.text());
  const conf = all.get(join(root, 'sqitch.conf'))?.text();
  const eng = engine?.[1] ?? (conf ? /^\s*engine\s*=\s*(\w+)/m.exec(conf)?.[1] : undefined);
  if (eng) {
    const d = ({ pg: 'postgresql', mysql: 'mysql', sqlite: 'sqlite', snowflake: 'snowflake' } as Record<string, Dialect>)[eng];
    if (d) set.dialect = d;
  }
  const changes: Array<{ name: string; tagAfter?: string }> = [];
  for (const raw of plan.text().split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (!line || line.startsWith('#') || line.startsWith('%')) continue;
    if (line.startsWith('@')) {
      // A tag applies to the changes since the previous tag: record it on the untagged ones.
      const tag = /^@(\S+)/.exec(line)![1];
      for (let i = changes.length - 1; i >= 0 && !changes[i].tagAfter; i--) changes[i].tagAfter = tag;
      continue;
    }
    const m = /^([^\s[@:#]+)/.exec(line);
    if (m) changes.push({ name: m[1] });
  }
  const lastIndex = new Map<string, number>();
  changes.forEach((c, i) => lastIndex.set(c.name, i));
  changes.forEach((c, i) => {
    // A change that is reworked later keeps its old scripts as `<name>@<tag>.sql`.
    const file = lastIndex.get(c.name) === i ? c.name : `${c.name}@${c.tagAfter ?? ''}`;
    const p = (d: string) => join(root, `${d}/${file}.sql`);
    const up = all.has(p('deploy')) ? p('deploy') : undefined;
    const down = all.has(p('revert')) ? p('revert') : undefined;
    const verify = all.has(p('verify')) ? p('verify') : undefined;
    if (!up) set.problems.push({ kind: 'missing', path: plan.path, message: `sqitch.plan names ${file} but deploy/${file}.sql is not among the files.` });
    pushSteps(set, [{ id: file, up, down, verify }]);
    for (const x of [up, down, verify]) if (x) take(x);
  });
  return set;
}

function drizzle(journal: Src, all: Map<string, Src>, take: (p: string) => void): MigrationSet {
  const root = dirOf(journal.dir);
  take(journal.path);
  const set = newSet('drizzle', root, null);
  let entries: Array<{ idx?: number; tag?: string }> = [];
  try {
    const j = JSON.parse(journal.text());
    entries = Array.isArray(j?.entries) ? j.entries : [];
    const d = String(j?.dialect ?? '').toLowerCase();
    const dia = d === 'postgresql' || d === 'pg' ? 'postgresql' : d === 'mysql' ? 'mysql' : d === 'sqlite' || d === 'turso' ? 'sqlite' : null;
    if (dia) set.dialect = dia;
  } catch (e) {
    set.problems.push({ kind: 'unreadable', path: journal.path, message: `meta/_journal.json is not JSON (${(e as Error).message}): ordered by file name.` });
  }
  // drizzle-orm's readMigrationFiles: journal entries in array order, `<tag>.sql` each.
  const listed = new Set<string>();
  for (const e of entries) {
    const p = join(root, `${e.tag}.sql`);
    listed.add(p);
    if (!all.has(p)) {
      set.problems.push({ kind: 'missing', path: journal.path, message: `the journal lists ${e.tag} but ${e.tag}.sql is not among the files.` });
      continue;
    }
    set.entries.push({ path: p, role: 'up', id: String(e.tag) });
    take(p);
  }
  const extra = [...all.values()].filter((f) => f.dir === root && /\.sql$/i.test(f.name) && !listed.has(f.path)).sort((a, b) => cmpStr(a.name, b.name));
  for (const f of extra) {
    // Not in the journal: drizzle never runs it. Ordered after the journal so a new file is still judged.
    set.problems.push({ kind: entries.length ? 'missing' : 'note', path: f.path, message: `${f.name} is not in meta/_journal.json${entries.length ? ': drizzle does not run it (ordered last here)' : ''}.` });
    set.entries.push({ path: f.path, role: 'up', id: f.name.slice(0, -4) });
    take(f.path);
  }
  return set;
}

/** A Liquibase master changelog: `include file=` / `includeAll path=` in order. */
function liquibaseMaster(m: Src, all: Map<string, Src>, take: (p: string) => void): MigrationSet | null {
  const text = m.text();
  if (!/databaseChangeLog/.test(text)) return null;
  const refs: Array<{ file?: string; dir?: string; relative: boolean }> = [];
  if (/\.xml$/i.test(m.name)) {
    for (const x of text.matchAll(/<(include|includeAll)\b([^>]*)>/g)) {
      const attr = (n: string) => new RegExp(`\\b${n}\\s*=\\s*"([^"]*)"`).exec(x[2])?.[1] ?? new RegExp(`\\b${n}\\s*=\\s*'([^']*)'`).exec(x[2])?.[1];
      const rel = attr('relativeToChangelogFile') === 'true';
      if (x[1] === 'include' && attr('file')) refs.push({ file: attr('file'), relative: rel });
      if (x[1] === 'includeAll' && attr('path')) refs.push({ dir: attr('path'), relative: rel });
    }
  } else {
    let doc: any;
    try {
      doc = /\.json$/i.test(m.name) ? JSON.parse(text) : parseYaml(text);
    } catch {
      return null;
    }
    for (const item of Array.isArray(doc?.databaseChangeLog) ? doc.databaseChangeLog : []) {
      if (item?.include?.file) refs.push({ file: String(item.include.file), relative: item.include.relativeToChangelogFile === true });
      if (item?.includeAll?.path) refs.push({ dir: String(item.includeAll.path), relative: item.includeAll.relativeToChangelogFile === true });
    }
  }
  if (!refs.length) return null;
  const set = newSet('liquibase', m.dir, null);
  take(m.path);
  // Without relativeToChangelogFile the path is on the classpath / search path: match it as a
  // path suffix of a given file when not found beside the master.
  const find = (ref: string, relative: boolean): Src | undefined => {
    const direct = all.get(resolveRel(m.dir, ref));
    if (direct || relative) return direct;
    const clean = ref.replace(/^(classpath:)?\/*/, '');
    return [...all.values()].find((f) => f.path === clean || f.path.endsWith('/' + clean));
  };
  for (const r of refs) {
    if (r.file) {
      const f = find(r.file, r.relative);
      if (!f) {
        set.problems.push({ kind: 'missing', path: m.path, message: `the changelog includes ${r.file}, which is not among the files.` });
        continue;
      }
      if (/\.sql$/i.test(f.name)) set.entries.push({ path: f.path, role: 'up', id: f.name }), take(f.path);
      else set.problems.push({ kind: 'note', path: f.path, message: `nested changelog ${f.name} is not expanded: its changesets are not part of this history.` });
    } else if (r.dir) {
      const d = r.dir.replace(/\/+$/, '');
      const target = r.relative ? resolveRel(m.dir, d) : d.replace(/^(classpath:)?\/*/, '');
      const inDir = [...all.values()]
        .filter((f) => /\.sql$/i.test(f.name) && (f.dir === target || f.dir.endsWith('/' + target) || f.dir === resolveRel(m.dir, d)))
        .sort((a, b) => cmpStr(a.path, b.path));
      for (const f of inDir) set.entries.push({ path: f.path, role: 'up', id: f.name }), take(f.path);
    }
  }
  return set;
}

export type { HistoryEntry, HistoryProblem };

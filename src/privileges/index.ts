// `migration-gate privileges`: the migration sets among the given files (src/history), each
// walked in its runner's order, each file parsed as the engine parses it, then what the role
// that runs them must hold (derive.ts). Pure apart from loading the parsers.
import type { Config } from '../config/index.js';
import { parseFile } from '../engine.js';
import { planHistory } from '../history/index.js';
import { loadUnicodeNamesFor } from '../python/unicode-names.js';
import type { Dialect, SourceFile, Statement } from '../types.js';
import { PrivilegeTracker } from './derive.js';
import type { Requirements } from './needs.js';

export { PrivilegeTracker, TRUSTED_EXTENSIONS } from './derive.js';
export * from './needs.js';
export { script, text as textReport, json as jsonReport, FORMATS, type PrivFormat } from './grants.js';

export interface ParsedMigration {
  path: string;
  dialect: Dialect | null;
  statements: Statement[];
}

export interface PlannedSet {
  /** `framework:root`, '' for files in no set. */
  name: string;
  files: ParsedMigration[];
  problems: string[];
}

/**
 * The given files grouped into migration sets in run order (only `up` steps: what `migrate up`
 * runs), each file parsed. Files in no set (and not config files) form one group in the order given.
 */
export async function planAndParse(files: SourceFile[], opts: { dialect?: Dialect; config?: Config } = {}): Promise<PlannedSet[]> {
  const config = opts.config ?? {};
  const byPath = new Map(files.map((f) => [f.path.replace(/\\/g, '/').replace(/^(\.\/)+/, ''), f]));
  await loadUnicodeNamesFor(files);
  const sets = planHistory(files);
  const out: PlannedSet[] = [];
  const placed = new Set<string>();
  for (const set of sets) {
    const parsed: ParsedMigration[] = [];
    for (const e of set.entries) {
      if (e.role !== 'up') {
        placed.add(e.path);
        continue;
      }
      const f = byPath.get(e.path);
      if (!f) continue;
      placed.add(e.path);
      const hint = !f.dialectHint && set.dialect ? { ...f, dialectHint: set.dialect } : f;
      const { ex, statements } = await parseFile(hint, opts.dialect, config);
      if (ex.kind === 'config' || ex.kind === 'unknown') continue;
      parsed.push({ path: ex.path, dialect: ex.dialect, statements });
    }
    if (parsed.length) out.push({ name: `${set.framework}:${set.root || '.'}${set.variant ? ` (${set.variant})` : ''}`, files: parsed, problems: set.problems.filter((p) => p.kind !== 'note').map((p) => p.message) });
  }
  const loose: ParsedMigration[] = [];
  for (const [path, f] of byPath) {
    if (placed.has(path)) continue;
    const { ex, statements } = await parseFile(f, opts.dialect, config);
    if (ex.kind === 'config' || ex.kind === 'unknown' || !ex.units.length) continue;
    loose.push({ path: ex.path, dialect: ex.dialect, statements });
  }
  // Loose files of several dialects: one group each.
  const byDialect = new Map<string, ParsedMigration[]>();
  for (const f of loose) byDialect.set(f.dialect ?? 'postgresql', [...(byDialect.get(f.dialect ?? 'postgresql') ?? []), f]);
  for (const [, fs] of byDialect) out.push({ name: '', files: fs, problems: [] });
  return out;
}

/** What each planned set needs. */
export function requirementsOf(sets: PlannedSet[]): Requirements[] {
  return trackersOf(sets).map((t) => t.requirements);
}

/** What each planned set needs, and what it creates (for the live comparison). */
export function trackersOf(sets: PlannedSet[]): { requirements: Requirements; created: { type: string; name: string }[] }[] {
  return sets.map((s) => {
    const dialect = s.files.find((f) => f.dialect)?.dialect ?? 'postgresql';
    const t = new PrivilegeTracker(dialect);
    for (const f of s.files) t.addFile(f.path, f.statements);
    return { requirements: t.result(s.name), created: t.createdObjects() };
  });
}

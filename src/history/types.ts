// History discovery: which migrations run before a changed one, in the framework's own order.
// Pure: (paths + contents) → ordered migration sets. No file system, no GitHub.
import type { Dialect } from '../types.js';

export type Framework =
  | 'prisma'
  | 'flyway'
  | 'golang-migrate'
  | 'goose'
  | 'dbmate'
  | 'pop'
  | 'memos'
  | 'sqitch'
  | 'liquibase'
  | 'drizzle'
  | 'supabase'
  | 'numbered'
  | 'alembic'
  | 'django';

/**
 * One step of a set. `up`: runs when migrating forward (a whole Alembic / Django / goose / dbmate
 * file is `up`: its downgrade section is found by extract). `down`: a separate rollback file
 * (golang-migrate `.down.sql`, pop, Flyway `U`, sqitch `revert/`), listed right after its up.
 * `verify`: sqitch `verify/` scripts (read-only checks), listed after their deploy.
 */
export type EntryRole = 'up' | 'down' | 'verify';

export interface HistoryEntry {
  path: string;
  role: EntryRole;
  /** The framework's id of the step: version, revision, `app.name`, sqitch change. */
  id: string;
}

export type ProblemKind =
  /** Two files claim the same version / revision: the runner refuses to run. */
  | 'duplicate'
  /** A dependency or parent that no file provides (and no replacement covers). */
  | 'missing'
  /** The dependency graph has a cycle: the runner refuses to run. */
  | 'cycle'
  /** A file whose ordering facts (revision, dependencies) could not be read statically. */
  | 'unreadable'
  /** A dependency on an app / module outside the given files (Django contrib, a pip package): its state is unknown. */
  | 'external'
  /** A setting-dependent reference (Django swappable_dependency) that could not be resolved. */
  | 'unresolved'
  /** Informational: a choice made while ordering (squash used, Alembic branches, LATEST.sql left out). */
  | 'note';

export interface HistoryProblem {
  kind: ProblemKind;
  message: string;
  path?: string;
}

export interface MigrationSet {
  framework: Framework;
  /** Directory the set lives in ('' for the top level), '/' separated, no trailing slash. */
  root: string;
  dialect?: Dialect;
  /** The runner's own name of the dialect when two sets share a root and a dialect (pop: `cockroach` next to `postgres`). */
  variant?: string;
  /** Ordered steps, first run first. */
  entries: HistoryEntry[];
  problems: HistoryProblem[];
}

export interface HistoryStep {
  path: string;
  role: EntryRole;
  /** True for a file under review (one of `changed`), false for history. */
  changed: boolean;
}

export interface SetHistory {
  set: MigrationSet;
  /** Ordered `up` paths that run before the first changed file of the set. */
  before: string[];
  /** The changed files of the set, in run order. */
  changed: string[];
  /**
   * Every step from the first entry through the last changed one, in run order: history (`up`
   * only) and changed files interleaved as they would run. A changed `down` file appears right
   * after its `up`: judge it against the state at that point and do not carry its effect forward.
   */
  run: HistoryStep[];
}

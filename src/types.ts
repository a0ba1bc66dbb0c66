// Shared types of the engine: discover → extract → parse → analyze → decide → report.
// Nothing here imports GitHub code; the engine is (files, config) → findings.
// This module is a leaf of the import graph: it imports only other leaves (position, replay/types,
// privileges/needs), so every stage can import it without a cycle. The contracts between stages
// (what extract yields, the schema state rules read, the privilege context) are declared here;
// the modules that implement them re-export them.
import type { LineMap, Position } from './extract/position.js';
import type { CatalogChange, LockInfo } from './replay/types.js';
import type { Need } from './privileges/needs.js';
export type { Position };

export const CATEGORIES = [
  'destructive',
  'privilege',
  'execution',
  'credential',
  'dynamic',
  'parse',
  'integrity',
  'safety',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Dialects: postgresql is parsed by libpg-query, every other one by node-sql-parser. */
export const DIALECTS = [
  'postgresql',
  'mysql',
  'mariadb',
  'sqlite',
  'bigquery',
  'db2',
  'hive',
  'redshift',
  'snowflake',
  'transactsql',
  'trino',
  'flinksql',
  'athena',
  'noql',
] as const;
export type Dialect = (typeof DIALECTS)[number];

/** What a file is, decided by extract. */
export type FileKind =
  | 'sql' // plain SQL migration (golang-migrate, flyway, dbmate, goose, sqitch, drizzle, ...)
  | 'prisma' // Prisma migration.sql
  | 'liquibase' // Liquibase formatted SQL
  | 'alembic' // Alembic Python migration
  | 'django' // Django Python migration
  | 'python' // other Python file selected by the globs
  | 'config' // config file that may hold credentials
  | 'unknown'; // selected but not understood: reported, never skipped silently

/** A file given to the engine. `content` is the raw bytes (or text) of the file. */
export interface SourceFile {
  path: string; // repository-relative or as given on the command line, '/' separated
  content: Uint8Array | string;
  /** Extra hints an adapter may know (e.g. Prisma provider read from migration_lock.toml). */
  dialectHint?: Dialect;
  /** The path is a symbolic link: `content` is what it leads to (empty when it leads nowhere we can read). */
  link?: LinkInfo;
}

/**
 * A symbolic link among the files (git mode 120000, or a link on disk). The runner opens the path
 * and the operating system follows the link at deploy time, so what runs is the target, whatever it
 * is then: reported by the migration-symlink rule (rules/migration-symlink.ts).
 */
export interface LinkInfo {
  /** The link's own text (the target as written, possibly absolute or with `..`). */
  target: string;
  /** Repository-relative path of the regular file it finally leads to; null when it leads nowhere we can read. */
  resolved: string | null;
  /** Why `resolved` is null: outside the repository, a directory, a missing target, a loop (more than 40 links, Linux's MAXSYMLINKS), or unknown (not read). */
  problem?: 'outside' | 'directory' | 'dangling' | 'loop' | 'unknown';
}

/**
 * A piece of SQL text extracted from a file. `text` is what the parser sees; `pos` maps an
 * offset into `text` (UTF-16 code units) back to a position in the file.
 */
export interface SqlUnit {
  path: string;
  text: string;
  dialect: Dialect;
  pos: (offset: number) => Position;
  /** True when the unit runs only on rollback (down migration, downgrade(), --rollback). */
  down: boolean;
  /** True when template placeholders were replaced by neutral identifiers before parsing. */
  templated?: boolean;
  /** Where the SQL came from, for messages ("op.execute" ...). */
  origin?: string;
  /**
   * Source text to show as the snippet of this unit's findings instead of the statement text: set
   * when the SQL was synthesized from code (an Alembic `op.drop_table(…)` call, a Django operation).
   */
  snippet?: string;
  /**
   * Set when the unit runs only on some databases (a Python migration's SQL inside `if
   * bind.dialect.name == "sqlite":`, or after `if connection.vendor != "postgresql": return`):
   * the database families it runs on (`postgresql`, `sqlite`, `mysql`, `mariadb`, `mssql`,
   * `oracle`, `other`: any other) and what its findings say about it ("in the SQLite branch").
   * It is replayed only into an engine of one of them; it is checked all the same.
   */
  branch?: { runsOn: string[]; note: string };
  /**
   * Other readings of the unit for a branch that runs on several databases (the `else` of `if
   * dialect == "postgresql"`), tried in order when a statement does not parse in `dialect`: the
   * first in which every statement parses replaces `dialect` and `text`.
   */
  alternatives?: Array<{ dialect: Dialect; text: string }>;
}

/** One statement after parsing. */
export interface Statement {
  unit: SqlUnit;
  /** Raw text of the statement as written. */
  text: string;
  /** Offsets of the statement in unit.text (UTF-16). */
  start: number;
  end: number;
  dialect: Dialect;
  /** libpg-query node, e.g. `{ DropStmt: {...} }`, when parsed by libpg-query. */
  pg?: PgNode;
  /**
   * The text the pg node's `location` fields (UTF-8 byte offsets) refer to, and where that text
   * starts in unit.text. Use `nodeOffset()` from src/sql/ast.ts rather than these directly.
   */
  pgText?: string;
  pgOffset?: number;
  /** node-sql-parser AST, when parsed by node-sql-parser. */
  ast?: any;
  /** false when no parser accepted the statement. */
  parsed: boolean;
  /**
   * Set when the statement is valid but no parser gave a tree for it: the real SQLite engine
   * compiled it, or a statement-kind-specific recovery recognized it (src/parse/fallback.ts).
   * The rules' lexical patterns are applied to it.
   */
  recovered?: string;
  parseError?: string;
  /** Comments stripped, zero-width and control characters removed, whitespace folded, lower-cased. */
  lexical: string;
  /**
   * Set on statements found inside a DO block, a function body, a trigger/procedure/event body
   * (MySQL, SQLite, …) or a pg_cron job's SQL (name: the function, trigger or job); 'call': a
   * statement of a routine the history defined, run by the judged statement that calls it
   * (src/analyze/calls.ts; `at`: the routine's definition, `file:line`; `via`: the trigger that fires it).
   */
  nested?: {
    kind: 'do' | 'function' | 'trigger' | 'procedure' | 'event' | 'cron' | 'call' | 'query';
    name?: string;
    at?: string;
    via?: string;
    /** The enclosing body's variables and parameters (bare names that may not be columns; src/sql/ast.ts bodyVariable), and whether a column of the same name wins. */
    variables?: { names: string[]; columnsWin: boolean };
  };
  /**
   * Set on an unparsed CREATE TRIGGER/PROCEDURE/FUNCTION/EVENT whose body statements all parsed and
   * are analyzed as nested statements: the lexical guesses on the whole text would only repeat them.
   */
  bodyParsed?: boolean;
  /** Set on statements that are psql meta-commands (a line starting with a backslash). */
  meta?: string;
  /** Facts about the whole file, shared by its statements (set by the engine before rules run). */
  scope?: FileScope;
}

/** What the statements of one file establish, for rules that depend on earlier statements. */
export interface FileScope {
  /** Every statement of the file in order (nested ones after their parent), for rules that look at what else it does. */
  statements?: Statement[];
  /** The schema state the file is judged against (src/state/): replayed, or simulated from the DDL. */
  state?: SchemaState;
  /** What its statements raise in the privileges the migration role needs, against its history (src/privileges/context.ts). */
  privileges?: PrivilegeContext;
}

/** A libpg-query node: an object with a single key naming the node type. */
export type PgNode = Record<string, any>;

/** What a rule reports; the engine fills in path, positions, fingerprint, gating. */
export interface Report {
  message: string;
  /** Override the rule's severity for this report (e.g. GRANT ALL rated higher). */
  severity?: Severity;
  /** Offset into the statement text to point at; defaults to the statement start. */
  offset?: number;
  /**
   * For findings that are not tied to one statement (text scans): the offsets in unit text.
   */
  unitOffset?: number;
  unitEnd?: number;
  /** Secret values this report is about: they are redacted everywhere in the output. */
  secrets?: string[];
  /** Extra key to keep fingerprints of several reports on one statement apart. */
  key?: string;
  /** For run-level reports (checkRun): the path of the file the finding is in. */
  path?: string;
  /** For file-level reports (checkFile): 1-based position in the file. */
  line?: number;
  column?: number;
  endLine?: number;
  /** Snippet to show instead of the statement's first line. */
  snippet?: string;
  /** Overrides whether the finding is in a down migration / downgrade(). */
  down?: boolean;
}

export interface RuleExample {
  sql: string;
  dialect?: Dialect;
  /** File path to use for the example (selects the file kind), default `example.sql`. */
  path?: string;
  /** For `checkChange` rules: the pull-request file change the example is about (`sql` unused). */
  change?: FileChange;
}

/** One file of a pull request's file list (what the REST API's `pulls/{n}/files` says). */
export interface FileChange {
  filename: string;
  /** added, removed, modified, renamed, copied, changed, unchanged */
  status: string;
  previousFilename?: string;
  /** Unified diff of the file, when GitHub gives one. */
  patch?: string;
  /** The file is a symbolic link at the head (what it leads to). */
  link?: LinkInfo;
}

export interface ChangeContext extends RuleContext {
  /** Path of the policy file (the action's `config` input), repository-relative. */
  policyPath: string;
  /** Is this path a migration under the run's include/exclude globs (config files excluded)? */
  isMigration: (path: string) => boolean;
}

export interface RuleMeta {
  id: string;
  category: Category;
  severity: Severity;
  /** One line: what it flags. */
  summary: string;
  /** Why it matters. */
  rationale: string;
  /** How to fix or get it approved. */
  fix: string;
  examples: { bad: RuleExample[]; good: RuleExample[] };
}

export interface RuleContext {
  report: (r: Report) => void;
}

/** A rule: meta plus one or more checks. Rules are pure functions of their inputs. */
export interface Rule {
  meta: RuleMeta;
  /** Check over one parsed statement (pg and/or ast set). */
  check?: (stmt: Statement, ctx: RuleContext) => void;
  /**
   * The libpg-query statement node types `check` can report on (`'DropStmt'`…), as eslint rules name
   * their node selectors: statements parsed by libpg-query alone (not by node-sql-parser too) of any
   * other type skip this rule. Without it the rule runs on every statement; tests/dispatch.test.ts
   * guards the lists.
   */
  kinds?: readonly string[];
  /**
   * Patterns for statements no parser accepted, matched against `Statement.lexical` (lower-case,
   * comments stripped, whitespace folded). A match reports the rule's summary as "likely".
   */
  lexical?: RegExp[];
  /** Scan over the raw text of a whole SQL unit, comments and string literals included. */
  scanText?: (unit: SqlUnit, ctx: RuleContext) => void;
  /** Called for statements no parser accepted (the parse-error rule). */
  unparsed?: (stmt: Statement, ctx: RuleContext) => void;
  /** Check over a whole extracted file (Python models, config files); reports carry line/column. */
  checkFile?: (file: Extracted, ctx: RuleContext) => void;
  /**
   * Check over all files of the run together (e.g. duplicate Alembic revision ids across files);
   * reports carry `path` (one of the files) and line/column.
   */
  checkRun?: (files: Extracted[], ctx: RuleContext) => void;
  /**
   * Check over one changed file of a pull request (integrity of already merged migrations, policy
   * and workflow edits). Only the action has a file list; reports name `line` (default 1).
   */
  checkChange?: (change: FileChange, ctx: ChangeContext) => void;
}

export interface Finding {
  ruleId: string;
  category: Category;
  severity: Severity;
  gating: boolean;
  path: string;
  line: number;
  column: number;
  endLine: number;
  message: string;
  snippet: string;
  fingerprint: string;
  /** True when found in a down migration / downgrade(). */
  down?: boolean;
  /** Set when an inline `migration-gate-ignore` comment suppressed it (src/analyze/suppress.ts): listed, never gating. */
  suppressed?: { reason: string; line: number };
}

export interface FileResult {
  path: string;
  kind: FileKind;
  dialect: Dialect | null;
  statements: number;
  unparsed: number;
}

export interface Summary {
  files: number;
  statements: number;
  findings: number;
  gating: number;
  byCategory: Partial<Record<Category, number>>;
}

export interface Result {
  version: 1;
  files: FileResult[];
  findings: Finding[];
  summary: Summary;
  /** How the schema state was built, per dialect group: replayed history and statements, what was skipped. */
  replay?: ReplaySummary[];
}

// ---- Contracts between stages (implemented and re-exported by the stage modules) ----

// extract (src/extract/): a file's kind, dialect, SQL units and notes.
/** A finding the extract stage itself reports (by rule id; the rule's meta gives its category). */
export interface Note {
  ruleId: string;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  severity?: Severity;
  down?: boolean;
  snippet?: string;
  secrets?: string[];
  key?: string;
}

export interface Extracted {
  path: string;
  kind: FileKind;
  dialect: Dialect | null;
  /** The dialect was given (--dialect, config `dialect`, a path or Prisma hint), not the postgresql default. */
  dialectKnown?: boolean;
  /** Decoded text of the file (NULs replaced by spaces). */
  text: string;
  lines: LineMap;
  units: SqlUnit[];
  notes: Note[];
  /** Kind-specific models for file-level rules (e.g. the Python migration model). */
  facts: Record<string, unknown>;
}

// Schema state (src/state/): the one interface rules read what existed through.
/**
 * How an object named by a statement stood just before that statement ran:
 * - 'new': created by the migration under review (by identity, not by name) and never existing before it;
 * - 'preexisting': it existed before the migration under review ran;
 * - 'absent': it does not exist and did not before (only said when the whole history was replayed);
 * - 'unknown': nothing trustworthy is known.
 */
export type Existence = 'new' | 'preexisting' | 'absent' | 'unknown';

export interface SchemaState {
  /** Where the answers come from. */
  readonly source: 'replay' | 'static';
  /**
   * The whole history before the judged files was known and replayed without error: what the
   * sandbox did not have before a statement did not exist (a CREATE there is a first creation).
   */
  readonly complete?: boolean;
  /** The relation (table, view, sequence…) `name` (`schema.name` or `name`) as this statement sees it. */
  relation(stmt: Statement, name: string): Existence;
  /** The column `table.column` as this statement sees it. */
  column(stmt: Statement, table: string, column: string): Existence;
  /** The column's type just before this statement (as the engine prints it), if known. */
  columnType(stmt: Statement, table: string, column: string): string | undefined;
  /** The columns the table may have just before this statement (dropped ones left out where known); undefined when unknown. */
  columns(stmt: Statement, table: string): string[] | undefined;
  /** What this statement did to the catalog in the sandbox; undefined when it was not replayed or failed. */
  effects(stmt: Statement): CatalogChange[] | undefined;
  /** Locks the statement took in the sandbox (PostgreSQL), if read. */
  locks(stmt: Statement): LockInfo[] | undefined;
  /** Set on the statement the sandbox was running when its time or memory limit cut the replay short. */
  limit(stmt: Statement): string | undefined;
  /**
   * Reversibility (src/state/reversal.ts): what the `irreversible` rule reports at this statement
   * (the first up statement of a migration with a down path, or a failing down statement). Set by
   * the state builder when it checked a rollback; undefined otherwise.
   */
  reversal?(stmt: Statement): ReversalNote[] | undefined;
  /**
   * The statements of this statement's change, in run order: its judged unit (a file, or a pull
   * request's files together), with every file of the same ory/pop change (one migration split over
   * several versions, run together). Top-level up statements only. Set by the state builder.
   */
  change?(stmt: Statement): Statement[] | undefined;
}

// Reversibility (src/state/reversal.ts).
/** What the `irreversible` rule says at one statement. */
export interface ReversalNote {
  message: string;
  severity?: Severity;
  /** The kind of verdict (counted by scripts/reversibility-corpus.mjs). */
  verdict: Verdict;
}

export type Verdict = 'clean' | 'schema' | 'data' | 'down-failed' | 'up-failed' | 'unchecked' | 'missing' | 'empty';

// Privileges (src/privileges/context.ts): what a judged file raises in the migration role's needs.
export interface Raise {
  /** 'SUPERUSER', 'CREATEROLE', 'CREATE on the database', … (needs.ts levelOf). */
  level: string;
  need: Need;
}

export interface PrivilegeContext {
  /** The levels the history before this file already needed. */
  before: string[];
  /** Earlier migration files of the set that were read. */
  historyFiles: number;
  /** The set's history before the judged files is complete. */
  historyKnown: boolean;
  /** Statements that raise a level no earlier file needed (first statement per level in the file). */
  raised: Map<Statement, Raise[]>;
}

// Replay (src/state/build.ts).
/** What the report says about the replay of one dialect group. */
export interface ReplaySummary {
  dialect: Dialect;
  engine: 'pglite' | 'sqlite' | 'mysql' | 'static';
  files: string[];
  history: { files: number; statements: number; replayed: number };
  judged: { statements: number; replayed: number };
  /** Statements the engine refused or skipped, first few: `file:line: reason`. */
  skipped: string[];
  skippedCount: number;
  limit?: string;
  ms?: number;
  /** Reversibility verdicts of the judged migrations with a down path, by kind (src/state/reversal.ts). */
  reversal?: Partial<Record<ReversalNote['verdict'], number>>;
}

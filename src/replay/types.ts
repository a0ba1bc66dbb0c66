// The contract between the replay sandbox (src/replay/) and the engine's schema-state layer
// (src/state/). Replay runs untrusted SQL inside a WASM engine (PGlite for PostgreSQL, sql.js for
// SQLite) in a worker thread with time and memory limits and an in-memory file system, and reports
// what each statement did to the catalog. Nothing here imports the rest of the engine.

/** 'mysql': MySQL and MariaDB, on a server the user names (`databaseUrl`): no embedded engine exists (src/replay/mysql.ts). */
export type ReplayDialect = 'postgresql' | 'sqlite' | 'mysql';

/** One statement to execute, in order. */
export interface ReplayStatement {
  /** Caller's id, echoed in the outcome (the engine maps it back to its Statement). */
  id: number;
  /** The statement's SQL text, executed alone. */
  sql: string;
  /** Index of the migration file this statement belongs to (files run in the order of their first statement). */
  file: number;
  /**
   * true: a statement under review (a changed migration): its outcome carries `effects` and `locks`.
   * false: history, run only to build the state.
   */
  judge: boolean;
}

export interface ReplayRequest {
  dialect: ReplayDialect;
  statements: ReplayStatement[];
  /** Wall-clock limit for the whole run (default 20 000 ms); past it the worker is terminated. */
  timeoutMs?: number;
  /** Wall-clock limit for one statement (default 2 000 ms). */
  statementTimeoutMs?: number;
  /** Memory limit for the worker (default 1024 MiB). */
  memoryMb?: number;
  /** Read pg_locks after each judged statement (PostgreSQL). Default true. */
  locks?: boolean;
  /**
   * PostgreSQL, for tests and scripts/replay-verify: after each incremental catalog read also make
   * a full one, use the full one, and report any difference in `debug`.
   */
  verifyFacts?: boolean;
  /** 'mysql' only: `mysql://user:password@host:port/` of a server the user started for this (never echoed). */
  databaseUrl?: string;
}

/** A relation, function, schema, role… as the catalog names it. */
export type ObjectKind =
  | 'table'
  | 'view'
  | 'materialized view'
  | 'sequence'
  | 'foreign table'
  | 'index'
  | 'column'
  | 'schema'
  | 'function'
  | 'trigger'
  | 'policy'
  | 'role'
  | 'publication'
  | 'subscription'
  | 'event trigger'
  | 'database'
  | 'type'
  | 'extension'
  // Added with the sandbox: the other catalog objects whose changes it reports.
  | 'rule'
  | 'default privileges'
  | 'large object'
  | 'language'
  | 'foreign-data wrapper'
  | 'server'
  | 'parameter';

/** One change a statement made to the catalog, found by comparing snapshots before and after it. */
export interface CatalogChange {
  /** e.g. 'dropped', 'created', 'type-changed', 'acl-granted', 'acl-revoked', 'rls-disabled', 'attribute-granted', 'owner-changed', 'persistence-changed', 'trigger-disabled', 'body-replaced', 'security-definer', 'setting-changed', 'member-added', 'sequence-reset', 'renamed', 'options-changed' (a view's security_invoker, security_barrier, check_option: before/after 'name=value, …' or 'none') … */
  change: string;
  kind: ObjectKind;
  /** Qualified name: 'public.users', 'public.users.email' (column), 'public.f(integer)', role name. */
  object: string;
  /** true when the object (by identity: OID / rootpage, not by name) existed in the state before the judged file ran. */
  preexisting: boolean;
  /** Human detail: 'varchar(100) → varchar(200)', 'analyst gains SELECT', 'superuser: false → true'. */
  detail?: string;
  before?: string;
  after?: string;
  /**
   * A dropped unique index: the unique index left on its table that still rejects every duplicate it
   * rejected (facts.ts coveringIndex), e.g. the new index of a CREATE UNIQUE INDEX CONCURRENTLY swap.
   */
  coveredBy?: string;
}

export interface LockInfo {
  /** Relation the lock is on ('public.users'), or the lock type when not a relation. */
  relation: string;
  mode: string; // 'AccessExclusiveLock', 'ShareLock', …
}

export interface StatementOutcome {
  id: number;
  /** The engine ran it without error. */
  ok: boolean;
  /** The engine's error message when it refused the statement (the statement had no effect). */
  error?: string;
  /** Why it was not executed at all: transaction control, psql meta-command, sandbox policy, limit reached. */
  skipped?: string;
  /** Judged statements: catalog changes this statement made. */
  effects?: CatalogChange[];
  /** Judged statements (PostgreSQL): locks held right after the statement, inside its transaction. */
  locks?: LockInfo[];
  /** How it ran when not as usual ('cannot run inside a transaction block: ran alone, locks not read'). */
  note?: string;
  /** Roles/schemas/functions created on the fly so this statement could run (hosting platform objects). */
  autoCreated?: string[];
}

/** What existed at one point: identity-keyed, so a drop and re-create of a name is told apart. */
export interface CatalogSnapshot {
  /** Relations by qualified name: kind, identity, persistence, owner, columns with types. */
  relations: Record<string, { kind: ObjectKind; id: number; persistence?: 'permanent' | 'unlogged' | 'temporary'; owner?: string; columns: Record<string, { type: string; notNull: boolean }> }>;
  schemas: Record<string, { id: number; owner?: string }>;
  roles: Record<string, { superuser: boolean; createrole: boolean; createdb: boolean; replication: boolean; bypassrls: boolean; login: boolean }>;
  functions: Record<string, { id: number; securityDefiner: boolean; language: string }>;
}

export interface ReplayResult {
  dialect: ReplayDialect;
  outcomes: StatementOutcome[];
  /** State before each judged file ran, by file index (history-only state for the first one). */
  before: Record<number, CatalogSnapshot>;
  /** State at the end. When `limit` is set the run did not reach the end: this is then empty (unknown). */
  after: CatalogSnapshot;
  /** Set when the run was cut short: the statements without an outcome were not replayed. */
  limit?: 'timeout' | 'memory' | 'crash';
  limitDetail?: string;
  /** Counts for the report: "history: 871/872 statements replayed; skipped: CREATE EXTENSION postgis". */
  stats: { history: { total: number; ok: number }; judged: { total: number; ok: number }; ms: number };
  /** Wall time per phase, ms: 'start' (worker + engine start), 'history', 'judged', 'after-snapshot'; '<phase>-cpu': process CPU time in it. */
  phases?: Record<string, number>;
  /** What was skipped or refused in history, grouped: 'CREATE EXTENSION postgis: extension "postgis" is not available' → count. */
  historyProblems?: Record<string, number>;
  /** With `verifyFacts`: each incremental catalog read that differed from a full one. */
  debug?: string[];
  /** Object names compare without case (a MySQL server with lower_case_table_names set). */
  foldCase?: boolean;
}

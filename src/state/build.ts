// Build the schema state every judged statement is read against: replay the history and the
// judged files in the sandbox where an embedded engine exists (PostgreSQL: PGlite; SQLite: sql.js),
// simulate the DDL elsewhere, and say how much of it was replayed.
import { availableParallelism } from 'node:os';
import type { ReplayDialect, ReplayRequest, ReplayResult, ReplayStatement } from '../replay/types.js';
// Static: the worker must start before the caller's parse loop, which does not yield to the event loop.
import { prewarmReplay as prewarm } from '../replay/index.js';
import type { Dialect, ReplaySummary, ReversalNote, SchemaState, Statement } from '../types.js';
import { groupKey, runsOn, type ParsedFile, type StateEntry } from './index.js';
import { appendDowns, reversalTargets, reversalVerdicts, type DownPlan, type ReversalTarget } from './reversal.js';
export type { ParsedFile, ReplaySummary, StateEntry };
import { ReplayState, type Placed } from './replayed.js';
import { redactUrl } from '../replay/url.js';
import { StaticState } from './static.js';
import { BranchStates } from './branch.js';

export interface StateOptions {
  /** Replay in the sandbox (default true); false: the static simulation only. */
  replay?: boolean;
  /** 'file': each judged file against its predecessors (CLI); 'together': the judged files as one change (a pull request). */
  units?: 'file' | 'together';
  /** Sandbox limits. */
  timeoutMs?: number;
  /**
   * `mysql://user:password@host:port/`: replay MySQL/MariaDB files on that server, in a throwaway
   * database (src/replay/mysql.ts). Without it they get the static simulation. Never echoed.
   */
  databaseUrl?: string;
}


const ENGINE: Partial<Record<Dialect, ReplayDialect>> = { postgresql: 'postgresql', sqlite: 'sqlite' };

/**
 * Statements the sandbox runs: the up direction's top-level statements (nested ones run inside
 * their parent) that the migration sends to a database of the engine's dialect (not the SQLite
 * branch of a Python migration replayed in PGlite).
 */
function replayable(st: Statement, dialect: Dialect): boolean {
  return !st.unit.down && !st.nested && !st.meta && st.text.trim() !== '' && runsOn(st.unit, dialect);
}

/**
 * Statement kinds that run no user code and whose effect the statement rules read from the syntax.
 * A group of one such statement and no history learns nothing from the sandbox: it acts on an
 * empty database, so the replay is skipped and the static simulation (the conservative reading)
 * answers. Anything else — a DO block, a function call, EXECUTE, two statements that can build on
 * each other, any history — is replayed.
 */
const PLAIN = new Set([
  'CreateStmt', 'AlterTableStmt', 'DropStmt', 'IndexStmt', 'RenameStmt', 'GrantStmt', 'GrantRoleStmt', 'CreateRoleStmt',
  'AlterRoleStmt', 'DropRoleStmt', 'TruncateStmt', 'CommentStmt', 'CreateSchemaStmt', 'CreateSeqStmt', 'AlterSeqStmt',
  'CreateExtensionStmt', 'VariableSetStmt', 'AlterDefaultPrivilegesStmt', 'AlterOwnerStmt', 'CreatePolicyStmt', 'TransactionStmt',
]);

function needsReplay(judged: Statement[][], historyStatements: number, dialect: Dialect): boolean {
  if (historyStatements > 0) return true;
  const top = judged.flat().filter((st) => replayable(st, dialect));
  if (top.length !== 1) return top.length > 1;
  const st = top[0];
  if (!st.pg && st.ast) return !/^(create|alter|drop|insert|update|delete|rename)$/.test(String(st.ast.type));
  const type = st.pg ? Object.keys(st.pg)[0] : undefined;
  return !type || !PLAIN.has(type);
}

function family(d: Dialect | null): Dialect {
  return d ?? 'postgresql';
}

/**
 * A replay of `dialect` is coming: start the sandbox's engine now (src/replay prewarmReplay), so that
 * its start-up overlaps the caller's parsing. Only an optimisation: failures surface in the replay.
 */
export function prewarmReplay(dialect: Dialect | null): void {
  const engine = ENGINE[family(dialect)];
  if (engine !== 'postgresql') return;
  try {
    prewarm(engine);
  } catch {
    // The replay reports it.
  }
}

function lineOf(st: Statement): number {
  return st.unit.pos(st.start).line;
}

/** Build and attach the state (`stmt.scope.state`) for every judged file; returns what the report says. */
export async function buildStates(entries: StateEntry[], opts: StateOptions = {}): Promise<ReplaySummary[]> {
  // One group per migration set and dialect, in run order; history of a dialect no judged file has is not needed.
  const groups = new Map<string, { dialect: Dialect; entries: StateEntry[]; known: boolean }>();
  for (const e of entries) {
    const dialect = family(e.file.dialect);
    const key = groupKey(e, dialect);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { dialect, entries: [], known: e.historyKnown }));
    g.entries.push(e);
  }
  // History given without a plan joins every unplanned judged group of its dialect.
  const loose = [...groups].filter(([k]) => k.startsWith('history\0'));
  for (const [k, h] of loose) {
    groups.delete(k);
    for (const [k2, g] of groups) if (k2.startsWith('file:') && g.dialect === h.dialect) g.entries.unshift(...h.entries);
  }
  // The groups share nothing (each replay gets a fresh database): they are replayed side by side,
  // one sandbox worker per core (up to REPLAY_LANES), the largest first (a long one started last
  // would run alone at the end), and reported in run order.
  const list = [...groups.values()];
  const results: Array<ReplaySummary | null> = list.map(() => null);
  const size = list.map((g) => g.entries.reduce((a, e) => a + e.file.statements.length, 0));
  const queue = list.map((_, i) => i).sort((a, b) => size[b] - size[a] || a - b);
  const lanes = Math.max(1, Math.min(REPLAY_LANES, list.length));
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) results[i] = await buildGroup(list[i], opts);
    }),
  );
  return results.filter((r): r is ReplaySummary => r !== null);
}

/**
 * Each judged statement's change (SchemaState.change): the top-level up statements of its unit (its
 * file, or every judged file when they are judged together), a unit widened to the other judged files
 * of its ory/pop change (pop runs the versions of one `<timestamp>_<name>` change together).
 */
function changes(entries: StateEntry[], together: boolean): (stmt: Statement) => Statement[] | undefined {
  const byKey = new Map<string, Statement[]>();
  const of = new Map<Statement, Statement[]>();
  for (const e of entries) {
    if (!e.judged) continue;
    const key = together ? '' : e.popUnit ? `pop:${e.popUnit}` : `file:${e.file.path}`;
    if (!byKey.has(key)) byKey.set(key, []);
    const list = byKey.get(key)!;
    for (const st of e.file.statements) {
      of.set(st, list);
      if (!st.unit.down && !st.nested && !st.meta) list.push(st);
    }
  }
  return (stmt) => of.get(stmt);
}

/** Replay workers at once: one per core, at most 4 (each may hold its memory limit, 1 GiB by default). */
const REPLAY_LANES = Math.min(4, availableParallelism());

/** One migration set and dialect: its state, attached to its judged statements; null when it judges no file. */
async function buildGroup(g: { dialect: Dialect; entries: StateEntry[]; known: boolean }, opts: StateOptions): Promise<ReplaySummary | null> {
  const judgedFiles = g.entries.filter((e) => e.judged).map((e) => e.file);
  if (!judgedFiles.length) return null;
  const dialect = g.dialect;
  // Units in run order; history entries between them keep their place.
  const units: Statement[][] = opts.units === 'together' ? [judgedFiles.flatMap((f) => f.statements)] : judgedFiles.map((f) => f.statements);
  const unitOf = new Map<ParsedFile, number>(judgedFiles.map((f, i) => [f, opts.units === 'together' ? 0 : i]));
  const historyFiles = g.entries.filter((e) => !e.judged).map((e) => e.file);
  const allHistory = historyFiles.flatMap((f) => f.statements.filter((s) => !s.unit.down && !s.nested));
  const historyStmts = allHistory.filter((s) => runsOn(s.unit, dialect));
  const foldCase = dialect === 'sqlite';
  // Statements of another database's branch (Python migrations) are judged on a simulation of
  // their own branch (src/state/branch.ts); the group's state holds what runs on its dialect.
  const branched = units.some((u) => u.some((st) => !runsOn(st.unit, dialect)));
  const own = branched ? units.map((u) => u.filter((st) => runsOn(st.unit, dialect))) : units;
  const fallback = new StaticState(historyStmts, own, foldCase, dialect !== 'postgresql');
  let state: SchemaState = fallback;
  const summary: ReplaySummary = {
    dialect,
    engine: 'static',
    files: judgedFiles.map((f) => f.path),
    history: { files: historyFiles.length, statements: historyStmts.length, replayed: 0 },
    judged: { statements: units.reduce((a, u) => a + u.filter((st) => replayable(st, dialect)).length, 0), replayed: 0 },
    skipped: [],
    skippedCount: 0,
  };
  // MySQL/MariaDB: no embedded engine; replayed only on a server the user names. A group marked
  // replay: false (a pop dialect variant the sandbox does not run) is judged statically.
  const engine: ReplayDialect | undefined = g.entries.some((e) => e.replay === false) ? undefined : (ENGINE[dialect] ?? (opts.databaseUrl && (dialect === 'mysql' || dialect === 'mariadb') ? 'mysql' : undefined));
  // Reversibility: missing or empty downs are known from the files; the others are replayed.
  const notes = new Map<Statement, ReversalNote[]>();
  const targets = reversalTargets(g.entries, notes, dialect);
  const replayOn = opts.replay !== false;
  // A group the state builder would not replay (one plain statement, no history: the static
  // reading answers) keeps that reading; its rollback is replayed in a request of its own.
  const mainReplay = needsReplay(units, historyStmts.length, dialect);
  if (engine && replayOn && targets.length && !mainReplay) {
    const judgedStmts = new Set(judgedFiles.flatMap((f) => f.statements));
    await separateReversal(engine, dialect, g.entries, targets, judgedStmts, notes, opts.timeoutMs, opts.databaseUrl);
  }
  if (engine && replayOn && mainReplay) {
    const order: Array<{ stmt: Statement; place: Placed }> = [];
    const req: ReplayStatement[] = [];
    const add = (stmt: Statement, unit: number, file: number) => {
      const place = { id: req.length, unit };
      req.push({ id: place.id, sql: stmt.text, file, judge: unit >= 0 });
      order.push({ stmt, place });
    };
    let h = 0;
    const runOrder: Array<{ entry: StateEntry; file: number; ids: number[] }> = [];
    for (const e of g.entries) {
      const unit = e.judged ? unitOf.get(e.file)! : -1;
      const file = e.judged ? unit : units.length + h++;
      const first = req.length;
      for (const st of e.file.statements) if (replayable(st, dialect)) add(st, unit, file);
      runOrder.push({ entry: e, file, ids: req.slice(first).map((r) => r.id) });
    }
    const upCount = req.length;
    // The downs go after every up, in the same request, when each checked up has a `before`
    // snapshot of its own (a file index no other judged file shares); otherwise (a pull request
    // judged as one unit with several migrations) they are replayed in a request of their own.
    // A target whose up is history (its down changed alone) needs its up judged for a `before`
    // snapshot and its effects: that is the second request's.
    const ownIndex = (opts.units !== 'together' || runOrder.filter((o) => o.entry.judged && o.ids.length).length <= 1) && targets.every((t) => (t.members ?? [t.entry]).every((m) => m.judged));
    let plans: DownPlan[] = [];
    if (targets.length && ownIndex) plans = appendDowns(req, runOrder, targets, units.length + h);
    // The sandbox's whole-run limit (default 20 s): past it, what was not replayed is judged
    // without replayed state (conservative) and replay-limit says so.
    const request: ReplayRequest = { dialect: engine, statements: req, timeoutMs: opts.timeoutMs, ...(engine === 'mysql' ? { databaseUrl: opts.databaseUrl } : {}) };
    let full: ReplayResult | undefined;
    try {
      const { replay } = await import('../replay/index.js');
      full = await replay(request);
    } catch (e) {
      summary.limit = `the sandbox could not start (${redactUrl((e as Error).message, opts.databaseUrl)})`;
    }
    // The up judgement reads the ups alone: the downs' outcomes, and a limit the downs ran into, are not theirs.
    const result = full && upView(full, upCount);
    if (full && result) {
      summary.engine = engine === 'postgresql' ? 'pglite' : engine;
      summary.ms = full.stats.ms;
      summary.history.replayed = result.stats.history.ok;
      summary.judged.replayed = result.stats.judged.ok;
      if (result.limit) summary.limit = `${result.limit}${result.limitDetail ? `: ${result.limitDetail}` : ''}`;
      const byId = new Map(order.map((o) => [o.place.id, o]));
      let historyFailed = result.outcomes.filter((o) => byId.get(o.id)!.place.unit < 0).length < order.filter((o) => o.place.unit < 0).length;
      for (const o of result.outcomes) {
        if (o.ok || (o.skipped && /transaction control/i.test(o.skipped))) continue;
        if (byId.get(o.id)!.place.unit < 0) historyFailed = true;
        summary.skippedCount++;
        if (summary.skipped.length < 5) {
          const st = byId.get(o.id)!.stmt;
          // The statement's leading keywords only (what kind of statement), never its literals.
          const first = st.text.trim().split(/\s+/).slice(0, 3).join(' ').replace(/'.*$/, '').slice(0, 60);
          summary.skipped.push(`${st.unit.path}:${lineOf(st)}: ${first} (${o.skipped ?? o.error ?? 'refused'})`);
        }
      }
      state = new ReplayState(result, order, g.known && !historyFailed && !result.limit, fallback, result.foldCase ?? foldCase);
    }
    if (full && targets.length) {
      const judgedStmts = new Set(judgedFiles.flatMap((f) => f.statements));
      const downStmts = plans.flatMap((p) => (p.blocked ? [] : p.target.downs));
      const stmtOf = (id: number) => (id < upCount ? order[id]?.stmt : downStmts[id - upCount]);
      if (ownIndex) reversalVerdicts(full, plans, stmtOf, (st) => judgedStmts.has(st), notes);
      else await separateReversal(engine, dialect, g.entries, targets, judgedStmts, notes, opts.timeoutMs, opts.databaseUrl);
    }
  }
  if (branched) state = new BranchStates(state, dialect, allHistory, units);
  state.change = changes(g.entries, opts.units === 'together');
  const fileNotes = g.entries.flatMap((e) => (e.judged ? (e.file.fileNotes ?? []) : []));
  if (notes.size || fileNotes.length) {
    const counts: Partial<Record<ReversalNote['verdict'], number>> = {};
    for (const n of [...[...notes.values()].flat(), ...fileNotes]) counts[n.verdict] = (counts[n.verdict] ?? 0) + 1;
    summary.reversal = counts;
    state.reversal = (stmt) => notes.get(stmt);
  }
  for (const f of judgedFiles) {
    const scope = f.statements[0]?.scope;
    if (scope) scope.state = state;
  }
  return summary;
}

/**
 * The replay result as the up judgement sees it: the first `upCount` statements (every up and the
 * history). A limit the run met only in the downs appended after them is not the ups' limit.
 */
function upView(r: ReplayResult, upCount: number): ReplayResult {
  if (r.outcomes.every((o) => o.id < upCount)) return r;
  const outcomes = r.outcomes.filter((o) => o.id < upCount);
  const downsOk = r.outcomes.filter((o) => o.id >= upCount && o.ok).length;
  const upsDone = outcomes.length === upCount;
  return {
    ...r,
    outcomes,
    limit: upsDone ? undefined : r.limit,
    limitDetail: upsDone ? undefined : r.limitDetail,
    stats: { ...r.stats, judged: { total: r.stats.judged.total - (r.outcomes.length - outcomes.length), ok: r.stats.judged.ok - downsOk } },
  };
}

/**
 * Several migrations judged as one unit (a pull request): each up gets a file index of its own in
 * a second request (history, the ups, then the downs, last first) so that each has its `before`.
 */
async function separateReversal(
  engine: ReplayDialect,
  dialect: Dialect,
  entries: StateEntry[],
  targets: ReversalTarget[],
  judged: Set<Statement>,
  notes: Map<Statement, ReversalNote[]>,
  timeoutMs?: number,
  databaseUrl?: string,
): Promise<void> {
  const req: ReplayStatement[] = [];
  const stmts: Statement[] = [];
  const runOrder: Array<{ entry: StateEntry; file: number; ids: number[] }> = [];
  // The ups of the targets are judged here even when history (their down changed alone): the
  // sandbox takes a `before` snapshot and the effects of judged statements only.
  const checked = new Set(targets.flatMap((t) => t.members ?? [t.entry]));
  let file = 0;
  for (const e of entries) {
    const f = file++;
    const ids: number[] = [];
    for (const st of e.file.statements) {
      if (!replayable(st, dialect)) continue;
      ids.push(req.length);
      req.push({ id: req.length, sql: st.text, file: f, judge: e.judged || checked.has(e) });
      stmts.push(st);
    }
    runOrder.push({ entry: e, file: f, ids });
  }
  const plans = appendDowns(req, runOrder, targets, file);
  for (const p of plans) stmts.push(...(p.blocked ? [] : p.target.downs));
  let result: ReplayResult;
  try {
    const { replay } = await import('../replay/index.js');
    result = await replay({ dialect: engine, statements: req, timeoutMs, locks: false, ...(engine === 'mysql' ? { databaseUrl } : {}) });
  } catch (e) {
    for (const t of targets) (notes.get(t.anchor) ?? notes.set(t.anchor, []).get(t.anchor)!).push({ message: `Reversibility could not be checked: the sandbox could not start (${redactUrl((e as Error).message, databaseUrl)}).`, verdict: 'unchecked', severity: 'info' });
    return;
  }
  reversalVerdicts(result, plans, (id) => stmts[id], (st) => judged.has(st), notes);
}

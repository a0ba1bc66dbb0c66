// Build the schema state every judged statement is read against: replay the history and the
// judged files in the sandbox where an embedded engine exists (PostgreSQL: PGlite; SQLite: sql.js),
// simulate the DDL elsewhere, and say how much of it was replayed.
import type { ReplayDialect, ReplayRequest, ReplayResult, ReplayStatement } from '../replay/types.js';
import type { Dialect, Statement } from '../types.js';
import type { SchemaState } from './index.js';
import { ReplayState, type Placed } from './replayed.js';
import { StaticState } from './static.js';

/** One file's parsed statements (top-level and nested, in file order). */
export interface ParsedFile {
  path: string;
  dialect: Dialect | null;
  statements: Statement[];
}

/** One file in run order: judged, or history (run only to build the state). */
export interface StateEntry {
  file: ParsedFile;
  judged: boolean;
  /** The migration set it belongs to ('' : none); each set is replayed on its own database. */
  group: string;
  /** The set's history before the judged files is complete (so a missing object did not exist). */
  historyKnown: boolean;
}

export interface StateOptions {
  /** Replay in the sandbox (default true); false: the static simulation only. */
  replay?: boolean;
  /** 'file': each judged file against its predecessors (CLI); 'together': the judged files as one change (a pull request). */
  units?: 'file' | 'together';
  /** Sandbox limits. */
  timeoutMs?: number;
}

/** What the report says about the replay of one dialect group. */
export interface ReplaySummary {
  dialect: Dialect;
  engine: 'pglite' | 'sqlite' | 'static';
  files: string[];
  history: { files: number; statements: number; replayed: number };
  judged: { statements: number; replayed: number };
  /** Statements the engine refused or skipped, first few: `file:line: reason`. */
  skipped: string[];
  skippedCount: number;
  limit?: string;
  ms?: number;
}

const ENGINE: Partial<Record<Dialect, ReplayDialect>> = { postgresql: 'postgresql', sqlite: 'sqlite' };

/** Statements the sandbox runs: the up direction's top-level statements (nested ones run inside their parent). */
function replayable(st: Statement): boolean {
  return !st.unit.down && !st.nested && !st.meta && st.text.trim() !== '';
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

function needsReplay(judged: Statement[][], historyStatements: number): boolean {
  if (historyStatements > 0) return true;
  const top = judged.flat().filter(replayable);
  if (top.length !== 1) return top.length > 1;
  const st = top[0];
  if (!st.pg && st.ast) return !/^(create|alter|drop|insert|update|delete|rename)$/.test(String(st.ast.type));
  const type = st.pg ? Object.keys(st.pg)[0] : undefined;
  return !type || !PLAIN.has(type);
}

function family(d: Dialect | null): Dialect {
  return d ?? 'postgresql';
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
    const key = `${e.group || (e.judged ? `file:${e.file.path}` : 'history')}\0${dialect}`;
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
  const summaries: ReplaySummary[] = [];
  for (const g of groups.values()) {
    const judgedFiles = g.entries.filter((e) => e.judged).map((e) => e.file);
    if (!judgedFiles.length) continue;
    const dialect = g.dialect;
    // Units in run order; history entries between them keep their place.
    const units: Statement[][] = opts.units === 'together' ? [judgedFiles.flatMap((f) => f.statements)] : judgedFiles.map((f) => f.statements);
    const unitOf = new Map<ParsedFile, number>(judgedFiles.map((f, i) => [f, opts.units === 'together' ? 0 : i]));
    const historyFiles = g.entries.filter((e) => !e.judged).map((e) => e.file);
    const historyStmts = historyFiles.flatMap((f) => f.statements.filter((s) => !s.unit.down && !s.nested));
    const foldCase = dialect === 'sqlite';
    const fallback = new StaticState(historyStmts, units, foldCase, dialect !== 'postgresql');
    let state: SchemaState = fallback;
    const summary: ReplaySummary = {
      dialect,
      engine: 'static',
      files: judgedFiles.map((f) => f.path),
      history: { files: historyFiles.length, statements: historyStmts.length, replayed: 0 },
      judged: { statements: units.reduce((a, u) => a + u.filter(replayable).length, 0), replayed: 0 },
      skipped: [],
      skippedCount: 0,
    };
    const engine = ENGINE[dialect];
    if (engine && opts.replay !== false && needsReplay(units, historyStmts.length)) {
      const order: Array<{ stmt: Statement; place: Placed }> = [];
      const req: ReplayStatement[] = [];
      const add = (stmt: Statement, unit: number, file: number) => {
        const place = { id: req.length, unit };
        req.push({ id: place.id, sql: stmt.text, file, judge: unit >= 0 });
        order.push({ stmt, place });
      };
      let h = 0;
      for (const e of g.entries) {
        const unit = e.judged ? unitOf.get(e.file)! : -1;
        const file = e.judged ? unit : units.length + h++;
        for (const st of e.file.statements) if (replayable(st)) add(st, unit, file);
      }
      // The sandbox's whole-run limit (default 20 s): past it, what was not replayed is judged
      // without replayed state (conservative) and replay-limit says so.
      const request: ReplayRequest = { dialect: engine, statements: req, timeoutMs: opts.timeoutMs };
      let result: ReplayResult | undefined;
      try {
        const { replay } = await import('../replay/index.js');
        result = await replay(request);
      } catch (e) {
        summary.limit = `the sandbox could not start (${(e as Error).message})`;
      }
      if (result) {
        summary.engine = engine === 'postgresql' ? 'pglite' : 'sqlite';
        summary.ms = result.stats.ms;
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
        state = new ReplayState(result, order, g.known && !historyFailed && !result.limit, fallback, foldCase);
      }
    }
    summaries.push(summary);
    for (const f of judgedFiles) {
      const scope = f.statements[0]?.scope;
      if (scope) scope.state = state;
    }
  }
  return summaries;
}

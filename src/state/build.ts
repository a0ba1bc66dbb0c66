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

export interface StateOptions {
  /** Replay in the sandbox (default true); false: the static simulation only. */
  replay?: boolean;
  /** 'file': each judged file against its predecessors (CLI); 'together': the judged files as one change (a pull request). */
  units?: 'file' | 'together';
  /** The history is the whole of the migration set before the judged files (not a guess). */
  historyKnown?: boolean;
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

function family(d: Dialect | null): Dialect {
  return d ?? 'postgresql';
}

function lineOf(st: Statement): number {
  return st.unit.pos(st.start).line;
}

/** Build and attach the state (`stmt.scope.state`) for every judged file; returns what the report says. */
export async function buildStates(judged: ParsedFile[], history: ParsedFile[], opts: StateOptions = {}): Promise<ReplaySummary[]> {
  const groups = new Map<Dialect, { judged: ParsedFile[]; history: ParsedFile[] }>();
  const group = (d: Dialect) => {
    let g = groups.get(d);
    if (!g) groups.set(d, (g = { judged: [], history: [] }));
    return g;
  };
  for (const f of judged) group(family(f.dialect)).judged.push(f);
  for (const f of history) if (groups.has(family(f.dialect))) group(family(f.dialect)).history.push(f);
  const summaries: ReplaySummary[] = [];
  for (const [dialect, g] of groups) {
    const units: Statement[][] = opts.units === 'together' ? [g.judged.flatMap((f) => f.statements)] : g.judged.map((f) => f.statements);
    const historyStmts = g.history.flatMap((f) => f.statements.filter((s) => !s.unit.down && !s.nested));
    const foldCase = dialect === 'sqlite';
    const fallback = new StaticState(historyStmts, units, foldCase, dialect !== 'postgresql');
    let state: SchemaState = fallback;
    const summary: ReplaySummary = {
      dialect,
      engine: 'static',
      files: g.judged.map((f) => f.path),
      history: { files: g.history.length, statements: historyStmts.length, replayed: 0 },
      judged: { statements: units.reduce((a, u) => a + u.filter(replayable).length, 0), replayed: 0 },
      skipped: [],
      skippedCount: 0,
    };
    const engine = ENGINE[dialect];
    if (engine && opts.replay !== false) {
      const order: Array<{ stmt: Statement; place: Placed }> = [];
      const req: ReplayStatement[] = [];
      const add = (stmt: Statement, unit: number, file: number) => {
        const place = { id: req.length, unit };
        req.push({ id: place.id, sql: stmt.text, file, judge: unit >= 0 });
        order.push({ stmt, place });
      };
      g.history.forEach((f, i) => {
        for (const s of f.statements) if (replayable(s)) add(s, -1, units.length + i);
      });
      units.forEach((u, i) => {
        for (const s of u) if (replayable(s)) add(s, i, i);
      });
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
            const first = st.text.trim().split('\n')[0].slice(0, 60);
            summary.skipped.push(`${st.unit.path}:${lineOf(st)}: ${first} (${o.skipped ?? o.error ?? 'refused'})`);
          }
        }
        state = new ReplayState(result, order, !!opts.historyKnown && !historyFailed && !result.limit, fallback, foldCase);
      }
    }
    summaries.push(summary);
    for (const f of g.judged) {
      const scope = f.statements[0]?.scope;
      if (scope) scope.state = state;
    }
  }
  return summaries;
}

// Counts of a replay for the report, shared by the worker-based engines (index.ts) and the MySQL
// server path (mysql.ts): "history: 871/872 statements replayed; skipped: CREATE EXTENSION postgis".
import type { ReplayRequest, ReplayResult, StatementOutcome } from './types.js';

export function replayStats(req: ReplayRequest, outcomes: StatementOutcome[], ms: number): Pick<ReplayResult, 'stats' | 'historyProblems'> {
  const judgeOf = new Map(req.statements.map((s) => [s.id, s.judge]));
  const textOf = new Map(req.statements.map((s) => [s.id, s.sql]));
  const stats = { history: { total: 0, ok: 0 }, judged: { total: 0, ok: 0 }, ms };
  const historyProblems: Record<string, number> = {};
  for (const s of req.statements) (s.judge ? stats.judged : stats.history).total++;
  for (const o of outcomes) {
    const judge = judgeOf.get(o.id);
    if (o.ok) (judge ? stats.judged : stats.history).ok++;
    else if (!judge) {
      const why = o.skipped ?? o.error ?? 'not replayed';
      const key = `${head(textOf.get(o.id))}: ${why.replace(/\s+/g, ' ').slice(0, 120)}`;
      historyProblems[key] = (historyProblems[key] ?? 0) + 1;
    }
  }
  return { stats, historyProblems };
}

/** First words of a statement, for the report ('CREATE EXTENSION postgis'). */
export function head(sql: string | undefined): string {
  const s = (sql ?? '').replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ').replace(/\s+/g, ' ').trim();
  return s.split(' ').slice(0, 3).join(' ').slice(0, 60);
}

export function preview(sql: string | undefined): string {
  const s = (sql ?? '').replace(/\s+/g, ' ').trim();
  return s.length > 80 ? s.slice(0, 77) + '…' : s;
}

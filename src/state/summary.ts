// One line per dialect group saying how the schema state was built, for the human reports:
// "schema state (postgresql): replayed in PGlite — history 871/872 statements from 433 files; this change 12/12; skipped: …".
import type { ReplaySummary } from '../types.js';

const ENGINE: Record<ReplaySummary['engine'], string> = { pglite: 'replayed in PGlite', sqlite: 'replayed in SQLite (WASM)', mysql: 'replayed on the database server (--database-url), in a throwaway database', static: 'simulated from the DDL (no embedded engine)' };

export function replayLines(summaries: ReplaySummary[] | undefined): string[] {
  return (summaries ?? []).map((s) => {
    const parts = [`schema state (${s.dialect}): ${ENGINE[s.engine]}`];
    if (s.engine !== 'static') {
      parts.push(s.history.files ? `history ${s.history.replayed}/${s.history.statements} statements from ${s.history.files} file(s)` : 'no history (judged against an empty database)');
      parts.push(`judged ${s.judged.replayed}/${s.judged.statements}`);
      if (s.skippedCount) parts.push(`${s.skippedCount} refused or skipped: ${s.skipped.join('; ')}${s.skippedCount > s.skipped.length ? '; …' : ''}`);
    } else if (s.history.files) parts.push(`history ${s.history.statements} statements from ${s.history.files} file(s)`);
    if (s.limit) parts.push(`stopped: ${s.limit}`);
    return parts.join(' — ');
  });
}

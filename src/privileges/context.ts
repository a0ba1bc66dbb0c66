// What the privilege-escalation-needed rule reads: for each judged file, which of its statements
// raise what the migration role must hold compared with everything that runs before it in its
// migration set (the history). Computed once per run by the engine, in run order.
import { groupKey, type StateEntry } from '../state/index.js';
import type { PrivilegeContext, Raise, Statement } from '../types.js';
export type { PrivilegeContext, Raise };
import { PrivilegeTracker } from './derive.js';
import { levelOf, type Need } from './needs.js';


/** Attach `scope.privileges` to every judged file of `entries` (in run order, grouped by set). */
export function annotatePrivileges(entries: StateEntry[]): void {
  const groups = new Map<string, StateEntry[]>();
  for (const e of entries) {
    const key = groupKey(e, e.file.dialect ?? 'postgresql');
    const list = groups.get(key);
    if (list) list.push(e);
    else groups.set(key, [e]);
  }
  for (const [key, list] of groups) {
    if (key.startsWith('history\0') || !list.some((e) => e.judged)) continue;
    const tracker = new PrivilegeTracker(list.find((e) => e.file.dialect)?.file.dialect ?? 'postgresql');
    const levels = new Set<string>();
    let files = 0;
    for (const e of list) {
      const raisedHere = new Set<string>();
      const ctx: PrivilegeContext | undefined = e.judged ? { before: [...levels], historyFiles: files, historyKnown: e.historyKnown, raised: new Map() } : undefined;
      tracker.addFile(e.file.path, e.file.statements, (st, n) => {
        const level = levelOf(n);
        if (!level || levels.has(level)) return;
        raisedHere.add(level);
        if (!ctx || [...ctx.raised.values()].some((rs) => rs.some((r) => r.level === level))) return;
        ctx.raised.set(st, [...(ctx.raised.get(st) ?? []), { level, need: { ...n, site: { ...n.site } } }]);
      });
      for (const l of raisedHere) levels.add(l);
      files++;
      const scope = e.file.statements[0]?.scope;
      if (ctx && scope) scope.privileges = ctx;
    }
  }
}

// Where each statement stands in its file's statement list: the per-file index `indexOf` would
// otherwise recompute for every statement (a file can hold 100k+ statements). Shared by the rules'
// file indexes (src/sql/ast.ts) and the catalog reading of state (src/state/catalog.ts), which
// cannot import ast.ts (it imports state).
import type { Statement } from '../types.js';

const lists = new WeakMap<Statement[], { n: number; pos: Map<Statement, number> }>();

/** First position of each statement in `all` (what `indexOf` gives), built once per list and again if it grew. */
export function positionsIn(all: Statement[]): Map<Statement, number> {
  let ix = lists.get(all);
  if (!ix || ix.n !== all.length) {
    const pos = new Map<Statement, number>();
    for (let i = 0; i < all.length; i++) if (!pos.has(all[i])) pos.set(all[i], i);
    lists.set(all, (ix = { n: all.length, pos }));
  }
  return ix.pos;
}

/** Index of the first number above `x` in an ascending list (its length when none is). */
export function firstAbove(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

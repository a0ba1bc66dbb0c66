// Workflow annotations: GitHub shows at most 10 errors and 10 warnings per step, so we choose the
// 10 most severe of each level ourselves (gating first, then by category risk, then position).
import { CATEGORIES, type Category, type Result } from '../types.js';
import { ruleUrl } from '../report/links.js';
import { plain } from './render.js';

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  title: string;
  file: string;
  startLine: number;
  endLine: number;
}

const LEVEL = { error: 'error', warning: 'warning', info: 'notice' } as const;
export const ANNOTATIONS_PER_LEVEL = 10;

/** Most dangerous first: a leaked secret or code execution outranks a dropped column. */
const CATEGORY_RANK: Record<Category, number> = {
  credential: 0,
  execution: 1,
  privilege: 2,
  dynamic: 3,
  destructive: 4,
  integrity: 5,
  parse: 6,
  safety: 7,
};

export function annotations(result: Result): Annotation[] {
  const rank = (c: Category) => CATEGORY_RANK[c] ?? CATEGORIES.length;
  const sorted = result.findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => Number(b.f.gating) - Number(a.f.gating) || rank(a.f.category) - rank(b.f.category) || a.i - b.i);
  const out: Annotation[] = [];
  const count = { error: 0, warning: 0, notice: 0 };
  for (const level of ['error', 'warning', 'notice'] as const) {
    for (const { f } of sorted) {
      if ((LEVEL[f.severity] ?? 'error') !== level || count[level] >= ANNOTATIONS_PER_LEVEL) continue;
      count[level]++;
      const startLine = Math.max(1, Number(f.line) || 1);
      out.push({
        level,
        title: plain(`migration-gate: ${f.ruleId} (${f.category}${f.gating ? ', needs approval' : f.suppressed ? ', suppressed' : f.down ? ', down migration' : ''})`),
        message: `${plain(f.message)} (rule: ${ruleUrl(f.ruleId)})`,
        file: f.path,
        startLine,
        endLine: Math.max(startLine, Number(f.endLine) || startLine),
      });
    }
  }
  return out;
}

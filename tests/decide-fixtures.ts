// Builders for tests/decide*.test.ts: findings, results and approval inputs without the engine.
import type { ApprovalInput, Review } from '../src/decide/index.js';
import type { Category, Finding, Result } from '../src/types.js';

let seq = 0;
export function finding(o: Partial<Finding> = {}): Finding {
  seq++;
  return {
    ruleId: 'drop-table',
    category: 'destructive',
    severity: 'error',
    gating: true,
    path: 'migrations/001_init.sql',
    line: 1,
    column: 1,
    endLine: 1,
    message: 'Drops table users',
    snippet: 'DROP TABLE users;',
    fingerprint: `fp${String(seq).padStart(6, '0')}`,
    ...o,
  };
}

export function result(findings: Finding[], files?: string[]): Result {
  const paths = files ?? [...new Set(findings.map((f) => f.path))];
  const byCategory: Partial<Record<Category, number>> = {};
  for (const f of findings) byCategory[f.category] = (byCategory[f.category] ?? 0) + 1;
  return {
    version: 1,
    files: paths.map((path) => ({ path, kind: 'sql', dialect: 'postgresql', statements: 1, unparsed: 0 })),
    findings,
    summary: { files: paths.length, statements: paths.length, findings: findings.length, gating: findings.filter((f) => f.gating).length, byCategory },
  };
}

export const HEAD = 'a'.repeat(40);
export const OLD = 'b'.repeat(40);

let rid = 0;
export function review(user: string, state: Review['state'], o: Partial<Review> = {}): Review {
  rid++;
  return { user, userType: 'User', state, commitId: HEAD, submittedAt: `2024-01-01T00:00:${String(rid % 60).padStart(2, '0')}Z`, id: rid, ...o };
}

export function input(o: Partial<ApprovalInput> = {}): ApprovalInput {
  return { author: 'author', headSha: HEAD, reviews: [], permissions: {}, teams: {}, changedSince: {}, ...o };
}

/** Writers alice, bob, carol, dave; reader rita; triager tom. */
export const PERMS: ApprovalInput['permissions'] = { alice: 'write', bob: 'maintain', carol: 'admin', dave: 'write', rita: 'read', tom: 'triage', author: 'admin' };

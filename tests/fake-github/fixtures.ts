// Shared fixtures and assertions of the end-to-end tests.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { BUNDLE, cleanupRuns, ROOT, type RunResult } from './harness.js';
import { FakeGitHub, type FakeFile, type FakeReview, type RecordedRequest, type RepoState } from './server.js';

export const sha = (s: string) => createHash('sha1').update(s).digest('hex');

export const DROP_SQL = 'CREATE TABLE audit_log (id bigint);\nDROP TABLE users;\n';
export const CLEAN_SQL = 'CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);\n';
export const GRANT_SQL = 'CREATE TABLE reports (id bigint);\nGRANT SELECT ON reports TO reporting;\n';
export const SECRET = 'Xk9mQ2vLp7wRtZ4s';
export const CRED_SQL = `CREATE ROLE app LOGIN PASSWORD '${SECRET}';\n`;

export function mig(name: string, content: string, extra: Partial<FakeFile> = {}): FakeFile {
  return { filename: `db/migrations/${name}`, status: 'added', content, ...extra };
}

export function review(login: string, state: FakeReview['state'], commit: string, type: 'User' | 'Bot' = 'User'): FakeReview {
  return { user: { login, type }, state, commit_id: commit };
}

export function requests(state: RepoState, method: string, path: RegExp): RecordedRequest[] {
  return state.requests.filter((r) => r.method === method && path.test(r.path));
}

export const COMMENT_POSTS = /^\/repos\/[^/]+\/app\/(issues\/\d+\/comments|pulls\/\d+\/reviews)$/;

/** The secret appears nowhere: no request the action made, no output, log, summary or report. */
export function expectNoSecret(state: RepoState, r: RunResult, secret: string): void {
  for (const q of state.requests) {
    expect(q.body, `${q.method} ${q.path}`).not.toContain(secret);
    expect(JSON.stringify(q.query)).not.toContain(secret);
  }
  expect(r.all).not.toContain(secret);
  for (const f of readdirSync(r.dir, { recursive: true }) as string[]) {
    const p = join(r.dir, f);
    if (statSync(p).isFile()) expect(readFileSync(p, 'utf8'), p).not.toContain(secret);
  }
}

/** Warn (not fail: checkouts reset mtimes) when the bundle is older than the sources. */
export function checkBundle(): void {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`node scripts/build.mjs\` (npm test does).`);
  const built = statSync(BUNDLE).mtimeMs;
  const newest = (dir: string): number => {
    let m = 0;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      m = Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }
    return m;
  };
  if (newest(join(ROOT, 'src')) > built || newest(join(ROOT, 'rules')) > built) console.warn('dist/index.js may be stale: run `node scripts/build.mjs`');
}

export function statusStates(state: RepoState): string[] {
  return gateStatuses(state).map((s) => s.state);
}

/** The gate's own statuses, without the review record (`<context>/reviewed`, src/action/record.ts). */
export function gateStatuses(state: RepoState): RepoState['statuses'] {
  return state.statuses.filter((s) => !s.context.endsWith('/reviewed'));
}

/** One fake GitHub server for a test file: started before its tests (after checking the bundle), stopped after. */
export function useFakeGitHub(): FakeGitHub {
  const fake = new FakeGitHub();
  beforeAll(async () => {
    checkBundle();
    await fake.start();
  });
  afterAll(async () => {
    await fake.stop();
    cleanupRuns();
  });
  return fake;
}

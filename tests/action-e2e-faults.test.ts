// End-to-end: API faults, read-only tokens, the 3000-file cap, unreadable migrations, team
// lookups without read:org, broken policy files. Each must end in a clear message and never in a
// silent pass.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runAction } from './fake-github/harness.js';
import { useFakeGitHub, COMMENT_POSTS, DROP_SQL, mig, requests, review, sha, statusStates, gateStatuses } from './fake-github/fixtures.js';

vi.setConfig({ maxConcurrency: 8 });

/** A preload (`--import`) under which the PostgreSQL parser's WASM instantiation never completes. */
const HANG_PARSER = `const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = function (m, ...rest) {
  // Emscripten's instantiateWasm hook in src/parse/guard.ts (Node's own fetch instantiates llhttp too)
  if (new Error().stack.includes('instantiateWasm')) return new Promise(() => {});
  return instantiate.call(this, m, ...rest);
};
`;

const fake = useFakeGitHub();

describe('migration-gate action under faults', { timeout: 200_000 }, () => {
  it('5xx then success: retried with backoff, the review completes', async () => {
    const s = fake.repo({
      files: [mig('0002_drop_users.sql', DROP_SQL)],
      faults: [
        { method: 'GET', path: /\/pulls\/7\/files$/, status: 502, times: 2 },
        { method: 'GET', path: /\/contents\/db\//, status: 503, times: 1 },
        { method: 'POST', path: /\/statuses\//, status: 500, times: 1 },
        { method: 'POST', path: /\/issues\/7\/comments$/, status: 502, times: 1 },
      ],
    });
    const r = await runAction(fake, s);
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('fail');
    expect(requests(s, 'GET', /\/pulls\/7\/files$/).map((q) => q.status)).toEqual([502, 502, 200]);
    expect(requests(s, 'GET', /\/contents\/db\//).map((q) => q.status)).toEqual([503, 200]);
    expect(statusStates(s)).toEqual(['pending', 'failure']);
    expect(s.issueComments).toHaveLength(1);
    expect(s.reviewComments).toHaveLength(1);
    expect(r.stdout).not.toMatch(/::warning::/);
  });

  it('a secondary rate limit is waited out (Retry-After honoured)', async () => {
    const s = fake.repo({
      files: [mig('0002_drop_users.sql', DROP_SQL)],
      faults: [{ method: 'GET', path: /\/pulls\/7\/files$/, status: 403, times: 1, message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', headers: { 'retry-after': '1' } }],
    });
    const r = await runAction(fake, s);
    expect(r.outputs.verdict).toBe('fail');
    expect(requests(s, 'GET', /\/pulls\/7\/files$/).map((q) => q.status)).toEqual([403, 200]);
    expect(r.stdout).toMatch(/secondary rate limit/);
  });

  it('403 on comments degrades to a warning; the verdict and status are still set', async () => {
    const s = fake.repo({
      files: [mig('0002_drop_users.sql', DROP_SQL)],
      faults: [
        { method: 'POST', path: /\/issues\/7\/comments$/, status: 403, message: 'Resource not accessible by integration' },
        { method: 'POST', path: /\/pulls\/7\/reviews$/, status: 403, message: 'Resource not accessible by integration' },
      ],
    });
    const r = await runAction(fake, s);
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('fail');
    expect(statusStates(s)).toEqual(['pending', 'failure']);
    expect(r.stdout).toMatch(/::warning::Cannot post the summary comment \(HTTP 403\).*pull-requests: write/);
    expect(r.summary).toContain('drop-table');
    expect(r.stdout).toMatch(/::error title=[^,]*drop-table/);
    // Once denied, the action does not keep trying (no review after the summary was refused).
    expect(requests(s, 'POST', /\/pulls\/7\/reviews$/)).toHaveLength(0);
  });

  it('fork PR with a read-only token: job summary, annotations, warnings and the verdict', async () => {
    const s = fake.repo({ files: [mig('0002_drop_users.sql', DROP_SQL)], readOnly: true });
    const r = await runAction(fake, s, { event: 'pull_request', action: 'opened' });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ verdict: 'fail', findings: '1' });
    expect(gateStatuses(s)).toHaveLength(0);
    expect(s.issueComments).toHaveLength(0);
    expect(r.stdout).toMatch(/::warning::Cannot set the commit status 'migration-gate' \(HTTP 403\).*statuses: write/);
    expect(r.stdout).toMatch(/::warning::Cannot post the summary comment \(HTTP 403\).*pull-requests: write/);
    expect(r.stdout).toMatch(/::error title=[^,]*drop-table[^,]*,file=db\/migrations\/0002_drop_users\.sql,line=2/);
    expect(r.summary).toContain('drop-table');
    expect(r.summary).toMatch(/statuses\\?: write/);
    // After the first 403 the status is not retried at the end of the run.
    expect(requests(s, 'POST', /\/statuses\//)).toHaveLength(1);
  });

  it('3000 files (GitHub’s listing cap): fails closed without reading anything', async () => {
    const files = Array.from({ length: 3000 }, (_, i) => ({ filename: `src/f${i}.ts`, status: 'added' as const, content: 'x\n' }));
    const s = fake.repo({ files });
    const r = await runAction(fake, s, { pr: { changed_files: 2999 } });
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('fail');
    expect(r.stdout + r.stderr).toMatch(/GitHub lists at most 3000 files/);
    expect(statusStates(s)).toEqual(['pending', 'error']);
    expect(gateStatuses(s)[1].description).toMatch(/^could not verify: /);
    // The review record says the review did not complete: never a pass for `verify`.
    expect(s.statuses.filter((x) => x.context === 'migration-gate/reviewed').map((x) => x.state)).toEqual(['pending', 'error']);
    expect(requests(s, 'GET', /\/pulls\/7\/files$/)).toHaveLength(30);
    expect(requests(s, 'GET', /\/contents\/src\//)).toHaveLength(0);
    // Also decided from the payload alone, before listing.
    const big = fake.repo({ files: [mig('0002_drop_users.sql', DROP_SQL)] });
    const r2 = await runAction(fake, big, { pr: { changed_files: 3400 } });
    expect([r2.code, r2.outputs.verdict]).toEqual([1, 'fail']);
    expect(requests(big, 'GET', /\/pulls\/7\/files$/)).toHaveLength(0);
    expect(statusStates(big)).toEqual(['pending', 'error']);
  });

  it('a migration that cannot be read fails closed (404, 403 too large)', async () => {
    const gone = fake.repo({ files: [{ filename: 'db/migrations/0009_ghost.sql', status: 'added' }] });
    const big = fake.repo({
      files: [mig('0009_huge.sql', DROP_SQL)],
      faults: [{ method: 'GET', path: /\/contents\/db\//, status: 403, message: 'This API returns blobs up to 100 MB in size. The requested blob is too large to fetch via the API.' }],
    });
    const [r1, r2] = await Promise.all([runAction(fake, gone), runAction(fake, big)]);
    for (const [r, s] of [
      [r1, gone],
      [r2, big],
    ] as const) {
      expect(r.code).toBe(1);
      expect(r.outputs.verdict).toBe('fail');
      expect(statusStates(s)).toEqual(['pending', 'error']);
      expect(r.stdout + r.stderr).toMatch(/::error::migration-gate: cannot read migration db\/migrations\/0009_/);
      expect(requests(s, 'POST', COMMENT_POSTS)).toHaveLength(0);
    }
    expect(r2.summary).toMatch(/too large/);
  });

  it('a persistent 5xx on reading a migration fails closed after the retries', async () => {
    const s = fake.repo({ files: [mig('0002_drop_users.sql', DROP_SQL)], faults: [{ method: 'GET', path: /\/contents\/db\//, status: 500 }] });
    const r = await runAction(fake, s);
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('fail');
    expect(requests(s, 'GET', /\/contents\/db\//)).toHaveLength(5); // 1 + 4 retries
    expect(statusStates(s)).toEqual(['pending', 'error']);
  });

  it('from: org/team without read:org is a clear error, never a silent pass; with members it counts them', async () => {
    const head = sha('head:team');
    const mk = (teams: Record<string, string[] | number>) => {
      const s = fake.repo({ headSha: head, files: [mig('0002_drop_users.sql', DROP_SQL)], reviews: [review('bob', 'APPROVED', head)], permissions: { bob: 'write' } });
      fake.setBase(s, '.github/migration-gate.yml', `policy:\n  destructive:\n    from: ['@${s.owner}/dba']\n`);
      s.teams = Object.fromEntries(Object.entries(teams).map(([k, v]) => [`${s.owner}/${k}`, v]));
      return s;
    };
    const denied = mk({ dba: 403 });
    const member = mk({ dba: ['carol', 'bob'] });
    const other = mk({ dba: ['carol'] });
    const [rd, rm, ro] = await Promise.all([runAction(fake, denied), runAction(fake, member), runAction(fake, other)]);
    expect([rd.code, rd.outputs.verdict]).toEqual([1, 'fail']);
    expect(rd.stdout).toMatch(/::warning::cannot check membership of team .*dba.*read:org/);
    expect(denied.issueComments[0].body).toMatch(/read\\?:org/);
    expect([rm.code, rm.outputs.verdict]).toEqual([0, 'pass']);
    expect([ro.code, ro.outputs.verdict]).toEqual([1, 'fail']);
    expect(requests(member, 'GET', /\/orgs\/[^/]+\/teams\/dba\/members$/)).toHaveLength(1);
  });

  it('a broken policy file on the base is a clear error', async () => {
    const s = fake.repo({ files: [mig('0002_drop_users.sql', DROP_SQL)], base: { '.github/migration-gate.yml': 'policy:\n  destructive:\n    aprovals: 0\n' } });
    const r = await runAction(fake, s);
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('fail');
    expect(r.stdout + r.stderr).toMatch(/\.github\/migration-gate\.yml \(base [0-9a-f]{7}\) is not valid/);
    expect(r.stdout + r.stderr).toMatch(/aprovals/);
    expect(statusStates(s)).toEqual(['pending', 'error']);
  });

  it('bad inputs are clear errors', async () => {
    const s = fake.repo({ files: [mig('0002_drop_users.sql', DROP_SQL)] });
    const r = await runAction(fake, s, { inputs: { comment: 'everything' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::migration-gate: input comment must be one of summary, inline, both, none/);
    const r2 = await runAction(fake, s, { inputs: { 'fail-job': 'yes please' } });
    expect(r2.code).toBe(1);
    expect(r2.stdout).toMatch(/input fail-job must be true or false/);
    expect(s.requests).toHaveLength(0);
  });
  it('a run that stops before it finishes (a promise that never settles) fails the job, never passes it', async () => {
    // The parser's WASM instantiation never completes: the event loop runs dry mid-review. Before,
    // Node exited 0 and the job passed with only a pending status behind.
    const hook = join(mkdtempSync(join(tmpdir(), 'mg-hang-')), 'hang-wasm.mjs');
    writeFileSync(hook, HANG_PARSER);
    const s = fake.repo({ files: [mig('0002_drop_users.sql', DROP_SQL)], base: { '.github/migration-gate.yml': 'replay: false\n' } });
    const r = await runAction(fake, s, { env: { NODE_OPTIONS: `--import ${hook}` } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::migration-gate: internal error: the run stopped before it finished/);
    expect(statusStates(s)).not.toContain('success');
  });
});

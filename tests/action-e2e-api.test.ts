// The Octokit-backed GitHubApi (src/github/octokit.ts) against the loopback fake, in process:
// pagination, raw bytes, hostile paths, caps, 404s and error shapes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runEngine } from '../src/engine.js';
import type { Config } from '../src/config/index.js';
import { GitHubApiError, type PullFile } from '../src/github/api.js';
import { octokitApi } from '../src/github/octokit.js';
import { FakeGitHub, rightLines, wholeFilePatch, type RepoState } from './fake-github/server.js';

const fake = new FakeGitHub();
beforeAll(() => fake.start());
afterAll(() => fake.stop());

const api = (s: RepoState, warn?: (m: string) => void, timeoutMs?: number) => octokitApi({ token: s.token, owner: s.owner, repo: s.repo, baseUrl: fake.url, warn, ...(timeoutMs ? { timeoutMs } : {}) });

describe('octokitApi against the fake GitHub', () => {
  it('follows Link pagination and stops at the cap', async () => {
    const files = Array.from({ length: 250 }, (_, i) => ({ filename: `f${i}.sql`, status: 'added' as const, content: 'select 1;\n' }));
    const s = fake.repo({ files });
    const r = await api(s).listPullFiles(s.number, 3000);
    expect(r.capped).toBe(false);
    expect(r.files.map((f) => f.filename)).toEqual(files.map((f) => f.filename));
    expect(r.files[0].patch).toBe('@@ -0,0 +1,1 @@\n+select 1;');
    expect(s.requests.map((q) => q.query.page ?? '1')).toEqual(['1', '2', '3']);
    const capped = await api(s).listPullFiles(s.number, 200);
    expect(capped).toMatchObject({ capped: true });
    expect(capped.files).toHaveLength(200);
  });

  it('reads raw bytes at a ref, keeps invalid UTF-8, encodes hostile paths, 404 → null', async () => {
    const bytes = Buffer.from([0x2d, 0x2d, 0x20, 0xff, 0xfe, 0x0a]);
    const hostile = 'db/migrations/a b?ref=main#x%2F..%20é.sql';
    const s = fake.repo({ files: [{ filename: 'db/m.sql', status: 'added', content: bytes }, { filename: hostile, status: 'added', content: 'DROP TABLE t;' }] });
    const a = api(s);
    expect(Buffer.from((await a.getContent('db/m.sql', s.headSha))!)).toEqual(bytes);
    expect(new TextDecoder().decode((await a.getContent(hostile, s.headSha))!)).toBe('DROP TABLE t;');
    const q = s.requests.at(-1)!;
    expect(q.path).toBe(`/repos/${s.fullName}/contents/${hostile}`);
    expect(q.query).toEqual({ ref: s.headSha });
    expect(await a.getContent('db/m.sql', s.baseSha)).toBeNull();
    expect(await a.getContent('nope.sql', s.headSha)).toBeNull();
  });

  it('maps roles, teams, comparisons and the viewer; errors carry the HTTP status', async () => {
    const s = fake.repo({
      files: [],
      permissions: { m: 'maintain', t: 'triage', w: 'write' },
      teams: {},
      compares: { 'a...b': { status: 'ahead', files: ['x.sql'] }, 'c...b': { status: 'ahead', files: Array.from({ length: 300 }, (_, i) => `f${i}`) } },
    });
    s.teams[`${s.owner}/dba`] = Array.from({ length: 130 }, (_, i) => `u${i}`);
    s.teams[`${s.owner}/secret`] = 403;
    const a = api(s);
    expect(await a.getPermission('m')).toBe('maintain');
    expect(await a.getPermission('t')).toBe('triage');
    expect(await a.getPermission('nobody')).toBe('none');
    expect(await a.listTeamMembers(s.owner, 'dba')).toHaveLength(130);
    const err = await a.listTeamMembers(s.owner, 'secret').catch((e) => e);
    expect(err).toBeInstanceOf(GitHubApiError);
    expect(err.status).toBe(403);
    expect(await a.compare('a', 'b')).toEqual({ status: 'ahead', files: ['x.sql'], complete: true, commits: [] });
    expect((await a.compare('c', 'b')).complete).toBe(false);
    expect(await a.viewerLogin()).toBeNull();
    const withUser = fake.repo({ files: [], viewer: { login: 'deploy-bot-user', type: 'User' }, viewerReadable: true });
    expect(await api(withUser).viewerLogin()).toBe('deploy-bot-user');
  });

  it('does not retry 4xx other than rate limits; retries 5xx', async () => {
    const s = fake.repo({ files: [], faults: [{ method: 'GET', path: /\/pulls\/7\/reviews$/, status: 422 }, { method: 'GET', path: /\/pulls\/7\/comments$/, status: 503, times: 2 }] });
    const a = api(s);
    const e = await a.listReviews(s.number).catch((x) => x);
    expect(e).toMatchObject({ status: 422 });
    expect(await a.listReviewComments(s.number)).toEqual([]);
    expect(s.requests.map((q) => `${q.path.split('/').pop()} ${q.status}`)).toEqual(['reviews 422', 'comments 503', 'comments 503', 'comments 200']);
  });
});

describe('rate limits, timeouts and error messages (src/github/http.ts)', () => {
  const RL = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

  it('429 with retry-after: waits as long as GitHub says before the retry', async () => {
    const s = fake.repo({ files: [], faults: [{ method: 'GET', path: /\/pulls\/7\/reviews$/, status: 429, times: 1, message: 'Too Many Requests', headers: { 'retry-after': '2' } }] });
    const notes: string[] = [];
    expect(await api(s, (m) => notes.push(m)).listReviews(s.number)).toEqual([]);
    const [first, second] = s.requests;
    expect([first.status, second.status]).toEqual([429, 200]);
    expect(second.at - first.at).toBeGreaterThanOrEqual(1900); // not the 0.25–1.5 s backoff of a 5xx
    expect(notes.join('\n')).toMatch(/rate limit hit on GET \/repos\/[^ ]+\/pulls\/7\/reviews \(HTTP 429\); retrying in 2s \(retry-after: 2\)/);
  });

  it('403 with x-ratelimit-remaining 0: waits until x-ratelimit-reset', async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 1);
    const s = fake.repo({ files: [], faults: [{ method: 'GET', path: /\/pulls\/7\/reviews$/, status: 403, times: 1, message: 'API rate limit exceeded', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } }] });
    expect(await api(s).listReviews(s.number)).toEqual([]);
    expect(s.requests.map((q) => q.status)).toEqual([403, 200]);
    expect(s.requests[1].at).toBeGreaterThanOrEqual(Number(reset) * 1000 - 50);
  });

  it('a wait longer than the cap is a clear error at once, never a silent pass', async () => {
    const s = fake.repo({ files: [], faults: [{ method: 'GET', path: /\/pulls\/7\/reviews$/, status: 403, message: RL, headers: { 'retry-after': '3600' } }] });
    const t = Date.now();
    const e = await api(s).listReviews(s.number).catch((x) => x);
    expect(Date.now() - t).toBeLessThan(20_000);
    expect(e).toBeInstanceOf(GitHubApiError);
    expect(e.status).toBe(403);
    expect(e.message).toMatch(/secondary rate limit \(HTTP 403\): GitHub asks to wait 3600 s \(retry-after: 3600\), more than the 60 s migration-gate waits/);
    expect(s.requests).toHaveLength(1);
  });

  it('a stalled request is cut off by our own timeout and retried; a route that always stalls fails with a clear error', async () => {
    const once = fake.repo({ files: [{ filename: 'db/a.sql', status: 'added', content: 'select 1;' }], faults: [{ method: 'GET', path: /\/contents\/db\/a\.sql$/, status: 0, stall: true, times: 1 }] });
    expect(new TextDecoder().decode((await api(once, undefined, 1500).getContent('db/a.sql', once.headSha))!)).toBe('select 1;');
    expect(once.requests).toHaveLength(2);
    const always = fake.repo({ files: [{ filename: 'db/a.sql', status: 'added', content: 'select 1;' }], faults: [{ method: 'GET', path: /\/contents\/db\/a\.sql$/, status: 0, stall: true }] });
    const t = Date.now();
    const e = await api(always, undefined, 1500).getContent('db/a.sql', always.headSha).catch((x) => x);
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(e).toBeInstanceOf(GitHubApiError);
    // The last attempt gets what is left of the 1.5 s (min(left, 0.5 s): 0.4 s when the backoff
    // between attempts took longer on a loaded machine), so its limit is read, not fixed.
    expect(e.message).toMatch(/contents\/db\/a\.sql at [0-9a-f]{12}: no answer within (?:0|0\.[1-5]) s; gave up after \d attempt\(s\) \(request-timeout 1\.5 s\)/);
  });

  it('errors name the file and the ref, not the route template', async () => {
    const s = fake.repo({ files: [{ filename: 'db/x.sql', status: 'added', content: 'x' }], faults: [{ method: 'GET', path: /\/contents\//, status: 500 }] });
    const e = await octokitApi({ token: s.token, owner: s.owner, repo: s.repo, baseUrl: fake.url, retries: 0 }).getContent('db/x.sql', s.headSha).catch((x) => x);
    expect(e.message).toContain(`GET /repos/${s.fullName}/contents/db/x.sql at ${s.headSha.slice(0, 12)}: HTTP 500`);
    expect(e.message).not.toContain('{path}');
  });

  it('deletes comments, reads pull requests, combined statuses and the pull requests of a commit', async () => {
    const s = fake.repo({ files: [], queuePulls: { 8: { headSha: 'b'.repeat(40) } }, commitPulls: { ['c'.repeat(40)]: [8, 9] } });
    s.statuses.push({ sha: 'b'.repeat(40), state: 'failure', context: 'migration-gate', description: 'x' }, { sha: 'b'.repeat(40), state: 'success', context: 'migration-gate', description: 'y' });
    const a = api(s);
    expect(await a.getPull(8)).toEqual({ number: 8, state: 'open', headSha: 'b'.repeat(40), baseRef: 'main' });
    expect(await a.getStatuses('b'.repeat(40))).toEqual([{ context: 'migration-gate', state: 'success', description: 'y' }]);
    expect(await a.listCommitPulls('c'.repeat(40))).toEqual([8, 9]);
    const id = await a.createIssueComment(s.number, 'hello');
    await a.deleteIssueComment(id);
    expect(s.issueComments).toHaveLength(0);
    expect(await a.deleteIssueComment(id).catch((x) => x.status)).toBe(404);
  });
});

describe('the fake itself', () => {
  it('computes RIGHT-side diff lines like GitHub', () => {
    expect([...rightLines(wholeFilePatch('a\nb\n', 'a\nc\nd\n'))]).toEqual([1, 2, 3]);
    expect([...rightLines('@@ -1,3 +1,3 @@\n a\n-b\n+c\n d\n\\ No newline at end of file\n@@ -10,2 +10,2 @@\n x\n+y')]).toEqual([1, 2, 3, 10, 11]);
  });
});

describe('integrity findings from the file list', () => {
  const f = (filename: string, status: string, previousFilename?: string, patch?: string): PullFile => ({ filename, status, sha: null, ...(previousFilename ? { previousFilename } : {}), ...(patch ? { patch } : {}) });
  const integrityFindings = async (files: PullFile[], opts: { config: Config; configPath: string }) => (await runEngine([], { config: opts.config, changes: files, policyPath: opts.configPath })).findings;
  const ids = async (files: PullFile[], config: Config = {}) => (await integrityFindings(files, { config, configPath: '.github/migration-gate.yml' })).map((x) => `${x.ruleId} ${x.path}:${x.line} ${x.severity}${x.gating ? ' gating' : ''}`);

  it('flags merged migrations edited, removed or renamed, and policy/workflow edits; nothing else', async () => {
    expect(
      await ids([
        f('db/V1__init.sql', 'modified', undefined, '@@ -1,2 +1,3 @@\n a\n b\n+c'),
        f('db/V2__x.sql', 'removed'),
        f('db/V3__y.sql', 'renamed', 'db/V3__old.sql'),
        f('notes/x.txt', 'renamed', 'db/V4__moved_away.sql'),
        f('db/V5__from_text.sql', 'renamed', 'db/V5.txt'),
        f('db/V6__new.sql', 'added'),
        f('db/V7__copy.sql', 'copied', 'db/V1__init.sql'),
        f('app/.env', 'modified'),
        f('README.md', 'modified'),
        f('.github/migration-gate.yml', 'added'),
        f('.github/workflows/deploy.yml', 'removed'),
        f('db/V8__mode.sql', 'changed'),
      ]),
    ).toEqual([
      'gate-config-changed .github/migration-gate.yml:1 error gating',
      'workflow-changed .github/workflows/deploy.yml:1 error gating',
      'migration-modified db/V1__init.sql:3 error gating',
      'migration-removed db/V2__x.sql:1 error gating',
      'migration-renamed db/V3__y.sql:1 error gating',
      'migration-modified db/V8__mode.sql:1 error gating',
      'migration-renamed notes/x.txt:1 error gating',
    ]);
  });

  it('config can turn them off or re-rate them, and uses its globs; Flyway repeatable migrations are exempt', async () => {
    const files = [f('db/V1__init.sql', 'modified'), f('db/R__views.sql', 'modified'), f('.github/workflows/ci.yml', 'modified'), f('db/migrate/001.py', 'modified')];
    expect(await ids(files)).toEqual(['workflow-changed .github/workflows/ci.yml:1 error gating', 'migration-modified db/V1__init.sql:1 error gating']);
    expect(await ids(files, { rules: { 'migration-modified': 'off', 'workflow-changed': { severity: 'warning' } } })).toEqual(['workflow-changed .github/workflows/ci.yml:1 warning']);
    expect(await ids(files, { include: ['db/migrate/*.py'] })).toEqual(['workflow-changed .github/workflows/ci.yml:1 error gating', 'migration-modified db/migrate/001.py:1 error gating']);
  });

  it('fingerprints are stable across runs and distinct per file', async () => {
    const a = await integrityFindings([f('db/1.sql', 'removed'), f('db/2.sql', 'removed')], { config: {}, configPath: 'x.yml' });
    const b = await integrityFindings([f('db/1.sql', 'removed')], { config: {}, configPath: 'x.yml' });
    expect(a[0].fingerprint).toBe(b[0].fingerprint);
    expect(a[0].fingerprint).not.toBe(a[1].fingerprint);
  });
});

// End-to-end: `migration-gate verify` (the built CLI, dist/cli/index.js, spawned) against the loopback
// fake GitHub: the default branch's history, the pull requests that brought each file, and the review
// records the action writes (dist/index.js, spawned, writes the record the first tests verify).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ROOT, runAction } from './fake-github/harness.js';
import { CLEAN_SQL, DROP_SQL, mig, sha, useFakeGitHub } from './fake-github/fixtures.js';
import { ACTIONS_BOT, type FakeGitHub, type FakeUser, type RepoState } from './fake-github/server.js';

vi.setConfig({ maxConcurrency: 6 });
const fake = useFakeGitHub();
/** The CLI under test; MIGRATION_GATE_CLI points the suite at another build. */
const CLI = process.env.MIGRATION_GATE_CLI ? resolve(process.env.MIGRATION_GATE_CLI) : join(ROOT, 'dist', 'cli', 'index.js');
const CONTEXT = 'migration-gate/reviewed';

// Independent of src/provenance on purpose: the expected record is computed here.
const blob = (c: string | Buffer) => {
  const b = Buffer.isBuffer(c) ? c : Buffer.from(c);
  return createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
};
function digest(files: Array<[string, string]>): string {
  const lines = files.map(([p, c]) => `${p}\0${blob(c)}\n`).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return createHash('sha256').update(lines.join('')).digest('hex');
}
/** A review record as the action writes it, on `at`. */
function record(s: RepoState, at: string, state: string, files: Array<[string, string]>, verdict = 'pass', creator: FakeUser = ACTIONS_BOT): void {
  s.statuses.push({ sha: at, state, context: CONTEXT, description: `sha256:${digest(files)} ${files.length} files, ${verdict}`, creator });
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function workdir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'mg-verify-'));
  dirs.push(d);
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(d, p)), { recursive: true });
    writeFileSync(join(d, p), c);
  }
  return d;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  json: any;
}
/** Spawned (not spawnSync: the fake server answers from this process). */
async function verify(f: FakeGitHub, s: RepoState, cwd: string, args: string[] = [], env: Record<string, string> = {}): Promise<Run> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: npm run build`);
  const child = spawn(process.execPath, [CLI, 'verify', '--format', 'json', ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, NO_COLOR: '1', GITHUB_TOKEN: s.token, GITHUB_REPOSITORY: s.fullName, GITHUB_API_URL: f.url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((res) => child.on('close', res));
  let json: any = null;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = null;
  }
  return { code, stdout, stderr, json };
}
const byPath = (r: Run) => Object.fromEntries((r.json?.files ?? []).map((f: any) => [f.path, f]));

const A = 'CREATE TABLE a (id bigint);\n';
const B = 'CREATE TABLE b (id bigint);\n';
const B2 = 'CREATE TABLE b (id bigint);\nDROP TABLE a;\n';

describe('migration-gate verify end to end', { timeout: 200_000 }, () => {
  it('the action records what it reviewed; verify accepts those bytes once merged, and refuses a failed review', async () => {
    const path = 'db/migrations/0001_accounts.sql';
    const s = fake.repo({ files: [mig('0001_accounts.sql', CLEAN_SQL), { filename: 'README.md', status: 'modified', content: 'hi\n', baseContent: 'ho\n' }] });
    const r = await runAction(fake, s);
    expect(r.code).toBe(0);
    const recs = s.statuses.filter((x) => x.context === CONTEXT);
    expect(recs.map((x) => x.state)).toEqual(['pending', 'success']);
    expect(recs[1]).toMatchObject({ sha: s.headSha, description: `sha256:${digest([[path, CLEAN_SQL], ['README.md', 'hi\n']])} 2 files, pass` });
    expect(recs[1].description.length).toBeLessThanOrEqual(140);

    // A gating migration without approval: recorded as failure, with its digest.
    const dropPath = 'db/migrations/0002_drop.sql';
    s.pulls.set(8, { number: 8, headSha: sha('drop-head'), files: [{ filename: dropPath, content: DROP_SQL }] });
    const t = fake.repo({ files: [mig('0002_drop.sql', DROP_SQL)], headSha: sha('drop-head') });
    const rt = await runAction(fake, t);
    expect(rt.code).toBe(1);
    const failed = t.statuses.filter((x) => x.context === CONTEXT).at(-1)!;
    expect(failed).toMatchObject({ state: 'failure', sha: t.headSha });
    expect(failed.description).toMatch(new RegExp(`^sha256:${digest([[dropPath, DROP_SQL]])} 1 file, (fail|blocked)$`));
    s.statuses.push(failed); // the same record, in the repository verify reads

    // Merged: PR #7 (squash) and PR #8 (merged although the gate failed, e.g. by an admin).
    s.pulls.set(s.number, { number: s.number, headSha: s.headSha, files: [{ filename: path, content: CLEAN_SQL }, { filename: 'README.md', status: 'modified', content: 'hi\n' }] });
    fake.commit(s, { changes: { [path]: CLEAN_SQL, 'README.md': 'hi\n' }, pulls: [s.number] });
    const ok = await verify(fake, s, workdir({ [path]: CLEAN_SQL }), [path]);
    expect(ok.stderr).toBe('');
    expect([ok.code, ok.json.ok, byPath(ok)[path].status, byPath(ok)[path].pull]).toEqual([0, true, 'verified', s.number]);

    fake.commit(s, { changes: { [dropPath]: DROP_SQL }, pulls: [8] });
    const bad = await verify(fake, s, workdir({ [path]: CLEAN_SQL, [dropPath]: DROP_SQL }), ['db']);
    expect(bad.code).toBe(1);
    expect(byPath(bad)[path].status).toBe('verified');
    expect(byPath(bad)[dropPath]).toMatchObject({ status: 'unreviewed', pull: 8 });
    expect(byPath(bad)[dropPath].detail).toMatch(/did not pass/);
  });

  it('all reviewed: default walk of the repository, text output, exit 0', async () => {
    const s = fake.repo({ files: [] });
    record(s, sha('h1'), 'success', [['db/migrations/001.sql', A], ['app.py', 'x\n']]);
    record(s, sha('h2'), 'success', [['db/migrations/002.sql', B]]);
    s.pulls.set(1, { number: 1, headSha: sha('h1'), files: [{ filename: 'db/migrations/001.sql', content: A }, { filename: 'app.py', content: 'x\n' }] });
    s.pulls.set(2, { number: 2, headSha: sha('h2'), files: [{ filename: 'db/migrations/002.sql', content: B }] });
    fake.commit(s, { changes: { 'db/migrations/001.sql': A, 'app.py': 'x\n' }, pulls: [1] });
    fake.commit(s, { changes: { 'db/migrations/002.sql': B }, pulls: [2] });
    // .env is selected for review (credentials) but is not a migration that runs: not verified.
    const d = workdir({ 'db/migrations/001.sql': A, 'db/migrations/002.sql': B, '.env': 'X=1\n', 'app.py': 'x\n' });
    const r = await verify(fake, s, d, ['--format', 'text']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 migration files against .*@main/);
    expect(r.stdout).toMatch(/ok +db\/migrations\/001\.sql +PR #1: migration-gate passed/);
    expect(r.stdout).toMatch(/all 2 verified\./);
    expect(r.stdout).not.toContain('.env');
  });

  it('a file edited after the approving review: non-zero, named', async () => {
    const s = fake.repo({ files: [] });
    const p = 'db/migrations/003.sql';
    // Reviewed and passed at h1 with A; the author pushed h2 (B2) after the approval; merged at h2.
    record(s, sha('e1'), 'success', [[p, B]]);
    record(s, sha('e2'), 'failure', [[p, B2]], 'fail');
    s.pulls.set(3, { number: 3, headSha: sha('e2'), commits: [sha('e1'), sha('e2')], files: [{ filename: p, content: B2 }] });
    // Same, but the run on the new head never happened (no record at all on it).
    const q = 'db/migrations/004.sql';
    record(s, sha('f1'), 'success', [[q, A]]);
    s.pulls.set(4, { number: 4, headSha: sha('f2'), commits: [sha('f1'), sha('f2')], files: [{ filename: q, content: B }] });
    // And a merge commit that changed the migration while merging PR #5 (reviewed with A).
    const m = 'db/migrations/005.sql';
    record(s, sha('g1'), 'success', [[m, A]]);
    s.pulls.set(5, { number: 5, headSha: sha('g1'), files: [{ filename: m, content: A }] });
    fake.commit(s, { changes: { [p]: B2 }, pulls: [3] });
    fake.commit(s, { changes: { [q]: B }, pulls: [4] });
    fake.commit(s, { changes: { [m]: B2 }, pulls: [5] });
    const r = await verify(fake, s, workdir({ [p]: B2, [q]: B, [m]: B2 }), ['db/migrations']);
    expect(r.code).toBe(1);
    const f = byPath(r);
    expect(f[p]).toMatchObject({ status: 'edited-after-review', pull: 3 });
    expect(f[p].detail).toContain(`passed at ${sha('e1').slice(0, 7)}`);
    expect(f[q]).toMatchObject({ status: 'edited-after-review', pull: 4 });
    expect(f[m]).toMatchObject({ status: 'edited-after-review', pull: 5 });
    expect(f[m].detail).toContain(`reviewed with blob ${blob(A).slice(0, 7)}`);
    expect(r.json.summary).toMatchObject({ files: 3, verified: 0, editedAfterReview: 3 });
  });

  it('pushed directly to the default branch; a record written by someone else does not count; --baseline', async () => {
    const s = fake.repo({ files: [] });
    const old = 'db/migrations/000_old.sql';
    const first = fake.commit(s, { changes: { [old]: A } }); // before migration-gate: no PR
    const direct = 'db/migrations/006.sql';
    fake.commit(s, { changes: { [direct]: B } });
    // A "record" written with a collaborator's token on PR #6's head: not the action's.
    const forged = 'db/migrations/007.sql';
    record(s, sha('m1'), 'success', [[forged, B2]], 'pass', { login: 'mallory', type: 'User' });
    s.pulls.set(6, { number: 6, headSha: sha('m1'), files: [{ filename: forged, content: B2 }] });
    fake.commit(s, { changes: { [forged]: B2 }, pulls: [6] });
    // A passing record whose digest is not of the PR's files (another content was reviewed).
    const other = 'db/migrations/009.sql';
    record(s, sha('o1'), 'success', [[other, A]]);
    s.pulls.set(12, { number: 12, headSha: sha('o1'), files: [{ filename: other, content: B }] });
    fake.commit(s, { changes: { [other]: B }, pulls: [12] });
    const d = workdir({ [old]: A, [direct]: B, [forged]: B2, [other]: B });
    const r = await verify(fake, s, d, ['db']);
    expect(r.code).toBe(1);
    const f = byPath(r);
    expect(f[direct].status).toBe('direct-push');
    expect(f[old].status).toBe('direct-push');
    expect(f[forged]).toMatchObject({ status: 'unreviewed', pull: 6 });
    expect(f[forged].detail).toMatch(/no review record/);
    expect(f[other]).toMatchObject({ status: 'unreviewed', pull: 12 });
    expect(f[other].detail).toMatch(/does not match the PR's files/);
    // The creator the deploy trusts (e.g. a GitHub App that runs the action) is an option.
    const trusted = await verify(fake, s, d, [forged, '--trusted-creator', 'mallory']);
    expect([trusted.code, byPath(trusted)[forged].status]).toEqual([0, 'verified']);
    // Files as they were at the baseline commit are accepted; the direct push after it is not.
    const base = await verify(fake, s, d, [old, direct, '--baseline', first]);
    expect(base.code).toBe(1);
    expect([byPath(base)[old].status, byPath(base)[direct].status]).toEqual(['baseline', 'direct-push']);
  });

  it('a file the repository never had, and bytes edited on the deploy host: unknown', async () => {
    const s = fake.repo({ files: [] });
    const p = 'db/migrations/008.sql';
    record(s, sha('k1'), 'success', [[p, A]]);
    s.pulls.set(9, { number: 9, headSha: sha('k1'), files: [{ filename: p, content: A }] });
    fake.commit(s, { changes: { [p]: A }, pulls: [9] });
    const r = await verify(fake, s, workdir({ [p]: A + '-- edited on the host\n', 'db/migrations/999_injected.sql': 'DROP TABLE a;\n' }), ['db']);
    expect(r.code).toBe(1);
    const f = byPath(r);
    expect(f['db/migrations/999_injected.sql']).toMatchObject({ status: 'unknown' });
    expect(f['db/migrations/999_injected.sql'].detail).toMatch(/no commit on main has this path/);
    expect(f[p].status).toBe('unknown');
    expect(f[p].detail).toMatch(/no commit on main has these bytes at this path \(1 commit changed it\)/);
  });

  it('a token without permission: a clear error naming the permission, exit 2', async () => {
    const p = 'db/migrations/010.sql';
    const setup = (faults: any[]) => {
      const s = fake.repo({ files: [], faults });
      record(s, sha('p1'), 'success', [[p, A]]);
      s.pulls.set(1, { number: 1, headSha: sha('p1'), files: [{ filename: p, content: A }] });
      fake.commit(s, { changes: { [p]: A }, pulls: [1] });
      return s;
    };
    const d = workdir({ [p]: A });
    const statuses = setup([{ path: /\/statuses$/, status: 403, message: 'Resource not accessible by personal access token' }]);
    const r1 = await verify(fake, statuses, d, [p]);
    expect(r1.code).toBe(2);
    expect(r1.stdout).toBe('');
    expect(r1.stderr).toMatch(/needs `statuses: read`/);
    expect(r1.stderr).toMatch(/Nothing was verified/);
    const pulls = setup([{ path: /\/commits\/[0-9a-f]{40}\/pulls$/, status: 404 }]);
    expect((await verify(fake, pulls, d, [p])).stderr).toMatch(/needs `pull-requests: read`/);
    const contents = setup([{ path: /\/commits$/, status: 403 }]);
    expect((await verify(fake, contents, d, [p])).stderr).toMatch(/needs `contents: read`/);
    const bad = await verify(fake, statuses, d, [p], { GITHUB_TOKEN: 'ghp_wrong' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/token was rejected \(HTTP 401/);
    expect(bad.stderr + bad.stdout).not.toContain(statuses.token);
    const none = await verify(fake, statuses, d, [p], { GITHUB_TOKEN: '' });
    expect([none.code, /no token/.test(none.stderr)]).toEqual([2, true]);
  });

  it('paginates commits, pull requests, their files and statuses (2 per page)', async () => {
    const s = fake.repo({ files: [], maxPerPage: 2 });
    const p = 'db/migrations/011.sql';
    // Reviewed in PR #20 (its 5 files span 3 pages), then the file went B, A, B, A by direct pushes:
    // the PR's commit is the oldest, on the last page of the path's commits.
    const prFiles: Array<[string, string]> = [[p, A], ...Array.from({ length: 4 }, (_, i): [string, string] => [`src/f${i}.ts`, `${i}\n`])];
    record(s, sha('q1'), 'success', prFiles);
    for (let i = 0; i < 5; i++) s.statuses.push({ sha: sha('q1'), state: 'success', context: `ci/${i}`, description: 'ok', creator: ACTIONS_BOT });
    s.pulls.set(20, { number: 20, headSha: sha('q1'), files: prFiles.map(([filename, content]) => ({ filename, content })) });
    s.pulls.set(21, { number: 21, headSha: sha('q2'), merged: false, files: [] });
    s.pulls.set(22, { number: 22, headSha: sha('q3'), merged: false, files: [] });
    fake.commit(s, { changes: Object.fromEntries(prFiles), pulls: [21, 22, 20] });
    for (const c of [B, A, B, A]) fake.commit(s, { changes: { [p]: c } });
    const r = await verify(fake, s, workdir({ [p]: A }), [p]);
    expect(r.stderr).toBe('');
    expect([r.code, byPath(r)[p].status, byPath(r)[p].pull]).toEqual([0, 'verified', 20]);
    const pages = (re: RegExp) => s.requests.filter((q) => re.test(q.path)).map((q) => q.query.page ?? '1');
    expect(pages(/\/commits$/)).toEqual(['1', '2', '3']);
    expect(pages(/\/pulls\/20\/files$/)).toEqual(['1', '2', '3']);
    expect(pages(/\/statuses$/)).toEqual(['1', '2', '3']);
    expect(pages(/\/commits\/[0-9a-f]{40}\/pulls$/)).toContain('2');
  });
});

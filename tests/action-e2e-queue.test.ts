// End-to-end (spawned dist/index.js against the loopback fake GitHub): rate limits with
// retry-after, a hanging request cut off by our timeout, two runs at once on one pull request,
// merge_group events, an org-wide policy file, and options set through `with:`.
import { describe, expect, it, vi } from 'vitest';
import { runAction } from './fake-github/harness.js';
import { useFakeGitHub, DROP_SQL, CLEAN_SQL, mig, requests, sha, statusStates } from './fake-github/fixtures.js';
import type { RepoState } from './fake-github/server.js';

vi.setConfig({ maxConcurrency: 8 });

const fake = useFakeGitHub();
const DROP = mig('0002_drop_users.sql', DROP_SQL);

describe('rate limits and timeouts', { timeout: 200_000 }, () => {
  it('429 with retry-after: the retry waits as GitHub says, the review completes', async () => {
    const s = fake.repo({ files: [DROP], faults: [{ method: 'GET', path: /\/pulls\/7\/files$/, status: 429, times: 1, message: 'Too Many Requests', headers: { 'retry-after': '2' } }] });
    const r = await runAction(fake, s);
    expect([r.code, r.outputs.verdict]).toEqual([1, 'fail']);
    const q = requests(s, 'GET', /\/pulls\/7\/files$/);
    expect(q.map((x) => x.status)).toEqual([429, 200]);
    expect(q[1].at - q[0].at).toBeGreaterThanOrEqual(1900);
    expect(r.stdout).toMatch(/rate limit hit on GET \/repos\/[^ ]+\/pulls\/7\/files \(HTTP 429\); retrying in 2s/);
    expect(statusStates(s)).toEqual(['pending', 'failure']);
  });

  it('a rate limit longer than the cap: an error naming the wait, status error, never a pass', async () => {
    const s = fake.repo({ files: [DROP], faults: [{ method: 'GET', path: /\/contents\/db\//, status: 429, message: 'Too Many Requests', headers: { 'retry-after': '3600' } }] });
    const r = await runAction(fake, s);
    expect([r.code, r.outputs.verdict]).toEqual([1, 'fail']);
    expect(r.stdout).toMatch(/::error::migration-gate: cannot read migration db\/migrations\/0002_drop_users\.sql at [0-9a-f]{7}: .*GitHub asks to wait 3600 s \(retry-after: 3600\), more than the 60 s/);
    expect(statusStates(s)).toEqual(['pending', 'error']);
    expect(requests(s, 'GET', /\/contents\/db\//)).toHaveLength(1);
  });

  it('a request that hangs is cut off (request-timeout) and retried; one that always hangs fails closed naming the file', async () => {
    const stall = { method: 'GET', path: /\/contents\/db\/migrations\/0002_drop_users\.sql$/, status: 0, stall: true };
    const once = fake.repo({ files: [DROP], faults: [{ ...stall, times: 1 }] });
    const always = fake.repo({ files: [DROP], faults: [stall] });
    const inputs = { 'request-timeout': '1.5' };
    const [r1, r2] = await Promise.all([runAction(fake, once, { inputs }), runAction(fake, always, { inputs })]);
    expect([r1.code, r1.outputs.verdict]).toEqual([1, 'fail']);
    expect(statusStates(once)).toEqual(['pending', 'failure']);
    expect(requests(once, 'GET', /\/contents\/db\//)).toHaveLength(2);
    expect(r1.stdout).toMatch(/no answer within 0\.5 s; retrying/);
    expect([r2.code, r2.outputs.verdict]).toEqual([1, 'fail']);
    expect(r2.stdout).toMatch(/::error::migration-gate: cannot read migration db\/migrations\/0002_drop_users\.sql at [0-9a-f]{7}: GET \/repos\/[^ ]+\/contents\/db\/migrations\/0002_drop_users\.sql at [0-9a-f]{12}: no answer within 0\.\d s; gave up after \d attempt\(s\) \(request-timeout 1\.5 s\)/);
    expect(statusStates(always)).toEqual(['pending', 'error']);
    const bad = await runAction(fake, fake.repo({ files: [DROP] }), { inputs: { 'request-timeout': 'soon' } });
    expect(bad.stdout).toMatch(/input request-timeout must be a number of seconds/);
  });

  it('a policy file that cannot be read is named (not contents/{path})', async () => {
    const s = fake.repo({ files: [DROP], faults: [{ method: 'GET', path: /\/contents\/\.github\/migration-gate\.yml$/, status: 500 }] });
    const r = await runAction(fake, s, { inputs: { 'request-timeout': '3' } });
    expect([r.code, r.outputs.verdict]).toEqual([1, 'fail']);
    expect(r.stdout).toMatch(/::error::migration-gate: cannot read the policy file \.github\/migration-gate\.yml at the base commit [0-9a-f]{7}: GET \/repos\/[^ ]+\/contents\/\.github\/migration-gate\.yml at [0-9a-f]{12}: HTTP 500/);
    expect(r.stdout).not.toContain('{path}');
  });
});

describe('two runs at once on one pull request', { timeout: 200_000 }, () => {
  it('leave exactly one summary comment and one inline comment per finding', async () => {
    // The barriers hold each listing until both runs asked: both see no comment of ours and both post.
    const s = fake.repo({
      files: [DROP, mig('0003_drop_orders.sql', 'DROP TABLE orders;\n')],
      barriers: [
        { method: 'GET', path: /\/issues\/7\/comments$/, count: 2 },
        { method: 'GET', path: /\/pulls\/7\/comments$/, count: 2 },
      ],
    });
    const [a, b] = await Promise.all([runAction(fake, s), runAction(fake, s)]);
    for (const r of [a, b]) expect([r.code, r.outputs.verdict]).toEqual([1, 'fail']);
    expect(requests(s, 'POST', /\/issues\/7\/comments$/)).toHaveLength(2); // both posted…
    expect(requests(s, 'POST', /\/pulls\/7\/reviews$/)).toHaveLength(2);
    expect(s.issueComments).toHaveLength(1); // …and one of each is left: the oldest
    expect(s.issueComments[0].body).toMatch(/^<!-- migration-gate:summary -->/);
    const lines = s.reviewComments.map((c) => `${c.path}:${c.line}`);
    expect(new Set(lines).size).toBe(lines.length); // no finding commented twice
    expect(lines).toEqual(expect.arrayContaining(['db/migrations/0002_drop_users.sql:2', 'db/migrations/0003_drop_orders.sql:1']));
    const inlineCount = s.reviewComments.length;
    expect(requests(s, 'DELETE', /\/pulls\/comments\/\d+$/).filter((q) => q.status === 204).length).toBeGreaterThanOrEqual(2); // both drops were posted twice
    const posted = requests(s, 'POST', /\/issues\/7\/comments$/).map((q) => q.status);
    expect(posted).toEqual([201, 201]);
    expect(requests(s, 'DELETE', /\/issues\/comments\/\d+$/).filter((q) => q.status === 204)).toHaveLength(1);
    // A third run afterwards updates the one comment in place and posts nothing new.
    const c = await runAction(fake, s);
    expect(c.code).toBe(1);
    expect(s.issueComments).toHaveLength(1);
    expect(s.reviewComments).toHaveLength(inlineCount);
  });
});

describe('merge_group', { timeout: 200_000 }, () => {
  const G = sha('merge-group-head');
  const C7 = sha('commit-of-7');
  const C8 = sha('commit-of-8');
  const H8 = sha('head-of-8');
  const group = (statuses: Record<string, string | undefined>, opts: { headRef?: string; commits?: string[] } = {}) => {
    const s = fake.repo({ files: [DROP], queuePulls: { 8: { headSha: H8 }, 9: { headSha: sha('closed-9'), state: 'closed' } }, commitPulls: { [C7]: [7], [C8]: [8, 9] } });
    s.compares[`${s.baseSha}...${G}`] = { status: 'ahead', files: [], commits: opts.commits ?? [C7, C8] };
    for (const [head, state] of Object.entries({ [s.headSha]: statuses['7'], [H8]: statuses['8'] })) if (state) s.statuses.push({ sha: head, state, context: 'migration-gate', description: `pr ${state}` });
    const payload = {
      action: 'checks_requested',
      merge_group: { head_sha: G, head_ref: opts.headRef ?? `refs/heads/gh-readonly-queue/main/pr-8-${sha('x')}`, base_sha: s.baseSha, base_ref: 'refs/heads/main', head_commit: { id: G } },
      repository: { full_name: s.fullName, name: s.repo, owner: { login: s.owner } },
    };
    return { s, payload };
  };
  const onGroup = (s: RepoState) => s.statuses.filter((x) => x.sha === G);

  it('every pull request in the group passed on its head: success on the merge group head', async () => {
    const { s, payload } = group({ 7: 'success', 8: 'success' });
    const r = await runAction(fake, s, { event: 'merge_group', payload });
    expect([r.code, r.outputs.verdict]).toEqual([0, 'pass']);
    expect(onGroup(s).map((x) => x.state)).toEqual(['pending', 'success']);
    expect(onGroup(s)[1].description).toMatch(/2 pull request\(s\) in the merge group passed: #7, #8/);
    expect(r.summary).toMatch(/#7/);
    // Nothing was read from the pull requests' files; the closed #9 that shares a commit is not in the group.
    expect(requests(s, 'GET', /\/contents\//)).toHaveLength(0);
    expect(r.summary).not.toMatch(/#9/);
  });

  it('fails closed: a pull request with a failing or missing status, or a group we cannot tell', async () => {
    const a = group({ 7: 'success', 8: 'failure' });
    const b = group({ 7: 'success' });
    const c = group({ 7: 'pending', 8: 'success' });
    const d = group({}, { headRef: 'refs/heads/some-branch', commits: [] });
    const runs = await Promise.all([a, b, c, d].map(({ s, payload }) => runAction(fake, s, { event: 'merge_group', payload })));
    for (const r of runs) expect([r.code, r.outputs.verdict]).toEqual([1, 'fail']);
    expect(onGroup(a.s).at(-1)).toMatchObject({ state: 'failure' });
    expect(onGroup(a.s).at(-1)!.description).toMatch(/#8: failure/);
    expect(onGroup(b.s).at(-1)!.description).toMatch(/#8: missing/);
    expect(onGroup(c.s).at(-1)!.description).toMatch(/#7: pending/);
    expect(onGroup(d.s).at(-1)).toMatchObject({ state: 'failure', description: expect.stringMatching(/cannot tell which pull requests/) });
  });
});

describe('org-wide policy and with: inputs', { timeout: 200_000 }, () => {
  const ORG = 'acme-policies/policy';

  it('config: owner/repo/path@ref reads that file at that ref (not the base branch’s)', async () => {
    const s = fake.repo({
      files: [DROP],
      base: { '.github/migration-gate.yml': 'policy:\n  destructive:\n    approvals: 5\n' },
      extraRepos: { [ORG]: { v1: { 'gate/migration-gate.yml': 'policy:\n  destructive:\n    approvals: 0\n' } } },
    });
    const r = await runAction(fake, s, { inputs: { config: `${ORG}/gate/migration-gate.yml@v1` } });
    expect([r.code, r.outputs.verdict]).toEqual([0, 'pass']);
    const reads = s.requests.filter((q) => q.path.startsWith(`/repos/${ORG}/`));
    expect(reads.map((q) => [q.path, q.query.ref])).toEqual([[`/repos/${ORG}/contents/gate/migration-gate.yml`, 'v1']]);
    expect(requests(s, 'GET', /\/contents\/\.github\/migration-gate\.yml$/)).toHaveLength(0);
    expect(r.stdout).toContain(`policy: ${ORG}/gate/migration-gate.yml@v1`);
  });

  it('an org-wide policy that is missing or unreadable is an error naming repo, path, ref and the permission', async () => {
    const s = fake.repo({ files: [DROP], extraRepos: { [ORG]: { v1: { 'gate/migration-gate.yml': 'mode: report\n' } } } });
    const r = await runAction(fake, s, { inputs: { config: `${ORG}/gate/migration-gate.yml@v2` } });
    expect([r.code, r.outputs.verdict]).toEqual([1, 'fail']);
    expect(r.stdout).toMatch(/::error::migration-gate: cannot read the org-wide policy acme-policies\/policy\/gate\/migration-gate\.yml@v2: not found.*contents: read.*GITHUB_TOKEN reads only/);
    expect(statusStates(s)).toEqual(['pending', 'error']);
    const bad = await runAction(fake, s, { inputs: { config: 'acme/policy@v1' } });
    expect(bad.stdout).toMatch(/input config with an @ must be owner\/repo\/path\/to\/policy\.yml@ref/);
  });

  it('with: inputs override the policy file (globs, rules, replay) and are validated', async () => {
    const mk = () => fake.repo({ files: [DROP, mig('0003_clean.sql', CLEAN_SQL)], base: { '.github/migration-gate.yml': 'rules:\n  drop-table: off\n' } });
    const ruled = mk();
    const excluded = mk();
    const plain = mk();
    const [r1, r2, r3] = await Promise.all([
      runAction(fake, ruled, { inputs: { rules: 'drop-table: error', replay: 'false' } }),
      runAction(fake, excluded, { inputs: { rules: 'drop-table: error', exclude: 'db/migrations/0002_*\nnothing/**' } }),
      runAction(fake, plain),
    ]);
    expect([r1.code, r1.outputs.verdict, r1.outputs['gating-findings']]).toEqual([1, 'fail', '1']); // the input turned the rule back on
    expect(r1.stdout).toMatch(/options from the workflow inputs: replay, rules/);
    expect([r2.code, r2.outputs.verdict]).toEqual([0, 'pass']); // the dropping file is not selected
    expect(requests(excluded, 'GET', /\/contents\/db\/migrations\/0002/)).toHaveLength(0);
    expect([r3.code, r3.outputs.verdict]).toEqual([0, 'pass']); // the base config alone turns it off
    const bad = await runAction(fake, mk(), { inputs: { down: 'sometimes', 'inline-suppressions': 'maybe' } });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/input inline-suppressions must be true or false/);
    const bad2 = await runAction(fake, mk(), { inputs: { down: 'sometimes' } });
    expect(bad2.stdout + bad2.stderr).toMatch(/down: 'sometimes' is not allowed.*allowed: report, gate, ignore/);
    // replay-timeout: seconds (1 to 600) over the policy file's replayTimeout; a bad value names the input.
    const [timed, bad3] = await Promise.all([runAction(fake, mk(), { inputs: { 'replay-timeout': '90' } }), runAction(fake, mk(), { inputs: { 'replay-timeout': 'soon' } })]);
    expect([timed.code, timed.outputs.verdict]).toEqual([0, 'pass']);
    expect(timed.stdout).toMatch(/options from the workflow inputs: replayTimeout/);
    expect(bad3.code).toBe(1);
    expect(bad3.stdout + bad3.stderr).toMatch(/replay-timeout: expected a number of seconds from 1 to 600/);
  });
});

// End-to-end: the bundled action (dist/index.js) against a loopback fake GitHub. Approvals,
// comments (no duplicates), statuses, outputs, policy from the base, integrity findings.
import { describe, expect, it, vi } from 'vitest';
import { runAction } from './fake-github/harness.js';
import {
  useFakeGitHub,
  CLEAN_SQL,
  COMMENT_POSTS,
  CRED_SQL,
  DROP_SQL,
  expectNoSecret,
  GRANT_SQL,
  mig,
  requests,
  review,
  SECRET,
  sha,
  statusStates,
  gateStatuses,
} from './fake-github/fixtures.js';

// Each run mostly waits (Octokit's throttling spaces writes 1 s apart and comment posts 3 s apart,
// as GitHub asks), so many scenarios can run side by side on two cores.
vi.setConfig({ maxConcurrency: 8 });

const fake = useFakeGitHub();

const HEAD = (n: string) => sha(`head:${n}`);
const DROP_FILE = 'db/migrations/0002_drop_users.sql';

describe('migration-gate action end to end', { timeout: 200_000 }, () => {
  it('destructive migration without approval: fails, comments once, status failure', async () => {
    const s = fake.repo({ files: [mig('0002_drop_users.sql', DROP_SQL), { filename: 'README.md', status: 'modified', content: 'x\n', baseContent: 'y\n' }] });
    const r = await runAction(fake, s);
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ verdict: 'fail', findings: '1', 'gating-findings': '1' });
    expect(statusStates(s)).toEqual(['pending', 'failure']);
    expect(gateStatuses(s)[1]).toMatchObject({ sha: s.headSha, context: 'migration-gate', description: 'needs 1 more approval: destructive' });
    expect(gateStatuses(s)[1].target_url).toBe(`https://github.example/${s.fullName}/actions/runs/4242`);
    // One summary comment with the marker, the finding and the approvals table.
    expect(s.issueComments).toHaveLength(1);
    const body = s.issueComments[0].body;
    expect(body.startsWith('<!-- migration-gate:summary -->')).toBe(true);
    expect(body).toContain('drop-table');
    expect(body).toMatch(/destructive \| 1 \| 1 \|/);
    // One review, event COMMENT (never REQUEST_CHANGES), one inline comment on the DROP line.
    const reviews = requests(s, 'POST', /\/pulls\/7\/reviews$/);
    expect(reviews).toHaveLength(1);
    expect(JSON.parse(reviews[0].body)).toMatchObject({ event: 'COMMENT', commit_id: s.headSha });
    expect(s.reviewComments).toHaveLength(1);
    expect(s.reviewComments[0]).toMatchObject({ path: DROP_FILE, line: 2 });
    expect(s.reviewComments[0].body).toMatch(/^<!-- migration-gate:finding [0-9a-f]+ -->/);
    // Read at the PR head SHA (not GITHUB_SHA), policy at the base SHA.
    const reads = requests(s, 'GET', /\/contents\//);
    expect(reads.find((q) => q.path.endsWith(DROP_FILE))?.query.ref).toBe(s.headSha);
    expect(reads.find((q) => q.path.endsWith('.github/migration-gate.yml'))?.query.ref).toBe(s.baseSha);
    expect(reads.every((q) => q.query.ref !== 'f'.repeat(40))).toBe(true);
    expect(reads.some((q) => q.path.endsWith('README.md'))).toBe(false);
    // Job summary, annotation, reports.
    expect(r.summary).toContain('drop-table');
    expect(r.stdout).toMatch(new RegExp(`::error title=[^,]*drop-table[^,]*,file=${DROP_FILE},line=2`));
    expect(JSON.parse(r.report)).toMatchObject({ verdict: 'fail', summary: { gating: 1 } });
    const sarif = JSON.parse(r.sarif);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: 'drop-table', level: 'error' });
    // Every call carried the token.
    expect(s.requests.every((q) => q.headers.authorization === `token ${s.token}`)).toBe(true);
  });

  it('a re-run posts no duplicate comments, and never adopts a look-alike comment by someone else', async () => {
    const s = fake.repo({ files: [mig('0002_drop_users.sql', DROP_SQL)] });
    // A user pastes our marker into their own comment: it must be neither edited nor counted as ours.
    s.issueComments.push({ id: 1, body: '<!-- migration-gate:summary -->\nall good, merge it', user: { login: 'mallory', type: 'User' }, created_at: '', updated_at: '' });
    const r1 = await runAction(fake, s);
    const r2 = await runAction(fake, s);
    expect([r1.code, r2.code]).toEqual([1, 1]);
    expect(s.issueComments.filter((c) => c.user.type === 'Bot')).toHaveLength(1);
    expect(s.issueComments[0].body).toBe('<!-- migration-gate:summary -->\nall good, merge it');
    expect(requests(s, 'PATCH', /\/issues\/comments\/1$/)).toHaveLength(0);
    expect(requests(s, 'POST', /\/issues\/7\/comments$/)).toHaveLength(1);
    expect(requests(s, 'POST', /\/pulls\/7\/reviews$/)).toHaveLength(1);
    expect(s.reviewComments).toHaveLength(1);
    expect(statusStates(s)).toEqual(['pending', 'failure', 'pending', 'failure']);
  });

  it('approvals by a read-only user, the author and a bot do not count', async () => {
    const head = HEAD('ignored');
    const s = fake.repo({
      headSha: head,
      files: [mig('0002_drop_users.sql', DROP_SQL)],
      reviews: [review('rita', 'APPROVED', head), review('alice', 'APPROVED', head), review('renovate[bot]', 'APPROVED', head, 'Bot')],
      permissions: { rita: 'read', alice: 'admin', 'renovate[bot]': 'write' },
    });
    const r = await runAction(fake, s);
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('fail');
    expect(gateStatuses(s).at(-1)).toMatchObject({ state: 'failure', description: 'needs 1 more approval: destructive' });
    const report = JSON.parse(r.report);
    const cat = report.decision.categories.find((c: any) => c.category === 'destructive');
    expect(cat.counted).toEqual([]);
    expect(cat.ignored.map((i: any) => i.user).sort()).toEqual(['alice', 'renovate[bot]', 'rita']);
    expect(s.issueComments[0].body).toMatch(/rita/);
    // Only the human non-author approver needed a permission lookup.
    expect(requests(s, 'GET', /\/collaborators\//).map((q) => q.path)).toEqual([`/repos/${s.fullName}/collaborators/rita/permission`]);
  });

  it('an approval by a writer on the head passes', async () => {
    const head = HEAD('writer');
    const s = fake.repo({ headSha: head, files: [mig('0002_drop_users.sql', DROP_SQL)], reviews: [review('bob', 'APPROVED', head)], permissions: { bob: 'write' } });
    const r = await runAction(fake, s);
    expect(r.code).toBe(0);
    expect(r.outputs.verdict).toBe('pass');
    expect(gateStatuses(s).at(-1)).toMatchObject({ state: 'success', description: 'approved: destructive 1/1' });
    expect(s.issueComments[0].body).toContain('bob');
  });

  it('a later CHANGES_REQUESTED withdraws the approval; a later COMMENTED does not', async () => {
    const head = HEAD('votes');
    const files = [mig('0002_drop_users.sql', DROP_SQL)];
    const a = fake.repo({ headSha: head, files, reviews: [review('bob', 'APPROVED', head), review('bob', 'CHANGES_REQUESTED', head)], permissions: { bob: 'maintain' } });
    const b = fake.repo({ headSha: head, files, reviews: [review('bob', 'APPROVED', head), review('bob', 'COMMENTED', head)], permissions: { bob: 'maintain' } });
    const [ra, rb] = await Promise.all([runAction(fake, a), runAction(fake, b)]);
    expect([ra.code, ra.outputs.verdict, gateStatuses(a).at(-1)?.state]).toEqual([1, 'fail', 'failure']);
    expect([rb.code, rb.outputs.verdict, gateStatuses(b).at(-1)?.state]).toEqual([0, 'pass', 'success']);
  });

  it('an approval is stale when the flagged migration changed after it; fresh when only other files did', async () => {
    const head = HEAD('stale');
    const old = sha('old commit');
    const files = [mig('0002_drop_users.sql', DROP_SQL)];
    const stale = fake.repo({
      headSha: head,
      files,
      reviews: [review('bob', 'APPROVED', old)],
      permissions: { bob: 'write' },
      compares: { [`${old}...${head}`]: { status: 'ahead', files: [DROP_FILE] } },
    });
    const fresh = fake.repo({
      headSha: head,
      files,
      reviews: [review('bob', 'APPROVED', old)],
      permissions: { bob: 'write' },
      compares: { [`${old}...${head}`]: { status: 'ahead', files: ['README.md'] } },
    });
    const [rs, rf] = await Promise.all([runAction(fake, stale), runAction(fake, fresh)]);
    expect([rs.code, rs.outputs.verdict]).toEqual([1, 'fail']);
    expect(JSON.stringify(JSON.parse(rs.report).decision)).toMatch(/stale/);
    expect(stale.issueComments[0].body).toMatch(/stale/);
    expect([rf.code, rf.outputs.verdict]).toEqual([0, 'pass']);
  });

  it('a clean PR passes without commenting', async () => {
    const s = fake.repo({ files: [mig('0003_accounts.sql', CLEAN_SQL), { filename: 'src/app.ts', status: 'modified', content: 'x\n', baseContent: 'y\n' }] });
    const r = await runAction(fake, s);
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ verdict: 'pass', findings: '0', 'gating-findings': '0' });
    expect(statusStates(s)).toEqual(['pending', 'success']);
    expect(gateStatuses(s)[1].description).toBe('no findings');
    expect(requests(s, 'POST', COMMENT_POSTS)).toHaveLength(0);
    expect(requests(s, 'GET', /\/reviews$/)).toHaveLength(0);
  });

  it('finds a migration on page 3 of a 250-file PR', async () => {
    const files = Array.from({ length: 250 }, (_, i) => ({ filename: `src/module${String(i).padStart(3, '0')}.ts`, status: 'added' as const, content: 'export {};\n' }));
    files[230] = mig('0002_drop_users.sql', DROP_SQL) as any;
    const s = fake.repo({ files });
    const r = await runAction(fake, s);
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ verdict: 'fail', findings: '1' });
    const pages = requests(s, 'GET', /\/pulls\/7\/files$/).map((q) => q.query.page ?? '1');
    expect(pages).toEqual(['1', '2', '3']);
    expect(requests(s, 'GET', /\/contents\/db\//)).toHaveLength(1);
    expect(s.reviewComments[0]).toMatchObject({ path: DROP_FILE, line: 2 });
  });

  it('a hardcoded credential stays blocked with two approvals, and the secret is never echoed', async () => {
    const head = HEAD('cred');
    const s = fake.repo({
      headSha: head,
      files: [mig('0004_app_role.sql', CRED_SQL)],
      reviews: [review('bob', 'APPROVED', head), review('carol', 'APPROVED', head)],
      permissions: { bob: 'write', carol: 'admin' },
    });
    const r = await runAction(fake, s);
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('blocked');
    expect(gateStatuses(s).at(-1)?.state).toBe('failure');
    expect(gateStatuses(s).at(-1)?.description).toMatch(/^blocked: credential/);
    expect(JSON.parse(r.report).findings.some((f: any) => f.category === 'credential')).toBe(true);
    expect(s.issueComments).toHaveLength(1);
    expectNoSecret(s, r, SECRET);
  });

  it('a privilege change needs two approvals: one fails, two pass', async () => {
    const head = HEAD('grant');
    const files = [mig('0005_grant.sql', GRANT_SQL)];
    const one = fake.repo({ headSha: head, files, reviews: [review('bob', 'APPROVED', head)], permissions: { bob: 'write', carol: 'write' } });
    const two = fake.repo({ headSha: head, files, reviews: [review('bob', 'APPROVED', head), review('carol', 'APPROVED', head)], permissions: { bob: 'write', carol: 'write' } });
    const [r1, r2] = await Promise.all([runAction(fake, one), runAction(fake, two)]);
    expect([r1.code, r1.outputs.verdict, gateStatuses(one).at(-1)?.description]).toEqual([1, 'fail', 'needs 1 more approval: privilege']);
    expect([r2.code, r2.outputs.verdict, gateStatuses(two).at(-1)?.description]).toEqual([0, 'pass', 'approved: privilege 2/2']);
  });

  it('a PR that edits the policy file to weaken it is judged by the base policy, and the edit is an integrity finding', async () => {
    const head = HEAD('policy');
    const s = fake.repo({
      headSha: head,
      base: { '.github/migration-gate.yml': 'policy:\n  destructive:\n    approvals: 2\n' },
      files: [
        mig('0002_drop_users.sql', DROP_SQL),
        {
          filename: '.github/migration-gate.yml',
          status: 'modified',
          baseContent: 'policy:\n  destructive:\n    approvals: 2\n',
          content: 'policy:\n  destructive:\n    approvals: 0\n  integrity:\n    approvals: 0\nrules:\n  drop-table: off\n',
        },
      ],
      reviews: [review('bob', 'APPROVED', head)],
      permissions: { bob: 'write' },
    });
    const r = await runAction(fake, s);
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('fail');
    expect(gateStatuses(s).at(-1)?.description).toBe('needs 1 more approval: destructive');
    const report = JSON.parse(r.report);
    expect(report.findings.map((f: any) => f.ruleId).sort()).toEqual(['drop-table', 'gate-config-changed']);
    expect(report.findings.find((f: any) => f.ruleId === 'gate-config-changed')).toMatchObject({ category: 'integrity', gating: true });
    // The policy was read at the base only; the PR's version was never fetched.
    const cfgReads = requests(s, 'GET', /\/contents\/\.github\/migration-gate\.yml$/);
    expect(cfgReads.map((q) => q.query.ref)).toEqual([s.baseSha]);
  });

  it('a pull_request_review event re-evaluates approvals and updates status and summary without reposting', async () => {
    const s = fake.repo({ files: [mig('0002_drop_users.sql', DROP_SQL)], permissions: { bob: 'write' } });
    const r1 = await runAction(fake, s);
    expect(r1.outputs.verdict).toBe('fail');
    const summaryId = s.issueComments[0].id;
    s.reviews.push({ id: 99, user: { login: 'bob', type: 'User' }, state: 'APPROVED', commit_id: s.headSha, submitted_at: new Date().toISOString(), body: '' });
    const before = s.requests.length;
    const r2 = await runAction(fake, s, { event: 'pull_request_review', action: 'submitted' });
    expect(r2.code).toBe(0);
    expect(r2.outputs.verdict).toBe('pass');
    expect(gateStatuses(s).at(-1)).toMatchObject({ state: 'success', sha: s.headSha });
    const later = s.requests.slice(before);
    expect(later.filter((q) => q.method === 'POST' && COMMENT_POSTS.test(q.path))).toHaveLength(0);
    expect(later.filter((q) => q.method === 'PATCH').map((q) => q.path)).toEqual([`/repos/${s.fullName}/issues/comments/${summaryId}`]);
    expect(s.issueComments[0].body).toContain('bob');
    expect(s.reviewComments).toHaveLength(1);
  });

  it('unsupported events: a clear message, exit 0, no API calls', async () => {
    const s = fake.repo({ files: [mig('0002_drop_users.sql', DROP_SQL)] });
    const push = await runAction(fake, s, { event: 'push', payload: { ref: 'refs/heads/main' } });
    const closed = await runAction(fake, s, { event: 'pull_request', action: 'closed' });
    for (const r of [push, closed]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/nothing to do for event/);
    }
    expect(closed.stdout).toMatch(/action 'closed'/);
    expect(s.requests).toHaveLength(0);
  });

  it('removed, renamed and modified already-merged migrations and workflow edits are integrity findings', async () => {
    const s = fake.repo({
      files: [
        { filename: 'db/migrations/0001_init.sql', status: 'removed', baseContent: CLEAN_SQL },
        { filename: 'db/migrations/0003_accounts_v2.sql', status: 'renamed', previous_filename: 'db/migrations/0003_accounts.sql', content: CLEAN_SQL, patch: null },
        { filename: 'db/migrations/0002_add.sql', status: 'modified', baseContent: CLEAN_SQL, content: CLEAN_SQL + 'CREATE INDEX ON accounts (name);\n' },
        { filename: '.github/workflows/ci.yml', status: 'modified', baseContent: 'on: push\n', content: 'on: pull_request\n' },
        { filename: 'docs/notes.md', status: 'removed', baseContent: 'x\n' },
      ],
    });
    const r = await runAction(fake, s);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.report);
    const integ = report.findings.filter((f: any) => f.category === 'integrity').map((f: any) => `${f.ruleId} ${f.path}`);
    expect(integ.sort()).toEqual([
      'migration-modified db/migrations/0002_add.sql',
      'migration-removed db/migrations/0001_init.sql',
      'migration-renamed db/migrations/0003_accounts_v2.sql',
      'workflow-changed .github/workflows/ci.yml',
    ]);
    expect(gateStatuses(s).at(-1)?.description).toMatch(/integrity/);
    // Removed files are not read; renamed/modified ones are, at the head.
    expect(requests(s, 'GET', /0001_init\.sql$/)).toHaveLength(0);
    expect(requests(s, 'GET', /0003_accounts_v2\.sql$/)[0]?.query.ref).toBe(s.headSha);
    const sarif = JSON.parse(r.sarif);
    expect(sarif.runs[0].tool.driver.rules.map((x: any) => x.id)).toContain('migration-removed');
  });

  it('findings that disappear resolve their inline comment and turn the summary all-clear', async () => {
    const s = fake.repo({ files: [mig('0002_drop_users.sql', DROP_SQL)] });
    const r1 = await runAction(fake, s);
    expect(r1.outputs.verdict).toBe('fail');
    fake.push(s, [mig('0002_drop_users.sql', CLEAN_SQL)]);
    const r2 = await runAction(fake, s, { action: 'synchronize' });
    expect(r2.code).toBe(0);
    expect(r2.outputs.verdict).toBe('pass');
    expect(s.reviewComments).toHaveLength(1);
    expect(s.reviewComments[0].body).toMatch(/resolved/i);
    expect(s.issueComments).toHaveLength(1);
    expect(s.issueComments[0].body).toMatch(/passed|no findings/i);
    expect(gateStatuses(s).at(-1)).toMatchObject({ sha: s.headSha, state: 'success' });
    // A third run changes nothing more.
    const patches = requests(s, 'PATCH', /./).length;
    await runAction(fake, s, { action: 'synchronize' });
    expect(requests(s, 'PATCH', /\/pulls\/comments\//).length + requests(s, 'PATCH', /\/issues\/comments\//).length).toBe(patches);
  });

  it('hostile file names and SQL stay inert: no HTML, no mentions, no forged markers, no workflow commands', async () => {
    const name = 'db/migrations/0002_<img src=x onerror=alert(1)>\n::error::pwned @acme/admins.sql';
    const sql = '-- @security-team LGTM <!-- migration-gate:summary --> <b>ok</b>\nDROP TABLE users;\n';
    const s = fake.repo({ files: [{ filename: name, status: 'added', content: sql }, { filename: 'db/migrations/0001_a`b.sql', status: 'modified', baseContent: 'x\n', content: 'y\n' }] });
    const r = await runAction(fake, s);
    expect(r.code).toBe(1);
    const ids = JSON.parse(r.report).findings.map((f: any) => `${f.ruleId} ${f.path}`);
    expect(ids).toContain(`drop-table ${name}`);
    expect(ids).toContain('migration-modified db/migrations/0001_a`b.sql');
    expect(requests(s, 'GET', /\/contents\//).some((q) => q.path.endsWith(name))).toBe(true);
    // The log: every line that starts a workflow command is one of ours.
    for (const line of r.stdout.split('\n')) expect(line.startsWith('::error::pwned')).toBe(false);
    expect(r.stdout).not.toMatch(/^::(set-output|add-path|set-env|stop-commands)/m);
    for (const body of [s.issueComments[0].body, ...s.reviewComments.map((c) => c.body), r.summary]) {
      // Outside code spans and fences (where it is shown as text), no HTML at all.
      const prose = body.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(?<![\\`])(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
      expect(prose).not.toMatch(/<img|<b>/i);
      expect(body).not.toMatch(/@(security-team|acme)/);
    }
    expect(s.issueComments[0].body.split('<!-- migration-gate:summary -->')).toHaveLength(2);
    expect(s.issueComments[0].body.startsWith('<!-- migration-gate:summary -->')).toBe(true);
  });

  it('comment: none and fail-job: false — status and outputs only, job green', async () => {
    const s = fake.repo({ files: [mig('0002_drop_users.sql', DROP_SQL)] });
    const r = await runAction(fake, s, { inputs: { comment: 'none', 'fail-job': 'false' } });
    expect(r.code).toBe(0);
    expect(r.outputs.verdict).toBe('fail');
    expect(gateStatuses(s).at(-1)?.state).toBe('failure');
    expect(requests(s, 'POST', COMMENT_POSTS)).toHaveLength(0);
    expect(requests(s, 'GET', /comments$/)).toHaveLength(0);
  });
});

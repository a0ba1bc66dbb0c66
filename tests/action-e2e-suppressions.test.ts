// End-to-end: inline suppressions through the bundled action against the loopback fake GitHub.
import { describe, expect, it } from 'vitest';
import { runAction } from './fake-github/harness.js';
import { CRED_SQL, mig, SECRET, expectNoSecret, statusStates, useFakeGitHub } from './fake-github/fixtures.js';

const fake = useFakeGitHub();

describe('action: inline suppressions', { timeout: 200_000 }, () => {
  it('a suppressed DROP passes, and is listed as suppressed in the comment, inline comment, report and SARIF', async () => {
    const sql = 'CREATE TABLE audit_log (id bigint);\n-- migration-gate-ignore drop-table: archived to s3 in #12\nDROP TABLE users;\n';
    const s = fake.repo({ files: [mig('0002_drop_users.sql', sql)] });
    const r = await runAction(fake, s);
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ verdict: 'pass', 'gating-findings': '0' });
    expect(statusStates(s)).toEqual(['pending', 'success']);
    expect(s.issueComments).toHaveLength(1);
    expect(s.issueComments[0].body).toMatch(/drop-table/);
    expect(s.issueComments[0].body).toMatch(/suppressed: archived to s3 in \\#/);
    expect(s.reviewComments[0]?.body ?? '').toMatch(/suppressed: archived to s3/);
    expect(JSON.parse(r.report).findings[0]).toMatchObject({ ruleId: 'drop-table', gating: false, suppressed: { reason: 'archived to s3 in #12' } });
    expect(JSON.parse(r.sarif).runs[0].results[0].suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'archived to s3 in #12' }]);
  });

  it('a credential cannot be suppressed inline: refused, still blocked, no secret anywhere', async () => {
    const s = fake.repo({ files: [mig('0003_role.sql', `-- migration-gate-ignore hardcoded-password: test only\n${CRED_SQL}`)] });
    const r = await runAction(fake, s);
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('blocked');
    expect(statusStates(s)).toEqual(['pending', 'failure']);
    expect(s.issueComments[0].body).toMatch(/refused/);
    expectNoSecret(s, r, SECRET);
  });
});

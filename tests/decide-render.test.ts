// Summary comment, job summary and annotations (src/decide/render.ts, annotations.ts).
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { annotations, decide, isSummaryComment, renderJobSummary, renderSummary, SUMMARY_MARKER } from '../src/decide/index.js';
import type { Finding } from '../src/types.js';
import { finding, HEAD, input, OLD, PERMS, result, review } from './decide-fixtures.js';

const md = new MarkdownIt({ html: true, linkify: true });
md.linkify.set({ fuzzyLink: false });
type Token = ReturnType<typeof md.parse>[number];
const tokens = (s: string) => md.parse(s, {});
const allInline = (s: string): Token[] => tokens(s).flatMap((t) => t.children ?? []);
const utf8 = (s: string) => new TextEncoder().encode(s).length;
/** The text a reader sees (inline content of every block, zero-width spaces removed). */
const seen = (s: string) =>
  tokens(s)
    .filter((t) => t.type === 'inline')
    .map((t) => t.children!.map((c) => c.content).join(''))
    .join('\n')
    .replace(/\u200b/g, '');
/** Every table row has as many cells as its header. */
function tablesWellFormed(s: string): number {
  const t = tokens(s);
  let tables = 0;
  let header = -1;
  let cells = 0;
  for (const x of t) {
    if (x.type === 'table_open') (tables++, (header = -1));
    if (x.type === 'tr_open') cells = 0;
    if (x.type === 'th_open' || x.type === 'td_open') cells++;
    if (x.type === 'tr_close') {
      if (header < 0) header = cells;
      else expect(cells).toBe(header);
    }
  }
  return tables;
}

function scenario() {
  const r = result([
    finding({ path: 'db/001.sql', line: 3, ruleId: 'drop-table', message: 'Drops table users' }),
    finding({ path: 'db/001.sql', line: 9, ruleId: 'grant-all', category: 'privilege', message: 'GRANT ALL to PUBLIC' }),
    finding({ path: 'db/002.sql', line: 1, ruleId: 'templated-sql', category: 'parse', severity: 'info', gating: false, message: 'Templated SQL' }),
  ]);
  const d = decide(
    r,
    {},
    input({
      author: 'mallory',
      permissions: { ...PERMS, mallory: 'admin' },
      reviews: [review('alice', 'APPROVED'), review('mallory', 'APPROVED'), review('rita', 'APPROVED'), review('bob', 'APPROVED', { commitId: OLD })],
      changedSince: { [OLD]: ['db/001.sql'] },
    }),
  );
  return { r, d };
}

describe('renderSummary', () => {
  it('starts with the marker and has verdict, findings by file, approvals and next steps', () => {
    const { r, d } = scenario();
    const s = renderSummary(r, d, { headSha: HEAD, runUrl: 'https://github.com/o/r/actions/runs/7' });
    expect(s.startsWith(SUMMARY_MARKER + '\n')).toBe(true);
    expect(isSummaryComment(s)).toBe(true);
    expect(s).toContain('### ❌ migration-gate: approvals needed');
    expect(seen(s)).toContain('at aaaaaaa: needs 1 more approval: privilege.');
    expect(s).toContain(`\`${HEAD.slice(0, 7)}\``);
    // findings grouped by file, each with line, rule and message
    expect(s.indexOf('`db/001.sql`')).toBeLessThan(s.indexOf('`db/002.sql`'));
    expect(s).toMatch(/\| 3 \| \*\*error\*\* · needs approval \| \[`drop-table`\]\(https:\/\/github\.com\/migration-gate\/migration-gate\/blob\/main\/docs\/rules\/drop-table\.md\) destructive \| Drops table users \|/);
    expect(s).toMatch(/\| 9 \| .* \| \[`grant-all`\]\([^)]*\) privilege \| GRANT ALL to PUBLIC \|/);
    expect(s).toMatch(/\| 1 \| info \| \[`templated-sql`\]\([^)]*\) parse \| Templated SQL \|/);
    // approvals: required vs counted, who counted, who did not and why
    expect(s).toMatch(/\| destructive \| 1 \| 1 \| alice \| ✅ met \|/);
    expect(s).toMatch(/\| privilege \| 1 \| 2 \| alice \| ❌ 1 more approval needed \|/);
    expect(s).toMatch(/\| parse \| 0 \(of 1\) \| not gating \|/);
    expect(s).toContain('- mallory (destructive, privilege): PR author');
    expect(s).toContain('- rita (destructive, privilege): read permission \\(needs write\\)');
    expect(s).toMatch(/- bob \(destructive, privilege\): stale\\: db\\\/001\\\.sql changed after bbbbbbb/);
    // what to do next
    expect(s).toContain('#### What to do next');
    expect(s).toContain('- **privilege**: get 1 more approval from reviewers with write access');
    expect(s).toContain('ask bob to review again');
    expect(s).toContain('- [`drop-table`](https://github.com/migration-gate/migration-gate/blob/main/docs/rules/drop-table.md): '); // how to fix, from the rule's meta
    expect(s).toContain('[workflow run](https://github.com/o/r/actions/runs/7)');
    // well-formed tables: findings tables have 4 cells per row, approvals 5
    expect(tablesWellFormed(s)).toBe(3);
  });

  it('blocked credential with two approvals says approvals do not clear it', () => {
    const r = result([finding({ category: 'credential', ruleId: 'hardcoded-password', message: 'Hardcoded password [REDACTED]' })]);
    const d = decide(r, {}, input({ permissions: PERMS, reviews: [review('alice', 'APPROVED'), review('bob', 'APPROVED')] }));
    const s = renderSummary(r, d, { headSha: HEAD });
    expect(s).toContain('### ⛔ migration-gate: blocked');
    expect(s).toMatch(/\| credential \| 1 \| blocked \| alice, bob \| ⛔ blocked/);
    expect(s).toContain('- **credential**: remove the secret');
    expect(s).toContain('No number of approvals clears this.');
  });

  it('all-clear when there are no findings', () => {
    const r = result([], ['db/001.sql', 'db/002.sql']);
    const d = decide(r, {}, input());
    const s = renderSummary(r, d, { headSha: HEAD });
    expect(s.startsWith(SUMMARY_MARKER)).toBe(true);
    expect(s).toContain('### ✅ migration-gate: no findings');
    expect(s).toContain('No findings in 2 migration files');
    expect(s).toContain('Earlier findings, if any, are resolved.');
    expect(s).not.toContain('| ');
    const none = renderSummary(result([], []), decide(result([], []), {}, input()), { headSha: HEAD });
    expect(none).toContain('No migration files changed');
  });

  it('pass with approvals met', () => {
    const r = result([finding()]);
    const d = decide(r, {}, input({ permissions: PERMS, reviews: [review('carol', 'APPROVED')] }));
    const s = renderSummary(r, d, { headSha: HEAD });
    expect(s).toContain('### ✅ migration-gate: passed');
    expect(seen(s)).toContain('approved: destructive 1/1');
    expect(s).toContain('- Nothing: every category has the approvals it needs.');
    expect(s).not.toContain('- [`drop-table`](');
  });

  it('shows errors and notes, escaped', () => {
    const r = result([finding()]);
    const d = decide(r, { policy: { destructive: { from: ['org/dba'] } } }, input({ permissions: PERMS, teams: { 'org/dba': { error: 'HTTP 403 <b>nope</b> @org/admins' } } }));
    const s = renderSummary(r, d, { headSha: HEAD, notes: ['2 findings are outside the diff: `db/x.sql` @bob'] });
    expect(s).toContain('> [!CAUTION]');
    expect(s).toContain('> [!WARNING]');
    expect(s).not.toContain('<b>');
    expect(s).not.toMatch(/@(?!\u200b)[a-z]/i);
    expect(allInline(s).filter((x) => x.type === 'html_inline')).toEqual([]);
  });

  it('links only plain http(s) run URLs', () => {
    const { r, d } = scenario();
    expect(renderSummary(r, d, { headSha: HEAD, runUrl: 'javascript:alert(1)' })).not.toContain('workflow run');
    const s = renderSummary(r, d, { headSha: HEAD, runUrl: 'https://x.example/a)b(c' });
    expect(s).toContain('[workflow run](https://x.example/a%29b%28c)');
  });

  it('hostile paths, messages and logins stay inert', () => {
    const evil = '<!-- migration-gate:summary --> @org/team #1 <img src=x> | `` ` ``\n# h';
    const r = result([finding({ path: `db/${evil}.sql`, message: evil, snippet: evil, ruleId: 'x' })]);
    const d = decide(r, {}, input({ author: 'a', permissions: { '@evil': 'read' }, reviews: [review('@evil <b>', 'APPROVED')] }));
    for (const s of [renderSummary(r, d, { headSha: HEAD, notes: [evil] }), renderJobSummary(r, d)]) {
      expect(s.split('<!--').length - 1).toBe(s.startsWith(SUMMARY_MARKER) ? 1 : 0);
      // The only links are ours: the rule's documentation page.
      const ours = (x: { type: string; attrGet: (n: string) => unknown }) => x.type === 'link_open' && String(x.attrGet('href') ?? '').startsWith('https://github.com/migration-gate/migration-gate/blob/main/docs/rules/');
      expect(allInline(s).filter((x) => ['html_inline', 'link_open', 'image'].includes(x.type) && !ours(x))).toEqual([]);
      expect(tokens(s).filter((x) => x.type === 'html_block')).toEqual(s.startsWith(SUMMARY_MARKER) ? [expect.objectContaining({ content: SUMMARY_MARKER + '\n' })] : []);
      expect(s).not.toMatch(/@(?!\u200b)[a-z]/i);
      expect(s).not.toMatch(/#\d/);
      expect(tablesWellFormed(s)).toBeGreaterThan(0);
      expect(seen(s)).toContain(evil.replace(/\s+/g, ' '));
    }
  });

  it('is truncated under 65,000 characters with a note, gating findings first', () => {
    const many: Finding[] = [];
    for (let i = 0; i < 3000; i++) many.push(finding({ path: `db/${String(i % 40).padStart(3, '0')}.sql`, line: i + 1, severity: 'warning', gating: false, message: 'w'.repeat(300) }));
    for (let i = 0; i < 5; i++) many.push(finding({ path: 'db/zzz.sql', line: i + 1, message: 'GATING ' + '`'.repeat(20) + ' ' + i }));
    const r = result(many);
    const d = decide(r, {}, input({ permissions: PERMS, reviews: [review('alice', 'APPROVED')] }));
    const s = renderSummary(r, d, { headSha: HEAD, notes: Array.from({ length: 100 }, () => 'n'.repeat(1000)) });
    expect(s.length).toBeLessThanOrEqual(65_000);
    expect(s.length).toBeGreaterThan(60_000); // the budget is used, not wasted
    expect(s).toMatch(/> \d+ more findings not shown: a comment is limited to 65,536 characters/);
    for (let i = 0; i < 5; i++) expect(s).toContain(`GATING`);
    expect(s.match(/GATING/g)).toHaveLength(5);
    expect(s).toContain('#### What to do next');
    expect(s).toContain('> - …and 80 more'); // notes capped
    expect(s.trimEnd().endsWith('head `aaaaaaa`')).toBe(true);
    // still well-formed: the last findings row is complete
    expect(tablesWellFormed(s)).toBeGreaterThan(1);
  });

  it('hostile text at the limit: the escaped form is measured, not the raw one', () => {
    const many = Array.from({ length: 2000 }, (_, i) => finding({ line: i + 1, message: '|@#<'.repeat(120) }));
    const r = result(many);
    const s = renderSummary(r, decide(r, {}, input()), { headSha: HEAD });
    expect(s.length).toBeLessThanOrEqual(65_000);
    expect(s).toContain('more findings not shown');
  });
});

describe('renderJobSummary', () => {
  it('has the full report: snippets, rule help, no marker, no truncation under 1 MiB', () => {
    const { r, d } = scenario();
    const s = renderJobSummary(r, d);
    expect(s).not.toContain(SUMMARY_MARKER);
    expect(s).toContain('| Line | Severity | Rule | Message | Statement |');
    expect(s).toContain('`DROP TABLE users;`');
    expect(s).toContain('#### Rules');
    expect(s).toMatch(/- \[`drop-table`\]\([^)]*\) \(destructive, error\): Drops a table/);
    const big = result(Array.from({ length: 3000 }, (_, i) => finding({ line: i + 1, message: 'm'.repeat(200) })));
    const sb = renderJobSummary(big, decide(big, {}, input()));
    expect(sb).not.toContain('not shown');
    expect(sb.match(/\| \*\*error\*\* /g)).toHaveLength(3000);
  });

  it('is truncated under 1 MiB (bytes) with a note', () => {
    const big = result(Array.from({ length: 6000 }, (_, i) => finding({ line: i + 1, message: '€'.repeat(1500) })));
    const s = renderJobSummary(big, decide(big, {}, input()));
    expect(utf8(s)).toBeLessThanOrEqual(1_000_000);
    expect(s).toMatch(/> \d+ more findings not shown \(\d+ of them gating\): the job summary is limited to 1 MiB/);
    expect(tablesWellFormed(s)).toBe(2);
  });
});

describe('annotations', () => {
  it('at most 10 per level, most severe first', () => {
    const fs: Finding[] = [];
    for (let i = 0; i < 15; i++) fs.push(finding({ line: i + 1, category: 'destructive' }));
    fs.push(finding({ line: 100, category: 'credential', ruleId: 'hardcoded-password' }));
    fs.push(finding({ line: 101, category: 'privilege', gating: false, down: true }));
    for (let i = 0; i < 12; i++) fs.push(finding({ line: 200 + i, severity: 'warning', gating: false }));
    for (let i = 0; i < 3; i++) fs.push(finding({ line: 300 + i, severity: 'info', gating: false }));
    const a = annotations(result(fs));
    expect(a.filter((x) => x.level === 'error')).toHaveLength(10);
    expect(a.filter((x) => x.level === 'warning')).toHaveLength(10);
    expect(a.filter((x) => x.level === 'notice')).toHaveLength(3);
    expect(a.map((x) => x.level)).toEqual([...Array(10).fill('error'), ...Array(10).fill('warning'), ...Array(3).fill('notice')]);
    expect(a[0]).toMatchObject({ startLine: 100, title: 'migration-gate: hardcoded-password (credential, needs approval)' });
    expect(a.slice(1, 10).map((x) => x.startLine)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a.some((x) => x.startLine === 101)).toBe(false); // non-gating error ranks after gating ones
  });

  it('plain one-line text, valid line range', () => {
    const [a] = annotations(result([finding({ message: 'a\nb\u202ec', line: 5, endLine: 2 })]));
    expect(a).toMatchObject({ message: 'a b\uFFFDc (rule: https://github.com/migration-gate/migration-gate/blob/main/docs/rules/drop-table.md)', startLine: 5, endLine: 5, file: 'migrations/001_init.sql' });
  });
});

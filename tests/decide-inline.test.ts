// Inline review comments (src/decide/inline.ts): diff hunk parsing, markers, the plan.
import { describe, expect, it } from 'vitest';
import { diffLines, inlineMarker, isResolvedComment, parseInlineMarker, planInline, type ExistingComment } from '../src/decide/index.js';
import { finding, result } from './decide-fixtures.js';

const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

describe('diffLines', () => {
  it('new file: every added line', () => {
    expect(sorted(diffLines('@@ -0,0 +1,3 @@\n+CREATE TABLE a (id int);\n+\n+DROP TABLE b;'))).toEqual([1, 2, 3]);
  });

  it('context and added lines count, removed lines do not', () => {
    const patch = ['@@ -10,5 +10,6 @@ CREATE TABLE x', ' ctx10', '-old11', '+new11', '+new12', ' ctx13', '-old13', ' ctx14', ' ctx15'].join('\n');
    expect(sorted(diffLines(patch))).toEqual([10, 11, 12, 13, 14, 15]);
  });

  it('multi-hunk: lines between hunks are not commentable', () => {
    const patch = ['@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c', '@@ -20,2 +20,3 @@ fn', ' t', '+u', ' v'].join('\n');
    expect(sorted(diffLines(patch))).toEqual([1, 2, 3, 20, 21, 22]);
  });

  it('"\\ No newline at end of file" is not a line, on either side', () => {
    const patch = ['@@ -1,2 +1,2 @@', ' a', '-b', '\\ No newline at end of file', '+b;', '\\ No newline at end of file'].join('\n');
    expect(sorted(diffLines(patch))).toEqual([1, 2]);
    const patch2 = ['@@ -1 +1,2 @@', '-x', '\\ No newline at end of file', '+x', '+y'].join('\n');
    expect(sorted(diffLines(patch2))).toEqual([1, 2]);
  });

  it('hunk headers without counts mean one line', () => {
    expect(sorted(diffLines('@@ -5 +5 @@\n-a\n+b'))).toEqual([5]);
  });

  it('content that looks like headers is content (counts decide where a hunk ends)', () => {
    const patch = ['@@ -1,2 +1,4 @@', ' x', '+++ not a header', '+-- a SQL comment', '--- removed SQL comment', ' @@ -9,9 +9,9 @@ context that looks like a hunk'].join('\n');
    expect(sorted(diffLines(patch))).toEqual([1, 2, 3, 4]);
  });

  it('renamed file: rename headers are skipped, hunks are on the new name', () => {
    const patch = ['diff --git a/db/001.sql b/db/002.sql', 'similarity index 90%', 'rename from db/001.sql', 'rename to db/002.sql', '--- a/db/001.sql', '+++ b/db/002.sql', '@@ -3,2 +3,3 @@', ' a', '+DROP TABLE t;', ' b'].join('\n');
    expect(sorted(diffLines(patch))).toEqual([3, 4, 5]);
  });

  it('deleted file, missing patch, CRLF and a trailing newline', () => {
    expect(sorted(diffLines('@@ -1,2 +0,0 @@\n-a\n-b'))).toEqual([]);
    expect(sorted(diffLines(undefined))).toEqual([]);
    expect(sorted(diffLines(''))).toEqual([]);
    expect(sorted(diffLines('@@ -1,2 +1,2 @@\r\n a\r\n-b\r\n+c\r\n'))).toEqual([1, 2]);
  });

  it('an empty line inside a hunk is an (empty) context line', () => {
    expect(sorted(diffLines('@@ -1,3 +1,3 @@\n a\n\n c'))).toEqual([1, 2, 3]);
  });
});

describe('markers', () => {
  it('round-trip, only at the start of the body', () => {
    const m = inlineMarker('0123abcdef');
    expect(m).toBe('<!-- migration-gate:finding 0123abcdef -->');
    expect(parseInlineMarker(`${m}\nbody`)).toBe('0123abcdef');
    expect(parseInlineMarker(`quoted: ${m}`)).toBeNull();
    expect(parseInlineMarker('no marker')).toBeNull();
    expect(parseInlineMarker(null)).toBeNull();
  });

  it('fingerprints are sanitised so they cannot close the comment', () => {
    expect(inlineMarker('ab --> <b>x</b>')).toBe('<!-- migration-gate:finding ab--bxb -->');
    expect(() => inlineMarker('-->')).not.toThrow();
    expect(() => inlineMarker('<>')).toThrow();
  });
});

describe('planInline', () => {
  const patch = '@@ -0,0 +1,10 @@\n' + Array.from({ length: 10 }, (_, i) => `+line ${i + 1}`).join('\n');
  const patch2 = '@@ -1,3 +1,4 @@\n a\n+b\n c\n d\n@@ -40,2 +41,2 @@\n x\n y';

  it('one comment per finding on lines in the diff; the rest go to outsideDiff', () => {
    const a = finding({ path: 'db/a.sql', line: 2, message: 'Drops table @alice' });
    const b = finding({ path: 'db/a.sql', line: 2, ruleId: 'other', category: 'privilege' });
    const c = finding({ path: 'db/b.sql', line: 20 }); // between hunks
    const d = finding({ path: 'db/b.sql', line: 2 });
    const e = finding({ path: 'db/c.sql', line: 1 }); // no patch (binary, too large)
    const i = finding({ path: 'db/a.sql', line: 3, severity: 'info', gating: false }); // info: summary only
    const plan = planInline(result([a, b, c, d, e, i]), { 'db/a.sql': patch, 'db/b.sql': patch2, 'db/c.sql': undefined }, []);
    expect(plan.create.map((x) => [x.path, x.line, x.fingerprint])).toEqual([
      ['db/a.sql', 2, a.fingerprint],
      ['db/a.sql', 2, b.fingerprint],
      ['db/b.sql', 2, d.fingerprint],
    ]);
    expect(plan.outsideDiff).toEqual([c, e]);
    expect(plan.resolve).toEqual([]);
    const body = plan.create[0]!.body;
    expect(parseInlineMarker(body)).toBe(a.fingerprint);
    expect(body).toContain('`drop-table`');
    expect(body).toContain('needs approval');
    expect(body).toContain('\\@\u200balice');
    expect(body).toContain('**Fix:**');
    expect(body.split('<!--')).toHaveLength(2);
  });

  it('a statement starting outside the hunk is commented on its first line inside it', () => {
    const f = finding({ path: 'db/b.sql', line: 40, endLine: 42 });
    expect(planInline(result([f]), { 'db/b.sql': patch2 }, []).create.map((x) => x.line)).toEqual([41]);
  });

  it('a re-run posts nothing new; disappeared findings are resolved once', () => {
    const a = finding({ path: 'db/a.sql', line: 1 });
    const gone = finding({ path: 'db/a.sql', line: 5 });
    const first = planInline(result([a, gone]), { 'db/a.sql': patch }, []);
    expect(first.create).toHaveLength(2);
    const existing: ExistingComment[] = first.create.map((c, i) => ({ id: i + 1, body: c.body, path: c.path, line: c.line }));
    existing.push({ id: 99, body: 'a human comment <!-- migration-gate:finding xyz -->', path: 'db/a.sql', line: 1 });

    const again = planInline(result([a, gone]), { 'db/a.sql': patch }, existing);
    expect(again).toEqual({ create: [], resolve: [], outsideDiff: [] });

    const later = planInline(result([a]), { 'db/a.sql': patch }, existing);
    expect(later.create).toEqual([]);
    expect(later.resolve.map((r) => r.id)).toEqual([2]);
    const resolved = later.resolve[0]!.body;
    expect(parseInlineMarker(resolved)).toBe(gone.fingerprint);
    expect(isResolvedComment(resolved)).toBe(true);
    expect(resolved).toContain('✅ **Resolved**');
    expect(resolved).toContain('> **migration-gate** [`drop-table`](https://github.com/migration-gate/migration-gate/blob/main/docs/rules/drop-table.md)');

    // the resolved comment is not updated again
    const updated = existing.map((c) => (c.id === 2 ? { ...c, body: resolved, line: null } : c));
    expect(planInline(result([a]), { 'db/a.sql': patch }, updated)).toEqual({ create: [], resolve: [], outsideDiff: [] });

    // the finding comes back: a new comment; the old resolved one stays as it is
    const back = planInline(result([a, gone]), { 'db/a.sql': patch }, updated);
    expect(back.create.map((c) => c.fingerprint)).toEqual([gone.fingerprint]);
    expect(back.resolve).toEqual([]);
  });

  it('an already-posted finding is not posted again even when its line left the diff', () => {
    const a = finding({ path: 'db/a.sql', line: 3 });
    const existing = [{ id: 1, body: `${inlineMarker(a.fingerprint)}\nold`, path: 'db/a.sql', line: null }];
    expect(planInline(result([a]), { 'db/a.sql': '@@ -1,1 +1,1 @@\n-x\n+y' }, existing)).toEqual({ create: [], resolve: [], outsideDiff: [] });
  });
});

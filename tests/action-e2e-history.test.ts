// History in the action (spawned dist/index.js against the fake GitHub): from the BASE commit's
// git tree and blobs through the API, never from the head; from the workspace when it is a
// checkout of the base; none (with a visible note) when the tree cannot be read.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useFakeGitHub, requests } from './fake-github/fixtures.js';
import { runAction } from './fake-github/harness.js';

const fake = useFakeGitHub();

const BASE = {
  'db/migrations/V1_1__users.sql': 'CREATE TABLE users (id int);\n',
  'db/migrations/V1_2__email.sql': 'ALTER TABLE users ADD email text;\n',
  'db/migrations/V1_10__later.sql': 'SELECT 1;\n', // before V1_11 (numeric), though after it by name
  'db/other/unrelated.sql': 'SELECT 2;\n',
  'README.md': 'x',
};
const CHANGED = { filename: 'db/migrations/V1_11__drop.sql', status: 'added' as const, content: 'ALTER TABLE users DROP COLUMN email;\n' };

const historyOf = (report: string) => JSON.parse(report).history;

describe('action: history from the base commit', () => {
  it('through the API: recursive tree of the BASE commit, only the set\'s directory, blobs; the head is never read for history', async () => {
    const s = fake.repo({ files: [CHANGED], base: BASE, headExtra: { 'db/migrations/V1_3__head_only.sql': 'DROP TABLE users;\n' } });
    const r = await runAction(fake, s);
    expect(r.stderr).toBe('');
    const h = historyOf(r.report);
    expect(h.source).toBe('api');
    expect(h.sets).toEqual([{ framework: 'flyway', root: 'db/migrations', changed: 1, before: 3, last: 'db/migrations/V1_10__later.sql', problems: [] }]);
    // The base tree for history; the head tree only tells symbolic links from files (src/action/links.ts).
    const trees = requests(s, 'GET', /\/git\/trees\//).filter((q) => !q.path.endsWith(s.headSha));
    expect(trees.map((q) => q.path)).toEqual([`/repos/${s.fullName}/git/trees/${s.baseSha}`]);
    expect(trees[0].query.recursive).toBe('1');
    // Blobs of the set's directory only (3 files), not README.md or db/other/.
    expect(requests(s, 'GET', /\/git\/blobs\//)).toHaveLength(3);
    expect(requests(s, 'GET', /\/contents\//).filter((q) => q.query.ref === s.headSha && /V1_3/.test(q.path))).toEqual([]);
  });

  it('from the workspace when its HEAD is the base commit (no tree or blob requests)', async () => {
    const s = fake.repo({ files: [CHANGED], base: BASE });
    const ws = join(tmpdir(), `mg-ws-${s.owner}`);
    for (const [p, c] of Object.entries(BASE)) {
      mkdirSync(join(ws, p, '..'), { recursive: true });
      writeFileSync(join(ws, p), c);
    }
    mkdirSync(join(ws, '.git', 'refs', 'heads'), { recursive: true });
    writeFileSync(join(ws, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(ws, '.git', 'packed-refs'), `# pack-refs with: peeled fully-peeled sorted\n${s.baseSha} refs/heads/main\n`);
    const r = await runAction(fake, s, { env: { GITHUB_WORKSPACE: ws } });
    const h = historyOf(r.report);
    expect(h.source).toBe('workspace');
    expect(h.sets[0]).toMatchObject({ framework: 'flyway', before: 3 });
    // The head tree (symbolic links, src/action/links.ts) is read either way; nothing of the base's.
    expect(requests(s, 'GET', /\/git\//).filter((q) => !q.path.endsWith(s.headSha))).toEqual([]);
    // A workspace at another commit (the merge commit of `pull_request`) is not used.
    writeFileSync(join(ws, '.git', 'HEAD'), 'f'.repeat(40) + '\n');
    const r2 = await runAction(fake, s, { env: { GITHUB_WORKSPACE: ws } });
    expect(historyOf(r2.report).source).toBe('api');
    rmSync(ws, { recursive: true, force: true });
  });

  it('none, with a visible note, when the tree cannot be read; the review still completes', async () => {
    const s = fake.repo({ files: [CHANGED], base: BASE, faults: [{ method: 'GET', path: /\/git\/trees\//, status: 403 }] });
    const r = await runAction(fake, s);
    expect(historyOf(r.report)).toMatchObject({ source: 'none' });
    expect(r.summary).toContain('No migration history');
    expect(r.outputs.verdict).toBeDefined();
    const t = fake.repo({ files: [CHANGED], base: BASE, truncatedTree: true });
    const r2 = await runAction(fake, t);
    expect(historyOf(r2.report).source).toBe('none');
    expect(r2.summary).toContain('too large');
  });

  it('symbolic links on the base are not read as history', async () => {
    const s = fake.repo({ files: [CHANGED], base: { ...BASE, 'db/migrations/V1_5__link.sql': '/etc/passwd' }, symlinks: ['db/migrations/V1_5__link.sql'] });
    const r = await runAction(fake, s);
    expect(historyOf(r.report).sets[0].before).toBe(3);
  });

  it('no history work when no changed file is in a migration set', async () => {
    const s = fake.repo({ files: [{ filename: 'scripts/fix.sql', status: 'added', content: 'SELECT 1;\n' }], base: BASE });
    const r = await runAction(fake, s);
    expect(historyOf(r.report)).toEqual({ source: 'none', sets: [] });
    // The head tree (symbolic links, src/action/links.ts) is read either way; nothing of the base's.
    expect(requests(s, 'GET', /\/git\//).filter((q) => !q.path.endsWith(s.headSha))).toEqual([]);
  });
});

// Symbolic links: the resolver the action uses on the head tree (src/discover/symlink.ts), and the CLI's walk
// on disk (src/discover/index.ts): a link inside the tree is read as its target and reported; a link out of
// the tree, dangling or in a loop is never followed and gates (rules/migration-symlink.ts).
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverFiles } from '../src/discover/index.js';
import { run } from '../src/engine.js';
import { resolveLink, type LinkTree } from '../src/discover/symlink.js';

function treeOf(files: Record<string, string>, links: Record<string, string>): LinkTree {
  const kinds = new Map<string, 'file' | 'dir' | 'link'>();
  const dirs = (p: string) => p.split('/').slice(0, -1).forEach((_, i, a) => kinds.set(a.slice(0, i + 1).join('/'), 'dir'));
  for (const p of Object.keys(files)) (dirs(p), kinds.set(p, 'file'));
  for (const p of Object.keys(links)) (dirs(p), kinds.set(p, 'link'));
  return { kind: (p) => kinds.get(p) ?? null, target: async (p) => links[p] ?? null };
}

describe('resolveLink (the kernel’s path resolution over a git tree)', () => {
  const files = { 'db/migrations/0001.sql': 'x', 'docs/notes.txt': 'y', 'shared/sql/0002.sql': 'z' };
  it('a relative link to a file inside the repository resolves to it', async () => {
    expect((await resolveLink('db/migrations/0003.sql', treeOf(files, { 'db/migrations/0003.sql': '../../docs/notes.txt' }))).info).toEqual({ target: '../../docs/notes.txt', resolved: 'docs/notes.txt' });
  });
  it('through a linked directory, `..` taken after the link (physically)', async () => {
    const links = { 'db/shared': '../shared/sql', 'db/migrations/0004.sql': '../shared/0002.sql' };
    expect((await resolveLink('db/migrations/0004.sql', treeOf(files, links))).info.resolved).toBe('shared/sql/0002.sql');
    expect(await resolveLink('db/shared', treeOf(files, links))).toMatchObject({ info: { problem: 'directory' }, dir: 'shared/sql' });
  });
  it('outside the repository (above the root, absolute), dangling, a loop', async () => {
    const t = treeOf(files, { a: '../../etc/passwd', b: '/etc/passwd', c: 'nope.sql', d: 'e', e: 'd', f: 'docs/notes.txt/x' });
    expect((await resolveLink('a', t)).info.problem).toBe('outside');
    expect((await resolveLink('b', t)).info.problem).toBe('outside');
    expect((await resolveLink('c', t)).info.problem).toBe('dangling');
    expect((await resolveLink('d', t)).info.problem).toBe('loop');
    expect((await resolveLink('f', t)).info.problem).toBe('dangling'); // a file used as a directory: ENOTDIR
  });
});

const tmp = () => mkdtempSync(join(tmpdir(), 'mg-links-'));
const rel = (p: string) => relative(process.cwd(), p).split('\\').join('/');

describe('CLI: walking directories with symbolic links', () => {
  it('a link out of the tree is not followed: listed with no content, and gates', async () => {
    const outside = tmp();
    writeFileSync(join(outside, 'evil.sql'), 'DROP TABLE users;\n');
    const d = tmp();
    writeFileSync(join(d, '0001_ok.sql'), 'CREATE TABLE t (id int);\n');
    symlinkSync(join(outside, 'evil.sql'), join(d, '0002_evil.sql'));
    const files = discoverFiles([d]);
    const link = files.find((f) => f.path.endsWith('0002_evil.sql'))!;
    expect(link.link).toMatchObject({ resolved: null, problem: 'outside' });
    expect(link.content.length).toBe(0);
    const r = await run(files, { replay: false });
    expect(r.findings.filter((f) => f.ruleId === 'migration-symlink')).toEqual([expect.objectContaining({ path: rel(join(d, '0002_evil.sql')), gating: true })]);
    expect(r.findings.some((f) => f.ruleId === 'drop-table')).toBe(false); // the outside file was never read
  });

  it('a link inside the tree is read as its target and reported (warning); a regular file is not', async () => {
    const d = tmp();
    mkdirSync(join(d, 'shared'));
    writeFileSync(join(d, 'shared', 'drop.sql'), 'DROP TABLE users;\n');
    writeFileSync(join(d, '0001_ok.sql'), 'CREATE TABLE t (id int);\n');
    symlinkSync(join('shared', 'drop.sql'), join(d, '0002_link.sql'));
    const r = await run(discoverFiles([d]), { replay: false });
    const at = rel(join(d, '0002_link.sql'));
    expect(r.findings.find((f) => f.ruleId === 'drop-table' && f.path === at)).toBeDefined();
    expect(r.findings.filter((f) => f.ruleId === 'migration-symlink')).toEqual([expect.objectContaining({ path: at, severity: 'warning', gating: false })]);
  });

  it('a dangling link, a loop of links and a directory loop end the walk sanely', async () => {
    const d = tmp();
    writeFileSync(join(d, '0001_ok.sql'), 'CREATE TABLE t (id int);\n');
    symlinkSync('missing.sql', join(d, '0002_dangling.sql'));
    symlinkSync('0003_loop.sql', join(d, '0003_loop.sql'));
    mkdirSync(join(d, 'sub'));
    symlinkSync('..', join(d, 'sub', 'up')); // a directory loop: walked once
    const files = discoverFiles([d]);
    expect(files.map((f) => [f.path.split('/').pop(), f.link?.problem])).toEqual([
      ['0001_ok.sql', undefined],
      ['0002_dangling.sql', 'dangling'],
      ['0003_loop.sql', 'loop'],
    ]);
    const r = await run(files, { replay: false });
    expect(r.findings.filter((f) => f.ruleId === 'migration-symlink' && f.gating)).toHaveLength(2);
  });

  it('a link to a directory out of the tree that could hold migrations is reported', async () => {
    const outside = tmp();
    writeFileSync(join(outside, '0009.sql'), 'DROP TABLE users;\n');
    const d = tmp();
    writeFileSync(join(d, '0001_ok.sql'), 'CREATE TABLE t (id int);\n');
    symlinkSync(outside, join(d, 'more'));
    const files = discoverFiles([d]);
    expect(files.find((f) => f.path.endsWith('/more'))?.link?.problem).toBe('outside');
    expect(files.some((f) => f.path.endsWith('0009.sql'))).toBe(false);
  });

  it('a file named on the command line that is a link out of the tree is reported, not read', async () => {
    const outside = tmp();
    writeFileSync(join(outside, 'x.sql'), 'DROP TABLE users;\n');
    const d = tmp();
    symlinkSync(join(outside, 'x.sql'), join(d, '0001.sql'));
    const [f] = discoverFiles([join(d, '0001.sql')]);
    expect(f.link?.problem).toBe('outside');
    expect(f.content.length).toBe(0);
  });
});

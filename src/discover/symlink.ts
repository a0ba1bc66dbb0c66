// Symbolic links in a repository tree, resolved as the operating system resolves them when the
// runner opens the path (path_resolution(7)): component by component, a link's text relative to
// the link's directory (or absolute), `..` taken after the link is replaced (physically), at most
// 40 links (Linux MAXSYMLINKS, ELOOP beyond). Pure: the caller supplies the tree (the action: the
// head commit's git tree and link blobs; the CLI resolves on disk with realpath instead).
import type { LinkInfo } from '../types.js';

/** Linux's MAXSYMLINKS: more links than this on one path is ELOOP. */
export const MAX_LINK_HOPS = 40;

export interface LinkTree {
  /** What a repository-relative path is at this commit; null when it does not exist. */
  kind(path: string): 'file' | 'dir' | 'link' | null;
  /** The text of the link at `path` (null when it cannot be read). */
  target(path: string): Promise<string | null>;
}

/** Names a directory's migrations could have: a link that leads nowhere reviewable and could be such a directory is reported. */
const PROBES = ['0001_x.sql', '0001_x.py'];

/** Could `path` be a directory whose files the globs select (a linked migrations folder)? */
export function mayHoldMigrations(path: string, isMigration: (p: string) => boolean): boolean {
  return PROBES.some((n) => isMigration(`${path}/${n}`));
}

/** Control characters and long texts are cut from a link text before it appears in a message (it comes from the pull request). */
export function safeLinkText(t: string): string {
  // eslint-disable-next-line no-control-regex
  const s = t.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, '�');
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

/**
 * Where the link at `path` leads: a regular file in the repository (`resolved`), or why not.
 * `dir` is set when it leads to a directory inside the repository (a directory alias).
 */
export async function resolveLink(path: string, tree: LinkTree): Promise<{ info: LinkInfo; dir?: string }> {
  const text = await tree.target(path);
  if (text === null) return { info: { target: '', resolved: null, problem: 'unknown' } };
  const fail = (problem: NonNullable<LinkInfo['problem']>) => ({ info: { target: text, resolved: null, problem } });
  const cur = path.split('/').slice(0, -1);
  let pending = text.split('/');
  if (text.startsWith('/')) return fail('outside'); // an absolute link is outside any checkout's tree
  let hops = 1;
  while (pending.length) {
    const c = pending.shift()!;
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (!cur.length) return fail('outside');
      cur.pop();
      continue;
    }
    cur.push(c);
    const p = cur.join('/');
    const k = tree.kind(p);
    if (k === 'link') {
      if (++hops > MAX_LINK_HOPS) return fail('loop');
      const t = await tree.target(p);
      if (t === null) return fail('unknown');
      if (t.startsWith('/')) return fail('outside');
      cur.pop();
      pending = [...t.split('/'), ...pending];
      continue;
    }
    if (k === null) return fail('dangling');
    // A file in the middle of a path: ENOTDIR, nothing to open.
    if (k === 'file' && pending.some((x) => x !== '' && x !== '.')) return fail('dangling');
  }
  const p = cur.join('/');
  if (p && tree.kind(p) === 'file') return { info: { target: text, resolved: p } };
  return { ...fail('directory'), dir: p };
}

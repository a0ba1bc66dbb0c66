// The action's history adapter: the earlier migrations of the changed files' sets, from the BASE
// commit, never from the pull request's head. From the workspace when the workflow checked out the
// base commit (HEAD of $GITHUB_WORKSPACE is the base SHA), else through the REST API (the base
// commit's recursive git tree, filtered to the sets' directories, then their blobs, concurrently,
// within MAX_API_FILES / MAX_API_BYTES), else none, with a note for the summary.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readHistory } from '../cli/history.js';
import { finishHistory, historyPaths, type TreeView } from '../history/collect.js';
import { loadUnicodeNamesFor } from '../python/unicode-names.js';
import { planHistory, type SetHistory } from '../history/index.js';
import type { GitHubApi, TreeEntry } from '../github/api.js';
import type { SourceFile } from '../types.js';
import { pool } from './pool.js';

/** Through the API, at most this many history files and bytes are read (documented in docs/action.md). */
export const MAX_API_FILES = 3000;
export const MAX_API_BYTES = 64 * 1024 * 1024;
const BLOB_CONCURRENCY = 8;

export interface ActionHistory {
  history: SourceFile[];
  sets: SetHistory[];
  source: 'workspace' | 'api' | 'none';
  /** For the summary: why there is no (or only part of the) history. */
  notes: string[];
}

/** The commit `HEAD` names in a checkout (detached SHA, or a branch ref, loose or packed); null when unknown. */
export function workspaceHead(ws: string): string | null {
  try {
    const git = join(ws, '.git');
    if (!existsSync(git) || !statSync(git).isDirectory()) return null;
    const head = readFileSync(join(git, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40}$/i.test(head)) return head.toLowerCase();
    const ref = /^ref:\s*(refs\/[^\s]+)$/.exec(head)?.[1];
    if (!ref || ref.split('/').includes('..')) return null;
    const loose = join(git, ref);
    if (existsSync(loose)) return readFileSync(loose, 'utf8').trim().toLowerCase() || null;
    const packed = readFileSync(join(git, 'packed-refs'), 'utf8');
    for (const line of packed.split('\n')) {
      const [sha, name] = line.trim().split(/\s+/);
      if (name === ref && /^[0-9a-f]{40}$/i.test(sha)) return sha.toLowerCase();
    }
  } catch {
    /* not a readable checkout */
  }
  return null;
}

function treeView(entries: TreeEntry[]): TreeView {
  const kinds = new Map<string, 'file' | 'dir'>();
  const children = new Map<string, Set<string>>();
  for (const e of entries) {
    // Regular files only: a symbolic link (120000) or a submodule (160000) is not read as history.
    if (e.type === 'blob' && (e.mode === '100644' || e.mode === '100755')) kinds.set(e.path, 'file');
    else if (e.type === 'tree') kinds.set(e.path, 'dir');
    else continue;
    const i = e.path.lastIndexOf('/');
    const d = i < 0 ? '' : e.path.slice(0, i);
    if (!children.has(d)) children.set(d, new Set());
    children.get(d)!.add(e.path.slice(i + 1));
  }
  return { list: (d) => [...(children.get(d) ?? [])].sort(), kind: (p) => kinds.get(p) ?? null };
}

export async function actionHistory(opts: { api: GitHubApi; baseSha: string; sources: SourceFile[]; workspace?: string; info: (m: string) => void }): Promise<ActionHistory> {
  const { api, baseSha, sources } = opts;
  const short = baseSha.slice(0, 7);
  // Nothing to do when no changed file belongs to a migration set.
  await loadUnicodeNamesFor(sources);
  if (!planHistory(sources).length) return { history: [], sets: [], source: 'none', notes: [] };
  const ws = opts.workspace;
  if (ws && workspaceHead(ws) === baseSha.toLowerCase()) {
    // The checkout is the base commit: read it. Symbolic links are not followed.
    const h = await readHistory(sources, ws, false);
    opts.info(`history: read from the workspace (base ${short})`);
    return { history: h.history, sets: h.sets, source: 'workspace', notes: h.notes };
  }
  const none = (why: string): ActionHistory => ({ history: [], sets: finishHistory(sources, []).sets, source: 'none', notes: [`No migration history: ${why} Each changed migration was judged on its own (no state from earlier migrations).`] });
  let tree;
  try {
    tree = await api.getTree(baseSha);
  } catch (e) {
    return none(`the base commit's tree could not be read (${(e as Error).message}).`);
  }
  if (tree.truncated) return none(`the base commit's tree is too large for one API listing; check out the base commit (docs/action.md) to use it.`);
  const view = treeView(tree.entries);
  const { paths, capped } = historyPaths(sources, view, MAX_API_FILES);
  if (capped) return none(`the migration sets have more than ${MAX_API_FILES} files; check out the base commit (docs/action.md).`);
  const bySha = new Map(tree.entries.map((e) => [e.path, e]));
  const bytes = paths.reduce((a, p) => a + (bySha.get(p)?.size ?? 0), 0);
  if (bytes > MAX_API_BYTES) return none(`the migration sets hold ${Math.round(bytes / 1048576)} MB, more than the ${MAX_API_BYTES / 1048576} MB read through the API; check out the base commit (docs/action.md).`);
  let read: SourceFile[];
  try {
    read = await pool(paths, BLOB_CONCURRENCY, async (p) => {
      try {
        return { path: p, content: await api.getBlob(bySha.get(p)!.sha) };
      } catch (e) {
        throw new Error(`${p}: ${(e as Error).message}`); // name the file, not only its blob SHA
      }
    });
  } catch (e) {
    return none(`a history file could not be read from the base commit (${(e as Error).message}).`);
  }
  await loadUnicodeNamesFor(read);
  const h = finishHistory(sources, read);
  opts.info(`history: ${paths.length} file(s) of the base commit ${short} read through the API, ${h.history.length} run before the changed migrations`);
  return { ...h, source: 'api', notes: [] };
}

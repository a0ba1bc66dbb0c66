// Symbolic links at the pull request's head (git mode 120000), from the head commit's recursive
// tree: GitHub's pulls/{n}/files does not say a file is a link, and the contents API follows a link
// that stays in the repository (it answers with the target's content), so reading a linked
// migration by path would review the target silently. What the runner runs at deploy time is what
// the link leads to then (src/discover/symlink.ts resolves it as the kernel does).
import { createHash } from 'node:crypto';
import type { GitHubApi, PullFile, TreeEntry } from '../github/api.js';
import { resolveLink, type LinkTree } from '../discover/symlink.js';
import type { LinkInfo } from '../types.js';
import { pool } from './pool.js';

/** At most this many link texts are read from the head tree (each is one blob call). */
export const MAX_LINKS = 1000;
const LINK_CONCURRENCY = 16;

export interface LinkedPath {
  /** The path the runner opens. */
  path: string;
  link: LinkInfo;
  /** The blob to review under `path` (the target's), when the link leads to a regular file. */
  blobSha?: string;
}

export interface HeadLinks {
  /** Changed files (status not removed) that are links at the head: path → where it leads. */
  changed: Map<string, LinkedPath>;
  /**
   * Paths the runner reads through a link that the pull request did not change but whose target it
   * did: a selected link to a changed file, or a changed file under a linked directory seen under
   * the link's name (only when its own path is not selected).
   */
  aliases: LinkedPath[];
  /** Whether the head tree was read: when not, `checkBlob` tells a link from a file by its SHA. */
  known: boolean;
  notes: string[];
}

/** Git's blob SHA-1 of some bytes (`git hash-object`). */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export async function headLinks(opts: {
  api: GitHubApi;
  tree: Promise<{ entries: TreeEntry[]; truncated: boolean }>;
  files: PullFile[];
  isSelected: (path: string) => boolean;
}): Promise<HeadLinks> {
  const { api, files, isSelected } = opts;
  const out: HeadLinks = { changed: new Map(), aliases: [], known: false, notes: [] };
  let entries: TreeEntry[];
  try {
    const t = await opts.tree;
    if (t.truncated) {
      out.notes.push(`The head commit's tree is too large for one API listing: symbolic links were told from files only by their blob SHA (a linked migration gates; a link the pull request did not change is not seen).`);
      return out;
    }
    entries = t.entries;
  } catch (e) {
    out.notes.push(`The head commit's tree could not be read (${(e as Error).message}): symbolic links were told from files only by their blob SHA (a linked migration gates; a link the pull request did not change is not seen).`);
    return out;
  }
  out.known = true;
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const links = entries.filter((e) => e.mode === '120000');
  if (!links.length) return out;
  const changedPaths = new Set(files.filter((f) => f.status !== 'removed').map((f) => f.filename));
  // Changed and selected links first: they must be read; the rest (for aliases) up to the cap.
  const must = links.filter((l) => changedPaths.has(l.path) || isSelected(l.path));
  const rest = links.filter((l) => !changedPaths.has(l.path) && !isSelected(l.path));
  const budget = Math.max(0, MAX_LINKS - must.length);
  if (rest.length > budget) out.notes.push(`The head commit has ${links.length} symbolic links; ${rest.length - budget} of them (not changed, not selected) were not read, so a changed file reached only through them is not reviewed under their names.`);
  const toRead = [...must, ...rest.slice(0, budget)];
  const texts = new Map<string, Promise<string | null>>();
  const readText = (l: TreeEntry) => {
    if (!texts.has(l.path)) texts.set(l.path, api.getBlob(l.sha).then((b) => new TextDecoder().decode(b), () => null));
    return texts.get(l.path)!;
  };
  await pool(toRead, LINK_CONCURRENCY, readText);
  const tree: LinkTree = {
    kind: (p) => {
      const e = byPath.get(p);
      if (!e) return null;
      return e.mode === '120000' ? 'link' : e.type === 'tree' ? 'dir' : e.type === 'blob' ? 'file' : null; // a submodule (commit) has nothing to open
    },
    target: (p) => {
      const e = byPath.get(p);
      return e && e.mode === '120000' ? readText(e) : Promise.resolve(null);
    },
  };
  const resolved = new Map<string, { info: LinkInfo; dir?: string }>();
  for (const l of toRead) resolved.set(l.path, await resolveLink(l.path, tree));
  const blobOf = (p: string | null) => (p ? byPath.get(p)?.sha : undefined);
  for (const l of toRead) {
    const r = resolved.get(l.path)!;
    const item: LinkedPath = { path: l.path, link: r.info, ...(blobOf(r.info.resolved) ? { blobSha: blobOf(r.info.resolved) } : {}) };
    if (changedPaths.has(l.path)) out.changed.set(l.path, item);
    else if (isSelected(l.path) && r.info.resolved && changedPaths.has(r.info.resolved)) out.aliases.push(item);
    // A linked directory: a changed file under its target is also opened under the link's name.
    if (r.dir !== undefined) {
      const prefix = r.dir ? `${r.dir}/` : '';
      for (const f of changedPaths) {
        if (!f.startsWith(prefix) || isSelected(f) || tree.kind(f) !== 'file') continue;
        const alias = `${l.path}/${f.slice(prefix.length)}`;
        if (isSelected(alias)) out.aliases.push({ path: alias, link: { target: r.info.target, resolved: f }, blobSha: byPath.get(f)!.sha });
      }
    }
  }
  return out;
}

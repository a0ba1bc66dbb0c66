// The CLI's history adapter: for the files given on the command line, read the rest of their
// migration sets from disk (src/history/collect.ts decides which files) and order them.
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { finishHistory, historyPaths, type TreeView } from '../history/collect.js';
import type { SetHistory } from '../history/index.js';
import { loadUnicodeNamesFor } from '../python/unicode-names.js';
import type { SourceFile } from '../types.js';

export { historySummary } from '../history/collect.js';

/** Bounds of what history reading may pull from disk (beyond them the history is cut, with a note). */
export const MAX_HISTORY_FILES = 10_000;
export const MAX_HISTORY_BYTES = 200 * 1024 * 1024;

export interface CliHistory {
  /** History files (not under review), in run order per set. */
  history: SourceFile[];
  sets: SetHistory[];
  notes: string[];
}

/**
 * A directory tree on disk, paths as the CLI writes them (relative to `root`, or `../…`).
 * `followLinks: false` (the action's workspace) treats symbolic links as absent.
 */
export function diskTree(root: string, followLinks = true, memo?: DiskMemo): TreeView {
  const st = (p: string) => {
    try {
      return (followLinks ? statSync : lstatSync)(resolve(root, p));
    } catch {
      return null;
    }
  };
  const list = (dir: string) => {
    try {
      return readdirSync(resolve(root, dir || '.')).sort();
    } catch {
      return [];
    }
  };
  const kind = (p: string) => {
    const s = st(p);
    return s?.isFile() ? ('file' as const) : s?.isDirectory() ? ('dir' as const) : null;
  };
  if (!memo) return { list, kind };
  // Keyed by absolute path: the same directory seen under different relative paths (src/cli/lift.ts).
  return {
    list: (dir) => memoized(memo.lists, resolve(root, dir || '.'), () => list(dir)),
    kind: (p) => memoized(memo.kinds, resolve(root, p), () => kind(p)),
  };
}

/** Directory listings, kinds and contents already read, by absolute path (one run reads each once). */
export interface DiskMemo {
  lists: Map<string, string[]>;
  kinds: Map<string, 'file' | 'dir' | null>;
  contents: Map<string, Uint8Array>;
}

export function newDiskMemo(): DiskMemo {
  return { lists: new Map(), kinds: new Map(), contents: new Map() };
}

function memoized<T>(m: Map<string, T>, k: string, f: () => T): T {
  if (!m.has(k)) m.set(k, f());
  return m.get(k)!;
}

export async function readHistory(files: SourceFile[], root = process.cwd(), followLinks = true, memo?: DiskMemo): Promise<CliHistory> {
  const notes: string[] = [];
  const { paths, capped } = historyPaths(files, diskTree(root, followLinks, memo), MAX_HISTORY_FILES);
  const read: SourceFile[] = [];
  let bytes = 0;
  for (const p of paths) {
    if (bytes >= MAX_HISTORY_BYTES) {
      notes.push(`history cut at ${read.length} files / ${Math.round(bytes / 1048576)} MB: the rest is not part of the history.`);
      break;
    }
    try {
      const abs = resolve(root, p);
      const content = memo?.contents.get(abs) ?? readFileSync(abs);
      memo?.contents.set(abs, content);
      bytes += content.length;
      read.push({ path: p, content });
    } catch {
      notes.push(`cannot read ${p}: left out of the history.`);
    }
  }
  if (capped) notes.push(`history cut at ${MAX_HISTORY_FILES} files: the rest is not part of the history.`);
  await loadUnicodeNamesFor([...files, ...read]);
  return { ...finishHistory(files, read), notes };
}

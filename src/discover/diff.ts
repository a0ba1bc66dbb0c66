// Unified diffs (GitHub's `patch` field of a pull request file): which RIGHT-side lines a review
// comment can be placed on, and where a change starts.

/**
 * RIGHT-side line numbers a review comment can be placed on: added and context lines inside the
 * hunks of a unified diff (GitHub's `patch` field). The hunk header's counts decide where a hunk
 * ends, so `+++`/`---` look-alike content lines, `\ No newline at end of file`, and a trailing
 * newline are all handled; lines outside hunks (diff/rename headers) are ignored.
 */
export function diffLines(patch: string | undefined): Set<number> {
  return walk(patch).all;
}

/**
 * The first line a change adds (where an inline comment about the whole file lands), else the
 * first hunk's start, else 1.
 */
export function firstAddedLine(patch: string | undefined): number {
  const w = walk(patch);
  return w.added[0] ?? w.firstHunk ?? 1;
}

function walk(patch: string | undefined): { all: Set<number>; added: number[]; firstHunk?: number } {
  const out = new Set<number>();
  const added: number[] = [];
  let firstHunk: number | undefined;
  if (typeof patch !== 'string' || !patch) return { all: out, added };
  let right = 0;
  let oldLeft = 0;
  let newLeft = 0;
  const rows = patch.split(/\r?\n/);
  if (rows.length > 1 && rows[rows.length - 1] === '') rows.pop(); // final newline, not an empty line
  for (const line of rows) {
    if (oldLeft <= 0 && newLeft <= 0) {
      const h = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (h) {
        oldLeft = h[1] === undefined ? 1 : Number(h[1]);
        right = Number(h[2]);
        newLeft = h[3] === undefined ? 1 : Number(h[3]);
        firstHunk ??= Math.max(1, right);
      }
      continue;
    }
    const c = line[0];
    if (c === '\\') continue; // "\ No newline at end of file"
    if (c === '-') {
      oldLeft--;
      continue;
    }
    if (c === '+') {
      added.push(right);
      out.add(right++);
      newLeft--;
      continue;
    }
    // context (' '), or an empty line some tools leave for an empty context line
    out.add(right++);
    newLeft--;
    oldLeft--;
  }
  return { all: out, added, firstHunk };
}


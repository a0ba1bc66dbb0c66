// Writes the review record (src/provenance/record.ts): a second commit status on the PR head,
// context `<status-context>/reviewed`, whose description carries the SHA-256 digest of the PR's
// files (path + git blob SHA) as reviewed, and whose state is success only when the gate passed.
// `migration-gate verify` reads it back at deploy time.
//
// Trust model: only a token with `statuses: write` on the base repository can write it. A pull
// request from a fork runs with a read-only token, and a PR's code never runs in this action, so
// the author of a pull request cannot set or forge it. Anyone who can write statuses on the
// repository can (an admin, a collaborator's token, another workflow with `statuses: write`): see
// docs/verify.md.
import type { Decision } from '../decide/index.js';
import { GitHubApiError, type GitHubApi, type PullFile } from '../github/api.js';
import { gitBlobSha, recordContext, recordDescription, reviewDigest } from '../provenance/record.js';
import type { SourceFile } from '../types.js';

export interface RecorderOptions {
  api: GitHubApi;
  sha: string;
  /** The action's status context (the record's is `<context>/reviewed`). */
  context: string;
  targetUrl?: string;
  /** True when writing statuses is known to be denied (the main status failed with 403/404). */
  skip?: () => boolean;
  warn: (m: string) => void;
}

export interface Recorder {
  /** A review is running: an earlier record on this SHA no longer stands. */
  pending(): Promise<void>;
  /** The review finished with this decision over these PR files (and their bytes as read). */
  done(files: readonly PullFile[], sources: readonly SourceFile[], decision: Pick<Decision, 'verdict'>): Promise<void>;
}

export function reviewRecorder(o: RecorderOptions): Recorder {
  const context = recordContext(o.context);
  let denied = false;
  const write = async (state: 'pending' | 'success' | 'failure' | 'error', description: string) => {
    if (denied || o.skip?.()) return;
    try {
      await o.api.createStatus(o.sha, state, context, description.slice(0, 140), o.targetUrl);
    } catch (e) {
      denied = true;
      const s = e instanceof GitHubApiError ? e.status : 0;
      o.warn(
        `Cannot write the review record '${context}'${s ? ` (HTTP ${s})` : ''}: ${e instanceof Error ? e.message : String(e)}. ` +
          '`migration-gate verify` will not accept these migrations at deploy time until a run records them.',
      );
    }
  };
  return {
    pending: () => write('pending', 'reviewing…'),
    async done(files, sources, decision) {
      const r = recordOf(files, sources);
      if ('mismatch' in r) return write('error', 'not recorded: the pull request changed while it was read; re-run');
      return write(decision.verdict === 'pass' ? 'success' : 'failure', recordDescription(r.digest, r.count, decision.verdict));
    },
  };
}

/**
 * The digest over the PR's files that are present at the head (added, modified, renamed, …: all
 * but removed). The blob SHAs come from the file list; each migration the review read must have
 * the same blob SHA as its bytes, else the list and the bytes are of different heads (a push
 * between the two reads) and nothing is recorded as reviewed.
 */
export function recordOf(files: readonly PullFile[], sources: readonly SourceFile[]): { digest: string; count: number } | { mismatch: string } {
  const present = files.filter((f) => f.status !== 'removed');
  const byPath = new Map(present.map((f) => [f.filename, f.sha ?? '']));
  for (const s of sources) {
    const listed = byPath.get(s.path);
    if (listed === undefined || listed.toLowerCase() !== gitBlobSha(typeof s.content === 'string' ? new TextEncoder().encode(s.content) : s.content)) return { mismatch: s.path };
  }
  return { digest: reviewDigest(present.map((f) => ({ path: f.filename, blobSha: f.sha ?? '' }))), count: present.length };
}

/** After a review that could not complete: the record on this SHA says so (never a pass). */
export async function recordError(api: GitHubApi | undefined, sha: string | undefined, context: string | undefined, targetUrl?: string): Promise<void> {
  if (!api || !sha || !context) return;
  try {
    await api.createStatus(sha, 'error', recordContext(context), 'review did not complete: nothing recorded as reviewed', targetUrl);
  } catch {
    /* the main status's failure is reported already */
  }
}

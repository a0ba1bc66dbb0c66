// Deploy-time provenance (`migration-gate verify`): for each migration about to run, confirm through
// the GitHub API that these exact bytes (git blob SHA) reached the default branch through a merged
// pull request on which migration-gate passed for that content (the review record written by the
// action, src/action/record.ts). Fails closed: anything it cannot confirm is a failure, never "ok".
import { pool } from '../action/pool.js';
import type { CommitStatus, ProvenanceApi, PullFileRef, PullRef } from '../github/provenance.js';
import { parseRecordDigest, reviewDigest } from '../provenance/record.js';

export type VerifyStatus = 'verified' | 'baseline' | 'unreviewed' | 'edited-after-review' | 'direct-push' | 'unknown';

export interface LocalMigration {
  /** Path from the repository root (POSIX). */
  path: string;
  /** Git blob SHA of the local bytes. */
  blobSha: string;
}

export interface FileVerdict {
  path: string;
  blobSha: string;
  status: VerifyStatus;
  /** One line: why. */
  detail: string;
  /** The default-branch commit that brought these bytes (when one was found). */
  commit?: string;
  /** The pull request it came through (when one was found). */
  pull?: number;
  /** The commit the passing review record is on (verified only). */
  reviewedAt?: string;
}

export interface VerifyOptions {
  /** The branch the bytes must have reached (default: the repository's default branch). */
  branch?: string;
  /** The record's status context (default migration-gate/reviewed). */
  context: string;
  /** Which status creators count (e.g. only github-actions[bot]). */
  acceptCreator: (login: string | null) => boolean;
  /** A commit whose files are accepted as they are there (migrations from before migration-gate). */
  baseline?: string;
  concurrency?: number;
}

export interface VerifyReport {
  branch: string;
  files: FileVerdict[];
  ok: boolean;
}

const short = (sha: string) => sha.slice(0, 7);

interface PullEval {
  /** A passing record on the head whose digest matches the PR's files. */
  passed: boolean;
  reason: string;
  kind: Exclude<VerifyStatus, 'verified' | 'baseline' | 'unknown' | 'direct-push'>;
  files?: Map<string, string | null>;
}

export async function verify(api: ProvenanceApi, files: readonly LocalMigration[], opts: VerifyOptions): Promise<VerifyReport> {
  const branch = opts.branch ?? (await api.defaultBranch());
  let baseline: Map<string, string> | null = null;
  if (opts.baseline) {
    const t = await api.tree(opts.baseline);
    if (t.truncated) throw new Error(`the tree of the baseline commit ${short(opts.baseline)} is too large for the API (truncated listing): cannot tell which files it has`);
    baseline = t.blobs;
  }
  const pullsOf = cache((sha: string) => api.commitPulls(sha));
  const evalPull = cache((n: number, pr: PullRef) => evaluatePull(api, pr, opts));

  const one = async (f: LocalMigration): Promise<FileVerdict> => {
    const base = { path: f.path, blobSha: f.blobSha };
    if (baseline && baseline.get(f.path) === f.blobSha) {
      return { ...base, status: 'baseline', detail: `the same bytes as in the baseline commit ${short(opts.baseline!)}` };
    }
    let touched = 0;
    let first: FileVerdict | null = null;
    for await (const commit of api.pathCommits(f.path, branch)) {
      touched++;
      if ((await api.blobAt(f.path, commit)) !== f.blobSha) continue;
      // This commit brought these bytes to the path (each listed commit changed the path).
      const merged = (await pullsOf(commit)).filter((p) => p.mergedAt && p.baseRef === branch);
      let v: FileVerdict | null = null;
      if (!merged.length) {
        v = { ...base, status: 'direct-push', commit, detail: `commit ${short(commit)} put these bytes on ${branch} without a merged pull request into ${branch}` };
      }
      for (const pr of merged) {
        const e = await evalPull(pr.number, pr);
        const reviewed = e.files?.get(f.path);
        if (e.passed && reviewed === f.blobSha) return { ...base, status: 'verified', commit, pull: pr.number, reviewedAt: pr.headSha, detail: `PR #${pr.number}: migration-gate passed at ${short(pr.headSha)}` };
        const cand: FileVerdict = e.passed
          ? reviewed === undefined || reviewed === null
            ? { ...base, status: 'unreviewed', commit, pull: pr.number, detail: `commit ${short(commit)} is of PR #${pr.number}, but the PR's reviewed files do not include this path (changed while merging?)` }
            : { ...base, status: 'edited-after-review', commit, pull: pr.number, detail: `PR #${pr.number} was reviewed with blob ${short(reviewed)} at ${short(pr.headSha)}; ${branch} got ${short(f.blobSha)} in commit ${short(commit)}` }
          : { ...base, status: e.kind, commit, pull: pr.number, detail: `PR #${pr.number}: ${e.reason}` };
        if (!v || rank(cand.status) > rank(v.status)) v = cand;
      }
      first ??= v;
    }
    if (first) return first;
    return touched
      ? { ...base, status: 'unknown', detail: `no commit on ${branch} has these bytes at this path (${touched} commit${touched === 1 ? '' : 's'} changed it): edited outside the repository, or not merged` }
      : { ...base, status: 'unknown', detail: `no commit on ${branch} has this path` };
  };
  const out = await pool([...files], opts.concurrency ?? 4, one);
  return { branch, files: out, ok: out.every((f) => f.status === 'verified' || f.status === 'baseline') };
}

/** Which verdict of one commit's pull requests is the most telling. */
function rank(s: VerifyStatus): number {
  return ({ 'direct-push': 0, unreviewed: 1, 'edited-after-review': 2 } as Record<string, number>)[s] ?? 0;
}

async function evaluatePull(api: ProvenanceApi, pr: PullRef, opts: VerifyOptions): Promise<PullEval> {
  const { files, capped } = await api.pullFiles(pr.number);
  const present = files.filter((f: PullFileRef) => f.status !== 'removed');
  const map = new Map(present.map((f) => [f.filename, f.sha]));
  if (capped) return { passed: false, kind: 'unreviewed', reason: 'it changes 3000 files or more: its files cannot all be listed, so its record cannot be checked', files: map };
  const record = await api.latestStatus(pr.headSha, opts.context, opts.acceptCreator);
  const fail = (reason: string): PullEval => ({ passed: false, kind: 'unreviewed', reason, files: map });
  if (!record) {
    const earlier = await earlierPass(api, pr, opts);
    if (earlier) return { passed: false, kind: 'edited-after-review', reason: `migration-gate passed at ${short(earlier.sha)}, but the PR changed after that review (no review record on its head ${short(pr.headSha)})`, files: map };
    return fail(`no review record (${opts.context}) on its head ${short(pr.headSha)}: migration-gate did not review it`);
  }
  if (record.state !== 'success') {
    const earlier = await earlierPass(api, pr, opts);
    if (earlier) return { passed: false, kind: 'edited-after-review', reason: `migration-gate passed at ${short(earlier.sha)}, but not on the head ${short(pr.headSha)} after later changes (${record.state}: ${clip(record.description)})`, files: map };
    return fail(`migration-gate did not pass on its head ${short(pr.headSha)} (${record.state}: ${clip(record.description)})`);
  }
  const digest = parseRecordDigest(record.description);
  if (!digest) return fail(`the review record on ${short(pr.headSha)} carries no digest ("${clip(record.description)}")`);
  const mine = reviewDigest(present.map((f) => ({ path: f.filename, blobSha: f.sha ?? '' })));
  if (mine !== digest) return fail(`the review record on ${short(pr.headSha)} does not match the PR's files (digest ${digest.slice(0, 12)}…, files ${mine.slice(0, 12)}…)`);
  return { passed: true, kind: 'unreviewed', reason: 'passed', files: map };
}

/** A passing record on an earlier commit of the pull request (newest first), if any. */
async function earlierPass(api: ProvenanceApi, pr: PullRef, opts: VerifyOptions): Promise<{ sha: string; status: CommitStatus } | null> {
  const commits = (await api.pullCommits(pr.number)).filter((c) => c !== pr.headSha).reverse();
  for (const sha of commits) {
    const s = await api.latestStatus(sha, opts.context, opts.acceptCreator);
    if (s?.state === 'success' && parseRecordDigest(s.description)) return { sha, status: s };
  }
  return null;
}

function clip(s: string): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, '�');
  return t.length > 80 ? `${t.slice(0, 79)}…` : t;
}

function cache<K, A extends unknown[], V>(fn: (k: K, ...rest: A) => Promise<V>): (k: K, ...rest: A) => Promise<V> {
  const m = new Map<K, Promise<V>>();
  return (k, ...rest) => {
    let p = m.get(k);
    if (!p) m.set(k, (p = fn(k, ...rest)));
    return p;
  };
}

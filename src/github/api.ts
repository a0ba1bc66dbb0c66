// The handful of GitHub REST calls the action needs, behind one small interface so the Octokit
// implementation (src/github/octokit.ts, the only module that imports @actions/github) can be
// swapped or faked. Every method is bound to one repository.

export interface PullFile {
  filename: string;
  /** added, removed, modified, renamed, copied, changed, unchanged */
  status: string;
  previousFilename?: string;
  /** Blob SHA of the file at the head (null for removed files). */
  sha: string | null;
  /** Unified diff of the file; absent when GitHub omits it (binary or too large). */
  patch?: string;
}

export interface ApiUser {
  login: string;
  /** 'User' | 'Bot' | 'Organization' */
  type: string;
}

export interface ApiReview {
  id: number;
  user: ApiUser | null;
  state: string;
  commitId: string | null;
  submittedAt: string | null;
}

export interface IssueComment {
  id: number;
  body: string;
  user: ApiUser | null;
}

export interface ReviewComment {
  id: number;
  body: string;
  path: string;
  /** Line on the RIGHT side; null when the comment is outdated. */
  line: number | null;
  user: ApiUser | null;
}

export interface NewReviewComment {
  path: string;
  line: number;
  body: string;
}

export type StatusState = 'pending' | 'success' | 'failure' | 'error';

export interface Comparison {
  /** ahead, behind, diverged, identical */
  status: string;
  files: string[];
  /** SHAs of the commits in `base...head` (GitHub lists at most 250). */
  commits?: string[];
  /** False when GitHub truncated the file list (300 files): the caller must assume anything changed. */
  complete: boolean;
}

/** A pull request as GET /repos/{owner}/{repo}/pulls/{n} shows it (the fields the merge-queue check reads). */
export interface PullInfo {
  number: number;
  /** open, closed */
  state: string;
  headSha: string;
  /** Name of the base branch (no refs/heads/). */
  baseRef: string;
}

/** The latest status of one context on a commit (GET …/commits/{ref}/status). */
export interface CommitStatus {
  context: string;
  state: string;
  description: string;
}

/** One entry of a recursive git tree (GET /repos/{owner}/{repo}/git/trees/{sha}?recursive=1). */
export interface TreeEntry {
  path: string;
  /** blob, tree or commit (a submodule) */
  type: string;
  /** 100644, 100755, 120000 (symbolic link), 040000, 160000 */
  mode: string;
  sha: string;
  size?: number;
}

/** A failed API call: status 0 for network errors. `message` never contains request bodies. */
export class GitHubApiError extends Error {
  override name = 'GitHubApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly route: string,
  ) {
    super(message);
  }
}

export interface GitHubApi {
  /** The PR's changed files, at most `max` (GitHub stops listing at 3000). */
  listPullFiles(pull: number, max: number): Promise<{ files: PullFile[]; capped: boolean }>;
  /** Raw bytes of a file at a ref; null when the file does not exist there (404). */
  getContent(path: string, ref: string): Promise<Uint8Array | null>;
  /** The whole tree of a commit, recursively; `truncated` when GitHub cut the listing (100,000 entries / 7 MB). */
  getTree(commitSha: string): Promise<{ entries: TreeEntry[]; truncated: boolean }>;
  /** Raw bytes of a blob. */
  getBlob(blobSha: string): Promise<Uint8Array>;
  /** Reviews in API (chronological) order. */
  listReviews(pull: number): Promise<ApiReview[]>;
  /** Role of a user on the repository: admin, maintain, write, triage, read or none. */
  getPermission(user: string): Promise<string>;
  /** Logins of the members of an `org/team`; throws GitHubApiError (403/404 without read:org). */
  listTeamMembers(org: string, team: string): Promise<string[]>;
  /** Paths changed between two commits (`base...head`). */
  compare(base: string, head: string): Promise<Comparison>;
  listIssueComments(pull: number): Promise<IssueComment[]>;
  createIssueComment(pull: number, body: string): Promise<number>;
  updateIssueComment(id: number, body: string): Promise<void>;
  listReviewComments(pull: number): Promise<ReviewComment[]>;
  /** One review with event COMMENT (never REQUEST_CHANGES). */
  createReview(pull: number, commitId: string, body: string, comments: NewReviewComment[]): Promise<void>;
  updateReviewComment(id: number, body: string): Promise<void>;
  createStatus(sha: string, state: StatusState, context: string, description: string, targetUrl?: string): Promise<void>;
  deleteIssueComment(id: number): Promise<void>;
  deleteReviewComment(id: number): Promise<void>;
  getPull(pull: number): Promise<PullInfo>;
  /** The latest status per context on a commit. */
  getStatuses(sha: string): Promise<CommitStatus[]>;
  /** Numbers of the pull requests a commit belongs to (GET …/commits/{sha}/pulls). */
  listCommitPulls(sha: string): Promise<number[]>;
  /** Login of the token's user, or null when the token cannot tell (GITHUB_TOKEN is an app token). */
  viewerLogin(): Promise<string | null>;
}

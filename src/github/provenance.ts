// The read-only GitHub REST calls of `migration-gate verify` (deploy-time provenance), behind one
// small interface, implemented with the same Octokit client (retries, rate limits, GITHUB_API_URL
// for GitHub Enterprise Server) as the action. Every method is bound to one repository.
import { GitHubApiError } from './api.js';
import { call, octokitClient, type OctokitApiOptions } from './octokit.js';

export interface PullRef {
  number: number;
  /** open / closed */
  state: string;
  mergedAt: string | null;
  baseRef: string;
  headSha: string;
}

export interface PullFileRef {
  filename: string;
  status: string;
  /** Blob SHA at the head; null for removed files. */
  sha: string | null;
}

export interface CommitStatus {
  id: number;
  state: string;
  context: string;
  description: string;
  createdAt: string;
  /** Login of whoever wrote it (null when GitHub does not say). */
  creator: string | null;
}

export interface ProvenanceApi {
  /** The repository's default branch. */
  defaultBranch(): Promise<string>;
  /** Commits on `branch` that changed `path`, newest first, one page at a time (stop early by breaking). */
  pathCommits(path: string, branch: string): AsyncIterable<string>;
  /** Blob SHA of `path` at a commit; null when it is not a file there. */
  blobAt(path: string, ref: string): Promise<string | null>;
  /** Pull requests associated with a commit (merged, open or closed). */
  commitPulls(sha: string): Promise<PullRef[]>;
  /** The files of a pull request (at most 3000; `capped` past that). */
  pullFiles(pull: number): Promise<{ files: PullFileRef[]; capped: boolean }>;
  /** The commits of a pull request, oldest first (GitHub lists at most 250). */
  pullCommits(pull: number): Promise<string[]>;
  /** The newest status of `context` on a commit (whose creator passes `accept`), or null. */
  latestStatus(ref: string, context: string, accept: (creator: string | null) => boolean): Promise<CommitStatus | null>;
  /** path → blob SHA of every file in a commit's tree (`truncated` when GitHub cut the listing). */
  tree(commit: string): Promise<{ blobs: Map<string, string>; truncated: boolean }>;
}

/** The fine-grained permission each route needs (for the error message of a 401/403/404). */
export const ROUTE_PERMISSION: Record<string, string> = {
  'GET /repos/{owner}/{repo}': 'metadata: read',
  'GET /repos/{owner}/{repo}/commits': 'contents: read',
  'GET /repos/{owner}/{repo}/contents/{path}': 'contents: read',
  'GET /repos/{owner}/{repo}/git/trees/{tree_sha}': 'contents: read',
  'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls': 'pull-requests: read',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/files': 'pull-requests: read',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits': 'pull-requests: read',
  'GET /repos/{owner}/{repo}/commits/{ref}/statuses': 'statuses: read',
};

const MAX_PULL_FILES = 3000;

export function octokitProvenanceApi(opts: OctokitApiOptions): ProvenanceApi {
  const { owner, repo } = opts;
  const octokit = octokitClient(opts);
  const pages = (route: string, params: Record<string, unknown>) => octokit.paginate.iterator(route as any, { owner, repo, per_page: 100, ...params } as any);

  return {
    defaultBranch: () =>
      call('GET /repos/{owner}/{repo}', async () => {
        const res = await octokit.request('GET /repos/{owner}/{repo}', { owner, repo });
        const b = (res.data as any)?.default_branch;
        if (typeof b !== 'string' || !b) throw new GitHubApiError(0, 'GET /repos/{owner}/{repo}: the answer has no default_branch', 'GET /repos/{owner}/{repo}');
        return b;
      }),

    pathCommits(path, branch) {
      const route = 'GET /repos/{owner}/{repo}/commits';
      return {
        async *[Symbol.asyncIterator]() {
          const it = pages(route, { path, sha: branch })[Symbol.asyncIterator]();
          for (;;) {
            const step = await call(route, () => it.next());
            if (step.done) return;
            for (const c of step.value.data as any[]) if (typeof c?.sha === 'string') yield c.sha;
          }
        },
      };
    },

    blobAt: (path, ref) =>
      call('GET /repos/{owner}/{repo}/contents/{path}', async () => {
        try {
          const res = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo, path, ref });
          const d = res.data as any;
          // A directory is an array; a submodule or a symbolic link is not the file that runs.
          return !Array.isArray(d) && d?.type === 'file' && typeof d.sha === 'string' ? d.sha.toLowerCase() : null;
        } catch (e: any) {
          if (e?.status === 404) return null;
          throw e;
        }
      }),

    commitPulls: (sha) =>
      call('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', async () => {
        const out: PullRef[] = [];
        for await (const page of pages('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { commit_sha: sha })) {
          for (const p of page.data as any[]) {
            out.push({ number: Number(p.number), state: String(p.state ?? ''), mergedAt: p.merged_at ?? null, baseRef: String(p.base?.ref ?? ''), headSha: String(p.head?.sha ?? '').toLowerCase() });
          }
        }
        return out;
      }),

    pullFiles: (pull) =>
      call('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', async () => {
        const files: PullFileRef[] = [];
        for await (const page of pages('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { pull_number: pull })) {
          for (const f of page.data as any[]) files.push({ filename: String(f.filename), status: String(f.status ?? ''), sha: typeof f.sha === 'string' ? f.sha.toLowerCase() : null });
          if (files.length >= MAX_PULL_FILES) break;
        }
        return { files: files.slice(0, MAX_PULL_FILES), capped: files.length >= MAX_PULL_FILES };
      }),

    pullCommits: (pull) =>
      call('GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', async () => {
        const out: string[] = [];
        for await (const page of pages('GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', { pull_number: pull })) {
          for (const c of page.data as any[]) if (typeof c?.sha === 'string') out.push(c.sha.toLowerCase());
        }
        return out;
      }),

    latestStatus: (ref, context, accept) =>
      call('GET /repos/{owner}/{repo}/commits/{ref}/statuses', async () => {
        // Newest first: the first of the context is the one in force.
        let best: CommitStatus | null = null;
        for await (const page of pages('GET /repos/{owner}/{repo}/commits/{ref}/statuses', { ref })) {
          for (const s of page.data as any[]) {
            if (s?.context !== context) continue;
            const st: CommitStatus = {
              id: Number(s.id ?? 0),
              state: String(s.state ?? ''),
              context,
              description: String(s.description ?? ''),
              createdAt: String(s.created_at ?? ''),
              creator: typeof s.creator?.login === 'string' ? s.creator.login : null,
            };
            if (!accept(st.creator)) continue;
            // The listing is newest first; compare anyway (created_at, then id) rather than trust the order.
            if (!best || st.createdAt > best.createdAt || (st.createdAt === best.createdAt && st.id > best.id)) best = st;
          }
        }
        return best;
      }),

    tree: (commit) =>
      call('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', async () => {
        const res = await octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner, repo, tree_sha: commit, recursive: '1' });
        const d = res.data as any;
        const blobs = new Map<string, string>();
        for (const e of d.tree ?? []) if (e?.type === 'blob' && e.mode !== '120000') blobs.set(String(e.path), String(e.sha).toLowerCase());
        return { blobs, truncated: !!d.truncated };
      }),
  };
}

// The GitHubApi implemented with Octokit (@actions/github). Retries, rate limits, the request
// timeout and one-write-at-a-time live in src/github/http.ts, a fetch wrapped around the runner's
// own (proxy-aware) fetch. The only module that imports Octokit.
import { getOctokit } from '@actions/github';
import { defaults as actionsDefaults } from '@actions/github/lib/utils';
import {
  GitHubApiError,
  type ApiReview,
  type ApiUser,
  type CommitStatus,
  type Comparison,
  type GitHubApi,
  type IssueComment,
  type NewReviewComment,
  type PullFile,
  type PullInfo,
  type ReviewComment,
  type StatusState,
  type TreeEntry,
} from './api.js';
import { HttpGiveUpError, resilientFetch } from './http.js';

export interface OctokitApiOptions {
  token: string;
  owner: string;
  repo: string;
  /** REST base URL, default GITHUB_API_URL or https://api.github.com. */
  baseUrl?: string;
  /** Where retry / rate-limit notices go. */
  warn?: (message: string) => void;
  /** Base of the 5xx retry backoff in ms: waits base·1, base·4, base·9, base·16 (default 250). */
  retryBaseMs?: number;
  /** Retries of a failed 5xx call, a network error or a cut-off attempt (default 4). */
  retries?: number;
  /** Longest time one API call may take, all attempts included, rate-limit waits excluded (default 30 s). */
  timeoutMs?: number;
}

/** Default of the `request-timeout` input (seconds). */
export const DEFAULT_REQUEST_TIMEOUT_S = 30;

/** The page number of a `Link` header's rel="last" (1 when there is none: one page). */
export function lastPage(link: string): number {
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="last"/.exec(part);
    if (!m) continue;
    try {
      const n = Number(new URL(m[1]).searchParams.get('page'));
      if (Number.isInteger(n) && n >= 1) return Math.min(n, 1000);
    } catch {
      /* not a URL: one page */
    }
  }
  return 1;
}

function user(u: any): ApiUser | null {
  return u && typeof u.login === 'string' ? { login: u.login, type: String(u.type ?? 'User') } : null;
}

/** The Octokit client with the retry, rate-limit and timeout policy of src/github/http.ts (also used by src/github/provenance.ts). */
export function octokitClient(opts: Omit<OctokitApiOptions, 'owner' | 'repo'>): ReturnType<typeof getOctokit> {
  const warn = opts.warn ?? (() => {});
  const base = (actionsDefaults as any)?.request?.fetch ?? globalThis.fetch;
  const fetch = resilientFetch(base, {
    timeoutMs: opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_S * 1000,
    retries: opts.retries ?? 4,
    retryBaseMs: opts.retryBaseMs ?? 250,
    warn,
  });
  return getOctokit(opts.token, {
    ...(opts.baseUrl ? { baseUrl: opts.baseUrl.replace(/\/+$/, '') } : {}),
    request: { ...((actionsDefaults as any)?.request ?? {}), fetch },
  } as any);
}

/**
 * Run a call, turning Octokit's RequestError into GitHubApiError (status + message only). `what`
 * names the concrete call (the file, the ref) in the message; `route` is the template.
 */
export async function call<T>(route: string, fn: () => Promise<T>, what = route): Promise<T> {
  try {
    return await fn();
  } catch (e: any) {
    if (e instanceof GitHubApiError) throw e;
    const given = e instanceof HttpGiveUpError ? e : e?.cause instanceof HttpGiveUpError ? e.cause : null;
    if (given) throw new GitHubApiError(given.status, `${what}: ${given.message.replace(/^[A-Z]+ \S+: /, '')}`, route);
    const status = typeof e?.status === 'number' ? e.status : 0;
    const msg = String(e?.response?.data?.message ?? e?.message ?? e).split('\n')[0].slice(0, 300);
    throw new GitHubApiError(status, `${what}: ${status ? `HTTP ${status}: ` : ''}${msg}`, route);
  }
}

export function octokitApi(opts: OctokitApiOptions): GitHubApi {
  const { owner, repo } = opts;
  const octokit = octokitClient(opts);
  const R = `/repos/${owner}/${repo}`;

  const paginate = <T>(route: string, params: Record<string, unknown>, map: (x: any) => T, what = route): Promise<T[]> =>
    call(route, async () => {
      const out: T[] = [];
      for await (const page of octokit.paginate.iterator(route as any, { owner, repo, per_page: 100, ...params } as any)) {
        for (const x of page.data as any[]) out.push(map(x));
      }
      return out;
    });

  return {
    listPullFiles: (pull, max) =>
      call('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', async () => {
        const route = 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files' as const;
        const toFile = (f: any): PullFile => ({
          filename: f.filename,
          status: f.status,
          ...(f.previous_filename ? { previousFilename: f.previous_filename } : {}),
          sha: f.sha ?? null,
          ...(typeof f.patch === 'string' ? { patch: f.patch } : {}),
        });
        // The first page says how many there are (Link rel="last"); the others are asked for at
        // once, not one after another (250 files: three round trips become two).
        const first = await octokit.request(route, { owner, repo, pull_number: pull, per_page: 100, page: 1 });
        const files: PullFile[] = (first.data as any[]).map(toFile);
        const last = lastPage(String(first.headers.link ?? ''));
        const pages = Math.min(last, Math.ceil(max / 100));
        const rest = await Promise.all(
          Array.from({ length: Math.max(0, pages - 1) }, async (_, i) => ((await octokit.request(route, { owner, repo, pull_number: pull, per_page: 100, page: i + 2 })).data as any[]).map(toFile)),
        );
        for (const r of rest) files.push(...r);
        return { files: files.slice(0, max), capped: files.length >= max || last > pages };
      }, `GET ${R}/pulls/${pull}/files`),

    getContent: (path, ref) =>
      call('GET /repos/{owner}/{repo}/contents/{path}', async () => {
        try {
          const res = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
            owner,
            repo,
            path,
            ref,
            // Raw media type: the bytes themselves, up to 100 MB (the JSON form stops at 1 MB).
            headers: { accept: 'application/vnd.github.raw+json' },
            request: { parseSuccessResponseBody: false },
          });
          const body = res.data as unknown as ReadableStream | string | ArrayBuffer | null;
          if (body == null) return new Uint8Array();
          if (typeof body === 'string') return new TextEncoder().encode(body);
          if (body instanceof ArrayBuffer) return new Uint8Array(body);
          return new Uint8Array(await new Response(body as ReadableStream).arrayBuffer());
        } catch (e: any) {
          if (e?.status === 404) return null;
          throw e;
        }
      }, `GET ${R}/contents/${path} at ${ref.slice(0, 12)}`),

    getTree: (commitSha) =>
      call('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', async () => {
        const res = await octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner, repo, tree_sha: commitSha, recursive: '1' });
        const d = res.data as any;
        const entries: TreeEntry[] = (d.tree ?? []).map((e: any) => ({ path: String(e.path), type: String(e.type), mode: String(e.mode), sha: String(e.sha), ...(typeof e.size === 'number' ? { size: e.size } : {}) }));
        return { entries, truncated: !!d.truncated };
      }, `GET ${R}/git/trees/${commitSha}`),

    getBlob: (blobSha) =>
      call('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', async () => {
        const res = await octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
          owner,
          repo,
          file_sha: blobSha,
          // Raw media type: the bytes themselves (the JSON form is base64).
          headers: { accept: 'application/vnd.github.raw+json' },
          request: { parseSuccessResponseBody: false },
        });
        const body = res.data as unknown as ReadableStream | string | ArrayBuffer | null;
        if (body == null) return new Uint8Array();
        if (typeof body === 'string') return new TextEncoder().encode(body);
        if (body instanceof ArrayBuffer) return new Uint8Array(body);
        return new Uint8Array(await new Response(body as ReadableStream).arrayBuffer());
      }, `GET ${R}/git/blobs/${blobSha}`),

    listReviews: (pull) =>
      paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { pull_number: pull }, (r): ApiReview => ({
        id: r.id,
        user: user(r.user),
        state: String(r.state ?? ''),
        commitId: r.commit_id ?? null,
        submittedAt: r.submitted_at ?? null,
      })),

    getPermission: (username) =>
      call('GET /repos/{owner}/{repo}/collaborators/{username}/permission', async () => {
        try {
          const res = await octokit.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { owner, repo, username });
          const d = res.data as any;
          // role_name tells maintain/triage apart (permission folds them into write/read); custom
          // roles have their own name, so fall back to the base permission for anything else.
          const role = String(d.role_name ?? '');
          return ['admin', 'maintain', 'write', 'triage', 'read', 'none'].includes(role) ? role : String(d.permission ?? 'none');
        } catch (e: any) {
          if (e?.status === 404) return 'none'; // not a collaborator
          throw e;
        }
      }),

    listTeamMembers: (org, team) =>
      call('GET /orgs/{org}/teams/{team_slug}/members', async () => {
        const out: string[] = [];
        for await (const page of octokit.paginate.iterator('GET /orgs/{org}/teams/{team_slug}/members', { org, team_slug: team, per_page: 100 })) {
          for (const m of page.data as any[]) if (m?.login) out.push(m.login);
        }
        return out;
      }),

    compare: (base, head) =>
      call('GET /repos/{owner}/{repo}/compare/{basehead}', async () => {
        const res = await octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', { owner, repo, basehead: `${base}...${head}`, per_page: 1 });
        const d = res.data as any;
        const commits: string[] = (d.commits ?? []).map((c: any) => String(c?.sha ?? '')).filter((x: string) => /^[0-9a-f]{40}$/i.test(x));
        const files: string[] = [];
        for (const f of d.files ?? []) {
          files.push(f.filename);
          if (f.previous_filename) files.push(f.previous_filename);
        }
        // GitHub lists at most 300 files of a comparison.
        return { status: String(d.status ?? ''), files, complete: (d.files ?? []).length < 300, commits } satisfies Comparison;
      }, `GET ${R}/compare/${base}...${head}`),

    listIssueComments: (pull) =>
      paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { issue_number: pull }, (c): IssueComment => ({
        id: c.id,
        body: String(c.body ?? ''),
        user: user(c.user),
      })),

    createIssueComment: (pull, body) =>
      call('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', async () => {
        const res = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: pull, body });
        return (res.data as any).id as number;
      }),

    updateIssueComment: (id, body) =>
      call('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', async () => {
        await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: id, body });
      }),

    listReviewComments: (pull) =>
      paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', { pull_number: pull }, (c): ReviewComment => ({
        id: c.id,
        body: String(c.body ?? ''),
        path: String(c.path ?? ''),
        line: typeof c.line === 'number' ? c.line : null,
        user: user(c.user),
      })),

    createReview: (pull, commitId, body, comments: NewReviewComment[]) =>
      call('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', async () => {
        await octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
          owner,
          repo,
          pull_number: pull,
          commit_id: commitId,
          event: 'COMMENT',
          body,
          comments: comments.map((c) => ({ path: c.path, line: c.line, side: 'RIGHT' as const, body: c.body })),
        });
      }),

    updateReviewComment: (id, body) =>
      call('PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}', async () => {
        await octokit.request('PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}', { owner, repo, comment_id: id, body });
      }),

    createStatus: (sha, state: StatusState, context, description, targetUrl) =>
      call('POST /repos/{owner}/{repo}/statuses/{sha}', async () => {
        await octokit.request('POST /repos/{owner}/{repo}/statuses/{sha}', {
          owner,
          repo,
          sha,
          state,
          context,
          description: description.slice(0, 140),
          ...(targetUrl ? { target_url: targetUrl } : {}),
        });
      }),

    deleteIssueComment: (id) =>
      call('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', async () => {
        await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: id });
      }),

    deleteReviewComment: (id) =>
      call('DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}', async () => {
        await octokit.request('DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}', { owner, repo, comment_id: id });
      }),

    getPull: (pull) =>
      call(
        'GET /repos/{owner}/{repo}/pulls/{pull_number}',
        async (): Promise<PullInfo> => {
          const d = (await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo, pull_number: pull })).data as any;
          return { number: Number(d.number), state: String(d.state ?? ''), headSha: String(d.head?.sha ?? ''), baseRef: String(d.base?.ref ?? '') };
        },
        `GET ${R}/pulls/${pull}`,
      ),

    getStatuses: (sha) =>
      call(
        'GET /repos/{owner}/{repo}/commits/{ref}/status',
        async (): Promise<CommitStatus[]> => {
          const d = (await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/status', { owner, repo, ref: sha, per_page: 100 })).data as any;
          return (d.statuses ?? []).map((x: any) => ({ context: String(x.context ?? ''), state: String(x.state ?? ''), description: String(x.description ?? '') }));
        },
        `GET ${R}/commits/${sha}/status`,
      ),

    listCommitPulls: (sha) =>
      paginate('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { commit_sha: sha }, (p): number => Number(p.number), `GET ${R}/commits/${sha}/pulls`),

    viewerLogin: async () => {
      try {
        const res = await octokit.request('GET /user');
        return (res.data as any)?.login ?? null;
      } catch {
        return null; // GITHUB_TOKEN (an installation token) cannot read /user
      }
    },
  };
}

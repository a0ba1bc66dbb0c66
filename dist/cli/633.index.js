export const id = 633;
export const ids = [633];
export const modules = {

/***/ 4633:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  VERIFY_USAGE: () => (/* binding */ VERIFY_USAGE),
  apiErrorMessage: () => (/* binding */ apiErrorMessage),
  toJsonReport: () => (/* binding */ toJsonReport),
  toTextReport: () => (/* binding */ toTextReport),
  verifyMain: () => (/* binding */ verifyMain)
});

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/config/index.ts + 2 modules
var src_config = __webpack_require__(7646);
// EXTERNAL MODULE: ./src/discover/index.ts
var discover = __webpack_require__(1835);
// EXTERNAL MODULE: ./src/extract/kind.ts
var kind = __webpack_require__(6483);
;// CONCATENATED MODULE: ./src/github/api.ts
// The handful of GitHub REST calls the action needs, behind one small interface so the Octokit
// implementation (src/github/octokit.ts, the only module that imports @actions/github) can be
// swapped or faked. Every method is bound to one repository.
/** A failed API call: status 0 for network errors. `message` never contains request bodies. */
class GitHubApiError extends Error {
    status;
    route;
    name = 'GitHubApiError';
    constructor(status, message, route) {
        super(message);
        this.status = status;
        this.route = route;
    }
}

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js
var github = __webpack_require__(1351);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/utils.js + 20 modules
var utils = __webpack_require__(8665);
;// CONCATENATED MODULE: ./src/github/http.ts
// The action's HTTP policy for GitHub's REST API, as a `fetch` wrapped around the runner's own
// (proxy-aware) fetch and handed to Octokit:
// - a timeout of our own: an API call (all its attempts and backoff waits) gets `timeoutMs`; each
//   attempt at most a third of it, so one stalled connection is cut off and retried in time;
// - 5xx, network errors and cut-off attempts are retried (`retries` times, backoff base·n²);
// - rate limits (429, and 403 with `retry-after`, `x-ratelimit-remaining: 0` or GitHub's "secondary
//   rate limit" message) are waited out as GitHub says (`retry-after`, else `x-ratelimit-reset`,
//   else 60 s for a secondary limit), up to MAX_RATE_LIMIT_WAIT_S per wait and
//   MAX_RATE_LIMIT_RETRIES waits; a longer wait is a clear error (RateLimitError), never a pass.
//   Time spent waiting out a rate limit does not count against the timeout;
// - writes (POST/PATCH/PUT/DELETE) go one at a time, as GitHub asks of integrations.
// The response body is read inside the attempt (the timeout covers it) and handed on in memory.
/** Longest single wait for a rate limit (seconds); beyond it the call fails (documented in docs/action.md). */
const MAX_RATE_LIMIT_WAIT_S = 60;
/** Rate-limit waits per API call before it fails. */
const MAX_RATE_LIMIT_RETRIES = 3;
/** Wait for a secondary rate limit that names no time (GitHub: "wait at least one minute"). */
const SECONDARY_FALLBACK_S = 60;
/** The call ended without an answer we can use; the message says why (status 0: no answer). */
class HttpGiveUpError extends Error {
    status;
    name = 'HttpGiveUpError';
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const fmtS = (ms) => `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
/** Seconds GitHub asks us to wait, or null when the response is not a rate limit. */
function rateLimitWait(status, headers, body, now = Date.now()) {
    const retryAfter = headers.get('retry-after');
    const remaining = headers.get('x-ratelimit-remaining');
    const secondary = /secondary rate limit|abuse detection/i.test(body);
    if (status !== 429 && !(status === 403 && (retryAfter !== null || remaining === '0' || secondary)))
        return null;
    if (retryAfter !== null) {
        const n = Number(retryAfter);
        const s = Number.isFinite(n) ? n : (Date.parse(retryAfter) - now) / 1000;
        if (Number.isFinite(s))
            return { seconds: Math.max(0, Math.ceil(s)), why: `retry-after: ${retryAfter.slice(0, 40)}` };
    }
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (remaining === '0' && Number.isFinite(reset) && reset > 0)
        return { seconds: Math.max(0, Math.ceil(reset - now / 1000) + 1), why: 'x-ratelimit-reset' };
    if (secondary || status === 403)
        return { seconds: SECONDARY_FALLBACK_S, why: 'a secondary rate limit without retry-after' };
    return { seconds: 1, why: '429 without retry-after' };
}
function describe(url, method) {
    try {
        const u = new URL(url);
        return `${method} ${decodeURIComponent(u.pathname)}`;
    }
    catch {
        return `${method} ${url}`;
    }
}
function resilientFetch(base, policy) {
    let writes = Promise.resolve();
    const once = async (url, init) => {
        const method = String(init?.method ?? 'GET').toUpperCase();
        const what = describe(url, method);
        let deadline = Date.now() + policy.timeoutMs;
        const attemptMs = Math.max(50, Math.ceil(policy.timeoutMs / 3));
        let failures = 0;
        let rateWaits = 0;
        let lastWhy = '';
        for (;;) {
            const left = deadline - Date.now();
            if (left <= 0)
                throw new HttpGiveUpError(0, `${what}: no complete answer from GitHub within ${fmtS(policy.timeoutMs)} (request-timeout), ${failures} attempt(s)${lastWhy ? `; last: ${lastWhy}` : ''}`);
            const ms = Math.min(left, attemptMs);
            const timer = AbortSignal.timeout(ms);
            const signal = init?.signal ? AbortSignal.any([init.signal, timer]) : timer;
            let res;
            let body;
            try {
                res = await base(url, { ...init, signal });
                body = await res.arrayBuffer();
            }
            catch (e) {
                if (init?.signal?.aborted)
                    throw e;
                failures++;
                const why = timer.aborted ? `no answer within ${fmtS(ms)}` : `network error: ${String(e?.message ?? e).slice(0, 200)}`;
                lastWhy = why;
                if (failures > policy.retries || Date.now() >= deadline) {
                    throw new HttpGiveUpError(0, `${what}: ${why}; gave up after ${failures} attempt(s) (request-timeout ${fmtS(policy.timeoutMs)})`);
                }
                policy.warn(`${what}: ${why}; retrying`);
                if (!timer.aborted)
                    await sleep(Math.min(policy.retryBaseMs * failures * failures, deadline - Date.now()));
                continue;
            }
            const status = res.status;
            if (status === 429 || status === 403) {
                const text = new TextDecoder().decode(body);
                const wait = rateLimitWait(status, res.headers, text);
                if (wait) {
                    const kind = /secondary rate limit/i.test(text) ? 'secondary rate limit' : 'rate limit';
                    if (wait.seconds > MAX_RATE_LIMIT_WAIT_S || rateWaits >= MAX_RATE_LIMIT_RETRIES) {
                        throw new HttpGiveUpError(status, rateWaits >= MAX_RATE_LIMIT_RETRIES
                            ? `${what}: GitHub API ${kind} (HTTP ${status}) still in force after ${rateWaits} wait(s); nothing more was tried. Re-run the job later.`
                            : `${what}: GitHub API ${kind} (HTTP ${status}): GitHub asks to wait ${wait.seconds} s (${wait.why}), more than the ${MAX_RATE_LIMIT_WAIT_S} s migration-gate waits. Re-run the job later.`);
                    }
                    rateWaits++;
                    policy.warn(`GitHub API ${kind} hit on ${what} (HTTP ${status}); retrying in ${wait.seconds}s (${wait.why})`);
                    await sleep(wait.seconds * 1000);
                    deadline = Date.now() + policy.timeoutMs; // waiting out a rate limit is not a stall
                    continue;
                }
            }
            // A 5xx is retried while the backoff still fits in the time left; else GitHub's answer stands.
            if (status >= 500 && status !== 501 && failures < policy.retries && Date.now() + policy.retryBaseMs * (failures + 1) ** 2 < deadline) {
                failures++;
                lastWhy = `HTTP ${status}`;
                const pause = policy.retryBaseMs * failures * failures;
                policy.warn(`${what}: HTTP ${status}; retrying in ${fmtS(pause)}`);
                await sleep(pause);
                continue;
            }
            const nullBody = status === 204 || status === 205 || status === 304;
            const out = new Response(nullBody ? null : body, { status, statusText: res.statusText, headers: res.headers });
            Object.defineProperty(out, 'url', { value: res.url });
            return out;
        }
    };
    return (url, init) => {
        const method = String(init?.method ?? 'GET').toUpperCase();
        if (method === 'GET' || method === 'HEAD')
            return once(url, init);
        // One write at a time (GitHub: avoid concurrent writes; they trip secondary rate limits).
        const p = writes.then(() => once(url, init));
        writes = p.catch(() => { });
        return p;
    };
}

;// CONCATENATED MODULE: ./src/github/octokit.ts
// The GitHubApi implemented with Octokit (@actions/github). Retries, rate limits, the request
// timeout and one-write-at-a-time live in src/github/http.ts, a fetch wrapped around the runner's
// own (proxy-aware) fetch. The only module that imports Octokit.




/** Default of the `request-timeout` input (seconds). */
const DEFAULT_REQUEST_TIMEOUT_S = 30;
/** The page number of a `Link` header's rel="last" (1 when there is none: one page). */
function lastPage(link) {
    for (const part of link.split(',')) {
        const m = /<([^>]+)>\s*;\s*rel="last"/.exec(part);
        if (!m)
            continue;
        try {
            const n = Number(new URL(m[1]).searchParams.get('page'));
            if (Number.isInteger(n) && n >= 1)
                return Math.min(n, 1000);
        }
        catch {
            /* not a URL: one page */
        }
    }
    return 1;
}
function user(u) {
    return u && typeof u.login === 'string' ? { login: u.login, type: String(u.type ?? 'User') } : null;
}
/** The Octokit client with the retry, rate-limit and timeout policy of src/github/http.ts (also used by src/github/provenance.ts). */
function octokitClient(opts) {
    const warn = opts.warn ?? (() => { });
    const base = utils/* defaults */.NT?.request?.fetch ?? globalThis.fetch;
    const fetch = resilientFetch(base, {
        timeoutMs: opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_S * 1000,
        retries: opts.retries ?? 4,
        retryBaseMs: opts.retryBaseMs ?? 250,
        warn,
    });
    return (0,github/* getOctokit */.Q)(opts.token, {
        ...(opts.baseUrl ? { baseUrl: opts.baseUrl.replace(/\/+$/, '') } : {}),
        request: { ...(utils/* defaults */.NT?.request ?? {}), fetch },
    });
}
/**
 * Run a call, turning Octokit's RequestError into GitHubApiError (status + message only). `what`
 * names the concrete call (the file, the ref) in the message; `route` is the template.
 */
async function call(route, fn, what = route) {
    try {
        return await fn();
    }
    catch (e) {
        if (e instanceof GitHubApiError)
            throw e;
        const given = e instanceof HttpGiveUpError ? e : e?.cause instanceof HttpGiveUpError ? e.cause : null;
        if (given)
            throw new GitHubApiError(given.status, `${what}: ${given.message.replace(/^[A-Z]+ \S+: /, '')}`, route);
        const status = typeof e?.status === 'number' ? e.status : 0;
        const msg = String(e?.response?.data?.message ?? e?.message ?? e).split('\n')[0].slice(0, 300);
        throw new GitHubApiError(status, `${what}: ${status ? `HTTP ${status}: ` : ''}${msg}`, route);
    }
}
function octokitApi(opts) {
    const { owner, repo } = opts;
    const octokit = octokitClient(opts);
    const R = `/repos/${owner}/${repo}`;
    const paginate = (route, params, map, what = route) => call(route, async () => {
        const out = [];
        for await (const page of octokit.paginate.iterator(route, { owner, repo, per_page: 100, ...params })) {
            for (const x of page.data)
                out.push(map(x));
        }
        return out;
    });
    return {
        listPullFiles: (pull, max) => call('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', async () => {
            const route = 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files';
            const toFile = (f) => ({
                filename: f.filename,
                status: f.status,
                ...(f.previous_filename ? { previousFilename: f.previous_filename } : {}),
                sha: f.sha ?? null,
                ...(typeof f.patch === 'string' ? { patch: f.patch } : {}),
            });
            // The first page says how many there are (Link rel="last"); the others are asked for at
            // once, not one after another (250 files: three round trips become two).
            const first = await octokit.request(route, { owner, repo, pull_number: pull, per_page: 100, page: 1 });
            const files = first.data.map(toFile);
            const last = lastPage(String(first.headers.link ?? ''));
            const pages = Math.min(last, Math.ceil(max / 100));
            const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, async (_, i) => (await octokit.request(route, { owner, repo, pull_number: pull, per_page: 100, page: i + 2 })).data.map(toFile)));
            for (const r of rest)
                files.push(...r);
            return { files: files.slice(0, max), capped: files.length >= max || last > pages };
        }, `GET ${R}/pulls/${pull}/files`),
        getContent: (path, ref) => call('GET /repos/{owner}/{repo}/contents/{path}', async () => {
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
                const body = res.data;
                if (body == null)
                    return new Uint8Array();
                if (typeof body === 'string')
                    return new TextEncoder().encode(body);
                if (body instanceof ArrayBuffer)
                    return new Uint8Array(body);
                return new Uint8Array(await new Response(body).arrayBuffer());
            }
            catch (e) {
                if (e?.status === 404)
                    return null;
                throw e;
            }
        }, `GET ${R}/contents/${path} at ${ref.slice(0, 12)}`),
        getTree: (commitSha) => call('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', async () => {
            const res = await octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner, repo, tree_sha: commitSha, recursive: '1' });
            const d = res.data;
            const entries = (d.tree ?? []).map((e) => ({ path: String(e.path), type: String(e.type), mode: String(e.mode), sha: String(e.sha), ...(typeof e.size === 'number' ? { size: e.size } : {}) }));
            return { entries, truncated: !!d.truncated };
        }, `GET ${R}/git/trees/${commitSha}`),
        getBlob: (blobSha) => call('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', async () => {
            const res = await octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
                owner,
                repo,
                file_sha: blobSha,
                // Raw media type: the bytes themselves (the JSON form is base64).
                headers: { accept: 'application/vnd.github.raw+json' },
                request: { parseSuccessResponseBody: false },
            });
            const body = res.data;
            if (body == null)
                return new Uint8Array();
            if (typeof body === 'string')
                return new TextEncoder().encode(body);
            if (body instanceof ArrayBuffer)
                return new Uint8Array(body);
            return new Uint8Array(await new Response(body).arrayBuffer());
        }, `GET ${R}/git/blobs/${blobSha}`),
        listReviews: (pull) => paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { pull_number: pull }, (r) => ({
            id: r.id,
            user: user(r.user),
            state: String(r.state ?? ''),
            commitId: r.commit_id ?? null,
            submittedAt: r.submitted_at ?? null,
        })),
        getPermission: (username) => call('GET /repos/{owner}/{repo}/collaborators/{username}/permission', async () => {
            try {
                const res = await octokit.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { owner, repo, username });
                const d = res.data;
                // role_name tells maintain/triage apart (permission folds them into write/read); custom
                // roles have their own name, so fall back to the base permission for anything else.
                const role = String(d.role_name ?? '');
                return ['admin', 'maintain', 'write', 'triage', 'read', 'none'].includes(role) ? role : String(d.permission ?? 'none');
            }
            catch (e) {
                if (e?.status === 404)
                    return 'none'; // not a collaborator
                throw e;
            }
        }),
        listTeamMembers: (org, team) => call('GET /orgs/{org}/teams/{team_slug}/members', async () => {
            const out = [];
            for await (const page of octokit.paginate.iterator('GET /orgs/{org}/teams/{team_slug}/members', { org, team_slug: team, per_page: 100 })) {
                for (const m of page.data)
                    if (m?.login)
                        out.push(m.login);
            }
            return out;
        }),
        compare: (base, head) => call('GET /repos/{owner}/{repo}/compare/{basehead}', async () => {
            const res = await octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', { owner, repo, basehead: `${base}...${head}`, per_page: 1 });
            const d = res.data;
            const commits = (d.commits ?? []).map((c) => String(c?.sha ?? '')).filter((x) => /^[0-9a-f]{40}$/i.test(x));
            const files = [];
            for (const f of d.files ?? []) {
                files.push(f.filename);
                if (f.previous_filename)
                    files.push(f.previous_filename);
            }
            // GitHub lists at most 300 files of a comparison.
            return { status: String(d.status ?? ''), files, complete: (d.files ?? []).length < 300, commits };
        }, `GET ${R}/compare/${base}...${head}`),
        listIssueComments: (pull) => paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { issue_number: pull }, (c) => ({
            id: c.id,
            body: String(c.body ?? ''),
            user: user(c.user),
        })),
        createIssueComment: (pull, body) => call('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', async () => {
            const res = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: pull, body });
            return res.data.id;
        }),
        updateIssueComment: (id, body) => call('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', async () => {
            await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: id, body });
        }),
        listReviewComments: (pull) => paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', { pull_number: pull }, (c) => ({
            id: c.id,
            body: String(c.body ?? ''),
            path: String(c.path ?? ''),
            line: typeof c.line === 'number' ? c.line : null,
            user: user(c.user),
        })),
        createReview: (pull, commitId, body, comments) => call('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', async () => {
            await octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
                owner,
                repo,
                pull_number: pull,
                commit_id: commitId,
                event: 'COMMENT',
                body,
                comments: comments.map((c) => ({ path: c.path, line: c.line, side: 'RIGHT', body: c.body })),
            });
        }),
        updateReviewComment: (id, body) => call('PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}', async () => {
            await octokit.request('PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}', { owner, repo, comment_id: id, body });
        }),
        createStatus: (sha, state, context, description, targetUrl) => call('POST /repos/{owner}/{repo}/statuses/{sha}', async () => {
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
        deleteIssueComment: (id) => call('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', async () => {
            await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: id });
        }),
        deleteReviewComment: (id) => call('DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}', async () => {
            await octokit.request('DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}', { owner, repo, comment_id: id });
        }),
        getPull: (pull) => call('GET /repos/{owner}/{repo}/pulls/{pull_number}', async () => {
            const d = (await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo, pull_number: pull })).data;
            return { number: Number(d.number), state: String(d.state ?? ''), headSha: String(d.head?.sha ?? ''), baseRef: String(d.base?.ref ?? '') };
        }, `GET ${R}/pulls/${pull}`),
        getStatuses: (sha) => call('GET /repos/{owner}/{repo}/commits/{ref}/status', async () => {
            const d = (await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/status', { owner, repo, ref: sha, per_page: 100 })).data;
            return (d.statuses ?? []).map((x) => ({ context: String(x.context ?? ''), state: String(x.state ?? ''), description: String(x.description ?? '') }));
        }, `GET ${R}/commits/${sha}/status`),
        listCommitPulls: (sha) => paginate('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { commit_sha: sha }, (p) => Number(p.number), `GET ${R}/commits/${sha}/pulls`),
        viewerLogin: async () => {
            try {
                const res = await octokit.request('GET /user');
                return res.data?.login ?? null;
            }
            catch {
                return null; // GITHUB_TOKEN (an installation token) cannot read /user
            }
        },
    };
}

;// CONCATENATED MODULE: ./src/github/provenance.ts
// The read-only GitHub REST calls of `migration-gate verify` (deploy-time provenance), behind one
// small interface, implemented with the same Octokit client (retries, rate limits, GITHUB_API_URL
// for GitHub Enterprise Server) as the action. Every method is bound to one repository.


/** The fine-grained permission each route needs (for the error message of a 401/403/404). */
const ROUTE_PERMISSION = {
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
function octokitProvenanceApi(opts) {
    const { owner, repo } = opts;
    const octokit = octokitClient(opts);
    const pages = (route, params) => octokit.paginate.iterator(route, { owner, repo, per_page: 100, ...params });
    return {
        defaultBranch: () => call('GET /repos/{owner}/{repo}', async () => {
            const res = await octokit.request('GET /repos/{owner}/{repo}', { owner, repo });
            const b = res.data?.default_branch;
            if (typeof b !== 'string' || !b)
                throw new GitHubApiError(0, 'GET /repos/{owner}/{repo}: the answer has no default_branch', 'GET /repos/{owner}/{repo}');
            return b;
        }),
        pathCommits(path, branch) {
            const route = 'GET /repos/{owner}/{repo}/commits';
            return {
                async *[Symbol.asyncIterator]() {
                    const it = pages(route, { path, sha: branch })[Symbol.asyncIterator]();
                    for (;;) {
                        const step = await call(route, () => it.next());
                        if (step.done)
                            return;
                        for (const c of step.value.data)
                            if (typeof c?.sha === 'string')
                                yield c.sha;
                    }
                },
            };
        },
        blobAt: (path, ref) => call('GET /repos/{owner}/{repo}/contents/{path}', async () => {
            try {
                const res = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo, path, ref });
                const d = res.data;
                // A directory is an array; a submodule or a symbolic link is not the file that runs.
                return !Array.isArray(d) && d?.type === 'file' && typeof d.sha === 'string' ? d.sha.toLowerCase() : null;
            }
            catch (e) {
                if (e?.status === 404)
                    return null;
                throw e;
            }
        }),
        commitPulls: (sha) => call('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', async () => {
            const out = [];
            for await (const page of pages('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { commit_sha: sha })) {
                for (const p of page.data) {
                    out.push({ number: Number(p.number), state: String(p.state ?? ''), mergedAt: p.merged_at ?? null, baseRef: String(p.base?.ref ?? ''), headSha: String(p.head?.sha ?? '').toLowerCase() });
                }
            }
            return out;
        }),
        pullFiles: (pull) => call('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', async () => {
            const files = [];
            for await (const page of pages('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { pull_number: pull })) {
                for (const f of page.data)
                    files.push({ filename: String(f.filename), status: String(f.status ?? ''), sha: typeof f.sha === 'string' ? f.sha.toLowerCase() : null });
                if (files.length >= MAX_PULL_FILES)
                    break;
            }
            return { files: files.slice(0, MAX_PULL_FILES), capped: files.length >= MAX_PULL_FILES };
        }),
        pullCommits: (pull) => call('GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', async () => {
            const out = [];
            for await (const page of pages('GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', { pull_number: pull })) {
                for (const c of page.data)
                    if (typeof c?.sha === 'string')
                        out.push(c.sha.toLowerCase());
            }
            return out;
        }),
        latestStatus: (ref, context, accept) => call('GET /repos/{owner}/{repo}/commits/{ref}/statuses', async () => {
            // Newest first: the first of the context is the one in force.
            let best = null;
            for await (const page of pages('GET /repos/{owner}/{repo}/commits/{ref}/statuses', { ref })) {
                for (const s of page.data) {
                    if (s?.context !== context)
                        continue;
                    const st = {
                        id: Number(s.id ?? 0),
                        state: String(s.state ?? ''),
                        context,
                        description: String(s.description ?? ''),
                        createdAt: String(s.created_at ?? ''),
                        creator: typeof s.creator?.login === 'string' ? s.creator.login : null,
                    };
                    if (!accept(st.creator))
                        continue;
                    // The listing is newest first; compare anyway (created_at, then id) rather than trust the order.
                    if (!best || st.createdAt > best.createdAt || (st.createdAt === best.createdAt && st.id > best.id))
                        best = st;
                }
            }
            return best;
        }),
        tree: (commit) => call('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', async () => {
            const res = await octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner, repo, tree_sha: commit, recursive: '1' });
            const d = res.data;
            const blobs = new Map();
            for (const e of d.tree ?? [])
                if (e?.type === 'blob' && e.mode !== '120000')
                    blobs.set(String(e.path), String(e.sha).toLowerCase());
            return { blobs, truncated: !!d.truncated };
        }),
    };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/provenance/record.ts
// The review record: what the action reviewed on a pull request, as one commit status on the PR
// head that the deploy-time `migration-gate verify` reads back. Pure functions (no GitHub, no I/O),
// shared by the action (which writes the record) and the CLI (which checks it).
//
// The record is a commit status with context `<status-context>/reviewed` (default
// `migration-gate/reviewed`) on the PR head SHA:
//   state        success only when the gate passed (approvals included); failure when it did not;
//                pending while a review runs; error when a review could not complete.
//   description  `sha256:<hex> <n> files, <verdict>`: the digest covers every file the pull request
//                adds or changes at that head, as `path\0blobsha\n` lines sorted by path (bytewise).
// The digest covers all the PR's files (not only the ones the policy selected as migrations) so
// that the verifier can recompute it from the PR's file list alone, without the base commit's
// policy or this version's default globs.

const RECORD_SUFFIX = '/reviewed';
const DEFAULT_RECORD_CONTEXT = `migration-gate${RECORD_SUFFIX}`;
/** The record's status context for the action's status context. */
function recordContext(statusContext) {
    return `${statusContext}${RECORD_SUFFIX}`;
}
/** Git's blob object id (SHA-1) of these bytes: `sha1("blob <len>\0" + bytes)`. */
function gitBlobSha(bytes) {
    return (0,external_node_crypto_.createHash)('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
/** SHA-256 of the sorted `path\0blobsha\n` lines (paths compared bytewise as UTF-8). */
function reviewDigest(entries) {
    const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
    const h = (0,external_node_crypto_.createHash)('sha256');
    for (const e of sorted)
        h.update(`${e.path}\0${e.blobSha.toLowerCase()}\n`);
    return h.digest('hex');
}
/** A status description: at most 140 characters (GitHub's limit). */
function recordDescription(digest, files, verdict) {
    return `sha256:${digest} ${files} file${files === 1 ? '' : 's'}, ${verdict}`.slice(0, 140);
}
/** The digest a record's description carries, or null. */
function parseRecordDigest(description) {
    const m = /^sha256:([0-9a-f]{64})(?:\s|$)/.exec(description ?? '');
    return m ? m[1] : null;
}

;// CONCATENATED MODULE: ./src/action/pool.ts
/** Runs `fn` over items with at most `n` in flight, results in input order (a few lines; no dependency needed for this). */
async function pool(items, n, fn) {
    const out = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
    return out;
}

;// CONCATENATED MODULE: ./src/verify/verify.ts
// Deploy-time provenance (`migration-gate verify`): for each migration about to run, confirm through
// the GitHub API that these exact bytes (git blob SHA) reached the default branch through a merged
// pull request on which migration-gate passed for that content (the review record written by the
// action, src/action/record.ts). Fails closed: anything it cannot confirm is a failure, never "ok".


const verify_short = (sha) => sha.slice(0, 7);
async function verify(api, files, opts) {
    const branch = opts.branch ?? (await api.defaultBranch());
    let baseline = null;
    if (opts.baseline) {
        const t = await api.tree(opts.baseline);
        if (t.truncated)
            throw new Error(`the tree of the baseline commit ${verify_short(opts.baseline)} is too large for the API (truncated listing): cannot tell which files it has`);
        baseline = t.blobs;
    }
    const pullsOf = cache((sha) => api.commitPulls(sha));
    const evalPull = cache((n, pr) => evaluatePull(api, pr, opts));
    const one = async (f) => {
        const base = { path: f.path, blobSha: f.blobSha };
        if (baseline && baseline.get(f.path) === f.blobSha) {
            return { ...base, status: 'baseline', detail: `the same bytes as in the baseline commit ${verify_short(opts.baseline)}` };
        }
        let touched = 0;
        let first = null;
        for await (const commit of api.pathCommits(f.path, branch)) {
            touched++;
            if ((await api.blobAt(f.path, commit)) !== f.blobSha)
                continue;
            // This commit brought these bytes to the path (each listed commit changed the path).
            const merged = (await pullsOf(commit)).filter((p) => p.mergedAt && p.baseRef === branch);
            let v = null;
            if (!merged.length) {
                v = { ...base, status: 'direct-push', commit, detail: `commit ${verify_short(commit)} put these bytes on ${branch} without a merged pull request into ${branch}` };
            }
            for (const pr of merged) {
                const e = await evalPull(pr.number, pr);
                const reviewed = e.files?.get(f.path);
                if (e.passed && reviewed === f.blobSha)
                    return { ...base, status: 'verified', commit, pull: pr.number, reviewedAt: pr.headSha, detail: `PR #${pr.number}: migration-gate passed at ${verify_short(pr.headSha)}` };
                const cand = e.passed
                    ? reviewed === undefined || reviewed === null
                        ? { ...base, status: 'unreviewed', commit, pull: pr.number, detail: `commit ${verify_short(commit)} is of PR #${pr.number}, but the PR's reviewed files do not include this path (changed while merging?)` }
                        : { ...base, status: 'edited-after-review', commit, pull: pr.number, detail: `PR #${pr.number} was reviewed with blob ${verify_short(reviewed)} at ${verify_short(pr.headSha)}; ${branch} got ${verify_short(f.blobSha)} in commit ${verify_short(commit)}` }
                    : { ...base, status: e.kind, commit, pull: pr.number, detail: `PR #${pr.number}: ${e.reason}` };
                if (!v || rank(cand.status) > rank(v.status))
                    v = cand;
            }
            first ??= v;
        }
        if (first)
            return first;
        return touched
            ? { ...base, status: 'unknown', detail: `no commit on ${branch} has these bytes at this path (${touched} commit${touched === 1 ? '' : 's'} changed it): edited outside the repository, or not merged` }
            : { ...base, status: 'unknown', detail: `no commit on ${branch} has this path` };
    };
    const out = await pool([...files], opts.concurrency ?? 4, one);
    return { branch, files: out, ok: out.every((f) => f.status === 'verified' || f.status === 'baseline') };
}
/** Which verdict of one commit's pull requests is the most telling. */
function rank(s) {
    return { 'direct-push': 0, unreviewed: 1, 'edited-after-review': 2 }[s] ?? 0;
}
async function evaluatePull(api, pr, opts) {
    const { files, capped } = await api.pullFiles(pr.number);
    const present = files.filter((f) => f.status !== 'removed');
    const map = new Map(present.map((f) => [f.filename, f.sha]));
    if (capped)
        return { passed: false, kind: 'unreviewed', reason: 'it changes 3000 files or more: its files cannot all be listed, so its record cannot be checked', files: map };
    const record = await api.latestStatus(pr.headSha, opts.context, opts.acceptCreator);
    const fail = (reason) => ({ passed: false, kind: 'unreviewed', reason, files: map });
    if (!record) {
        const earlier = await earlierPass(api, pr, opts);
        if (earlier)
            return { passed: false, kind: 'edited-after-review', reason: `migration-gate passed at ${verify_short(earlier.sha)}, but the PR changed after that review (no review record on its head ${verify_short(pr.headSha)})`, files: map };
        return fail(`no review record (${opts.context}) on its head ${verify_short(pr.headSha)}: migration-gate did not review it`);
    }
    if (record.state !== 'success') {
        const earlier = await earlierPass(api, pr, opts);
        if (earlier)
            return { passed: false, kind: 'edited-after-review', reason: `migration-gate passed at ${verify_short(earlier.sha)}, but not on the head ${verify_short(pr.headSha)} after later changes (${record.state}: ${clip(record.description)})`, files: map };
        return fail(`migration-gate did not pass on its head ${verify_short(pr.headSha)} (${record.state}: ${clip(record.description)})`);
    }
    const digest = parseRecordDigest(record.description);
    if (!digest)
        return fail(`the review record on ${verify_short(pr.headSha)} carries no digest ("${clip(record.description)}")`);
    const mine = reviewDigest(present.map((f) => ({ path: f.filename, blobSha: f.sha ?? '' })));
    if (mine !== digest)
        return fail(`the review record on ${verify_short(pr.headSha)} does not match the PR's files (digest ${digest.slice(0, 12)}…, files ${mine.slice(0, 12)}…)`);
    return { passed: true, kind: 'unreviewed', reason: 'passed', files: map };
}
/** A passing record on an earlier commit of the pull request (newest first), if any. */
async function earlierPass(api, pr, opts) {
    const commits = (await api.pullCommits(pr.number)).filter((c) => c !== pr.headSha).reverse();
    for (const sha of commits) {
        const s = await api.latestStatus(sha, opts.context, opts.acceptCreator);
        if (s?.state === 'success' && parseRecordDigest(s.description))
            return { sha, status: s };
    }
    return null;
}
function clip(s) {
    // eslint-disable-next-line no-control-regex
    const t = s.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, '�');
    return t.length > 80 ? `${t.slice(0, 79)}…` : t;
}
function cache(fn) {
    const m = new Map();
    return (k, ...rest) => {
        let p = m.get(k);
        if (!p)
            m.set(k, (p = fn(k, ...rest)));
        return p;
    };
}

// EXTERNAL MODULE: ./src/cli/args.ts
var args = __webpack_require__(7593);
;// CONCATENATED MODULE: ./src/cli/verify.ts
// `migration-gate verify [options] [PATH...]`: the deploy-time provenance check (src/verify/verify.ts)
// for the CLI. Exit 0: every migration verified; 1: some are not; 2: usage, configuration,
// permission or API error (nothing could be confirmed).











const VERIFY_USAGE = `Usage: migration-gate verify [options] [PATH...]

Run in the deploy job, just before the migrations run (alembic upgrade, prisma migrate deploy,
flyway migrate, migrate up, ...). For every migration file, confirms through the GitHub API that
these exact bytes (git blob SHA) reached the default branch through a merged pull request on
which migration-gate passed for that content (the action's review record). PATHs are files or
directories (walked with the migration globs); default: the repository root, walked.

Options:
  --repo OWNER/NAME     repository (default: GITHUB_REPOSITORY)
  --token TOKEN         API token (default: GITHUB_TOKEN; prefer the variable: arguments show in ps).
                        Needs contents: read, pull-requests: read, statuses: read
  --api-url URL         REST API base (default: GITHUB_API_URL, else https://api.github.com;
                        GitHub Enterprise Server: https://HOST/api/v3)
  --branch B            the branch the migrations must have reached (default: the default branch)
  --context C           the review record's status context (default: ${DEFAULT_RECORD_CONTEXT})
  --trusted-creator L   only records written by this login count (repeatable; default
                        github-actions[bot]; 'any' accepts every creator)
  --baseline SHA        files with the same bytes as in this commit are accepted as they are
                        (the migrations from before migration-gate recorded reviews)
  --config FILE         config for the include/exclude globs (default: .github/migration-gate.yml
                        in the repository root when present)
  --root DIR            repository root the paths are relative to (default: git's top level)
  --format F            text or json (default: text)
  -h, --help            this help

Exit status: 0 every migration verified, 1 some are unreviewed, edited after review, pushed
directly to the branch or unknown to the repository, 2 usage, permission or API error.
`;
const FORMATS = ['text', 'json'];
async function verifyMain(argv, io, deps = {}) {
    try {
        return await inner(argv, io, deps);
    }
    catch (e) {
        if (e instanceof args/* UsageError */.e) {
            io.stderr(`migration-gate verify: ${e.message}\nRun 'migration-gate verify --help' for usage.\n`);
            return 2;
        }
        if (e instanceof src_config/* ConfigError */.xL || e instanceof discover/* DiscoverError */.AT) {
            io.stderr(`migration-gate verify: ${e.message}\n`);
            return 2;
        }
        if (e instanceof GitHubApiError) {
            io.stderr(`migration-gate verify: ${apiErrorMessage(e, io.env?.GITHUB_REPOSITORY)}\nNothing was verified.\n`);
            return 2;
        }
        io.stderr(`migration-gate verify: ${e?.message ?? e}\nNothing was verified.\n`);
        return 2;
    }
}
/** A 401/403/404 says which permission the token lacks. */
function apiErrorMessage(e, repo) {
    const perm = ROUTE_PERMISSION[e.route];
    if (e.status === 401)
        return `the GitHub token was rejected (HTTP 401: bad credentials): ${e.message}`;
    if (/rate limit/i.test(e.message))
        return `GitHub API rate limit: ${e.message}`;
    if ((e.status === 403 || e.status === 404) && perm) {
        return `the token cannot read what verify needs (HTTP ${e.status} on ${e.route}): it needs \`${perm}\` on ${repo || 'the repository'}` +
            ` (in a workflow: \`permissions: { contents: read, pull-requests: read, statuses: read }\`; a fine-grained token: Contents, Pull requests and Commit statuses, read)` +
            (e.status === 404 ? '; or the repository does not exist' : '') + `. ${e.message}`;
    }
    return `GitHub API error: ${e.message}`;
}
function repoRoot(cwd) {
    try {
        const top = (0,external_node_child_process_.execFileSync)('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
        if (top)
            return top;
    }
    catch {
        /* not a work tree: the working directory is the root */
    }
    return cwd;
}
async function inner(argv, io, deps) {
    const parsed = (0,args/* parseCommandLine */.D)(argv, {
        repo: { type: 'string' },
        token: { type: 'string' },
        'api-url': { type: 'string' },
        branch: { type: 'string' },
        context: { type: 'string' },
        'trusted-creator': { type: 'string', multiple: true },
        baseline: { type: 'string' },
        config: { type: 'string' },
        root: { type: 'string' },
        format: { type: 'string', default: 'text' },
        help: { type: 'boolean', short: 'h' },
    });
    const { values, positionals } = parsed;
    if (values.help) {
        io.stdout(VERIFY_USAGE);
        return 0;
    }
    const env = io.env ?? {};
    const format = values.format ?? 'text';
    if (!FORMATS.includes(format))
        throw new args/* UsageError */.e(`unknown format '${format}' (text or json)`);
    const full = values.repo ?? env.GITHUB_REPOSITORY ?? '';
    const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(full);
    if (!m)
        throw new args/* UsageError */.e(full ? `--repo must be OWNER/NAME, got '${full}'` : 'no repository: pass --repo OWNER/NAME or set GITHUB_REPOSITORY');
    const token = values.token ?? env.GITHUB_TOKEN ?? '';
    if (!token)
        throw new args/* UsageError */.e('no token: set GITHUB_TOKEN (or pass --token) to a token with contents: read, pull-requests: read and statuses: read');
    const baseUrl = values['api-url'] ?? (env.GITHUB_API_URL || undefined);
    if (values.baseline !== undefined && !/^[0-9a-f]{7,40}$/i.test(values.baseline))
        throw new args/* UsageError */.e(`--baseline must be a commit SHA, got '${values.baseline}'`);
    const creators = values['trusted-creator'] ?? ['github-actions[bot]'];
    const anyCreator = creators.some((c) => c.toLowerCase() === 'any');
    const trusted = new Set(creators.map((c) => c.toLowerCase()));
    const cwd = deps.cwd ?? process.cwd();
    const root = (0,external_node_path_.resolve)(cwd, values.root ?? repoRoot(cwd));
    const configPath = values.config ?? ((0,external_node_fs_.existsSync)((0,external_node_path_.join)(root, '.github', 'migration-gate.yml')) ? (0,external_node_path_.join)(root, '.github', 'migration-gate.yml') : undefined);
    const config = configPath ? (0,src_config/* loadConfigFile */.HT)((0,external_node_path_.resolve)(cwd, configPath)) : {};
    const given = positionals.length ? positionals.map((p) => (0,external_node_path_.resolve)(cwd, p)) : [root];
    const explicitFiles = new Set(given.filter((p) => (0,external_node_fs_.existsSync)(p) && (0,external_node_fs_.statSync)(p).isFile()));
    const prev = process.cwd();
    let found;
    try {
        process.chdir(root); // the globs see paths from the repository root, like the action's
        found = (0,discover/* discoverFiles */.ZO)(given, config);
    }
    finally {
        process.chdir(prev);
    }
    const locals = [];
    for (const f of found) {
        const abs = (0,external_node_path_.resolve)(root, f.path);
        const rel = (0,external_node_path_.relative)(root, abs);
        if (!rel || rel.startsWith('..') || (0,external_node_path_.isAbsolute)(rel))
            throw new args/* UsageError */.e(`${f.path} is outside the repository root ${root} (see --root)`);
        const path = (0,discover/* toPosix */.d7)(rel);
        // Credential-bearing config files (.env, alembic.ini, ...) are selected for review but are not migrations that run.
        if ((0,kind/* isConfigPath */.Co)(path) && !explicitFiles.has(abs))
            continue;
        locals.push({ path, blobSha: gitBlobSha(typeof f.content === 'string' ? new TextEncoder().encode(f.content) : f.content) });
    }
    if (!locals.length)
        throw new args/* UsageError */.e('no migration files to verify');
    const makeApi = deps.api ?? octokitProvenanceApi;
    const api = makeApi({ token, owner: m[1], repo: m[2], ...(baseUrl ? { baseUrl } : {}), warn: (w) => io.stderr(`migration-gate verify: ${w}\n`) });
    const report = await verify(api, locals, {
        ...(values.branch ? { branch: values.branch } : {}),
        context: values.context ?? DEFAULT_RECORD_CONTEXT,
        acceptCreator: (login) => anyCreator || (!!login && trusted.has(login.toLowerCase())),
        ...(values.baseline ? { baseline: values.baseline.toLowerCase() } : {}),
    });
    io.stdout(format === 'json' ? toJsonReport(report, full) : toTextReport(report, full));
    return report.ok ? 0 : 1;
}
// eslint-disable-next-line no-control-regex
const safe = (s) => s.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, '�');
const LABEL = {
    verified: 'ok',
    baseline: 'ok',
    unreviewed: 'UNREVIEWED',
    'edited-after-review': 'EDITED AFTER REVIEW',
    'direct-push': 'DIRECT PUSH',
    unknown: 'UNKNOWN',
};
function toTextReport(r, repo) {
    const lines = [`migration-gate verify: ${r.files.length} migration file${r.files.length === 1 ? '' : 's'} against ${repo}@${r.branch}`];
    const sorted = [...r.files].sort((a, b) => Number(a.status === 'verified' || a.status === 'baseline') - Number(b.status === 'verified' || b.status === 'baseline') || (a.path < b.path ? -1 : 1));
    for (const f of sorted)
        lines.push(`  ${LABEL[f.status].padEnd(19)} ${safe(f.path)}  ${safe(f.detail)}`);
    const bad = r.files.filter((f) => f.status !== 'verified' && f.status !== 'baseline').length;
    lines.push(bad ? `${bad} of ${r.files.length} not verified: do not run these migrations.` : `all ${r.files.length} verified.`);
    return lines.join('\n') + '\n';
}
function toJsonReport(r, repo) {
    const count = (s) => r.files.filter((f) => f.status === s).length;
    return (JSON.stringify({
        ok: r.ok,
        repository: repo,
        branch: r.branch,
        summary: {
            files: r.files.length,
            verified: count('verified'),
            baseline: count('baseline'),
            unreviewed: count('unreviewed'),
            editedAfterReview: count('edited-after-review'),
            directPush: count('direct-push'),
            unknown: count('unknown'),
        },
        files: r.files,
    }, null, 2) + '\n');
}


/***/ })

};

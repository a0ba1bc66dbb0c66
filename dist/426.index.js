export const id = 426;
export const ids = [426];
export const modules = {

/***/ 4426:
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
// EXTERNAL MODULE: ./src/config/index.ts + 20 modules
var src_config = __webpack_require__(6846);
// EXTERNAL MODULE: ./src/discover/index.ts + 9 modules
var discover = __webpack_require__(5001);
// EXTERNAL MODULE: ./src/extract/kind.ts
var kind = __webpack_require__(6483);
// EXTERNAL MODULE: ./src/github/api.ts
var api = __webpack_require__(8943);
// EXTERNAL MODULE: ./src/github/octokit.ts + 24 modules
var github_octokit = __webpack_require__(4897);
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
    const octokit = (0,github_octokit/* octokitClient */.f3)(opts);
    const pages = (route, params) => octokit.paginate.iterator(route, { owner, repo, per_page: 100, ...params });
    return {
        defaultBranch: () => (0,github_octokit/* call */.T1)('GET /repos/{owner}/{repo}', async () => {
            const res = await octokit.request('GET /repos/{owner}/{repo}', { owner, repo });
            const b = res.data?.default_branch;
            if (typeof b !== 'string' || !b)
                throw new api/* GitHubApiError */.O(0, 'GET /repos/{owner}/{repo}: the answer has no default_branch', 'GET /repos/{owner}/{repo}');
            return b;
        }),
        pathCommits(path, branch) {
            const route = 'GET /repos/{owner}/{repo}/commits';
            return {
                async *[Symbol.asyncIterator]() {
                    const it = pages(route, { path, sha: branch })[Symbol.asyncIterator]();
                    for (;;) {
                        const step = await (0,github_octokit/* call */.T1)(route, () => it.next());
                        if (step.done)
                            return;
                        for (const c of step.value.data)
                            if (typeof c?.sha === 'string')
                                yield c.sha;
                    }
                },
            };
        },
        blobAt: (path, ref) => (0,github_octokit/* call */.T1)('GET /repos/{owner}/{repo}/contents/{path}', async () => {
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
        commitPulls: (sha) => (0,github_octokit/* call */.T1)('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', async () => {
            const out = [];
            for await (const page of pages('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { commit_sha: sha })) {
                for (const p of page.data) {
                    out.push({ number: Number(p.number), state: String(p.state ?? ''), mergedAt: p.merged_at ?? null, baseRef: String(p.base?.ref ?? ''), headSha: String(p.head?.sha ?? '').toLowerCase() });
                }
            }
            return out;
        }),
        pullFiles: (pull) => (0,github_octokit/* call */.T1)('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', async () => {
            const files = [];
            for await (const page of pages('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { pull_number: pull })) {
                for (const f of page.data)
                    files.push({ filename: String(f.filename), status: String(f.status ?? ''), sha: typeof f.sha === 'string' ? f.sha.toLowerCase() : null });
                if (files.length >= MAX_PULL_FILES)
                    break;
            }
            return { files: files.slice(0, MAX_PULL_FILES), capped: files.length >= MAX_PULL_FILES };
        }),
        pullCommits: (pull) => (0,github_octokit/* call */.T1)('GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', async () => {
            const out = [];
            for await (const page of pages('GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', { pull_number: pull })) {
                for (const c of page.data)
                    if (typeof c?.sha === 'string')
                        out.push(c.sha.toLowerCase());
            }
            return out;
        }),
        latestStatus: (ref, context, accept) => (0,github_octokit/* call */.T1)('GET /repos/{owner}/{repo}/commits/{ref}/statuses', async () => {
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
        tree: (commit) => (0,github_octokit/* call */.T1)('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', async () => {
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

// EXTERNAL MODULE: ./src/provenance/record.ts
var provenance_record = __webpack_require__(7202);
// EXTERNAL MODULE: ./src/action/pool.ts
var pool = __webpack_require__(8370);
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
    const out = await (0,pool/* pool */.d)([...files], opts.concurrency ?? 4, one);
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
    const digest = (0,provenance_record/* parseRecordDigest */.Ru)(record.description);
    if (!digest)
        return fail(`the review record on ${verify_short(pr.headSha)} carries no digest ("${clip(record.description)}")`);
    const mine = (0,provenance_record/* reviewDigest */.Lr)(present.map((f) => ({ path: f.filename, blobSha: f.sha ?? '' })));
    if (mine !== digest)
        return fail(`the review record on ${verify_short(pr.headSha)} does not match the PR's files (digest ${digest.slice(0, 12)}…, files ${mine.slice(0, 12)}…)`);
    return { passed: true, kind: 'unreviewed', reason: 'passed', files: map };
}
/** A passing record on an earlier commit of the pull request (newest first), if any. */
async function earlierPass(api, pr, opts) {
    const commits = (await api.pullCommits(pr.number)).filter((c) => c !== pr.headSha).reverse();
    for (const sha of commits) {
        const s = await api.latestStatus(sha, opts.context, opts.acceptCreator);
        if (s?.state === 'success' && (0,provenance_record/* parseRecordDigest */.Ru)(s.description))
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
  --context C           the review record's status context (default: ${provenance_record/* DEFAULT_RECORD_CONTEXT */.I0})
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
        if (e instanceof api/* GitHubApiError */.O) {
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
        locals.push({ path, blobSha: (0,provenance_record/* gitBlobSha */.Ak)(typeof f.content === 'string' ? new TextEncoder().encode(f.content) : f.content) });
    }
    if (!locals.length)
        throw new args/* UsageError */.e('no migration files to verify');
    const makeApi = deps.api ?? octokitProvenanceApi;
    const api = makeApi({ token, owner: m[1], repo: m[2], ...(baseUrl ? { baseUrl } : {}), warn: (w) => io.stderr(`migration-gate verify: ${w}\n`) });
    const report = await verify(api, locals, {
        ...(values.branch ? { branch: values.branch } : {}),
        context: values.context ?? provenance_record/* DEFAULT_RECORD_CONTEXT */.I0,
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

// A loopback fake of the GitHub REST API, just the routes migration-gate uses, with the real
// response shapes: `Link` pagination, 3000-file cap on PR files, raw media type on contents,
// 422 on review comments outside the diff, 403 for read-only tokens, and fault injection.
// One server serves many scenarios at once: each scenario is a repository with its own owner
// (and token), so concurrent tests never share state. Every request is recorded.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUser {
  login: string;
  type: 'User' | 'Bot';
}

export interface FakeFile {
  filename: string;
  status: 'added' | 'modified' | 'removed' | 'renamed' | 'copied' | 'changed';
  previous_filename?: string;
  /** Content at the head (absent for removed files, or to make reading it fail with 404). */
  content?: string | Buffer;
  /** Content on the base branch (for removed/modified files' patches). */
  baseContent?: string;
  /** Explicit unified diff; by default generated from contents. `null`: no patch (too large). */
  patch?: string | null;
  /** The file is a symbolic link at the head with this text (git mode 120000; its blob is the text, as git stores it). */
  link?: string;
}

export interface FakeReview {
  id?: number;
  user: FakeUser;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  commit_id: string;
  submitted_at?: string;
}

export interface Fault {
  method?: string;
  /** Matched against the decoded path name (no query). */
  path: RegExp;
  status: number;
  /** How many times the fault fires (default: always). */
  times?: number;
  message?: string;
  headers?: Record<string, string>;
  /** Never answer (the connection stays open until the client gives up or the server stops). */
  stall?: boolean;
}

/** Hold the first `count` matching requests until all of them arrived (forces two runs to interleave). */
export interface Barrier {
  method?: string;
  path: RegExp;
  count: number;
  /** Release anyway after this long (ms, default 20 s), so a run that never comes cannot hang a test. */
  maxWaitMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
  /** When the request arrived (Date.now()). */
  at: number;
}

/** A commit of the default branch (for `verify`): the paths it changes (null deletes), and the PRs GitHub associates with it. */
export interface FakeCommit {
  sha?: string;
  changes: Record<string, string | Buffer | null>;
  pulls?: number[];
}

/** A pull request other than the scenario's own (for `verify`). */
export interface FakePull {
  number: number;
  headSha: string;
  baseRef?: string;
  /** Default true. */
  merged?: boolean;
  /** Its files at the head (blob SHAs computed from `content`; removed files have none). */
  files: Array<{ filename: string; status?: FakeFile['status']; content?: string | Buffer }>;
  /** Its commits, oldest first (default: just the head). */
  commits?: string[];
}

export interface StoredStatus {
  sha: string;
  state: string;
  context: string;
  description: string;
  target_url?: string;
  id?: number;
  created_at?: string;
  /** Who wrote it (default: the token's identity). */
  creator?: FakeUser;
}

export interface RepoInit {
  /** Files of the PR (in listing order). */
  files: FakeFile[];
  /** Files present on the base ref (by path): the config file, etc. */
  base?: Record<string, string>;
  /** Extra files at the head that are not part of the diff (e.g. migration_lock.toml). */
  headExtra?: Record<string, string>;
  reviews?: FakeReview[];
  /** login → role (admin, maintain, write, triage, read). Missing: none. */
  permissions?: Record<string, string>;
  /** 'org/team' slug (org = this repo's owner) → member logins, or an HTTP status to fail with. */
  teams?: Record<string, string[] | number>;
  /** `${base}...${head}` → comparison. Missing: 404. */
  compares?: Record<string, { status: string; files: string[]; commits?: string[] }>;
  /** Token has read-only permissions (fork PR with `pull_request`): every write is a 403. */
  readOnly?: boolean;
  /** The identity behind the token, default the Actions bot. */
  viewer?: FakeUser;
  /** Whether GET /user works for this token (false for GITHUB_TOKEN). */
  viewerReadable?: boolean;
  faults?: Fault[];
  barriers?: Barrier[];
  /** Other pull requests of the repository (merge queues): number → head SHA, state, base branch. */
  queuePulls?: Record<number, { headSha: string; state?: 'open' | 'closed'; baseRef?: string }>;
  /** commit SHA → numbers of the pull requests it belongs to (GET …/commits/{sha}/pulls). */
  commitPulls?: Record<string, number[]>;
  /** Other repositories this scenario's token can read (an org-wide policy repo): 'owner/repo' → ref → path → text. */
  extraRepos?: Record<string, Record<string, Record<string, string>>>;
  /** Base-commit paths listed as symbolic links (mode 120000) in git trees. */
  symlinks?: string[];
  /** Symbolic links at the head that are not part of the diff: path → link text. */
  headLinks?: Record<string, string>;
  /** git trees answer `truncated: true`. */
  truncatedTree?: boolean;
  author?: FakeUser;
  headSha?: string;
  baseSha?: string;
  number?: number;
  /** The default branch's history, oldest first (for `verify`); its name defaults to main. */
  branch?: { name?: string; commits: FakeCommit[] };
  /** More pull requests (for `verify`). */
  pulls?: FakePull[];
  /** The largest page the fake answers (GitHub's is 100): lower it to make every listing paginate. */
  maxPerPage?: number;
}

export interface StoredComment {
  id: number;
  body: string;
  user: FakeUser;
  created_at: string;
  updated_at: string;
}

export interface StoredReviewComment extends StoredComment {
  path: string;
  line: number | null;
  side: string;
  commit_id: string;
  pull_request_review_id: number;
}

export interface RepoState {
  owner: string;
  repo: string;
  fullName: string;
  token: string;
  number: number;
  headSha: string;
  baseSha: string;
  author: FakeUser;
  viewer: FakeUser;
  viewerReadable: boolean;
  readOnly: boolean;
  files: FakeFile[];
  /** ref → path → bytes */
  contents: Map<string, Map<string, Buffer>>;
  reviews: Array<Required<Pick<FakeReview, 'id' | 'user' | 'state' | 'commit_id' | 'submitted_at'>> & { body: string }>;
  permissions: Record<string, string>;
  teams: Record<string, string[] | number>;
  compares: Record<string, { status: string; files: string[]; commits?: string[] }>;
  queuePulls: Record<number, { headSha: string; state?: 'open' | 'closed'; baseRef?: string }>;
  commitPulls: Record<string, number[]>;
  extraRepos: Record<string, Record<string, Record<string, string>>>;
  issueComments: StoredComment[];
  reviewComments: StoredReviewComment[];
  statuses: StoredStatus[];
  faults: Fault[];
  branchName: string;
  /** Oldest first; `touched`: the paths the commit changed. */
  branchCommits: Array<{ sha: string; touched: Set<string>; pulls: number[] }>;
  pulls: Map<number, FakePull>;
  maxPerPage: number;
  barriers: Array<Barrier & { waiting: Array<() => void>; seen: number }>;
  symlinks?: Set<string>;
  truncatedTree?: boolean;
  requests: RecordedRequest[];
}

export const ACTIONS_BOT: FakeUser = { login: 'github-actions[bot]', type: 'Bot' };

let ids = 1000;
const nextId = () => ++ids;

function gitBlobSha(b: Buffer): string {
  return createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
}

function lines(s: string): string[] {
  const l = s.split('\n');
  if (l.length && l[l.length - 1] === '') l.pop();
  return l;
}

/** Unified diff of a whole-file change, as GitHub shows it in `patch`. */
export function wholeFilePatch(before: string | undefined, after: string | undefined): string {
  const a = before === undefined ? [] : lines(before);
  const b = after === undefined ? [] : lines(after);
  const head = `@@ -${a.length ? 1 : 0},${a.length} +${b.length ? 1 : 0},${b.length} @@`;
  return [head, ...a.map((l) => '-' + l), ...b.map((l) => '+' + l)].join('\n');
}

/** RIGHT-side lines a review comment may be placed on (added and context lines of the hunks). */
export function rightLines(patch: string): Set<number> {
  // Independent of src/decide's parser on purpose: the fake must not share the code under test.
  const out = new Set<number>();
  let n = 0;
  let inHunk = false;
  for (const l of patch.split('\n')) {
    const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(l);
    if (m) {
      n = Number(m[1]);
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    if (l.startsWith('+') || l.startsWith(' ')) out.add(n++);
    else if (l.startsWith('-') || l.startsWith('\\')) continue;
  }
  return out;
}

function json(res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}) {
  const body = JSON.stringify(data);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body);
}

const ROLE_TO_PERMISSION: Record<string, string> = { admin: 'admin', maintain: 'write', write: 'write', triage: 'read', read: 'read', none: 'none' };

export class FakeGitHub {
  private server: Server | null = null;
  private readonly byOwner = new Map<string, RepoState>();
  private readonly byToken = new Map<string, RepoState>();
  private counter = 0;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          this.handle(req, res, Buffer.concat(chunks).toString('utf8'));
        } catch (e) {
          json(res, 500, { message: `fake server error: ${(e as Error).message}` });
        }
      });
    });
    // Connections are kept alive as GitHub does (undici reuses a socket only when the server's
    // keep-alive timeout is above its own 1 s threshold); stop() closes them all, so they never keep
    // the test runner alive.
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${addr.port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  /** A new scenario: its own owner, repository, token and state. */
  repo(init: RepoInit): RepoState {
    const n = ++this.counter;
    const owner = `acme${n}`;
    const headSha = init.headSha ?? createHash('sha1').update(`head${n}`).digest('hex');
    const baseSha = init.baseSha ?? createHash('sha1').update(`base${n}`).digest('hex');
    const contents = new Map<string, Map<string, Buffer>>();
    const at = (ref: string) => {
      let m = contents.get(ref);
      if (!m) contents.set(ref, (m = new Map()));
      return m;
    };
    at(headSha);
    at(baseSha);
    for (const [p, c] of Object.entries(init.base ?? {})) at(baseSha).set(p, Buffer.from(c));
    for (const [p, c] of Object.entries(init.headExtra ?? {})) at(headSha).set(p, Buffer.from(c));
    const links = new Set(init.symlinks ?? []);
    for (const [p, t] of Object.entries(init.headLinks ?? {})) (at(headSha).set(p, Buffer.from(t)), links.add(p));
    for (const f of init.files) {
      if (f.link !== undefined && f.status !== 'removed') (at(headSha).set(f.filename, Buffer.from(f.link)), links.add(f.filename));
      else if (f.content !== undefined && f.status !== 'removed') at(headSha).set(f.filename, Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content));
      const basePath = f.previous_filename ?? f.filename;
      if (f.baseContent !== undefined) at(baseSha).set(basePath, Buffer.from(f.baseContent));
    }
    const state: RepoState = {
      owner,
      repo: 'app',
      fullName: `${owner}/app`,
      token: `ghs_fake_token_${n}_${createHash('sha1').update(String(n)).digest('hex').slice(0, 12)}`,
      number: init.number ?? 7,
      headSha,
      baseSha,
      author: init.author ?? { login: 'alice', type: 'User' },
      viewer: init.viewer ?? ACTIONS_BOT,
      viewerReadable: init.viewerReadable ?? false,
      readOnly: init.readOnly ?? false,
      files: init.files,
      contents,
      reviews: (init.reviews ?? []).map((r, i) => ({
        id: r.id ?? nextId(),
        user: r.user,
        state: r.state,
        commit_id: r.commit_id,
        submitted_at: r.submitted_at ?? new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
        body: '',
      })),
      permissions: init.permissions ?? {},
      teams: init.teams ?? {},
      compares: init.compares ?? {},
      issueComments: [],
      reviewComments: [],
      statuses: [],
      faults: init.faults ?? [],
      barriers: (init.barriers ?? []).map((b) => ({ ...b, waiting: [], seen: 0 })),
      queuePulls: init.queuePulls ?? {},
      commitPulls: init.commitPulls ?? {},
      extraRepos: init.extraRepos ?? {},
      symlinks: links,
      truncatedTree: init.truncatedTree ?? false,
      requests: [],
      branchName: init.branch?.name ?? 'main',
      branchCommits: [],
      pulls: new Map((init.pulls ?? []).map((p) => [p.number, p])),
      maxPerPage: init.maxPerPage ?? 100,
    };
    for (const c of init.branch?.commits ?? []) this.commit(state, c);
    this.byOwner.set(owner, state);
    this.byToken.set(state.token, state);
    return state;
  }

  /** A new push to the pull request: new head commit with these files (the base is unchanged). */
  push(state: RepoState, files: FakeFile[], headSha?: string): void {
    const sha = headSha ?? createHash('sha1').update(`${state.headSha}+`).digest('hex');
    const tree = new Map(state.contents.get(state.headSha) ?? []);
    for (const f of state.files) tree.delete(f.filename);
    for (const f of files) {
      if (f.content !== undefined && f.status !== 'removed') tree.set(f.filename, Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content));
      if (f.baseContent !== undefined) state.contents.get(state.baseSha)!.set(f.previous_filename ?? f.filename, Buffer.from(f.baseContent));
    }
    state.contents.set(sha, tree);
    state.headSha = sha;
    state.files = files;
  }

  /** A new commit on the default branch (for `verify`): a snapshot of the previous one with `changes`. */
  commit(state: RepoState, c: FakeCommit): string {
    const prev = state.branchCommits.at(-1);
    const sha = c.sha ?? createHash('sha1').update(`${state.owner} commit ${state.branchCommits.length}`).digest('hex');
    const tree = new Map(prev ? state.contents.get(prev.sha) : []);
    const touched = new Set<string>();
    for (const [p, content] of Object.entries(c.changes)) {
      const before = tree.get(p);
      if (content === null) tree.delete(p);
      else tree.set(p, Buffer.isBuffer(content) ? content : Buffer.from(content));
      const after = tree.get(p);
      if ((before === undefined) !== (after === undefined) || (before && after && !before.equals(after))) touched.add(p);
    }
    state.contents.set(sha, tree);
    state.branchCommits.push({ sha, touched, pulls: c.pulls ?? [] });
    return sha;
  }

  /** Put a file on the base commit (e.g. the policy file). */
  setBase(state: RepoState, path: string, text: string): void {
    state.contents.get(state.baseSha)!.set(path, Buffer.from(text));
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: string, released = false) {
    const u = new URL(req.url ?? '/', this.url);
    const segs = u.pathname.split('/').slice(1);
    const path = segs.map((s) => decodeURIComponent(s)).join('/');
    const query = Object.fromEntries(u.searchParams);
    const method = req.method ?? 'GET';
    const auth = String(req.headers.authorization ?? '').replace(/^(token|bearer)\s+/i, '');
    const state = segs[0] === 'repos' || segs[0] === 'orgs' ? this.byOwner.get(decodeURIComponent(segs[1] ?? '')) : this.byToken.get(auth);
    // Another repository the token can read (an org-wide policy repo): contents only, 404 otherwise (as GitHub hides it).
    const other = !state && segs[0] === 'repos' ? this.byToken.get(auth) : undefined;
    if (other) {
      const full = `${decodeURIComponent(segs[1] ?? '')}/${decodeURIComponent(segs[2] ?? '')}`;
      const refs = other.extraRepos[full];
      const rec: RecordedRequest = { method: req.method ?? 'GET', path: u.pathname.split('/').map((x) => decodeURIComponent(x)).join('/'), query: Object.fromEntries(u.searchParams), headers: { ...req.headers }, body, status: 0, at: Date.now() };
      other.requests.push(rec);
      const text = refs && segs[3] === 'contents' ? refs[u.searchParams.get('ref') ?? '']?.[segs.slice(4).map((x) => decodeURIComponent(x)).join('/')] : undefined;
      rec.status = text === undefined ? 404 : 200;
      if (text === undefined) return json(res, 404, { message: 'Not Found' });
      res.writeHead(200, { 'content-type': 'application/vnd.github.raw+json; charset=utf-8' });
      return res.end(Buffer.from(text));
    }
    const rec: RecordedRequest = { method, path: '/' + path, query, headers: { ...req.headers }, body, status: 0, at: Date.now() };
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      rec.status = status;
      json(res, status, data, headers);
    };
    if (!state) return send(404, { message: 'Not Found' });
    state.requests.push(rec);
    if (auth !== state.token) return send(401, { message: 'Bad credentials' });

    for (const b of released ? [] : state.barriers) {
      if ((b.method && b.method !== method) || !b.path.test('/' + path) || b.seen >= b.count) continue;
      b.seen++;
      if (b.seen < b.count) {
        let done = false;
        const go = () => {
          if (done) return;
          done = true;
          this.handle(req, res, body, true);
        };
        b.waiting.push(go);
        setTimeout(go, b.maxWaitMs ?? 20_000).unref();
        state.requests.pop();
        return;
      }
      for (const w of b.waiting.splice(0)) setImmediate(w);
      break;
    }
    for (const f of state.faults) {
      if ((f.method && f.method !== method) || !f.path.test('/' + path)) continue;
      if (f.times !== undefined) {
        if (f.times <= 0) continue;
        f.times--;
      }
      if (f.stall) return; // no answer: the client's own timeout must cut it off
      return send(f.status, { message: f.message ?? `injected ${f.status}` }, f.headers);
    }

    const isWrite = method !== 'GET' && method !== 'HEAD';
    if (isWrite && state.readOnly) return send(403, { message: 'Resource not accessible by integration' });
    let data: any = {};
    if (isWrite) {
      try {
        data = body ? JSON.parse(body) : {};
      } catch {
        return send(400, { message: 'Problems parsing JSON' });
      }
    }

    const R = `repos/${state.owner}/${state.repo}/`;
    let m: RegExpExecArray | null;
    const page = <T>(items: T[]) => this.paginate(req, u, items, rec, res, state.maxPerPage);

    if (method === 'GET' && path === 'user') {
      return state.viewerReadable ? send(200, { login: state.viewer.login, type: state.viewer.type }) : send(403, { message: 'Resource not accessible by integration' });
    }
    if (method === 'GET' && path === R.slice(0, -1)) return send(200, { full_name: state.fullName, name: state.repo, default_branch: state.branchName });
    if (!path.startsWith(R) && !path.startsWith(`orgs/${state.owner}/`)) return send(404, { message: 'Not Found' });
    const rest = path.startsWith(R) ? path.slice(R.length) : '';

    if (method === 'GET' && (m = /^pulls\/(\d+)\/files$/.exec(rest)) && state.pulls.has(Number(m[1]))) {
      const files = state.pulls.get(Number(m[1]))!.files.map((f) => {
        const buf = f.content === undefined ? undefined : Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content);
        return { sha: f.status === 'removed' || !buf ? null : gitBlobSha(buf), filename: f.filename, status: f.status ?? 'added', additions: 0, deletions: 0, changes: 0 };
      });
      return page(files);
    }
    if (method === 'GET' && (m = /^pulls\/(\d+)\/commits$/.exec(rest))) {
      const p = state.pulls.get(Number(m[1]));
      if (!p) return send(404, { message: 'Not Found' });
      return page((p.commits ?? [p.headSha]).map((sha) => ({ sha, commit: { message: 'x' } })));
    }
    if (method === 'GET' && rest === 'commits') {
      // `git log <branch> -- <path>`: newest first; only the default branch (by name or tip SHA) here.
      const tip = state.branchCommits.at(-1)?.sha;
      const ref = query.sha ?? state.branchName;
      if (ref !== state.branchName && ref !== tip) return send(404, { message: 'No commit found for SHA: ' + ref });
      const list = state.branchCommits.filter((c) => query.path === undefined || c.touched.has(query.path)).reverse();
      return page(list.map((c) => ({ sha: c.sha, commit: { message: 'x' } })));
    }
    if (method === 'GET' && (m = /^commits\/([0-9a-f]{40})\/pulls$/.exec(rest))) {
      const sha = m[1];
      // A merge queue's commits (scenario `commitPulls`): the numbers only; GET pulls/{n} has the rest.
      if (state.commitPulls[sha]) return page(state.commitPulls[sha].map((n) => ({ number: n, state: 'open' })));
      const numbers = new Set(state.branchCommits.find((c) => c.sha === sha)?.pulls ?? []);
      for (const p of state.pulls.values()) if (p.headSha === sha || p.commits?.includes(sha)) numbers.add(p.number);
      const out = [...numbers].map((n) => state.pulls.get(n)).filter((p): p is FakePull => !!p).map((p) => ({
        number: p.number,
        state: p.merged === false ? 'open' : 'closed',
        merged_at: p.merged === false ? null : '2025-01-02T00:00:00Z',
        base: { ref: p.baseRef ?? state.branchName },
        head: { sha: p.headSha },
      }));
      return page(out);
    }
    if (method === 'GET' && (m = /^commits\/([^/]+)\/statuses$/.exec(rest))) {
      const list = state.statuses.filter((x) => x.sha === m![1]).map((x, i) => ({
        id: x.id ?? i + 1,
        state: x.state,
        context: x.context,
        description: x.description,
        target_url: x.target_url ?? null,
        created_at: x.created_at ?? new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
        creator: x.creator ?? state.viewer,
      }));
      return page(list.reverse()); // newest first
    }
    if (method === 'GET' && (m = /^pulls\/(\d+)\/files$/.exec(rest))) {
      if (Number(m[1]) !== state.number) return send(404, { message: 'Not Found' });
      // GitHub lists at most 3000 files of a pull request.
      const files = state.files.slice(0, 3000).map((f) => this.fileJson(state, f));
      return page(files);
    }
    if (method === 'GET' && (m = /^contents\/(.+)$/s.exec(rest))) {
      const ref = query.ref ?? state.baseSha;
      const tree = state.contents.get(ref);
      if (!tree) return send(404, { message: `No commit found for the ref ${ref}` });
      let path = m[1];
      let buf = tree.get(path);
      if (!buf) return send(404, { message: 'Not Found' });
      const accept = String(req.headers.accept ?? '');
      if (state.symlinks?.has(path)) {
        // GitHub: a link whose target is a normal file in the repository answers with that file;
        // any other link answers with an object describing the link (type symlink, target).
        const to = followLink(tree, state.symlinks, path);
        if (to === null) {
          const target = buf.toString();
          if (/vnd\.github(\.v3)?\.raw/.test(accept)) {
            rec.status = 200;
            res.writeHead(200, { 'content-type': 'application/vnd.github.raw+json; charset=utf-8' });
            return res.end(buf); // the link's own blob: its text
          }
          return send(200, { type: 'symlink', target, size: buf.length, name: path.split('/').pop(), path, sha: gitBlobSha(buf) });
        }
        path = to;
        buf = tree.get(to)!;
      }
      if (/vnd\.github(\.v3)?\.raw/.test(accept)) {
        rec.status = 200;
        res.writeHead(200, { 'content-type': 'application/vnd.github.raw+json; charset=utf-8' });
        return res.end(buf);
      }
      return send(200, { type: 'file', encoding: 'base64', size: buf.length, path, sha: gitBlobSha(buf), content: buf.toString('base64') });
    }
    if (method === 'GET' && (m = /^git\/trees\/([^/]+)$/.exec(rest))) {
      // Only commit SHAs of this scenario are trees here (GitHub also takes tree SHAs and refs).
      const tree = state.contents.get(m[1]);
      if (!tree) return send(404, { message: 'Not Found' });
      const entries: any[] = [];
      const dirs = new Set<string>();
      for (const [p, buf] of [...tree].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const parts = p.split('/');
        for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
        entries.push({ path: p, mode: state.symlinks?.has(p) ? '120000' : '100644', type: 'blob', sha: gitBlobSha(buf), size: buf.length });
      }
      for (const d of dirs) entries.push({ path: d, mode: '040000', type: 'tree', sha: createHash('sha1').update(`tree ${d}`).digest('hex') });
      entries.sort((a, b) => (a.path < b.path ? -1 : 1));
      const recursive = query.recursive !== undefined && query.recursive !== '0' && query.recursive !== 'false';
      return send(200, { sha: m[1], tree: recursive ? entries : entries.filter((e) => !e.path.includes('/')), truncated: !!state.truncatedTree });
    }
    if (method === 'GET' && (m = /^git\/blobs\/([0-9a-f]{40})$/.exec(rest))) {
      let buf: Buffer | undefined;
      for (const tree of state.contents.values()) for (const b of tree.values()) if (!buf && gitBlobSha(b) === m[1]) buf = b;
      if (!buf) return send(404, { message: 'Not Found' });
      if (/vnd\.github(\.v3)?\.raw/.test(String(req.headers.accept ?? ''))) {
        rec.status = 200;
        res.writeHead(200, { 'content-type': 'application/vnd.github.raw+json; charset=utf-8' });
        return res.end(buf);
      }
      return send(200, { sha: m[1], size: buf.length, encoding: 'base64', content: buf.toString('base64') });
    }
    if (method === 'GET' && (m = /^pulls\/(\d+)\/reviews$/.exec(rest))) {
      return page(
        state.reviews.map((r) => ({ id: r.id, user: r.user, state: r.state, commit_id: r.commit_id, submitted_at: r.state === 'PENDING' ? undefined : r.submitted_at, body: r.body })),
      );
    }
    if (method === 'POST' && (m = /^pulls\/(\d+)\/reviews$/.exec(rest))) {
      if (!['COMMENT', 'APPROVE', 'REQUEST_CHANGES'].includes(data.event)) return send(422, { message: 'Unprocessable Entity', errors: ['event'] });
      if ((data.event === 'COMMENT' || data.event === 'REQUEST_CHANGES') && !data.body) return send(422, { message: 'Unprocessable Entity', errors: ['Body is required'] });
      const comments: any[] = data.comments ?? [];
      for (const c of comments) {
        const f = state.files.find((x) => x.filename === c.path);
        const patch = f ? this.patchOf(f) : null;
        if (!f || !patch || !rightLines(patch).has(c.line) || (c.side && c.side !== 'RIGHT')) {
          return send(422, { message: 'Unprocessable Entity', errors: ['Pull request review thread line must be part of the diff'] });
        }
      }
      const id = nextId();
      const now = new Date().toISOString();
      state.reviews.push({ id, user: state.viewer, state: data.event === 'APPROVE' ? 'APPROVED' : data.event === 'COMMENT' ? 'COMMENTED' : 'CHANGES_REQUESTED', commit_id: data.commit_id ?? state.headSha, submitted_at: now, body: data.body });
      for (const c of comments) {
        state.reviewComments.push({ id: nextId(), body: c.body, user: state.viewer, path: c.path, line: c.line, side: 'RIGHT', commit_id: data.commit_id, pull_request_review_id: id, created_at: now, updated_at: now });
      }
      return send(200, { id, state: 'COMMENTED' });
    }
    if (method === 'GET' && (m = /^pulls\/(\d+)\/comments$/.exec(rest))) {
      return page(state.reviewComments.map((c) => ({ ...c, original_line: c.line })));
    }
    if (method === 'PATCH' && (m = /^pulls\/comments\/(\d+)$/.exec(rest))) {
      const c = state.reviewComments.find((x) => x.id === Number(m![1]));
      if (!c) return send(404, { message: 'Not Found' });
      c.body = data.body;
      c.updated_at = new Date().toISOString();
      return send(200, c);
    }
    if (method === 'GET' && (m = /^issues\/(\d+)\/comments$/.exec(rest))) return page(state.issueComments);
    if (method === 'POST' && (m = /^issues\/(\d+)\/comments$/.exec(rest))) {
      if (typeof data.body !== 'string' || !data.body) return send(422, { message: 'Body is required' });
      if (data.body.length > 65536) return send(422, { message: 'Validation Failed', errors: [{ message: 'body is too long (maximum is 65536 characters)' }] });
      const now = new Date().toISOString();
      const c: StoredComment = { id: nextId(), body: data.body, user: state.viewer, created_at: now, updated_at: now };
      state.issueComments.push(c);
      return send(201, c);
    }
    if (method === 'PATCH' && (m = /^issues\/comments\/(\d+)$/.exec(rest))) {
      const c = state.issueComments.find((x) => x.id === Number(m![1]));
      if (!c) return send(404, { message: 'Not Found' });
      if (typeof data.body !== 'string' || data.body.length > 65536) return send(422, { message: 'Validation Failed' });
      c.body = data.body;
      c.updated_at = new Date().toISOString();
      return send(200, c);
    }
    if (method === 'POST' && (m = /^statuses\/([0-9a-f]{40})$/.exec(rest))) {
      if (!['pending', 'success', 'failure', 'error'].includes(data.state)) return send(422, { message: 'Validation Failed', errors: [{ field: 'state' }] });
      if (typeof data.description === 'string' && data.description.length > 140) return send(422, { message: 'Validation Failed', errors: [{ field: 'description' }] });
      const s: StoredStatus = { sha: m[1], state: data.state, context: data.context ?? 'default', description: data.description ?? '', target_url: data.target_url, id: nextId(), created_at: new Date(Date.UTC(2025, 0, 1) + state.statuses.length * 1000).toISOString(), creator: state.viewer };
      state.statuses.push(s);
      return send(201, s);
    }
    if (method === 'GET' && (m = /^collaborators\/([^/]+)\/permission$/.exec(rest))) {
      const role = state.permissions[m[1]] ?? 'none';
      return send(200, { permission: ROLE_TO_PERMISSION[role] ?? 'read', role_name: role, user: { login: m[1] } });
    }
    if (method === 'GET' && (m = /^compare\/(.+)\.\.\.(.+)$/.exec(rest))) {
      const c = state.compares[`${m[1]}...${m[2]}`];
      if (!c) return send(404, { message: 'Not Found' });
      return send(200, { status: c.status, files: c.files.map((f) => ({ filename: f, status: 'modified' })), commits: (c.commits ?? []).map((x) => ({ sha: x })) });
    }
    if (method === 'GET' && (m = new RegExp(`^orgs/${state.owner}/teams/([^/]+)/members$`).exec(path))) {
      const t = state.teams[`${state.owner}/${m[1]}`];
      if (t === undefined) return send(404, { message: 'Not Found' });
      if (typeof t === 'number') return send(t, { message: t === 403 ? 'Resource not accessible by integration' : 'Not Found' });
      return page(t.map((login) => ({ login, type: 'User' })));
    }
    if (method === 'DELETE' && (m = /^(issues|pulls)\/comments\/(\d+)$/.exec(rest))) {
      const list: StoredComment[] = m[1] === 'issues' ? state.issueComments : state.reviewComments;
      const i = list.findIndex((x) => x.id === Number(m![2]));
      if (i < 0) return send(404, { message: 'Not Found' });
      list.splice(i, 1);
      rec.status = 204;
      res.writeHead(204);
      return res.end();
    }
    if (method === 'GET' && (m = /^pulls\/(\d+)$/.exec(rest))) {
      const n = Number(m[1]);
      const p = n === state.number ? { headSha: state.headSha, state: 'open', baseRef: 'main' } : state.queuePulls[n];
      if (!p) return send(404, { message: 'Not Found' });
      return send(200, { number: n, state: p.state ?? 'open', head: { sha: p.headSha, ref: `feature-${n}` }, base: { sha: state.baseSha, ref: p.baseRef ?? 'main' } });
    }
    if (method === 'GET' && (m = /^commits\/([0-9a-f]{40})\/status$/.exec(rest))) {
      // The latest status per context, as GitHub's combined status does.
      const latest = new Map<string, (typeof state.statuses)[number]>();
      for (const x of state.statuses) if (x.sha === m[1]) latest.set(x.context, x);
      const statuses = [...latest.values()].map((x) => ({ context: x.context, state: x.state, description: x.description }));
      const combined = !statuses.length ? 'pending' : statuses.some((x) => x.state === 'failure' || x.state === 'error') ? 'failure' : statuses.every((x) => x.state === 'success') ? 'success' : 'pending';
      return send(200, { sha: m[1], state: combined, total_count: statuses.length, statuses });
    }
    return send(404, { message: `Not Found (fake: no route for ${method} /${path})` });
  }

  private patchOf(f: FakeFile): string | null {
    if (f.patch === null) return null;
    if (f.patch !== undefined) return f.patch;
    const text = (c: string | Buffer | undefined) => (c === undefined ? undefined : c.toString());
    const head = f.link ?? f.content; // a link's diff is its text
    if (f.status === 'added') return wholeFilePatch(undefined, text(head));
    if (f.status === 'removed') return wholeFilePatch(f.baseContent, undefined);
    if (f.status === 'renamed' && f.baseContent === undefined) return null;
    return wholeFilePatch(f.baseContent, text(head));
  }

  private fileJson(state: RepoState, f: FakeFile) {
    const buf = state.contents.get(state.headSha)?.get(f.filename);
    const patch = this.patchOf(f);
    return {
      sha: f.status === 'removed' ? null : buf ? gitBlobSha(buf) : '0'.repeat(40),
      filename: f.filename,
      status: f.status,
      ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
      additions: 0,
      deletions: 0,
      changes: 0,
      ...(patch !== null ? { patch } : {}),
    };
  }

  private paginate(req: IncomingMessage, u: URL, items: unknown[], rec: RecordedRequest, res: ServerResponse, maxPerPage = 100) {
    const per = Math.min(maxPerPage, Math.max(1, Number(u.searchParams.get('per_page') ?? 30) || 30));
    const pageNo = Math.max(1, Number(u.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / per));
    const link = (p: number) => {
      const x = new URL(u.pathname + u.search, `http://${req.headers.host}`);
      x.searchParams.set('page', String(p));
      x.searchParams.set('per_page', String(per));
      return x.toString();
    };
    const rels: string[] = [];
    if (pageNo < last) rels.push(`<${link(pageNo + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    if (pageNo > 1) rels.push(`<${link(1)}>; rel="first"`, `<${link(pageNo - 1)}>; rel="prev"`);
    rec.status = 200;
    json(res, 200, items.slice((pageNo - 1) * per, pageNo * per), rels.length ? { link: rels.join(', ') } : {});
  }
}

/** Where a link leads in a tree (a normal file's path), or null (outside, dangling, a directory, a loop). */
function followLink(tree: Map<string, Buffer>, links: Set<string>, path: string): string | null {
  let p = path;
  for (let hops = 0; hops < 40 && links.has(p); hops++) {
    const text = tree.get(p)?.toString() ?? '';
    if (text.startsWith('/')) return null;
    const parts = p.split('/').slice(0, -1);
    for (const c of text.split('/')) {
      if (c === '' || c === '.') continue;
      if (c === '..') {
        if (!parts.length) return null;
        parts.pop();
      } else parts.push(c);
    }
    p = parts.join('/');
  }
  return !links.has(p) && tree.has(p) ? p : null;
}

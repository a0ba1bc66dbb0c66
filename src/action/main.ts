// The GitHub Action: pull request → changed migrations (REST API, no checkout) → engine →
// approvals → summary comment, inline review comments, commit status, job summary, annotations,
// SARIF and JSON report. Never executes anything from the pull request, so it is safe under
// `pull_request_target`. Everything that can fail closed does: an unreadable migration, the
// 3000-file cap, a broken policy file or a team that cannot be looked up never pass silently.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import * as core from '@actions/core';
import { rules as allRules } from '../../rules/index.js';
import { VERSION } from '../cli/main.js';
import { ConfigError, MODES, parseConfigText, validateConfig, type Config, type Mode } from '../config/index.js';
import { parse as parseYaml } from 'yaml';
import { prismaProvider } from '../extract/dialect.js';
import {
  annotations,
  decide,
  isSummaryComment,
  latestVotes,
  parseInlineMarker,
  planInline,
  renderJobSummary,
  renderSummary,
  reportOnlyDescription,
  requiredTeams,
  type ApprovalInput,
  type Decision,
  type ExistingComment,
  type Permission,
  type Review,
} from '../decide/index.js';
import { isSelected } from '../discover/index.js';
import { historySummary } from '../history/collect.js';
import { actionHistory } from './history.js';
import { prewarmReplay, run as runEngine } from '../engine.js';
import { parseDatabaseUrl } from '../replay/url.js';
import { GitHubApiError, type ApiUser, type GitHubApi, type PullFile } from '../github/api.js';
import { DEFAULT_REQUEST_TIMEOUT_S, octokitApi, type OctokitApiOptions } from '../github/octokit.js';
import { mergeGroupReview } from './merge-group.js';
import { dedupeInline, dedupeSummary } from './dedupe.js';
import { fence } from '../report/markdown.js';
import { toSarif } from '../report/sarif.js';
import type { Result, SourceFile } from '../types.js';
import { pool } from './pool.js';
import { gitBlobSha, headLinks, type LinkedPath } from './links.js';
import { recordError, reviewRecorder } from './record.js';

/** GitHub lists at most 3000 files of a pull request: at the cap we cannot see them all. */
export const MAX_FILES = 3000;
const FULL_ACTIONS = new Set(['opened', 'synchronize', 'reopened', 'ready_for_review']);
const REVIEW_ACTIONS = new Set(['submitted', 'edited', 'dismissed']);
const COMMENT_MODES = ['summary', 'inline', 'both', 'none'] as const;
type CommentMode = (typeof COMMENT_MODES)[number];
const READ_CONCURRENCY = 16;

/** An error that stops the review: reported, status `error`, job failed. Never a pass. */
class FatalError extends Error {
  override name = 'FatalError';
}

/** Text from the pull request (paths, messages) on one log line: no newlines, no control characters,
 * so it can never start a line with a `::workflow-command::`. */
export function logSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, '�');
}

/** Where the policy comes from: a path in this repository (read at the base commit), or another repository at a ref. */
export type ConfigSource = { kind: 'local'; path: string } | { kind: 'remote'; owner: string; repo: string; path: string; ref: string };

/**
 * The `config` input: `path/in/this/repo.yml` (read at the pull request's base commit), or
 * `owner/repo/path/to/file.yml@ref` (another repository, an org-wide policy). A value with an `@`
 * is the remote form; a local path that contains `@` is written with a leading `./`.
 */
export function parseConfigInput(raw: string): ConfigSource {
  const v = raw.trim();
  const bad = (why: string) => new FatalError(`input config ${why}, got ${logSafe(v).slice(0, 200)}`);
  const safePath = (p: string) => !!p && !p.startsWith('/') && !p.split('/').includes('..') && !p.split('/').includes('');
  if (v.startsWith('./') || !v.includes('@')) {
    const path = v.replace(/^\.\//, '') || '.github/migration-gate.yml';
    if (!safePath(path)) throw bad('must be a path inside the repository (or owner/repo/path@ref)');
    return { kind: 'local', path };
  }
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})\/([^@]+)@([^@\s]+)$/.exec(v);
  if (!m || !safePath(m[3]) || m[2] === '.' || m[2] === '..' || m[4].includes('..') || m[4].startsWith('-')) {
    throw bad('with an @ must be owner/repo/path/to/policy.yml@ref (an org-wide policy; write ./path for a local path that contains @)');
  }
  return { kind: 'remote', owner: m[1], repo: m[2], path: m[3], ref: m[4] };
}

export function describeConfigSource(c: ConfigSource): string {
  return c.kind === 'local' ? c.path : `${c.owner}/${c.repo}/${c.path}@${c.ref}`;
}

/**
 * Options set through `with:` (they override the policy file's). Returns the validated partial
 * config; errors name the input and list the allowed values.
 */
export function configFromInputs(get: (name: string) => string): Config {
  const raw: Record<string, unknown> = {};
  const list = (name: string) =>
    get(name)
      .split('\n')
      .map((x) => x.trim())
      .filter(Boolean);
  const bool = (name: string): boolean | undefined => {
    const v = get(name).trim().toLowerCase();
    if (!v) return undefined;
    if (['true', 'yes', 'on'].includes(v)) return true;
    if (['false', 'no', 'off'].includes(v)) return false;
    throw new FatalError(`input ${name} must be true or false, got ${logSafe(v).slice(0, 60)}`);
  };
  const names: Record<string, string> = {};
  if (list('include').length) ((raw.include = list('include')), (names.include = 'include'));
  if (list('exclude').length) ((raw.exclude = list('exclude')), (names.exclude = 'exclude'));
  for (const [input, key] of [
    ['dialect', 'dialect'],
    ['down', 'down'],
  ] as const) {
    const v = get(input).trim();
    if (v) ((raw[key] = v), (names[key] = input));
  }
  // Seconds: a number for the schema to bound; other text reaches it as text and is refused there.
  const rt = get('replay-timeout').trim();
  if (rt) ((raw.replayTimeout = /^\d+(?:\.\d+)?$/.test(rt) ? Number(rt) : rt), (names.replayTimeout = 'replay-timeout'));
  for (const [input, key] of [
    ['replay', 'replay'],
    ['inline-suppressions', 'inlineSuppressions'],
  ] as const) {
    const b = bool(input);
    if (b !== undefined) ((raw[key] = b), (names[key] = input));
  }
  const rules = get('rules').trim();
  if (rules) {
    let parsed: unknown;
    try {
      parsed = parseYaml(rules);
    } catch (e) {
      throw new FatalError(`input rules is not valid YAML (a mapping of rule id to off, a severity or { severity, gating, off }): ${(e as Error).message.split('\n')[0]}`);
    }
    raw.rules = parsed;
    names.rules = 'rules';
  }
  if (!Object.keys(raw).length) return {};
  try {
    return validateConfig(raw, 'the action inputs (with:)');
  } catch (e) {
    // The schema's messages name config keys: name the inputs instead.
    let msg = (e as Error).message;
    for (const [key, input] of Object.entries(names)) if (key !== input) msg = msg.replaceAll(`  - ${key}`, `  - ${input}`);
    throw new ConfigError(msg);
  }
}

/** The policy file's config with the `with:` inputs on top (rules merged per rule id). */
export function mergeConfig(file: Config, inputs: Config): Config {
  const out: Config = { ...file, ...inputs };
  if (file.rules && inputs.rules) out.rules = { ...file.rules, ...inputs.rules };
  return out;
}

interface Inputs {
  token: string;
  config: ConfigSource;
  /** Options from `with:` (override the policy file). */
  overrides: Config;
  /** Longest time one API call may take (ms). */
  timeoutMs: number;
  context: string;
  comment: CommentMode;
  failJob: boolean;
  /** From the workflow (trusted); unset: the base commit's config decides, else gate. */
  mode?: Mode;
  /** `database-url` (or MIGRATION_GATE_DATABASE_URL): a MySQL/MariaDB server to replay on; masked in the log, never echoed. */
  databaseUrl?: string;
}

function readInputs(): Inputs {
  const token = core.getInput('github-token');
  if (!token) throw new FatalError('input github-token is empty: pass `github-token: ${{ github.token }}` (the default) or a token with the permissions in the docs.');
  core.setSecret(token);
  const config = parseConfigInput(core.getInput('config') || '.github/migration-gate.yml');
  const t = core.getInput('request-timeout').trim();
  const timeoutS = t ? Number(t) : DEFAULT_REQUEST_TIMEOUT_S;
  if (!Number.isFinite(timeoutS) || timeoutS < 0.1 || timeoutS > 600) throw new FatalError(`input request-timeout must be a number of seconds between 0.1 and 600, got ${logSafe(t).slice(0, 60)}`);
  const context = core.getInput('status-context') || 'migration-gate';
  const comment = (core.getInput('comment') || 'both').toLowerCase();
  if (!(COMMENT_MODES as readonly string[]).includes(comment)) throw new FatalError(`input comment must be one of ${COMMENT_MODES.join(', ')}, got ${logSafe(comment)}`);
  let failJob: boolean;
  try {
    failJob = core.getInput('fail-job') ? core.getBooleanInput('fail-job') : true;
  } catch {
    throw new FatalError(`input fail-job must be true or false, got ${logSafe(core.getInput('fail-job'))}`);
  }
  const mode = core.getInput('mode').trim().toLowerCase();
  if (mode && !(MODES as readonly string[]).includes(mode)) throw new FatalError(`input mode must be one of ${MODES.join(', ')}, got ${logSafe(mode)}`);
  const overrides = configFromInputs((n) => core.getInput(n));
  const databaseUrl = core.getInput('database-url').trim() || process.env.MIGRATION_GATE_DATABASE_URL?.trim() || undefined;
  if (databaseUrl) {
    core.setSecret(databaseUrl);
    try {
      const pw = parseDatabaseUrl(databaseUrl).password;
      if (pw) core.setSecret(String(pw));
    } catch (e) {
      // The parser's messages never quote the URL.
      throw new FatalError(`input database-url: ${(e as Error).message}`);
    }
  }
  return { token, config, overrides, timeoutMs: Math.round(timeoutS * 1000), context, comment: comment as CommentMode, failJob, ...(mode ? { mode: mode as Mode } : {}), ...(databaseUrl ? { databaseUrl } : {}) };
}

interface Pr {
  number: number;
  headSha: string;
  baseSha: string;
  author: string;
  changedFiles?: number;
}

function readEvent(env: NodeJS.ProcessEnv): { name: string; action: string; payload: any } {
  const name = env.GITHUB_EVENT_NAME ?? '';
  const path = env.GITHUB_EVENT_PATH;
  let payload: any = {};
  if (path) {
    try {
      payload = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new FatalError(`cannot read the event payload at GITHUB_EVENT_PATH: ${(e as Error).message}`);
    }
  }
  return { name, action: String(payload?.action ?? ''), payload };
}

function prOf(payload: any): Pr {
  const pr = payload?.pull_request;
  const sha = (s: unknown) => (typeof s === 'string' && /^[0-9a-f]{40}$/i.test(s) ? s : null);
  const headSha = sha(pr?.head?.sha);
  const baseSha = sha(pr?.base?.sha);
  const number = Number(pr?.number ?? payload?.number);
  if (!pr || !headSha || !baseSha || !Number.isInteger(number) || number <= 0) throw new FatalError('the event payload has no usable pull_request (number, head.sha, base.sha)');
  return {
    number,
    headSha,
    baseSha,
    author: String(pr.user?.login ?? ''),
    ...(typeof pr.changed_files === 'number' ? { changedFiles: pr.changed_files } : {}),
  };
}

function repoOf(env: NodeJS.ProcessEnv, payload: any): { owner: string; repo: string } {
  const full = env.GITHUB_REPOSITORY || payload?.repository?.full_name || '';
  const [owner, repo] = String(full).split('/');
  if (!owner || !repo) throw new FatalError('GITHUB_REPOSITORY is not set (expected owner/repo)');
  return { owner, repo };
}

function describeApiError(e: unknown): string {
  return e instanceof GitHubApiError ? e.message : (e as Error)?.message ?? String(e);
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Builds the API client (tests may pass a fake). */
  api?: (o: OctokitApiOptions) => GitHubApi;
}

/** The action's entry point. Never throws: every failure ends in one core.setFailed. */
export async function run(opts: RunOptions = {}): Promise<void> {
  const env = opts.env ?? process.env;
  const ctx: { api?: GitHubApi; sha?: string; context?: string; targetUrl?: string; pending?: Promise<unknown> } = {};
  try {
    await review(env, opts.api ?? octokitApi, ctx);
  } catch (e) {
    const msg = e instanceof FatalError || e instanceof ConfigError || e instanceof GitHubApiError ? e.message : `internal error: ${(e as Error)?.stack ?? e}`;
    core.setOutput('verdict', 'fail');
    if (ctx.api && ctx.sha && ctx.context) {
      try {
        await ctx.api.createStatus(ctx.sha, 'error', ctx.context, `could not verify: ${logSafe(msg.split('\n')[0])}`.slice(0, 140), ctx.targetUrl);
      } catch (se) {
        core.warning(`cannot set the commit status: ${logSafe(describeApiError(se))}`);
      }
      // After the record's own `pending`, which may still be on its way.
      await ctx.pending?.catch(() => {});
      await recordError(ctx.api, ctx.sha, ctx.context, ctx.targetUrl);
    }
    try {
      // The message may quote PR file names: a fence, never raw HTML (core's addCodeBlock does not escape).
      await core.summary.addRaw(`## ⚠️ migration-gate could not verify this pull request\n\n${fence(msg)}\n\nThe status is \`error\` and the verdict \`fail\` until a run completes.\n`).write();
    } catch {
      /* no GITHUB_STEP_SUMMARY: the log has it */
    }
    core.setFailed(`migration-gate: ${logSafe(msg).slice(0, 4000)}`);
  }
}

export type RunCtx = { api?: GitHubApi; sha?: string; context?: string; targetUrl?: string };

async function review(env: NodeJS.ProcessEnv, makeApi: (o: OctokitApiOptions) => GitHubApi, ctx: { api?: GitHubApi; sha?: string; context?: string; targetUrl?: string; pending?: Promise<unknown> }): Promise<void> {
  const event = readEvent(env);
  const full = (event.name === 'pull_request' || event.name === 'pull_request_target') && FULL_ACTIONS.has(event.action);
  const onReview = event.name === 'pull_request_review' && REVIEW_ACTIONS.has(event.action);
  if (event.name === 'merge_group') {
    const inputs = readInputs();
    const { owner, repo } = repoOf(env, event.payload);
    const api = makeApi({ token: inputs.token, owner, repo, baseUrl: env.GITHUB_API_URL || undefined, warn: (m) => core.info(logSafe(m)), timeoutMs: inputs.timeoutMs });
    return mergeGroupReview({ env, payload: event.payload, api, context: inputs.context, failJob: inputs.failJob, ctx, logSafe, owner, repo, fatal: (m) => new FatalError(m) });
  }
  if (!full && !onReview) {
    core.notice(
      `migration-gate: nothing to do for event '${logSafe(event.name || '(none)')}'${event.action ? ` (action '${logSafe(event.action)}')` : ''}. ` +
        `It runs on pull_request / pull_request_target (opened, synchronize, reopened, ready_for_review), pull_request_review (submitted, edited, dismissed) and merge_group.`,
    );
    return;
  }
  const inputs = readInputs();
  const pr = prOf(event.payload);
  const { owner, repo } = repoOf(env, event.payload);
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const runUrl = env.GITHUB_RUN_ID ? `${server}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    core.warning(logSafe(m));
  };
  const api = makeApi({ token: inputs.token, owner, repo, baseUrl: env.GITHUB_API_URL || undefined, warn: (m) => core.info(logSafe(m)), timeoutMs: inputs.timeoutMs });
  Object.assign(ctx, { api, sha: pr.headSha, context: inputs.context, targetUrl: runUrl });
  core.info(`migration-gate ${VERSION}: ${event.name} (${logSafe(event.action)}) on ${owner}/${repo}#${pr.number} at ${pr.headSha}`);

  let statusDenied = false;
  const setStatus = async (state: 'pending' | 'success' | 'failure', description: string) => {
    if (statusDenied) return;
    try {
      await api.createStatus(pr.headSha, state, inputs.context, description, runUrl);
    } catch (e) {
      statusDenied = true;
      const s = e instanceof GitHubApiError ? e.status : 0;
      warn(
        s === 403 || s === 404
          ? `Cannot set the commit status '${inputs.context}' (HTTP ${s}): the token needs \`statuses: write\` (a fork's pull_request token is read-only; use pull_request_target). The verdict is in this job's summary and outputs.`
          : `Cannot set the commit status '${inputs.context}': ${describeApiError(e)}`,
      );
    }
  };
  // The pending status, the policy and the file list are requested at once (writes still go one
  // at a time, so `pending` is set before any later status).
  const pending = setStatus('pending', 'reviewing migrations…');
  // What this review covers, for `migration-gate verify` at deploy time (src/action/record.ts).
  const record = reviewRecorder({ api, sha: pr.headSha, context: inputs.context, targetUrl: runUrl, skip: () => statusDenied, warn });
  const recordPending = pending.then(() => record.pending());
  ctx.pending = recordPending;
  if (pr.changedFiles !== undefined && pr.changedFiles >= MAX_FILES) {
    await recordPending;
    throw capError(pr.changedFiles);
  }
  const listing = api.listPullFiles(pr.number, MAX_FILES);
  listing.catch(() => {}); // awaited below; a policy error may end the run first
  // The head commit's tree tells symbolic links (mode 120000) from files (src/action/links.ts).
  const headTree = api.getTree(pr.headSha);
  headTree.catch(() => {});

  // Policy from the BASE commit (or an org-wide file at a fixed ref), never from the pull request.
  const policy = await readPolicy(inputs.config, pr.baseSha, api, (o, r) => makeApi({ token: inputs.token, owner: o, repo: r, baseUrl: env.GITHUB_API_URL || undefined, warn: (m) => core.info(logSafe(m)), timeoutMs: inputs.timeoutMs }));
  const config: Config = mergeConfig(policy.config, inputs.overrides);
  if (Object.keys(inputs.overrides).length) core.info(`options from the workflow inputs: ${Object.keys(inputs.overrides).join(', ')}`);
  // The workflow input, else the BASE commit's config: a pull request cannot switch itself to report-only.
  const mode: Mode = inputs.mode ?? config.mode ?? 'gate';
  const reportOnly = mode === 'report';
  if (reportOnly) core.info(`mode: report (report-only rollout, from ${inputs.mode ? 'the workflow input' : 'the base config'}): the status stays green`);
  core.info(policy.found ? `policy: ${policy.label}` : `policy: defaults (no ${inputs.config.kind === 'local' ? inputs.config.path : ''} on the base branch)`);

  // The pull request's files, through the API.
  await recordPending;
  const { files, capped } = await listing;
  if (capped) throw capError(files.length);
  const selected = files.filter((f) => f.status !== 'removed' && isSelected(f.filename, config));
  core.info(`${files.length} changed file(s), ${selected.length} selected as migrations`);
  // The sandbox's worker starts on another core while the files and the history are fetched.
  if (selected.length && (config.replay ?? true) && availableParallelism() > 1) prewarmReplay('postgresql');

  // Read each selected file at the head commit; a file that cannot be read fails the review.
  const hints = new Map<string, Promise<SourceFile['dialectHint'] | null>>();
  const prismaHint = (path: string) => {
    const m = /^(.*\/)?migrations\/[^/]+\/migration\.sql$/.exec(path);
    if (!m) return Promise.resolve(null);
    const lock = posix.join(dirname(dirname(path)), 'migration_lock.toml');
    if (!hints.has(lock)) {
      hints.set(
        lock,
        api.getContent(lock, pr.headSha).then(
          (b) => (b ? prismaProvider(new TextDecoder().decode(b)) : null),
          () => null,
        ),
      );
    }
    return hints.get(lock)!;
  };
  // Symbolic links: a linked migration is reviewed as the runner reads it (the target's content
  // under the link's name) and reported; one that leads nowhere readable gates (rules/migration-symlink.ts).
  const links = await headLinks({ api, tree: headTree, files, isSelected: (p) => isSelected(p, config) });
  for (const n of links.notes) warn(n);
  const readLinked = async (l: LinkedPath): Promise<SourceFile> => {
    let content: Uint8Array = new Uint8Array();
    if (l.blobSha) {
      try {
        content = await api.getBlob(l.blobSha);
      } catch (e) {
        throw new FatalError(`cannot read ${l.link.resolved}, the target of the symbolic link ${l.path}, at ${pr.headSha.slice(0, 7)}: ${describeApiError(e)}. Nothing was verified; re-run the job.`);
      }
    }
    const hint = await prismaHint(l.path);
    return { path: l.path, content, link: l.link, ...(hint ? { dialectHint: hint } : {}) };
  };
  const sources = await pool(selected, READ_CONCURRENCY, async (f): Promise<SourceFile> => {
    const linked = links.changed.get(f.filename);
    if (linked) return readLinked(linked);
    let content: Uint8Array | null;
    try {
      content = await api.getContent(f.filename, pr.headSha);
    } catch (e) {
      throw new FatalError(`cannot read migration ${f.filename} at ${pr.headSha.slice(0, 7)}: ${describeApiError(e)}. Nothing was verified; re-run the job.`);
    }
    if (content === null) throw new FatalError(`cannot read migration ${f.filename} at ${pr.headSha.slice(0, 7)}: not found. Nothing was verified.`);
    const hint = await prismaHint(f.filename);
    // Without the head tree, a link is told by its SHA: the contents API answers a link inside the
    // repository with the target's bytes, which are not the blob the file list names.
    if (!links.known && f.sha && gitBlobSha(content) !== f.sha.toLowerCase()) {
      return { path: f.filename, content: new Uint8Array(), link: { target: '', resolved: null, problem: 'unknown' }, ...(hint ? { dialectHint: hint } : {}) };
    }
    return hint ? { path: f.filename, content, dialectHint: hint } : { path: f.filename, content };
  });
  const reviewed = new Set(sources.map((s) => s.path));
  for (const s of await pool(links.aliases.filter((a) => !reviewed.has(a.path)), READ_CONCURRENCY, readLinked)) {
    if (reviewed.has(s.path)) continue;
    reviewed.add(s.path);
    sources.push(s);
  }
  const changes = files.map((f) => (links.changed.has(f.filename) ? { ...f, link: links.changed.get(f.filename)!.link } : f));

  // History: the earlier migrations of the changed files' sets, from the BASE commit.
  const hist = await actionHistory({ api, baseSha: pr.baseSha, sources, workspace: env.GITHUB_WORKSPACE, info: (m) => core.info(logSafe(m)) });
  for (const n of hist.notes) warn(n);

  // The file list also feeds the integrity rules (merged migrations edited, policy/workflow edits).
  // A pull request's migrations are one change: what one of them creates and another drops never existed before it.
  // gate-config-changed watches the policy file when it lives in this repository.
  const policyPath = inputs.config.kind === 'local' ? inputs.config.path : inputs.config.owner === owner && inputs.config.repo === repo ? inputs.config.path : '\u0000none';
  const result = await runEngine(sources, { config, changes, policyPath, history: hist.history, units: 'together', ...(inputs.databaseUrl ? { databaseUrl: inputs.databaseUrl } : {}) });
  core.info(`${result.summary.findings} finding(s), ${result.summary.gating} gating`);

  // Approvals.
  const input = await approvalInput(api, pr, result, config, warn);
  const decision = decide(result, config, input);
  for (const e of decision.errors) core.warning(logSafe(e)); // the summary shows them already

  // Reports: JSON, SARIF, outputs.
  const dir = join(env.RUNNER_TEMP || tmpdir(), 'migration-gate');
  mkdirSync(dir, { recursive: true });
  const reportPath = join(dir, 'report.json');
  const sarifPath = join(dir, 'results.sarif');
  writeFileSync(reportPath, JSON.stringify({ ...result, verdict: decision.verdict, decision, history: { source: hist.source, sets: historySummary(hist.sets) } }, null, 2) + '\n');
  writeFileSync(sarifPath, toSarif(result, allRules, VERSION));
  core.setOutput('verdict', decision.verdict);
  core.setOutput('mode', mode);
  core.setOutput('findings', String(result.summary.findings));
  core.setOutput('gating-findings', String(result.summary.gating));
  core.setOutput('report', reportPath);
  core.setOutput('sarif', sarifPath);

  // Comments (full review only creates; a review event only updates the summary in place).
  const planNotes: string[] = [];
  const wantSummary = inputs.comment === 'summary' || inputs.comment === 'both';
  const wantInline = full && (inputs.comment === 'inline' || inputs.comment === 'both');
  const trusted = trustFilter(api);
  let commentDenied = false;
  const commentFailed = (what: string, e: unknown) => {
    if (commentDenied) return;
    const s = e instanceof GitHubApiError ? e.status : 0;
    if (s === 403 || s === 404) {
      commentDenied = true;
      warn(`Cannot ${what} (HTTP ${s}): the token needs \`pull-requests: write\` (a fork's pull_request token is read-only; use pull_request_target). Findings are in this job's summary and annotations.`);
    } else warn(`Cannot ${what}: ${describeApiError(e)}`);
  };

  let reviewPlan: ReturnType<typeof planInline> | null = null;
  if (wantInline) {
    try {
      const existing: ExistingComment[] = [];
      for (const c of await api.listReviewComments(pr.number)) {
        if (parseInlineMarker(c.body) !== null && (await trusted(c.user))) existing.push({ id: c.id, body: c.body, path: c.path, line: c.line });
      }
      const patches: Record<string, string | undefined> = {};
      for (const f of files) patches[f.filename] = f.patch;
      reviewPlan = planInline(result, patches, existing);
      if (reviewPlan.outsideDiff.length) planNotes.push(`${reviewPlan.outsideDiff.length} finding(s) are on lines outside the diff and are listed only in this summary.`);
    } catch (e) {
      commentFailed('read the review comments', e);
    }
  }
  const notes = () => [...planNotes, ...warnings];

  if (wantSummary && !commentDenied) {
    try {
      const comments = await api.listIssueComments(pr.number);
      let mine = null;
      for (const c of comments) {
        if (isSummaryComment(c.body) && (await trusted(c.user))) {
          mine = c;
          break;
        }
      }
      const body = renderSummary(result, decision, { headSha: pr.headSha, runUrl, notes: notes(), reportOnly });
      if (mine) {
        if (mine.body !== body) await api.updateIssueComment(mine.id, body);
      } else if (full && result.findings.some((f) => f.gating || f.severity !== 'info')) {
        const id = await api.createIssueComment(pr.number, body);
        // Another run on the same pull request may have posted at the same time: keep the oldest.
        await dedupeSummary(api, pr.number, id, body, trusted, (m) => core.info(logSafe(m)));
      }
    } catch (e) {
      commentFailed('post the summary comment', e);
    }
  }

  if (reviewPlan && !commentDenied) {
    try {
      if (reviewPlan.create.length) {
        const n = reviewPlan.create.length;
        await api.createReview(
          pr.number,
          pr.headSha,
          `migration-gate: ${n} finding${n === 1 ? '' : 's'} on the changed lines. The summary comment has the verdict and the approvals each category needs.`,
          reviewPlan.create.map((c) => ({ path: c.path, line: c.line, body: c.body })),
        );
      }
      for (const r of reviewPlan.resolve) await api.updateReviewComment(r.id, r.body);
      // Another run may have posted the same findings at the same time: keep the oldest of each.
      if (reviewPlan.create.length) await dedupeInline(api, pr.number, trusted, (m) => core.info(logSafe(m)));
    } catch (e) {
      commentFailed('post the inline review comments', e);
    }
  }

  // Job summary and annotations (always: they need no write permission).
  try {
    await core.summary.addRaw(renderJobSummary(result, decision, { headSha: pr.headSha, runUrl, notes: notes(), reportOnly })).write();
  } catch (e) {
    core.warning(`cannot write the job summary: ${logSafe((e as Error).message)}`);
  }
  for (const a of annotations(result)) {
    const props = { title: a.title, file: a.file, startLine: a.startLine, endLine: a.endLine };
    if (a.level === 'error') core.error(a.message, props);
    else if (a.level === 'warning') core.warning(a.message, props);
    else core.notice(a.message, props);
  }

  await record.done(files, sources, decision);
  if (reportOnly) {
    // Report-only rollout: everything above as usual, but the check stays green and the job passes.
    const description = reportOnlyDescription(decision);
    await setStatus('success', description);
    core.info(`verdict: ${decision.verdict} (report-only, not enforced) — ${description}`);
    return;
  }
  await setStatus(decision.verdict === 'pass' ? 'success' : 'failure', decision.description);
  core.info(`verdict: ${decision.verdict} — ${decision.description}`);
  if (decision.verdict !== 'pass' && inputs.failJob) core.setFailed(`migration-gate: ${decision.verdict === 'blocked' ? '' : `${decision.verdict}: `}${decision.description}`);
}

/** The policy file: at the base commit (missing: defaults), or the org-wide file at its ref (missing: an error). */
async function readPolicy(
  src: ConfigSource,
  baseSha: string,
  api: GitHubApi,
  other: (owner: string, repo: string) => GitHubApi,
): Promise<{ config: Config; found: boolean; label: string }> {
  if (src.kind === 'local') {
    const label = `${src.path} (base ${baseSha.slice(0, 7)})`;
    let bytes: Uint8Array | null;
    try {
      bytes = await api.getContent(src.path, baseSha);
    } catch (e) {
      throw new FatalError(`cannot read the policy file ${src.path} at the base commit ${baseSha.slice(0, 7)}: ${describeApiError(e)}. Nothing was verified; re-run the job.`);
    }
    return bytes ? { config: parseConfigText(new TextDecoder().decode(bytes), label), found: true, label: `${src.path} at base ${baseSha.slice(0, 7)}` } : { config: {}, found: false, label };
  }
  const where = `${src.owner}/${src.repo}/${src.path}@${src.ref}`;
  const perm = `The token must read ${src.owner}/${src.repo} (contents: read): GITHUB_TOKEN reads only the workflow's own repository, so use a GitHub App installation token or a fine-grained token with Contents: read on ${src.owner}/${src.repo}.`;
  let bytes: Uint8Array | null;
  try {
    bytes = await other(src.owner, src.repo).getContent(src.path, src.ref);
  } catch (e) {
    const s = e instanceof GitHubApiError ? e.status : 0;
    throw new FatalError(`cannot read the org-wide policy ${where}: ${describeApiError(e)}.${s === 401 || s === 403 ? ` ${perm}` : ' Nothing was verified; re-run the job.'}`);
  }
  // An org-wide policy that was asked for and is not there is an error, never the defaults.
  if (!bytes) throw new FatalError(`cannot read the org-wide policy ${where}: not found (no such repository, path or ref, or the token cannot see the repository). ${perm}`);
  return { config: parseConfigText(new TextDecoder().decode(bytes), where), found: true, label: where };
}

function capError(n: number): FatalError {
  return new FatalError(
    `this pull request changes ${n} files; GitHub lists at most ${MAX_FILES} files of a pull request, so migrations beyond that cannot be seen or verified. Split the pull request.`,
  );
}

/**
 * Is a comment ours? Only comments by a bot (the Actions token) or by the token's own user: anyone
 * can paste our hidden markers into their own comment, and we must not adopt or edit it.
 */
function trustFilter(api: GitHubApi): (u: ApiUser | null) => Promise<boolean> {
  let viewer: Promise<string | null> | undefined;
  return async (u) => {
    if (!u) return false;
    if (u.type === 'Bot') return true;
    viewer ??= api.viewerLogin();
    const me = await viewer;
    return !!me && me.toLowerCase() === u.login.toLowerCase();
  };
}

async function approvalInput(api: GitHubApi, pr: Pr, result: Result, config: Config, warn: (m: string) => void): Promise<ApprovalInput> {
  const input: ApprovalInput = { author: pr.author, headSha: pr.headSha, reviews: [], permissions: {}, teams: {}, changedSince: {} };
  if (!result.findings.some((f) => f.gating)) return input;
  input.reviews = (await api.listReviews(pr.number))
    .filter((r) => r.user)
    .map((r): Review => ({ user: r.user!.login, userType: r.user!.type, state: r.state, commitId: r.commitId, submittedAt: r.submittedAt, id: r.id }));
  const approvers = latestVotes(input.reviews).filter((r) => r.state.toUpperCase() === 'APPROVED' && r.userType !== 'Bot' && !/\[bot\]$/i.test(r.user) && r.user.toLowerCase() !== pr.author.toLowerCase());
  await pool(approvers, READ_CONCURRENCY, async (r) => {
    try {
      input.permissions[r.user] = (await api.getPermission(r.user)) as Permission;
    } catch (e) {
      warn(`cannot read ${r.user}'s permission on the repository (${describeApiError(e)}): their approval does not count.`);
    }
  });
  for (const slug of requiredTeams(result, config)) {
    const [org, team] = slug.split('/');
    try {
      input.teams[slug] = await api.listTeamMembers(org, team);
    } catch (e) {
      const s = e instanceof GitHubApiError ? e.status : 0;
      input.teams[slug] = {
        error: s === 403 || s === 404 ? `HTTP ${s}: the team does not exist or the token cannot read it (needs read:org)` : describeApiError(e),
      };
    }
  }
  const commits = [...new Set(approvers.map((r) => r.commitId).filter((c): c is string => !!c && c !== pr.headSha))];
  await pool(commits, READ_CONCURRENCY, async (c) => {
    try {
      const cmp = await api.compare(c, pr.headSha);
      // Only a head that descends from the approved commit has a meaningful "changed since".
      input.changedSince[c] = cmp.complete && (cmp.status === 'ahead' || cmp.status === 'identical') ? cmp.files : null;
    } catch {
      input.changedSince[c] = null;
    }
  });
  return input;
}

export type { Decision };

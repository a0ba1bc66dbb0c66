// The GitHub Action: pull request → changed migrations (REST API, no checkout) → engine →
// approvals → summary comment, inline review comments, commit status, job summary, annotations,
// SARIF and JSON report. Never executes anything from the pull request, so it is safe under
// `pull_request_target`. Everything that can fail closed does: an unreadable migration, the
// 3000-file cap, a broken policy file or a team that cannot be looked up never pass silently.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import * as core from '@actions/core';
import { rules as allRules } from '../../rules/index.js';
import { VERSION } from '../cli/main.js';
import { ConfigError, MODES, parseConfigText, type Config, type Mode } from '../config.js';
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
import { isSelected } from '../discover.js';
import { historySummary } from '../history/collect.js';
import { actionHistory } from './history.js';
import { run as runEngine } from '../engine.js';
import { GitHubApiError, type ApiUser, type GitHubApi, type PullFile } from '../github/api.js';
import { octokitApi, type OctokitApiOptions } from '../github/octokit.js';
import { toJson } from '../report/json.js';
import { fence } from '../report/markdown.js';
import { toSarif } from '../report/sarif.js';
import type { Result, SourceFile } from '../types.js';
import { pool } from './pool.js';
import { recordError, reviewRecorder } from './record.js';

/** GitHub lists at most 3000 files of a pull request: at the cap we cannot see them all. */
export const MAX_FILES = 3000;
const FULL_ACTIONS = new Set(['opened', 'synchronize', 'reopened', 'ready_for_review']);
const REVIEW_ACTIONS = new Set(['submitted', 'edited', 'dismissed']);
const COMMENT_MODES = ['summary', 'inline', 'both', 'none'] as const;
type CommentMode = (typeof COMMENT_MODES)[number];
const READ_CONCURRENCY = 8;

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

interface Inputs {
  token: string;
  configPath: string;
  context: string;
  comment: CommentMode;
  failJob: boolean;
  /** From the workflow (trusted); unset: the base commit's config decides, else gate. */
  mode?: Mode;
}

function readInputs(): Inputs {
  const token = core.getInput('github-token');
  if (!token) throw new FatalError('input github-token is empty: pass `github-token: ${{ github.token }}` (the default) or a token with the permissions in the docs.');
  core.setSecret(token);
  const configPath = (core.getInput('config') || '.github/migration-gate.yml').replace(/^\.\//, '');
  if (configPath.startsWith('/') || configPath.split('/').includes('..')) throw new FatalError(`input config must be a path inside the repository, got ${logSafe(configPath)}`);
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
  return { token, configPath, context, comment: comment as CommentMode, failJob, ...(mode ? { mode: mode as Mode } : {}) };
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
  const ctx: { api?: GitHubApi; sha?: string; context?: string; targetUrl?: string } = {};
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

async function review(env: NodeJS.ProcessEnv, makeApi: (o: OctokitApiOptions) => GitHubApi, ctx: { api?: GitHubApi; sha?: string; context?: string; targetUrl?: string }): Promise<void> {
  const event = readEvent(env);
  const full = (event.name === 'pull_request' || event.name === 'pull_request_target') && FULL_ACTIONS.has(event.action);
  const onReview = event.name === 'pull_request_review' && REVIEW_ACTIONS.has(event.action);
  if (!full && !onReview) {
    core.notice(
      `migration-gate: nothing to do for event '${logSafe(event.name || '(none)')}'${event.action ? ` (action '${logSafe(event.action)}')` : ''}. ` +
        `It runs on pull_request / pull_request_target (opened, synchronize, reopened, ready_for_review) and pull_request_review (submitted, edited, dismissed).`,
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
  const api = makeApi({ token: inputs.token, owner, repo, baseUrl: env.GITHUB_API_URL || undefined, warn: (m) => core.info(logSafe(m)) });
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
  await setStatus('pending', 'reviewing migrations…');
  // What this review covers, for `migration-gate verify` at deploy time (src/action/record.ts).
  const record = reviewRecorder({ api, sha: pr.headSha, context: inputs.context, targetUrl: runUrl, skip: () => statusDenied, warn });
  await record.pending();

  // Policy from the BASE commit, never from the pull request.
  const configBytes = await api.getContent(inputs.configPath, pr.baseSha);
  const config: Config = configBytes ? parseConfigText(new TextDecoder().decode(configBytes), `${inputs.configPath} (base ${pr.baseSha.slice(0, 7)})`) : {};
  // The workflow input, else the BASE commit's config: a pull request cannot switch itself to report-only.
  const mode: Mode = inputs.mode ?? config.mode ?? 'gate';
  const reportOnly = mode === 'report';
  if (reportOnly) core.info(`mode: report (report-only rollout, from ${inputs.mode ? 'the workflow input' : 'the base config'}): the status stays green`);
  core.info(configBytes ? `policy: ${inputs.configPath} at base ${pr.baseSha.slice(0, 7)}` : `policy: defaults (no ${inputs.configPath} on the base branch)`);

  // The pull request's files, through the API.
  if (pr.changedFiles !== undefined && pr.changedFiles >= MAX_FILES) throw capError(pr.changedFiles);
  const { files, capped } = await api.listPullFiles(pr.number, MAX_FILES);
  if (capped) throw capError(files.length);
  const selected = files.filter((f) => f.status !== 'removed' && isSelected(f.filename, config));
  core.info(`${files.length} changed file(s), ${selected.length} selected as migrations`);

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
  const sources = await pool(selected, READ_CONCURRENCY, async (f): Promise<SourceFile> => {
    let content: Uint8Array | null;
    try {
      content = await api.getContent(f.filename, pr.headSha);
    } catch (e) {
      throw new FatalError(`cannot read migration ${f.filename} at ${pr.headSha.slice(0, 7)}: ${describeApiError(e)}. Nothing was verified; re-run the job.`);
    }
    if (content === null) throw new FatalError(`cannot read migration ${f.filename} at ${pr.headSha.slice(0, 7)}: not found. Nothing was verified.`);
    const hint = await prismaHint(f.filename);
    return hint ? { path: f.filename, content, dialectHint: hint } : { path: f.filename, content };
  });

  // History: the earlier migrations of the changed files' sets, from the BASE commit.
  const hist = await actionHistory({ api, baseSha: pr.baseSha, sources, workspace: env.GITHUB_WORKSPACE, info: (m) => core.info(logSafe(m)) });
  for (const n of hist.notes) warn(n);

  // The file list also feeds the integrity rules (merged migrations edited, policy/workflow edits).
  // A pull request's migrations are one change: what one of them creates and another drops never existed before it.
  const result = await runEngine(sources, { config, changes: files, policyPath: inputs.configPath, history: hist.history, units: 'together' });
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
  const report = JSON.parse(toJson(result));
  writeFileSync(reportPath, JSON.stringify({ ...report, verdict: decision.verdict, decision, history: { source: hist.source, sets: historySummary(hist.sets) } }, null, 2) + '\n');
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
      } else if (full && result.findings.some((f) => f.gating || f.severity !== 'info')) await api.createIssueComment(pr.number, body);
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

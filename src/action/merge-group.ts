// `merge_group` events (merge queues): the queue waits for the required `migration-gate` status on
// the merge group's head commit. We pass the pull requests' own verdicts through: every pull
// request in the group must have a `success` status of our context on its current head commit,
// which a full review set (with the approvals counted). Fail closed: a pull request without one
// (pending, failure, error, missing), or a group whose pull requests cannot be told, is `failure`.
// The pull requests in the group: the one named by the queue branch
// (`gh-readonly-queue/<base>/pr-<N>-<sha>`) and the open ones whose commits are in base...head.
import * as core from '@actions/core';
import type { GitHubApi } from '../github/api.js';
import { pool } from './pool.js';

const SHA = /^[0-9a-f]{40}$/i;

/** The pull request number in a merge queue branch name, or null. */
export function queuePr(headRef: string): number | null {
  const m = /(?:^|\/)gh-readonly-queue\/.+\/pr-(\d+)-[0-9a-f]{40}$/.exec(headRef);
  return m ? Number(m[1]) : null;
}

export interface MergeGroupOptions {
  env: NodeJS.ProcessEnv;
  payload: any;
  api: GitHubApi;
  context: string;
  failJob: boolean;
  ctx: { api?: GitHubApi; sha?: string; context?: string; targetUrl?: string };
  logSafe: (s: string) => string;
  owner: string;
  repo: string;
  /** An error that ends the run with status `error` (the action's FatalError). */
  fatal: (message: string) => Error;
}

export async function mergeGroupReview(o: MergeGroupOptions): Promise<void> {
  const { api, payload, context, logSafe } = o;
  const mg = payload?.merge_group;
  const action = String(payload?.action ?? '');
  if (action && action !== 'checks_requested') {
    core.notice(`migration-gate: nothing to do for merge_group action '${logSafe(action)}'`);
    return;
  }
  const headSha = String(mg?.head_sha ?? '');
  const baseSha = String(mg?.base_sha ?? '');
  const headRef = String(mg?.head_ref ?? '');
  const baseBranch = String(mg?.base_ref ?? '').replace(/^refs\/heads\//, '');
  if (!SHA.test(headSha) || !SHA.test(baseSha)) throw o.fatal('the merge_group event payload has no usable head_sha / base_sha');
  const server = (o.env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const runUrl = o.env.GITHUB_RUN_ID ? `${server}/${o.owner}/${o.repo}/actions/runs/${o.env.GITHUB_RUN_ID}` : undefined;
  Object.assign(o.ctx, { api, sha: headSha, context, targetUrl: runUrl });
  core.info(`merge_group on ${o.owner}/${o.repo}: ${logSafe(headRef)} at ${headSha}`);

  let statusDenied = false;
  const setStatus = async (state: 'pending' | 'success' | 'failure', description: string) => {
    if (statusDenied) return;
    try {
      await api.createStatus(headSha, state, context, description.slice(0, 140), runUrl);
    } catch (e) {
      statusDenied = true;
      core.warning(`Cannot set the commit status '${context}' on the merge group: ${logSafe((e as Error).message)} (the token needs statuses: write)`);
    }
  };
  await setStatus('pending', 'checking the pull requests in the merge group…');

  // Which pull requests are in the group.
  const numbers = new Set<number>();
  const named = queuePr(headRef);
  if (named !== null) numbers.add(named);
  const cmp = await api.compare(baseSha, headSha);
  const found = await pool(cmp.commits ?? [], 8, (c) => api.listCommitPulls(c));
  for (const list of found) for (const n of list) numbers.add(n);

  const rows: { pr: number; head: string; state: string; description: string; ok: boolean }[] = [];
  await pool([...numbers].sort((a, b) => a - b), 8, async (n) => {
    const pull = await api.getPull(n);
    // A commit can also belong to closed or other-branch pull requests: only the open ones into this base are in the group.
    if (n !== named && (pull.state !== 'open' || (baseBranch && pull.baseRef !== baseBranch))) return;
    if (!SHA.test(pull.headSha)) {
      rows.push({ pr: n, head: '', state: 'unknown', description: 'no head commit', ok: false });
      return;
    }
    const mine = (await api.getStatuses(pull.headSha)).find((x) => x.context === context);
    rows.push({ pr: n, head: pull.headSha, state: mine?.state ?? 'missing', description: mine?.description ?? `no ${context} status on its head`, ok: mine?.state === 'success' });
  });
  rows.sort((a, b) => a.pr - b.pr);

  let verdict: 'pass' | 'fail';
  let description: string;
  if (!rows.length) {
    verdict = 'fail';
    description = 'cannot tell which pull requests are in the merge group: failing closed';
  } else if (rows.every((r) => r.ok)) {
    verdict = 'pass';
    description = `${rows.length} pull request(s) in the merge group passed: ${rows.map((r) => `#${r.pr}`).join(', ')}`;
  } else {
    verdict = 'fail';
    const bad = rows.filter((r) => !r.ok);
    description = bad.map((r) => `#${r.pr}: ${r.state}`).join(', ') + ` (${context} must be success on each pull request's head)`;
  }
  core.setOutput('verdict', verdict);
  core.setOutput('mode', 'merge-group');
  try {
    const table = rows.map((r) => `| #${r.pr} | \`${r.head.slice(0, 7)}\` | ${r.ok ? '✅' : '❌'} ${r.state} | ${r.description.replace(/[|`<>\n\r]/g, ' ')} |`).join('\n');
    await core.summary
      .addRaw(`## migration-gate: merge group\n\n${verdict === 'pass' ? '✅' : '❌'} ${description.replace(/[<>`]/g, ' ')}\n\n| Pull request | Head | ${context} | Description |\n| --- | --- | --- | --- |\n${table}\n\nThe merge group passes when every pull request in it has \`${context}: success\` on its head commit.\n`)
      .write();
  } catch {
    /* no job summary file */
  }
  await setStatus(verdict === 'pass' ? 'success' : 'failure', description);
  core.info(`verdict: ${verdict} — ${logSafe(description)}`);
  if (verdict !== 'pass' && o.failJob) core.setFailed(`migration-gate: ${logSafe(description)}`);
}



// Two runs on the same pull request at once (a push and a review, two quick pushes) each see no
// comment of ours, and each post one. After posting, a run lists the comments again and deletes
// our duplicates, keeping the oldest (the lowest id: GitHub's ids grow with time), so whichever
// run looks last, both agree on which one stays. A duplicate another run already deleted (404) is
// fine. Only comments of ours (trusted author and our hidden marker) are ever touched.
import { isSummaryComment, parseInlineMarker } from '../decide/index.js';
import { GitHubApiError, type ApiUser, type GitHubApi } from '../github/api.js';

type Trusted = (u: ApiUser | null) => Promise<boolean>;

async function remove(del: () => Promise<void>): Promise<void> {
  try {
    await del();
  } catch (e) {
    if (!(e instanceof GitHubApiError && e.status === 404)) throw e; // the other run deleted it first
  }
}

/** Keep one summary comment: the oldest; it gets this run's body when ours was the duplicate. */
export async function dedupeSummary(api: GitHubApi, pull: number, mineId: number, body: string, trusted: Trusted, info: (m: string) => void): Promise<void> {
  const ours = [];
  for (const c of await api.listIssueComments(pull)) if (isSummaryComment(c.body) && (await trusted(c.user))) ours.push(c);
  if (ours.length < 2) return;
  ours.sort((a, b) => a.id - b.id);
  const [keep, ...extra] = ours;
  for (const c of extra) await remove(() => api.deleteIssueComment(c.id));
  info(`another run posted a summary comment at the same time: kept the oldest (${keep.id}), deleted ${extra.length}`);
  if (keep.id !== mineId && keep.body !== body) await api.updateIssueComment(keep.id, body);
}

/** Keep one inline comment per finding marker and line: the oldest. */
export async function dedupeInline(api: GitHubApi, pull: number, trusted: Trusted, info: (m: string) => void): Promise<void> {
  const groups = new Map<string, { id: number }[]>();
  for (const c of await api.listReviewComments(pull)) {
    const marker = parseInlineMarker(c.body);
    if (marker === null || !(await trusted(c.user))) continue;
    const key = `${marker}\u0000${c.path}\u0000${c.line ?? ''}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(c);
  }
  let n = 0;
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => a.id - b.id);
    for (const c of list.slice(1)) {
      await remove(() => api.deleteReviewComment(c.id));
      n++;
    }
  }
  if (n) info(`another run posted the same inline comments at the same time: deleted ${n} duplicate(s), kept the oldest`);
}

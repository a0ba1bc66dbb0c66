// Approval gating: (findings, policy, reviews) → verdict. Pure: the adapter gathers reviews,
// permissions, team members and changed files through the API and passes them in.
//
// Rules (issue 4), each failing closed:
// - per reviewer, the latest review that is APPROVED, CHANGES_REQUESTED or DISMISSED is the vote
//   (COMMENTED and PENDING change nothing); logins compare case-insensitively, as on GitHub;
// - bots (type Bot or a login ending in [bot]) and the PR author never count;
// - the reviewer needs write, maintain or admin permission; an unknown permission does not count;
// - with `from:`, the reviewer must be listed, or be a member of a listed org/team; a team whose
//   lookup failed (or was not done) cannot make anyone eligible and is reported as an error;
// - an approval is stale for a category when one of that category's flagged files changed after
//   the approved commit (unknown change set ⇒ stale; approved on the head ⇒ fresh);
// - every category with gating findings needs its own count of eligible approvals; a category
//   with `block` (credential by default) blocks whatever the approvals; approvals 0 = report only.
import { DEFAULT_POLICY, type Config } from '../config/index.js';
import { CATEGORIES, type Category, type Finding, type Result } from '../types.js';

export interface Review {
  user: string;
  userType: 'User' | 'Bot' | string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'DISMISSED' | 'COMMENTED' | 'PENDING' | string;
  commitId: string | null;
  submittedAt: string | null;
  id: number;
}

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface ApprovalInput {
  author: string;
  headSha: string;
  /** In API order (chronological). */
  reviews: Review[];
  /** Per reviewer login. */
  permissions: Record<string, Permission>;
  /** 'org/team' slug → member logins, or an error (e.g. token without read:org). */
  teams: Record<string, string[] | { error: string }>;
  /** Review commitId → paths changed between it and head (null = unknown ⇒ stale). */
  changedSince: Record<string, string[] | null>;
}

export interface CategoryDecision {
  category: Category;
  /** All findings of the category. */
  findings: number;
  /** Findings that need approvals. */
  gating: number;
  /** Approvals needed (0 when nothing gates or the policy says 0). */
  required: number;
  /** The policy blocks this category and it has gating findings: no approval clears it. */
  blocked: boolean;
  /** The `from:` list of the policy, when set. */
  from?: string[];
  /** Logins whose approval counted. */
  counted: string[];
  /** Reviewers whose latest vote did not count as an approval, and why. */
  ignored: Array<{ user: string; reason: string }>;
  satisfied: boolean;
}

export interface Decision {
  verdict: 'pass' | 'fail' | 'blocked';
  categories: CategoryDecision[];
  /** At most 140 characters, for the commit status. */
  description: string;
  /** Problems that prevented counting someone (e.g. team lookup failed): we failed closed. */
  errors: string[];
}

const VOTES = new Set(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);
const WRITE = new Set(['admin', 'maintain', 'write']);
const STATUS_MAX = 140;

const lc = (s: string) => s.toLowerCase();
/** Normalise a `from:` entry or a team key: no leading @, lower case. */
const normEntry = (s: string) => lc(s.trim().replace(/^@/, ''));

export function isBot(login: string, userType?: string): boolean {
  return userType === 'Bot' || /\[bot\]$/i.test(login);
}

/** The effective policy of a category: config fields over DEFAULT_POLICY, field by field. */
export function policyFor(config: Config, category: Category): { approvals: number; block: boolean; from?: string[] } {
  const def = DEFAULT_POLICY[category] ?? { approvals: 1, block: false }; // unknown category: gate
  const p = config.policy?.[category] ?? {};
  const out: { approvals: number; block: boolean; from?: string[] } = {
    approvals: p.approvals ?? def.approvals,
    block: p.block ?? def.block,
  };
  if (p.from && p.from.length) out.from = p.from;
  return out;
}

/** Files with gating findings (what makes an approval stale when it changes), sorted. */
export function flaggedPaths(result: Result): string[] {
  return [...new Set(result.findings.filter((f) => f.gating).map((f) => f.path))].sort();
}

/**
 * The `org/team` slugs the adapter must look up (normalised: no @, lower case): those in the
 * `from:` of categories that have gating findings. Key `ApprovalInput.teams` by these.
 */
export function requiredTeams(result: Result, config: Config): string[] {
  const cats = new Set(result.findings.filter((f) => f.gating).map((f) => f.category));
  const out = new Set<string>();
  for (const c of cats) for (const e of policyFor(config, c).from ?? []) if (e.includes('/')) out.add(normEntry(e));
  return [...out].sort();
}

/** The latest vote of each reviewer (APPROVED / CHANGES_REQUESTED / DISMISSED), first-vote order. */
export function latestVotes(reviews: Review[]): Review[] {
  const latest = new Map<string, Review>();
  for (const r of reviews) {
    if (!r || typeof r.user !== 'string' || !VOTES.has(String(r.state).toUpperCase())) continue;
    const key = lc(r.user);
    // Later in API order wins; delete first so the map keeps the order of the latest votes.
    latest.delete(key);
    latest.set(key, r);
  }
  return [...latest.values()];
}

function lookup<T>(rec: Record<string, T>, key: string): T | undefined {
  if (Object.prototype.hasOwnProperty.call(rec, key)) return rec[key];
  const k = Object.keys(rec).find((x) => normEntry(x) === normEntry(key));
  return k === undefined ? undefined : rec[k];
}

const short = (sha: string | null) => (sha ? sha.slice(0, 7) : 'an unknown commit');

function list(items: string[], max = 3): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

export function decide(result: Result, config: Config, input: ApprovalInput): Decision {
  const errors: string[] = [];
  const votes = latestVotes(input.reviews ?? []);
  const byCat = new Map<Category, Finding[]>();
  for (const f of result.findings) {
    const l = byCat.get(f.category) ?? [];
    l.push(f);
    byCat.set(f.category, l);
  }
  const order = [...CATEGORIES, ...[...byCat.keys()].filter((c) => !(CATEGORIES as readonly string[]).includes(c))];
  const teamErrorsReported = new Set<string>();
  const categories: CategoryDecision[] = [];

  for (const category of order) {
    const fs = byCat.get(category);
    if (!fs?.length) continue;
    const gatingFs = fs.filter((f) => f.gating);
    const policy = policyFor(config, category);
    if (!(CATEGORIES as readonly string[]).includes(category)) errors.push(`unknown category ${category}: gated with 1 approval`);
    const gating = gatingFs.length;
    const cd: CategoryDecision = {
      category,
      findings: fs.length,
      gating,
      required: gating ? policy.approvals : 0,
      blocked: gating > 0 && policy.block,
      counted: [],
      ignored: [],
      satisfied: true,
    };
    if (policy.from) cd.from = policy.from;
    if (!gating) {
      categories.push(cd);
      continue;
    }
    const flagged = new Set(gatingFs.map((f) => f.path));
    const fromUsers = new Set((policy.from ?? []).filter((e) => !e.includes('/')).map(normEntry));
    const fromTeams = (policy.from ?? []).filter((e) => e.includes('/'));
    const teamFailures: string[] = [];
    const teamMembers: Array<{ team: string; members: Set<string> }> = [];
    for (const team of fromTeams) {
      const t = lookup(input.teams ?? {}, team);
      let problem: string | undefined;
      if (t === undefined) problem = 'not looked up';
      else if (Array.isArray(t)) teamMembers.push({ team, members: new Set(t.map(lc)) });
      else problem = (t && typeof t === 'object' && 'error' in t && String(t.error)) || 'lookup failed';
      if (problem !== undefined) {
        teamFailures.push(`${team} (${problem})`);
        if (!teamErrorsReported.has(normEntry(team))) {
          teamErrorsReported.add(normEntry(team));
          errors.push(`cannot check membership of team ${team}: ${problem}. Its members' approvals do not count; give the token read:org (an app or PAT) or list the approvers by login.`);
        }
      }
    }

    for (const v of votes) {
      const user = v.user;
      const state = String(v.state).toUpperCase();
      const ignore = (reason: string) => cd.ignored.push({ user, reason });
      if (isBot(user, v.userType)) {
        if (state === 'APPROVED') ignore('bot');
        continue;
      }
      if (lc(user) === lc(input.author ?? '')) {
        if (state === 'APPROVED') ignore('PR author');
        continue;
      }
      if (state === 'CHANGES_REQUESTED') {
        ignore('latest review requests changes');
        continue;
      }
      if (state === 'DISMISSED') {
        ignore('review dismissed');
        continue;
      }
      const perm = lookup(input.permissions ?? {}, user);
      if (perm === undefined) {
        ignore('permission unknown');
        continue;
      }
      if (!WRITE.has(lc(String(perm)))) {
        ignore(`${perm} permission (needs write)`);
        continue;
      }
      if (policy.from) {
        const listed = fromUsers.has(lc(user)) || teamMembers.some((t) => t.members.has(lc(user)));
        if (!listed) {
          ignore(teamFailures.length ? `not listed in from (team lookup failed: ${list(teamFailures, 2)})` : 'not listed in from');
          continue;
        }
      }
      if (v.commitId !== input.headSha) {
        const changed = v.commitId ? lookup(input.changedSince ?? {}, v.commitId) : undefined;
        if (!Array.isArray(changed)) {
          ignore(`stale: approved ${short(v.commitId)}; changes since then are unknown`);
          continue;
        }
        const hit = [...new Set(changed)].filter((p) => flagged.has(p)).sort();
        if (hit.length) {
          ignore(`stale: ${list(hit)} changed after ${short(v.commitId)}`);
          continue;
        }
      }
      cd.counted.push(user);
    }
    cd.satisfied = !cd.blocked && cd.counted.length >= cd.required;
    categories.push(cd);
  }

  const verdict: Decision['verdict'] = categories.some((c) => c.blocked) ? 'blocked' : categories.some((c) => !c.satisfied) ? 'fail' : 'pass';
  const decision: Decision = { verdict, categories, description: '', errors };
  decision.description = statusDescription(decision);
  return decision;
}

function clip(s: string, max = STATUS_MAX): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

/** Commit status description in report-only mode (`mode: report`): the state is success whatever the verdict. */
export function reportOnlyDescription(decision: Decision): string {
  const gating = decision.categories.reduce((a, c) => a + c.gating, 0);
  if (decision.verdict === 'pass') return clip(`report-only: ${statusDescription(decision)}`);
  return clip(`report-only: ${gating} finding${gating === 1 ? '' : 's'} would gate (${statusDescription(decision)})`);
}

/** Short description for the commit status (at most 140 characters). */
export function statusDescription(decision: Decision): string {
  const cats = decision.categories;
  if (decision.verdict === 'blocked') {
    const b = cats.filter((c) => c.blocked).map((c) => c.category);
    const why = b.includes('credential') ? 'remove the secret' : 'remove the findings';
    return clip(`blocked: ${b.join(', ')} (${why}; approvals do not clear it)`);
  }
  if (decision.verdict === 'fail') {
    const short = cats.filter((c) => !c.satisfied);
    const missing = short.map((c) => ({ c: c.category, n: Math.max(0, c.required - c.counted.length) }));
    let s: string;
    if (missing.every((m) => m.n === missing[0]!.n)) {
      const n = missing[0]!.n;
      s = `needs ${n} more approval${n === 1 ? '' : 's'}: ${missing.map((m) => m.c).join(', ')}`;
    } else s = `needs more approvals: ${missing.map((m) => `${m.c} ${m.n}`).join(', ')}`;
    if (decision.errors.length) s += ' (see errors)';
    return clip(s);
  }
  const gated = cats.filter((c) => c.gating > 0 && c.required > 0);
  if (gated.length) return clip(`approved: ${gated.map((c) => `${c.category} ${c.counted.length}/${c.required}`).join(', ')}`);
  const total = cats.reduce((a, c) => a + c.findings, 0);
  return total ? `no approvals needed (${total} non-gating finding${total === 1 ? '' : 's'})` : 'no findings';
}

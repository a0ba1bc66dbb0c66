// Approval gating (src/decide/approvals.ts): every rule of issue 4, each failing closed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Config } from '../src/config/index.js';
import { decide, flaggedPaths, latestVotes, policyFor, requiredTeams, statusDescription, type Decision } from '../src/decide/index.js';
import { finding, HEAD, input, OLD, PERMS, result, review } from './decide-fixtures.js';

const destructive = () => result([finding()]);
const cat = (d: Decision, c: string) => d.categories.find((x) => x.category === c)!;

describe('latest vote wins', () => {
  it('a later CHANGES_REQUESTED cancels an approval', () => {
    const d = decide(destructive(), {}, input({ permissions: PERMS, reviews: [review('alice', 'APPROVED'), review('alice', 'CHANGES_REQUESTED')] }));
    expect(d.verdict).toBe('fail');
    expect(cat(d, 'destructive').counted).toEqual([]);
    expect(cat(d, 'destructive').ignored).toEqual([{ user: 'alice', reason: 'latest review requests changes' }]);
  });

  it('a later APPROVED replaces CHANGES_REQUESTED', () => {
    const d = decide(destructive(), {}, input({ permissions: PERMS, reviews: [review('alice', 'CHANGES_REQUESTED'), review('alice', 'APPROVED')] }));
    expect(d.verdict).toBe('pass');
    expect(cat(d, 'destructive').counted).toEqual(['alice']);
  });

  it('a later COMMENTED or PENDING does not change the vote', () => {
    for (const later of ['COMMENTED', 'PENDING']) {
      const d = decide(destructive(), {}, input({ permissions: PERMS, reviews: [review('alice', 'APPROVED'), review('alice', later)] }));
      expect(d.verdict, later).toBe('pass');
      const d2 = decide(destructive(), {}, input({ permissions: PERMS, reviews: [review('alice', 'CHANGES_REQUESTED'), review('alice', later)] }));
      expect(d2.verdict, later).toBe('fail');
    }
  });

  it('a dismissed approval does not count, and an earlier approval does not come back', () => {
    const d = decide(destructive(), {}, input({ permissions: PERMS, reviews: [review('alice', 'APPROVED'), review('alice', 'DISMISSED')] }));
    expect(d.verdict).toBe('fail');
    expect(cat(d, 'destructive').ignored[0]).toEqual({ user: 'alice', reason: 'review dismissed' });
  });

  it('a COMMENTED review alone is not a vote', () => {
    const d = decide(destructive(), {}, input({ permissions: PERMS, reviews: [review('alice', 'COMMENTED')] }));
    expect(d.verdict).toBe('fail');
    expect(cat(d, 'destructive').ignored).toEqual([]);
  });

  it('logins compare case-insensitively', () => {
    const d = decide(destructive(), {}, input({ permissions: PERMS, reviews: [review('Alice', 'APPROVED'), review('alice', 'CHANGES_REQUESTED')] }));
    expect(d.verdict).toBe('fail');
    expect(latestVotes([review('Alice', 'APPROVED'), review('ALICE', 'DISMISSED')]).map((r) => r.state)).toEqual(['DISMISSED']);
  });

  it('one reviewer counts once however many times they approve', () => {
    const d = decide(result([finding({ category: 'privilege' })]), {}, input({ permissions: PERMS, reviews: [review('alice', 'APPROVED'), review('alice', 'APPROVED')] }));
    expect(cat(d, 'privilege').counted).toEqual(['alice']);
    expect(d.verdict).toBe('fail');
  });
});

describe('who never counts', () => {
  it('the PR author (any case)', () => {
    const d = decide(destructive(), {}, input({ author: 'Author', permissions: PERMS, reviews: [review('author', 'APPROVED')] }));
    expect(d.verdict).toBe('fail');
    expect(cat(d, 'destructive').ignored).toEqual([{ user: 'author', reason: 'PR author' }]);
  });

  it('bots, by type or by a [bot] login, even with write access and even when listed in from', () => {
    const perms = { ...PERMS, 'renovate[bot]': 'write' as const, helper: 'admin' as const };
    const reviews = [review('renovate[bot]', 'APPROVED', { userType: 'Bot' }), review('helper', 'APPROVED', { userType: 'Bot' }), review('Other[BOT]', 'APPROVED')];
    const d = decide(destructive(), { policy: { destructive: { from: ['helper'] } } }, input({ permissions: { ...perms, 'other[bot]': 'admin' }, reviews }));
    expect(d.verdict).toBe('fail');
    expect(cat(d, 'destructive').ignored.map((i) => i.reason)).toEqual(['bot', 'bot', 'bot']);
  });

  it('read-only, triage, none and unknown permissions', () => {
    const reviews = ['rita', 'tom', 'nobody', 'stranger'].map((u) => review(u, 'APPROVED'));
    const d = decide(destructive(), {}, input({ permissions: { ...PERMS, nobody: 'none' }, reviews }));
    expect(d.verdict).toBe('fail');
    expect(cat(d, 'destructive').ignored).toEqual([
      { user: 'rita', reason: 'read permission (needs write)' },
      { user: 'tom', reason: 'triage permission (needs write)' },
      { user: 'nobody', reason: 'none permission (needs write)' },
      { user: 'stranger', reason: 'permission unknown' },
    ]);
  });

  it('write, maintain and admin count; permission keys match case-insensitively', () => {
    for (const u of ['alice', 'bob', 'carol', 'Alice']) {
      const d = decide(destructive(), {}, input({ permissions: PERMS, reviews: [review(u, 'APPROVED')] }));
      expect(d.verdict, u).toBe('pass');
    }
  });
});

describe('stale approvals', () => {
  const two = () =>
    result([finding({ path: 'db/a.sql', category: 'destructive' }), finding({ path: 'db/b.sql', category: 'privilege' }), finding({ path: 'db/c.sql', category: 'dynamic', gating: false, severity: 'warning' })]);
  const cfg: Config = { policy: { privilege: { approvals: 1 } } };

  it('an approval on the head is fresh', () => {
    const d = decide(two(), cfg, input({ permissions: PERMS, reviews: [review('alice', 'APPROVED', { commitId: HEAD })] }));
    expect(d.verdict).toBe('pass');
  });

  it('is stale for the category whose flagged file changed, fresh for the others', () => {
    const d = decide(two(), cfg, input({ permissions: PERMS, reviews: [review('alice', 'APPROVED', { commitId: OLD })], changedSince: { [OLD]: ['db/b.sql', 'README.md'] } }));
    expect(cat(d, 'destructive').counted).toEqual(['alice']);
    expect(cat(d, 'privilege').counted).toEqual([]);
    expect(cat(d, 'privilege').ignored).toEqual([{ user: 'alice', reason: `stale: db/b.sql changed after ${OLD.slice(0, 7)}` }]);
    expect(d.verdict).toBe('fail');
    expect(d.description).toBe('needs 1 more approval: privilege');
  });

  it('changes to unflagged files (or files with non-gating findings only) keep it fresh', () => {
    const d = decide(two(), cfg, input({ permissions: PERMS, reviews: [review('alice', 'APPROVED', { commitId: OLD })], changedSince: { [OLD]: ['db/c.sql', 'src/app.ts'] } }));
    expect(d.verdict).toBe('pass');
  });

  it('unknown change set, missing entry or missing commit id: stale', () => {
    for (const [commitId, changedSince] of [
      [OLD, { [OLD]: null }],
      [OLD, {}],
      [null, {}],
    ] as const) {
      const d = decide(two(), cfg, input({ permissions: PERMS, reviews: [review('alice', 'APPROVED', { commitId })], changedSince }));
      expect(d.verdict, String(commitId)).toBe('fail');
      expect(cat(d, 'destructive').ignored[0]!.reason).toMatch(/^stale: approved .*changes since then are unknown$/);
    }
  });
});

describe('from: users and teams', () => {
  const cfg = (from: string[], approvals = 1): Config => ({ policy: { destructive: { approvals, from } } });

  it('only listed users count (@ prefix and case ignored)', () => {
    const reviews = [review('alice', 'APPROVED'), review('Bob', 'APPROVED')];
    const d = decide(destructive(), cfg(['@bob'], 2), input({ permissions: PERMS, reviews }));
    expect(cat(d, 'destructive').counted).toEqual(['Bob']);
    expect(cat(d, 'destructive').ignored).toEqual([{ user: 'alice', reason: 'not listed in from' }]);
    expect(d.verdict).toBe('fail');
  });

  it('team members count; listed users still need write access', () => {
    const reviews = [review('alice', 'APPROVED'), review('rita', 'APPROVED'), review('carol', 'APPROVED')];
    const d = decide(destructive(), cfg(['org/dba', 'rita'], 2), input({ permissions: PERMS, reviews, teams: { 'org/dba': ['Alice', 'carol'] } }));
    expect(cat(d, 'destructive').counted).toEqual(['alice', 'carol']);
    expect(cat(d, 'destructive').ignored).toEqual([{ user: 'rita', reason: 'read permission (needs write)' }]);
    expect(d.verdict).toBe('pass');
    expect(d.errors).toEqual([]);
  });

  it('team keys match with @ and case differences', () => {
    const d = decide(destructive(), cfg(['@Org/DBA']), input({ permissions: PERMS, reviews: [review('alice', 'APPROVED')], teams: { 'org/dba': ['alice'] } }));
    expect(d.verdict).toBe('pass');
  });

  it('a failed team lookup is a clear error and fails closed, never a silent pass', () => {
    const d = decide(destructive(), cfg(['org/dba']), input({ permissions: PERMS, reviews: [review('alice', 'APPROVED')], teams: { 'org/dba': { error: 'HTTP 403: Resource not accessible by integration' } } }));
    expect(d.verdict).toBe('fail');
    expect(d.errors).toHaveLength(1);
    expect(d.errors[0]).toContain('org/dba');
    expect(d.errors[0]).toContain('HTTP 403');
    expect(d.errors[0]).toContain('read:org');
    expect(cat(d, 'destructive').ignored[0]!.reason).toContain('team lookup failed');
    expect(d.description).toBe('needs 1 more approval: destructive (see errors)');
  });

  it('a team that was not looked up fails closed too', () => {
    const d = decide(destructive(), cfg(['org/dba']), input({ permissions: PERMS, reviews: [review('alice', 'APPROVED')] }));
    expect(d.verdict).toBe('fail');
    expect(d.errors[0]).toContain('not looked up');
  });

  it('users listed by login still count when a team lookup failed (the error is still reported)', () => {
    const d = decide(destructive(), cfg(['alice', 'org/dba']), input({ permissions: PERMS, reviews: [review('alice', 'APPROVED')], teams: { 'org/dba': { error: 'no read:org' } } }));
    expect(d.verdict).toBe('pass');
    expect(d.errors).toHaveLength(1);
  });

  it('the same failed team in two categories is reported once', () => {
    const r = result([finding(), finding({ category: 'privilege' })]);
    const c: Config = { policy: { destructive: { from: ['org/dba'] }, privilege: { from: ['org/dba'] } } };
    const d = decide(r, c, input({ permissions: PERMS, teams: { 'org/dba': { error: 'x' } } }));
    expect(d.errors).toHaveLength(1);
  });

  it('requiredTeams lists the teams of gating categories only, normalised', () => {
    const r = result([finding(), finding({ category: 'safety', gating: false, severity: 'warning' })]);
    const c: Config = { policy: { destructive: { from: ['@Org/DBA', 'alice', 'org/sec'] }, safety: { from: ['org/other'] } } };
    expect(requiredTeams(r, c)).toEqual(['org/dba', 'org/sec']);
  });
});

describe('per-category requirements', () => {
  it('default policy: destructive 1, privilege 2, each with its own approvers', () => {
    const r = result([finding(), finding({ category: 'privilege', ruleId: 'grant-all' })]);
    const one = decide(r, {}, input({ permissions: PERMS, reviews: [review('alice', 'APPROVED')] }));
    expect(one.verdict).toBe('fail');
    expect(cat(one, 'destructive').satisfied).toBe(true);
    expect(cat(one, 'privilege')).toMatchObject({ required: 2, counted: ['alice'], satisfied: false });
    expect(one.description).toBe('needs 1 more approval: privilege');
    const two = decide(r, {}, input({ permissions: PERMS, reviews: [review('alice', 'APPROVED'), review('bob', 'APPROVED')] }));
    expect(two.verdict).toBe('pass');
    expect(two.description).toBe('approved: destructive 2/1, privilege 2/2');
  });

  it('each category needs its own eligible approvers (from: differs per category)', () => {
    const r = result([finding(), finding({ category: 'execution' })]);
    const c: Config = { policy: { destructive: { approvals: 1, from: ['alice'] }, execution: { approvals: 1, from: ['bob'] } } };
    const d = decide(r, c, input({ permissions: PERMS, reviews: [review('alice', 'APPROVED')] }));
    expect(cat(d, 'destructive').satisfied).toBe(true);
    expect(cat(d, 'execution').satisfied).toBe(false);
    expect(d.verdict).toBe('fail');
  });

  it('default policy values for every category', () => {
    expect(['destructive', 'privilege', 'execution', 'dynamic', 'parse', 'integrity', 'safety', 'credential'].map((c) => policyFor({}, c as never))).toEqual([
      { approvals: 1, block: false },
      { approvals: 2, block: false },
      { approvals: 2, block: false },
      { approvals: 1, block: false },
      { approvals: 1, block: false },
      { approvals: 1, block: false },
      { approvals: 0, block: false },
      { approvals: 0, block: true },
    ]);
  });

  it('missing approvals in several categories are all named', () => {
    const r = result([finding(), finding({ category: 'privilege' }), finding({ category: 'execution' })]);
    const d = decide(r, {}, input({ permissions: PERMS }));
    expect(d.description).toBe('needs more approvals: destructive 1, privilege 2, execution 2');
    const d2 = decide(result([finding({ category: 'privilege' }), finding({ category: 'execution' })]), {}, input());
    expect(d2.description).toBe('needs 2 more approvals: privilege, execution');
  });
});

describe('blocked categories', () => {
  const cred = () => result([finding({ category: 'credential', ruleId: 'hardcoded-password', message: 'Hardcoded password' }), finding()]);

  it('a credential is blocked whatever the approvals', () => {
    const d = decide(cred(), {}, input({ permissions: PERMS, reviews: ['alice', 'bob', 'carol'].map((u) => review(u, 'APPROVED')) }));
    expect(d.verdict).toBe('blocked');
    expect(cat(d, 'credential')).toMatchObject({ blocked: true, satisfied: false, counted: ['alice', 'bob', 'carol'] });
    expect(cat(d, 'destructive').satisfied).toBe(true);
    expect(d.description).toBe('blocked: credential (remove the secret; approvals do not clear it)');
  });

  it('setting approvals alone keeps the default block; block: false turns it into approvals', () => {
    const approvals = ['alice', 'bob'].map((u) => review(u, 'APPROVED'));
    expect(decide(cred(), { policy: { credential: { approvals: 2 } } }, input({ permissions: PERMS, reviews: approvals })).verdict).toBe('blocked');
    expect(decide(cred(), { policy: { credential: { approvals: 2, block: false } } }, input({ permissions: PERMS, reviews: approvals })).verdict).toBe('pass');
    expect(decide(cred(), { policy: { credential: { approvals: 3, block: false } } }, input({ permissions: PERMS, reviews: approvals })).verdict).toBe('fail');
  });

  it('block: true on any category', () => {
    const d = decide(destructive(), { policy: { destructive: { block: true } } }, input({ permissions: PERMS, reviews: [review('alice', 'APPROVED')] }));
    expect(d.verdict).toBe('blocked');
    expect(d.description).toBe('blocked: destructive (remove the findings; approvals do not clear it)');
  });

  it('a blocked category with only non-gating findings does not block', () => {
    const d = decide(result([finding({ category: 'credential', gating: false, severity: 'warning' })]), {}, input());
    expect(d.verdict).toBe('pass');
    expect(cat(d, 'credential')).toMatchObject({ blocked: false, gating: 0, required: 0, satisfied: true });
  });
});

describe('non-gating and report-only', () => {
  it('approvals: 0 reports the category but does not gate', () => {
    const d = decide(result([finding({ category: 'safety' })]), {}, input());
    expect(d.verdict).toBe('pass');
    expect(cat(d, 'safety')).toMatchObject({ gating: 1, required: 0, satisfied: true });
  });

  it('warnings and down-migration findings never need approvals', () => {
    const r = result([finding({ severity: 'warning', gating: false }), finding({ down: true, gating: false, category: 'privilege' })]);
    const d = decide(r, {}, input());
    expect(d.verdict).toBe('pass');
    expect(d.categories.map((c) => [c.category, c.findings, c.gating, c.required])).toEqual([
      ['destructive', 1, 0, 0],
      ['privilege', 1, 0, 0],
    ]);
    expect(d.description).toBe('no approvals needed (2 non-gating findings)');
  });

  it('no findings: pass', () => {
    const d = decide(result([]), {}, input());
    expect(d).toEqual({ verdict: 'pass', categories: [], description: 'no findings', errors: [] });
  });
});

describe('flaggedPaths', () => {
  it('files with gating findings, unique and sorted', () => {
    const r = result([finding({ path: 'b.sql' }), finding({ path: 'a.sql' }), finding({ path: 'b.sql' }), finding({ path: 'c.sql', gating: false })]);
    expect(flaggedPaths(r)).toEqual(['a.sql', 'b.sql']);
  });
});

describe('status description', () => {
  it('is at most 140 characters whatever the input', () => {
    const cats = ['destructive', 'privilege', 'execution', 'dynamic', 'parse', 'integrity'] as const;
    const r = result(cats.map((c) => finding({ category: c })));
    const d = decide(r, { policy: Object.fromEntries(cats.map((c) => [c, { approvals: 20, from: ['org/t' + c] }])) }, input({ teams: {} }));
    expect(d.verdict).toBe('fail');
    expect(d.description.length).toBeLessThanOrEqual(140);
    expect(statusDescription({ ...d, verdict: 'blocked', categories: d.categories.map((c) => ({ ...c, blocked: true })) }).length).toBeLessThanOrEqual(140);
  });

  it('property: counted approvers are exactly the eligible latest approvals, description fits', () => {
    const users = ['alice', 'bob', 'rita', 'author', 'x[bot]', 'ghost'];
    const states = ['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED', 'COMMENTED', 'PENDING'];
    const arb = fc.array(fc.record({ user: fc.constantFrom(...users), state: fc.constantFrom(...states), head: fc.boolean() }), { maxLength: 12 });
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 3 }), (rs, need) => {
        const reviews = rs.map((x) => review(x.user, x.state, { commitId: x.head ? HEAD : OLD }));
        const d = decide(destructive(), { policy: { destructive: { approvals: need } } }, input({ permissions: PERMS, reviews, changedSince: { [OLD]: ['migrations/001_init.sql'] } }));
        const latest = new Map<string, (typeof rs)[number]>();
        for (const x of rs) if (['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(x.state)) latest.set(x.user, x);
        const expected = [...latest.values()].filter((x) => x.state === 'APPROVED' && x.head && ['alice', 'bob'].includes(x.user)).map((x) => x.user);
        const c = cat(d, 'destructive');
        expect(c.counted.sort()).toEqual(expected.sort());
        expect(d.verdict).toBe(expected.length >= need ? 'pass' : 'fail');
        expect(d.description.length).toBeLessThanOrEqual(140);
      }),
      { numRuns: 300 },
    );
  });
});

describe('with the real engine', () => {
  it('a DROP TABLE needs one fresh approval from a writer', async () => {
    const { check } = await import('./helpers.js');
    const r = await check('CREATE TABLE a (id int);\nDROP TABLE users;\n', { path: 'db/migrations/002_drop.sql' });
    expect(flaggedPaths(r)).toEqual(['db/migrations/002_drop.sql']);
    const none = decide(r, {}, input({ permissions: PERMS }));
    expect(none.verdict).toBe('fail');
    expect(none.description).toBe('needs 1 more approval: destructive');
    const ok = decide(r, {}, input({ permissions: PERMS, reviews: [review('alice', 'APPROVED')] }));
    expect(ok.verdict).toBe('pass');
    const stale = decide(r, {}, input({ permissions: PERMS, reviews: [review('alice', 'APPROVED', { commitId: OLD })], changedSince: { [OLD]: ['db/migrations/002_drop.sql'] } }));
    expect(stale.verdict).toBe('fail');
  });
});

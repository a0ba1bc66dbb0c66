// Every rule's meta examples are its fixtures: each `bad` example must produce a finding of that
// rule and each `good` example must not. A rule without both kinds of example fails here.
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { CATEGORIES, SEVERITIES } from '../src/types.js';
import { run } from '../src/engine.js';
import type { RuleExample } from '../src/types.js';
import { check } from './helpers.js';

// Rules that read schema state (src/state/) are checked with the sandboxed replay on, as users run
// them; the others read only the statement, and run without it (the replay costs a second a run).
const { readdirSync, readFileSync } = await import('node:fs');
const stateRules = new Set(
  readdirSync(new URL('../rules/', import.meta.url))
    .filter((f) => f.endsWith('.ts') && /from '\.\.\/src\/(state\/|ast\.js)/.test(readFileSync(new URL(`../rules/${f}`, import.meta.url), 'utf8')) && /createdEarlier|stateOf|isNew|lockNote|unnamedEffects/.test(readFileSync(new URL(`../rules/${f}`, import.meta.url), 'utf8')))
    .map((f) => f.replace(/\.ts$/, '')),
);

/** Run one example: SQL through the engine, or a pull-request file change through the change rules. */
async function ruleIdsOf(ex: RuleExample, id: string): Promise<string[]> {
  const r = ex.change ? await run([], { changes: [ex.change] }) : await check(ex.sql, { path: ex.path, dialect: ex.dialect, replay: stateRules.has(id) });
  return r.findings.map((f) => f.ruleId);
}

describe.each(rules.map((r) => [r.meta.id, r] as const))('rule %s', (id, rule) => {
  it('has complete meta', () => {
    expect(rule.meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(CATEGORIES).toContain(rule.meta.category);
    expect(SEVERITIES).toContain(rule.meta.severity);
    for (const k of ['summary', 'rationale', 'fix'] as const) expect(rule.meta[k].length).toBeGreaterThan(10);
    expect(rule.meta.examples.bad.length).toBeGreaterThan(0);
    expect(rule.meta.examples.good.length).toBeGreaterThan(0);
  });
  const label = (e: RuleExample) => (e.change ? `${e.change.status} ${e.change.filename}` : e.sql);
  it.each(rule.meta.examples.bad.map((e) => [label(e), e] as const))('flags %s', async (_l, ex) => {
    expect(await ruleIdsOf(ex, id)).toContain(id);
  });
  it.each(rule.meta.examples.good.map((e) => [label(e), e] as const))('does not flag %s', async (_l, ex) => {
    expect(await ruleIdsOf(ex, id)).not.toContain(id);
  });
});

it('rule ids are unique and match their file names', async () => {
  const ids = rules.map((r) => r.meta.id);
  expect(new Set(ids).size).toBe(ids.length);
  const { readdirSync } = await import('node:fs');
  const files = readdirSync(new URL('../rules/', import.meta.url)).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
  expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual([...ids].sort());
});

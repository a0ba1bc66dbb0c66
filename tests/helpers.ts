// Test helpers: run the engine (source, not the bundle) on inline SQL.
import type { Config } from '../src/config/index.js';
import { run } from '../src/engine.js';
import type { Dialect, Finding, Result } from '../src/types.js';

export interface CheckOptions {
  path?: string;
  dialect?: Dialect;
  config?: Config;
  /** Replay in the sandbox (default off here: most tests are about one rule's reading; state tests turn it on). */
  replay?: boolean;
}

export async function check(sql: string | Uint8Array, opts: CheckOptions = {}): Promise<Result> {
  return run([{ path: opts.path ?? 'migrations/0001_test.sql', content: sql }], { config: opts.config, dialect: opts.dialect, replay: opts.replay ?? false });
}

/** Findings of one rule. */
export async function findings(sql: string, ruleId: string, opts: CheckOptions = {}): Promise<Finding[]> {
  return (await check(sql, opts)).findings.filter((f) => f.ruleId === ruleId);
}

export function ruleIds(r: Result): string[] {
  return [...new Set(r.findings.map((f) => f.ruleId))].sort();
}

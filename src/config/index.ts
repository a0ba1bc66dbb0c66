// Configuration: one schema (zod) shared by the CLI (--config) and the action (config read from
// the base ref). Unknown keys are errors: a typo in a security policy must not pass silently.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { CATEGORIES, DIALECTS, SEVERITIES, type Category } from '../types.js';

/** gate: findings that need approval fail the check; report: report-only rollout (status stays green). */
export const MODES = ['gate', 'report'] as const;
export type Mode = (typeof MODES)[number];

const ruleSetting = z.union([
  z.enum(['off', ...SEVERITIES]),
  z
    .object({
      severity: z.enum(SEVERITIES).optional().describe('Severity to report the rule with.'),
      gating: z.boolean().optional().describe('Whether its findings need approvals (default: severity error).'),
      off: z.boolean().optional().describe('Turn the rule off.'),
    })
    .strict(),
]).describe('off, a severity, or { severity, gating, off }.');

/** A GitHub login or an `org/team` slug, optionally written with a leading `@` (CODEOWNERS style). */
export const APPROVER_PATTERN = /^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\/[A-Za-z0-9][A-Za-z0-9_.-]{0,99})?$/;

const categoryPolicy = z
  .object({
    /** Approvals needed from eligible reviewers (0 = report only). */
    approvals: z.number().int().min(0).max(20).optional().describe('Approvals needed from eligible reviewers on the current head (0 = report only).'),
    /** Who may approve: GitHub logins and `org/team` slugs. Empty = anyone with write access. */
    from: z
      .array(z.string().regex(APPROVER_PATTERN, 'expected a GitHub login or an org/team slug'))
      .optional()
      .describe('Who may approve: GitHub logins and org/team slugs (team membership needs a token with read:org). Absent or empty = anyone with write access.'),
    /** No number of approvals clears it. */
    block: z.boolean().optional().describe('No number of approvals clears it: the finding must be removed (default for credential).'),
  })
  .strict()
  .describe('Approval policy of one category; unset fields fall back to the default policy.');

export const configSchema = z
  .object({
    /** Dialect when no hint from the path or a lock file says otherwise. */
    dialect: z.enum(DIALECTS).optional().describe('Dialect when no hint from the path or a lock file says otherwise.'),
    /** Globs selecting migration files; replaces the defaults when given. */
    include: z.array(z.string().min(1)).optional().describe('Globs selecting migration files; replaces the defaults when given.'),
    /** Globs excluded from the selection. */
    exclude: z.array(z.string().min(1)).optional().describe('Globs excluded from the selection.'),
    /** Down migrations: reported non-gating (report), gating (gate) or dropped (ignore). */
    down: z.enum(['report', 'gate', 'ignore']).optional().describe('Down migrations: reported non-gating (report, default), gating (gate) or dropped (ignore).'),
    /** Replay the migration history in the sandbox to judge by schema state (default true). */
    replay: z.boolean().optional().describe('Replay the migration history and the changed migrations in an embedded, sandboxed engine (PGlite for PostgreSQL, SQLite in WASM) to judge by schema state (default true).'),
    /** gate (default): gating findings fail the check and exit 1. report: report them, keep the check green. */
    inlineSuppressions: z.boolean().optional().describe('Honour `migration-gate-ignore <rule>: <reason>` comments in migrations (default true). false: a team that wants every exception in the reviewed policy file; such comments are then reported as not honoured.'),
    mode: z.enum(MODES).optional().describe('gate (default): findings that need approval fail the commit status and the CLI exits 1. report: a report-only rollout; comments, annotations and reports as usual, but the status stays green (success) and the CLI exits 0.'),
    /** Per-rule overrides: off, a severity, or { severity, gating }. */
    rules: z.record(z.string(), ruleSetting).optional().describe('Per-rule overrides, keyed by rule id.'),
    /** Per-category approval policy, used by the action. */
    policy: z
      .partialRecord(z.enum(CATEGORIES), categoryPolicy)
      .optional()
      .describe('Per-category approval policy (used by the action). Defaults: destructive 1, privilege 2, execution 2, dynamic 1, parse 1, integrity 1, safety 0, credential blocked.'),
  })
  .strict()
  .describe('migration-gate configuration (.github/migration-gate.yml, read from the base branch).');

export type Config = z.infer<typeof configSchema>;
export type CategoryPolicy = z.infer<typeof categoryPolicy>;

/** Default approvals per category when the config is silent. credential: blocked. */
export const DEFAULT_POLICY: Record<Category, Required<Pick<CategoryPolicy, 'approvals' | 'block'>>> = {
  destructive: { approvals: 1, block: false },
  privilege: { approvals: 2, block: false },
  execution: { approvals: 2, block: false },
  dynamic: { approvals: 1, block: false },
  parse: { approvals: 1, block: false },
  integrity: { approvals: 1, block: false },
  safety: { approvals: 0, block: false },
  credential: { approvals: 0, block: true },
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** ` (did you mean 'x'?)` for a mistyped word: the closest candidate at most 2 edits (or a third of its length) away, else ''. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  let best = '';
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best && bestD < word.length && bestD <= Math.max(2, Math.floor(best.length / 3)) ? ` (did you mean '${best}'?)` : '';
}

const RULE_SETTING_HELP = `expected off, ${SEVERITIES.join(', ')}, or { severity, gating, off }`;

/** The keys allowed where an unknown key was found (the config's own objects). */
function keysAt(path: PropertyKey[]): readonly string[] {
  if (path.length === 0) return Object.keys(configSchema.shape);
  if (path.length === 1 && path[0] === 'policy') return CATEGORIES;
  if (path.length === 2 && path[0] === 'policy') return Object.keys(categoryPolicy.shape);
  if (path.length === 2 && path[0] === 'rules') return ['severity', 'gating', 'off'];
  return [];
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let v: any = raw;
  for (const k of path) v = v && typeof v === 'object' ? v[k as any] : undefined;
  return v;
}

/** One config problem, with the allowed values and a did-you-mean where we can tell. */
function describeIssue(raw: unknown, i: z.core.$ZodIssue): string {
  const where = i.path.length ? i.path.join('.') : '(root)';
  if (i.code === 'unrecognized_keys') {
    const allowed = keysAt(i.path);
    const keys = i.keys.map((k) => `'${k}'${didYouMean(k, allowed)}`).join(', ');
    return `${where}: unknown key${i.keys.length === 1 ? '' : 's'} ${keys}${allowed.length ? `; allowed: ${allowed.join(', ')}` : ''}`;
  }
  if (i.code === 'invalid_value') {
    const got = valueAt(raw, i.path);
    const allowed = i.values.map(String);
    return `${where}: ${typeof got === 'string' || typeof got === 'number' || typeof got === 'boolean' ? `'${String(got).slice(0, 60)}' is not allowed` : 'invalid value'}${typeof got === 'string' ? didYouMean(got, allowed) : ''}; allowed: ${allowed.join(', ')}`;
  }
  if (i.code === 'invalid_union' && i.path[0] === 'rules' && i.path.length === 2) {
    const got = valueAt(raw, i.path);
    return `${where}: ${typeof got === 'string' ? `'${got.slice(0, 60)}'${didYouMean(got, ['off', ...SEVERITIES])} is not a rule setting; ` : ''}${RULE_SETTING_HELP}`;
  }
  return `${where}: ${i.message}`;
}

/** Validate a parsed config object; throws ConfigError with every problem listed. */
export function validateConfig(raw: unknown, source = 'config'): Config {
  if (raw === null || raw === undefined) return {};
  const r = configSchema.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues
      .map((i) => `  - ${describeIssue(raw, i)}`)
      .join('\n');
    throw new ConfigError(`${source} is not valid:\n${problems}`);
  }
  return r.data;
}

/** Parse config text (YAML or JSON, JSON being YAML). */
export function parseConfigText(text: string, source = 'config'): Config {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ConfigError(`${source} is not valid YAML: ${(e as Error).message}`);
  }
  return validateConfig(raw, source);
}

export function loadConfigFile(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseConfigText(text, file);
}

/**
 * JSON Schema of the config file for editors (schema/migration-gate.schema.json is generated from
 * it by scripts/gen-schema.mjs; a test checks the committed file is up to date).
 */
export function configJsonSchema(ruleIds: readonly string[] = []): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, any>;
  // Rule ids live in rules/index.ts (generated); the schema names them so editors complete them
  // and flag a typo'd id (the engine refuses unknown ids too).
  const rules = schema.properties?.rules;
  if (rules && ruleIds.length) rules.propertyNames = { enum: [...ruleIds].sort(), description: 'A rule id (docs/rules/).' };
  const { $schema, ...rest } = schema;
  return {
    $schema,
    $id: 'https://github.com/migration-gate/migration-gate/raw/main/schema/migration-gate.schema.json',
    title: 'migration-gate configuration',
    ...rest,
  };
}

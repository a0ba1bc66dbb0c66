// The config's schema (zod): the types, and the JSON Schema published for editors
// (schema/migration-gate.schema.json, scripts/gen-schema.mjs), which ajv compiles into the
// validator src/config/index.ts enforces. No import of the generated validator here (the generator reads this file).
import { z } from 'zod';
import { CATEGORIES, DIALECTS, SEVERITIES } from '../types.js';

/** gate: findings that need approval fail the check; report: report-only rollout (status stays green). */
export const MODES = ['gate', 'report'] as const;
export type Mode = (typeof MODES)[number];

/** Bounds of `replayTimeout` (seconds), shared by the config, the CLI flag and the action input. */
export const REPLAY_TIMEOUT_BOUNDS = { min: 1, max: 600 } as const;
const REPLAY_TIMEOUT_HELP = `expected a number of seconds from ${REPLAY_TIMEOUT_BOUNDS.min} to ${REPLAY_TIMEOUT_BOUNDS.max} (the replay's whole-run limit)`;

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

export const categoryPolicy = z
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
    /** The replay's whole-run wall-clock limit, seconds (default: src/replay/index.ts DEFAULTS, mysql.ts MYSQL_DEFAULTS). */
    replayTimeout: z
      .number({ error: REPLAY_TIMEOUT_HELP })
      .min(REPLAY_TIMEOUT_BOUNDS.min, { error: REPLAY_TIMEOUT_HELP })
      .max(REPLAY_TIMEOUT_BOUNDS.max, { error: REPLAY_TIMEOUT_HELP })
      .optional()
      .describe(
        'Seconds the replay of one migration set (its history, then the migrations under review) may take in all, from 1 to 600 (default 20 in the embedded sandbox, 120 on a MySQL/MariaDB server). Past it, what was not replayed is judged without replayed schema state (finding replay-limit). The per-statement limit stays.',
      ),
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

// Configuration: one schema (zod) shared by the CLI (--config) and the action (config read from
// the base ref). Unknown keys are errors: a typo in a security policy must not pass silently.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CATEGORIES, DIALECTS, SEVERITIES, type Category } from './types.js';

const ruleSetting = z.union([
  z.enum(['off', ...SEVERITIES]),
  z
    .object({
      severity: z.enum(SEVERITIES).optional(),
      gating: z.boolean().optional(),
      off: z.boolean().optional(),
    })
    .strict(),
]);

const categoryPolicy = z
  .object({
    /** Approvals needed from eligible reviewers (0 = report only). */
    approvals: z.number().int().min(0).max(20).optional(),
    /** Who may approve: GitHub logins and `org/team` slugs. Empty = anyone with write access. */
    from: z.array(z.string().min(1)).optional(),
    /** No number of approvals clears it. */
    block: z.boolean().optional(),
  })
  .strict();

export const configSchema = z
  .object({
    /** Dialect when no hint from the path or a lock file says otherwise. */
    dialect: z.enum(DIALECTS).optional(),
    /** Globs selecting migration files; replaces the defaults when given. */
    include: z.array(z.string().min(1)).optional(),
    /** Globs excluded from the selection. */
    exclude: z.array(z.string().min(1)).optional(),
    /** Down migrations: reported non-gating (report), gating (gate) or dropped (ignore). */
    down: z.enum(['report', 'gate', 'ignore']).optional(),
    /** Per-rule overrides: off, a severity, or { severity, gating }. */
    rules: z.record(z.string(), ruleSetting).optional(),
    /** Per-category approval policy, used by the action. */
    policy: z.partialRecord(z.enum(CATEGORIES), categoryPolicy).optional(),
  })
  .strict();

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

/** Validate a parsed config object; throws ConfigError with every problem listed. */
export function validateConfig(raw: unknown, source = 'config'): Config {
  if (raw === null || raw === undefined) return {};
  const r = configSchema.safeParse(raw);
  if (!r.success) {
    const problems = r.error.issues
      .map((i) => `  - ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
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

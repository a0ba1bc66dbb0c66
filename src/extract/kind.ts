// Which kind of file this is, from its path and (for .py/.sql) a look at its text.
import type { FileKind } from '../types.js';
import { isLiquibaseFormatted } from './liquibase.js';

/** Config files that may hold database credentials (issue: framework awareness). */
export const CONFIG_FILE_PATTERNS: RegExp[] = [
  /(^|\/)alembic\.ini$/i,
  /(^|\/)\.env(\.[^/]*)?$/i,
  /(^|\/)schema\.prisma$/i,
  /(^|\/)flyway[^/]*\.(conf|toml)$/i,
  /(^|\/)liquibase[^/]*\.properties$/i,
  /(^|\/)atlas\.hcl$/i,
  /(^|\/)config\/database\.ya?ml$/i,
  /(^|\/)knexfile\.[cm]?[jt]s$/i,
  /(^|\/)ormconfig\.[^/]+$/i,
  /(^|\/)drizzle\.config\.[^/]+$/i,
  /(^|\/)appsettings[^/]*\.json$/i,
  /(^|\/)application[^/]*\.(properties|ya?ml)$/i,
  // Docker Compose files: POSTGRES_PASSWORD, MYSQL_ROOT_PASSWORD, DATABASE_URL of the database services.
  /(^|\/)(docker-)?compose[^/]*\.ya?ml$/i,
  /(^|\/)sqitch\.conf$/i,
  /(^|\/)dbconfig\.ya?ml$/i,
  /(^|\/)config\/config\.json$/i,
  /(^|\/)\.pgpass$/i,
  /(^|\/)\.?my\.cnf$/i,
];

export function isConfigPath(path: string): boolean {
  return CONFIG_FILE_PATTERNS.some((re) => re.test(path));
}

export function classify(path: string, text: string): FileKind {
  const p = path.replace(/\\/g, '/');
  if (isConfigPath(p)) return 'config';
  const lower = p.toLowerCase();
  if (lower.endsWith('.py')) {
    if (/(^|\/)migrations\/\d{4}_[^/]*\.py$/.test(p) && !/\bdown_revision\b/.test(text)) return 'django';
    if (/^\s*down_revision\b|\bdown_revision\s*[:=]/m.test(text)) return 'alembic';
    return 'python';
  }
  if (lower.endsWith('.sql')) {
    if (isLiquibaseFormatted(text)) return 'liquibase';
    if (/(^|\/)migrations\/[^/]+\/migration\.sql$/.test(p)) return 'prisma';
    return 'sql';
  }
  return 'unknown';
}

// `migration-gate verify [options] [PATH...]`: the deploy-time provenance check (src/verify/verify.ts)
// for the CLI. Exit 0: every migration verified; 1: some are not; 2: usage, configuration,
// permission or API error (nothing could be confirmed).
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ConfigError, loadConfigFile, type Config } from '../config/index.js';
import { DiscoverError, discoverFiles, toPosix } from '../discover/index.js';
import { isConfigPath } from '../extract/kind.js';
import { GitHubApiError } from '../github/api.js';
import { octokitProvenanceApi, ROUTE_PERMISSION, type ProvenanceApi } from '../github/provenance.js';
import { DEFAULT_RECORD_CONTEXT, gitBlobSha } from '../provenance/record.js';
import { verify, type FileVerdict, type LocalMigration, type VerifyReport } from '../verify/verify.js';
import type { Io } from './args.js';
import { parseCommandLine, UsageError } from './args.js';

export const VERIFY_USAGE = `Usage: migration-gate verify [options] [PATH...]

Run in the deploy job, just before the migrations run (alembic upgrade, prisma migrate deploy,
flyway migrate, migrate up, ...). For every migration file, confirms through the GitHub API that
these exact bytes (git blob SHA) reached the default branch through a merged pull request on
which migration-gate passed for that content (the action's review record). PATHs are files or
directories (walked with the migration globs); default: the repository root, walked.

Options:
  --repo OWNER/NAME     repository (default: GITHUB_REPOSITORY)
  --token TOKEN         API token (default: GITHUB_TOKEN; prefer the variable: arguments show in ps).
                        Needs contents: read, pull-requests: read, statuses: read
  --api-url URL         REST API base (default: GITHUB_API_URL, else https://api.github.com;
                        GitHub Enterprise Server: https://HOST/api/v3)
  --branch B            the branch the migrations must have reached (default: the default branch)
  --context C           the review record's status context (default: ${DEFAULT_RECORD_CONTEXT})
  --trusted-creator L   only records written by this login count (repeatable; default
                        github-actions[bot]; 'any' accepts every creator)
  --baseline SHA        files with the same bytes as in this commit are accepted as they are
                        (the migrations from before migration-gate recorded reviews)
  --config FILE         config for the include/exclude globs (default: .github/migration-gate.yml
                        in the repository root when present)
  --root DIR            repository root the paths are relative to (default: git's top level)
  --format F            text or json (default: text)
  -h, --help            this help

Exit status: 0 every migration verified, 1 some are unreviewed, edited after review, pushed
directly to the branch or unknown to the repository, 2 usage, permission or API error.
`;

const FORMATS = ['text', 'json'] as const;


export interface VerifyDeps {
  /** Builds the API client (tests may pass a fake). */
  api?: (o: { token: string; owner: string; repo: string; baseUrl?: string; warn?: (m: string) => void }) => ProvenanceApi;
  cwd?: string;
}

export async function verifyMain(argv: string[], io: Io, deps: VerifyDeps = {}): Promise<number> {
  try {
    return await inner(argv, io, deps);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`migration-gate verify: ${e.message}\nRun 'migration-gate verify --help' for usage.\n`);
      return 2;
    }
    if (e instanceof ConfigError || e instanceof DiscoverError) {
      io.stderr(`migration-gate verify: ${e.message}\n`);
      return 2;
    }
    if (e instanceof GitHubApiError) {
      io.stderr(`migration-gate verify: ${apiErrorMessage(e, io.env?.GITHUB_REPOSITORY)}\nNothing was verified.\n`);
      return 2;
    }
    io.stderr(`migration-gate verify: ${(e as Error)?.message ?? e}\nNothing was verified.\n`);
    return 2;
  }
}

/** A 401/403/404 says which permission the token lacks. */
export function apiErrorMessage(e: GitHubApiError, repo?: string): string {
  const perm = ROUTE_PERMISSION[e.route];
  if (e.status === 401) return `the GitHub token was rejected (HTTP 401: bad credentials): ${e.message}`;
  if (/rate limit/i.test(e.message)) return `GitHub API rate limit: ${e.message}`;
  if ((e.status === 403 || e.status === 404) && perm) {
    return `the token cannot read what verify needs (HTTP ${e.status} on ${e.route}): it needs \`${perm}\` on ${repo || 'the repository'}` +
      ` (in a workflow: \`permissions: { contents: read, pull-requests: read, statuses: read }\`; a fine-grained token: Contents, Pull requests and Commit statuses, read)` +
      (e.status === 404 ? '; or the repository does not exist' : '') + `. ${e.message}`;
  }
  return `GitHub API error: ${e.message}`;
}

function repoRoot(cwd: string): string {
  try {
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (top) return top;
  } catch {
    /* not a work tree: the working directory is the root */
  }
  return cwd;
}

async function inner(argv: string[], io: Io, deps: VerifyDeps): Promise<number> {
  const parsed = parseCommandLine(argv, {
    repo: { type: 'string' },
    token: { type: 'string' },
    'api-url': { type: 'string' },
    branch: { type: 'string' },
    context: { type: 'string' },
    'trusted-creator': { type: 'string', multiple: true },
    baseline: { type: 'string' },
    config: { type: 'string' },
    root: { type: 'string' },
    format: { type: 'string', default: 'text' },
    help: { type: 'boolean', short: 'h' },
  });
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(VERIFY_USAGE);
    return 0;
  }
  const env = io.env ?? {};
  const format = values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format '${format}' (text or json)`);
  const full = values.repo ?? env.GITHUB_REPOSITORY ?? '';
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(full);
  if (!m) throw new UsageError(full ? `--repo must be OWNER/NAME, got '${full}'` : 'no repository: pass --repo OWNER/NAME or set GITHUB_REPOSITORY');
  const token = values.token ?? env.GITHUB_TOKEN ?? '';
  if (!token) throw new UsageError('no token: set GITHUB_TOKEN (or pass --token) to a token with contents: read, pull-requests: read and statuses: read');
  const baseUrl = values['api-url'] ?? (env.GITHUB_API_URL || undefined);
  if (values.baseline !== undefined && !/^[0-9a-f]{7,40}$/i.test(values.baseline)) throw new UsageError(`--baseline must be a commit SHA, got '${values.baseline}'`);
  const creators = values['trusted-creator'] ?? ['github-actions[bot]'];
  const anyCreator = creators.some((c) => c.toLowerCase() === 'any');
  const trusted = new Set(creators.map((c) => c.toLowerCase()));

  const cwd = deps.cwd ?? process.cwd();
  const root = resolve(cwd, values.root ?? repoRoot(cwd));
  const configPath = values.config ?? (existsSync(join(root, '.github', 'migration-gate.yml')) ? join(root, '.github', 'migration-gate.yml') : undefined);
  const config: Config = configPath ? loadConfigFile(resolve(cwd, configPath)) : {};

  const given = positionals.length ? positionals.map((p) => resolve(cwd, p)) : [root];
  const explicitFiles = new Set(given.filter((p) => existsSync(p) && statSync(p).isFile()));
  const prev = process.cwd();
  let found;
  try {
    process.chdir(root); // the globs see paths from the repository root, like the action's
    found = discoverFiles(given, config);
  } finally {
    process.chdir(prev);
  }
  const locals: LocalMigration[] = [];
  for (const f of found) {
    const abs = resolve(root, f.path);
    const rel = relative(root, abs);
    if (!rel || rel.startsWith('..') || isAbsolute(rel)) throw new UsageError(`${f.path} is outside the repository root ${root} (see --root)`);
    const path = toPosix(rel);
    // Credential-bearing config files (.env, alembic.ini, ...) are selected for review but are not migrations that run.
    if (isConfigPath(path) && !explicitFiles.has(abs)) continue;
    locals.push({ path, blobSha: gitBlobSha(typeof f.content === 'string' ? new TextEncoder().encode(f.content) : f.content) });
  }
  if (!locals.length) throw new UsageError('no migration files to verify');

  const makeApi = deps.api ?? octokitProvenanceApi;
  const api = makeApi({ token, owner: m[1], repo: m[2], ...(baseUrl ? { baseUrl } : {}), warn: (w) => io.stderr(`migration-gate verify: ${w}\n`) });
  const report = await verify(api, locals, {
    ...(values.branch ? { branch: values.branch } : {}),
    context: values.context ?? DEFAULT_RECORD_CONTEXT,
    acceptCreator: (login) => anyCreator || (!!login && trusted.has(login.toLowerCase())),
    ...(values.baseline ? { baseline: values.baseline.toLowerCase() } : {}),
  });
  io.stdout(format === 'json' ? toJsonReport(report, full) : toTextReport(report, full));
  return report.ok ? 0 : 1;
}

// eslint-disable-next-line no-control-regex
const safe = (s: string) => s.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, '�');

const LABEL: Record<FileVerdict['status'], string> = {
  verified: 'ok',
  baseline: 'ok',
  unreviewed: 'UNREVIEWED',
  'edited-after-review': 'EDITED AFTER REVIEW',
  'direct-push': 'DIRECT PUSH',
  unknown: 'UNKNOWN',
};

export function toTextReport(r: VerifyReport, repo: string): string {
  const lines = [`migration-gate verify: ${r.files.length} migration file${r.files.length === 1 ? '' : 's'} against ${repo}@${r.branch}`];
  const sorted = [...r.files].sort((a, b) => Number(a.status === 'verified' || a.status === 'baseline') - Number(b.status === 'verified' || b.status === 'baseline') || (a.path < b.path ? -1 : 1));
  for (const f of sorted) lines.push(`  ${LABEL[f.status].padEnd(19)} ${safe(f.path)}  ${safe(f.detail)}`);
  const bad = r.files.filter((f) => f.status !== 'verified' && f.status !== 'baseline').length;
  lines.push(bad ? `${bad} of ${r.files.length} not verified: do not run these migrations.` : `all ${r.files.length} verified.`);
  return lines.join('\n') + '\n';
}

export function toJsonReport(r: VerifyReport, repo: string): string {
  const count = (s: FileVerdict['status']) => r.files.filter((f) => f.status === s).length;
  return (
    JSON.stringify(
      {
        ok: r.ok,
        repository: repo,
        branch: r.branch,
        summary: {
          files: r.files.length,
          verified: count('verified'),
          baseline: count('baseline'),
          unreviewed: count('unreviewed'),
          editedAfterReview: count('edited-after-review'),
          directPush: count('direct-push'),
          unknown: count('unknown'),
        },
        files: r.files,
      },
      null,
      2,
    ) + '\n'
  );
}

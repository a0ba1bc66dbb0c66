// `migration-gate privileges [options] PATH…`: what the role that runs the migrations must hold,
// as a GRANT script (PostgreSQL, MySQL/MariaDB), text or JSON. See docs/privileges.md.
// Exit 0: the script covers every statement; 1: some statements need a superuser or could not be
// derived (listed); 2: usage or configuration error.
// With --database-url: compared with a live PostgreSQL role (read-only catalog queries, live.ts);
// exit 0 the role holds exactly what is needed, 1 excess, shortfall or something not checked,
// 2 usage, connection or query error. The URL and its password never appear in any output.
import { ConfigError, didYouMean as suggest, loadConfigFile, type Config } from '../config/index.js';
import { DiscoverError, walkArgs } from '../discover/index.js';
import { preload as preloadPg } from '../parse/guard.js';
import { FORMATS, jsonReport, planAndParse, requirementsOf, script, textReport, trackersOf, type Need, type PlannedSet, type PrivFormat } from '../privileges/index.js';
import { compare, comparisonJson, comparisonText } from '../privileges/compare.js';
import { connectReadOnly, inspect, LiveError, parseDatabaseUrl, reason, type Target } from '../privileges/live.js';
import { DIALECTS, type Dialect } from '../types.js';
import { chooseLift } from './lift.js';
import type { Io } from './args.js';
import { parseCommandLine } from './args.js';

export const PRIVILEGES_USAGE = `Usage: migration-gate privileges [options] PATH...

Derives what the database role that runs the migrations must hold: a GRANT script for a dedicated
migration role (PostgreSQL; MySQL/MariaDB), and the statements only a superuser can run, with file
and line. PATHs are migration files or directories; each migration set found is read whole, in
its runner's order (a file given alone brings the rest of its set from disk).

Options:
  --role NAME           the migration role the script grants to (default: migrator); with
                        --database-url, the live role to inspect (default: the URL's user)
  --format F            ${FORMATS.join(', ')} (default: sql; with --database-url: text or json,
                        default text)
  --dialect D           SQL dialect when the path does not say (${DIALECTS.slice(0, 4).join(', ')}, …)
  --config FILE         the same config file as check (include/exclude globs, dialect)
  --database-url URL    compare with a live PostgreSQL role (postgres://user@host:port/db):
                        read-only catalog queries; reports the EXCESS (held, not needed) and
                        the SHORTFALL (needed, not held). Also read from MG_DATABASE_URL
                        (unless --format sql).
                        The URL is never printed. MySQL/MariaDB URLs are refused.
  --connect-timeout S   seconds to wait for the connection (default 10)
  -o, --output FILE     write to FILE instead of standard output
  -h, --help            this help

Exit status: 0 every statement is covered by the script; 1 some statements need a superuser or
could not be derived (listed in the output); 2 usage or configuration error.
With --database-url: 0 the role holds what the migrations need and nothing more; 1 excess,
shortfall or something that could not be checked (listed); 2 usage, connection or query error.
`;

const ROLE = /^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/;

export async function privilegesMain(argv: string[], io: Io): Promise<number> {
  const fail = (m: string) => {
    io.stderr(`migration-gate privileges: ${m}\nRun 'migration-gate privileges --help' for usage.\n`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseCommandLine(argv, {
      role: { type: 'string' },
      format: { type: 'string' },
      dialect: { type: 'string' },
      config: { type: 'string' },
      'database-url': { type: 'string' },
      'connect-timeout': { type: 'string' },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    });
  } catch (e) {
    return fail((e as Error).message.split('\n')[0]);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(PRIVILEGES_USAGE);
    return 0;
  }
  // MG_DATABASE_URL keeps the password off the command line; an explicit --format sql still prints the script.
  const databaseUrl = values['database-url'] ?? (values.format !== 'sql' && io.env?.MG_DATABASE_URL ? io.env.MG_DATABASE_URL : undefined);
  const live = databaseUrl !== undefined;
  const format = (values.format ?? (live ? 'text' : 'sql')) as PrivFormat;
  if (!(FORMATS as readonly string[]).includes(format)) return fail(`unknown format '${values.format}'${suggest(values.format ?? '', FORMATS) || ` (one of ${FORMATS.join(', ')})`}`);
  const role = values.role ?? 'migrator';
  // The role name goes into a script run by a superuser: quoted there, and kept plain here.
  if (!ROLE.test(role)) return fail(`--role '${role.replace(/[^\x20-\x7e]/g, '?').slice(0, 80)}' is not a plain role name (letters, digits, _ $ -; at most 63)`);
  let dialect: Dialect | undefined;
  if (values.dialect !== undefined) {
    if (!(DIALECTS as readonly string[]).includes(values.dialect)) return fail(`unknown dialect '${values.dialect}'${suggest(values.dialect, DIALECTS)}`);
    dialect = values.dialect as Dialect;
  }
  let target: Target | undefined;
  let connectMs = 10_000;
  if (live) {
    if (format === 'sql') return fail('--format sql prints the GRANT script; with --database-url use text or json');
    try {
      target = parseDatabaseUrl(databaseUrl);
    } catch (e) {
      // Never echo the URL: it usually carries a password.
      return fail((e as Error).message);
    }
    if (values['connect-timeout'] !== undefined) {
      const s = Number(values['connect-timeout']);
      if (!Number.isFinite(s) || s <= 0 || s > 600) return fail(`--connect-timeout must be a number of seconds between 0 and 600`);
      connectMs = Math.round(s * 1000);
    }
  } else if (values['connect-timeout'] !== undefined) return fail('--connect-timeout needs --database-url');
  if (!positionals.length) return fail('no PATH given (migration files or directories)');
  if (positionals.includes('-')) return fail("standard input ('-') is not supported: privileges reads whole migration sets");
  let config: Config = {};
  try {
    if (values.config) config = loadConfigFile(values.config);
    preloadPg();
    // A single file (or part of a set) brings the rest of its migration set from disk; run inside
    // a set, the paths are lifted so that the set is seen (src/cli/lift.ts).
    const lifted = await chooseLift(walkArgs(positionals), config, true);
    const files = lifted.files;
    const history = lifted.history ?? { history: [], sets: [], notes: [] };
    for (const n of history.notes) io.stderr(`migration-gate: ${n}\n`);
    const all = [...files, ...history.history.filter((h) => !files.some((f) => f.path === h.path))];
    const sets = await planAndParse(all, { dialect: dialect ?? config.dialect, config });
    if (!sets.length) return fail('no migration found in the given paths');
    for (const s of sets) for (const p of s.problems) io.stderr(`migration-gate: ${s.name || 'migrations'}: ${p}\n`);
    if (target) return await liveMain(sets, target, values.role, format, connectMs, io, values.output, fail);
    const reqs = requirementsOf(sets);
    const out = format === 'json' ? jsonReport(reqs, role) : format === 'text' ? textReport(reqs, role) : reqs.map((r) => script(r, role)).join('\n');
    if (values.output) {
      if (!io.writeFile) return fail('--output is not supported here');
      try {
        io.writeFile(values.output, out);
      } catch (e) {
        io.stderr(`migration-gate privileges: cannot write ${values.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
        return 2;
      }
    } else io.stdout(out);
    const incomplete = reqs.some((r) => r.needs.some((n) => n.kind === 'superuser' || n.kind === 'unverified'));
    return incomplete ? 1 : 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof DiscoverError) {
      io.stderr(`migration-gate privileges: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/**
 * The live comparison: every PostgreSQL set's needs (together: one role runs them on one database)
 * against the role read from the database. Sets of other dialects are named and left out.
 */
async function liveMain(
  sets: PlannedSet[],
  target: Target,
  roleName: string | undefined,
  format: PrivFormat,
  connectMs: number,
  io: Io,
  output: string | undefined,
  fail: (m: string) => number,
): Promise<number> {
  const tracked = trackersOf(sets);
  const pgSets = tracked.filter((t) => t.requirements.dialect === 'postgresql');
  for (const t of tracked)
    if (t.requirements.dialect !== 'postgresql') io.stderr(`migration-gate privileges: ${t.requirements.set || 'migrations'} (${t.requirements.dialect}) left out: the database is PostgreSQL\n`);
  if (!pgSets.length) return fail('no PostgreSQL migrations found to compare with the database');
  const needs: Need[] = [];
  const seen = new Map<string, Need>();
  for (const t of pgSets)
    for (const n of t.requirements.needs) {
      const key = [n.kind, n.privilege, n.reason, n.object?.type, n.object?.name, n.grantOption].join('\0');
      if (!seen.has(key)) seen.set(key, n), needs.push(n);
    }
  const created = pgSets.flatMap((t) => t.created);
  const started = Date.now();
  let client;
  try {
    client = await connectReadOnly(target, { connectMs, statementMs: 30_000 });
  } catch (e) {
    io.stderr(`migration-gate privileges: ${e instanceof LiveError ? e.message : `cannot connect to ${target.host}: ${reason(e, target.url)}`}\n`);
    return 2;
  }
  let state;
  try {
    state = await inspect(client, roleName, needs, created);
  } catch (e) {
    io.stderr(`migration-gate privileges: ${e instanceof LiveError ? e.message : `reading the catalog of ${target.host} failed: ${reason(e, target.url)}`}\n`);
    return 2;
  } finally {
    await client.end().catch(() => {});
  }
  const cmp = compare(needs, created, state, {
    sets: pgSets.map((t) => t.requirements.set).filter(Boolean),
    files: pgSets.reduce((a, t) => a + t.requirements.files, 0),
    statements: pgSets.reduce((a, t) => a + t.requirements.statements, 0),
  });
  if (io.env?.MG_TIMING) io.stderr(`migration-gate privileges: live comparison took ${Date.now() - started} ms\n`);
  const out = format === 'json' ? comparisonJson(cmp) : comparisonText(cmp);
  if (output) {
    if (!io.writeFile) return fail('--output is not supported here');
    try {
      io.writeFile(output, out);
    } catch (e) {
      io.stderr(`migration-gate privileges: cannot write ${output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return 2;
    }
  } else io.stdout(out);
  return cmp.matches ? 0 : 1;
}

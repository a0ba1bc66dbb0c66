// `migration-gate privileges [options] PATH…`: what the role that runs the migrations must hold,
// as a GRANT script (PostgreSQL, MySQL/MariaDB), text or JSON. See docs/privileges.md.
// Exit 0: the script covers every statement; 1: some statements need a superuser or could not be
// derived (listed); 2: usage or configuration error.
import { ConfigError, didYouMean as suggest, loadConfigFile, type Config } from '../config.js';
import { DiscoverError, discoverFiles } from '../discover.js';
import { preload as preloadPg } from '../parse/guard.js';
import { FORMATS, jsonReport, planAndParse, requirementsOf, script, textReport, type PrivFormat } from '../privileges/index.js';
import { DIALECTS, type Dialect } from '../types.js';
import { readHistory } from './history.js';
import type { Io } from './main.js';
import { parseCommandLine } from './args.js';

export const PRIVILEGES_USAGE = `Usage: migration-gate privileges [options] PATH...

Derives what the database role that runs the migrations must hold: a GRANT script for a dedicated
migration role (PostgreSQL; MySQL/MariaDB), and the statements only a superuser can run, with file
and line. PATHs are migration files or directories; each migration set found is read whole, in
its runner's order (a file given alone brings the rest of its set from disk).

Options:
  --role NAME           the migration role the script grants to (default: migrator)
  --format F            ${FORMATS.join(', ')} (default: sql)
  --dialect D           SQL dialect when the path does not say (${DIALECTS.slice(0, 4).join(', ')}, …)
  --config FILE         the same config file as check (include/exclude globs, dialect)
  --database-url URL    compare with a live role: not available in this build (see docs/privileges.md)
  -o, --output FILE     write to FILE instead of standard output
  -h, --help            this help

Exit status: 0 every statement is covered by the script; 1 some statements need a superuser or
could not be derived (listed in the output); 2 usage or configuration error.
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
      role: { type: 'string', default: 'migrator' },
      format: { type: 'string', default: 'sql' },
      dialect: { type: 'string' },
      config: { type: 'string' },
      'database-url': { type: 'string' },
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
  const format = values.format as PrivFormat;
  if (!(FORMATS as readonly string[]).includes(format)) return fail(`unknown format '${values.format}'${suggest(values.format ?? '', FORMATS) || ` (one of ${FORMATS.join(', ')})`}`);
  const role = values.role ?? 'migrator';
  // The role name goes into a script run by a superuser: quoted there, and kept plain here.
  if (!ROLE.test(role)) return fail(`--role '${role.replace(/[^\x20-\x7e]/g, '?').slice(0, 80)}' is not a plain role name (letters, digits, _ $ -; at most 63)`);
  let dialect: Dialect | undefined;
  if (values.dialect !== undefined) {
    if (!(DIALECTS as readonly string[]).includes(values.dialect)) return fail(`unknown dialect '${values.dialect}'${suggest(values.dialect, DIALECTS)}`);
    dialect = values.dialect as Dialect;
  }
  if (values['database-url'] !== undefined) {
    // Never echo the URL: it usually carries a password.
    io.stderr(
      'migration-gate privileges: --database-url is not available in this build: reading a live role needs a PostgreSQL client library, ' +
        'which the package does not bundle. Compare the script with `\\du+` and `\\dp` by hand (see docs/privileges.md).\n',
    );
    return 2;
  }
  if (!positionals.length) return fail('no PATH given (migration files or directories)');
  if (positionals.includes('-')) return fail("standard input ('-') is not supported: privileges reads whole migration sets");
  let config: Config = {};
  try {
    if (values.config) config = loadConfigFile(values.config);
    preloadPg();
    const files = discoverFiles(positionals, config);
    // A single file (or part of a set) brings the rest of its migration set from disk.
    const history = await readHistory(files);
    for (const n of history.notes) io.stderr(`migration-gate: ${n}\n`);
    const all = [...files, ...history.history.filter((h) => !files.some((f) => f.path === h.path))];
    const sets = await planAndParse(all, { dialect: dialect ?? config.dialect, config });
    if (!sets.length) return fail('no migration found in the given paths');
    const reqs = requirementsOf(sets);
    for (const s of sets) for (const p of s.problems) io.stderr(`migration-gate: ${s.name || 'migrations'}: ${p}\n`);
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

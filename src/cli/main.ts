// The CLI: `migration-gate check [--dialect D] [--format F] [--config FILE] PATH…`.
// Exit 0: no gating finding; 1: gating findings; 2: usage or configuration error.
import { ConfigError, didYouMean as suggest, loadConfigFile, MODES, parseReplayTimeout, type Config, type Mode } from '../config/index.js';
import { DiscoverError, selectWalked, walkArgs } from '../discover/index.js';
import { decode } from '../extract/index.js';
import type { SourceFile } from '../types.js';
import { prewarmReplay, run } from '../engine.js';
import { availableParallelism } from 'node:os';
import { historySummary, readHistory, type CliHistory } from './history.js';
import { chooseLift } from './lift.js';
import { preload as preloadPg } from '../parse/guard.js';
import { toJson } from '../report/json.js';
import { toMarkdown } from '../report/markdown.js';
import { toSarif } from '../report/sarif.js';
import { sarifRoot } from './repo-root.js';
import { toText } from '../report/text.js';
import { DIALECTS, type Dialect } from '../types.js';
import { parseCommandLine, UsageError, type Io } from './args.js';
export type { Io };
import { parseDatabaseUrl, redactUrl } from '../replay/url.js';

export const VERSION = '0.1.0';

const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
const COMMANDS = ['check', 'verify', 'privileges', 'help'] as const;

const USAGE = `Usage: migration-gate check [options] PATH...
       migration-gate check [options] -          (read one migration from standard input)
       migration-gate verify [options] [PATH...]  (deploy time: were these bytes reviewed?
                                                   see 'migration-gate verify --help')
       migration-gate privileges [options] PATH...   (the GRANT script the migration role needs;
                                                   'migration-gate privileges --help')
       migration-gate help

Reviews database migrations: flags destructive statements, privilege changes, code execution
and hardcoded credentials. PATHs are files (always checked) or directories (walked with the
migration globs, honouring .gitignore in a git work tree).

Options:
  --dialect D           SQL dialect: ${DIALECTS.join(', ')}
                        (default: from the path, Prisma's migration_lock.toml, else postgresql)
  --format F            ${FORMATS.join(', ')} (default: text)
  --config FILE         YAML/JSON config (rules, include/exclude globs, down migrations, policy)
  --history H           auto (default): the earlier migrations of each file's set (Prisma,
                        Flyway, golang-migrate, goose, dbmate, pop, memos, sqitch, Drizzle,
                        Liquibase, Alembic, Django, numbered SQL), read from disk, are the
                        state it is judged against; a directory is judged file by file in
                        the framework's order. none: each file alone.
  --database-url URL    mysql://user:password@host:port/ of a MySQL or MariaDB server to
                        replay the mysql/mariadb files on (their history, then the file), in a
                        throwaway database and account made and dropped for the run; the
                        account needs CREATE, CREATE USER and GRANT OPTION. Also read from
                        MIGRATION_GATE_DATABASE_URL (preferred: command lines are visible to
                        other users). Only for MySQL/MariaDB; never printed.
  --mode M              gate (default): exit 1 on findings that need approval; report: a
                        report-only rollout, exit 0 and say what would have gated
                        (overrides the config file's mode)
  --replay-timeout S    seconds the replay of one migration set may take in all, 1 to 600
                        (default: the config's replayTimeout, else 20; 120 on a MySQL
                        server); past it the rest is judged without replayed state
                        (finding replay-limit). Overrides the config file's replayTimeout.
  -o, --output FILE     write the report to FILE instead of standard output
  --stdin-filename NAME the name standard input is checked as (default: stdin.sql); its
                        extension and folders choose the kind (SQL, Alembic, Django, config)
  -h, --help            this help
  -v, --version         print the version

Colour: on a terminal, unless NO_COLOR is set or TERM=dumb; FORCE_COLOR=1 forces it.
Exit status: 0 no gating finding (or --mode report), 1 gating findings, 2 usage or
configuration error.
`;


/** Colour per NO_COLOR (no-color.org), FORCE_COLOR (0/false: off, else on) and TERM=dumb. */
export function useColor(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return !['0', 'false'].includes(env.FORCE_COLOR.toLowerCase());
  if (env.TERM === 'dumb') return false;
  return isTTY;
}


class OutputError extends Error {}

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await mainInner(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`migration-gate: ${e.message}\nRun 'migration-gate help' for usage.\n`);
      return 2;
    }
    if (e instanceof ConfigError || e instanceof DiscoverError || e instanceof OutputError) {
      io.stderr(`migration-gate: ${e.message}\n`);
      return 2;
    }
    io.stderr(`migration-gate: internal error: ${hideUrls(String((e as Error).stack ?? e), argv, io.env)}\n`);
    return 2;
  }
}

/** A message without any database URL given on the command line or in the environment. */
function hideUrls(text: string, argv: string[], env: Record<string, string | undefined> | undefined): string {
  const urls = [env?.MIGRATION_GATE_DATABASE_URL];
  argv.forEach((a, i) => {
    if (a === '--database-url') urls.push(argv[i + 1]);
    else if (a.startsWith('--database-url=')) urls.push(a.slice('--database-url='.length));
  });
  return urls.reduce<string>((t, u) => (u ? redactUrl(t, u) : t), text);
}

async function mainInner(argv: string[], io: Io): Promise<number> {
  // Loaded on demand: the GitHub client (undici, octokit) and the PostgreSQL client (pg) were about a
  // third of the CLI's start-up, and `check` needs neither.
  if (argv[0] === 'verify') return (await import('./verify.js')).verifyMain(argv.slice(1), io);
  if (argv[0] === 'privileges') return (await import('./privileges.js')).privilegesMain(argv.slice(1), io);
  const parsed = parseCommandLine(argv, {
    dialect: { type: 'string' },
    format: { type: 'string', default: 'text' },
    config: { type: 'string' },
    history: { type: 'string', default: 'auto' },
    'database-url': { type: 'string' },
    mode: { type: 'string' },
    'replay-timeout': { type: 'string' },
    output: { type: 'string', short: 'o' },
    'stdin-filename': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  });
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (values.version) {
    io.stdout(`migration-gate ${VERSION}\n`);
    return 0;
  }
  const [command, ...paths] = positionals;
  if (command === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (command !== 'check') throw new UsageError(command ? `unknown command '${command}'${suggest(command, COMMANDS)}` : 'missing command (check, verify, privileges or help)');
  if (!paths.length) throw new UsageError("no PATH given (a file, a directory, or '-' for standard input)");
  const format = values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format '${format}'${suggest(format, FORMATS) || ` (one of ${FORMATS.join(', ')})`}`);
  let dialect: Dialect | undefined;
  if (values.dialect !== undefined) {
    if (!(DIALECTS as readonly string[]).includes(values.dialect)) throw new UsageError(`unknown dialect '${values.dialect}'${suggest(values.dialect, DIALECTS) || ` (one of ${DIALECTS.join(', ')})`}`);
    dialect = values.dialect as Dialect;
  }
  const stdinCount = paths.filter((p) => p === '-').length;
  if (stdinCount > 1) throw new UsageError("'-' (standard input) can be given once");
  if (values['stdin-filename'] !== undefined && !stdinCount) throw new UsageError("--stdin-filename needs '-' among the PATHs");
  const historyMode = values.history ?? 'auto';
  if (historyMode !== 'auto' && historyMode !== 'none') throw new UsageError(`unknown --history '${historyMode}' (auto or none)`);
  if (values.mode !== undefined && !(MODES as readonly string[]).includes(values.mode)) throw new UsageError(`unknown mode '${values.mode}'${suggest(values.mode, MODES) || ` (one of ${MODES.join(', ')})`}`);
  const databaseUrl = values['database-url'] ?? (io.env?.MIGRATION_GATE_DATABASE_URL || undefined);
  if (databaseUrl !== undefined) {
    try {
      parseDatabaseUrl(databaseUrl);
    } catch (e) {
      // The parser's messages never quote the URL.
      throw new UsageError(`--database-url: ${(e as Error).message}`);
    }
  }
  let replayTimeoutMs: number | undefined;
  if (values['replay-timeout'] !== undefined) {
    try {
      replayTimeoutMs = Math.round(parseReplayTimeout(values['replay-timeout']) * 1000);
    } catch (e) {
      throw new UsageError(`--replay-timeout: ${(e as Error).message}`);
    }
  }
  const config: Config = values.config ? loadConfigFile(values.config) : {};
  const mode: Mode = (values.mode as Mode | undefined) ?? config.mode ?? 'gate';
  preloadPg(); // compile the parser while the files are read
  // The sandbox's worker starts now, on another core, while the files and their history are read
  // and parsed (most runs replay in PostgreSQL; the engine would start it only after the first
  // file's parse). On one core it would only compete: the engine starts it when needed.
  if ((config.replay ?? true) && availableParallelism() > 1) prewarmReplay('postgresql');
  const args = walkArgs(paths.filter((p) => p !== '-'));
  let files: SourceFile[];
  let history: CliHistory | undefined;
  if (stdinCount) {
    // Standard input: paths as given (no lifting, src/cli/lift.ts), the named file joins them.
    files = selectWalked(args, config);
    if (!io.readStdin) throw new UsageError('standard input is not supported here');
    const name = values['stdin-filename'] ?? 'stdin.sql';
    if (!name.trim()) throw new UsageError('--stdin-filename is empty');
    files.push({ path: name.replace(/\\/g, '/'), content: await io.readStdin() });
    if (historyMode === 'auto' && files.length) history = await readHistory(files);
  } else {
    // Run inside a migration set, the paths are written from as high up as the planners need.
    ({ files, history } = await chooseLift(args, config, historyMode === 'auto'));
  }
  if (history) for (const n of history.notes) io.stderr(`migration-gate: ${n}\n`);
  const result = await run(files, { config, dialect, ...(history ? { history: history.history } : {}), ...(databaseUrl ? { databaseUrl } : {}), ...(replayTimeoutMs ? { replayTimeoutMs } : {}) });
  let out: string;
  // The history summary after the result's own keys, written in the same one pass.
  if (format === 'json') out = history ? toJson({ ...result, history: historySummary(history.sets) }) : toJson(result);
  else if (format === 'sarif') out = toSarif(result, undefined, VERSION, sarifRoot());
  else if (format === 'markdown') out = toMarkdown(result);
  else {
    // The code frame shows the source line itself, so the text report needs the files' text.
    const sources = new Map(files.map((f) => [f.path, decode(f.content).text]));
    out = toText(result, { color: !values.output && useColor(io.env ?? {}, io.isTTY), sources });
    if (mode === 'report') out += reportOnlyLine(result.summary.gating) + '\n';
  }
  if (values.output) {
    if (!io.writeFile) throw new UsageError('--output is not supported here');
    try {
      io.writeFile(values.output, out);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === 'ENOENT' ? 'its directory does not exist' : err.code === 'EISDIR' ? 'it is a directory' : err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied' : (err.code ?? err.message);
      throw new OutputError(`cannot write the report to ${values.output}: ${why}`);
    }
  } else io.stdout(out);
  if (mode === 'report') {
    // Report-only rollout: findings reported as usual, exit 0; machine formats keep stdout clean.
    if (format !== 'text' || values.output) io.stderr(`migration-gate: ${reportOnlyLine(result.summary.gating)}\n`);
    return 0;
  }
  return result.summary.gating > 0 ? 1 : 0;
}

function reportOnlyLine(gating: number): string {
  return gating
    ? `report-only mode: ${gating} gating finding${gating === 1 ? '' : 's'} would exit 1 in gate mode (exit status 0).`
    : 'report-only mode: nothing would gate in gate mode either.';
}

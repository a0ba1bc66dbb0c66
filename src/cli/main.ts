// The CLI: `migration-gate check [--dialect D] [--format F] [--config FILE] PATH…`.
// Exit 0: no gating finding; 1: gating findings; 2: usage or configuration error.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFile, type Config } from '../config.js';
import { DiscoverError, discoverFiles } from '../discover.js';
import { run } from '../engine.js';
import { historySummary, readHistory, type CliHistory } from './history.js';
import { preload as preloadPg } from '../parse/guard.js';
import { toJson } from '../report/json.js';
import { toMarkdown } from '../report/markdown.js';
import { toSarif } from '../report/sarif.js';
import { toText } from '../report/text.js';
import { DIALECTS, type Dialect } from '../types.js';

export const VERSION = '0.1.0';

const USAGE = `Usage: migration-gate check [options] PATH...

Reviews database migrations: flags destructive statements, privilege changes, code execution
and hardcoded credentials. PATHs are files or directories (walked with the migration globs).

Options:
  --dialect D      SQL dialect: ${DIALECTS.join(', ')}
                   (default: from the path, Prisma's migration_lock.toml, else postgresql)
  --format F       text (default), json, sarif, markdown
  --config FILE    YAML/JSON config (rules, include/exclude globs, down migrations, policy)
  --history H      auto (default): the earlier migrations of each file's set (Prisma, Flyway,
                   golang-migrate, goose, dbmate, pop, memos, sqitch, Drizzle, Liquibase,
                   Alembic, Django, numbered SQL), read from disk, are the state it runs
                   against; a directory is judged file by file in the framework's order.
                   none: each file alone.
  -o, --output F   write the report to a file instead of standard output
  -h, --help       this help
  -v, --version    print the version

Exit status: 0 no gating finding, 1 gating findings, 2 usage or configuration error.
`;

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  writeFile?: (path: string, data: string) => void;
}

class UsageError extends Error {}

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await mainInner(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`migration-gate: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ConfigError || e instanceof DiscoverError) {
      io.stderr(`migration-gate: ${e.message}\n`);
      return 2;
    }
    io.stderr(`migration-gate: internal error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

async function mainInner(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        dialect: { type: 'string' },
        format: { type: 'string', default: 'text' },
        config: { type: 'string' },
        history: { type: 'string', default: 'auto' },
        output: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
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
  if (command !== 'check') throw new UsageError(command ? `unknown command '${command}'` : 'missing command');
  if (!paths.length) throw new UsageError('no PATH given');
  const format = values.format ?? 'text';
  if (!['text', 'json', 'sarif', 'markdown'].includes(format)) throw new UsageError(`unknown format '${format}'`);
  let dialect: Dialect | undefined;
  if (values.dialect !== undefined) {
    if (!(DIALECTS as readonly string[]).includes(values.dialect)) throw new UsageError(`unknown dialect '${values.dialect}' (one of ${DIALECTS.join(', ')})`);
    dialect = values.dialect as Dialect;
  }
  const historyMode = values.history ?? 'auto';
  if (historyMode !== 'auto' && historyMode !== 'none') throw new UsageError(`unknown --history '${historyMode}' (auto or none)`);
  const config: Config = values.config ? loadConfigFile(values.config) : {};
  preloadPg(); // compile the parser while the files are read
  const files = discoverFiles(paths, config);
  if (!files.length) io.stderr('migration-gate: no migration files found under the given paths\n');
  let history: CliHistory | undefined;
  if (historyMode === 'auto' && files.length) {
    history = readHistory(files);
    for (const n of history.notes) io.stderr(`migration-gate: ${n}\n`);
  }
  const result = await run(files, { config, dialect, ...(history ? { history: history.history } : {}) });
  const out =
    format === 'json' ? (history ? JSON.stringify({ ...JSON.parse(toJson(result)), history: historySummary(history.sets) }, null, 2) + '\n' : toJson(result)) : format === 'sarif' ? toSarif(result, undefined, VERSION) : format === 'markdown' ? toMarkdown(result) : toText(result, io.isTTY && !values.output && !process.env.NO_COLOR);
  if (values.output) {
    if (!io.writeFile) throw new UsageError('--output is not supported here');
    io.writeFile(values.output, out);
  } else io.stdout(out);
  return result.summary.gating > 0 ? 1 : 0;
}

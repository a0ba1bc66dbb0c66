// A throwaway PostgreSQL cluster for tests: initdb into a temp dir, a server on a free loopback
// port (and a unix socket in the temp dir), password (SCRAM) authentication, every statement
// logged with its application name (tests read the log). Run as root (CI), the server runs as
// the `postgres` OS user if there is one, else `nobody` (PostgreSQL refuses to run as root).
// The server binaries: $MG_PG_BIN, else `initdb` on PATH, else /usr/lib/postgresql/<newest>/bin
// (Debian's layout; `.ci/run` installs the postgresql package when none is found).
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

export function findPostgresBin(): string | undefined {
  const ok = (d: string) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')) && existsSync(join(d, 'postgres'));
  if (process.env.MG_PG_BIN && ok(process.env.MG_PG_BIN)) return process.env.MG_PG_BIN;
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim() && ok(dirname(which.stdout.trim()))) return dirname(which.stdout.trim());
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => ok(join(base, v, 'bin')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Cluster {
  port: number;
  dir: string;
  superPassword: string;
  /** postgres://user:password@127.0.0.1:port/db (password percent-encoded). */
  url(user: string, password: string, db?: string): string;
  /** A connected client as the bootstrap superuser. */
  admin(db?: string): Promise<pg.Client>;
  /** The server log so far. */
  log(): string;
  stop(): void;
}

export async function startCluster(bin: string, superPassword: string): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'mg-pg-'));
  let asUser: string[] = [];
  if (process.getuid?.() === 0) {
    const user = spawnSync('id', ['-u', 'postgres']).status === 0 ? 'postgres' : 'nobody';
    const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    asUser = ['runuser', '-u', user, '--'];
  }
  const run = (cmd: string, args: string[]) => {
    const argv = [...asUser, join(bin, cmd), ...args];
    const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, superPassword + '\n', { mode: 0o600 });
  if (asUser.length) chownSync(pwfile, Number(execFileSync('id', ['-u', asUser[2]], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', asUser[2]], { encoding: 'utf8' })));
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync']);
  rmSync(pwfile);
  const port = await freePort();
  appendFileSync(
    join(data, 'postgresql.conf'),
    [
      `listen_addresses = '127.0.0.1'`,
      `port = ${port}`,
      `unix_socket_directories = '${dir}'`,
      'fsync = off',
      'log_statement = all',
      `log_line_prefix = '[%a] '`,
      'logging_collector = off',
      '',
    ].join('\n'),
  );
  const logFile = join(dir, 'server.log');
  run('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '60', 'start']);
  const url = (user: string, password: string, db = 'postgres') => `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;
  return {
    port,
    dir,
    superPassword,
    url,
    async admin(db = 'postgres') {
      const c = new pg.Client({ connectionString: url('postgres', superPassword, db), application_name: 'test-admin' });
      await c.connect();
      return c;
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

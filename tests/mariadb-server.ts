// A real MariaDB server for the --database-url tests: Debian's mariadb-server (installed by
// .ci/run when missing), started in a temporary datadir on a loopback port, killed afterwards.
// Missing binary: the tests fail with a clear message, unless MG_SKIP_MARIADB=1.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';

export const SKIP_MARIADB = process.env.MG_SKIP_MARIADB === '1';

function which(name: string): string | null {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', ...(process.env.PATH ?? '').split(':')]) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

export interface TestServer {
  port: number;
  /** Admin account (CREATE USER, GRANT OPTION) with a password that needs URL encoding. */
  url: string;
  password: string;
  /** A root connection over the socket, for assertions. */
  root: Connection;
  stop: () => Promise<void>;
}

export async function startMariadb(): Promise<TestServer> {
  const mariadbd = which('mariadbd') ?? which('mysqld');
  const installDb = which('mariadb-install-db') ?? which('mysql_install_db');
  if (!mariadbd || !installDb)
    throw new Error('mariadbd / mariadb-install-db not found: install Debian\'s mariadb-server (apt-get install mariadb-server; .ci/run does it) or set MG_SKIP_MARIADB=1 to skip these tests');
  const dir = mkdtempSync(join(tmpdir(), 'mg-mariadb-'));
  const data = join(dir, 'data');
  const socket = join(dir, 'sock');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const init = spawnSync(installDb, ['--no-defaults', '--auth-root-authentication-method=normal', `--datadir=${data}`, '--skip-test-db', ...asRoot], { encoding: 'utf8', timeout: 120_000 });
  if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const server: ChildProcess = spawn(
    mariadbd,
    ['--no-defaults', `--datadir=${data}`, `--socket=${socket}`, `--port=${port}`, '--bind-address=127.0.0.1', '--skip-name-resolve', `--pid-file=${join(dir, 'pid')}`, '--innodb-buffer-pool-size=32M', '--skip-log-bin', ...asRoot],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  server.stderr?.on('data', (d) => (log += String(d)));
  let root: Connection | undefined;
  const until = Date.now() + 90_000;
  while (!root) {
    if (server.exitCode !== null) throw new Error(`mariadbd exited: ${log.slice(-2000)}`);
    try {
      root = await createConnection({ socketPath: socket, user: 'root', password: '' });
    } catch {
      if (Date.now() > until) throw new Error(`mariadbd did not start in 90 s: ${log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const password = 'pa:ss@w/rd#Sekr3t';
  await root.query(`CREATE USER 'mgadmin'@'127.0.0.1' IDENTIFIED BY '${password}'`);
  await root.query(`GRANT ALL PRIVILEGES ON *.* TO 'mgadmin'@'127.0.0.1' WITH GRANT OPTION`);
  const url = `mysql://mgadmin:${encodeURIComponent(password)}@127.0.0.1:${port}/`;
  return {
    port,
    url,
    password,
    root,
    stop: async () => {
      await root!.end().catch(() => {});
      server.kill('SIGTERM');
      await new Promise<void>((r) => {
        if (server.exitCode !== null) return r();
        const t = setTimeout(() => (server.kill('SIGKILL'), r()), 20_000);
        server.on('exit', () => (clearTimeout(t), r()));
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

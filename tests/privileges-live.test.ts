// `migration-gate privileges --database-url` against a REAL PostgreSQL (the server binaries of the
// machine, a throwaway cluster: tests/pg-cluster.ts). Roles made from our own GRANT script, with
// extra attributes and memberships, and missing an ownership; the CLI run as users run it (main
// in-process, and the built bundle spawned). Also: nothing is written (the server's statement log
// and a catalog fingerprint), and no password or URL ever appears in an output.
// No server binary: the suite FAILS (a skipped live check would read as a pass), unless
// MG_SKIP_POSTGRES=1.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { compare } from '../src/privileges/compare.js';
import { delegatedRole, parseDatabaseUrl, redact, type LiveState } from '../src/privileges/live.js';
import type { Need } from '../src/privileges/needs.js';
import { findPostgresBin, startCluster, type Cluster } from './pg-cluster.js';

const FIX = new URL('./privileges-fixtures/live/', import.meta.url).pathname;
const MIGRATIONS = join(FIX, 'db/migrations');
const ROOT = new URL('..', import.meta.url).pathname;
const DIST = join(ROOT, 'dist/cli/index.js');

// Distinctive passwords: any of them in any output is a leak. One needs percent-encoding in a URL.
const SUPER_PW = 'Su-p3r#secret/Pw';
const PW: Record<string, string> = { migrator: 'Migr-pw-7c1e', wide: 'Wide-pw-90aa', short: 'Short-pw-4b2d' };
const secrets = [SUPER_PW, encodeURIComponent(SUPER_PW), ...Object.values(PW)];

const outputs: string[] = [];
async function cli(args: string[], env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const code = await main(['privileges', ...args], { stdout: (s) => void (out.stdout += s), stderr: (s) => void (out.stderr += s), isTTY: false, env });
  outputs.push(out.stdout, out.stderr);
  return { code, ...out };
}

/** Table, schema, role, membership, database and setting state: equal before and after = nothing was written. */
const FINGERPRINT = `SELECT md5(concat_ws('|',
  (SELECT string_agg(concat_ws(',', c.oid, c.relname, c.relowner, c.relacl, c.relnatts), ';' ORDER BY c.oid) FROM pg_class c),
  (SELECT string_agg(concat_ws(',', n.oid, n.nspname, n.nspowner, n.nspacl), ';' ORDER BY n.oid) FROM pg_namespace n),
  (SELECT string_agg(concat_ws(',', r.oid, r.rolname, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls), ';' ORDER BY r.oid) FROM pg_roles r),
  (SELECT string_agg(concat_ws(',', m.roleid, m.member, m.admin_option), ';' ORDER BY m.roleid, m.member) FROM pg_auth_members m),
  (SELECT string_agg(concat_ws(',', d.oid, d.datname, d.datdba, d.datacl), ';' ORDER BY d.oid) FROM pg_database d),
  (SELECT string_agg(concat_ws(',', s.setdatabase, s.setrole, s.setconfig), ';') FROM pg_db_role_setting s),
  (SELECT count(*) FROM accounts), (SELECT string_agg(attname, ',' ORDER BY attrelid, attnum) FROM pg_attribute WHERE attnum > 0)
)) AS f`;

const bin = findPostgresBin();
const skip = !bin && process.env.MG_SKIP_POSTGRES === '1';

if (!bin && !skip) {
  describe('privileges --database-url against a real PostgreSQL', () => {
    it('needs the PostgreSQL server binaries', () => {
      throw new Error(
        'No PostgreSQL server found (initdb/pg_ctl/postgres: $MG_PG_BIN, PATH, /usr/lib/postgresql/*/bin). ' +
          'Install it (Debian: apt-get install postgresql; .ci/run does this) or set MG_SKIP_POSTGRES=1 to skip these tests knowingly.',
      );
    });
  });
}

describe.skipIf(!bin)('privileges --database-url against a real PostgreSQL', () => {
  let cluster: Cluster;
  const fingerprints = new Map<string, string>();
  const fingerprint = async (db: string) => {
    const c = await cluster.admin(db);
    try {
      return (await c.query(FINGERPRINT)).rows[0].f as string;
    } finally {
      await c.end();
    }
  };
  const exec = async (db: string, sql: string, as?: { user: string; pw: string }) => {
    const c = as ? new pg.Client({ connectionString: cluster.url(as.user, as.pw, db), application_name: 'test-setup' }) : await cluster.admin(db);
    if (as) await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  const scriptFor = async (role: string) => {
    const r = await cli(['--role', role, MIGRATIONS]);
    expect(r.code).toBe(0);
    return r.stdout;
  };
  const url = (user: string, db: string) => cluster.url(user, user === 'postgres' ? SUPER_PW : PW[user], db);
  const excess = (j: any) => j.excess.map((f: any) => f.what).sort();
  const shortfall = (j: any) => j.shortfall.map((f: any) => f.what).sort();

  beforeAll(async () => {
    cluster = await startCluster(bin!, SUPER_PW);
    await exec('postgres', `CREATE ROLE migrator LOGIN PASSWORD '${PW.migrator}'; CREATE ROLE wide LOGIN PASSWORD '${PW.wide}'; CREATE ROLE short LOGIN PASSWORD '${PW.short}'`);
    // One database per role; in each, a table the DBA made before the migrations (the history alters it).
    for (const db of ['app_tight', 'app_wide', 'app_short']) {
      await exec('postgres', `CREATE DATABASE ${db}`);
      await exec(db, 'CREATE TABLE accounts (id serial PRIMARY KEY, name text); INSERT INTO accounts (name) VALUES (\'a\')');
    }
    // migrator: exactly our GRANT script. wide: the script, plus CREATEROLE and pg_write_all_data.
    // short: the grants without the ownership of accounts.
    await exec('app_tight', await scriptFor('migrator'));
    await exec('app_wide', await scriptFor('wide'));
    await exec('postgres', 'ALTER ROLE wide CREATEROLE; GRANT pg_write_all_data TO wide');
    await exec('app_short', 'GRANT CONNECT ON DATABASE app_short TO short; GRANT USAGE, CREATE ON SCHEMA public TO short; GRANT REFERENCES ON accounts TO short');
    for (const db of ['app_tight', 'app_wide', 'app_short']) fingerprints.set(db, await fingerprint(db));
  }, 120_000);

  afterAll(() => cluster?.stop());

  it('a superuser: SUPERUSER and the other attributes are excess, with what the migrations need instead; no shortfall; exit 1', async () => {
    const r = await cli(['--database-url', url('postgres', 'app_tight'), MIGRATIONS]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the migration user is SUPERUSER but the migrations need only: CREATE on schema public, owner of table public.accounts');
    expect(r.stdout).toContain('has CREATEROLE, not needed');
    expect(r.stdout).toMatch(/Shortfall[^\n]*\(0\): none/);
    const j = JSON.parse((await cli(['--format', 'json', '--database-url', url('postgres', 'app_tight'), MIGRATIONS])).stdout);
    expect(excess(j)).toEqual(['BYPASSRLS', 'CREATEDB', 'CREATEROLE', 'REPLICATION', 'SUPERUSER']);
    expect(j.shortfall).toEqual([]);
    expect(j.role).toMatchObject({ name: 'postgres', superuser: true });
  });

  it('the role made from our GRANT script holds what the migrations need and nothing more (exit 0), before and after the history ran as it', async () => {
    const before = await cli(['--database-url', url('migrator', 'app_tight'), MIGRATIONS]);
    expect(before.stdout).toContain('The role holds what the migrations need, and nothing more.');
    expect(before.code).toBe(0);
    // Run the history as the role (what `migrate up` does), then compare again: it owns what it created.
    for (const f of readdirSync(MIGRATIONS).filter((f) => f.endsWith('.up.sql')).sort()) await exec('app_tight', readFileSync(join(MIGRATIONS, f), 'utf8'), { user: 'migrator', pw: PW.migrator });
    fingerprints.set('app_tight', await fingerprint('app_tight'));
    const after = await cli(['--format', 'json', '--database-url', url('migrator', 'app_tight'), MIGRATIONS]);
    const j = JSON.parse(after.stdout);
    expect(j).toMatchObject({ matches: true, excess: [], shortfall: [], unchecked: [], database: 'app_tight' });
    expect(after.code).toBe(0);
  });

  it('extra CREATEROLE and membership in pg_write_all_data: exactly those are excess; exit 1', async () => {
    const r = await cli(['--database-url', url('wide', 'app_wide'), MIGRATIONS]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('has CREATEROLE, not needed');
    expect(r.stdout).toContain('member of pg_write_all_data, not needed (INSERT, UPDATE and DELETE on every table');
    const j = JSON.parse((await cli(['--format', 'json', '--database-url', url('wide', 'app_wide'), MIGRATIONS])).stdout);
    expect(excess(j)).toEqual(['CREATEROLE', 'member of pg_write_all_data']);
    expect(j.shortfall).toEqual([]);
  });

  it('a role without the ownership the history needs: the shortfall names it, its owner and the statement', async () => {
    const r = await cli(['--database-url', url('short', 'app_short'), MIGRATIONS]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/needs owner of table public\.accounts \(owned by postgres\): the role lacks it, so ALTER TABLE public\.accounts would fail {2}\[[^\]]*0002_orders\.up\.sql:2\]/);
    const j = JSON.parse((await cli(['--format', 'json', '--database-url', url('short', 'app_short'), MIGRATIONS])).stdout);
    expect(shortfall(j)).toEqual(['owner of table public.accounts']);
    expect(j.excess).toEqual([]);
  });

  it('--role inspects another role than the session user; the objects the history created belong to someone else: shortfall', async () => {
    const same = await cli(['--role', 'migrator', '--database-url', url('postgres', 'app_tight'), MIGRATIONS]);
    expect(same.stdout).toMatch(/^Role migrator on database app_tight/);
    expect(same.code).toBe(0);
    // short has no grants in app_tight, and the history ran there as migrator.
    const j = JSON.parse((await cli(['--role', 'short', '--format', 'json', '--database-url', url('postgres', 'app_tight'), MIGRATIONS])).stdout);
    expect(shortfall(j)).toEqual(
      expect.arrayContaining(['CREATE on schema public', 'owner of table public.accounts', 'owner of 2 object(s) the migrations created, owned by migrator', 'REFERENCES on table public.accounts']),
    );
    expect(j.shortfall.find((f: any) => f.what.startsWith('owner of 2')).detail).toContain('2 object(s) the migrations created belong to migrator, not to short (table public.users, table public.orders)');
    const none = await cli(['--role', 'nosuchrole', '--database-url', url('postgres', 'app_tight'), MIGRATIONS]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("role 'nosuchrole' does not exist");
  });

  it('connection errors: one line with the host and the reason, exit 2, no password', async () => {
    const bad = await cli(['--database-url', cluster.url('migrator', 'wrong-' + PW.migrator, 'app_tight'), MIGRATIONS]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe(`migration-gate privileges: cannot connect to 127.0.0.1:${cluster.port}: password authentication failed for user "migrator"\n`);
    const closed = await cli(['--connect-timeout', '5', '--database-url', `postgres://migrator:${PW.migrator}@127.0.0.1:1/app`, MIGRATIONS]);
    expect(closed.code).toBe(2);
    expect(closed.stderr).toMatch(/^migration-gate privileges: cannot connect to 127\.0\.0\.1:1: connect ECONNREFUSED 127\.0\.0\.1:1\n$/);
    const mysql = await cli(['--database-url', `mysql://root:${PW.wide}@127.0.0.1:3306/app`, MIGRATIONS]);
    expect(mysql.code).toBe(2);
    expect(mysql.stderr).toContain('mysql:// is not supported');
    const notUrl = await cli(['--database-url', `host=localhost password=${PW.short}`, MIGRATIONS]);
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain('not a valid URL');
    const sqlFormat = await cli(['--format', 'sql', '--database-url', url('migrator', 'app_tight'), MIGRATIONS]);
    expect(sqlFormat.code).toBe(2);
  });

  it('MG_DATABASE_URL is read when --database-url is not given (keeps the password off the command line)', async () => {
    const r = await cli([MIGRATIONS], { MG_DATABASE_URL: url('wide', 'app_wide') });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('member of pg_write_all_data');
  });

  it('the built CLI (spawned, pg bundled by ncc) gives the same verdicts and exit codes', () => {
    if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run \`npm run build --silent\` first`);
    const run = (args: string[], env: Record<string, string> = {}) => {
      const r = spawnSync(process.execPath, [DIST, 'privileges', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 90_000 });
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    const tight = run(['--database-url', url('migrator', 'app_tight'), MIGRATIONS]);
    expect(tight.stdout).toContain('nothing more');
    expect(tight.status).toBe(0);
    const wide = run(['--format', 'json', MIGRATIONS], { MG_DATABASE_URL: url('wide', 'app_wide') });
    expect(wide.status).toBe(1);
    expect(excess(JSON.parse(wide.stdout))).toEqual(['CREATEROLE', 'member of pg_write_all_data']);
    const bad = run(['--database-url', cluster.url('postgres', 'nope', 'app_tight'), MIGRATIONS]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`cannot connect to 127.0.0.1:${cluster.port}: password authentication failed`);
  }, 180_000);

  it('read-only: the server ran only SET, BEGIN READ ONLY, SELECT/WITH and ROLLBACK for us, and no catalog or table changed', async () => {
    const ours = cluster
      .log()
      .split('\n')
      .filter((l) => l.startsWith('[migration-gate privileges] ') && /\bstatement: /.test(l))
      .map((l) => l.slice(l.indexOf('statement: ') + 11).trim());
    expect(ours.length).toBeGreaterThan(20);
    const allowed = /^(SET (default_transaction_read_only = on|statement_timeout = \d+|lock_timeout = \d+)|BEGIN READ ONLY|ROLLBACK|SELECT |WITH RECURSIVE )/;
    expect(ours.filter((s) => !allowed.test(s))).toEqual([]);
    expect(ours).toContain('BEGIN READ ONLY');
    for (const [db, f] of fingerprints) expect(await fingerprint(db), db).toBe(f);
  });

  it('no password (raw or percent-encoded) and no URL appears in any output', () => {
    expect(outputs.length).toBeGreaterThan(20);
    for (const o of outputs) {
      for (const s of secrets) expect(o).not.toContain(s);
      expect(o).not.toMatch(/:\/\/[^\s]*@127\.0\.0\.1/);
    }
  });
});

describe('database URLs (no server needed)', () => {
  it('redact: the URL, the password (raw, decoded, in ?password=) and user:password@ are replaced', () => {
    const u = 'postgres://app:p%40ss%2Fw0rd@db.example:5432/prod?password=qpw123';
    expect(redact(`failed ${u} p@ss/w0rd qpw123 x`, u)).toBe('failed *** *** *** x');
    expect(redact('see postgres://u:zzz@h/db', 'postgres://u:other@h/db')).toBe('see postgres://u:***@h/db');
    expect(redact('nothing secret', u)).toBe('nothing secret');
  });
  it('parseDatabaseUrl: host:port for messages; MySQL/MariaDB and other schemes refused without echoing the URL', () => {
    expect(parseDatabaseUrl('postgres://u:pw@db.example:6543/x').host).toBe('db.example:6543');
    expect(parseDatabaseUrl('postgresql://u@/x?host=/var/run/postgresql').host).toBe('/var/run/postgresql');
    for (const bad of ['mysql://root:hunter2@h/db', 'mariadb://root:hunter2@h/db', 'sqlite://hunter2', 'hunter2']) {
      let msg = '';
      try {
        parseDatabaseUrl(bad);
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg).not.toBe('');
      expect(msg).not.toContain('hunter2');
    }
  });
});

describe('compare (no server needed)', () => {
  it('delegatedRole: only the role the derivation names last, never one inside a name from the migration', () => {
    expect(delegatedRole('COPY … FROM PROGRAM runs a shell command on the server (superuser or pg_execute_server_program)')).toBe('pg_execute_server_program');
    expect(delegatedRole("COPY … FROM a server file '/tmp/x' (superuser or pg_read_server_files)")).toBe('pg_read_server_files');
    expect(delegatedRole("pg_cancel_backend(…): cancels other sessions' queries (pg_signal_backend)")).toBe('pg_signal_backend');
    expect(delegatedRole("COPY … FROM a server file '(pg_signal_backend)' (superuser or pg_read_server_files)")).toBe('pg_read_server_files');
    expect(delegatedRole('ALTER SYSTEM SET work_mem')).toBeUndefined();
    expect(delegatedRole("COPY … TO a server file 'x (pg_signal_backend)'")).toBeUndefined();
  });

  it('MG_DATABASE_URL is ignored by an explicit --format sql (the script), and used otherwise', async () => {
    const env = { MG_DATABASE_URL: 'mysql://root:hunter2@127.0.0.1:1/x' };
    const sql = await cli(['--format', 'sql', MIGRATIONS], env);
    expect(sql.code).toBe(0);
    expect(sql.stdout).toContain('GRANT USAGE, CREATE ON SCHEMA "public"');
    const text = await cli([MIGRATIONS], env);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('mysql:// is not supported');
    expect(text.stderr + text.stdout).not.toContain('hunter2');
  });

  const site = { path: 'db/0001.up.sql', line: 3 };
  const copyProgram: Need = { kind: 'superuser', privilege: 'SUPERUSER', reason: 'COPY … PROGRAM (pg_execute_server_program)', site, count: 1, sites: [site] };
  const ownAccounts: Need = { kind: 'ownership', privilege: 'OWNER', object: { type: 'table', name: 'public.accounts' }, reason: 'ALTER TABLE public.accounts', site, count: 1 };
  const state = (over: Partial<LiveState>): LiveState => ({
    server: { version: 150000, versionText: '15', database: 'app', dbOwner: 'postgres' },
    role: { name: 'm', current: true, superuser: false, inherit: true, createrole: false, createdb: false, replication: false, bypassrls: false, login: true },
    memberships: [],
    database: { owner: false, create: false, temporary: true, connect: true, publicPrivileges: ['TEMPORARY', 'CONNECT'] },
    schemas: [],
    objects: [],
    checks: [],
    createdNotOwned: [],
    createdOwned: 0,
    usedMemberships: new Map(),
    ...over,
  });
  const meta = { sets: ['x'], files: 1, statements: 1 };

  it('a superuser-only statement is a shortfall for a role that is not a superuser, listed with file and line', () => {
    const c = compare([copyProgram], [], state({ checks: [{ need: copyProgram, status: 'missing', detail: 'only a superuser can run it' }] }), meta);
    expect(c.shortfall.map((f) => f.what)).toEqual(['superuser-only: COPY … PROGRAM (pg_execute_server_program)']);
    expect(c.shortfall[0].site).toEqual(site);
    expect(c.matches).toBe(false);
  });

  it('held through the predefined role it names: neither shortfall nor excess; any other predefined role is excess', () => {
    const m = (role: string) => ({ role, path: [role], admin: false, inherited: true, superuser: false, predefined: true });
    const c = compare([copyProgram], [], state({ memberships: [m('pg_execute_server_program'), m('pg_signal_backend')], checks: [{ need: copyProgram, status: 'held', detail: 'through pg_execute_server_program' }] }), meta);
    expect(c.shortfall).toEqual([]);
    expect(c.excess.map((f) => f.what)).toEqual(['member of pg_signal_backend']);
  });

  it('a membership an ownership comes through is needed (and the roles on its path); an unrelated one, or one in a superuser role, is excess', () => {
    const m = (role: string, path: string[], superuser = false) => ({ role, path, admin: false, inherited: true, superuser, predefined: false });
    const c = compare(
      [ownAccounts],
      [],
      state({
        memberships: [m('team', ['team']), m('app_owner', ['team', 'app_owner']), m('ops', ['ops']), m('admin', ['admin'], true)],
        checks: [{ need: ownAccounts, status: 'held', detail: 'owned by app_owner' }],
        usedMemberships: new Map([['app_owner', ['owner of table public.accounts']]]),
      }),
      meta,
    );
    expect(c.excess.map((f) => f.what).sort()).toEqual(['member of admin', 'member of ops']);
    expect(c.excess.find((f) => f.what === 'member of admin')!.detail).toContain('can SET ROLE to it');
  });

  it('objects that do not exist are "not checked" and keep the verdict from matching (fail closed)', () => {
    const c = compare([ownAccounts], [], state({ checks: [{ need: ownAccounts, status: 'absent', detail: 'table public.accounts does not exist in this database' }] }), meta);
    expect(c.excess).toEqual([]);
    expect(c.shortfall).toEqual([]);
    expect(c.unchecked.map((f) => f.what)).toEqual(['owner of table public.accounts']);
    expect(c.matches).toBe(false);
    expect(compare([ownAccounts], [], state({ checks: [{ need: ownAccounts, status: 'held' }] }), meta).matches).toBe(true);
  });
});

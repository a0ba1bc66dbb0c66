// The replay sandbox (src/replay/): untrusted SQL runs in WASM engines (PGlite, sql.js) in a worker
// with time and memory limits and an in-memory file system. Each sandbox test asserts the host is
// untouched (no marker file created, no host file or environment content in any output) and that the
// run ended within its limit; the functional tests check the catalog effects, identity-based
// `preexisting`, locks and the platform objects made on the fly.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replay } from '../src/replay/index.js';
import type { CatalogChange, ReplayRequest, ReplayResult, StatementOutcome } from '../src/replay/types.js';

const T = 240_000; // engine start-up is seconds; the shared CI machine can be slow
const dir = mkdtempSync(join(tmpdir(), 'mg-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Host content that must never come back: a line of /etc/passwd and an environment value.
const passwdLine = readFileSync('/etc/passwd', 'utf8').split('\n')[0];
const canary = `mg-canary-${process.pid}-${Date.now()}`;
process.env.MG_REPLAY_CANARY = canary;

function req(dialect: 'postgresql' | 'sqlite', history: string[], judged: string[], extra: Partial<ReplayRequest> = {}): ReplayRequest {
  return {
    dialect,
    statements: [...history.map((sql, i) => ({ id: i, sql, file: 0, judge: false })), ...judged.map((sql, i) => ({ id: 1000 + i, sql, file: 1, judge: true }))],
    ...extra,
  };
}

function hostUntouched(r: ReplayResult, markers: string[]) {
  const text = JSON.stringify(r);
  expect(text).not.toContain(passwdLine);
  expect(text).not.toContain(canary);
  for (const m of markers) expect(existsSync(m)).toBe(false);
}

const out = (r: ReplayResult, id: number): StatementOutcome | undefined => r.outcomes.find((o) => o.id === id);
const eff = (r: ReplayResult, id: number): CatalogChange[] => out(r, id)?.effects ?? [];
const has = (r: ReplayResult, id: number, m: Partial<CatalogChange>) =>
  expect(eff(r, id)).toEqual(expect.arrayContaining([expect.objectContaining(m)]));
const hasNo = (r: ReplayResult, id: number, m: Partial<CatalogChange>) =>
  expect(eff(r, id)).not.toEqual(expect.arrayContaining([expect.objectContaining(m)]));

describe('PostgreSQL sandbox (PGlite)', () => {
  it('file, program, large-object, extension and LOAD access never reach the host', async () => {
    const m = (n: string) => join(dir, `pg-${n}`);
    const judged = [
      `SELECT pg_read_file('/etc/passwd')`,
      `SELECT pg_read_file('/proc/self/environ')`,
      `CREATE TABLE t (a text)`,
      `COPY t FROM '/etc/passwd'`,
      `COPY t FROM '/proc/self/environ'`,
      `COPY t TO '${m('copy-to')}'`,
      `COPY (SELECT 1) TO PROGRAM 'touch ${m('program')}'`,
      `COPY t FROM PROGRAM 'cat /etc/passwd'`,
      `SELECT lo_import('/etc/passwd')`,
      `SELECT lo_export(lo_create(0), '${m('lo-export')}')`,
      `CREATE EXTENSION file_fdw`,
      `CREATE EXTENSION dblink`,
      `CREATE EXTENSION plpython3u`,
      `CREATE EXTENSION plperlu`,
      `LOAD '/usr/lib/x86_64-linux-gnu/libc.so.6'`,
      `SELECT pg_ls_dir('/')`,
      `COPY t FROM STDIN`,
      `SELECT length(repeat('x', 1000000000))`,
      `SELECT 1`,
    ];
    const t0 = Date.now();
    const r = await replay(req('postgresql', [], judged, { memoryMb: 256, statementTimeoutMs: 60_000, timeoutMs: 200_000 }));
    expect(Date.now() - t0).toBeLessThan(200_000 + 15_000);
    expect(r.limit).toBeUndefined();
    const o = (i: number) => out(r, 1000 + i)!;
    expect(o(0).error).toMatch(/could not open file "\/etc\/passwd".*No such file/);
    expect(o(1).error).toMatch(/No such file/);
    expect(o(3).error).toMatch(/No such file/);
    expect(o(4).error).toMatch(/No such file/);
    // Written inside the WASM file system (or refused): either way not on the host (checked below).
    expect(o(5).ok || /could not open file/.test(o(5).error ?? '')).toBe(true);
    expect(o(6).skipped).toMatch(/COPY … PROGRAM/);
    expect(o(7).skipped).toMatch(/COPY … PROGRAM/);
    expect(o(8).error).toMatch(/No such file/);
    expect(o(9).ok).toBe(false);
    for (const i of [10, 11, 12, 13]) expect(o(i).error).toMatch(/is not available/);
    expect(o(14).error).toMatch(/could not access file|No such file/);
    // The root the engine sees is its own in-memory one.
    expect(o(15).ok).toBe(true);
    expect(o(16).skipped).toMatch(/FROM STDIN/);
    expect(o(17).error).toMatch(/out of memory|invalid memory alloc|requested length too large/i);
    expect(o(18).ok).toBe(true);
    hostUntouched(r, [m('copy-to'), m('program'), m('lo-export')]);
  }, T);

  it('COPY … PROGRAM reached through EXECUTE stops the run as a crash, not as a silent success', async () => {
    const marker = join(dir, 'pg-do-program');
    const r = await replay(req('postgresql', ['CREATE TABLE h (a int)'], [`DO $$BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch ${marker}'''; END$$`, 'CREATE TABLE after_it (a int)'], { timeoutMs: 120_000, statementTimeoutMs: 60_000 }));
    expect(r.limit).toBe('crash');
    expect(out(r, 1000)?.error).toMatch(/protocol sync/);
    expect(out(r, 1001)).toBeUndefined(); // unknown: the caller fails closed
    expect(r.after).toEqual({ relations: {}, schemas: {}, roles: {}, functions: {} });
    hostUntouched(r, [marker]);
  }, T);

  for (const [name, sql, limit] of [
    ['an endless loop in a DO block', `DO $$BEGIN LOOP END LOOP; END$$`, 'timeout'],
    ['a huge generate_series', `SELECT count(*) FROM generate_series(1, 1000000000000)`, 'timeout'],
    ['an unbounded recursive CTE', `WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r`, 'timeout|memory'],
  ] as const) {
    it(`${name} is cut by the per-statement limit; what ran before is kept`, async () => {
      const t0 = Date.now();
      const r = await replay(req('postgresql', ['CREATE TABLE h (a int)'], ['CREATE TABLE j (a int)', sql, 'DROP TABLE h'], { statementTimeoutMs: 3_000, timeoutMs: 120_000, memoryMb: 256 }));
      expect(Date.now() - t0).toBeLessThan(120_000 + 15_000);
      expect(r.limit).toMatch(new RegExp(`^(${limit})$`));
      expect(r.limitDetail).toBeTruthy();
      expect(out(r, 0)?.ok).toBe(true);
      expect(out(r, 1000)?.ok).toBe(true);
      expect(out(r, 1001)).toBeUndefined();
      expect(out(r, 1002)).toBeUndefined();
      hostUntouched(r, []);
    }, T);
  }

  it('deep recursion in a function and a memory bomb are refused by the engine', async () => {
    const r = await replay(
      req('postgresql', [], [
        `CREATE FUNCTION f(n int) RETURNS int LANGUAGE plpgsql AS $$BEGIN RETURN f(n + 1); END$$`,
        `SELECT f(1)`,
        // 400 MB of text against a 256 MiB cap, in 1 MB pieces (fast to build).
        `SELECT length(string_agg(repeat('x', 1000000), '')) FROM generate_series(1, 400)`,
        `SELECT 2`,
      ], { memoryMb: 256, statementTimeoutMs: 100_000, timeoutMs: 200_000 }),
    );
    // Either the engine refuses (stack depth / out of memory) and the run goes on, or the worker is
    // killed for it; never a hang and never "ok".
    if (r.limit) expect(r.limit).toMatch(/memory|crash|timeout/);
    else {
      expect(out(r, 1001)?.error).toMatch(/stack depth|recursion|memory/i);
      expect(out(r, 1002)?.error).toMatch(/out of memory|memory|too large/i);
      expect(out(r, 1003)?.ok).toBe(true);
    }
    expect(out(r, 1001)?.ok).not.toBe(true);
    hostUntouched(r, []);
  }, T);
});

describe('PostgreSQL catalog effects', () => {
  const history = [
    `CREATE TABLE users (id int PRIMARY KEY, email varchar(100), password_hash text)`,
    `CREATE TABLE orders (id int, user_id int, note text)`,
    `CREATE SEQUENCE s`,
    `SELECT nextval('s'), nextval('s'), nextval('s')`,
    `CREATE ROLE analyst`,
    `CREATE ROLE app LOGIN`,
    `CREATE ROLE admin`,
    `CREATE SCHEMA reporting`,
    `CREATE VIEW v AS SELECT id FROM users`,
    `CREATE MATERIALIZED VIEW mv AS SELECT id FROM users`,
    `CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'`,
    `CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$`,
    `CREATE TRIGGER t_users BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION trg()`,
    `CREATE TYPE mood AS ENUM ('ok')`,
    `CREATE POLICY p_old ON users USING (true)`,
    `CREATE FOREIGN DATA WRAPPER dummy`,
    `CREATE SERVER srv FOREIGN DATA WRAPPER dummy`,
    `CREATE FOREIGN TABLE ft (a int) SERVER srv`,
    `CREATE PUBLICATION pub_old FOR TABLE orders`,
    `SELECT lo_create(4242)`,
    `CREATE INDEX orders_user ON orders (user_id)`,
    `CREATE TRIGGER t_orders BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION trg()`,
    `CREATE TABLE plain (a int)`,
    `CREATE VIEW v2 AS SELECT 1 AS x`,
    `CREATE MATERIALIZED VIEW mv2 AS SELECT 1 AS x`,
  ];
  const judged = [
    /* 0 */ `CREATE TABLE IF NOT EXISTS users (id int)`,
    /* 1 */ `DROP TABLE users CASCADE`,
    /* 2 */ `CREATE TABLE users (id bigint)`,
    /* 3 */ `DROP TABLE users`,
    /* 4 */ `ALTER TABLE orders ADD COLUMN total numeric(10,2)`,
    /* 5 */ `ALTER TABLE orders DROP COLUMN note`,
    /* 6 */ `ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2)`,
    /* 7 */ `ALTER TABLE orders RENAME TO purchases`,
    /* 8 */ `ALTER TABLE purchases RENAME COLUMN user_id TO customer_id`,
    /* 9 */ `GRANT SELECT, UPDATE ON purchases TO analyst`,
    /* 10 */ `GRANT SELECT (customer_id) ON purchases TO app`,
    /* 11 */ `GRANT USAGE ON SCHEMA reporting TO analyst`,
    /* 12 */ `REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC`,
    /* 13 */ `GRANT USAGE ON SEQUENCE s TO app`,
    /* 14 */ `GRANT USAGE ON TYPE mood TO analyst`,
    /* 15 */ `GRANT CREATE ON DATABASE postgres TO app`,
    /* 16 */ `GRANT SELECT ON LARGE OBJECT 4242 TO analyst`,
    /* 17 */ `ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO analyst`,
    /* 18 */ `ALTER ROLE app SUPERUSER BYPASSRLS CREATEROLE CREATEDB REPLICATION`,
    /* 19 */ `ALTER ROLE analyst LOGIN`,
    /* 20 */ `GRANT admin TO app`,
    /* 21 */ `ALTER TABLE purchases ENABLE ROW LEVEL SECURITY`,
    /* 22 */ `ALTER TABLE purchases FORCE ROW LEVEL SECURITY`,
    /* 23 */ `CREATE POLICY p ON purchases FOR SELECT TO analyst USING (true)`,
    /* 24 */ `ALTER POLICY p ON purchases USING (customer_id > 0)`,
    /* 25 */ `DROP POLICY p ON purchases`,
    /* 26 */ `ALTER FUNCTION f() SECURITY DEFINER`,
    /* 27 */ `CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 2'`,
    /* 28 */ `CREATE PUBLICATION pub WITH (publish = 'insert')`,
    /* 29 */ `CREATE SUBSCRIPTION sub CONNECTION 'dbname=none' PUBLICATION pub WITH (connect = false)`,
    /* 30 */ `CREATE EVENT TRIGGER evt ON ddl_command_start EXECUTE FUNCTION trg_evt()`,
    /* 31 */ `ALTER ROLE app SET statement_timeout = '1min'`,
    /* 32 */ `ALTER DATABASE postgres SET work_mem = '64MB'`,
    /* 33 */ `ALTER TABLE plain SET UNLOGGED`,
    /* 34 */ `ALTER SEQUENCE s RESTART`,
    /* 35 */ `ALTER TABLE purchases OWNER TO app`,
    /* 36 */ `DROP SCHEMA reporting`,
    /* 37 */ `DROP VIEW v2`,
    /* 38 */ `DROP MATERIALIZED VIEW mv2`,
    /* 39 */ `DROP SEQUENCE s`,
    /* 40 */ `DROP FOREIGN TABLE ft`,
    /* 41 */ `DROP INDEX orders_user`,
    /* 42 */ `SELECT 1`,
    /* 43 */ `CREATE TABLE tmp_new (a int)`,
    /* 44 */ `DROP TABLE tmp_new`,
    /* 45 */ `GRANT SELECT ON purchases TO authenticated, anon`,
    /* 46 */ `ALTER TABLE purchases ADD COLUMN x int`,
    /* 47 */ `CREATE INDEX purchases_x ON purchases (x)`,
    /* 48 */ `ALTER TABLE purchases DISABLE TRIGGER ALL`,
    /* 49 */ `CREATE SCHEMA fresh`,
  ];
  let r: ReplayResult;
  const j = (i: number) => 1000 + i;

  it('replays history and judged statements', async () => {
    r = await replay(req('postgresql', [...history, `CREATE FUNCTION trg_evt() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$`], judged, { timeoutMs: 200_000, statementTimeoutMs: 60_000 }));
    expect(r.limit).toBeUndefined();
    expect(r.stats.history).toEqual({ total: history.length + 1, ok: history.length + 1 });
    // PGlite has no walreceiver library: a subscription is refused (the caller marks it unknown).
    expect(out(r, j(29))?.error).toMatch(/libpqwalreceiver/);
    const failed = r.outcomes.filter((o) => !o.ok && o.id !== j(29));
    expect(failed).toEqual([]);
    expect(Object.keys(r.before[1].relations)).toContain('public.users');
    expect(r.before[1].relations['public.users'].columns.email.type).toBe('character varying(100)');
    expect(r.after.relations['public.purchases']).toBeDefined();
    expect(r.after.roles.app.superuser).toBe(true);
  }, T);

  it('preexisting is decided by identity, never by name', () => {
    expect(eff(r, j(0))).toEqual([]); // IF NOT EXISTS: nothing happened
    has(r, j(1), { change: 'dropped', kind: 'table', object: 'public.users', preexisting: true });
    has(r, j(2), { change: 'created', kind: 'table', object: 'public.users', preexisting: false });
    has(r, j(3), { change: 'dropped', kind: 'table', object: 'public.users', preexisting: false });
    hasNo(r, j(3), { preexisting: true });
    has(r, j(43), { change: 'created', object: 'public.tmp_new', preexisting: false });
    has(r, j(44), { change: 'dropped', object: 'public.tmp_new', preexisting: false });
    // Columns of a dropped table are covered by the table's drop.
    hasNo(r, j(1), { kind: 'column' });
  });

  it('columns, types and renames', () => {
    has(r, j(4), { change: 'created', kind: 'column', object: 'public.orders.total', preexisting: false, after: 'numeric(10,2)' });
    has(r, j(5), { change: 'dropped', kind: 'column', object: 'public.orders.note', preexisting: true, before: 'text' });
    has(r, j(6), { change: 'type-changed', object: 'public.orders.total', before: 'numeric(10,2)', after: 'numeric(12,2)' });
    has(r, j(7), { change: 'renamed', kind: 'table', object: 'public.purchases', preexisting: true, before: 'public.orders' });
    hasNo(r, j(7), { change: 'dropped' });
    hasNo(r, j(7), { change: 'created' });
    has(r, j(8), { change: 'renamed', kind: 'column', object: 'public.purchases.customer_id', preexisting: true });
  });

  it('ACLs on every object kind and default ACLs, as who gains or loses what', () => {
    has(r, j(9), { change: 'acl-granted', kind: 'table', object: 'public.purchases', detail: 'analyst gains SELECT, UPDATE on table public.purchases' });
    has(r, j(10), { change: 'acl-granted', kind: 'column', object: 'public.purchases.customer_id', detail: expect.stringMatching(/^app gains SELECT/) });
    has(r, j(11), { change: 'acl-granted', kind: 'schema', object: 'reporting', detail: expect.stringMatching(/^analyst gains USAGE/) });
    has(r, j(12), { change: 'acl-revoked', kind: 'function', object: 'public.f()', detail: expect.stringMatching(/^PUBLIC loses EXECUTE/) });
    has(r, j(13), { change: 'acl-granted', kind: 'sequence', object: 'public.s', detail: expect.stringMatching(/^app gains USAGE/) });
    has(r, j(14), { change: 'acl-granted', kind: 'type', object: 'public.mood', detail: expect.stringMatching(/^analyst gains USAGE/) });
    has(r, j(15), { change: 'acl-granted', kind: 'database', object: 'postgres', detail: expect.stringMatching(/^app gains CREATE/) });
    has(r, j(16), { change: 'acl-granted', kind: 'large object', detail: expect.stringMatching(/^analyst gains SELECT/) });
    has(r, j(17), { change: 'acl-granted', kind: 'default privileges', detail: expect.stringMatching(/^analyst gains SELECT on tables created by postgres in schema reporting/) });
    // Negative: a grant touches only its object.
    hasNo(r, j(9), { kind: 'schema' });
    expect(eff(r, j(42))).toEqual([]);
  });

  it('role attributes, memberships and settings', () => {
    for (const a of ['superuser', 'bypassrls', 'createrole', 'createdb', 'replication'])
      has(r, j(18), { change: 'attribute-granted', kind: 'role', object: 'app', detail: `${a}: false → true`, preexisting: true });
    has(r, j(19), { change: 'attribute-granted', object: 'analyst', detail: 'login: false → true' });
    hasNo(r, j(19), { detail: expect.stringMatching(/^superuser/) });
    has(r, j(20), { change: 'member-added', kind: 'role', object: 'app → admin' });
    has(r, j(31), { change: 'setting-changed', kind: 'role', detail: expect.stringContaining('statement_timeout=1min') });
    has(r, j(32), { change: 'setting-changed', kind: 'database', detail: expect.stringContaining('work_mem=64MB') });
  });

  it('RLS, policies, triggers, functions', () => {
    has(r, j(21), { change: 'rls-enabled', object: 'public.purchases' });
    has(r, j(22), { change: 'rls-forced', object: 'public.purchases' });
    has(r, j(23), { change: 'created', kind: 'policy', object: 'p on public.purchases', preexisting: false });
    has(r, j(24), { change: 'altered', kind: 'policy', detail: expect.stringMatching(/^using: true → /) });
    has(r, j(25), { change: 'dropped', kind: 'policy', object: 'p on public.purchases' });
    has(r, j(26), { change: 'security-definer', kind: 'function', object: 'public.f()', preexisting: true });
    has(r, j(27), { change: 'body-replaced', kind: 'function', object: 'public.f()', preexisting: true });
    hasNo(r, j(27), { change: 'security-definer' });
    has(r, j(48), { change: 'trigger-disabled', kind: 'trigger', object: 't_orders on public.purchases', preexisting: true });
    // The trigger and policy of a dropped table are covered by the table's drop.
    hasNo(r, j(1), { kind: 'trigger' });
    hasNo(r, j(1), { kind: 'policy' });
  });

  it('publications, subscriptions, event triggers, persistence, sequences, ownership, drops of every relation kind', () => {
    has(r, j(28), { change: 'created', kind: 'publication', object: 'pub' });
    has(r, j(30), { change: 'created', kind: 'event trigger', object: 'evt' });
    has(r, j(33), { change: 'persistence-changed', object: 'public.plain', before: 'permanent', after: 'unlogged' });
    has(r, j(34), { change: 'sequence-reset', kind: 'sequence', object: 'public.s', before: '3' });
    has(r, j(35), { change: 'owner-changed', object: 'public.purchases', before: 'postgres', after: 'app' });
    has(r, j(36), { change: 'dropped', kind: 'schema', object: 'reporting', preexisting: true });
    has(r, j(37), { change: 'dropped', kind: 'view', object: 'public.v2', preexisting: true });
    has(r, j(38), { change: 'dropped', kind: 'materialized view', object: 'public.mv2', preexisting: true });
    // DROP … CASCADE: the dependent views go too.
    has(r, j(1), { change: 'dropped', kind: 'view', object: 'public.v', preexisting: true });
    has(r, j(1), { change: 'dropped', kind: 'materialized view', object: 'public.mv', preexisting: true });
    has(r, j(39), { change: 'dropped', kind: 'sequence', object: 'public.s' });
    has(r, j(40), { change: 'dropped', kind: 'foreign table', object: 'public.ft' });
    has(r, j(41), { change: 'dropped', kind: 'index', object: 'public.orders_user' });
    has(r, j(49), { change: 'created', kind: 'schema', object: 'fresh', preexisting: false });
  });

  it('platform roles are made on the fly, and are not effects of the statement', () => {
    expect(out(r, j(45))?.autoCreated).toEqual(['role authenticated', 'role anon']);
    hasNo(r, j(45), { kind: 'role' });
    has(r, j(45), { change: 'acl-granted', detail: 'authenticated gains SELECT on table public.purchases' });
  });

  it('locks read inside the statement transaction', () => {
    expect(out(r, j(46))?.locks).toEqual(expect.arrayContaining([{ relation: 'public.purchases', mode: 'AccessExclusiveLock' }]));
    expect(out(r, j(47))?.locks).toEqual(expect.arrayContaining([{ relation: 'public.purchases', mode: 'ShareLock' }]));
    expect(out(r, j(47))?.locks).not.toEqual(expect.arrayContaining([{ relation: 'public.purchases', mode: 'AccessExclusiveLock' }]));
  });
});

describe('SQLite sandbox (sql.js)', () => {
  it('a migration that deallocates the prepared catalog reads (DEALLOCATE ALL, DISCARD ALL) is still read statement by statement', async () => {
    const r2 = await replay(
      req('postgresql', ['CREATE TABLE a (id int)'], ['DEALLOCATE ALL', 'CREATE TABLE b (id int)', 'DISCARD ALL', 'CREATE ROLE r2', 'SET ROLE r2', 'RESET ROLE', 'DROP TABLE a', 'ALTER TABLE b ADD COLUMN c int'], { timeoutMs: 200_000, statementTimeoutMs: 60_000 }),
    );
    expect(r2.limit).toBeUndefined();
    expect(r2.outcomes.filter((o) => !o.ok)).toEqual([]);
    has(r2, 1001, { change: 'created', kind: 'table', object: 'public.b' });
    has(r2, 1006, { change: 'dropped', kind: 'table', object: 'public.a', preexisting: true });
    has(r2, 1007, { change: 'created', kind: 'column', object: 'public.b.c' });
  }, T);

  it('ATTACH stays in memory, load_extension and file functions are absent', async () => {
    const marker = join(dir, 'sqlite-attach.db');
    const relative = `mg-attach-${process.pid}.db`;
    const r = await replay(
      req('sqlite', [], [`ATTACH DATABASE '${marker}' AS x`, `ATTACH DATABASE '${relative}' AS y`, `CREATE TABLE y.t (a)`, `SELECT load_extension('/usr/lib/x86_64-linux-gnu/libc.so.6')`, `SELECT readfile('/etc/passwd')`, `INSERT INTO y.t VALUES (1)`], { timeoutMs: 60_000 }),
    );
    expect(r.limit).toBeUndefined();
    // The host's directories do not exist in the WASM file system; a bare name is made in it.
    expect(out(r, 1000)?.error).toMatch(/unable to open database/);
    expect(out(r, 1001)?.ok).toBe(true);
    expect(out(r, 1002)?.ok).toBe(true);
    expect(out(r, 1003)?.error).toMatch(/load_extension|not authorized/);
    expect(out(r, 1004)?.error).toMatch(/no such function: readfile/);
    expect(out(r, 1005)?.ok).toBe(true);
    expect(existsSync(join(process.cwd(), relative))).toBe(false);
    expect(existsSync(join('/', relative))).toBe(false);
    hostUntouched(r, [marker]);
  }, T);

  it('an unbounded recursive CTE is cut by the per-statement limit', async () => {
    const t0 = Date.now();
    const r = await replay(req('sqlite', ['CREATE TABLE h (a)'], ['WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r', 'DROP TABLE h'], { statementTimeoutMs: 2_000, timeoutMs: 60_000 }));
    expect(Date.now() - t0).toBeLessThan(60_000 + 15_000);
    expect(r.limit).toBe('timeout');
    expect(out(r, 0)?.ok).toBe(true);
    expect(out(r, 1000)).toBeUndefined();
    expect(out(r, 1001)).toBeUndefined();
    hostUntouched(r, []);
  }, T);

  it('catalog effects: identity by rootpage, renames, rebuilds', async () => {
    const r = await replay(
      req('sqlite', ['CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(100), email TEXT)', 'CREATE TABLE logs (id INTEGER)', 'CREATE INDEX logs_id ON logs (id)'], [
        /* 0 */ 'CREATE TABLE IF NOT EXISTS users (id INTEGER)',
        /* 1 */ 'CREATE TABLE new_users (id INTEGER PRIMARY KEY, name VARCHAR(50), email TEXT)',
        /* 2 */ 'INSERT INTO new_users SELECT * FROM users',
        /* 3 */ 'DROP TABLE users',
        /* 4 */ 'ALTER TABLE new_users RENAME TO users',
        /* 5 */ 'ALTER TABLE logs ADD COLUMN at TEXT',
        /* 6 */ 'ALTER TABLE logs RENAME COLUMN at TO happened_at',
        /* 7 */ 'ALTER TABLE logs DROP COLUMN happened_at',
        /* 8 */ 'CREATE VIEW v AS SELECT id FROM logs',
        /* 9 */ 'CREATE TRIGGER tr AFTER INSERT ON logs BEGIN SELECT 1; END',
        /* 10 */ 'DROP INDEX logs_id',
        /* 11 */ 'CREATE TABLE tmp (a)',
        /* 12 */ 'DROP TABLE tmp',
        /* 13 */ 'BEGIN',
      ]),
    );
    expect(r.limit).toBeUndefined();
    expect(eff(r, 1000)).toEqual([]);
    has(r, 1001, { change: 'created', kind: 'table', object: 'main.new_users', preexisting: false });
    expect(eff(r, 1002)).toEqual([]);
    has(r, 1003, { change: 'dropped', kind: 'table', object: 'main.users', preexisting: true });
    has(r, 1004, { change: 'renamed', kind: 'table', object: 'main.users', preexisting: false });
    has(r, 1004, { change: 'type-changed', kind: 'column', object: 'main.users.name', before: 'VARCHAR(100)', after: 'VARCHAR(50)', preexisting: true });
    hasNo(r, 1004, { object: 'main.users.email' });
    has(r, 1005, { change: 'created', kind: 'column', object: 'main.logs.at', preexisting: false });
    has(r, 1006, { change: 'renamed', kind: 'column', object: 'main.logs.happened_at' });
    has(r, 1007, { change: 'dropped', kind: 'column', object: 'main.logs.happened_at' });
    has(r, 1008, { change: 'created', kind: 'view', object: 'main.v' });
    has(r, 1009, { change: 'created', kind: 'trigger', object: 'tr on main.logs' });
    has(r, 1010, { change: 'dropped', kind: 'index', object: 'main.logs_id', preexisting: true });
    has(r, 1012, { change: 'dropped', object: 'main.tmp', preexisting: false });
    expect(out(r, 1013)?.skipped).toMatch(/transaction control/);
    expect(r.before[1].relations['main.users'].columns.name.type).toBe('VARCHAR(100)');
    expect(r.after.relations['main.users'].columns.name.type).toBe('VARCHAR(50)');
  }, T);
});

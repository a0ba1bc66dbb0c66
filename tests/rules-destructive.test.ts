// Destructive / integrity rules: messages name the objects, CASCADE is called out, positions point at
// the clause, MySQL/MariaDB/SQLite variants, statements nested in DO blocks and function bodies, and
// the statements that must stay clean.
import { describe, expect, it } from 'vitest';
import { alwaysTrue, alwaysTrueNsp } from '../src/sql/ast.js';
import { check, findings } from './helpers.js';
import type { Dialect, Finding } from '../src/types.js';

const MINE = [
  'drop-table',
  'drop-column',
  'drop-schema',
  'drop-database',
  'drop-view',
  'drop-function',
  'drop-cascade',
  'drop-owned',
  'drop-trigger',
  'drop-constraint',
  'truncate',
  'delete-without-where',
  'update-without-where',
  'alter-column-type',
  'rename-table',
  'rename-column',
  'create-index-non-concurrent',
  'add-column-not-null-no-default',
  'constraint-not-valid',
  'set-not-null',
];

async function one(sql: string, rule: string, opts: { dialect?: Dialect; path?: string } = {}): Promise<Finding> {
  const f = await findings(sql, rule, opts);
  expect(f, `${rule} on ${sql}`).toHaveLength(1);
  return f[0];
}

async function mine(sql: string, opts: { dialect?: Dialect; path?: string } = {}): Promise<Finding[]> {
  return (await check(sql, opts)).findings.filter((f) => MINE.includes(f.ruleId));
}

describe('statements that must stay clean', () => {
  const clean: Array<[string, Dialect?]> = [
    ['CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL, password_hash text NOT NULL);'],
    ['ALTER TABLE users ADD COLUMN nickname text;'],
    ['ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;'],
    ['DELETE FROM sessions WHERE expires_at < now();'],
    ["UPDATE users SET active = false WHERE last_login < now() - interval '1 year';"],
    ["INSERT INTO settings (name, value) VALUES ('password_min_length', '12');"],
    ["COMMENT ON TABLE users IS 'drop table users; delete from users';"],
    ["COMMENT ON COLUMN users.email IS 'truncate later';"],
    ["CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"],
    ["ALTER TYPE mood ADD VALUE 'ecstatic';"],
    ['CREATE TABLE orders (id int, user_id int);\nCREATE INDEX orders_user_idx ON orders (user_id);\nCREATE UNIQUE INDEX orders_id_key ON public.orders (id);'],
    ['CREATE TABLE t (id int);\nALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (id), ADD CONSTRAINT t_fk FOREIGN KEY (id) REFERENCES u(id), ALTER COLUMN id SET NOT NULL;'],
    ['DROP INDEX IF EXISTS users_email_idx;'],
    ['DROP INDEX CONCURRENTLY users_email_idx;'],
    ['DROP TYPE IF EXISTS mood;'],
    ['DROP SEQUENCE "Webhook_id_seq";'],
    ['ALTER TABLE users ALTER COLUMN email DROP NOT NULL, ALTER COLUMN email DROP DEFAULT;'],
    ['ALTER TABLE users RENAME CONSTRAINT a TO b;'],
    ['ALTER INDEX a RENAME TO b;'],
    ['CREATE OR REPLACE VIEW v AS SELECT 1;'],
    ['CREATE OR REPLACE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$;'],
    ["DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN CREATE TYPE mood AS ENUM ('a'); END IF; END $$;"],
    ['INSERT INTO t (a) SELECT a FROM u ON CONFLICT (a) DO UPDATE SET a = excluded.a;'],
    ['DELETE FROM t WHERE CURRENT OF c;'],
    ['CREATE TABLE users (id int, password_hash varchar(100) NOT NULL)', 'mysql'],
    ["INSERT INTO settings (name) VALUES ('password_min_length')", 'mysql'],
    ['DELETE FROM sessions WHERE id = 3', 'mysql'],
    ['UPDATE users SET active = 0 WHERE id = 3', 'mariadb'],
    ['ALTER TABLE users ADD COLUMN nickname varchar(20)', 'sqlite'],
    ['CREATE INDEX i ON t (a)', 'mysql'],
  ];
  it.each(clean)('%s', async (sql, dialect) => {
    expect((await mine(sql, { dialect })).map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  });
});

describe('drop-table', () => {
  it('names every table, schema included, and says CASCADE', async () => {
    const f = await one('DROP TABLE IF EXISTS public.a, b CASCADE;', 'drop-table');
    expect(f.message).toBe('Drops tables public.a, b and all their data with CASCADE (views, foreign keys and other objects that depend on it are dropped too).');
    expect(f.severity).toBe('error');
    expect(f.gating).toBe(true);
  });
  it('points at the statement line and column', async () => {
    const f = await one('CREATE TABLE x (id int);\n\n  DROP TABLE users;', 'drop-table');
    expect([f.line, f.column]).toEqual([3, 3]);
  });
  it('MySQL, MariaDB and SQLite', async () => {
    expect((await one('DROP TABLE app.users, orders', 'drop-table', { dialect: 'mysql' })).message).toBe('Drops tables app.users, orders and all their data.');
    expect((await one('DROP TABLE IF EXISTS users', 'drop-table', { dialect: 'mariadb' })).message).toContain('users');
    expect((await one('DROP TABLE "users"', 'drop-table', { dialect: 'sqlite' })).message).toBe('Drops table users and all its data.');
  });
  it('a table created earlier in the file is info, one created later is not', async () => {
    const tmp = await one('CREATE TABLE tmp_ids AS SELECT id FROM users;\nDROP TABLE tmp_ids;', 'drop-table');
    expect(tmp.severity).toBe('info');
    expect(tmp.gating).toBe(false);
    const recreated = await one('DROP TABLE users;\nCREATE TABLE users (id int);', 'drop-table');
    expect(recreated.severity).toBe('error');
  });
  it('a table created in the up section still holds data when the down section drops it', async () => {
    const f = await one('-- migrate:up\nCREATE TABLE t (id int);\n\n-- migrate:down\nDROP TABLE t;\n', 'drop-table');
    expect([f.line, f.severity, f.down, f.gating]).toEqual([5, 'error', true, false]);
    expect(f.message).toBe('Drops table t and all its data.');
  });
  it('inside a DO block and inside a function', async () => {
    expect((await one('DO $$\nBEGIN\n  DROP TABLE audit_log;\nEND $$;', 'drop-table')).message).toBe('Drops table audit_log and all its data (inside a DO block).');
    const f = await one('CREATE FUNCTION wipe() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  DROP TABLE audit_log;\nEND $$;', 'drop-table');
    expect(f.message).toContain('inside function wipe');
    expect([f.line, f.column]).toEqual([3, 3]);
  });
  it('EXECUTE of a literal string inside a DO block', async () => {
    expect((await one("DO $$ BEGIN EXECUTE 'DROP TABLE users'; END $$;", 'drop-table')).message).toContain('users');
  });
  it('an unparsable statement is still reported as likely', async () => {
    const f = await one('DROP TABLE users CASCADE RESTRICT;', 'drop-table');
    expect(f.message).toMatch(/^Likely: /);
  });
  it('a down migration is reported but not gating', async () => {
    const f = await one('DROP TABLE users;', 'drop-table', { path: 'migrations/000002_users.down.sql' });
    expect(f.down).toBe(true);
    expect(f.gating).toBe(false);
  });
});

describe('drop-column', () => {
  it('one finding per column, pointing at each DROP', async () => {
    const f = await findings('ALTER TABLE "User"\n  DROP COLUMN "password",\n  DROP COLUMN IF EXISTS "salt" CASCADE;', 'drop-column');
    expect(f.map((x) => [x.line, x.column, x.message])).toEqual([
      [2, 3, 'Drops column User.password and all its data.'],
      [3, 3, 'Drops column User.salt and all its data with CASCADE (views, indexes and constraints that use it are dropped too).'],
    ]);
  });
  it('MySQL and SQLite', async () => {
    expect((await one('ALTER TABLE users DROP email, DROP INDEX i', 'drop-column', { dialect: 'mysql' })).message).toBe('Drops column users.email and all its data.');
    expect((await one('ALTER TABLE users DROP COLUMN email', 'drop-column', { dialect: 'sqlite' })).message).toBe('Drops column users.email and all its data.');
  });
  it('ALTER TYPE … DROP ATTRIBUTE', async () => {
    expect((await one('ALTER TYPE address DROP ATTRIBUTE zip CASCADE;', 'drop-column')).message).toBe('Drops attribute zip of type address and all its data with CASCADE (views, indexes and constraints that use it are dropped too).');
  });
  it('inside a function body', async () => {
    const f = await one('CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN ALTER TABLE t DROP COLUMN c; END $$;', 'drop-column');
    expect(f.message).toBe('Drops column t.c and all its data (inside function f; runs whenever the function is called).');
  });
  it('a column of a table created earlier in the file is info', async () => {
    expect((await one('CREATE TABLE t (a int, b int);\nALTER TABLE t DROP COLUMN b;', 'drop-column')).severity).toBe('info');
  });
});

describe('drop-schema, drop-database, drop-owned', () => {
  it('DROP SCHEMA CASCADE is an error, RESTRICT a warning', async () => {
    const c = await one('DROP SCHEMA analytics CASCADE;', 'drop-schema');
    expect(c.message).toContain('Drops schema analytics with CASCADE: every table');
    expect(c.severity).toBe('error');
    expect((await one('DROP SCHEMA analytics;', 'drop-schema')).severity).toBe('warning');
  });
  it('DROP EXTENSION: CASCADE error, plain warning, re-created info', async () => {
    expect((await one('DROP EXTENSION postgis CASCADE;', 'drop-schema')).severity).toBe('error');
    expect((await one('DROP EXTENSION pgaudit;', 'drop-schema')).severity).toBe('warning');
    expect((await one('DROP EXTENSION IF EXISTS pg_graphql;\nCREATE EXTENSION pg_graphql;', 'drop-schema')).severity).toBe('info');
  });
  it('DROP DATABASE in PostgreSQL and MySQL (where DROP SCHEMA is DROP DATABASE)', async () => {
    expect((await one('DROP DATABASE legacy WITH (FORCE);', 'drop-database')).message).toBe(
      'Drops database legacy and every table in it with FORCE (open connections are terminated).',
    );
    expect((await one('DROP DATABASE IF EXISTS legacy', 'drop-database', { dialect: 'mysql' })).message).toBe('Drops database legacy and every table in it.');
    expect((await one('DROP SCHEMA legacy', 'drop-database', { dialect: 'mysql' })).message).toContain('DROP SCHEMA is DROP DATABASE here');
    expect(await findings('DROP SCHEMA legacy', 'drop-schema', { dialect: 'mysql' })).toEqual([]);
  });
  it('DROP OWNED BY', async () => {
    expect((await one('DROP OWNED BY legacy_app CASCADE;', 'drop-owned')).message).toContain('every object owned by legacy_app');
  });
});

describe('drop-view', () => {
  it('views and materialized views, with CASCADE', async () => {
    expect((await one('DROP VIEW active_users;', 'drop-view')).message).toBe('Drops view active_users.');
    expect((await one('DROP MATERIALIZED VIEW IF EXISTS s.stats CASCADE;', 'drop-view')).message).toBe(
      'Drops materialized view s.stats and its stored rows with CASCADE (every view and object built on it is dropped too).',
    );
    expect((await one('DROP VIEW v CASCADE', 'drop-view', { dialect: 'mysql' })).message).toContain('CASCADE');
  });
  it('drop + create of the same view is a redefinition (info), unless CASCADE', async () => {
    expect((await one('DROP VIEW v;\nCREATE VIEW v AS SELECT 2;', 'drop-view')).severity).toBe('info');
    expect((await one('DROP VIEW v CASCADE;\nCREATE VIEW v AS SELECT 2;', 'drop-view')).severity).toBe('error');
    expect((await one('CREATE VIEW v AS SELECT 2;\nDROP VIEW v;', 'drop-view')).severity).toBe('error');
    expect((await one('DROP VIEW v;\nCREATE VIEW v AS SELECT 2', 'drop-view', { dialect: 'mysql' })).severity).toBe('info');
  });
});

describe('drop-function', () => {
  it('names the signature, kind and CASCADE', async () => {
    expect((await one('DROP FUNCTION IF EXISTS s.f(integer, text) CASCADE;', 'drop-function')).message).toBe(
      'Drops function s.f(int4, text) with CASCADE (triggers, defaults, views and other objects that use it are dropped too); anything that still calls it fails.',
    );
    expect((await one('DROP PROCEDURE archive;', 'drop-function')).message).toContain('Drops procedure archive');
    expect((await one('DROP AGGREGATE my_sum(int);', 'drop-function')).message).toContain('Drops aggregate my_sum(int4)');
  });
  it('drop + create later in the file is info', async () => {
    const f = await one('DROP FUNCTION IF EXISTS f();\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;', 'drop-function');
    expect(f.severity).toBe('info');
    expect(f.message).toContain('re-creates it later in this file');
  });
  it('inside a DO block', async () => {
    const f = await one('DO $$\nBEGIN\n    DROP FUNCTION IF EXISTS storage.get_level();\nEND $$;', 'drop-function');
    expect(f.message).toContain('(inside a DO block)');
    expect([f.line, f.column]).toEqual([3, 5]);
  });
  it('MySQL DROP FUNCTION (valid, read by its shape: src/parse/fallback.ts) still gates', async () => {
    const f = await one('DROP FUNCTION f', 'drop-function', { dialect: 'mysql' });
    expect(f.message).toMatch(/Drops a function/);
    expect(f.gating).toBe(true);
  });
});

describe('drop-cascade', () => {
  it('DROP TYPE / DOMAIN / SEQUENCE / INDEX … CASCADE say what else goes', async () => {
    expect((await one('DROP TYPE status CASCADE;', 'drop-cascade')).message).toBe(
      'Drops type status with CASCADE: every table column of this type is dropped with its data, and the functions and views that use it.',
    );
    expect((await one('DROP DOMAIN email CASCADE;', 'drop-cascade')).message).toContain('every table column of this domain');
    expect((await one('DROP SEQUENCE s CASCADE;', 'drop-cascade')).message).toContain('nextval');
    expect((await one('DROP INDEX i CASCADE;', 'drop-cascade')).message).toContain('foreign keys');
  });
  it('is not repeated for objects whose own rule reports CASCADE', async () => {
    expect(await findings('DROP TABLE t CASCADE; DROP VIEW v CASCADE; DROP FUNCTION f CASCADE; DROP SCHEMA s CASCADE;', 'drop-cascade')).toEqual([]);
  });
});

describe('drop-trigger', () => {
  it('drop (disabling is disable-trigger)', async () => {
    const d = await one('DROP TRIGGER IF EXISTS protect_delete ON storage.objects;', 'drop-trigger');
    expect(d.message).toBe('Drops trigger protect_delete on storage.objects: what it enforced or maintained on every write stops.');
    expect(d.category).toBe('integrity');
    expect(d.gating).toBe(false);
    expect(await findings('ALTER TABLE orders DISABLE TRIGGER ALL;', 'drop-trigger')).toEqual([]);
    expect((await one('ALTER TABLE orders DISABLE TRIGGER ALL;', 'disable-trigger')).message).toContain('enforce foreign keys');
  });
  it('re-created or re-enabled in the same file: info', async () => {
    expect(
      (await one('DROP TRIGGER IF EXISTS t_upd ON t;\nCREATE TRIGGER t_upd BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();', 'drop-trigger')).severity,
    ).toBe('info');
  });
});

describe('disable-trigger', () => {
  it('gates ALL/USER and names the DML run while they are off; quiet re-enable is info', async () => {
    const f = await one('ALTER TABLE t DISABLE TRIGGER USER;\nUPDATE t SET a = 1 WHERE a IS NULL;\nALTER TABLE t ENABLE TRIGGER USER;', 'disable-trigger');
    expect(f.gating).toBe(true);
    expect(f.message).toContain('1 data change to t runs while they are off (line 2)');
    expect((await one('ALTER TABLE t DISABLE TRIGGER ALL;\nALTER TABLE t ENABLE TRIGGER ALL;', 'disable-trigger')).severity).toBe('info');
    expect((await one('ALTER TABLE t DISABLE TRIGGER ALL;', 'disable-trigger')).message).toContain('not enabled again');
    expect((await one('ALTER TABLE t DISABLE TRIGGER audit_t;', 'disable-trigger')).severity).toBe('warning');
  });
  it('reads what comes after from per-file indexes: the first re-enable of that table ends the window, an unparsed one too', async () => {
    const f = await one(
      'ALTER TABLE t DISABLE TRIGGER ALL;\nUPDATE t SET a = 1 WHERE a IS NULL;\nALTER TABLE other ENABLE TRIGGER ALL;\nINSERT INTO t VALUES (2);\nENABLE TRIGGER ALL ON t;\nDELETE FROM t WHERE a = 3;',
      'disable-trigger',
    );
    expect(f.message).toContain('2 data changes to t run while they are off (line 2, 4)');
    expect(f.message).not.toContain('not enabled again');
  });
});

describe('trigger and routine bodies outside PostgreSQL', () => {
  it('SQLite trigger body statements are nested statements', async () => {
    const f = await one('CREATE TRIGGER wipe AFTER INSERT ON a\nBEGIN\n  DELETE FROM t;\nEND;', 'delete-without-where', { dialect: 'sqlite' });
    expect(f.message).toContain('inside trigger wipe');
    expect(f.line).toBe(3);
  });
  it('MySQL compound bodies: control flow set aside, statements analyzed', async () => {
    const sql = 'DELIMITER //\nCREATE TRIGGER w AFTER INSERT ON a FOR EACH ROW BEGIN\n  IF NEW.x > 1 THEN\n    UPDATE users SET is_admin = 1;\n  END IF;\nEND//\nDELIMITER ;\n';
    const f = (await findings(sql, 'update-without-where', { dialect: 'mysql' })).filter((x) => x.message.includes('inside trigger w'));
    expect(f).toHaveLength(1);
    expect(f[0].line).toBe(4);
    const p = (await findings('CREATE PROCEDURE p() BEGIN DROP TABLE users; END', 'drop-table', { dialect: 'mariadb' })).filter((x) => x.message.includes('inside procedure p'));
    expect(p).toHaveLength(1);
  });
  it('a handler body is a statement too (DECLARE … HANDLER FOR … stmt)', async () => {
    const sql = 'DELIMITER //\nCREATE PROCEDURE p()\nBEGIN\n  DECLARE CONTINUE HANDLER FOR SQLEXCEPTION DELETE FROM audit_log;\n  SELECT 1;\nEND //\nDELIMITER ;\n';
    const f = await findings(sql, 'delete-without-where', { dialect: 'mysql' });
    expect(f.some((x) => x.message.includes('audit_log'))).toBe(true);
  });
  it('a trigger that deletes only the row it fires on is clean', async () => {
    expect(await findings('CREATE TRIGGER tidy AFTER DELETE ON users BEGIN DELETE FROM sessions WHERE user_id = OLD.id; END;', 'delete-without-where', { dialect: 'sqlite' })).toEqual([]);
  });
  it('MySQL', async () => {
    expect((await one('DROP TRIGGER audit_orders', 'drop-trigger', { dialect: 'mysql' })).message).toContain('audit_orders');
  });
});

describe('drop-constraint', () => {
  it('names table and constraint, points at the clause', async () => {
    const f = await one('ALTER TABLE orders\n  DROP CONSTRAINT orders_user_id_fkey;', 'drop-constraint');
    expect(f.message).toBe('Drops constraint orders_user_id_fkey on orders: the rule it enforced is no longer checked.');
    expect([f.line, f.column, f.severity]).toEqual([2, 3, 'warning']);
  });
  it('CASCADE is called out', async () => {
    expect((await one('ALTER TABLE users DROP CONSTRAINT users_pkey CASCADE;', 'drop-constraint')).message).toContain('with CASCADE (foreign keys in other tables');
  });
  it('re-added under the same name (same statement or later, or as a unique index): info', async () => {
    expect((await one('ALTER TABLE t DROP CONSTRAINT t_fk, ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES u(id);', 'drop-constraint')).severity).toBe('info');
    expect((await one('ALTER TABLE t DROP CONSTRAINT t_a_key;\nCREATE UNIQUE INDEX t_a_key ON t (a);', 'drop-constraint')).severity).toBe('info');
    expect((await one('ALTER TABLE t DROP FOREIGN KEY fk, ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u(id) ON DELETE CASCADE', 'drop-constraint', { dialect: 'mysql' })).severity).toBe('info');
  });
  it('MySQL variants', async () => {
    expect((await one('ALTER TABLE orders DROP FOREIGN KEY fk_user', 'drop-constraint', { dialect: 'mysql' })).message).toContain('foreign key fk_user on orders');
    expect((await one('ALTER TABLE orders DROP CHECK chk', 'drop-constraint', { dialect: 'mysql' })).message).toContain('check constraint chk');
    expect((await one('ALTER TABLE orders DROP PRIMARY KEY', 'drop-constraint', { dialect: 'mysql' })).message).toContain('PRIMARY KEY on orders');
  });
});

describe('truncate', () => {
  it('lists tables, CASCADE and RESTART IDENTITY', async () => {
    expect((await one('TRUNCATE a, b RESTART IDENTITY CASCADE;', 'truncate')).message).toBe(
      'Truncates tables a, b: every row is deleted, and with CASCADE every table with a foreign key to it is emptied too; RESTART IDENTITY resets the sequences.',
    );
    expect((await one('TRUNCATE TABLE sessions', 'truncate', { dialect: 'mysql' })).message).toBe('Truncates table sessions: every row is deleted.');
  });
  it('inside a SQL function body', async () => {
    expect((await one('CREATE FUNCTION reset() RETURNS void LANGUAGE sql AS $$ TRUNCATE sessions $$;', 'truncate')).message).toContain('inside function reset');
  });
});

describe('delete-without-where', () => {
  const bad: Array<[string, Dialect | undefined, string]> = [
    ['DELETE FROM sessions;', undefined, 'Deletes every row of sessions (no WHERE clause).'],
    ['DELETE FROM sessions WHERE true;', undefined, 'Deletes every row of sessions (WHERE clause is always true).'],
    ['DELETE FROM sessions WHERE 1=1;', undefined, 'Deletes every row of sessions (WHERE clause is always true).'],
    ["DELETE FROM sessions WHERE 'a'='a';", undefined, 'Deletes every row of sessions (WHERE clause is always true).'],
    ['DELETE FROM sessions WHERE id = 3 OR 1 = 1;', undefined, 'Deletes every row of sessions (WHERE clause is always true).'],
    ['DELETE FROM sessions WHERE NOT (1 = 0);', undefined, 'Deletes every row of sessions (WHERE clause is always true).'],
    ["DELETE FROM sessions WHERE 'yes'::boolean;", undefined, 'Deletes every row of sessions (WHERE clause is always true).'],
    ['DELETE FROM s.sessions AS x USING users u;', undefined, 'Deletes every row of s.sessions (no WHERE clause, USING join without a condition).'],
    ['DELETE FROM sessions', 'mysql', 'Deletes every row of sessions (no WHERE clause).'],
    ['DELETE FROM sessions WHERE 1=1', 'mysql', 'Deletes every row of sessions (WHERE clause is always true).'],
    ["DELETE FROM sessions WHERE id = 3 OR 'a' = 'a'", 'mariadb', 'Deletes every row of sessions (WHERE clause is always true).'],
    ['DELETE FROM sessions WHERE NOT false', 'mysql', 'Deletes every row of sessions (WHERE clause is always true).'],
    ['DELETE FROM sessions LIMIT 100', 'mysql', 'Deletes every row of sessions (no WHERE clause, only LIMIT 100 arbitrary rows per run).'],
    ['DELETE FROM sessions WHERE true', 'sqlite', 'Deletes every row of sessions (WHERE clause is always true).'],
  ];
  it.each(bad)('%s (%s)', async (sql, dialect, message) => {
    expect((await one(sql, 'delete-without-where', { dialect })).message).toBe(message);
  });
  const good: Array<[string, Dialect?]> = [
    ['DELETE FROM sessions WHERE 1 = 0;'],
    ['DELETE FROM sessions WHERE id = 1 AND 1 = 1;'],
    ['DELETE FROM sessions WHERE id IN (SELECT id FROM old);'],
    ['DELETE FROM sessions WHERE NULL = NULL;'],
    ['DELETE FROM orders o USING users u WHERE o.user_id = u.id;'],
    ['DELETE t FROM t JOIN u ON t.a = u.a', 'mysql'],
    ['DELETE FROM sessions WHERE id = 1 AND 1 = 1', 'mysql'],
  ];
  it.each(good)('clean: %s', async (sql, dialect) => {
    expect(await findings(sql, 'delete-without-where', { dialect })).toEqual([]);
  });
  it('a DELETE in a CTE points at its table', async () => {
    const f = await one('WITH gone AS (\n  DELETE FROM sessions RETURNING id\n) SELECT count(*) FROM gone;', 'delete-without-where');
    expect([f.line, f.column]).toEqual([2, 15]);
  });
  it('inside a PL/pgSQL function: says so, points at the DELETE', async () => {
    const f = await one('CREATE FUNCTION purge() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n  DELETE FROM audit_log;\nEND $$;', 'delete-without-where');
    expect(f.message).toBe('Deletes every row of audit_log (no WHERE clause) (inside function purge; runs whenever the function is called).');
    expect([f.line, f.column]).toEqual([3, 3]);
  });
  it('inside a BEGIN ATOMIC body, reported once', async () => {
    const f = await one('CREATE FUNCTION purge() RETURNS void LANGUAGE sql BEGIN ATOMIC\n  DELETE FROM audit_log;\nEND;', 'delete-without-where');
    expect(f.message).toContain('inside function purge');
    expect(f.line).toBe(2);
  });
  it('a table created earlier in the file is info', async () => {
    expect((await one('CREATE TABLE tmp (id int);\nDELETE FROM tmp;', 'delete-without-where')).severity).toBe('info');
  });
  it('lexical fallback for an unparsable statement', async () => {
    expect((await one('DELETE FROM sessions@sessions_idx;', 'delete-without-where')).message).toMatch(/^Likely: /);
  });
});

describe('update-without-where', () => {
  it('names the columns and the table', async () => {
    const f = await one('UPDATE users SET email = lower(email), name = upper(name);', 'update-without-where');
    expect(f.message).toBe('Overwrites email, name in every row of users (no WHERE clause).');
    expect([f.line, f.column, f.severity]).toEqual([1, 1, 'error']);
  });
  it('constant-true WHERE and UPDATE … FROM without WHERE', async () => {
    expect((await one('UPDATE users SET a = 1 WHERE true;', 'update-without-where')).message).toContain('WHERE clause is always true');
    expect((await one('UPDATE users SET a = 1 WHERE id = 1 OR 1 = 1;', 'update-without-where')).message).toContain('WHERE clause is always true');
    expect((await one('UPDATE orders SET total = p.total FROM prices p;', 'update-without-where')).message).toBe(
      'Overwrites total in every row of orders (no WHERE clause, FROM join without a condition).',
    );
    expect(await findings('UPDATE orders o SET total = p.total FROM prices p WHERE p.id = o.price_id;', 'update-without-where')).toEqual([]);
  });
  it('MySQL, MariaDB, SQLite', async () => {
    expect((await one('UPDATE users SET active = 0', 'update-without-where', { dialect: 'mysql' })).message).toBe('Overwrites active in every row of users (no WHERE clause).');
    expect((await one("UPDATE users SET name = 'x' WHERE 'a' = 'a'", 'update-without-where', { dialect: 'mariadb' })).message).toContain('always true');
    expect((await one('UPDATE users SET active = 0 WHERE 1', 'update-without-where', { dialect: 'sqlite' })).message).toContain('always true');
    expect(await findings('UPDATE t JOIN u ON t.a = u.a SET t.b = u.b', 'update-without-where', { dialect: 'mysql' })).toEqual([]);
  });
  it('a backfill of a column added earlier in the file is a warning', async () => {
    const f = await one('ALTER TABLE users ADD COLUMN tier text;\nUPDATE users SET tier = \'free\';', 'update-without-where');
    expect(f.severity).toBe('warning');
    expect(f.message).toContain('Backfills tier in every row of users');
    const mixed = await one("ALTER TABLE users ADD COLUMN tier text;\nUPDATE users SET tier = 'free', name = '';", 'update-without-where');
    expect(mixed.severity).toBe('error');
    const my = await one("ALTER TABLE users ADD COLUMN tier varchar(10);\nUPDATE users SET tier = 'free'", 'update-without-where', { dialect: 'mysql' });
    expect(my.severity).toBe('warning');
  });
  it('a SET that keeps every non-NULL value (c = COALESCE(c, …)) only fills NULLs: a warning, as SET … WHERE c IS NULL passes', async () => {
    const keeps = [
      ['UPDATE observations SET prompt_tokens = COALESCE(prompt_tokens, 0);', 'postgresql', 'prompt_tokens'],
      ['UPDATE public.observations SET a = coalesce(observations.a, 0), b = COALESCE(public.observations.b, c, 1);', 'postgresql', 'a, b'],
      ['UPDATE observations o SET a = o.a, b = COALESCE(o.b, 0);', 'postgresql', 'a, b'],
      ['UPDATE t SET c = CASE WHEN c IS NULL THEN 0 ELSE c END;', 'postgresql', 'c'],
      ['UPDATE users SET a = COALESCE(a, 0), b = IFNULL(users.b, 1)', 'mysql', 'a, b'],
      ['UPDATE users SET a = ifnull(A, 0)', 'sqlite', 'a'],
      // Every row reached another way (a FROM without a condition on the target, a WHERE that names none
      // of its columns): the same reading.
      ['UPDATE t SET c = COALESCE(t.c, p.c) FROM prefs p WHERE p.active;', 'postgresql', 'c'],
      ['UPDATE t SET c = COALESCE(c, 0) WHERE EXISTS (SELECT 1 FROM flags);', 'postgresql', 'c'],
      ['UPDATE users SET a = IFNULL(a, 0) WHERE EXISTS (SELECT 1 FROM flags)', 'mysql', 'a'],
    ] as const;
    for (const [sql, dialect, cols] of keeps) {
      const f = await one(sql, 'update-without-where', { dialect });
      expect(f.severity, sql).toBe('warning');
      expect(f.gating, sql).toBe(false);
      expect(f.message, sql).toContain(`Fills only NULLs of ${cols} in every row of`);
    }
    // Anything that can replace a value that is there still overwrites it: the column not first, another
    // column, another table's, a CASE that changes non-NULL values, one column of several.
    const overwrites = [
      ['UPDATE t SET c = COALESCE(d, c);', 'postgresql', 'c'],
      ['UPDATE t SET c = COALESCE(other.c, 0) FROM other WHERE true;', 'postgresql', 'c'],
      ['UPDATE t SET c = CASE WHEN c IS NOT NULL THEN 0 ELSE c END;', 'postgresql', 'c'],
      ['UPDATE t SET c = COALESCE(c, 0), d = 1;', 'postgresql', 'd'],
      // An alias hides the table's own name (PostgreSQL: invalid reference): not read as the column.
      ['UPDATE observations o SET b = COALESCE(observations.b, 0);', 'postgresql', 'b'],
      ['UPDATE t SET "C" = COALESCE(c, 0);', 'postgresql', 'C'],
      ['UPDATE users SET a = COALESCE(b, a)', 'mysql', 'a'],
      ['UPDATE t SET c = COALESCE(p.c, t.c) FROM prefs p WHERE p.active;', 'postgresql', 'c'],
      ['UPDATE t SET c = 0 WHERE EXISTS (SELECT 1 FROM flags);', 'postgresql', 'c'],
      ['UPDATE users SET a = COALESCE(b, a) WHERE (SELECT count(*) FROM flags) > 0', 'sqlite', 'a'],
    ] as const;
    for (const [sql, dialect, cols] of overwrites) {
      const f = await one(sql, 'update-without-where', { dialect });
      expect(f.severity, sql).toBe('error');
      expect(f.message, sql).toContain(`Overwrites ${cols} in every row of`);
    }
    // A table created earlier in the file: info, as before.
    expect((await one('CREATE TABLE t (c int);\nUPDATE t SET c = COALESCE(c, 0);', 'update-without-where')).severity).toBe('info');
  });
  it('inside a DO block', async () => {
    const f = await one("DO $$\nBEGIN\n  UPDATE users SET password_hash = '';\nEND $$;", 'update-without-where');
    expect(f.message).toContain('(inside a DO block)');
    expect([f.line, f.column]).toEqual([3, 3]);
  });
});

describe('alter-column-type', () => {
  it('names column and new type, USING called out', async () => {
    const f = await one('ALTER TABLE "Field"\n  ALTER COLUMN "positionX" SET DATA TYPE DECIMAL(65,30) USING "positionX"::decimal;', 'alter-column-type');
    expect(f.message).toMatch(/^Changes the type of column Field\.positionX to numeric\(65,30\); the USING expression rewrites every value/);
    expect([f.line, f.column, f.severity]).toEqual([2, 3, 'error']);
  });
  it('to an unbounded text type: warning', async () => {
    expect((await one('ALTER TABLE users ALTER COLUMN bio TYPE text;', 'alter-column-type')).severity).toBe('warning');
    expect((await one('ALTER TABLE users ALTER COLUMN bio TYPE varchar(10)[];', 'alter-column-type')).message).toContain('varchar(10)[]');
  });
  it('MySQL MODIFY / CHANGE', async () => {
    expect((await one('ALTER TABLE users MODIFY COLUMN name VARCHAR(20) NOT NULL', 'alter-column-type', { dialect: 'mysql' })).message).toMatch(
      /^Redefines column users\.name as VARCHAR\(20\) \(MODIFY restates the column/,
    );
    expect((await one('ALTER TABLE users CHANGE name full_name VARCHAR(20)', 'alter-column-type', { dialect: 'mysql' })).message).toContain('users.name as VARCHAR(20)');
  });
  it('table created earlier in the file: not reported', async () => {
    expect(await findings('CREATE TABLE t (c int);\nALTER TABLE t ALTER COLUMN c TYPE bigint;', 'alter-column-type')).toEqual([]);
  });
});

describe('rename-table and rename-column', () => {
  it('tables and views', async () => {
    expect((await one('ALTER TABLE s.users RENAME TO accounts;', 'rename-table')).message).toBe(
      'Renames table s.users to accounts: queries and code that use the old name fail.',
    );
    expect((await one('ALTER MATERIALIZED VIEW mv RENAME TO mv2;', 'rename-table')).message).toContain('materialized view mv');
    expect((await findings('RENAME TABLE a TO b, c TO d', 'rename-table', { dialect: 'mysql' })).map((f) => f.message)).toEqual([
      'Renames table a to b: queries and code that use the old name fail.',
      'Renames table c to d: queries and code that use the old name fail.',
    ]);
    expect((await one('ALTER TABLE users RENAME TO accounts', 'rename-table', { dialect: 'sqlite' })).message).toContain('users to accounts');
  });
  it('the copy of a table rebuild is not a breaking rename', async () => {
    expect(await findings('CREATE TABLE _users_new (id int);\nALTER TABLE _users_new RENAME TO users;', 'rename-table')).toEqual([]);
    expect((await one('ALTER TABLE "_users_tmp" RENAME TO "users"', 'rename-table', { dialect: 'sqlite' })).severity).toBe('info');
  });
  it('columns, pointing at the RENAME', async () => {
    const f = await one('ALTER TABLE users\n  RENAME COLUMN name TO full_name;', 'rename-column');
    expect(f.message).toBe('Renames column users.name to full_name: queries and code that use the old name fail.');
    expect([f.line, f.column]).toEqual([2, 3]);
    expect((await one('ALTER TABLE users CHANGE name full_name VARCHAR(100)', 'rename-column', { dialect: 'mysql' })).message).toContain('users.name to full_name');
    expect(await findings('ALTER TABLE users CHANGE name name VARCHAR(100)', 'rename-column', { dialect: 'mysql' })).toEqual([]);
    expect((await one('ALTER TABLE users RENAME COLUMN a TO b', 'rename-column', { dialect: 'sqlite' })).message).toContain('users.a to b');
  });
});

describe('alwaysTrue helpers', () => {
  const pg = async (where: string) => {
    const { loadModule, parseSync } = await import('libpg-query');
    await loadModule();
    return (parseSync(`DELETE FROM t WHERE ${where}`) as any).stmts[0].stmt.DeleteStmt.whereClause;
  };
  it.each([
    ['true', true],
    ['1=1', true],
    ["'a'='a'", true],
    ['id = 1 OR 1 = 1', true],
    ['NOT false', true],
    ['2 > 1', true],
    ['1 IS NOT NULL', true],
    ['true IS TRUE', true],
    ['a = a', true],
    ['false', false],
    ['1 = 2', false],
    ['id = 1', false],
    ['id = 1 AND true', false],
    ['NULL IS NOT NULL', false],
    ["'a' = 'b' OR false", false],
    ['x IS NULL OR x IS NOT NULL', true],
    ['x IS TRUE OR x IS NOT TRUE', true],
    ['flag OR NOT flag', true],
    ['EXISTS (SELECT 1)', true],
    ['EXISTS (SELECT 1 WHERE false)', false],
    ['EXISTS (SELECT 1 FROM users)', false],
    ['1 IN (1, 2)', true],
    ['3 IN (1, 2)', false],
    ['3 NOT IN (1, 2)', true],
    ["'x' LIKE '%'", true],
    ["'x' LIKE 'y%'", false],
    ["'X' ILIKE 'x'", true],
    ['coalesce(NULL, true)', true],
    ['coalesce(x, true)', false],
    ["length('a') = 1", true],
    ["length(name) = 1", false],
    ['1 BETWEEN 0 AND 2', true],
    ['1 + 1 = 2', true],
    ["'1'::int = 1", true],
    ['nullif(1, 1) IS NULL', true],
    ['greatest(1, 5) = 5', true],
    ['CASE WHEN 1 > 0 THEN true ELSE false END', true],
    ['1 IS DISTINCT FROM 2', true],
    ['x IS NOT DISTINCT FROM x', true],
    ['random() = random()', false],
    ['x IS NULL OR y IS NOT NULL', false],
    ['NULL = NULL', false],
    // Comparisons of one expression with constants that together hold for every value it can have.
    ['id > 0 OR id <= 0', true],
    ['0 < id OR id <= 0', true],
    ['id < 5 OR id > 1', true],
    ['id < 1 OR id = 1 OR id > 1', true],
    ['id <> 1 OR id <> 2', true],
    ["name = 'x' OR name <> 'x'", true],
    ["name = 'x' OR name != 'x' OR id = 3", true],
    ['id > 0 OR id < 0', false],
    ['id < 1 OR id > 1', false],
    ['id <= 1 OR id > 2', false],
    ['id <> 1 OR id <> 1', false],
    ["name = 'x' OR name <> 'y'", false],
    ['id > 0 OR other <= 0', false],
    ['random() > 0.5 OR random() <= 0.5', false],
    ['id > $1 OR id <= $1', false],
  ])('pg: %s → %s', async (w, expected) => {
    expect(alwaysTrue(await pg(w))).toBe(expected);
  });
  it('absent WHERE counts as always true', () => {
    expect(alwaysTrue(undefined)).toBe(true);
    expect(alwaysTrueNsp(null)).toBe(true);
  });
  it('node-sql-parser shapes', () => {
    const n = (v: number) => ({ type: 'number', value: v });
    const s = (v: string) => ({ type: 'single_quote_string', value: v });
    const col = { type: 'column_ref', table: null, column: 'id' };
    expect(alwaysTrueNsp({ type: 'binary_expr', operator: '=', left: n(1), right: n(1) })).toBe(true);
    expect(alwaysTrueNsp({ type: 'binary_expr', operator: '=', left: s('a'), right: s('a') })).toBe(true);
    expect(alwaysTrueNsp({ type: 'binary_expr', operator: '=', left: s('a'), right: s('b') })).toBe(false);
    expect(alwaysTrueNsp({ type: 'binary_expr', operator: 'OR', left: { type: 'binary_expr', operator: '=', left: col, right: n(3) }, right: { type: 'bool', value: true } })).toBe(true);
    expect(alwaysTrueNsp({ type: 'binary_expr', operator: 'AND', left: { type: 'binary_expr', operator: '=', left: col, right: n(3) }, right: { type: 'bool', value: true } })).toBe(false);
    expect(alwaysTrueNsp({ type: 'unary_expr', operator: 'NOT', expr: { type: 'bool', value: false } })).toBe(true);
    expect(alwaysTrueNsp(n(0))).toBe(false);
    const isNull = (not: boolean) => ({ type: 'binary_expr', operator: not ? 'IS NOT' : 'IS', left: col, right: { type: 'null', value: null } });
    expect(alwaysTrueNsp({ type: 'binary_expr', operator: 'OR', left: isNull(false), right: isNull(true) })).toBe(true);
    expect(alwaysTrueNsp({ type: 'binary_expr', operator: 'IN', left: n(1), right: { type: 'expr_list', value: [n(1), n(2)] } })).toBe(true);
    expect(alwaysTrueNsp({ type: 'binary_expr', operator: 'LIKE', left: s('x'), right: s('%') })).toBe(true);
    expect(alwaysTrueNsp({ type: 'binary_expr', operator: 'LIKE', left: col, right: s('%') })).toBe(false);
    const cmp = (op: string, l: any, r: any) => ({ type: 'binary_expr', operator: op, left: l, right: r });
    expect(alwaysTrueNsp(cmp('OR', cmp('>', col, n(0)), cmp('<=', col, n(0))))).toBe(true);
    expect(alwaysTrueNsp(cmp('OR', cmp('<', n(0), col), cmp('>=', n(0), col)))).toBe(true);
    expect(alwaysTrueNsp(cmp('OR', cmp('!=', col, s('a')), cmp('=', col, s('a'))))).toBe(true);
    expect(alwaysTrueNsp(cmp('OR', cmp('>', col, n(0)), cmp('<', col, n(0))))).toBe(false);
    const rnd = { type: 'function', name: { name: [{ type: 'default', value: 'rand' }] }, args: { type: 'expr_list', value: [] } };
    expect(alwaysTrueNsp(cmp('OR', cmp('>', rnd, n(0.5)), cmp('<=', rnd, n(0.5))))).toBe(false);
  });
});

describe('lexical fallback on statements no parser accepted', () => {
  const cases: Array<[string, string]> = [
    ['ALTER TABLE users DROP COLUMN email @@;', 'drop-column'],
    ['TRUNCATE sessions @@;', 'truncate'],
    ['UPDATE users SET active = 0 @@;', 'update-without-where'],
    ['DROP SCHEMA s CASCADE @@;', 'drop-schema'],
    ['DROP DATABASE d @@;', 'drop-database'],
    ['DROP FUNCTION f() @@;', 'drop-function'],
    ['DROP VIEW v @@;', 'drop-view'],
    ['DROP TYPE t@x CASCADE;', 'drop-cascade'],
    ['DROP TRIGGER t ON x @@;', 'drop-trigger'],
    ['DROP OWNED BY r @@;', 'drop-owned'],
    ['ALTER TABLE t DROP CONSTRAINT c @@;', 'drop-constraint'],
    ['ALTER TABLE t ALTER COLUMN c TYPE int @@;', 'alter-column-type'],
    ['ALTER TABLE t RENAME TO u @@;', 'rename-table'],
    ['ALTER TABLE t RENAME COLUMN a TO b @@;', 'rename-column'],
    ['ALTER TABLE t ALTER COLUMN c SET NOT NULL @@;', 'set-not-null'],
    ['ALTER TABLE t ADD COLUMN c int NOT NULL @@;', 'add-column-not-null-no-default'],
  ];
  it.each(cases)('%s → %s', async (sql, rule) => {
    const r = await check(sql);
    expect(r.findings.map((f) => f.ruleId)).toContain('parse-error');
    const f = r.findings.filter((x) => x.ruleId === rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toMatch(/^Likely: .*could not be parsed/);
  });
  it('MySQL trigger and procedure bodies node-sql-parser cannot parse: valid, so no parse error, and their statements still reach the rules', async () => {
    const trig = await check('CREATE TRIGGER tr AFTER INSERT ON a FOR EACH ROW DELETE FROM b', { dialect: 'mysql' });
    expect(trig.findings.map((f) => f.ruleId).sort()).toEqual(['delete-without-where']);
    const proc = await check('DELIMITER //\nCREATE PROCEDURE p()\nBEGIN\n  DELETE FROM audit;\n  UPDATE users SET a = 1;\nEND //\nDELIMITER ;\n', { dialect: 'mysql' });
    expect(proc.findings.map((f) => f.ruleId).sort()).toEqual(['delete-without-where', 'update-without-where']);
  });
  it.each([
    ['CREATE TABLE users (id int, password_hash text) @@;', []],
    ["INSERT INTO settings (name) VALUES ('password_min_length') @@;", []],
    ['ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0 @@;', []],
    ['ALTER TABLE t ALTER COLUMN c DROP DEFAULT @@;', []],
    ['ALTER TABLE t DROP CONSTRAINT c CASCADE @@;', ['drop-constraint']],
    ['DELETE FROM t WHERE id = 3 @@;', []],
    ['UPDATE t SET a = 1 WHERE id = 3 @@;', []],
  ])('only the expected guess on %s', async (sql, expected) => {
    expect((await mine(sql)).map((f) => f.ruleId)).toEqual(expected);
  });
});

describe('a WHERE clause that names none of the target\'s columns (every row or none)', () => {
  it('DELETE and UPDATE with a row-independent condition are reported; a row-dependent or per-row varying one is not', async () => {
    const every = [
      ['DELETE FROM users WHERE EXISTS (SELECT 1 FROM accounts);', 'delete-without-where'],
      ['DELETE FROM users WHERE (SELECT true);', 'delete-without-where'],
      ["DELETE FROM users WHERE now() > '2000-01-01';", 'delete-without-where'],
      ["DELETE FROM users WHERE current_setting('app.env') = 'test' AND (SELECT count(*) FROM a) >= 0;", 'delete-without-where'],
      ["UPDATE users SET role = 'admin' WHERE (SELECT count(*) FROM admins) = 0;", 'update-without-where'],
      ['WITH gone AS (DELETE FROM users WHERE EXISTS (SELECT 1 FROM flags) RETURNING 1) SELECT count(*) FROM gone;', 'delete-without-where'],
      // A bind parameter has one value for the whole statement.
      ['DELETE FROM users WHERE $1;', 'delete-without-where'],
      ["DO $$ BEGIN EXECUTE 'DELETE FROM users WHERE $1' USING true; END $$;", 'delete-without-where'],
    ] as const;
    for (const [sql, id] of every) {
      const f = await one(sql, id);
      expect(f.gating, sql).toBe(true);
      expect(f.message, sql).toContain('names none of its columns');
    }
    const selective = [
      'DELETE FROM users WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.user_id = users.id);',
      'DELETE FROM users u WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.user_id = u.id);',
      'DELETE FROM users WHERE EXISTS (SELECT 1 FROM accounts WHERE user_id = id);', // unqualified: may be the target's
      'DELETE FROM users WHERE random() < 0.1;', // evaluated per row
      'DELETE FROM users WHERE my_flag();', // a function of unknown volatility
      "DELETE FROM users WHERE length('x') = 2;", // known false: no row, ever
      "UPDATE users SET role = 'x' WHERE id IN (SELECT user_id FROM admins);",
    ];
    for (const sql of selective) expect(await findings(sql, sql.startsWith('UPDATE') ? 'update-without-where' : 'delete-without-where'), sql).toEqual([]);
  });
});

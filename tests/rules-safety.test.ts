// Safety rules (warnings, non-gating): lock-heavy or failure-prone DDL on tables that already exist.
// Tables created earlier in the same file are empty and must not be reported.
import { describe, expect, it } from 'vitest';
import { findings } from './helpers.js';
import type { Dialect, Finding } from '../src/types.js';

async function one(sql: string, rule: string, opts: { dialect?: Dialect; path?: string } = {}): Promise<Finding> {
  const f = await findings(sql, rule, opts);
  expect(f, `${rule} on ${sql}`).toHaveLength(1);
  return f[0];
}

describe('create-index-non-concurrent', () => {
  it('reports CREATE INDEX on an existing table, non-gating, pointing at the table', async () => {
    const f = await one('CREATE INDEX users_email_idx\n  ON users (email);', 'create-index-non-concurrent');
    expect(f.message).toBe('Builds index users_email_idx on existing table users without CONCURRENTLY: writes to users are blocked until it is built.');
    expect([f.severity, f.gating, f.category]).toEqual(['warning', false, 'safety']);
    expect([f.line, f.column]).toEqual([2, 6]);
  });
  it('unique and unnamed indexes, schema-qualified tables', async () => {
    expect((await one('CREATE UNIQUE INDEX IF NOT EXISTS "User_email_key" ON "User"("email");', 'create-index-non-concurrent')).message).toContain(
      'unique index User_email_key on existing table User',
    );
    expect((await one('CREATE INDEX ON app.orders (created_at);', 'create-index-non-concurrent')).message).toContain('Builds an index on existing table app.orders');
  });
  it('ADD CONSTRAINT UNIQUE / PRIMARY KEY build an index under ACCESS EXCLUSIVE', async () => {
    expect((await one('ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);', 'create-index-non-concurrent')).message).toBe(
      'Adds UNIQUE constraint users_email_key on existing table users: its index is built under an ACCESS EXCLUSIVE lock (reads and writes wait).',
    );
    expect((await one('ALTER TABLE users ADD PRIMARY KEY (id);', 'create-index-non-concurrent')).message).toContain('PRIMARY KEY constraint on existing table users');
  });
  const clean: Array<[string, Dialect?]> = [
    ['CREATE INDEX CONCURRENTLY users_email_idx ON users (email);'],
    ['CREATE TABLE users (id int, email text);\nCREATE INDEX users_email_idx ON users (email);'],
    ['CREATE TABLE app.users (id int, email text);\nCREATE INDEX users_email_idx ON app.users (email);'],
    ['CREATE TABLE "User" (id int, email text);\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");'],
    ['CREATE TABLE users (id int);\nALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY (id);'],
    ['ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;'],
    ['CREATE INDEX measurements_ts_idx ON ONLY measurements (ts);'],
    ['CREATE INDEX users_email_idx ON users (email)', 'mysql'],
    ['CREATE INDEX users_email_idx ON users (email)', 'sqlite'],
  ];
  it.each(clean)('clean: %s (%s)', async (sql, dialect) => {
    expect(await findings(sql, 'create-index-non-concurrent', { dialect })).toEqual([]);
  });
  it('an index created before its table is re-created later in the file is still reported', async () => {
    expect(await findings('CREATE INDEX i ON t (a);\nDROP TABLE t;\nCREATE TABLE t (a int);', 'create-index-non-concurrent')).toHaveLength(1);
  });
  it('inside a DO block', async () => {
    expect((await one('DO $$ BEGIN CREATE INDEX i ON t (a); END $$;', 'create-index-non-concurrent')).message).toContain('(inside a DO block)');
  });
});

describe('add-column-not-null-no-default', () => {
  it('reports NOT NULL without DEFAULT, pointing at the ADD', async () => {
    const f = await one('ALTER TABLE users\n  ADD COLUMN nickname text,\n  ADD COLUMN tenant_id uuid NOT NULL;', 'add-column-not-null-no-default');
    expect(f.message).toBe('Adds NOT NULL column users.tenant_id without a DEFAULT: the ALTER fails if users has any row.');
    expect([f.line, f.column, f.severity, f.gating]).toEqual([3, 3, 'warning', false]);
  });
  it('PRIMARY KEY implies NOT NULL', async () => {
    expect((await one('ALTER TABLE users ADD COLUMN id2 int PRIMARY KEY;', 'add-column-not-null-no-default')).message).toContain('users.id2');
  });
  it('SQLite always rejects it', async () => {
    expect((await one('ALTER TABLE users ADD COLUMN tenant_id int NOT NULL', 'add-column-not-null-no-default', { dialect: 'sqlite' })).message).toContain('SQLite rejects');
  });
  const clean: Array<[string, Dialect?]> = [
    ['ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;'],
    ['ALTER TABLE users ADD COLUMN note text;'],
    ['ALTER TABLE users ADD COLUMN n bigserial NOT NULL;'],
    ['ALTER TABLE users ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY NOT NULL;'],
    ['ALTER TABLE users ADD COLUMN n int GENERATED ALWAYS AS (1) STORED NOT NULL;'],
    ['CREATE TABLE users (id int);\nALTER TABLE users ADD COLUMN c int NOT NULL;'],
    ['ALTER TABLE users ADD COLUMN tenant_id int NOT NULL DEFAULT 0', 'sqlite'],
    ['ALTER TABLE users ADD COLUMN tenant_id int NOT NULL', 'mysql'],
  ];
  it.each(clean)('clean: %s (%s)', async (sql, dialect) => {
    expect(await findings(sql, 'add-column-not-null-no-default', { dialect })).toEqual([]);
  });
});

describe('constraint-not-valid', () => {
  it('foreign key without NOT VALID names both tables', async () => {
    const f = await one('ALTER TABLE orders\n  ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users(id);', 'constraint-not-valid');
    expect(f.message).toBe(
      'Adds foreign key orders_user_fk on existing table orders without NOT VALID: every row is checked while writes are blocked (locks users too).',
    );
    expect([f.line, f.column, f.severity, f.gating]).toEqual([2, 7, 'warning', false]);
  });
  it('check constraint', async () => {
    expect((await one('ALTER TABLE orders ADD CHECK (total >= 0);', 'constraint-not-valid')).message).toBe(
      'Adds check constraint on existing table orders without NOT VALID: every row is checked while writes are blocked.',
    );
  });
  it.each([
    ['ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users(id) NOT VALID;'],
    ['ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID;'],
    ['ALTER TABLE orders VALIDATE CONSTRAINT fk;'],
    ['ALTER TABLE orders ADD COLUMN user_id int REFERENCES users(id);'],
    ['CREATE TABLE orders (id int, user_id int);\nALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users(id);'],
  ])('clean: %s', async (sql) => {
    expect(await findings(sql, 'constraint-not-valid')).toEqual([]);
  });
});

describe('set-not-null', () => {
  it('one finding per column, pointing at each clause', async () => {
    const f = await findings('ALTER TABLE "User"\n  ALTER COLUMN "name" SET NOT NULL,\n  ALTER COLUMN "role" SET NOT NULL;', 'set-not-null');
    expect(f.map((x) => [x.line, x.column, x.message])).toEqual([
      [2, 3, 'Sets User.name NOT NULL on an existing table: every row is scanned under an ACCESS EXCLUSIVE lock, and any NULL fails the migration.'],
      [3, 3, 'Sets User.role NOT NULL on an existing table: every row is scanned under an ACCESS EXCLUSIVE lock, and any NULL fails the migration.'],
    ]);
    expect(f.every((x) => x.severity === 'warning' && !x.gating)).toBe(true);
  });
  it.each([
    ['ALTER TABLE users ALTER COLUMN email DROP NOT NULL;'],
    ['CREATE TABLE users (email text);\nALTER TABLE users ALTER COLUMN email SET NOT NULL;'],
    ['ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT email_nn;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;'],
  ])('clean: %s', async (sql) => {
    expect(await findings(sql, 'set-not-null')).toEqual([]);
  });
  it('a CHECK on another column does not excuse it', async () => {
    expect(await findings('ALTER TABLE users ADD CONSTRAINT c CHECK (name IS NOT NULL) NOT VALID;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;', 'set-not-null')).toHaveLength(1);
  });
});

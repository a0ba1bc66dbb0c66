// Table rebuilds (src/state/rebuild.ts): SQLite's way to change a table, as Prisma, pop and hand-written
// migrations emit it. Dropping the old table after its rows were copied into the table that takes its
// name loses only what the copy left out: that is reported, a full copy is info. Each evasion gates.
import { describe, expect, it } from 'vitest';
import { run } from '../src/engine.js';
import type { Dialect, Finding } from '../src/types.js';

const HISTORY = 'CREATE TABLE user (id INTEGER PRIMARY KEY, username TEXT, role TEXT, email TEXT);\nCREATE TABLE t (a INTEGER, b TEXT, c TEXT);';
const PG_HISTORY = 'CREATE TABLE "user" (id int PRIMARY KEY, username text, role text, email text);\nCREATE TABLE t (a int, b text, c text);';

async function judge(sql: string, opts: { dialect?: Dialect; replay?: boolean; history?: string } = {}): Promise<Finding[]> {
  const dialect = opts.dialect ?? 'sqlite';
  const dir = dialect === 'sqlite' ? 'sqlite/migrations' : 'migrations';
  const history = [{ path: `${dir}/0001_init.sql`, content: opts.history ?? (dialect === 'sqlite' ? HISTORY : PG_HISTORY) }];
  const r = await run([{ path: `${dir}/0002_change.sql`, content: sql }], { dialect, history, historyKnown: true, replay: opts.replay });
  return r.findings.filter((f) => f.path.endsWith('0002_change.sql'));
}

const of = (fs: Finding[], id: string) => fs.filter((f) => f.ruleId === id);

// Prisma's form: copy into new_t, drop t, rename new_t to t.
const PRISMA = (select: string, cols = '"a", "b", "c"') =>
  `CREATE TABLE "new_t" (a INTEGER, b TEXT, c TEXT NOT NULL DEFAULT '');\nINSERT INTO "new_t" (${cols}) ${select};\nDROP TABLE "t";\nALTER TABLE "new_t" RENAME TO "t";`;
// The other form: rename t out of the way, create t again, copy, drop the old one.
const RENAMED = (select: string) =>
  `ALTER TABLE user RENAME TO user_old;\nCREATE TABLE user (id INTEGER PRIMARY KEY, username TEXT NOT NULL, role TEXT NOT NULL DEFAULT 'USER', email TEXT);\nINSERT INTO user (id, username, role, email) ${select};\nDROP TABLE user_old;`;

for (const replay of [true, false]) {
  describe(`table rebuilds (${replay ? 'replay' : 'static'})`, () => {
    it('a copy of every column: the drop is info, the renames pass or are info', async () => {
      for (const sql of [PRISMA('SELECT "a", "b", "c" FROM "t"'), PRISMA('SELECT * FROM t'), RENAMED('SELECT id, username, role, email FROM user_old')]) {
        const fs = await judge(sql, { replay });
        const drops = of(fs, 'drop-table');
        expect(drops, sql).toHaveLength(1);
        expect(drops[0].severity, sql).toBe('info');
        expect(drops[0].message, sql).toMatch(/^Rebuilds table \S+: its rows were copied into \S+, which takes its name, earlier in this change with every column; nothing is lost\.$/);
        expect(fs.filter((f) => f.gating), sql).toEqual([]);
      }
    });
    it('a copy that leaves a column out gates, naming it', async () => {
      const fs = await judge(PRISMA('SELECT "a", "b", \'\' FROM "t"'), { replay });
      const [d] = of(fs, 'drop-table');
      expect(d.gating).toBe(true);
      expect(d.message).toContain('without column c: its data is lost');
      const r = await judge(RENAMED("SELECT id, username, 'USER', email FROM user_old"), { replay });
      expect(of(r, 'drop-table')[0].message).toContain('without column role');
    });
    it('a copy that filters rows gates', async () => {
      for (const select of ['SELECT a, b, c FROM t WHERE a > 0', 'SELECT a, b, c FROM t LIMIT 10', 'SELECT DISTINCT a, b, c FROM t']) {
        const [d] = of(await judge(PRISMA(select, 'a, b, c'), { replay }), 'drop-table');
        expect(d.gating, select).toBe(true);
        expect(d.message, select).toContain('rows it left out are lost');
      }
      const [d] = of(await judge('CREATE TABLE "new_t" (a INTEGER UNIQUE, b TEXT, c TEXT);\nINSERT OR IGNORE INTO "new_t" (a, b, c) SELECT a, b, c FROM t;\nDROP TABLE t;\nALTER TABLE "new_t" RENAME TO t;', { replay }), 'drop-table');
      expect(d.gating).toBe(true);
      expect(d.message).toContain('conflict');
    });
    it('a copy into a table that does not take the name is no rebuild: the drop and the rename gate as before', async () => {
      const fs = await judge('CREATE TABLE archive (a INTEGER, b TEXT, c TEXT);\nINSERT INTO archive SELECT * FROM t;\nDROP TABLE t;', { replay });
      expect(of(fs, 'drop-table')[0].message).toBe('Drops table t and all its data.');
      const moved = await judge('CREATE TABLE n (a INTEGER, b TEXT, c TEXT);\nINSERT INTO n SELECT * FROM t;\nDROP TABLE t;\nALTER TABLE n RENAME TO other;', { replay });
      expect(of(moved, 'drop-table')[0].gating).toBe(true);
      // Renaming t away without creating it again is a rename readers notice.
      const away = await judge('ALTER TABLE user RENAME TO user_old;\nCREATE TABLE users2 (id INTEGER);\nINSERT INTO users2 SELECT id FROM user_old;\nDROP TABLE user_old;', { replay });
      expect(of(away, 'rename-table')[0].gating).toBe(true);
      expect(of(away, 'drop-table')[0].gating).toBe(true);
    });
    it('the copy must come before the drop, from the dropped table, in the same change', async () => {
      const after = await judge('CREATE TABLE "new_t" (a INTEGER, b TEXT, c TEXT);\nDROP TABLE t;\nINSERT INTO "new_t" SELECT * FROM t;\nALTER TABLE "new_t" RENAME TO t;', { replay });
      expect(of(after, 'drop-table')[0].gating).toBe(true);
      const other = await judge('CREATE TABLE "new_t" (a INTEGER, b TEXT, c TEXT);\nINSERT INTO "new_t" SELECT * FROM user;\nDROP TABLE t;\nALTER TABLE "new_t" RENAME TO t;', { replay });
      expect(of(other, 'drop-table')[0].gating).toBe(true);
      // A join or a subquery as the source is not a copy of one table.
      const join = await judge('CREATE TABLE "new_t" (a INTEGER, b TEXT, c TEXT);\nINSERT INTO "new_t" SELECT t.a, t.b, t.c FROM t JOIN user ON user.id = t.a;\nDROP TABLE t;\nALTER TABLE "new_t" RENAME TO t;', { replay });
      expect(of(join, 'drop-table')[0].gating).toBe(true);
    });
    it('a table dropped and created again has only its new columns', async () => {
      const sql = 'DROP TABLE t;\nCREATE TABLE t (a INTEGER);\nCREATE TABLE "new_t" (a INTEGER);\nINSERT INTO "new_t" (a) SELECT a FROM t;\nDROP TABLE t;\nALTER TABLE "new_t" RENAME TO t;';
      const drops = of(await judge(sql, { replay }), 'drop-table');
      expect(drops.map((f) => f.severity)).toEqual(['error', 'info']);
    });
    it('the renamed table keeps its columns: a rebuild after a rename still knows them', async () => {
      const sql = 'ALTER TABLE t RENAME TO t_old;\nCREATE TABLE t (a INTEGER, b TEXT);\nINSERT INTO t (a, b) SELECT a, b FROM t_old;\nDROP TABLE t_old;';
      const [d] = of(await judge(sql, { replay }), 'drop-table');
      expect(d.message).toContain('without column c');
    });
  });
}

describe('table rebuilds on PostgreSQL and without history', () => {
  it('PostgreSQL: the same reading', async () => {
    const ok = await judge('CREATE TABLE t_new (a int, b text, c text);\nINSERT INTO t_new SELECT * FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;', { dialect: 'postgresql' });
    expect(of(ok, 'drop-table')[0].severity).toBe('info');
    const lost = await judge('CREATE TABLE t_new (a int, b text);\nINSERT INTO t_new (a, b) SELECT a, b FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;', { dialect: 'postgresql' });
    expect(of(lost, 'drop-table')[0].message).toContain('without column c');
    // CASCADE drops other objects too: never a rebuild.
    const cascade = await judge('CREATE TABLE t_new (a int, b text, c text);\nINSERT INTO t_new SELECT * FROM t;\nDROP TABLE t CASCADE;\nALTER TABLE t_new RENAME TO t;', { dialect: 'postgresql' });
    expect(of(cascade, 'drop-table')[0].gating).toBe(true);
  });
  it('columns unknown (no history): a partial copy cannot be judged, the drop gates as before', async () => {
    const r = await run([{ path: 'sqlite/migrations/0002_change.sql', content: PRISMA('SELECT "a", "b", "c" FROM "t"') }], { dialect: 'sqlite' });
    const [d] = r.findings.filter((f) => f.ruleId === 'drop-table');
    expect(d.gating).toBe(true);
    // SELECT * needs no column list.
    const star = await run([{ path: 'sqlite/migrations/0002_change.sql', content: PRISMA('SELECT * FROM t') }], { dialect: 'sqlite' });
    expect(star.findings.filter((f) => f.ruleId === 'drop-table')[0].severity).toBe('info');
  });
  it('an unconditional CREATE TABLE IF NOT EXISTS of the table does not make its columns look fewer', async () => {
    const sql = 'CREATE TABLE IF NOT EXISTS t (a INTEGER);\nCREATE TABLE "new_t" (a INTEGER);\nINSERT INTO "new_t" (a) SELECT a FROM t;\nDROP TABLE t;\nALTER TABLE "new_t" RENAME TO t;';
    for (const replay of [true, false]) {
      const [d] = of(await judge(sql, { replay }), 'drop-table');
      expect(d.gating, String(replay)).toBe(true);
      expect(d.message, String(replay)).toContain('without columns b, c');
    }
  });
});

describe('SQLite replay: unqualified names are main.name', () => {
  it('renaming a table created earlier in the file is not reported; a preexisting one is', async () => {
    const fs = await judge('CREATE TABLE x (a INTEGER);\nALTER TABLE x RENAME TO y;\nALTER TABLE t RENAME TO t2;', { replay: true });
    const renames = of(fs, 'rename-table');
    expect(renames.map((f) => f.message)).toEqual(['Renames table t to t2: queries and code that use the old name fail.']);
  });
});

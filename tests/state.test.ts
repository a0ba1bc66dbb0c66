// Schema state (src/state/): the "created by this migration" exemption is decided by state, never by
// a name match in the text. Each evasion of issue #7 must still gate, with and without replay; each
// honest create-then-drop must not. History makes pre-existing objects known.
import { describe, expect, it } from 'vitest';
import { run } from '../src/engine.js';
import type { Dialect, Finding, SourceFile } from '../src/types.js';

async function judge(sql: string, opts: { dialect?: Dialect; history?: string[]; replay?: boolean; path?: string } = {}): Promise<Finding[]> {
  const history: SourceFile[] = (opts.history ?? []).map((h, i) => ({ path: `migrations/000${i}_history.sql`, content: h }));
  const r = await run([{ path: opts.path ?? 'migrations/0100_change.sql', content: sql }], {
    dialect: opts.dialect,
    history,
    historyKnown: history.length > 0,
    replay: opts.replay,
  });
  return r.findings;
}

const gating = (fs: Finding[], id: string) => fs.filter((f) => f.ruleId === id && f.gating);
const any = (fs: Finding[], id: string) => fs.filter((f) => f.ruleId === id);

for (const replay of [false, true]) {
  describe(`evasions of the "created earlier" exemption (${replay ? 'replay' : 'static'})`, () => {
    const evasions: Array<[string, string, string, Dialect?]> = [
      ['CREATE TABLE IF NOT EXISTS before DROP', 'CREATE TABLE IF NOT EXISTS users (id int);\nDROP TABLE users;', 'drop-table'],
      ['same name in another schema', 'CREATE TABLE other.users (id int);\nDROP TABLE users;', 'drop-table'],
      ['quoting/case variant', 'CREATE TABLE "Users" (id int);\nDROP TABLE users;', 'drop-table'],
      ['CREATE in a branch that never runs', 'DO $$ BEGIN IF false THEN CREATE TABLE users (id int); END IF; END $$;\nDROP TABLE users;', 'drop-table'],
      ['ADD COLUMN IF NOT EXISTS then overwrite', 'ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\nUPDATE users SET email = NULL;', 'update-without-where'],
      ['temporary table dropped twice', 'CREATE TEMP TABLE users (id int);\nDROP TABLE users;\nDROP TABLE users;', 'drop-table'],
      ['TRUNCATE after CREATE IF NOT EXISTS', 'CREATE TABLE IF NOT EXISTS users (id int);\nTRUNCATE users;', 'truncate'],
      ['MySQL case variant', 'CREATE TABLE Users (id int);\nDROP TABLE users;', 'drop-table', 'mysql'],
      ['MySQL CREATE TABLE IF NOT EXISTS', 'CREATE TABLE IF NOT EXISTS users (id int);\nDROP TABLE users;', 'drop-table', 'mysql'],
      ['SQLite CREATE TABLE IF NOT EXISTS', 'CREATE TABLE IF NOT EXISTS users (id int);\nDROP TABLE users;', 'drop-table', 'sqlite'],
    ];
    // A later ROLLBACK may undo the CREATE (the sandbox does not run transaction control), and while
    // the file changes search_path an unqualified CREATE may land in another schema.
    evasions.push(
      ['ROLLBACK undoes the CREATE', 'BEGIN;\nCREATE TABLE users (id int);\nROLLBACK;\nDROP TABLE users;', 'drop-table'],
      ['ROLLBACK TO SAVEPOINT undoes the CREATE', 'BEGIN;\nSAVEPOINT s;\nCREATE TABLE users (id int);\nROLLBACK TO SAVEPOINT s;\nDROP TABLE users;\nCOMMIT;', 'drop-table'],
      ['MySQL ROLLBACK undoes the ADD COLUMN', 'START TRANSACTION;\nALTER TABLE users ADD COLUMN email text;\nROLLBACK;\nUPDATE users SET email = NULL;', 'update-without-where', 'mysql'],
      ['search_path shadow table', 'CREATE SCHEMA scratch;\nSET search_path = scratch;\nCREATE TABLE users (id int);\nSET search_path = public;\nDROP TABLE users;', 'drop-table'],
    );
    it.each(evasions)('%s gates', async (_n, sql, rule, dialect) => {
      expect(gating(await judge(sql, { replay, dialect }), rule).length).toBeGreaterThan(0);
    });

    const honest: Array<[string, string, string, Dialect?]> = [
      ['create then drop', 'CREATE TABLE scratch (id int);\nDROP TABLE scratch;', 'drop-table'],
      ['create then truncate', 'CREATE TABLE scratch (id int);\nTRUNCATE scratch;', 'truncate'],
      ['add column then backfill', 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN c int;\nUPDATE t SET c = 0;', 'update-without-where'],
      ['MySQL create then drop', 'CREATE TABLE scratch (id int);\nDROP TABLE scratch;', 'drop-table', 'mysql'],
      ['SQLite create then drop', 'CREATE TABLE scratch (id int);\nDROP TABLE scratch;', 'drop-table', 'sqlite'],
      ['create then drop, committed', 'BEGIN;\nCREATE TABLE scratch (id int);\nCOMMIT;\nDROP TABLE scratch;', 'drop-table'],
      ['create after a ROLLBACK, then drop', 'BEGIN;\nSELECT 1;\nROLLBACK;\nCREATE TABLE scratch (id int);\nDROP TABLE scratch;', 'drop-table'],
    ];
    it.each(honest)('%s does not gate', async (_n, sql, rule, dialect) => {
      expect(gating(await judge(sql, { replay, dialect }), rule)).toEqual([]);
    });
  });

  describe(`history (${replay ? 'replay' : 'static'})`, () => {
    it('a table from the history is pre-existing even when this file re-creates it conditionally', async () => {
      const fs = await judge('CREATE TABLE IF NOT EXISTS users (id int);\nDROP TABLE users;', { replay, history: ['CREATE TABLE users (id int, email text);'] });
      expect(gating(fs, 'drop-table').length).toBe(1);
    });
    it('a backfill of a column the history already had overwrites data', async () => {
      const fs = await judge('ALTER TABLE users ADD COLUMN IF NOT EXISTS email text;\nUPDATE users SET email = NULL;', { replay, history: ['CREATE TABLE users (id int, email text);'] });
      expect(gating(fs, 'update-without-where').length).toBe(1);
    });
    it('a backfill of a column this migration added is not gating', async () => {
      const fs = await judge('ALTER TABLE users ADD COLUMN nickname text;\nUPDATE users SET nickname = \'\';', { replay, history: ['CREATE TABLE users (id int, email text);'] });
      expect(gating(fs, 'update-without-where')).toEqual([]);
      expect(any(fs, 'update-without-where').length).toBe(1);
    });
  });
}

describe('type changes judged against the type before', () => {
  const cases: Array<[string, string, string, Dialect, 'info' | 'warn' | 'gate']> = [
    ['varchar widened', 'CREATE TABLE users (id int, name varchar(100));', 'ALTER TABLE users ALTER COLUMN name TYPE varchar(200);', 'postgresql', 'info'],
    ['varchar to text', 'CREATE TABLE users (id int, name varchar(100));', 'ALTER TABLE users ALTER COLUMN name TYPE text;', 'postgresql', 'info'],
    ['int to bigint', 'CREATE TABLE users (id int);', 'ALTER TABLE users ALTER COLUMN id TYPE bigint;', 'postgresql', 'info'],
    ['numeric precision up', 'CREATE TABLE t (amount numeric(10,2));', 'ALTER TABLE t ALTER COLUMN amount TYPE numeric(12,4);', 'postgresql', 'info'],
    ['varchar narrowed', 'CREATE TABLE users (id int, name varchar(100));', 'ALTER TABLE users ALTER COLUMN name TYPE varchar(50);', 'postgresql', 'gate'],
    ['text to varchar', 'CREATE TABLE users (id int, bio text);', 'ALTER TABLE users ALTER COLUMN bio TYPE varchar(255);', 'postgresql', 'gate'],
    ['bigint to numeric(16,4)', 'CREATE TABLE t (n bigint);', 'ALTER TABLE t ALTER COLUMN n TYPE numeric(16,4);', 'postgresql', 'gate'],
    ['timestamp precision down', 'CREATE TABLE t (at timestamp);', 'ALTER TABLE t ALTER COLUMN at TYPE timestamp(3);', 'postgresql', 'gate'],
    ['MySQL BLOB to MEDIUMBLOB', 'CREATE TABLE files (id int, data BLOB);', 'ALTER TABLE files MODIFY COLUMN data MEDIUMBLOB', 'mysql', 'info'],
    ['MySQL VARCHAR widened', 'CREATE TABLE users (id int, name VARCHAR(100));', 'ALTER TABLE users MODIFY name VARCHAR(200) NOT NULL', 'mysql', 'info'],
    ['MySQL VARCHAR narrowed', 'CREATE TABLE users (id int, name VARCHAR(100));', 'ALTER TABLE users MODIFY name VARCHAR(20)', 'mysql', 'gate'],
    ['MySQL INT to INT UNSIGNED', 'CREATE TABLE t (n INT);', 'ALTER TABLE t MODIFY n INT UNSIGNED', 'mysql', 'gate'],
    ['MySQL ENUM value removed', "CREATE TABLE t (kind ENUM('a','b','c') NOT NULL);", "ALTER TABLE t MODIFY COLUMN kind ENUM('a','b') NOT NULL", 'mysql', 'gate'],
    ['MySQL ENUM value added', "CREATE TABLE t (kind ENUM('a','b') NOT NULL);", "ALTER TABLE t MODIFY COLUMN kind ENUM('a','b','c') NOT NULL", 'mysql', 'info'],
    ['MySQL ENUM to SET', "CREATE TABLE t (kind ENUM('a','b'));", "ALTER TABLE t MODIFY COLUMN kind SET('a','b')", 'mysql', 'gate'],
    ['boolean spelled bool', 'CREATE TABLE t (b boolean);', 'ALTER TABLE t ALTER COLUMN b TYPE bool;', 'postgresql', 'info'],
    // Into unbounded text every value keeps its text form (as the rule says without the type before).
    ['int to text', 'CREATE TABLE t (n int);', 'ALTER TABLE t ALTER COLUMN n TYPE text;', 'postgresql', 'warn'],
    ['uuid[] to varchar', 'CREATE TABLE t (u uuid[]);', 'ALTER TABLE t ALTER COLUMN u TYPE varchar;', 'postgresql', 'warn'],
    // Into a bounded character type every value's text form fits in ('-2147483648': 11 characters).
    ['int to varchar(255)', 'CREATE TABLE t (n int);', 'ALTER TABLE t ALTER COLUMN n TYPE varchar(255);', 'postgresql', 'warn'],
    ['smallint to varchar(6)', 'CREATE TABLE t (n smallint);', 'ALTER TABLE t ALTER COLUMN n TYPE varchar(6);', 'postgresql', 'warn'],
    ['smallint to varchar(5)', 'CREATE TABLE t (n smallint);', 'ALTER TABLE t ALTER COLUMN n TYPE varchar(5);', 'postgresql', 'gate'],
    ['int to char(11)', 'CREATE TABLE t (n int);', 'ALTER TABLE t ALTER COLUMN n TYPE char(11);', 'postgresql', 'gate'],
    ['int to text USING', 'CREATE TABLE t (n int);', "ALTER TABLE t ALTER COLUMN n TYPE text USING 'x';", 'postgresql', 'gate'],
    ['MySQL INT to TEXT', 'CREATE TABLE t (n INT);', 'ALTER TABLE t MODIFY n TEXT', 'mysql', 'warn'],
    ['MySQL INT UNSIGNED to VARCHAR(10)', 'CREATE TABLE t (n INT UNSIGNED);', 'ALTER TABLE t MODIFY n VARCHAR(10)', 'mysql', 'warn'],
    // Integers into numeric with room for every digit, into a float whose mantissa holds them.
    ['int to numeric(65,30)', 'CREATE TABLE t (n int);', 'ALTER TABLE t ALTER COLUMN n TYPE numeric(65,30);', 'postgresql', 'info'],
    ['int to numeric(12,4)', 'CREATE TABLE t (n int);', 'ALTER TABLE t ALTER COLUMN n TYPE numeric(12,4);', 'postgresql', 'gate'],
    ['smallint to real', 'CREATE TABLE t (n smallint);', 'ALTER TABLE t ALTER COLUMN n TYPE real;', 'postgresql', 'info'],
    ['int to real', 'CREATE TABLE t (n int);', 'ALTER TABLE t ALTER COLUMN n TYPE real;', 'postgresql', 'gate'],
    ['int to double precision', 'CREATE TABLE t (n int);', 'ALTER TABLE t ALTER COLUMN n TYPE double precision;', 'postgresql', 'info'],
    ['bigint to double precision', 'CREATE TABLE t (n bigint);', 'ALTER TABLE t ALTER COLUMN n TYPE double precision;', 'postgresql', 'gate'],
    ['jsonb to json', 'CREATE TABLE t (j jsonb);', 'ALTER TABLE t ALTER COLUMN j TYPE json;', 'postgresql', 'info'],
    ['json to jsonb', 'CREATE TABLE t (j json);', 'ALTER TABLE t ALTER COLUMN j TYPE jsonb;', 'postgresql', 'gate'],
    // char(n) → varchar(m ≥ n): trailing blanks are not part of a char value.
    ['char(36) to varchar(36)', 'CREATE TABLE t (c char(36));', 'ALTER TABLE t ALTER COLUMN c TYPE varchar(36);', 'postgresql', 'info'],
    ['char(36) to varchar(10)', 'CREATE TABLE t (c char(36));', 'ALTER TABLE t ALTER COLUMN c TYPE varchar(10);', 'postgresql', 'gate'],
    ['MySQL CHAR(36) to VARCHAR(36)', 'CREATE TABLE t (c CHAR(36));', 'ALTER TABLE t MODIFY c VARCHAR(36)', 'mysql', 'info'],
    ['date to timestamp', 'CREATE TABLE t (d date);', 'ALTER TABLE t ALTER COLUMN d TYPE timestamp;', 'postgresql', 'info'],
    // A USING expression other than the column (cast to the new type, through text at most) can rewrite every value.
    ['int to bigint USING 0', 'CREATE TABLE t (n int);', 'ALTER TABLE t ALTER COLUMN n TYPE bigint USING 0;', 'postgresql', 'gate'],
    ['bigint kept USING n * 0', 'CREATE TABLE t (n bigint);', 'ALTER TABLE t ALTER COLUMN n TYPE bigint USING n * 0;', 'postgresql', 'gate'],
    ['int to bigint USING a cast', 'CREATE TABLE t (n int);', 'ALTER TABLE t ALTER COLUMN n TYPE bigint USING n::text::bigint;', 'postgresql', 'info'],
    ['numeric through numeric(5,0)', 'CREATE TABLE t (n numeric(10,2));', 'ALTER TABLE t ALTER COLUMN n TYPE numeric(12,2) USING n::numeric(5,0)::numeric(12,2);', 'postgresql', 'gate'],
    ['another column USING', 'CREATE TABLE t (n int, m int);', 'ALTER TABLE t ALTER COLUMN n TYPE bigint USING m;', 'postgresql', 'gate'],
  ];
  for (const replay of [false, true]) {
    it.each(cases)(`%s (${replay ? 'replay' : 'static'})`, async (_n, history, sql, dialect, want) => {
      const fs = (await judge(sql, { history: [history], dialect, replay })).filter((f) => f.ruleId === 'alter-column-type');
      expect(fs.length).toBe(1);
      if (want === 'info') {
        expect(fs[0].severity).toBe('info');
        expect(fs[0].message).toMatch(/→|keeps/i);
      } else if (want === 'warn') {
        expect(fs[0].severity).toBe('warning');
        expect(fs[0].message).toMatch(/→.*without loss/);
      } else {
        expect(fs[0].gating).toBe(true);
        expect(fs[0].message).toMatch(/→/);
      }
    });
  }
  it('timestamp/date to timestamptz: info read at UTC, a warning otherwise', async () => {
    for (const replay of [false, true]) {
      const at = async (sql: string, h = 'CREATE TABLE t (at timestamp, d date);') => (await judge(sql, { history: [h], replay })).filter((f) => f.ruleId === 'alter-column-type');
      const [utc] = await at("ALTER TABLE t ALTER COLUMN at TYPE timestamptz USING at AT TIME ZONE 'UTC';");
      expect(utc.severity).toBe('info');
      expect(utc.message).toContain('reading each value as UTC time');
      const [plain] = await at('ALTER TABLE t ALTER COLUMN at TYPE timestamptz;');
      expect(plain.severity).toBe('warning');
      expect(plain.message).toContain("in the session's TimeZone setting");
      const [berlin] = await at("ALTER TABLE t ALTER COLUMN d TYPE timestamp with time zone USING d AT TIME ZONE 'Europe/Berlin';");
      expect(berlin.severity).toBe('warning');
      expect(berlin.message).toContain('as Europe/Berlin time');
      // Fewer fractional digits round the values: a change like timestamp(6) → timestamp(3).
      const [rounded] = await at("ALTER TABLE t ALTER COLUMN at TYPE timestamptz(3) USING at AT TIME ZONE 'UTC';");
      expect(rounded.gating).toBe(true);
      const [rewritten] = await at("ALTER TABLE t ALTER COLUMN at TYPE timestamptz USING now();");
      expect(rewritten.gating).toBe(true);
    }
  });
  it('without history, a type change is judged as before (gating, no before type)', async () => {
    const fs = (await judge('ALTER TABLE users ALTER COLUMN name TYPE varchar(200);')).filter((f) => f.ruleId === 'alter-column-type');
    expect(fs[0].gating).toBe(true);
  });
});

describe('Django AlterField against the field before (folded migration state)', () => {
  const initial = `from django.db import migrations, models

class Migration(migrations.Migration):
    initial = True
    operations = [
        migrations.CreateModel(
            name='Product',
            fields=[
                ('id', models.BigAutoField(primary_key=True)),
                ('title', models.CharField(max_length=100)),
                ('body', models.TextField()),
                ('price', models.BigIntegerField()),
                ('owner', models.ForeignKey(on_delete=models.CASCADE, to='auth.user')),
            ],
        ),
    ]
`;
  const change = `from django.db import migrations, models

class Migration(migrations.Migration):
    dependencies = [('shop', '0001_initial')]
    operations = [
        migrations.AlterField(model_name='product', name='title', field=models.CharField(max_length=200)),
        migrations.AlterField(model_name='product', name='body', field=models.CharField(max_length=255)),
        migrations.AlterField(model_name='product', name='price', field=models.DecimalField(max_digits=16, decimal_places=4)),
        migrations.AddField(model_name='product', name='sku', field=models.CharField(max_length=20, null=True)),
        migrations.AlterField(model_name='product', name='sku', field=models.CharField(max_length=10, null=True)),
        migrations.AlterField(model_name='product', name='owner', field=models.ForeignKey(on_delete=models.PROTECT, to='auth.user')),
    ]
`;
  async function alter(history: boolean, replay: boolean) {
    const r = await run([{ path: 'shop/migrations/0002_alter.py', content: change }], {
      history: history ? [{ path: 'shop/migrations/0001_initial.py', content: initial }] : [],
      historyKnown: history,
      replay,
    });
    return r.findings.filter((f) => f.ruleId === 'alter-column-type');
  }
  for (const replay of [false, true]) {
    it(`widening is info, narrowing and family changes gate (${replay ? 'replay' : 'static'})`, async () => {
      const fs = await alter(true, replay);
      const at = (line: number) => fs.filter((f) => f.line === line);
      expect(at(6)[0]).toMatchObject({ severity: 'info' });
      expect(at(6)[0].message).toMatch(/(varchar|character varying)\(100\) → (varchar|character varying)\(200\)/);
      expect(at(7)[0]).toMatchObject({ gating: true });
      expect(at(7)[0].message).toMatch(/text → (varchar|character varying)\(255\)/);
      expect(at(8)[0]).toMatchObject({ gating: true });
      expect(at(8)[0].message).toMatch(/bigint → numeric\(16, ?4\)/);
      // a column added by this migration holds no existing value
      expect(at(10)).toEqual([]);
      // only options changed: the type stays
      expect(at(11).every((f) => !f.gating)).toBe(true);
    });
  }
  it('without history, an AlterField is a possible type change (warning), as before', async () => {
    const fs = await alter(false, false);
    expect(fs.filter((f) => f.line <= 8).map((f) => f.severity)).toEqual(['warning', 'warning', 'warning']);
  });
});

describe('catalog-drop on SQLite (replayed by sql.js): a drop the statement names is the statement rules\' own', () => {
  it('DROP TABLE, DROP COLUMN and the table-rebuild rename are not "unnamed" drops; the drops still gate', async () => {
    const fs = await judge(
      'DROP TABLE "tag";\nALTER TABLE resource DROP COLUMN internal_path;\nCREATE TABLE user_new (id integer);\nDROP TABLE user;\nALTER TABLE user_new RENAME TO user;',
      { replay: true, dialect: 'sqlite', history: ['CREATE TABLE tag (id integer);\nCREATE TABLE resource (id integer, internal_path text);\nCREATE TABLE user (id integer, open_id text);'] },
    );
    expect(any(fs, 'catalog-drop')).toEqual([]);
    expect(gating(fs, 'drop-table').length).toBe(2);
    expect(gating(fs, 'drop-column').length).toBe(1);
  });
});

describe('a same-migration backfill on a table the replay does not know (no history)', () => {
  it('does not gate: the ADD COLUMN fails in the empty sandbox, the static reading of this migration stands', async () => {
    const fs = await judge('ALTER TABLE "Claim" ADD COLUMN "limit" INTEGER;\nUPDATE "Claim" SET "limit" = 5;\nALTER TABLE "Claim" ALTER COLUMN "limit" SET NOT NULL;', { replay: true });
    expect(any(fs, 'update-without-where').map((f) => f.gating)).toEqual([false]);
  });
  it('still gates when the history shows the column existed (the ADD would fail; the UPDATE overwrites it)', async () => {
    const fs = await judge('ALTER TABLE "Claim" ADD COLUMN IF NOT EXISTS "limit" INTEGER;\nUPDATE "Claim" SET "limit" = 5;', { replay: true, history: ['CREATE TABLE "Claim" (id int, "limit" int);'] });
    expect(gating(fs, 'update-without-where')).toHaveLength(1);
  });
});

describe('a CREATE the sandbox cannot run (a type from an extension it lacks), with a complete history', () => {
  // The history is known whole, so an object the replay never saw would read as absent; but the
  // statements under judgement failed in the sandbox, so that absence proves nothing.
  const history = ['CREATE TABLE accounts (id int PRIMARY KEY);'];
  it('an index on the table this migration creates is not an index on an existing table', async () => {
    const fs = await judge('CREATE TABLE orgs (id int, name citext NOT NULL);\nCREATE INDEX orgs_name ON orgs (name);\nALTER TABLE orgs ADD CONSTRAINT orgs_acc FOREIGN KEY (id) REFERENCES accounts (id);', { replay: true, history });
    expect(any(fs, 'create-index-non-concurrent')).toEqual([]);
    expect(any(fs, 'constraint-not-valid')).toEqual([]);
  });
  it('an index on a table this migration does not create still reports', async () => {
    const fs = await judge('CREATE INDEX orgs_name ON orgs (name);', { replay: true, history });
    expect(any(fs, 'create-index-non-concurrent')).toHaveLength(1);
  });
});

describe('catalog-drop and the sequences a dropped table owns', () => {
  it('DROP TABLE of a table with a serial column: drop-table gates, no unnamed drop of its sequence', async () => {
    const fs = await judge('DROP TABLE "Share";', { replay: true, history: ['CREATE TABLE "Share" (id serial PRIMARY KEY, v text);'] });
    expect(gating(fs, 'drop-table')).toHaveLength(1);
    expect(any(fs, 'catalog-drop')).toEqual([]);
  });
});

// The replay skips the catalog snapshot after a statement that wrote no catalog row and moved no
// sequence (src/replay/pg.ts): these statements look like data statements but change the catalog.
describe('effects of data statements (the replay snapshot is skipped only when nothing changed)', () => {
  it('an INSERT whose trigger drops a column: catalog-drop gates', async () => {
    const history = [
      'CREATE TABLE users (id int, email text);\nCREATE TABLE log (id int);\n' +
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN EXECUTE (SELECT 'ALTER TABLE users DROP COLUMN ' || max(c) FROM (SELECT 'email' AS c) x); RETURN NEW; END $$;\n" +
        'CREATE TRIGGER t AFTER INSERT ON log FOR EACH ROW EXECUTE FUNCTION f();',
    ];
    const fs = await judge('INSERT INTO log VALUES (1);', { replay: true, history });
    expect(gating(fs, 'catalog-drop').map((f) => f.message)).toEqual([expect.stringContaining('email')]);
  });
  it('a function call that moves a sequence back: catalog-integrity reports the reset', async () => {
    const history = [
      "CREATE SEQUENCE s;\nSELECT setval('s', 100);\nCREATE TABLE cfg (v int);\nINSERT INTO cfg VALUES (1);\n" +
        "CREATE FUNCTION r() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM setval('s', (SELECT min(v) FROM cfg)); END $$;",
    ];
    const fs = await judge('INSERT INTO cfg VALUES (2);\nSELECT r();', { replay: true, history });
    expect(any(fs, 'catalog-integrity').map((f) => f.message)).toEqual([expect.stringMatching(/100.*1/)]);
  });
  it('plain data statements change nothing: no catalog finding', async () => {
    const fs = await judge("INSERT INTO cfg VALUES (2);\nUPDATE cfg SET v = 3 WHERE v = 2;\nSELECT nextval('s');", { replay: true, history: ['CREATE SEQUENCE s;\nCREATE TABLE cfg (v int);'] });
    expect(fs.filter((f) => f.ruleId.startsWith('catalog-'))).toEqual([]);
  });
});

// The CLI on a directory judges each file against the ones before it, on one database, with no
// "history": what an earlier judged file made is preexisting for the next, also through a rename
// or a type change (they used to carry "made earlier in this file" over from the earlier file).
describe('a directory judged file by file: renames and type changes keep objects preexisting', () => {
  const V1 = { path: 'db/migration/V1__init.sql', content: 'CREATE TABLE old_t (id int primary key, secret text, username varchar(100));' };
  const cases: Array<[string, string, string[]]> = [
    ['rename table, then drop column and overwrite', 'ALTER TABLE old_t RENAME TO new_t;\nALTER TABLE new_t DROP COLUMN secret;\nUPDATE new_t SET username = NULL;', ['drop-column', 'update-without-where']],
    ['widen, then overwrite', 'ALTER TABLE old_t ALTER COLUMN username TYPE text;\nUPDATE old_t SET username = NULL;', ['update-without-where']],
    ['rename column, then overwrite', 'ALTER TABLE old_t RENAME COLUMN username TO login;\nUPDATE old_t SET login = NULL;', ['rename-column', 'update-without-where']],
  ];
  for (const replay of [false, true]) {
    it.each(cases)(`%s gates (${replay ? 'replay' : 'static'})`, async (_n, sql, rules) => {
      const r = await run([V1, { path: 'db/migration/V2__change.sql', content: sql }], { history: [], units: 'file', replay });
      const got = new Set(r.findings.filter((f) => f.gating && f.path.endsWith('V2__change.sql')).map((f) => f.ruleId));
      for (const id of rules) expect([...got]).toContain(id);
    });
  }
});

describe('guard-function-replaced and a first creation', () => {
  const sql = "CREATE OR REPLACE FUNCTION is_admin(uid int) RETURNS boolean LANGUAGE sql AS 'SELECT true';";
  it('does not report when the replay of a complete history shows no such function before', async () => {
    expect(any(await judge(sql, { replay: true, history: ['CREATE TABLE users (id int);'] }), 'guard-function-replaced')).toEqual([]);
  });
  it('reports when the history made it', async () => {
    const fs = await judge(sql, { replay: true, history: ["CREATE FUNCTION is_admin(uid int) RETURNS boolean LANGUAGE sql AS 'SELECT false';"] });
    expect(gating(fs, 'guard-function-replaced')).toHaveLength(1);
  });
  it('reports without a known history (static, or no history)', async () => {
    expect(gating(await judge(sql, { replay: false, history: ['CREATE TABLE users (id int);'] }), 'guard-function-replaced')).toHaveLength(1);
    expect(gating(await judge(sql, { replay: true }), 'guard-function-replaced')).toHaveLength(1);
  });
});

// `migration-gate privileges` (issue 11, item 3): the derivation from parse trees, the GRANT
// script, the CLI, the privilege-escalation-needed rule, and the acceptance check — the script
// applied in PGlite to a fresh non-superuser role, then the whole history replayed as that role.
// Fixture histories: tests/privileges-fixtures/ (golang-migrate, Prisma, MySQL).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acceptance, splitScript } from '../scripts/privileges-harness.js';
import { main } from '../src/cli/main.js';
import { run } from '../src/engine.js';
import { planAndParse, requirementsOf, script, type Requirements } from '../src/privileges/index.js';
import type { SourceFile } from '../src/types.js';

const FIX = new URL('./privileges-fixtures/', import.meta.url).pathname;

function filesOf(name: string): SourceFile[] {
  const root = join(FIX, name);
  const out: SourceFile[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push({ path: p.slice(root.length + 1), content: readFileSync(p) });
    }
  };
  walk(root);
  return out;
}

async function reqs(name: string): Promise<Requirements[]> {
  return requirementsOf(await planAndParse(filesOf(name)));
}
const has = (r: Requirements, kind: string, privilege: string, object?: string) => r.needs.some((n) => n.kind === kind && n.privilege === privilege && (object === undefined || n.object?.name === object));

function io() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (s: string) => void (out.stdout += s), stderr: (s: string) => void (out.stderr += s), isTTY: false, env: {} } };
}

describe('derivation', () => {
  it('golang-migrate history: role attributes, database and schema privileges, superuser-only statements with file and line; downs not counted', async () => {
    const [r] = await reqs('golang-migrate');
    expect(r.dialect).toBe('postgresql');
    expect(r.files).toBe(3);
    expect(has(r, 'role-attribute', 'CREATEROLE')).toBe(true);
    expect(has(r, 'role-setting', 'createrole_self_grant')).toBe(true); // ALTER TABLE … OWNER TO a role it created
    expect(has(r, 'database', 'CREATE')).toBe(true); // CREATE SCHEMA, trusted extension citext
    expect(has(r, 'database', 'TEMPORARY')).toBe(true);
    expect(has(r, 'schema', 'CREATE', 'public')).toBe(true);
    // Objects it created itself: no ownership or REFERENCES needed (app.users, sessions → app.users via search_path).
    expect(r.needs.filter((n) => n.kind === 'ownership' || n.kind === 'object')).toEqual([]);
    const su = r.needs.filter((n) => n.kind === 'superuser').flatMap((n) => (n.sites ?? [n.site]).map((s) => `${s.path}:${s.line} ${n.reason.split(' (')[0]}`));
    expect(su).toEqual([
      'db/migrations/0003_ops.up.sql:1 CREATE EXTENSION pg_stat_statements',
      'db/migrations/0003_ops.up.sql:2 SET session_replication_role',
      'db/migrations/0003_ops.up.sql:4 SET session_replication_role',
      'db/migrations/0003_ops.up.sql:5 ALTER TABLE public.accounts DISABLE TRIGGER ALL',
      'db/migrations/0003_ops.up.sql:6 ALTER TABLE public.accounts ENABLE TRIGGER ALL',
    ]);
    // The downs (DROP ROLE …) would need ownership / CREATEROLE on roles; they are not part of `migrate up`.
    expect(r.needs.some((n) => n.site.path.endsWith('.down.sql'))).toBe(false);
  });

  it('objects it did not create: ownership, REFERENCES, DML privileges, GRANT OPTION, membership; superuser roles and trusted vs untrusted extensions', async () => {
    const files = [
      { path: 'db/migrations/0001_a.up.sql', content: "ALTER TABLE billing.invoices ADD COLUMN paid boolean;\nCREATE TABLE orders (id int, customer int REFERENCES crm.customers (id));\nINSERT INTO crm.customers (id) VALUES (1);\nGRANT SELECT ON crm.customers TO analyst;\nSET ROLE app_admin;\nCREATE EXTENSION hstore;\nCREATE EXTENSION postgis;\nGRANT postgres TO app;\nCOPY orders FROM '/tmp/orders.csv';\nCOPY orders TO PROGRAM 'gzip > /tmp/x';\nALTER SYSTEM SET work_mem = '1GB';\nCREATE FUNCTION f() RETURNS int LANGUAGE plpython3u AS 'return 1';\nCREATE EVENT TRIGGER et ON ddl_command_start EXECUTE FUNCTION g();\nCREATE CAST (int AS bool) WITHOUT FUNCTION;\nLOAD 'auto_explain';\nALTER ROLE app SUPERUSER;\n" },
    ];
    const [r] = requirementsOf(await planAndParse(files));
    expect(has(r, 'ownership', 'OWNER', 'billing.invoices')).toBe(true);
    expect(has(r, 'object', 'REFERENCES', 'crm.customers')).toBe(true);
    expect(has(r, 'object', 'INSERT', 'crm.customers')).toBe(true);
    expect(r.needs.some((n) => n.kind === 'object' && n.privilege === 'SELECT' && n.object?.name === 'crm.customers' && n.grantOption)).toBe(true);
    expect(has(r, 'schema', 'USAGE', 'crm')).toBe(true);
    expect(has(r, 'membership', 'MEMBER', 'app_admin')).toBe(true);
    const su = r.needs.filter((n) => n.kind === 'superuser').map((n) => n.reason);
    expect(su.some((x) => /postgis/.test(x))).toBe(true);
    expect(su.some((x) => /hstore/.test(x))).toBe(false); // trusted since PG13
    for (const re of [/postgres is a superuser role/, /FROM a server file/, /PROGRAM/, /ALTER SYSTEM/, /plpython3u/, /EVENT TRIGGER/, /WITHOUT FUNCTION/, /LOAD/, /SUPERUSER/]) expect(su.some((x) => re.test(x)), String(re)).toBe(true);
    // Granting membership in a superuser role would hand out superuser: never in the script as a GRANT.
    expect(script(r, 'migrator')).not.toMatch(/^GRANT "postgres"/m);
  });

  it('ALTER … OWNER TO a role without CREATE on the schema only runs as a superuser, unless the history granted it', async () => {
    const sql = (grant: string) => [{ path: 'db/migrations/0001_a.up.sql', content: `CREATE SCHEMA s;\nCREATE ROLE o NOLOGIN;\nCREATE TABLE s.t (id int);\n${grant}ALTER TABLE s.t OWNER TO o;\n` }];
    const [bad] = requirementsOf(await planAndParse(sql('')));
    expect(bad.needs.filter((n) => n.kind === 'superuser').map((n) => n.reason)).toEqual([expect.stringMatching(/o has no CREATE on schema s/)]);
    const [good] = requirementsOf(await planAndParse(sql('GRANT CREATE ON SCHEMA s TO o;\n')));
    expect(good.needs.filter((n) => n.kind === 'superuser')).toEqual([]);
    expect(has(good, 'role-setting', 'createrole_self_grant')).toBe(true);
  });

  it('MySQL: privileges on the database from node-sql-parser trees, global ones apart', async () => {
    const [r] = await reqs('mysql');
    expect(r.dialect).toBe('mysql');
    const db = r.needs.filter((n) => n.kind === 'mysql' && !n.global).map((n) => n.privilege).sort();
    expect(db).toEqual(['ALTER', 'CREATE', 'CREATE VIEW', 'INDEX', 'INSERT', 'REFERENCES', 'SELECT']);
    expect(r.needs.filter((n) => n.global).map((n) => n.privilege)).toEqual(['CREATE USER']);
    const sql = script(r, 'migrator');
    expect(sql).toContain("GRANT ALTER, CREATE, CREATE VIEW, INDEX, INSERT, REFERENCES, SELECT ON `', REPLACE(DATABASE(), '`', '``'), '`.* TO ''migrator''@''%''");
    expect(sql).toContain("GRANT CREATE USER ON *.* TO 'migrator'@'%';");
  });

  it('names from the migrations cannot break out of the script (quoted identifiers, one-line comments)', async () => {
    const evil = 'x"; DROP ROLE admin; --\nGRANT ALL';
    const files = [{ path: 'db/migrations/0001_a.up.sql', content: `ALTER TABLE "${evil.replace(/"/g, '""')}" ADD COLUMN c int;\nGRANT SELECT ON "${evil.replace(/"/g, '""')}" TO r;\n` }];
    const [r] = requirementsOf(await planAndParse(files));
    const sql = script(r, 'migrator');
    for (const line of sql.split('\n')) expect(line).not.toMatch(/^(DROP ROLE|GRANT ALL)/);
    expect(sql).toContain(`U&'x"; DROP ROLE admin; --\\000aGRANT ALL'`); // a string literal inside the DO block
    expect(sql).toContain('U&"x""; DROP ROLE admin; --\\000aGRANT ALL"');
  });
});

describe('acceptance: the GRANT script in PGlite, then the whole history replayed as the role', () => {
  it('golang-migrate history: every statement succeeds as the role except the listed superuser-only ones', async () => {
    const [r] = await acceptance(filesOf('golang-migrate'));
    expect(r.scriptErrors).toEqual([]);
    expect(r.privilegeFailures).toEqual([]);
    expect(r.failsAnyway).toBe(0);
    expect(r.superuserOnly).toBe(5);
    expect(r.okAsRole).toBe(r.statements - 5);
    expect(r.escaped).toBe(0);
  }, 120_000);

  it('Prisma history: everything as the role, nothing superuser-only', async () => {
    const [r] = await acceptance(filesOf('prisma'));
    expect(r.set).toBe('prisma:prisma/migrations');
    expect(r.scriptErrors).toEqual([]);
    expect(r.privilegeFailures).toEqual([]);
    expect(r.superuserOnly).toBe(0);
    expect(r.okAsRole).toBe(r.statements);
    expect(r.statements).toBe(9);
  }, 120_000);

  it('the check can fail: without the script, or with the superuser-only statements run as the role', async () => {
    const [bare] = await acceptance(filesOf('prisma'), 'migrator', { script: () => '' });
    expect(bare.privilegeFailures.length).toBeGreaterThan(0);
    expect(bare.privilegeFailures[0].error).toMatch(/permission denied/);
    const [strict] = await acceptance(filesOf('golang-migrate'), 'migrator', { superuserAsRole: true });
    expect(strict.privilegeFailures.map((f) => `${f.path}:${f.line}`)).toEqual(expect.arrayContaining(['db/migrations/0003_ops.up.sql:1', 'db/migrations/0003_ops.up.sql:2']));
  }, 180_000);

  it('splitScript keeps DO blocks whole', () => {
    const [r] = [{ dialect: 'postgresql', set: '', files: 0, statements: 0, needs: [] } as Requirements];
    const parts = splitScript(script(r, 'migrator'));
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatch(/^DO \$mg\$[\s\S]*\$mg\$;$/);
  });
});

describe('CLI', () => {
  it('sql (default): the GRANT script; exit 1 when some statements need a superuser', async () => {
    const { out, io: o } = io();
    const code = await main(['privileges', join(FIX, 'golang-migrate/db/migrations')], o);
    expect(code).toBe(1);
    expect(out.stdout).toContain('ALTER ROLE "migrator" CREATEROLE;');
    expect(out.stdout).toContain('GRANT USAGE, CREATE ON SCHEMA "public" TO "migrator";');
    expect(out.stdout).toMatch(/--\s+\S*0003_ops\.up\.sql:1\s+CREATE EXTENSION pg_stat_statements/);
  });

  it('json with --role; exit 0 when the script covers everything', async () => {
    const { out, io: o } = io();
    const code = await main(['privileges', '--format', 'json', '--role', 'deployer', join(FIX, 'prisma/prisma/migrations')], o);
    expect(code).toBe(0);
    const j = JSON.parse(out.stdout);
    expect(j.role).toBe('deployer');
    expect(j.sets[0].superuser).toEqual([]);
    expect(j.sets[0].script).toContain('TO "deployer"');
  });

  it('usage errors: a role name that is not plain, --database-url that is not PostgreSQL or with --format sql (never echoed), an unknown format', async () => {
    for (const args of [['--role', 'x"; DROP'], ['--database-url', 'mysql://u:hunter2@db/x'], ['--format', 'sql', '--database-url', 'postgres://u:hunter2@db/x'], ['--database-url', 'u:hunter2@db'], ['--format', 'yaml']]) {
      const { out, io: o } = io();
      expect(await main(['privileges', ...args, join(FIX, 'prisma')], o)).toBe(2);
      expect(out.stderr).not.toContain('hunter2');
    }
  });
});

describe('rule privilege-escalation-needed', () => {
  const hist = { path: 'db/migrations/0001_init.up.sql', content: 'CREATE TABLE t (id int);\nCREATE ROLE reader NOLOGIN;\n' };
  it('flags the first migration that needs SUPERUSER; not a level its history already needed', async () => {
    const judged = { path: 'db/migrations/0002_ext.up.sql', content: 'CREATE ROLE writer NOLOGIN;\nCREATE EXTENSION postgis;\n' };
    const r = await run([judged], { history: [hist], replay: false });
    const f = r.findings.filter((x) => x.ruleId === 'privilege-escalation-needed');
    expect(f.map((x) => x.line)).toEqual([2]);
    expect(f[0].message).toMatch(/SUPERUSER: CREATE EXTENSION postgis/);
    expect(f[0].message).toMatch(/Its history needed only CREATEROLE/);
    expect(f[0].gating).toBe(false);
  });
  it('without the history, CREATE ROLE is a raise too', async () => {
    const judged = { path: 'db/migrations/0002_ext.up.sql', content: 'CREATE ROLE writer NOLOGIN;\n' };
    const r = await run([judged], { history: [], replay: false });
    expect(r.findings.filter((x) => x.ruleId === 'privilege-escalation-needed').map((x) => x.message)).toEqual([expect.stringMatching(/CREATEROLE/)]);
  });
});

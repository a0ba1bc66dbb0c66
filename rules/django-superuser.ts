import { createdEarlier, hasNode, inside, nspTable, rangeVarName, walk } from '../src/sql/ast.js';
import { pythonFacts } from '../src/python/facts.js';
import type { Report, Rule, Statement } from '../src/types.js';

/** Administrator flags: Django's, and the same idea in other schemas (`is_admin`, `superadmin`). */
const FLAG = /^(is_superuser|is_staff|is_admin|is_super_admin|is_superadmin|is_root|is_sysadmin|superuser|superadmin|super_admin|admin)$/i;
/** A role column set to an administrator role (`role = 'admin'`) in an accounts or memberships table. */
const ROLE_COL = /^(role|user_role|account_role|member_role|role_name|user_type|account_type|access_level|permission_level)$/i;
const ADMIN_ROLE = /^(admin|administrator|superadmin|super_admin|superuser|super_user|owner|root|sysadmin)$/i;
const ACCOUNT_TABLE = /(user|account|member|admin|staff|employee|login|profile|person|people|auth)/i;

function pgTrue(v: any): boolean {
  const c = v?.A_Const ?? v?.TypeCast?.arg?.A_Const;
  return c?.boolval?.boolval === true || c?.ival?.ival === 1 || /^(t|true|y|yes|on|1)$/i.test(c?.sval?.sval ?? '');
}
function nspTrue(v: any): boolean {
  return ((v?.type === 'bool' || v?.type === 'boolean') && v.value === true) || (v?.type === 'number' && Number(v.value) === 1) || (/string/.test(v?.type ?? '') && /^(t|true|1)$/i.test(String(v.value)));
}
const pgText = (v: any): string | undefined => (v?.A_Const ?? v?.TypeCast?.arg?.A_Const)?.sval?.sval;
const nspText = (v: any): string | undefined => (/string/.test(v?.type ?? '') ? String(v.value) : undefined);

/**
 * What a column = value makes an account: `is_admin = true`, or `role = 'admin'` in a table of
 * accounts or memberships. An UPDATE whose WHERE tests the same role column (`SET role = 'ADMIN'
 * WHERE role = 'HOST'`) renames a role for everyone who had it: not a promotion.
 */
function promotes(table: string, col: string, isTrue: boolean, text: string | undefined, whereNames: (c: string) => boolean): string | undefined {
  if (FLAG.test(col) && isTrue) return `${col} = true`;
  const base = table.split('.').pop() ?? table;
  if (ROLE_COL.test(col) && text !== undefined && ADMIN_ROLE.test(text) && ACCOUNT_TABLE.test(base) && !whereNames(col)) return `${col} = '${text}'`;
  return undefined;
}

/** Does a WHERE name this column (libpg-query / node-sql-parser trees)? */
function namesColumn(where: any, col: string): boolean {
  let found = false;
  const visit = (n: any): void => {
    if (found || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    const f = n.ColumnRef?.fields;
    if (f && String(f[f.length - 1]?.String?.sval ?? '').toLowerCase() === col.toLowerCase()) found = true;
    if (n.type === 'column_ref' && String(n.column?.expr?.value ?? n.column ?? '').toLowerCase() === col.toLowerCase()) found = true;
    for (const k in n) visit(n[k]);
  };
  visit(where);
  return found;
}

/** SQL that makes accounts administrators (`UPDATE auth_user SET is_superuser = true …`, `role = 'admin'`, an INSERT with it). */
function sqlPromotion(stmt: Statement, report: (r: Report) => void): void {
  const found = (table: string, parts: string[]) => {
    const uniq = [...new Set(parts)];
    const what = uniq.every((p) => p.endsWith(' = true')) ? `${uniq.map((p) => p.slice(0, -7)).join(' + ')} = true` : uniq.join(', ');
    // A table this file creates holds no existing account: the row is the product's initial
    // administrator, created on every new install (a warning: its password must be changed there).
    if (createdEarlier(stmt, table))
      report({ message: `Sets ${what} on ${table}, a table created earlier in this file: every new install gets this administrator account; make sure its password is set per install${inside(stmt)}.`, severity: 'warning', key: table });
    else report({ message: `Sets ${what} on ${table}: accounts gain administrator rights through a migration${inside(stmt)}.`, key: table });
  };
  if (stmt.pg && hasNode(stmt.pg, 'UpdateStmt', 'InsertStmt')) {
    walk(stmt.pg, (k, v) => {
      if (k === 'UpdateStmt') {
        const table = rangeVarName(v.relation);
        const parts = (v.targetList ?? [])
          .map((t: any) => t?.ResTarget)
          .map((t: any) => t && promotes(table, String(t.name), pgTrue(t.val), pgText(t.val), (c) => namesColumn(v.whereClause, c)))
          .filter(Boolean);
        if (parts.length) found(table, parts);
      } else if (k === 'InsertStmt') {
        const table = rangeVarName(v.relation);
        const cols: string[] = (v.cols ?? []).map((c: any) => String(c?.ResTarget?.name ?? ''));
        const rows: any[] = v.selectStmt?.SelectStmt?.valuesLists ?? [];
        const parts = rows.flatMap((r: any) => (r?.List?.items ?? []).map((x: any, i: number) => cols[i] && promotes(table, cols[i], pgTrue(x), pgText(x), () => false)).filter(Boolean));
        if (parts.length) found(table, parts);
      }
    });
  }
  const ast = stmt.ast;
  if (ast?.type === 'update') {
    const table = (ast.table ?? []).map(nspTable).join(', ');
    const parts = (ast.set ?? []).map((x: any) => promotes(table, String(x?.column), nspTrue(x.value), nspText(x.value), (c) => namesColumn(ast.where, c))).filter(Boolean);
    if (parts.length) found(table, parts);
  } else if (ast?.type === 'insert' || ast?.type === 'replace') {
    const table = (ast.table ?? []).map(nspTable).join(', ');
    const cols: string[] = (ast.columns ?? []).map((c: any) => (typeof c === 'string' ? c : String(c?.column ?? c?.value ?? '')));
    const rows: any[] = ast.values?.values ?? (Array.isArray(ast.values) ? ast.values : []);
    const parts = rows.flatMap((r: any) => (r?.value ?? []).map((x: any, i: number) => cols[i] && promotes(table, cols[i], nspTrue(x), nspText(x), () => false)).filter(Boolean));
    if (parts.length) found(table, parts);
  }
}

const DJ = 'app/migrations/0002_admin.py';
const HEAD = 'from django.db import migrations\n\n';
const TAIL = '\n\nclass Migration(migrations.Migration):\n    dependencies = [("app", "0001_initial")]\n    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]\n';

const rule: Rule = {
  meta: {
    id: 'django-superuser',
    category: 'privilege',
    severity: 'error',
    summary: 'Migration creates or promotes administrator accounts: create_superuser(), is_superuser=True, is_staff=True, is_admin / role = \'admin\' in Python or SQL (hardcoded passwords redacted)',
    rationale:
      'A data migration that calls `User.objects.create_superuser(…)`, sets `is_superuser`/`is_staff` or updates accounts with them gives someone ' +
      'full administrative access to the application in every environment it is deployed to, without any grant the database rules would see. ' +
      'With a password in the code, everyone who can read the repository can log in as that administrator: the literal is treated as a secret ' +
      '(never shown) and the credential rules report it. In SQL the same goes for `is_admin`-style flags and for an administrator role ' +
      '(`role = \'admin\'`, `\'owner\'`) written into a table of accounts or memberships; an UPDATE that tests the same role column ' +
      '(`SET role = \'ADMIN\' WHERE role = \'HOST\'`) renames a role and is not reported; an administrator seeded into a table the same ' +
      'file creates (a product\'s initial account) is a warning.',
    fix: 'Create administrators with `manage.py createsuperuser` or an operator runbook, with credentials from a secret store; remove promotions from migrations.',
    examples: {
      bad: [
        { path: DJ, sql: HEAD + 'def forwards(apps, schema_editor):\n    User = apps.get_model("auth", "User")\n    User.objects.create_superuser("admin", "admin@example.com", "S3cr3t-pass!")\n' + TAIL },
        { path: DJ, sql: HEAD + 'def forwards(apps, schema_editor):\n    User = apps.get_model("auth", "User")\n    User.objects.filter(email="me@example.com").update(is_superuser=True, is_staff=True)\n' + TAIL },
        { path: DJ, sql: HEAD + 'def forwards(apps, schema_editor):\n    User = apps.get_model("auth", "User")\n    u = User.objects.get(username="me")\n    u.is_superuser = True\n    u.save()\n' + TAIL },
        { path: DJ, sql: HEAD + 'def forwards(apps, schema_editor):\n    User = apps.get_model("auth", "User")\n    User.objects.get_or_create(username="ops", defaults={"is_staff": True})\n' + TAIL },
        { sql: "UPDATE auth_user SET is_superuser = true, is_staff = true WHERE username = 'me';" },
        { sql: "INSERT INTO auth_user (username, password, is_superuser, is_staff) VALUES ('ops', 'x', 1, 1);", dialect: 'mysql' },
        { sql: "UPDATE users SET is_admin = true, role = 'admin' WHERE email = 'mallory@evil.example';" },
        { sql: "INSERT INTO users (email, role, is_admin) VALUES ('mallory@evil.example', 'admin', true);" },
        { sql: "UPDATE project_members SET role = 'owner' WHERE user_id = 42;" },
      ],
      good: [
        { sql: 'UPDATE auth_user SET is_staff = false WHERE last_login IS NULL;' },
        { sql: "INSERT INTO auth_user (username, is_superuser) VALUES ('x', false);" },
        { sql: "UPDATE \"user\" SET role = 'ADMIN' WHERE role = 'HOST';" },
        { sql: "INSERT INTO roles (name, role) VALUES ('Administrators', 'admin');" },
        { sql: "UPDATE users SET role = 'viewer' WHERE email = 'a@b.c';" },
        { path: DJ, sql: HEAD + 'def forwards(apps, schema_editor):\n    User = apps.get_model("auth", "User")\n    User.objects.filter(is_superuser=False).update(is_active=True)\n' + TAIL },
        { path: DJ, sql: HEAD + 'def forwards(apps, schema_editor):\n    User = apps.get_model("auth", "User")\n    User.objects.filter(last_login=None).update(is_staff=False)\n' + TAIL },
      ],
    },
  },
  check(stmt, { report }) {
    sqlPromotion(stmt, report);
  },
  lexical: [/\bupdate\b[^;]*\bset\b[^;]*\bis_(superuser|staff|admin)\s*=\s*(true|1|'t')/],
  checkFile(file, { report }) {
    for (const h of pythonFacts(file.facts)?.accounts ?? []) {
      report({ message: h.message, line: h.line, column: h.column, endLine: h.endLine, severity: h.severity, key: h.key, secrets: h.secrets, down: h.down });
    }
  },
};
export default rule;

import { hasNode, inside, nspTable, rangeVarName, walk } from '../src/sql/ast.js';
import { pythonFacts } from '../src/python/facts.js';
import type { Report, Rule, Statement } from '../src/types.js';

/** Django's (and django-style) administrator flags. */
const FLAG = /^(is_superuser|is_staff)$/i;

function pgTrue(v: any): boolean {
  const c = v?.A_Const ?? v?.TypeCast?.arg?.A_Const;
  return c?.boolval?.boolval === true || c?.ival?.ival === 1 || /^(t|true|y|yes|on|1)$/i.test(c?.sval?.sval ?? '');
}
function nspTrue(v: any): boolean {
  return ((v?.type === 'bool' || v?.type === 'boolean') && v.value === true) || (v?.type === 'number' && Number(v.value) === 1) || (/string/.test(v?.type ?? '') && /^(t|true|1)$/i.test(String(v.value)));
}

/** SQL that sets is_superuser/is_staff to true (`UPDATE auth_user SET is_superuser = true …`, an INSERT with it). */
function sqlPromotion(stmt: Statement, report: (r: Report) => void): void {
  const found = (table: string, flags: string[]) =>
    report({ message: `Sets ${[...new Set(flags)].join(' + ')} = true on ${table}: accounts gain administrator rights through a migration${inside(stmt)}.`, key: table });
  if (stmt.pg && hasNode(stmt.pg, 'UpdateStmt', 'InsertStmt')) {
    walk(stmt.pg, (k, v) => {
      if (k === 'UpdateStmt') {
        const flags = (v.targetList ?? []).map((t: any) => t?.ResTarget).filter((t: any) => t && FLAG.test(String(t.name)) && pgTrue(t.val)).map((t: any) => t.name);
        if (flags.length) found(rangeVarName(v.relation), flags);
      } else if (k === 'InsertStmt') {
        const cols: string[] = (v.cols ?? []).map((c: any) => String(c?.ResTarget?.name ?? ''));
        const idx = cols.map((c, i) => (FLAG.test(c) ? i : -1)).filter((i) => i >= 0);
        const rows: any[] = v.selectStmt?.SelectStmt?.valuesLists ?? [];
        const flags = idx.filter((i) => rows.some((r: any) => pgTrue((r?.List?.items ?? [])[i]))).map((i) => cols[i]);
        if (flags.length) found(rangeVarName(v.relation), flags);
      }
    });
  }
  const ast = stmt.ast;
  if (ast?.type === 'update') {
    const flags = (ast.set ?? []).filter((x: any) => FLAG.test(String(x?.column)) && nspTrue(x.value)).map((x: any) => x.column);
    if (flags.length) found((ast.table ?? []).map(nspTable).join(', '), flags);
  } else if (ast?.type === 'insert' || ast?.type === 'replace') {
    const cols: string[] = (ast.columns ?? []).map((c: any) => (typeof c === 'string' ? c : String(c?.column ?? c?.value ?? '')));
    const rows: any[] = ast.values?.values ?? (Array.isArray(ast.values) ? ast.values : []);
    const flags = cols.filter((c, i) => FLAG.test(c) && rows.some((r: any) => nspTrue(r?.value?.[i])));
    if (flags.length) found((ast.table ?? []).map(nspTable).join(', '), flags);
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
    summary: 'Migration creates or promotes administrator accounts: create_superuser(), is_superuser=True, is_staff=True in Python or SQL (hardcoded passwords redacted)',
    rationale:
      'A data migration that calls `User.objects.create_superuser(…)`, sets `is_superuser`/`is_staff` or updates accounts with them gives someone ' +
      'full administrative access to the application in every environment it is deployed to, without any grant the database rules would see. ' +
      'With a password in the code, everyone who can read the repository can log in as that administrator: the literal is treated as a secret ' +
      '(never shown) and the credential rules report it.',
    fix: 'Create administrators with `manage.py createsuperuser` or an operator runbook, with credentials from a secret store; remove promotions from migrations.',
    examples: {
      bad: [
        { path: DJ, sql: HEAD + 'def forwards(apps, schema_editor):\n    User = apps.get_model("auth", "User")\n    User.objects.create_superuser("admin", "admin@example.com", "S3cr3t-pass!")\n' + TAIL },
        { path: DJ, sql: HEAD + 'def forwards(apps, schema_editor):\n    User = apps.get_model("auth", "User")\n    User.objects.filter(email="me@example.com").update(is_superuser=True, is_staff=True)\n' + TAIL },
        { path: DJ, sql: HEAD + 'def forwards(apps, schema_editor):\n    User = apps.get_model("auth", "User")\n    u = User.objects.get(username="me")\n    u.is_superuser = True\n    u.save()\n' + TAIL },
        { path: DJ, sql: HEAD + 'def forwards(apps, schema_editor):\n    User = apps.get_model("auth", "User")\n    User.objects.get_or_create(username="ops", defaults={"is_staff": True})\n' + TAIL },
        { sql: "UPDATE auth_user SET is_superuser = true, is_staff = true WHERE username = 'me';" },
        { sql: "INSERT INTO auth_user (username, password, is_superuser, is_staff) VALUES ('ops', 'x', 1, 1);", dialect: 'mysql' },
      ],
      good: [
        { sql: 'UPDATE auth_user SET is_staff = false WHERE last_login IS NULL;' },
        { sql: "INSERT INTO auth_user (username, is_superuser) VALUES ('x', false);" },
        { path: DJ, sql: HEAD + 'def forwards(apps, schema_editor):\n    User = apps.get_model("auth", "User")\n    User.objects.filter(is_superuser=False).update(is_active=True)\n' + TAIL },
        { path: DJ, sql: HEAD + 'def forwards(apps, schema_editor):\n    User = apps.get_model("auth", "User")\n    User.objects.filter(last_login=None).update(is_staff=False)\n' + TAIL },
      ],
    },
  },
  check(stmt, { report }) {
    sqlPromotion(stmt, report);
  },
  lexical: [/\bupdate\b[^;]*\bset\b[^;]*\bis_(superuser|staff)\s*=\s*(true|1|'t')/],
  checkFile(file, { report }) {
    for (const h of pythonFacts(file.facts)?.accounts ?? []) {
      report({ message: h.message, line: h.line, column: h.column, endLine: h.endLine, severity: h.severity, key: h.key, secrets: h.secrets, down: h.down });
    }
  },
};
export default rule;

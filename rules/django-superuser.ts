import { pythonFacts } from '../src/python/facts.js';
import type { Rule } from '../src/types.js';

const DJ = 'app/migrations/0002_admin.py';
const HEAD = 'from django.db import migrations\n\n';
const TAIL = '\n\nclass Migration(migrations.Migration):\n    dependencies = [("app", "0001_initial")]\n    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]\n';

const rule: Rule = {
  meta: {
    id: 'django-superuser',
    category: 'privilege',
    severity: 'error',
    summary: 'Python migration creates or promotes administrator accounts: create_superuser(), is_superuser=True, is_staff=True (hardcoded passwords redacted and reported)',
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
      ],
      good: [
        { path: DJ, sql: HEAD + 'def forwards(apps, schema_editor):\n    User = apps.get_model("auth", "User")\n    User.objects.filter(is_superuser=False).update(is_active=True)\n' + TAIL },
        { path: DJ, sql: HEAD + 'def forwards(apps, schema_editor):\n    User = apps.get_model("auth", "User")\n    User.objects.filter(last_login=None).update(is_staff=False)\n' + TAIL },
      ],
    },
  },
  checkFile(file, { report }) {
    for (const h of pythonFacts(file.facts)?.accounts ?? []) {
      report({ message: h.message, line: h.line, column: h.column, endLine: h.endLine, severity: h.severity, key: h.key, secrets: h.secrets, down: h.down });
    }
  },
};
export default rule;

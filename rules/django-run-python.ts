import { pythonFacts } from '../src/python/facts.js';
import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'django-run-python',
    category: 'execution',
    severity: 'warning',
    summary: 'Django RunPython (or Alembic op.run_async) runs Python code during the migration',
    rationale:
      'RunPython executes arbitrary Python with database access. Its process, network, file and eval use is checked by python-execution ' +
      '(gating), but ORM writes (`Model.objects.update(...)`, per-row saves and deletes) are only partly visible as SQL, and code defined ' +
      'outside the migration file is not reviewed here at all. It is a warning, not a gate: data migrations are routine, and the dangerous ' +
      'parts are gated by the other rules.',
    fix: 'Review the function: make sure it is idempotent, scoped (filters), batched on large tables, and has a reverse_code.',
    examples: {
      bad: [
        {
          path: 'blog/migrations/0003_backfill.py',
          sql: 'from django.db import migrations\n\ndef fill(apps, schema_editor):\n    Post = apps.get_model("blog", "Post")\n    Post.objects.filter(slug="").update(slug="x")\n\nclass Migration(migrations.Migration):\n    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]\n',
        },
      ],
      good: [
        {
          path: 'blog/migrations/0004_noop.py',
          sql: 'from django.db import migrations\n\nclass Migration(migrations.Migration):\n    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]\n',
        },
      ],
    },
  },
  checkFile(file, { report }) {
    for (const h of pythonFacts(file.facts)?.runPython ?? []) {
      report({ message: h.message, line: h.line, column: h.column, endLine: h.endLine, down: h.down, key: h.key, severity: h.severity });
    }
  },
};
export default rule;

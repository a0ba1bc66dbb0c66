import { pythonFacts } from '../src/python/facts.js';
import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'alembic-empty-downgrade',
    category: 'integrity',
    severity: 'warning',
    summary: 'Alembic revision has an empty (or no) downgrade()',
    rationale:
      'A revision whose downgrade() does nothing cannot be rolled back: `alembic downgrade` silently leaves the schema as it was, and the ' +
      'revisions below it no longer match the database. Sometimes that is intended (irreversible data migrations); it should be a decision.',
    fix: 'Write the downgrade, or make the irreversibility explicit (raise an error saying why) and get that reviewed.',
    examples: {
      bad: [{ path: 'migrations/versions/ab12_x.py', sql: "from alembic import op\nrevision = 'ab12'\ndown_revision = 'aa11'\n\ndef upgrade():\n    op.drop_column('t', 'c')\n\ndef downgrade():\n    pass\n" }],
      good: [
        { path: 'migrations/versions/ab13_merge.py', sql: "revision = 'ab13'\ndown_revision = ('aa11', 'aa12')\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n" },
        {
          path: 'migrations/versions/ab12_x.py',
          sql: "from alembic import op\nimport sqlalchemy as sa\nrevision = 'ab12'\ndown_revision = 'aa11'\n\ndef upgrade():\n    op.add_column('t', sa.Column('c', sa.Text()))\n\ndef downgrade():\n    op.drop_column('t', 'c')\n",
        },
      ],
    },
  },
  checkFile(file, { report }) {
    const a = pythonFacts(file.facts)?.alembic;
    if (!a || a.upgradeEmpty) return; // merge / placeholder revisions have nothing to undo
    if (a.downgrade === 'empty') report({ message: 'downgrade() is empty: this revision cannot be rolled back.', line: a.downgradeLine });
    else if (a.downgrade === 'missing') report({ message: 'This revision has no downgrade() function: `alembic downgrade` through it fails.', line: 1 });
  },
};
export default rule;

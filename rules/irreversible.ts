import { reportable } from '../src/state/reversal.js';
import { stateOf } from '../src/state/index.js';
import type { Rule, RuleContext, Statement } from '../src/types.js';

/** The verdicts are computed once per migration by the state builder (src/state/reversal.ts); this reports them where they are anchored. */
function reportAt(stmt: Statement, { report }: RuleContext) {
  for (const n of reportable(stateOf(stmt)?.reversal?.(stmt))) {
    // About the migration's rollback as a whole, reported even where down migrations are ignored.
    report({ message: n.message, key: n.verdict, down: false, ...(n.severity ? { severity: n.severity } : {}) });
  }
}

const rule: Rule = {
  meta: {
    id: 'irreversible',
    category: 'integrity',
    severity: 'warning',
    summary: 'The migration cannot be rolled back cleanly: its down is missing or empty, fails, or does not restore the schema (or the data)',
    rationale:
      'A rollback is the way out when a deploy goes wrong. migration-gate replays the history, the up and then the down in its sandbox ' +
      'and compares the catalog before the up with the catalog after the down. A down that fails, that leaves tables, columns or ' +
      'indexes behind or misses some, or that re-creates a dropped table or column empty, is found at review time rather than during ' +
      'an incident. Where the framework expects a down (golang-migrate, pop, goose, dbmate), a missing or empty one rolls back nothing. ' +
      'Compared: tables, views, sequences, indexes, their columns (type, NOT NULL), persistence and owner, schemas, functions, roles, and the ' +
      'types, triggers, policies, extensions… the statements created or dropped; not compared: constraint definitions, defaults, grants, ' +
      'comments. Down paths: golang-migrate and pop `.down.sql`, Flyway `U` files, goose and dbmate down sections, Liquibase ' +
      '`--rollback` (changesets last first), Alembic downgrade() (an empty one is alembic-empty-downgrade). A down file changed alone is ' +
      'replayed after its up from the history. ory/pop: the versions of one change (`<timestamp>_<name>`, split by popx into ' +
      '`<timestamp>NNNNNN` versions) are rolled back together, last version first, per dialect variant (the postgres and sqlite3 ' +
      'variants are replayed, the others judged statically). Django: judged from the operations as `Migration.unapply` reverses ' +
      'them, not replayed: a RunPython without reverse_code or a RunSQL without reverse_sql makes Django refuse the rollback ' +
      '(IrreversibleError); RemoveField and DeleteModel are reversed by re-creating the column or table empty.',
    fix:
      'Write the down so that it undoes exactly what the up does (drop what the up creates, re-create what it drops with the same ' +
      'types and constraints). When data cannot come back (a dropped column), keep a copy before dropping it or make the ' +
      'irreversibility explicit and get it reviewed; this rule is non-gating by default.',
    examples: {
      bad: [
        { path: 'db/migrations/20240101120000_add_email.sql', sql: '-- +goose Up\nCREATE TABLE users (id int);\nALTER TABLE users ADD COLUMN email varchar(255);\n\n-- +goose Down\nALTER TABLE users DROP COLUMN email;\n' },
        { path: 'db/migrations/20240101120000_users.sql', sql: '-- +goose Up\nCREATE TABLE users (id int);\n' },
        { path: 'db/migrations/20240101120000_users.sql', sql: '-- migrate:up\nCREATE TABLE users (id int);\n\n-- migrate:down\n' },
        { path: 'db/migrations/20240101120000_users.sql', sql: '-- migrate:up\nCREATE TABLE users (id int);\n\n-- migrate:down\nDROP TABLE user_accounts;\n' },
        { path: 'db/migrations/20240101120000_mood.sql', sql: "-- +goose Up\nCREATE TYPE mood AS ENUM ('ok', 'sad');\nCREATE TABLE moods (id int, m mood);\n\n-- +goose Down\nDROP TABLE moods;\n" },
        { path: 'db/changelog/001.sql', sql: '--liquibase formatted sql\n--changeset a:1\nCREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\n--rollback DROP INDEX t_id;\n' },
        {
          path: 'migrations/versions/ab12_users.py',
          sql: "from alembic import op\nimport sqlalchemy as sa\nrevision = 'ab12'\ndown_revision = None\n\ndef upgrade():\n    op.create_table('users', sa.Column('id', sa.Integer()))\n    op.create_table('teams', sa.Column('id', sa.Integer()))\n\ndef downgrade():\n    op.drop_table('teams')\n",
        },
        {
          path: 'blog/migrations/0003_backfill.py',
          sql: "from django.db import migrations\n\ndef fill(apps, schema_editor):\n    apps.get_model('blog', 'Post').objects.update(slug='x')\n\nclass Migration(migrations.Migration):\n    dependencies = [('blog', '0002_post_slug')]\n    operations = [migrations.RunPython(fill)]\n",
        },
        {
          path: 'blog/migrations/0004_remove_post_legacy.py',
          sql: "from django.db import migrations\n\nclass Migration(migrations.Migration):\n    dependencies = [('blog', '0003_backfill')]\n    operations = [migrations.RemoveField(model_name='post', name='legacy')]\n",
        },
      ],
      good: [
        { path: 'db/migrations/20240101120000_users.sql', sql: '-- +goose Up\nCREATE TABLE users (id int, email varchar(255));\nCREATE INDEX users_email ON users (email);\n\n-- +goose Down\nDROP TABLE users;\n' },
        { path: 'db/migrations/20240101120000_users.sql', sql: '-- migrate:up\nCREATE TABLE users (id int);\n\n-- migrate:down\nDROP TABLE users;\n' },
        {
          path: 'db/migrations/20240101120000_audit.sql',
          sql: '-- +goose Up\nCREATE TABLE t (id int);\nCREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE TRIGGER t_audit BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION audit();\n\n-- +goose Down\nDROP TABLE t;\nDROP FUNCTION audit();\n',
        },
        { path: 'db/changelog/001.sql', sql: '--liquibase formatted sql\n--changeset a:1\nCREATE TABLE t (id int);\n--rollback DROP TABLE t;\n' },
        {
          path: 'db/changelog/002.sql',
          sql: '--liquibase formatted sql\n--changeset a:1\nCREATE TABLE t (id int);\n--rollback DROP TABLE t;\n--changeset a:2\nCREATE INDEX t_id ON t (id);\n--rollback DROP INDEX t_id;\n',
        },
        { path: 'db/migration/V1__users.sql', sql: 'CREATE TABLE users (id int);\n' },
        { path: 'prisma/migrations/20240101120000_init/migration.sql', sql: 'CREATE TABLE "User" (id int);\n' },
        { path: 'db/migrations/20240101120000_users.sql', dialect: 'sqlite', sql: '-- +goose Up\nCREATE TABLE users (id integer primary key autoincrement, name text);\n-- +goose Down\nDROP TABLE users;\n' },
        {
          path: 'migrations/versions/ab12_users.py',
          sql: "from alembic import op\nimport sqlalchemy as sa\nrevision = 'ab12'\ndown_revision = None\n\ndef upgrade():\n    op.create_table('users', sa.Column('id', sa.Integer()))\n\ndef downgrade():\n    op.drop_table('users')\n",
        },
        {
          path: 'blog/migrations/0003_backfill.py',
          sql: "from django.db import migrations\n\ndef fill(apps, schema_editor):\n    apps.get_model('blog', 'Post').objects.update(slug='x')\n\nclass Migration(migrations.Migration):\n    dependencies = [('blog', '0002_post_slug')]\n    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]\n",
        },
      ],
    },
  },
  check: reportAt,
  unparsed: reportAt,
};
export default rule;

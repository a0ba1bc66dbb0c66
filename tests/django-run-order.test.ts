// Django runs a RunPython function when the operations list reaches it, not where its `def` stands
// (django/db/migrations/operations/special.py RunPython.database_forwards): the SQL found in the
// function is judged at the RunPython call's place among the operations (src/python/django.ts
// djangoRunOrder), so the state knows the column an earlier AddField made.
import { describe, expect, it } from 'vitest';
import { extract } from '../src/extract/index.js';
import { check } from './helpers.js';

const PATH = 'shop/migrations/0002_fill.py';
const MIGRATION = `from django.db import migrations, models


def fill(apps, schema_editor):
    Order = apps.get_model("shop", "Order")
    Order.objects.update(total_net=0)


def unfill(apps, schema_editor):
    Order = apps.get_model("shop", "Order")
    Order.objects.update(total_net=None)


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    operations = [
        migrations.AddField(model_name="order", name="total_net", field=models.IntegerField(null=True)),
        migrations.RunPython(fill, unfill),
        migrations.RemoveField(model_name="order", name="legacy"),
    ]
`;

describe('RunPython SQL in the order Django runs it', () => {
  it('the function\'s SQL comes after the AddField and before the operation that follows the RunPython', () => {
    const ex = extract({ path: PATH, content: MIGRATION });
    const up = ex.units.filter((u) => !u.down).map((u) => u.text.replace(/\s+/g, ' ').trim());
    const add = up.findIndex((t) => /ADD COLUMN/i.test(t));
    const update = up.findIndex((t) => /^UPDATE/i.test(t));
    const remove = up.findIndex((t) => /DROP COLUMN/i.test(t));
    expect(add).toBeGreaterThanOrEqual(0);
    expect(add).toBeLessThan(update);
    expect(update).toBeLessThan(remove);
  });
  it('a backfill of the column the AddField made is a warning, not an overwrite', async () => {
    const fs = (await check(MIGRATION, { path: PATH })).findings.filter((f) => f.ruleId === 'update-without-where' && !f.down);
    expect(fs).toHaveLength(1);
    expect(fs[0].severity).toBe('warning');
    expect(fs[0].message).toContain('Backfills total_net');
  });
  it('a function no RunPython names keeps its place (and an UPDATE of a column that existed still gates)', async () => {
    const other = MIGRATION.replace('migrations.RunPython(fill, unfill)', 'migrations.RunSQL("SELECT 1", "SELECT 1")').replace('total_net=0', 'legacy=0');
    const ex = extract({ path: PATH, content: other });
    const up = ex.units.filter((u) => !u.down).map((u) => u.text);
    expect(up.findIndex((t) => /^\s*UPDATE/i.test(t))).toBe(0);
  });
});

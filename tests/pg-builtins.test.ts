// The built-in names the shadow-builtin rule compares with (src/sql/pg-builtins.generated.ts) are
// the replay engine's own catalog: the committed file must be what scripts/gen-pg-builtins.mjs
// writes from the installed PGlite (after an upgrade, re-run it).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script without type declarations
import { OUT, readBuiltins, render } from '../scripts/gen-pg-builtins.mjs';
import { PG_CATALOG_FUNCTIONS, PG_CATALOG_OPERATORS, PG_CATALOG_TYPES } from '../src/sql/pg-builtins.generated.js';

describe('PostgreSQL built-in names', () => {
  it('are the installed PGlite catalog, as generated', async () => {
    expect(readFileSync(OUT, 'utf8')).toBe(render(await readBuiltins()));
  }, 60_000);

  it('hold what the rule relies on', () => {
    for (const f of ['lower', 'upper', 'now', 'format', 'set_config', 'pg_read_file']) expect(PG_CATALOG_FUNCTIONS.has(f)).toBe(true);
    for (const o of ['=', '<>', '||', '~~']) expect(PG_CATALOG_OPERATORS.has(o)).toBe(true);
    for (const t of ['text', 'varchar', 'int4', 'uuid', 'jsonb']) expect(PG_CATALOG_TYPES.has(t)).toBe(true);
    expect(PG_CATALOG_FUNCTIONS.has('update_updated_at_column')).toBe(false);
  });
});

import { pgNode } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'dynamic-sql',
    category: 'dynamic',
    severity: 'error',
    summary: 'Runs SQL whose text is only known at run time (EXECUTE of an expression)',
    rationale:
      'PL/pgSQL `EXECUTE format(...)` or `EXECUTE some_variable` builds SQL while the migration runs; no static check can see what it does, ' +
      'so it can hide any destructive or privileged statement. Dynamic SQL of fixed shape (constants, FOREACH over an ARRAY literal, ' +
      'FOR … IN SELECT unnest(ARRAY[…])) is expanded and each expansion analyzed like written SQL instead.',
    fix: 'Write the statements out literally, or have a reviewer confirm what the dynamic SQL can produce.',
    examples: {
      bad: [
        { sql: "DO $$ BEGIN EXECUTE format('DROP TABLE %I', current_setting('app.t')); END $$;" },
        { sql: 'DO $$ DECLARE q text; BEGIN SELECT cmd INTO q FROM jobs LIMIT 1; EXECUTE q; END $$;' },
        { sql: "DO $$ DECLARE t text; BEGIN FOR t IN SELECT tablename FROM pg_tables LOOP EXECUTE format('DROP TABLE %I', t); END LOOP; END $$;" },
      ],
      good: [
        { sql: "DO $$ BEGIN EXECUTE 'CREATE TABLE x (id int)'; END $$;" },
        { sql: 'DO $$ BEGIN CREATE TABLE y (id int); END $$;' },
        { sql: "DO $$ DECLARE t text; BEGIN FOREACH t IN ARRAY ARRAY['a', 'b'] LOOP EXECUTE format('CREATE TABLE %I (id int)', t); END LOOP; END $$;" },
        { sql: "DO $$ DECLARE s CONSTANT text := 'audit'; BEGIN EXECUTE 'CREATE SCHEMA ' || quote_ident(s); END $$;" },
      ],
    },
  },
  kinds: ['PLpgSQL_dynamic'],
  check(stmt, { report }) {
    const d = pgNode(stmt, 'PLpgSQL_dynamic');
    if (d && d.literal === undefined) {
      report({ message: `Dynamic SQL: EXECUTE of an expression (${String(d.query).slice(0, 80)}); its statements cannot be checked.` });
    }
  },
  lexical: [/\bexecute\s+(format\s*\(|[a-z_][a-z0-9_]*\s*(;|\|\||using\b|$))/],
};
export default rule;

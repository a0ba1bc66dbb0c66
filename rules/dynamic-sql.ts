import { names, pgNode } from '../src/sql/ast.js';
import { isUntrustedLanguage } from './untrusted-language.js';

/** Languages whose code this review reads: SQL and PL/pgSQL (C and internal are untrusted-language's). */
const READ = new Set(['plpgsql', 'sql', 'c', 'internal']);
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
      'FOR … IN SELECT unnest(ARRAY[…])) is expanded and each expansion analyzed like written SQL instead. Code in a procedural language this ' +
      'review does not read (plperl, plv8, pltcl and other trusted languages) runs SQL through its own calls: a DO block in one gates, a function ' +
      'in one is a warning (its SQL runs when it is called).',
    fix: 'Write the statements out literally, or have a reviewer confirm what the dynamic SQL can produce.',
    examples: {
      bad: [
        { sql: "DO $$ BEGIN EXECUTE format('DROP TABLE %I', current_setting('app.t')); END $$;" },
        { sql: 'DO $$ DECLARE q text; BEGIN SELECT cmd INTO q FROM jobs LIMIT 1; EXECUTE q; END $$;' },
        { sql: "DO $$ DECLARE t text; BEGIN FOR t IN SELECT tablename FROM pg_tables LOOP EXECUTE format('DROP TABLE %I', t); END LOOP; END $$;" },
        { sql: "DO LANGUAGE plperl $$ spi_exec_query('TRUNCATE audit_log'); $$;" },
        { sql: "DO $$ plv8.execute('DROP TABLE users'); $$ LANGUAGE plv8;" },
      ],
      good: [
        { sql: "DO $$ BEGIN EXECUTE 'CREATE TABLE x (id int)'; END $$;" },
        { sql: 'DO $$ BEGIN CREATE TABLE y (id int); END $$;' },
        { sql: "DO $$ DECLARE t text; BEGIN FOREACH t IN ARRAY ARRAY['a', 'b'] LOOP EXECUTE format('CREATE TABLE %I (id int)', t); END LOOP; END $$;" },
        { sql: "DO $$ DECLARE s CONSTANT text := 'audit'; BEGIN EXECUTE 'CREATE SCHEMA ' || quote_ident(s); END $$;" },
      ],
    },
  },
  kinds: ['PLpgSQL_dynamic', 'DoStmt', 'CreateFunctionStmt'],
  check(stmt, { report }) {
    const d = pgNode(stmt, 'PLpgSQL_dynamic');
    if (d && d.literal === undefined) {
      report({ message: `Dynamic SQL: EXECUTE of an expression (${String(d.query).slice(0, 80)}); its statements cannot be checked.` });
    }
    // Code in a procedural language this review does not read (plperl, plv8, pltcl, …: trusted ones;
    // untrusted ones, C and internal are untrusted-language's) runs SQL through its own API
    // (spi_exec_query, plv8.execute, spi_exec): none of it is checked.
    const lang = (node: any, dflt: string) => {
      for (const o of node?.args ?? node?.options ?? []) if (o?.DefElem?.defname === 'language') return String(o.DefElem.arg?.String?.sval ?? dflt).toLowerCase();
      return dflt;
    };
    const unread = (l: string) => !READ.has(l) && !isUntrustedLanguage(l);
    const doStmt = pgNode(stmt, 'DoStmt');
    if (doStmt && unread(lang(doStmt, 'plpgsql'))) {
      report({ message: `DO block in ${lang(doStmt, 'plpgsql')}, a language this review does not read: any SQL it runs while the migration runs (through the language's own calls) is not checked.` });
    }
    const fn = pgNode(stmt, 'CreateFunctionStmt');
    if (fn && unread(lang(fn, 'sql'))) {
      report({
        message: `${fn.is_procedure ? 'Procedure' : 'Function'} ${names(fn.funcname)} is written in ${lang(fn, 'sql')}, a language this review does not read: SQL it runs when called is not checked.`,
        severity: 'warning',
      });
    }
  },
  lexical: [/\bexecute\s+(format\s*\(|[a-z_][a-z0-9_]*\s*(;|\|\||using\b|$))/],
};
export default rule;

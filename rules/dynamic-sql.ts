import { names, perFile, pgFunctionCalls, pgNode, textMayName } from '../src/sql/ast.js';
import { sqlStringCalls, SQL_STRING_FUNCTIONS_RE } from '../src/sql/sql-strings.js';
import { constString } from '../src/parse/pg.js';
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
      'in one is a warning (its SQL runs when it is called), and calling it while the migration runs gates. Functions that run SQL given as a string ' +
      '(query_to_xml, ts_stat, crosstab, dblink, pg_background_launch) are read like EXECUTE: a constant string is analyzed, a computed one gates.',
    fix: 'Write the statements out literally, or have a reviewer confirm what the dynamic SQL can produce.',
    examples: {
      bad: [
        { sql: "DO $$ BEGIN EXECUTE format('DROP TABLE %I', current_setting('app.t')); END $$;" },
        { sql: 'DO $$ DECLARE q text; BEGIN SELECT cmd INTO q FROM jobs LIMIT 1; EXECUTE q; END $$;' },
        { sql: "DO $$ DECLARE t text; BEGIN FOR t IN SELECT tablename FROM pg_tables LOOP EXECUTE format('DROP TABLE %I', t); END LOOP; END $$;" },
        { sql: "DO LANGUAGE plperl $$ spi_exec_query('TRUNCATE audit_log'); $$;" },
        { sql: "DO $$ plv8.execute('DROP TABLE users'); $$ LANGUAGE plv8;" },
        { sql: "SELECT query_to_xml_and_xmlschema('SELECT ' || current_setting('app.cols') || ' FROM pg_authid', true, true, '');" },
        { sql: 'SELECT * FROM crosstab((SELECT cmd FROM jobs LIMIT 1)) AS ct(a text, b text);' },
        { sql: "CREATE FUNCTION w() RETURNS void LANGUAGE plperl AS $$ spi_exec_query('DROP TABLE users'); $$;\nSELECT w();" },
      ],
      good: [
        { sql: "DO $$ BEGIN EXECUTE 'CREATE TABLE x (id int)'; END $$;" },
        { sql: 'DO $$ BEGIN CREATE TABLE y (id int); END $$;' },
        { sql: "DO $$ DECLARE t text; BEGIN FOREACH t IN ARRAY ARRAY['a', 'b'] LOOP EXECUTE format('CREATE TABLE %I (id int)', t); END LOOP; END $$;" },
        { sql: "DO $$ DECLARE s CONSTANT text := 'audit'; BEGIN EXECUTE 'CREATE SCHEMA ' || quote_ident(s); END $$;" },
        { sql: "SELECT query_to_xml('SELECT ' || 'id FROM users', true, true, '');" },
      ],
    },
  },
  // Every kind: a function that runs a SQL string (query_to_xml, crosstab, dblink…) can be called from any statement.
  check(stmt, { report }) {
    const d = pgNode(stmt, 'PLpgSQL_dynamic');
    if (d && d.literal === undefined) {
      report({ message: `Dynamic SQL: EXECUTE of an expression (${String(d.query).slice(0, 80)}); its statements cannot be checked.` });
    }
    // A constant SQL string is analyzed where the call is (src/parse/pg.ts expandSqlStrings); a computed one cannot be.
    if (stmt.pg && textMayName(stmt.text, SQL_STRING_FUNCTIONS_RE)) {
      sqlStringCalls(stmt.pg).forEach((c, i) => {
        if (constString(c.arg) !== undefined) return;
        report({ message: `Dynamic SQL: ${c.fn}() runs SQL given as a string, and this one is computed while the migration runs; its statements cannot be checked.`, key: `string:${i}` });
      });
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
    // Such a function called while the migration runs (a top-level statement, a DO block, a SQL
    // string run now): what it does happens now, unseen. Functions of this file, by base name.
    if (stmt.pg && (!stmt.nested || stmt.nested.kind === 'do' || stmt.nested.kind === 'query')) {
      const unreadHere = perFile(stmt, 'dynamic-sql:unread-functions', (all) => {
        const m = new Map<string, string>();
        for (const s of all) {
          const f = s.nested ? undefined : s.pg?.CreateFunctionStmt;
          if (f && unread(lang(f, 'sql'))) m.set(String(f.funcname?.[f.funcname.length - 1]?.String?.sval ?? ''), lang(f, 'sql'));
        }
        return m;
      });
      if (unreadHere?.size)
        for (const c of pgFunctionCalls(stmt.pg)) {
          const l = unreadHere.get(c.base);
          if (l) report({ message: `Calls ${c.name}(), written in ${l}, a language this review does not read: the SQL it runs now, while the migration runs, is not checked.`, key: `call:${c.base}` });
        }
      const call = pgNode(stmt, 'CallStmt');
      const called = call?.funccall ? names(call.funccall.funcname).split('.').pop()! : undefined;
      if (called && unreadHere?.get(called)) report({ message: `Calls procedure ${names(call.funccall.funcname)}(), written in ${unreadHere.get(called)}, a language this review does not read: the SQL it runs now is not checked.`, key: `call:${called}` });
    }
  },
  lexical: [/\bexecute\s+(format\s*\(|[a-z_][a-z0-9_]*\s*(;|\|\||using\b|$))/],
};
export default rule;

import { folded, inside, names, pgNode, UNPARSED } from '../src/sql/ast.js';
import type { Rule, Statement } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

/**
 * Untrusted procedural languages: code in them runs unrestricted as the database server's OS
 * user. Besides this list, any `pl…u` name follows PostgreSQL's naming convention for untrusted
 * languages. C and internal functions load or bind native code.
 */
const UNTRUSTED = new Set(['plpythonu', 'plpython2u', 'plpython3u', 'plperlu', 'pltclu', 'plsh', 'plr', 'javau', 'pljavau', 'plluau', 'plrustu']);

export function isUntrustedLanguage(lang: string): boolean {
  const l = lang.toLowerCase();
  return UNTRUSTED.has(l) || /^pl[a-z0-9]*u$/.test(l);
}

function defElems(list: any[] | undefined): Record<string, any> {
  const r: Record<string, any> = {};
  for (const o of list ?? []) if (o?.DefElem?.defname) r[o.DefElem.defname] = o.DefElem.arg;
  return r;
}

function strs(arg: any): string[] {
  if (!arg) return [];
  if (arg.String) return [arg.String.sval];
  return (arg.List?.items ?? []).map((i: any) => i?.String?.sval ?? '?');
}

function language(stmt: Statement): string {
  // libpg-query turns CREATE LANGUAGE x (without HANDLER) into CreateExtensionStmt: tell them apart by the text.
  return /^create\s+(or\s+replace\s+)?(trusted\s+)?(procedural\s+)?language\b/.test(stmt.lexical) ? 'language' : 'extension';
}

const rule: Rule = {
  meta: {
    id: 'untrusted-language',
    category: 'execution',
    severity: 'error',
    summary: 'Runs code outside the database sandbox: untrusted languages (plpython3u, plperlu, pltclu, …), C/internal functions, CREATE LANGUAGE, LOAD, MySQL UDF/plugins',
    rationale:
      'Functions and DO blocks in untrusted languages (plpython3u, plperlu, pltclu, plsh, …) can do anything the database server’s OS user can: ' +
      'read and write files, run programs, open connections. C functions and LOAD load native libraries into the server process; LANGUAGE internal ' +
      'binds to arbitrary server internals. MySQL’s CREATE FUNCTION … SONAME and INSTALL PLUGIN/COMPONENT load native code the same way.',
    fix: 'Use a trusted language (plpgsql, sql, plperl, pltcl, plv8) or move the logic to the application; native extensions belong in reviewed server provisioning, not migrations.',
    examples: {
      bad: [
        { sql: "CREATE FUNCTION f() RETURNS int LANGUAGE plpython3u AS 'import os; return 1';" },
        { sql: "CREATE FUNCTION f() RETURNS int AS 'mylib.so', 'f' LANGUAGE C;" },
        { sql: 'CREATE LANGUAGE plperlu;' },
        { sql: "DO LANGUAGE plpython3u $$ import os; os.system('id') $$;" },
        { sql: "LOAD 'auto_explain';" },
        { sql: "CREATE FUNCTION sys_exec RETURNS INTEGER SONAME 'lib_mysqludf_sys.so';", dialect: 'mysql' },
      ],
      good: [
        { sql: 'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql SECURITY INVOKER AS $$ BEGIN RETURN 1; END $$;' },
        { sql: "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'select 1';" },
        { sql: 'CREATE EXTENSION pgcrypto;' },
        { sql: "DO $$ BEGIN RAISE NOTICE 'language c'; END $$;" },
      ],
    },
  },
  kinds: ['CreateExtensionStmt', 'CreateFunctionStmt', 'CreatePLangStmt', 'DoStmt', 'LoadStmt'],
  check(stmt, { report }) {
    const f = pgNode(stmt, 'CreateFunctionStmt');
    if (f) {
      const o = defElems(f.options);
      const lang = (strs(o.language)[0] ?? 'sql').toLowerCase();
      const kind = f.is_procedure ? 'Procedure' : 'Function';
      const name = names(f.funcname);
      if (lang === 'c') {
        const [lib, sym] = strs(o.as);
        report({ message: `${kind} ${name} is implemented in C (library '${lib ?? '?'}'${sym ? `, symbol '${sym}'` : ''}): loads native code into the database server${inside(stmt)}.` });
      } else if (lang === 'internal') {
        report({ message: `${kind} ${name} binds to internal server function '${strs(o.as)[0] ?? '?'}' (LANGUAGE internal)${inside(stmt)}.` });
      } else if (isUntrustedLanguage(lang)) {
        report({ message: `${kind} ${name} is written in ${lang}, an untrusted language: it can run any code on the database server as its OS user${inside(stmt)}.` });
      }
    }
    const d = pgNode(stmt, 'DoStmt');
    if (d) {
      const lang = (strs(defElems(d.args).language)[0] ?? 'plpgsql').toLowerCase();
      if (isUntrustedLanguage(lang) || lang === 'c') report({ message: `DO block in ${lang}, an untrusted language, runs arbitrary code on the database server while the migration runs${inside(stmt)}.` });
    }
    const p = pgNode(stmt, 'CreatePLangStmt');
    if (p) {
      const handler = names(p.plhandler);
      report({
        message: `Creates ${p.pltrusted ? 'TRUSTED ' : ''}procedural language ${p.plname}${handler ? ` with handler ${handler}` : ''}${p.pltrusted ? ' (any role with USAGE can create functions in it)' : ''}${inside(stmt)}.`,
      });
    }
    const e = pgNode(stmt, 'CreateExtensionStmt');
    if (e && isUntrustedLanguage(e.extname ?? '')) {
      report({ message: `Installs untrusted language ${e.extname} (CREATE ${language(stmt).toUpperCase()}): functions in it can run any code on the database server${inside(stmt)}.` });
    }
    const l = pgNode(stmt, 'LoadStmt');
    if (l) report({ message: `LOAD '${l.filename}' loads a shared library into the database server process${inside(stmt)}.` });
    if (stmt.ast && /^(create\s+(aggregate\s+)?function\b[^;]*\bsoname\b|install\s+(plugin|component|soname)\b)/.test(stmt.lexical)) textCheck(stmt, report);
  },
  unparsed(stmt, { report }) {
    textCheck(stmt, report, UNPARSED);
  },
  lexical: [
    /\blanguage\s+['"]?(plpython[23]?u|plperlu|pltclu|plsh|plr|javau|c|internal)\b/,
    /\bcreate\s+(or\s+replace\s+)?(trusted\s+)?(procedural\s+)?language\b/,
    /(^|;\s*)load\s+'/,
    /\bsoname\s+'/,
    /\binstall\s+(plugin|component)\b/,
    /\bxp_cmdshell\b/, // SQL Server: runs a shell command
  ],
};

/** MySQL/MariaDB native code, from the text (node-sql-parser does not accept these statements). */
function textCheck(stmt: Statement, report: (r: { message: string }) => void, suffix = ''): void {
  const t = folded(stmt);
  let m = /\bcreate\s+(?:aggregate\s+)?function\s+(?:if\s+not\s+exists\s+)?(\S+)\s+returns\s+\w+\s+soname\s+(\S+)/i.exec(t);
  if (m) return report({ message: `Likely: Function ${m[1]} is a native UDF loaded from ${m[2].replace(/;$/, '')}: it runs native code in the database server${suffix}.` });
  m = /^install\s+(plugin|component|soname)\s+(.+?);?$/i.exec(t);
  if (m) return report({ message: `Likely: INSTALL ${m[1].toUpperCase()} ${m[2]} loads native code into the database server${suffix}.` });
}
export default withDynamic(rule);

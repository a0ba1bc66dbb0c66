import { folded, inside, names, pgNode, UNPARSED } from '../src/sql/ast.js';
import type { Report, Rule, Statement } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

function searchPath(options: any[] | undefined): { set: boolean; text: string; unsafe: string[] } {
  for (const o of options ?? []) {
    const v = o?.DefElem?.defname === 'set' ? o.DefElem.arg?.VariableSetStmt : undefined;
    if (!v || String(v.name).toLowerCase() !== 'search_path') continue;
    if (v.kind === 'VAR_SET_CURRENT') return { set: true, text: 'FROM CURRENT', unsafe: ['FROM CURRENT copies whatever path the migration ran with'] };
    if (v.kind !== 'VAR_SET_VALUE') return { set: false, text: '', unsafe: [] };
    const parts: string[] = (v.args ?? []).map((a: any) => a?.A_Const?.sval?.sval ?? '?');
    const unsafe = parts.filter((p) => /^(public|\$user)$/i.test(p.trim())).map((p) => `it includes ${p}, where other roles may be able to create objects`);
    return { set: true, text: parts.map((p) => (p === '' ? "''" : p)).join(', ') || "''", unsafe };
  }
  return { set: false, text: '', unsafe: [] };
}

function defined(list: any[] | undefined): boolean {
  return (list ?? []).some((o: any) => o?.DefElem?.defname === 'security' && o.DefElem.arg?.Boolean?.boolval === true);
}

function pgCheck(stmt: Statement, report: (r: Report) => void): void {
  const f = pgNode(stmt, 'CreateFunctionStmt');
  const a = pgNode(stmt, 'AlterFunctionStmt');
  const opts = f ? f.options : a?.actions;
  if (!(f || a) || !defined(opts)) return;
  const proc = f ? f.is_procedure : a.objtype === 'OBJECT_PROCEDURE';
  const name = f ? `${names(f.funcname)}(${(f.parameters ?? []).length ? '…' : ''})` : `${names(a.func?.objname)}()`;
  const sp = searchPath(opts);
  let path: string;
  let high = false;
  if (!sp.set) {
    path = f ? ' and does not SET search_path: callers can shadow the unqualified names it uses with their own objects' : '; search_path is not set in this statement';
    high = !!f;
  } else if (sp.unsafe.length) path = `; SET search_path = ${sp.text}, but ${sp.unsafe.join('; ')}`;
  else path = ` (SET search_path = ${sp.text})`;
  const verb = f ? `${proc ? 'Procedure' : 'Function'} ${name} runs` : `Makes ${proc ? 'procedure' : 'function'} ${name} run`;
  report({ message: `${verb} with the privileges of its owner (SECURITY DEFINER)${inside(stmt)}${path}${high ? ' (high risk)' : ''}.` });
}

/** MySQL/MariaDB: `DEFINER=user` (other than CURRENT_USER) or explicit `SQL SECURITY DEFINER`. */
function definerText(d: any): string | undefined {
  const r = d?.right;
  if (!r) return undefined;
  if (r.type === 'function') return undefined; // DEFINER=CURRENT_USER()
  if (r.type === 'binary_expr' && r.operator === '@') return `'${r.left?.value}'@'${r.right?.value}'`;
  if (typeof r.value === 'string') return /^current_user$/i.test(r.value) ? undefined : `'${r.value}'`;
  return '?';
}

function nspCheck(stmt: Statement, report: (r: Report) => void): void {
  const ast = stmt.ast;
  if (!ast || ast.type !== 'create') return;
  const kind = String(ast.keyword ?? 'object').toLowerCase();
  const obj = ast.view?.view ?? ast.trigger?.table ?? ast.name?.name ?? ast.table?.[0]?.table ?? '';
  const who = definerText(ast.definer);
  const sqlSec = String(ast.sql_security ?? '').toUpperCase() === 'DEFINER';
  if (who) report({ message: `Creates ${kind} ${obj} with DEFINER=${who}: it runs with that account’s privileges${sqlSec || kind !== 'view' ? '' : ' (views default to SQL SECURITY DEFINER)'}.` });
  else if (sqlSec) report({ message: `Creates ${kind} ${obj} with SQL SECURITY DEFINER: it runs with its creator’s privileges.`, severity: 'warning' });
}

function textCheck(stmt: Statement, report: (r: Report) => void, suffix: string): void {
  const t = folded(stmt);
  const m = /^create\s+(?:or\s+replace\s+)?(?:algorithm\s*=\s*\w+\s+)?definer\s*=\s*(\S+?)\s+(?:sql\s+security\s+\w+\s+)?(?:aggregate\s+)?(procedure|function|event|trigger|view)\s+(?:if\s+not\s+exists\s+)?([^\s(]+)/i.exec(t);
  if (m && !/^current_user(\(\))?$/i.test(m[1])) {
    report({ message: `Likely: Creates ${m[2].toLowerCase()} ${m[3]} with DEFINER=${m[1]}: it runs with that account’s privileges${suffix}.` });
    return;
  }
  const s = /^create\s+.*?\b(procedure|function|view)\s+([^\s(]+).*?\bsql\s+security\s+definer\b/i.exec(t) ?? /^create\s+.*?\bsql\s+security\s+definer\b.*?\b(view)\s+([^\s(]+)/i.exec(t);
  if (s) report({ message: `Likely: Creates ${s[1].toLowerCase()} ${s[2]} with SQL SECURITY DEFINER: it runs with its creator’s privileges${suffix}.`, severity: 'warning' });
}

const rule: Rule = {
  meta: {
    id: 'security-definer',
    category: 'privilege',
    severity: 'error',
    summary: 'Function/procedure runs with its owner’s privileges (SECURITY DEFINER; MySQL DEFINER=/SQL SECURITY DEFINER)',
    rationale:
      'A SECURITY DEFINER function runs with the privileges of its owner (often a superuser or the schema owner), whoever calls it: ' +
      'any bug, injectable dynamic SQL or missing argument check becomes a privilege escalation. Without `SET search_path`, a caller can ' +
      'put their own functions or tables earlier on the path and have the function use them with the owner’s rights. MySQL views, ' +
      'procedures, functions, triggers and events with DEFINER=<account> run with that account’s privileges.',
    fix: "Prefer SECURITY INVOKER. If definer rights are needed: pin `SET search_path = ''` (or trusted schemas, pg_temp last), schema-qualify every name, REVOKE EXECUTE FROM PUBLIC and grant it to specific roles.",
    examples: {
      bad: [
        { sql: 'CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;' },
        { sql: "CREATE OR REPLACE FUNCTION f() RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$ BEGIN END $$;" },
        { sql: 'ALTER FUNCTION f(int) SECURITY DEFINER;' },
        { sql: 'CREATE DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW v AS SELECT 1;', dialect: 'mysql' },
        { sql: 'CREATE DEFINER=`root`@`%` PROCEDURE p() BEGIN SELECT 1; END', dialect: 'mysql' },
      ],
      good: [
        { sql: 'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql SECURITY INVOKER AS $$ BEGIN RETURN 1; END $$;' },
        { sql: "ALTER FUNCTION f() SET search_path = '';" },
        { sql: 'CREATE VIEW v AS SELECT 1;', dialect: 'mysql' },
      ],
    },
  },
  kinds: ['AlterFunctionStmt', 'CreateFunctionStmt'],
  check(stmt, { report }) {
    pgCheck(stmt, report);
    nspCheck(stmt, report);
    if (stmt.ast && stmt.ast.type !== 'create' && /^create\s.*\b(definer\s*=|sql\s+security\s+definer\b)/.test(stmt.lexical)) textCheck(stmt, report, '');
  },
  unparsed(stmt, { report }) {
    textCheck(stmt, report, UNPARSED);
  },
  lexical: [/\bsecurity\s+definer\b/, /\bdefiner\s*=\s*(?!current_user\b)/],
};
export default withDynamic(rule);

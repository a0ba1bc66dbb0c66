// Partly-known dynamic SQL (PL/pgSQL `EXECUTE 'ALTER TABLE t OWNER TO ' || r`): rebuild the text with
// variable names in place of the unknown parts, so a rule can say what it most likely does.
import { parseSync } from '../parse/guard.js';
import { inside, UNPARSED } from './ast.js';
import { lexicalForm } from '../parse/split.js';
import type { Report, Rule } from '../types.js';

/**
 * The SQL a partly-known dynamic EXECUTE builds, with each unknown part replaced by the variable's
 * name (or `dyn_N`): `'ALTER TABLE t OWNER TO ' || r` → `ALTER TABLE t OWNER TO r`. Handles `||`,
 * quote_ident/quote_literal/quote_nullable and format('%I %L %s', …). Undefined if not understood.
 */
export function dynamicTemplate(query: string): string | undefined {
  let tree: any;
  try {
    tree = parseSync(`SELECT ${query}`);
  } catch {
    return undefined;
  }
  const targets = tree?.stmts?.[0]?.stmt?.SelectStmt?.targetList;
  if (targets?.length !== 1) return undefined;
  let n = 0;
  const unknown = (node: any): string => {
    const f = node?.ColumnRef?.fields;
    const name = f?.[f.length - 1]?.String?.sval;
    return typeof name === 'string' && /^[a-z_][a-z0-9_]*$/.test(name) ? name : `dyn_${++n}`;
  };
  const flat = (node: any): string => {
    const c = node?.A_Const;
    if (c) return c.sval ? (c.sval.sval ?? '') : c.ival ? String(c.ival.ival ?? 0) : c.fval ? String(c.fval.fval) : '';
    if (node?.TypeCast) return flat(node.TypeCast.arg);
    const e = node?.A_Expr;
    if (e?.kind === 'AEXPR_OP' && e.name?.[0]?.String?.sval === '||') return flat(e.lexpr) + flat(e.rexpr);
    const fc = node?.FuncCall;
    if (fc) {
      const fn = fc.funcname?.[fc.funcname.length - 1]?.String?.sval;
      const args: any[] = fc.args ?? [];
      if (fn === 'quote_ident' && args.length === 1) return flat(args[0]);
      if ((fn === 'quote_literal' || fn === 'quote_nullable') && args.length === 1) return `'${flat(args[0])}'`;
      if (fn === 'format' && args[0]?.A_Const?.sval) {
        let i = 1;
        return String(args[0].A_Const.sval.sval ?? '').replace(/%(\d+\$)?([-\d]*)([sIL%])/g, (_m, pos, _w, t) => {
          if (t === '%') return '%';
          const a = args[pos ? parseInt(pos, 10) : i++];
          const v = a ? flat(a) : `dyn_${++n}`;
          return t === 'L' ? `'${v}'` : v;
        });
      }
    }
    return unknown(node);
  };
  return flat(targets[0]?.ResTarget?.val);
}

/** The rebuilt SQL of a dynamic pseudo-statement and its parse, computed once for all rules. */
const rebuiltCache = new WeakMap<object, { tpl?: string; stmts?: any[] }>();
function rebuilt(d: any): { tpl?: string; stmts?: any[] } {
  let r = rebuiltCache.get(d);
  if (!r) {
    const tpl = dynamicTemplate(String(d.query));
    let stmts: any[] | undefined;
    if (tpl !== undefined) {
      try {
        stmts = (parseSync(tpl) as any).stmts ?? [];
      } catch {
        stmts = undefined;
      }
    }
    r = { tpl, stmts };
    rebuiltCache.set(d, r);
  }
  return r;
}

/**
 * Wrap a rule so that it also looks into dynamic SQL whose text is only partly known
 * (`EXECUTE 'ALTER TABLE t OWNER TO ' || r`). The dynamic-sql rule reports that such SQL cannot be
 * checked; this says what it most likely does: the rule's own check runs on the SQL rebuilt with
 * variable names in place of the unknown parts, else its `unparsed` hook, else its `lexical` patterns.
 */
export function withDynamic(rule: Rule): Rule {
  const check = rule.check;
  return {
    ...rule,
    // Dispatch (Rule.kinds): the rule now also runs on dynamic pseudo-statements.
    kinds: rule.kinds ? [...rule.kinds, 'PLpgSQL_dynamic'] : undefined,
    check(stmt, ctx) {
      check?.(stmt, ctx);
      const d = stmt.pg?.PLpgSQL_dynamic;
      if (!d || d.literal !== undefined) return;
      const where = ` (built by dynamic SQL${inside(stmt)}; unknown parts shown by variable name)`;
      let reported = false;
      const report = (r: Report) => {
        reported = true;
        let m = r.message.replace(UNPARSED, '').replace(/^Likely: /, '');
        if (stmt.nested) m = m.replace(inside(stmt), '');
        m = m.replace(/\.$/, '');
        ctx.report({ ...r, offset: undefined, message: `Likely: ${m}${where}.`, key: `dynamic:${r.key ?? ''}` });
      };
      const { tpl, stmts } = rebuilt(d);
      const parsedTemplate = !!stmts?.length;
      if (tpl !== undefined) {
        const base = { ...stmt, text: tpl, lexical: lexicalForm(tpl), pgText: undefined, pgOffset: undefined };
        if (stmts) for (const s of stmts) check?.({ ...base, pg: s.stmt }, { report });
        else rule.unparsed?.({ ...base, pg: undefined, parsed: false }, { report });
      }
      // When the rebuilt SQL parsed, the rule's check had its say; otherwise fall back to the patterns.
      if (!reported && !parsedTemplate && rule.lexical?.some((re) => re.test(stmt.lexical))) {
        ctx.report({ message: `Likely: ${rule.meta.summary} (built by dynamic SQL${inside(stmt)}: ${String(d.query).slice(0, 80)}).`, key: 'dynamic' });
      }
    },
  };
}

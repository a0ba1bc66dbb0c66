import { inside, names, perFile, pgNode, pgFunctionCalls, positionOf, sameName, statementsNamed } from '../src/sql/ast.js';
import { stateOf } from '../src/state/index.js';
import type { Rule, Statement } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

/**
 * Names that say a function decides access: predicates (`is_admin`, `has_permission`, `can_edit`,
 * `check_access`), `*_authorized`, and the identity helpers row-level security policies call
 * (`auth.uid()`, `current_tenant_id()`). A name is all we know without the database's state.
 */
const PREFIX = /^(is|has|can|may|check|verify|ensure|assert|require|authori[sz]e|allow|user_has|user_can|user_is)_/;
const SUFFIX = /_(authori[sz]ed|allowed|permitted|admin|admins|superuser|owner|access|permission|permissions|privilege|privileges|role|roles|member|membership|acl)$/;
const WORD = /(^|_)(admin|superuser|permission|permissions|privilege|privileges|authori[sz]ation|authori[sz]ed|rls|acl)(_|$)/;
const IDENTITY = /^(current_(user|tenant|org|organization|account|role|member)\w*|get_current_(user|tenant|org|role)\w*|uid|jwt|role)$/;

export function guardName(full: string): string | undefined {
  const parts = full.toLowerCase().split('.');
  const base = parts[parts.length - 1];
  const schema = parts.length > 1 ? parts[parts.length - 2] : '';
  if (schema === 'auth' && /^(uid|role|jwt|email)$/.test(base)) return 'an identity helper that row-level security policies call';
  if (PREFIX.test(base) || SUFFIX.test(base) || WORD.test(base)) return 'its name says it decides or grants access';
  if (IDENTITY.test(base) && base !== 'role') return 'an identity helper that access checks call';
  return undefined;
}

/** Functions that policies in this file call (CREATE/ALTER POLICY USING / WITH CHECK); gathered once per file. */
function policyFunctions(stmt: Statement): Set<string> {
  return (
    perFile(stmt, 'guard-function-replaced:policy-calls', (all) => {
      const out = new Set<string>();
      for (const s of all) {
        const p = s.pg?.CreatePolicyStmt ?? s.pg?.AlterPolicyStmt;
        if (!p) continue;
        for (const c of pgFunctionCalls({ q: p.qual ?? null, c: p.with_check ?? null })) out.add(c.name);
      }
      return out;
    }) ?? new Set()
  );
}

/** Names of the functions a statement creates with a plain CREATE FUNCTION (not OR REPLACE). */
function plainCreate(s: Statement): string[] | undefined {
  const g = s.pg?.CreateFunctionStmt;
  return g && !g.replace ? [names(g.funcname)] : undefined;
}

/** Does a branch of the new body return a constant true (every caller passes)? */
function returnsTrue(stmt: Statement, name: string): boolean {
  const all = stmt.scope?.statements ?? [];
  const i = positionOf(stmt) ?? -1;
  if (i < 0) return false;
  for (let j = i + 1; j < all.length && all[j].nested?.kind === 'function' && all[j].nested?.name === name; j++) {
    const sel = all[j].pg?.SelectStmt;
    const t = sel?.targetList;
    if (!sel || sel.fromClause || sel.whereClause || t?.length !== 1) continue;
    const c = t[0]?.ResTarget?.val?.A_Const ?? t[0]?.ResTarget?.val?.TypeCast?.arg?.A_Const;
    if (c?.boolval?.boolval === true || /^(t|true|y|yes|on|1)$/i.test(c?.sval?.sval ?? '')) return true;
  }
  return false;
}

const rule: Rule = {
  meta: {
    id: 'guard-function-replaced',
    category: 'privilege',
    severity: 'error',
    summary: 'CREATE OR REPLACE of a function that guards access (is_admin, has_permission, check_*, *_authorized, auth.uid(), functions policies call)',
    rationale:
      'Row-level security policies, SECURITY DEFINER functions and the application call helpers such as is_admin(), has_permission() or ' +
      'auth.uid() to decide who may see or change what. Replacing the body of such a function changes every check that calls it, with no ' +
      'GRANT, no ALTER POLICY and no DDL on the tables involved: `CREATE OR REPLACE FUNCTION is_admin() … SELECT true` opens everything. ' +
      'Without the database state the name (or a policy in the same file calling it) is what tells such a function apart, so every ' +
      'CREATE OR REPLACE of one is reported, naming the function.',
    fix: 'Have the new body reviewed against the old one by someone who owns the access model; keep access-check functions in a schema only administrators can change.',
    examples: {
      bad: [
        { sql: 'CREATE OR REPLACE FUNCTION public.is_admin() RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;' },
        { sql: 'CREATE OR REPLACE FUNCTION has_permission(uid int, perm text) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN true; END $$;' },
        { sql: "CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql AS $$ SELECT '00000000-0000-0000-0000-000000000000'::uuid $$;" },
        { sql: 'CREATE POLICY p ON docs USING (tenant_matches(tenant_id));\nCREATE OR REPLACE FUNCTION tenant_matches(t int) RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;' },
      ],
      good: [
        { sql: 'CREATE FUNCTION is_admin() RETURNS boolean LANGUAGE sql AS $$ SELECT false $$;' },
        { sql: 'CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$;' },
        { sql: 'CREATE FUNCTION is_admin() RETURNS boolean LANGUAGE sql AS $$ SELECT false $$;\nCREATE OR REPLACE FUNCTION is_admin() RETURNS boolean LANGUAGE sql AS $$ SELECT false $$;' },
      ],
    },
  },
  check(stmt, { report }) {
    const f = pgNode(stmt, 'CreateFunctionStmt');
    if (!f?.replace) return;
    const name = names(f.funcname);
    const policies = policyFunctions(stmt);
    const usedByPolicy = [...policies].some((p) => sameName(p, name));
    const why = usedByPolicy ? 'a row-level security policy in this file calls it' : guardName(name);
    if (!why) return;
    // Created by a plain CREATE FUNCTION earlier in this file: nothing pre-existing is replaced.
    const parts = name.split('.').length;
    if (statementsNamed(stmt, 'guard-function-replaced:plain-create', plainCreate, name, 'before').some((s) => plainCreate(s)!.some((n) => n.split('.').length === parts))) return;
    // The replay of a complete history shows nothing of that name existed: a first creation.
    const state = stateOf(stmt);
    const fx = state?.source === 'replay' && state.complete ? state.effects(stmt) : undefined;
    if (fx && fx.some((e) => e.kind === 'function' && e.change === 'created') && !fx.some((e) => e.kind === 'function' && e.change !== 'created')) return;
    const definer = (f.options ?? []).some((o: any) => o?.DefElem?.defname === 'security' && o.DefElem.arg?.Boolean?.boolval === true);
    const yes = returnsTrue(stmt, name);
    const extra = [definer ? 'it runs as its owner (SECURITY DEFINER)' : '', yes ? 'a branch of the new body returns true unconditionally' : ''].filter(Boolean);
    report({
      message: `Replaces function ${name}() (${why}): every policy and check that calls it follows the new body${extra.length ? `; ${extra.join('; ')}` : ''}${inside(stmt)}${yes ? ' (high risk)' : ''}.`,
    });
  },
  lexical: [/\bcreate\s+or\s+replace\s+function\s+[\w."]*\b(is|has|can|check)_\w+\s*\(/],
};
export default withDynamic(rule);

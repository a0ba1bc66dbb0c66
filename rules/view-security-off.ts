import { defElemFalse as isFalse, inside, nodeOffset, pgBool, pgNode, rangeVarName } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';
import { stateOf } from '../src/state/index.js';

/** View options that keep row-level security and leaky functions in check. */
const OPTIONS: Record<string, string> = {
  security_invoker: 'reads then run with the view owner’s privileges and row-level security of the owner, not the caller’s: every row the owner can see is visible to whoever may select from the view',
  security_barrier: 'conditions the caller writes are no longer kept from running before the view’s own filter: a leaky function can see the rows the view hides',
};

/**
 * Is `option` on in a replayed view's options ('security_invoker=true, security_barrier=on', or
 * 'none')? The stored value read as PostgreSQL reads a boolean (pgBool).
 */
function optionOn(list: string | undefined, option: string): boolean {
  for (const item of (list ?? '').split(', ')) {
    const eq = item.indexOf('=');
    if (eq >= 0 && item.slice(0, eq).toLowerCase() === option) return pgBool(item.slice(eq + 1)) === true;
  }
  return false;
}

const rule: Rule = {
  meta: {
    id: 'view-security-off',
    category: 'privilege',
    severity: 'error',
    summary: 'Turns off a view’s security_invoker or security_barrier (ALTER VIEW … SET (… = false) / RESET (…), CREATE OR REPLACE VIEW … WITH (… = false), or a CREATE OR REPLACE VIEW that leaves out an option the view had)',
    rationale:
      'A view with security_invoker runs its query with the caller’s privileges and row-level security; without it, with its owner’s, which ' +
      'is usually a role that sees every row. security_barrier keeps the caller’s own conditions (and the functions in them) from running ' +
      'before the view’s filter, so they cannot leak the rows it hides. Setting either to false, or resetting it, opens the rows the view ' +
      'was built to keep out, with no GRANT and no change to any policy. CREATE OR REPLACE VIEW replaces the view’s options with the ones ' +
      'it lists: re-creating the view to change its query without repeating `WITH (security_invoker = true)` turns it off just the same ' +
      '(found by replaying the history: the view had the option before the statement and not after).',
    fix: 'Keep the option on; if the view must change, re-create it with `WITH (security_invoker = true)` (PostgreSQL 15+) or security_barrier, and get the change approved.',
    examples: {
      bad: [
        { sql: 'ALTER VIEW public.profiles_v SET (security_invoker = false);' },
        { sql: 'ALTER VIEW accounts_v RESET (security_barrier);' },
        { sql: 'ALTER TABLE accounts_v SET (security_invoker = off);' },
        { sql: 'CREATE OR REPLACE VIEW accounts_v WITH (security_invoker = false) AS SELECT * FROM accounts;' },
        { sql: 'CREATE VIEW accounts_v WITH (security_invoker = on) AS SELECT 1 AS id;\nCREATE OR REPLACE VIEW accounts_v AS SELECT 1 AS id, 2 AS n;' },
      ],
      good: [
        { sql: 'ALTER VIEW public.profiles_v SET (security_invoker = true);' },
        { sql: 'ALTER VIEW accounts_v SET (security_barrier);' },
        { sql: 'CREATE VIEW accounts_v WITH (security_invoker = on) AS SELECT * FROM accounts;' },
        { sql: 'ALTER TABLE t SET (fillfactor = 70);' },
        { sql: 'CREATE VIEW accounts_v WITH (security_invoker = on) AS SELECT 1 AS id;\nCREATE OR REPLACE VIEW accounts_v WITH (security_invoker = on) AS SELECT 1 AS id, 2 AS n;' },
        { sql: 'CREATE VIEW accounts_v AS SELECT 1 AS id;\nCREATE OR REPLACE VIEW accounts_v AS SELECT 1 AS id, 2 AS n;' },
      ],
    },
  },
  kinds: ['AlterTableStmt', 'ViewStmt'],
  check(stmt, { report }) {
    const say = (view: string, option: string, what: string, location: number | undefined) =>
      report({ message: `${what}: ${OPTIONS[option]}${inside(stmt)}.`, offset: nodeOffset(stmt, location), key: `${view}:${option}` });
    const a = pgNode(stmt, 'AlterTableStmt');
    if (a) {
      const view = rangeVarName(a.relation);
      for (const c of a.cmds ?? []) {
        const cmd = c?.AlterTableCmd;
        if (cmd?.subtype !== 'AT_SetRelOptions' && cmd?.subtype !== 'AT_ResetRelOptions') continue;
        for (const item of cmd.def?.List?.items ?? []) {
          const d = item?.DefElem;
          const option = String(d?.defname ?? '').toLowerCase();
          if (!Object.prototype.hasOwnProperty.call(OPTIONS, option)) continue;
          if (cmd.subtype === 'AT_ResetRelOptions') say(view, option, `Resets ${option} on view ${view} (off by default)`, d.location);
          else if (isFalse(d.arg)) say(view, option, `Turns off ${option} on view ${view}`, d.location);
        }
      }
      return;
    }
    const v = pgNode(stmt, 'ViewStmt');
    if (!v?.replace) return; // a new view without the option is the default, not a change
    const given = new Set<string>();
    for (const item of v.options ?? []) {
      const d = item?.DefElem;
      const option = String(d?.defname ?? '').toLowerCase();
      given.add(option);
      if (Object.prototype.hasOwnProperty.call(OPTIONS, option) && isFalse(d.arg)) say(rangeVarName(v.view), option, `Re-creates view ${rangeVarName(v.view)} with ${option} off`, d.location);
    }
    // Not written at all: CREATE OR REPLACE VIEW sets the view's options to the ones it lists
    // (PostgreSQL view.c DefineVirtualRelation: AT_ReplaceRelOptions), so an option the view had is
    // dropped. Only the replay knows the view had it: its effect on the view's options says so.
    for (const e of stateOf(stmt)?.effects(stmt) ?? []) {
      if (e.change !== 'options-changed' || e.kind !== 'view') continue;
      for (const option of Object.keys(OPTIONS)) {
        if (given.has(option) || !optionOn(e.before, option) || optionOn(e.after, option)) continue;
        say(e.object, option, `Re-creates view ${e.object} without ${option}, which it had: CREATE OR REPLACE VIEW replaces a view's options with the ones it lists, so ${option} is now off`, v.view?.RangeVar?.location);
      }
    }
  },
  lexical: [/\bsecurity_(invoker|barrier)\s*=\s*'?(f|fa|fal|fals|false|n|no|of|off|0)\b/, /\breset\s*\([^)]*\bsecurity_(invoker|barrier)\b/],
};
export default withDynamic(rule);

import { inside, names, pgNode, rangeVarName, roleName } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';
import { roleNote } from '../src/sql/roles.js';

function objectName(o: any): string {
  if (!o) return '?';
  if (o.String) return o.String.sval;
  if (o.List) return names(o.List.items);
  if (o.Integer) return String(o.Integer.ival ?? 0);
  if (o.ObjectWithArgs) return `${names(o.ObjectWithArgs.objname)}()`;
  if (o.RangeVar) return rangeVarName(o);
  return '?';
}

function kind(objtype: string | undefined): string {
  return String(objtype ?? 'OBJECT_OBJECT')
    .replace(/^OBJECT_/, '')
    .replace(/_/g, ' ')
    .toLowerCase()
    .replace(/^fdw$/, 'foreign data wrapper')
    .replace(/^largeobject$/, 'large object')
    .replace(/^matview$/, 'materialized view')
    .replace(/^tsconfiguration$/, 'text search configuration')
    .replace(/^tsdictionary$/, 'text search dictionary');
}

const rule: Rule = {
  meta: {
    id: 'owner-change',
    category: 'privilege',
    severity: 'error',
    summary: 'Changes the owner of an object (ALTER … OWNER TO, REASSIGN OWNED)',
    rationale:
      'The owner of an object has every privilege on it, can grant them, can disable its row-level security, and SECURITY DEFINER ' +
      'functions and views run with their owner’s rights. Handing an object to a more privileged role (postgres, an admin role) ' +
      'widens what runs with those rights; handing it to a less trusted role gives that role full control. REASSIGN OWNED moves every object at once.',
    fix: 'Create objects as the role that should own them (SET ROLE is reported separately) and get ownership changes approved.',
    examples: {
      bad: [
        { sql: 'ALTER TABLE public.users OWNER TO app;' },
        { sql: 'ALTER FUNCTION auth.uid() OWNER TO supabase_auth_admin;' },
        { sql: 'ALTER SCHEMA billing OWNER TO postgres;' },
        { sql: 'REASSIGN OWNED BY old_app TO new_app;' },
      ],
      good: [{ sql: 'ALTER TABLE t ADD COLUMN owner_id int;' }, { sql: 'CREATE SCHEMA IF NOT EXISTS auth AUTHORIZATION supabase_admin;' }],
    },
  },
  kinds: ['AlterOwnerStmt', 'AlterTableStmt', 'ReassignOwnedStmt'],
  check(stmt, { report }) {
    const o = pgNode(stmt, 'AlterOwnerStmt');
    if (o) {
      const to = roleName(o.newowner);
      const n = roleNote(to);
      report({ message: `Changes owner of ${kind(o.objectType)} ${objectName(o.object ?? o.relation)} to ${to}${n.text}${inside(stmt)}.` });
    }
    const a = pgNode(stmt, 'AlterTableStmt');
    for (const c of a?.cmds ?? []) {
      const cmd = c?.AlterTableCmd;
      if (cmd?.subtype !== 'AT_ChangeOwner') continue;
      const to = roleName(cmd.newowner);
      report({ message: `Changes owner of ${kind(a.objtype)} ${rangeVarName(a.relation)} to ${to}${roleNote(to).text}${inside(stmt)}.` });
    }
    const r = pgNode(stmt, 'ReassignOwnedStmt');
    if (r) {
      const from = (r.roles ?? []).map(roleName).join(', ');
      report({ message: `Reassigns every object owned by ${from} (in this database) to ${roleName(r.newrole)}${inside(stmt)} (high risk).` });
    }
  },
  lexical: [/\bowner\s+to\b/, /\breassign\s+owned\b/],
};
export default withDynamic(rule);

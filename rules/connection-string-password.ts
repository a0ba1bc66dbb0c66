import { decodeBase64, extOf, findConnectionStrings, sqlLiterals, literalSpans, maskedLine, pythonLiteralSpans, secretForms, verdictNote, WHOLE_TEXT_KINDS, type ConnHit } from '../src/analyze/credentials.js';
import { joinedStrings, nodeOffset, piecesHolding } from '../src/sql/ast.js';
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
      '`%(password)s`, `{{ .Password }}`, documentation words like `user:pass`) are not reported; well-known defaults are. A connection string ' +
      'the SQL joins from constant pieces (`\'postgres://u:\' || \'p@h/db\'`, concat(…)) is read joined.',
    fix: 'Remove the password and rotate it. Use a passwordless connection (a `.pgpass` file, a user mapping set at deploy time, IAM auth) or a placeholder filled in at deploy time.',
    examples: {
      bad: [
        { sql: "SELECT dblink_connect('hostaddr=10.0.0.5 port=5432 dbname=app user=app password=Sup3r-Secret');" },
        { sql: "CREATE SUBSCRIPTION s CONNECTION 'host=db1 dbname=app user=rep password=rep-Secret-1' PUBLICATION p;" },
        { sql: "INSERT INTO settings VALUES ('replica', 'postgres://admin:' || 'Sup3r-Secret@10.0.0.5/app');" },
        { sql: "SELECT dblink_connect(concat('host=db1 user=app ', 'password=', 'Sup3r-Secret'));" },
        { sql: "-- connect with postgresql://app:Sup3r-Secret@db.prod.internal:5432/app\nSELECT 1;" },
        { sql: "INSERT INTO jobs(target) VALUES ('mysql://root:r00t-pw@10.0.0.7/shop');" },
        { sql: "INSERT INTO cfg(v) VALUES ('jdbc:postgresql://db/app?user=app&password=Sup3r-Secret');" },
        { sql: "INSERT INTO cfg(v) VALUES ('Server=db;Database=app;User Id=sa;Password=Sup3r-Secret;');" },
        { sql: 'db = create_engine("postgresql://app:Sup3r-Secret@db/app")\n', path: 'scripts/seed.py' },
        { sql: "SELECT dblink_connect('postgresql://app:p#ss/w?rd@db.prod/app');" },
        { sql: "SELECT dblink_connect('postgresql://app:p@ss@db.prod/app');" },
        { sql: "SELECT dblink_connect('mysql://app:it''s-Secret@db.prod/app');" },
        { sql: "SELECT dblink_connect('host=db.prod dbname=app user=app password=''a b#c''');" },
        { sql: "INSERT INTO cfg(v) VALUES ('cG9zdGdyZXNxbDovL2FwcDpTdXAzci1TZWNyZXRAZGIucHJvZC9hcHA=');" },
      ],
      good: [
        { sql: '-- sqlalchemy.url = driver://user:pass@localhost/dbname\nSELECT 1;' },
        { sql: "SELECT dblink_connect('host=db dbname=app user=app password=${DB_PASSWORD}');" },
        { sql: "SELECT dblink_connect('host=db dbname=app user=app');" },
        { sql: "INSERT INTO cfg(v) VALUES ('postgresql://db.prod:5432/app?sslmode=require');" },
        { sql: "INSERT INTO cfg(v) VALUES ('aGVsbG8gd29ybGQgdGhpcyBpcyBqdXN0IGRhdGE=');" },
        { sql: "-- postgresql://app:<password>@db/app\nSELECT 1;" },
        { sql: "UPDATE users SET password=crypt('x', gen_salt('bf')) WHERE user_id=1;" },
        { sql: "SELECT * FROM t WHERE password=v_pw AND user=v_user;" },
      ],
    },
  },
  // A connection string split into constant pieces the SQL joins back (`'postgres://admin:' || 'pw@h/db'`):
  // the joined value carries the password.
  check(stmt, { report }) {
    joinedStrings(stmt).forEach(({ value, pieces, location }, i) => {
      if (!value.includes('://') && !/(passw(or)?d|pwd)\s*=/i.test(value)) return;
      for (const h of findConnectionStrings(value, { literal: true })) {
        const whole = value.slice(h.spanStart, Math.max(h.spanEnd, h.end));
        if (pieces.some((p) => p.includes(whole))) continue; // one literal holds it: the text scan reports it
        report({
          message: connMessage(h, ', split across joined string literals'),
          secrets: [...secretForms(h.value, h.raw), ...piecesHolding(h.value, pieces)],
          key: `joined:${i}`,
          offset: location === undefined ? undefined : nodeOffset(stmt, location),
        });
      }
    });
  },
  scanText(unit, { report }) {
    let b64n = 0;
    // Base64-encoded connection strings: decoded, they carry the same password.
    for (const t of sqlLiterals(unit.text, unit.dialect)) {
      if (t.type !== 'string' || t.value.length < 24 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(t.value)) continue;
      const decoded = decodeBase64(t.value);
      if (!decoded) continue;
      for (const h of findConnectionStrings(decoded)) {
        const at = t.innerStart ?? t.start;
        report({
          message: connMessage(h, ', base64-encoded'),
          secrets: [...secretForms(h.value, h.raw), t.value],
          key: `b64:${b64n++}`,
          unitOffset: at,
          unitEnd: t.innerEnd ?? t.end,
          snippet: maskedLine(unit.text, at, [{ start: at, end: t.innerEnd ?? t.end }]),
          down: false,
        });
      }
    }
    // key=value strings only inside literals and comments: `WHERE password=x AND user=y` is SQL, not a connection string.
    const kv = /(passw(or)?d|pwd)=/i.test(unit.text);
    if (!kv && !unit.text.includes('://')) return;
    const hits = findConnectionStrings(unit.text, { kvInSpans: kv ? literalSpans(unit.text, unit.dialect) : [] });
    hits.forEach((h, i) => reportHit(h, unit.text, report, 'unit', i));
    // String literals read as the server reads them (`''` is a quote, E'\\…' escapes): a password
    // holding a quote ends the raw-text URL early; the decoded value has it whole.
    let n = hits.length;
    for (const t of sqlLiterals(unit.text, unit.dialect)) {
      if (t.type !== 'string' || t.value === unit.text.slice(t.innerStart ?? t.start, t.innerEnd ?? t.end)) continue;
      if (!t.value.includes('://') && !/(passw(or)?d|pwd)\s*=/i.test(t.value)) continue;
      for (const h of findConnectionStrings(t.value, { literal: true })) {
        const at = t.innerStart ?? t.start;
        if (hits.some((x) => x.start >= t.start && x.end <= t.end && (h.value.startsWith(x.value) || x.value === h.value))) {
          if (hits.some((x) => x.value === h.value)) continue;
        }
        reportHit({ ...h, start: at, end: t.innerEnd ?? t.end }, unit.text, report, 'unit', n++);
      }
    }
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

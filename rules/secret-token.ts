import {
  commentSpans,
  extOf,
  findConnectionStrings,
  findSqlPasswords,
  findTokens,
  maskedLine,
  secretForms,
  WHOLE_TEXT_KINDS,
  type TokenHit,
} from '../src/analyze/credentials.js';
import { joinedStrings, nodeOffset, piecesHolding } from '../src/sql/ast.js';
import type { Report, Rule } from '../src/types.js';

export function tokenMessage(h: TokenHit): string {
  if (h.publicByDesign) {
    return `${h.label} in the text: a key that is public by design (e.g. a Supabase anon key) — check that it is not a privileged key and that it is meant to be committed.`;
  }
  return `Hardcoded ${h.label}: it is committed to the repository for good; revoke and rotate it, and read it from a secret store at run time.`;
}

/** Token hits that another credential rule already reports (same secret at the same place). */
function overlapsOther(h: TokenHit, others: Array<{ start: number; end: number }>): boolean {
  return others.some((o) => h.start < o.end && h.end > o.start);
}

function toReport(h: TokenHit, text: string, i: number): Report {
  return {
    message: tokenMessage(h),
    severity: h.publicByDesign ? 'warning' : undefined,
    secrets: [...secretForms(h.value), ...(h.lines ?? [])],
    key: `token:${i}`,
    snippet: maskedLine(text, h.start, [{ start: h.start, end: h.end }]),
    down: false,
  };
}

const AWS_KEY = ['AKIA', 'Z7QW', 'ERTY', 'UIOP', 'ASDF'].join('');
const GH_TOKEN = 'ghp_' + 'R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s0nly'.slice(0, 36);

const PEM = ['-----BEGIN RSA ' + 'PRIVATE KEY-----', 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmwIDAQABAoIBAQCW', '-----END RSA ' + 'PRIVATE KEY-----'];
const WHSEC = 'whsec_' + 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const rule: Rule = {
  meta: {
    id: 'secret-token',
    category: 'credential',
    severity: 'error',
    summary: 'Well-known secret token format anywhere in the text: AWS keys, GitHub/GitLab/Slack/Stripe tokens, private keys, JWTs, …',
    rationale:
      'Tokens pasted into a migration (a webhook URL in a seed row, an API key in a function, an AWS key in a COPY … CREDENTIALS) are ' +
      'committed to the repository for good. Detected with secretlint’s maintained rules plus JSON Web Tokens and Google API keys, in ' +
      'string literals and comments alike, and in the value SQL joins from constant pieces (`\'ghp_…\' || \'…\'`, concat(…)). Reported in down migrations as well.',
    fix: 'Revoke and rotate the token, remove it from the migration, and have the code read it from a secret store at run time.',
    examples: {
      bad: [
        { sql: `COPY t FROM 's3://bucket/x' ACCESS_KEY_ID '${AWS_KEY}' SECRET_ACCESS_KEY 'x';`, dialect: 'redshift' },
        { sql: `INSERT INTO integrations(token) VALUES ('${GH_TOKEN}');` },
        { sql: `INSERT INTO integrations(token) VALUES ('${GH_TOKEN.slice(0, 12)}' || '${GH_TOKEN.slice(12)}');` },
        { sql: `INSERT INTO integrations(token) VALUES (concat('${GH_TOKEN.slice(0, 20)}', '${GH_TOKEN.slice(20)}'))`, dialect: 'mysql' },
        { sql: `-- old key: ${AWS_KEY}\nSELECT 1;` },
        {
          sql:
            "INSERT INTO hooks(auth) VALUES ('Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIiwiaXNzIjoic3VwYWJhc2UifQ.abcdefghijklmnopqrstuvwxyz012345');",
        },
        { sql: PEM.map((l) => `-- ${l}`).join('\n') + '\nSELECT 1;' },
        { sql: `CREATE TABLE hooks (id int, signing_key text DEFAULT '${WHSEC}');` },
        { sql: 'from alembic import op\nrevision = "1"\ndown_revision = None\n' + PEM.map((l) => `# ${l}`).join('\n') + '\ndef upgrade():\n    pass\n', path: 'migrations/versions/1_x.py' },
      ],
      good: [
        { sql: "INSERT INTO integrations(token) VALUES ('${GITHUB_TOKEN}');" },
        { sql: "-- -----BEGIN PRIVATE KEY----- goes in the vault, not here\nSELECT 1;" },
        { sql: "INSERT INTO settings(name, value) VALUES ('aws_region', 'us-east-1');" },
        { sql: "INSERT INTO settings(name, value) VALUES ('greeting', 'hello ' || 'world' || concat('a', 'b'));" },
        { sql: "-- example key: AKIAIOSFODNN7EXAMPLE\nSELECT 1;" },
      ],
    },
  },
  // A token split into pieces the SQL joins back (`'ghp_…' || '…'`, concat('AKIA', '…')): the pieces
  // are scanned above one by one and none is a token; the joined value is.
  check(stmt, { report }) {
    joinedStrings(stmt).forEach(({ value, pieces, location }, i) => {
      for (const h of findTokens(value)) {
        if (pieces.some((p) => p.includes(h.value))) continue; // one literal holds it: the text scan reports it
        report({
          message: `${tokenMessage(h).replace(/:/, ', split across joined string literals:')}`,
          severity: h.publicByDesign ? 'warning' : undefined,
          secrets: [...secretForms(h.value), ...piecesHolding(h.value, pieces)],
          key: `token-joined:${i}`,
          offset: location === undefined ? undefined : nodeOffset(stmt, location),
        });
      }
    });
  },
  scanText(unit, { report }) {
    const hits = findTokens(unit.text);
    if (!hits.length) return;
    // Passwords in CREATE ROLE …, connection strings: reported by their own rules, not twice.
    const others = [
      ...findConnectionStrings(unit.text).map((h) => ({ start: h.start, end: h.end })),
      ...findSqlPasswords(unit.text, unit.dialect, { bodies: true }),
      ...commentSpans(unit.text, unit.dialect).flatMap((c) =>
        findSqlPasswords(unit.text.slice(c.start, c.end).replace(/^(--|#|\/\*)/, (m) => ' '.repeat(m.length)), unit.dialect, { anywhere: true, ctx: 'doc' }).map((h) => ({
          start: h.start + c.start,
          end: h.end + c.start,
        })),
      ),
    ];
    hits.forEach((h, i) => {
      if (overlapsOther(h, others)) return;
      report({ ...toReport(h, unit.text, i), unitOffset: h.start, unitEnd: h.end });
    });
  },
  checkFile(ex, { report }) {
    // Non-SQL files (Python migrations, files of unknown kind); config files are the config-credential rule's.
    if (!WHOLE_TEXT_KINDS.has(ex.kind)) return;
    const others = findConnectionStrings(ex.text).map((h) => ({ start: h.start, end: h.end }));
    findTokens(ex.text, extOf(ex.path)).forEach((h, i) => {
      if (overlapsOther(h, others) || ex.units.some((u) => u.text.includes(h.value))) return;
      const p = ex.lines.pos(h.start);
      report({ ...toReport(h, ex.text, i), line: p.line, column: p.column });
    });
  },
};
export default rule;

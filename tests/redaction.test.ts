// Secrets never reach the output: the same inputs go through every report format (json, sarif,
// text, markdown) and the built CLI, and no secret — nor a cut piece of one — appears anywhere.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maskSecret, redact } from '../src/analyze/index.js';
import { run } from '../src/engine.js';
import { toJson } from '../src/report/json.js';
import { escapeMd, toMarkdown } from '../src/report/markdown.js';
import { toSarif } from '../src/report/sarif.js';
import { toText } from '../src/report/text.js';
import type { Result, SourceFile } from '../src/types.js';

// Letters and digits only, so no output format can escape them into another spelling.
const S = {
  role: 'RoleSecretKq7Zw',
  parse: 'ParseSecretHv3Jx', // quoted by the parser's error message
  mysql: 'MysqlSecretPd8Ry',
  conn: 'ConnSecretWm2Tb',
  comment: 'CommentSecretGx5Nf',
  env: 'EnvSecretZc9Lq',
  yaml: 'YamlSecretBn4Vk',
  long: 'LongLineSecretYt6Ms',
  nested: 'NestedSecretFr1Dh',
  token: ['ghp', '_', 'Zq8XvN3kLm2Rt7Yp4Wc9Bd6Hs1Jf5Ga0Ue3K'].join(''),
};

const FILES: SourceFile[] = [
  {
    path: 'migrations/001_roles.sql',
    content:
      `CREATE ROLE app LOGIN SUPERUSER PASSWORD '${S.role}';\n` +
      `-- ALTER ROLE app PASSWORD '${S.comment}';\n` +
      `DROP TABLE old_${S.role}_copy;\n` + // the secret inside an identifier of another finding
      `SELECT dblink_connect('host=db dbname=app user=app password=${S.conn}');\n` +
      `DO $$ BEGIN EXECUTE 'ALTER ROLE app PASSWORD ''${S.nested}'''; END $$;\n` +
      `INSERT INTO integrations(token) VALUES ('${S.token}');\n`,
  },
  // libpg-query quotes the offending token: `syntax error at or near "ParseSecretHv3Jx"`.
  { path: 'migrations/002_bad.sql', content: `CREATE USER bob PASSWORD ${S.parse};\n` },
  { path: 'migrations/mysql/003_user.sql', content: `CREATE USER 'app'@'%' IDENTIFIED BY '${S.mysql}';\n`, dialectHint: 'mysql' },
  // The password straddles the snippet cut (160 characters) of the role-attributes finding.
  { path: 'migrations/004_long.sql', content: `CREATE ROLE ${'x'.repeat(120)} LOGIN SUPERUSER CREATEDB PASSWORD '${S.long}';\n` },
  { path: '.env', content: `DATABASE_URL=postgres://app:${S.env}@db/app\n` },
  { path: 'config/database.yml', content: `production:\n  password: ${S.yaml}\n` },
];

function outputs(r: Result): Record<string, string> {
  return { json: toJson(r), sarif: toSarif(r), text: toText(r, false), textColor: toText(r, true), markdown: toMarkdown(r) };
}

/** The secret, and its first/last 6 characters (a cut piece), appear in none of the outputs. */
function expectNowhere(outs: Record<string, string>, secret: string) {
  for (const [fmt, out] of Object.entries(outs)) {
    for (const form of [secret, escapeMd(secret), secret.slice(0, 6), secret.slice(-6)]) {
      expect(out.includes(form), `${fmt} contains ${JSON.stringify(form)} of a secret`).toBe(false);
    }
  }
}

describe('redaction across every output format', () => {
  it('no secret in json, sarif, text or markdown', async () => {
    const r = await run(FILES);
    const outs = outputs(r);
    for (const s of Object.values(S)) expectNowhere(outs, s);
    // Not vacuous: every secret was found (a credential finding per file), and masks are shown.
    const cred = r.findings.filter((f) => f.category === 'credential');
    expect(new Set(cred.map((f) => f.path))).toEqual(new Set(FILES.map((f) => f.path)));
    expect(cred.length).toBeGreaterThanOrEqual(10);
    expect(outs.json).toContain(maskSecret(S.role));
    expect(outs.text).toContain(maskSecret(S.yaml));
  });

  it('the parse error that quotes the secret is kept, redacted', async () => {
    const r = await run([FILES[1]]);
    const pe = r.findings.find((f) => f.ruleId === 'parse-error');
    expect(pe?.message).toBe(`Statement could not be parsed (syntax error at or near "${maskSecret(S.parse)}"); it could not be verified.`);
  });

  it('secrets are redacted from findings of other rules too (snippets, identifiers)', async () => {
    const r = await run([FILES[0]]);
    const drop = r.findings.find((f) => f.ruleId === 'drop-table');
    expect(drop?.snippet ?? drop?.message).toContain(maskSecret(S.role));
    const other = r.findings.filter((f) => f.category !== 'credential');
    expect(other.length).toBeGreaterThan(0);
    expect(JSON.stringify(other)).not.toContain(S.role);
  });

  it('a rule switched off by config still has its secrets redacted', async () => {
    const r = await run([FILES[0]], { config: { rules: { 'hardcoded-password': 'off' } } });
    expect(r.findings.map((f) => f.ruleId)).not.toContain('hardcoded-password');
    expectNowhere(outputs(r), S.role);
  });
});

// Secrets in the places issue 9 lists: URL passwords with URL syntax in them, settings and data,
// format() arguments, base64, commented-out private keys, compose files, Python constants.
const S2 = {
  url: 'UrlSec#9/x?y@z',
  quote: "Quo'teSecretHy7",
  jwt: 'JwtSecretQw3Er7Ty',
  smtp: 'SmtpSecretAs4Df',
  fmt: 'FormatSecretZx5Cv',
  b64conn: 'B64SecretMn6Bv',
  compose: 'ComposeSecretLk8Jh',
  py: 'PySecretPo9Iu',
  bulk: 'BulkSecretYt5Re',
};
const PEM_BODY = 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmwIDAQABAoIBAQCW';
const FILES2: SourceFile[] = [
  {
    path: 'migrations/010_data.sql',
    content:
      `SELECT dblink_connect('postgresql://app:${S2.url}@db.prod/app');\n` +
      `SELECT dblink_connect('mysql://app:${S2.quote.replace(/'/g, "''")}@db.prod/app');\n` +
      `ALTER DATABASE postgres SET app.jwt_secret = '${S2.jwt}';\n` +
      `INSERT INTO settings (name, value) VALUES ('smtp_password', '${S2.smtp}');\n` +
      `DO $$ BEGIN EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', 'app', '${S2.fmt}'); END $$;\n` +
      `INSERT INTO cfg(v) VALUES ('${Buffer.from(`postgresql://app:${S2.b64conn}@db/app`).toString('base64')}');\n` +
      ['-----BEGIN RSA ' + 'PRIVATE KEY-----', PEM_BODY, '-----END RSA ' + 'PRIVATE KEY-----'].map((l) => `-- ${l}`).join('\n') +
      '\nSELECT 1;\n',
  },
  { path: 'docker-compose.yml', content: `services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${S2.compose}\n` },
  {
    path: 'migrations/versions/1a_seed.py',
    content:
      'from alembic import op\nimport sqlalchemy as sa\nrevision = "1a"\ndown_revision = None\n' +
      `ADMIN_PASSWORD = "${S2.py}"\nusers = sa.table("users", sa.column("email"), sa.column("password"))\n\n` +
      `def upgrade():\n    op.bulk_insert(users, [{"email": "a@b.c", "password": "${S2.bulk}"}])\n\ndef downgrade():\n    pass\n`,
  },
];

describe('redaction of the credential classes of issue 9', () => {
  it('no secret in any output format, and every one was found', async () => {
    const r = await run(FILES2);
    const outs = outputs(r);
    for (const s of Object.values(S2)) expectNowhere(outs, s);
    expectNowhere(outs, PEM_BODY.slice(0, 40));
    const cred = r.findings.filter((f) => f.category === 'credential');
    expect(new Set(cred.map((f) => f.path))).toEqual(new Set(FILES2.map((f) => f.path)));
    const sql = cred.filter((f) => f.path === 'migrations/010_data.sql');
    for (const line of [1, 2, 3, 4, 5, 6, 7]) expect(sql.some((f) => f.line === line), `a credential finding on line ${line}`).toBe(true);
    expect(cred.filter((f) => f.path.endsWith('.py')).length).toBeGreaterThanOrEqual(2);
  });
});

describe('redact()', () => {
  it('masks whole secrets, longest first', () => {
    expect(redact('a abcdef1234 b abcdef', ['abcdef', 'abcdef1234'])).toBe(`a ${maskSecret('abcdef1234')} b ${maskSecret('abcdef')}`);
  });
  it('masks a cut piece at the end or start of a truncated text', () => {
    expect(redact("PASSWORD 'Sup3rSecr…", ['Sup3rSecret99'])).toBe(`PASSWORD '${maskSecret('Sup3rSecret99')}…`);
    expect(redact("…ecret99' LOGIN", ['Sup3rSecret99'])).toBe(`…${maskSecret('Sup3rSecret99')}' LOGIN`);
    expect(redact("x = 'Sup3rS", ['Sup3rSecret99'])).toBe(`x = '${maskSecret('Sup3rSecret99')}`);
  });
  it('short secrets only where quoted or in a URL', () => {
    expect(redact("PASSWORD 'ab' and a cab", ['ab'])).toBe(`PASSWORD '${maskSecret('ab')}' and a cab`);
    expect(redact('postgres://u:ab@h', ['ab'])).toBe(`postgres://u:${maskSecret('ab')}@h`);
  });
  it('plain-word secrets are masked as words, not inside longer words', () => {
    expect(redact('postgresql dialect, password postgres', ['postgres'])).toBe(`postgresql dialect, password ${maskSecret('postgres')}`);
  });
  it('maskSecret never shows more than two characters', () => {
    expect(maskSecret('abcdefgh')).toBe('ab…(8 chars)');
    expect(maskSecret('abcdefg')).toBe('…(7 chars)');
  });
});

describe('the built CLI', () => {
  it('prints no secret on stdout or stderr (node dist/cli/index.js check --format json)', () => {
    const cli = join(process.cwd(), 'dist', 'cli', 'index.js');
    expect(existsSync(cli), 'dist/cli/index.js is missing: run `npm run build` first').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'mg-redaction-'));
    try {
      const file = join(dir, '001_roles.sql');
      writeFileSync(file, `${FILES[0].content as string}${FILES[1].content as string}`);
      for (const format of ['json', 'text', 'sarif', 'markdown']) {
        const p = spawnSync(process.execPath, [cli, 'check', '--format', format, file], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        expect(p.status, p.stderr).toBe(1); // gating findings
        const outs = { stdout: p.stdout, stderr: p.stderr };
        for (const s of [S.role, S.comment, S.conn, S.nested, S.token, S.parse]) expectNowhere(outs, s);
        if (format === 'json') {
          const r = JSON.parse(p.stdout) as Result;
          expect(r.findings.some((f) => f.ruleId === 'hardcoded-password')).toBe(true);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fingerprints', () => {
  it('do not depend on the secret (a weak password cannot be recovered by hashing guesses)', async () => {
    const a = await run([{ path: 'm/1.sql', content: "CREATE ROLE app LOGIN PASSWORD 'Guessable1';" }]);
    const fp = (r: Result) => r.findings.filter((f) => f.ruleId === 'hardcoded-password').map((f) => f.fingerprint);
    expect(fp(a)).toHaveLength(1);
    // Another secret of the same length and first two characters (the same mask): same fingerprint.
    const c = await run([{ path: 'm/1.sql', content: "CREATE ROLE app LOGIN PASSWORD 'Guessable2';" }]);
    expect(fp(c)).toEqual(fp(a));
  });
});

describe('a secret one file reports', () => {
  it('is masked in every other file of the run, where no rule flags it', async () => {
    const secret = 'CrossFileSecretQp4Tz';
    const files: SourceFile[] = [
      { path: 'm/0001_role.sql', content: `CREATE ROLE app LOGIN PASSWORD '${secret}';\n` },
      // A finding (update-without-where) whose snippet quotes the literal; no credential rule flags it here.
      { path: 'm/0002_note.sql', content: `UPDATE users SET note = '${secret}';\n` },
    ];
    const r = await run(files, { replay: false });
    expect(r.findings.some((f) => f.path === 'm/0002_note.sql' && f.ruleId === 'update-without-where')).toBe(true);
    for (const out of [toJson(r), toSarif(r), toText(r, false), toMarkdown(r)]) expect(JSON.stringify(out)).not.toContain(secret.slice(2, -2));
  });
});

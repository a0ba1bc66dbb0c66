// Credential rules on SQL: hardcoded-password, connection-string-password, secret-token.
// Every test that finds a secret also checks that the secret is nowhere in the findings.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyValue, commentSpans, findConnectionStrings, findSqlPasswords, findTokens, sqlLiterals, sqlTokens } from '../src/analyze/credentials.js';
import type { Dialect, Finding } from '../src/types.js';
import { check } from './helpers.js';

const CRED = new Set(['hardcoded-password', 'connection-string-password', 'secret-token']);

async function cred(sql: string, opts: { dialect?: Dialect; path?: string } = {}): Promise<Finding[]> {
  const r = await check(sql, opts);
  return r.findings.filter((f) => CRED.has(f.ruleId));
}

/** The secret appears in no field of any finding of the run. */
async function expectHidden(sql: string, secret: string, opts: { dialect?: Dialect; path?: string } = {}) {
  const r = await check(sql, opts);
  expect(JSON.stringify(r)).not.toContain(secret);
  return r;
}

// Token-shaped test values are assembled at run time so this file itself holds no token.
const AWS_KEY_ID = ['AKIA', 'QX7Z', 'M2RT', 'K9PL', 'W4NB'].join('');
const GH_TOKEN = ['ghp', '_', 'Zq8XvN3kLm2Rt7Yp4Wc9Bd6Hs1Jf5Ga0Ue3K'].join('');
const SLACK = ['xoxb', '-', '123456789012-1234567890123-', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('');
const STRIPE = ['sk', '_live_', '51HqLyjWDarjtT1zdp7dcAbCd'].join('');
const JWT = [
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  Buffer.from(JSON.stringify({ role: 'service_role', iss: 'supabase', exp: 1999999999 })).toString('base64url'),
  'Sx1v8hT4nQ9mZ2kW7pL3rB6yF0cJ5dG8aE1uH4iK7oM',
].join('.');
const ANON_JWT = [
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  Buffer.from(JSON.stringify({ role: 'anon', iss: 'supabase' })).toString('base64url'),
  'Qw3eR5tY7uI9oP1aS3dF5gH7jK9lZ1xC3vB5nM7qW9e',
].join('.');

describe('hardcoded-password: PostgreSQL', () => {
  it('CREATE ROLE … PASSWORD: one error at the literal, secret hidden', async () => {
    const sql = "CREATE TABLE t (id int);\nCREATE ROLE app WITH LOGIN PASSWORD 'Tr0ub4dor&3x';\n";
    const f = await cred(sql);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'hardcoded-password', category: 'credential', severity: 'error', gating: true, line: 2, column: 37 });
    expect(f[0].message).toContain('CREATE ROLE app');
    expect(f[0].snippet).toContain("PASSWORD 'Tr…(12 chars)'");
    await expectHidden(sql, 'Tr0ub4dor&3x');
  });

  it('ENCRYPTED PASSWORD md5… and SCRAM hashes are credentials, and say so', async () => {
    for (const h of ['md5a3556571e93b0d20722ba62be61e8c2d', 'SCRAM-SHA-256$4096:c2FsdHNhbHQ=$c3RvcmVka2V5c3RvcmVka2V5:c2VydmVya2V5c2VydmVya2V5']) {
      const sql = `ALTER USER app ENCRYPTED PASSWORD '${h}';`;
      const f = await cred(sql);
      expect(f.map((x) => x.ruleId)).toEqual(['hardcoded-password']);
      expect(f[0].message).toMatch(/password hash/);
      await expectHidden(sql, h);
    }
  });

  it('placeholders and PASSWORD NULL are clean', async () => {
    for (const sql of [
      'CREATE ROLE app LOGIN PASSWORD NULL;',
      "ALTER ROLE app PASSWORD :'pw';",
      'ALTER ROLE app PASSWORD :pw;',
      "CREATE ROLE app LOGIN PASSWORD '${APP_PASSWORD}';",
      "CREATE ROLE app LOGIN PASSWORD '{{ .Password }}';",
      "CREATE ROLE app LOGIN PASSWORD '<password>';",
      "CREATE ROLE app LOGIN PASSWORD '%(password)s';",
      "CREATE ROLE app LOGIN PASSWORD 'xxxxxxxx';",
      "CREATE ROLE app LOGIN PASSWORD '';",
    ]) {
      expect(await cred(sql), sql).toEqual([]);
    }
  });

  it('a well-known default is still reported, with a note', async () => {
    const f = await cred("CREATE ROLE app LOGIN PASSWORD 'changeme';");
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('error');
    expect(f[0].message).toMatch(/well-known default/);
  });

  it('clean negatives: password columns, settings rows, comments on columns', async () => {
    for (const sql of [
      'CREATE TABLE users (id int, password_hash text NOT NULL, password text);',
      "INSERT INTO settings(name) VALUES ('password_min_length');",
      "COMMENT ON COLUMN users.password IS 'bcrypt hash';",
      'ALTER TABLE users RENAME COLUMN password TO access_secret;',
      "UPDATE harbor_user SET password_version = 'sha1';",
      "SELECT * FROM users WHERE password = crypt('x', password);",
      "DELETE FROM identity_credential_types WHERE name = 'password' OR name = 'oidc';",
    ]) {
      expect(await cred(sql), sql).toEqual([]);
    }
  });

  it('user mappings and foreign servers: OPTIONS (password …), user is not a secret', async () => {
    const sql = "CREATE USER MAPPING FOR app SERVER remote OPTIONS (user 'bob', password 'b0bs-pw-2024');\nALTER SERVER remote OPTIONS (ADD password 'srv-pw-77x');";
    const f = await cred(sql);
    expect(f.map((x) => [x.ruleId, x.line])).toEqual([
      ['hardcoded-password', 1],
      ['hardcoded-password', 2],
    ]);
    expect(f[0].message).toContain('USER MAPPING for app on server remote');
    const r = await expectHidden(sql, 'b0bs-pw-2024');
    expect(JSON.stringify(r)).not.toContain('srv-pw-77x');
    expect(JSON.stringify(r)).toContain('bob'); // the user name is not redacted
  });

  it('inside DO blocks and function bodies, including EXECUTE of a literal', async () => {
    const f1 = await cred("DO $$ BEGIN\n  CREATE ROLE app LOGIN PASSWORD 'd0-block-pw';\nEND $$;");
    expect(f1.map((x) => [x.ruleId, x.line])).toEqual([['hardcoded-password', 2]]);
    expect(f1[0].message).toMatch(/DO block/);
    const sql = "DO $$ BEGIN EXECUTE 'ALTER ROLE app PASSWORD ''ex3cute-pw'''; END $$;";
    const f2 = await cred(sql);
    expect(f2.map((x) => x.ruleId)).toEqual(['hardcoded-password']);
    await expectHidden(sql, 'ex3cute-pw');
  });

  it('a commented-out password is reported once (not again by the statement)', async () => {
    const sql = "-- ALTER ROLE app PASSWORD 'old-Secret-9';\nCREATE TABLE t (id int); /* CREATE USER x PASSWORD 'other-Secret-8' */";
    const f = await cred(sql);
    expect(f.map((x) => [x.ruleId, x.line, x.column])).toEqual([
      ['hardcoded-password', 1, 28],
      ['hardcoded-password', 2, 52],
    ]);
    await expectHidden(sql, 'old-Secret-9');
  });

  it('an unquoted password in invalid SQL is found, and redacted from the parse error', async () => {
    const sql = 'CREATE USER bob PASSWORD hunter2xyz;';
    const r = await expectHidden(sql, 'hunter2xyz');
    const pe = r.findings.find((f) => f.ruleId === 'parse-error');
    expect(pe?.message).toContain('hu…(10 chars)');
    expect(r.findings.filter((f) => f.ruleId === 'hardcoded-password')).toHaveLength(1);
  });

  it('a password in a statement that does not parse is still found', async () => {
    const sql = "CREATE ROLE app LOGIN PASSWORD 'n0t-parsed-pw' BOGUS_OPTION;";
    const r = await expectHidden(sql, 'n0t-parsed-pw');
    expect(r.findings.map((f) => f.ruleId)).toContain('parse-error');
    expect(r.findings.map((f) => f.ruleId)).toContain('hardcoded-password');
  });

  it('down migrations: still gating (the secret is committed either way)', async () => {
    const f = await cred("ALTER ROLE app PASSWORD 'd0wn-Secret-1';", { path: 'migrations/0002_x.down.sql' });
    expect(f).toHaveLength(1);
    expect(f[0].gating).toBe(true);
    expect(f[0].down).toBeUndefined();
  });

  it('an unterminated literal after PASSWORD does not leak through the parse error', async () => {
    const sql = "CREATE ROLE app PASSWORD 'unterminated-Secret-5";
    const r = await check(sql);
    expect(JSON.stringify(r)).not.toContain('unterminated-Secret-5');
    expect(r.findings.map((f) => f.ruleId)).toContain('hardcoded-password');
  });
});

describe('hardcoded-password: MySQL and others', () => {
  const my = { dialect: 'mysql' as const };
  it.each([
    ["CREATE USER 'app'@'%' IDENTIFIED BY 'My-Secret-01';", 'My-Secret-01'],
    ["CREATE USER IF NOT EXISTS app IDENTIFIED WITH mysql_native_password BY 'My-Secret-02';", 'My-Secret-02'],
    ["ALTER USER 'app'@'localhost' IDENTIFIED BY 'My-Secret-03';", 'My-Secret-03'],
    ["SET PASSWORD FOR 'app'@'%' = 'My-Secret-04';", 'My-Secret-04'],
    ["SET PASSWORD = PASSWORD('My-Secret-05');", 'My-Secret-05'],
    ["GRANT ALL ON db.* TO 'app'@'%' IDENTIFIED BY 'My-Secret-06';", 'My-Secret-06'],
    ["CREATE USER app IDENTIFIED BY \"My-Secret-07\";", 'My-Secret-07'],
    ["CREATE USER 'app'@'%' IDENTIFIED BY 'it\\'s-Secret-08';", "it's-Secret-08"],
    ["CHANGE REPLICATION SOURCE TO SOURCE_HOST='db1', SOURCE_USER='rep', SOURCE_PASSWORD='My-Secret-09';", 'My-Secret-09'],
  ])('%s', async (sql, secret) => {
    const f = await cred(sql, my);
    expect(f.map((x) => x.ruleId)).toEqual(['hardcoded-password']);
    expect(f[0].gating).toBe(true);
    await expectHidden(sql, secret, my);
  });

  it('password options that are not passwords', async () => {
    for (const sql of [
      'ALTER USER app PASSWORD EXPIRE INTERVAL 90 DAY;',
      'CREATE USER app IDENTIFIED WITH auth_socket;',
      'ALTER USER app PASSWORD HISTORY 5 PASSWORD REUSE INTERVAL 365 DAY;',
      'CREATE TABLE user (id int, password varchar(60));',
      "UPDATE user SET password_last_changed = NOW() WHERE user = 'x';",
    ]) {
      expect(await cred(sql, my), sql).toEqual([]);
    }
  });

  it('T-SQL CREATE LOGIN … WITH PASSWORD, Oracle-style IDENTIFIED BY bareword', async () => {
    const f = await cred("CREATE LOGIN app WITH PASSWORD = 'Ts-Secret-01', CHECK_POLICY = OFF;", { dialect: 'transactsql' });
    expect(f.map((x) => x.ruleId)).toEqual(['hardcoded-password']);
    const g = await cred('CREATE USER scott IDENTIFIED BY tiger99;', { dialect: 'mysql' });
    expect(g.map((x) => x.ruleId)).toEqual(['hardcoded-password']);
  });

  it('a procedure body: CREATE USER after BEGIN', async () => {
    const f = findSqlPasswords("CREATE PROCEDURE p() BEGIN CREATE USER 'a'@'%' IDENTIFIED BY 'Pr0c-pw'; END", 'mysql');
    expect(f.map((h) => h.value)).toEqual(['Pr0c-pw']);
  });
});

describe('hardcoded-password: seeded accounts (warning)', () => {
  it('INSERT of a bcrypt hash into a password column', async () => {
    const hash = '$2b$10$BUli0c.muyCW1ErNJc3jL.vFRFtFJWrT8/GcR4A.sUdCznaXiqFXa';
    const sql = `INSERT INTO "user" (user_id, username, password) VALUES ('41e2', 'admin', '${hash}');`;
    const f = await cred(sql);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', gating: false });
    expect(f[0].message).toMatch(/password hash into user\.password/);
    await expectHidden(sql, hash);
  });
  it("crypt('plain', gen_salt('bf')) and MySQL INSERT", async () => {
    const f = await cred("UPDATE auth.users SET encrypted_password = crypt('S33d-pw-1', gen_salt('bf'));");
    expect(f[0].message).toMatch(/plain-text password \(hashed by crypt/);
    const g = await cred("INSERT INTO users (id, password) VALUES (1, 'S33d-pw-2');", { dialect: 'mysql' });
    // Plain text stored in a password column is the credential itself: it gates (hashes stay warnings).
    expect(g.map((x) => x.severity)).toEqual(['error']);
  });
  it('empty and NULL passwords are not seeds', async () => {
    expect(await cred("INSERT INTO harbor_user (username, password) VALUES ('admin', ''), ('anon', NULL);")).toEqual([]);
  });
});

describe('connection-string-password', () => {
  it.each([
    ["SELECT dblink_connect('myconn', 'hostaddr=127.0.0.1 port=5432 dbname=mydb user=postgres password=Cs-Secret-01');", 'Cs-Secret-01'],
    ["CREATE SUBSCRIPTION s CONNECTION 'host=db1 dbname=app user=rep password=Cs-Secret-02' PUBLICATION p;", 'Cs-Secret-02'],
    ["INSERT INTO cfg(v) VALUES ('postgresql://app:Cs-Secret-03@db.prod.internal:5432/app');", 'Cs-Secret-03'],
    ["-- mysql://root:Cs-Secret-04@10.0.0.7/shop\nSELECT 1;", 'Cs-Secret-04'],
    ["INSERT INTO cfg(v) VALUES ('jdbc:postgresql://db/app?user=app&password=Cs-Secret-05');", 'Cs-Secret-05'],
    ["INSERT INTO cfg(v) VALUES ('Server=db;Database=app;User Id=sa;Password=Cs-Secret-06;');", 'Cs-Secret-06'],
    ["INSERT INTO cfg(v) VALUES ('postgres://app:Cs%40Secret-07@db/app');", 'Cs%40Secret-07'],
    ["INSERT INTO cfg(v) VALUES ('mongodb+srv://app:Cs-Secret-08@cluster0.example.net/db');", 'Cs-Secret-08'],
  ])('%s', async (sql, secret) => {
    const f = await cred(sql);
    expect(f.map((x) => x.ruleId)).toEqual(['connection-string-password']);
    expect(f[0].gating).toBe(true);
    const r = await expectHidden(sql, secret);
    expect(JSON.stringify(r)).not.toContain(decodeURIComponent(secret));
  });

  it('points at the password', async () => {
    const f = await cred("SELECT 1;\nSELECT dblink_connect('host=h dbname=d user=u password=Cs-Secret-09');");
    expect(f[0]).toMatchObject({ line: 2, column: 56 });
  });

  it('placeholders and documentation templates are clean', async () => {
    for (const sql of [
      '-- sqlalchemy.url = driver://user:pass@localhost/dbname\nSELECT 1;',
      "SELECT dblink_connect('host=db dbname=app user=app password=${DB_PASSWORD}');",
      "SELECT dblink_connect('host=db dbname=app user=app');",
      '-- postgresql://app:<password>@db/app\nSELECT 1;',
      '-- postgres://user:password@localhost:5432/mydb\nSELECT 1;',
      "SELECT dblink_connect('host=db dbname=app user=app password=%(password)s');",
      "SELECT 'https://example.com:8080/path@x';",
      'SELECT * FROM t WHERE password=v_pw AND user=v_user;',
    ]) {
      expect(await cred(sql), sql).toEqual([]);
    }
  });

  it('Python files: connection strings in literals', async () => {
    const f = await cred('engine = create_engine("postgresql://app:Py-Secret-01@db/app")\nconn(host=h, password=pw_var, user=u)\n', { path: 'scripts/seed.py' });
    expect(f.map((x) => [x.ruleId, x.line])).toEqual([['connection-string-password', 1]]);
  });
});

describe('secret-token', () => {
  it.each([
    ['AWS access key ID', `COPY t FROM 's3://b/x' ACCESS_KEY_ID '${AWS_KEY_ID}' SECRET_ACCESS_KEY 'x';`, AWS_KEY_ID],
    ['GitHub token', `INSERT INTO integrations(token) VALUES ('${GH_TOKEN}');`, GH_TOKEN],
    ['Slack token', `INSERT INTO hooks(url) VALUES ('${SLACK}');`, SLACK],
    ['Stripe key', `-- stripe: ${STRIPE}\nSELECT 1;`, STRIPE],
    ['JWT', `INSERT INTO hooks(auth) VALUES ('Bearer ${JWT}');`, JWT],
  ])('%s', async (_n, sql, secret) => {
    const f = (await cred(sql, { dialect: sql.startsWith('COPY') ? 'redshift' : undefined })).filter((x) => x.ruleId === 'secret-token');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', gating: true });
    await expectHidden(sql, secret);
  });

  it('a private key block: every base64 line is hidden', async () => {
    const body = Array.from({ length: 4 }, (_, i) => `MII${String(i)}${'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/'.repeat(2)}`.slice(0, 64)).join('\n');
    const sql = `INSERT INTO keys(pem) VALUES ('-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----');`;
    const r = await check(sql);
    expect(r.findings.map((f) => f.ruleId)).toContain('secret-token');
    for (const line of body.split('\n')) expect(JSON.stringify(r)).not.toContain(line);
  });

  it('a Supabase anon JWT is a warning', async () => {
    const f = await cred(`SELECT net.http_post('https://x.supabase.co/functions/v1/f', headers := '{"apikey": "${ANON_JWT}"}'::jsonb);`);
    expect(f.map((x) => [x.ruleId, x.severity])).toEqual([['secret-token', 'warning']]);
  });

  it('a token used as a password is reported once, by the password rule', async () => {
    const f = await cred(`CREATE ROLE app LOGIN PASSWORD '${GH_TOKEN}';`);
    expect(f.map((x) => x.ruleId)).toEqual(['hardcoded-password']);
  });

  it('documentation example keys are clean', async () => {
    expect(await cred('-- AKIAIOSFODNN7EXAMPLE\nSELECT 1;')).toEqual([]);
  });
});

describe('credentials helpers', () => {
  it('classifyValue', () => {
    expect(classifyValue('${DB_PASSWORD}', 'code')).toBe('placeholder');
    expect(classifyValue('${DB_PASSWORD:-hunter2x}', 'code')).toBe('secret');
    expect(classifyValue('${DB_PASSWORD:}', 'code')).toBe('placeholder');
    expect(classifyValue('pass', 'doc')).toBe('placeholder');
    expect(classifyValue('pass', 'code')).toBe('default');
    expect(classifyValue('changeme', 'doc')).toBe('default');
    expect(classifyValue('tpl_xxxxxxx', 'code')).toBe('placeholder');
    expect(classifyValue('Xk9#mQ2!', 'code')).toBe('secret');
  });

  it('sqlTokens: strings, dollar quotes, comments, psql variables, casts', () => {
    const t = sqlTokens("SELECT E'a\\'b', $x$ c $x$, :'v', x::text -- c\n/* d /* e */ f */", 'postgresql');
    expect(t.filter((x) => x.type === 'string').map((x) => x.value)).toEqual(["a'b", ' c ']);
    expect(t.filter((x) => x.type === 'param').map((x) => x.text)).toEqual([":'v'"]);
    expect(t.filter((x) => x.type === 'comment').map((x) => x.text)).toEqual(['-- c', '/* d /* e */ f */']);
    expect(sqlTokens("'a\\'b' # c", 'mysql').map((x) => x.type)).toEqual(['string', 'comment']);
  });

  // sqlLiterals tokenizes without making word tokens (a big file's most tokens); what it keeps must
  // be exactly sqlTokens' strings, quoted identifiers and comments, string prefixes (E'', U&'') and
  // `@` after a string (MySQL) included. Each text is new (a numbered comment first), so neither
  // call is answered from the other's cache.
  it('sqlLiterals keeps what sqlTokens gives of strings, quoted identifiers and comments', () => {
    let k = 0;
    const chars = fc.constantFrom(...`ab EeUuNnXx&'"\`$@:?#-*/\n1_;`.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }).map((a) => a.join('')), fc.constantFrom('postgresql', 'mysql', 'sqlite') as fc.Arbitrary<'postgresql' | 'mysql' | 'sqlite'>, (body, dialect) => {
        const text = `/*${k++}*/${body}`;
        const lit = sqlLiterals(text, dialect);
        const all = sqlTokens(text, dialect).filter((t) => t.type === 'string' || t.type === 'ident' || t.type === 'comment');
        expect(lit).toEqual(all);
      }),
      { numRuns: 2000 },
    );
  });

  it('commentSpans looks inside dollar-quoted bodies', () => {
    const text = "DO $$ BEGIN -- inner\nNULL; END $$; -- outer";
    expect(commentSpans(text).map((s) => text.slice(s.start, s.end))).toEqual(['-- inner', '-- outer']);
  });

  it('findConnectionStrings: URL passwords with @ and encoded characters', () => {
    const h = findConnectionStrings('x = "https://u:p@ss-w0rd@host.io/x"');
    expect(h.map((x) => x.value)).toEqual(['p@ss-w0rd']);
  });

  it('findTokens finds every format once', () => {
    const text = [AWS_KEY_ID, GH_TOKEN, SLACK, STRIPE, JWT].join('\n');
    expect(findTokens(text).map((h) => h.value)).toEqual([AWS_KEY_ID, GH_TOKEN, SLACK, STRIPE, JWT]);
  });
});

describe('hardcoded-password: key=value in comments and literals', () => {
  it('reports once, where the password is; code in bodies and dynamic SQL is left to the statement checks', async () => {
    const { findings } = await import('./helpers.js');
    expect(await findings("COMMENT ON ROLE reporting IS 'shared account, pwd: Rep0rts!';", 'hardcoded-password')).toHaveLength(1);
    expect(await findings('-- vault: password=hunter2\nSELECT 1;', 'hardcoded-password')).toHaveLength(1);
    // A password compared or set inside a body is one finding (the nested statement's), not two.
    const inBody = await findings("DO $$ BEGIN UPDATE users SET password = 'Plain-Text-9' WHERE id = 1; END $$;", 'hardcoded-password');
    expect(inBody.length).toBeLessThanOrEqual(1);
    expect(inBody.every((f) => !/string literal/.test(f.message))).toBe(true);
    const dynamic = await findings("DO $$ BEGIN EXECUTE 'UPDATE users SET password = ''Plain-Text-9'' WHERE id = 1'; END $$;", 'hardcoded-password');
    expect(dynamic.every((f) => !/string literal/.test(f.message))).toBe(true);
    // Prose and code are not passwords.
    expect(await findings('-- password: hashed with bcrypt\n-- reset: password = new_password\nSELECT 1;', 'hardcoded-password')).toEqual([]);
    // With connection keys it is a connection string (connection-string-password), not reported twice.
    expect(await findings("-- host=db user=app password=hunter2\nSELECT 1;", 'hardcoded-password')).toEqual([]);
  });
});

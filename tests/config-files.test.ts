// Config files that may hold credentials: src/extract/config-file.ts + rules/config-credential.ts.
import { describe, expect, it } from 'vitest';
import type { ConfigFacts } from '../src/extract/config-file.js';
import { configFormat, isExampleFile, isSecretKey } from '../src/extract/config-file.js';
import { extract } from '../src/extract/index.js';
import type { Finding } from '../src/types.js';
import { check } from './helpers.js';

async function cfg(path: string, text: string): Promise<{ all: Finding[]; f: Finding[]; json: string }> {
  const r = await check(text, { path });
  expect(r.files[0].kind).toBe('config');
  return { all: r.findings, f: r.findings.filter((x) => x.ruleId === 'config-credential'), json: JSON.stringify(r) };
}

/** One gating finding at line:column, and the secret nowhere in the result. */
async function expectOne(path: string, text: string, secret: string, line: number, column: number, key?: string) {
  const { f, json } = await cfg(path, text);
  expect(f.map((x) => [x.line, x.column, x.severity, x.gating])).toEqual([[line, column, 'error', true]]);
  expect(f[0].category).toBe('credential');
  if (key) expect(f[0].message).toContain(`\`${key}\``);
  expect(json).not.toContain(secret);
  return f[0];
}

describe('config files: each format', () => {
  it('alembic.ini: sqlalchemy.url with a password', async () => {
    const text = '[alembic]\nscript_location = migrations\n# sqlalchemy.url = driver://user:pass@localhost/dbname\nsqlalchemy.url = postgresql+psycopg2://app:Al3mbic-pw@db.prod/app\n';
    await expectOne('migrations/alembic.ini', text, 'Al3mbic-pw', 4, 44, 'alembic.sqlalchemy.url');
  });

  it('alembic.ini: the generated template and interpolation are clean', async () => {
    for (const text of ['[alembic]\nsqlalchemy.url = driver://user:pass@localhost/dbname\n', '[alembic]\nsqlalchemy.url = %(DATABASE_URL)s\n', '[alembic]\nscript_location = %(here)s/migrations\n']) {
      expect((await cfg('alembic.ini', text)).all, text).toEqual([]);
    }
  });

  it('.env: URLs, *_PASSWORD, secrets; export and quotes; placeholders clean', async () => {
    const text = [
      '# local settings',
      'export DATABASE_URL="postgres://app:Env-Secret-1@db:5432/app"',
      "DB_PASSWORD='Env-Secret-2'",
      'REDIS_URL=redis://:Env-Secret-3@cache:6379/0',
      'SECRET_KEY_BASE=9f8e7d6c5b4a39281706f5e4d3c2b1a0',
      'SHADOW_URL=${SHADOW_DATABASE_URL}',
      'API_PASSWORD=',
      'PASSWORD_MIN_LENGTH=12',
      'REQUIRE_PASSWORD=true',
      'DB_HOST=localhost # inline comment',
    ].join('\n');
    const { f, json } = await cfg('.env', text);
    expect(f.map((x) => [x.line, x.message.match(/`([^`]+)`/)?.[1]])).toEqual([
      [2, 'DATABASE_URL'],
      [3, 'DB_PASSWORD'],
      [4, 'REDIS_URL'],
      [5, 'SECRET_KEY_BASE'],
    ]);
    for (const s of ['Env-Secret-1', 'Env-Secret-2', 'Env-Secret-3', '9f8e7d6c5b4a39281706f5e4d3c2b1a0']) expect(json).not.toContain(s);
  });

  it('.env: ${VAR:-default} carries a hardcoded default', async () => {
    await expectOne('.env.production', 'DB_PASSWORD=${DB_PASSWORD:-Def4ult-pw}\n', 'Def4ult-pw', 1, 13);
  });

  it('.env.example: values are warnings (not gating), doc placeholders clean', async () => {
    const { f } = await cfg('.env.example', 'DB_PASSWORD=changeme\nDATABASE_URL=postgres://user:password@localhost/db\n');
    expect(f.map((x) => [x.line, x.severity, x.gating])).toEqual([[1, 'warning', false]]);
    expect(f[0].message).toMatch(/example\/template file/);
    expect(f[0].message).toMatch(/well-known default/);
  });

  it('schema.prisma: literal url vs env()', async () => {
    const text = 'datasource db {\n  provider  = "postgresql"\n  url       = env("DATABASE_URL")\n  directUrl = "postgresql://app:Pr1sma-pw@db/app"\n  shadowDatabaseUrl = env("SHADOW")\n}\n';
    await expectOne('prisma/schema.prisma', text, 'Pr1sma-pw', 4, 33, 'directUrl');
    const ex = extract({ path: 'prisma/schema.prisma', content: text });
    expect((ex.facts.config as ConfigFacts).datasources).toEqual([
      { key: 'url', source: 'env', line: 3 },
      { key: 'directUrl', source: 'literal', line: 4 },
      { key: 'shadowDatabaseUrl', source: 'env', line: 5 },
    ]);
  });

  it('flyway.conf and flyway.toml', async () => {
    await expectOne('db/flyway.conf', 'flyway.url=jdbc:postgresql://db/app\nflyway.user=app\nflyway.password=Fly-C0nf-pw\n', 'Fly-C0nf-pw', 3, 17, 'flyway.password');
    await expectOne('flyway.toml', '[environments.default]\nurl = "jdbc:postgresql://db/app"\nuser = "app"\npassword = "Fly-T0ml-pw"\n', 'Fly-T0ml-pw', 4, 13, 'environments.default.password');
    await expectOne('flyway.conf', 'flyway.url=jdbc:postgresql://db/app?user=app&password=Fly-Url-pw\n', 'Fly-Url-pw', 1, 55);
    expect((await cfg('flyway.conf', 'flyway.password=${env.FLYWAY_PASSWORD}\nflyway.url=jdbc:postgresql://db/app\n')).all).toEqual([]);
  });

  it('liquibase.properties: `:` and `=` separators, camelCase keys', async () => {
    const { f, json } = await cfg('liquibase.properties', 'url: jdbc:postgresql://db/app\nusername: app\npassword: Liq-pw-123\nreferencePassword=Liq-ref-pw\n');
    expect(f.map((x) => x.line)).toEqual([3, 4]);
    expect(json).not.toContain('Liq-pw-123');
    expect(json).not.toContain('Liq-ref-pw');
  });

  it('atlas.hcl: env block url; getenv() clean', async () => {
    const text = 'env "prod" {\n  url = "postgres://app:Atl4s-pw@db:5432/app?sslmode=disable"\n  dev = "docker://postgres/15/dev"\n}\nenv "local" {\n  url = getenv("DATABASE_URL")\n}\n';
    await expectOne('atlas.hcl', text, 'Atl4s-pw', 2, 25, 'url');
  });

  it('config/database.yml: ERB is a placeholder, a literal password is not', async () => {
    const text = 'default: &default\n  adapter: postgresql\n  password: <%= ENV["DB_PASSWORD"] %>\n<% if true %>\nproduction:\n  <<: *default\n  password: Ra1ls-pw\n  url: <%= ENV["DATABASE_URL"] %>\n<% end %>\n';
    const f = await expectOne('config/database.yml', text, 'Ra1ls-pw', 7, 13, 'production.password');
    expect(f.snippet).toBe('password: Ra…(8 chars)');
  });

  it('config/database.yml that does not parse: a warning, and the line scan still finds the password', async () => {
    const { all, json } = await cfg('config/database.yml', 'production:\n  password: Br0ken-yaml-pw\n  other: [\n');
    expect(all.map((x) => [x.ruleId, x.severity])).toEqual([
      ['config-credential', 'error'],
      ['parse-error', 'warning'],
    ]);
    expect(json).not.toContain('Br0ken-yaml-pw');
  });

  it('knexfile / ormconfig / drizzle.config: literals and || fallbacks; process.env clean', async () => {
    const text =
      "export default {\n  client: 'pg',\n  connection: {\n    host: process.env.DB_HOST,\n    password: process.env.DB_PASSWORD || 'Kn3x-fallback',\n  },\n  staging: { connection: 'postgres://app:Kn3x-url@db/app' },\n};\n";
    const { f, json } = await cfg('knexfile.ts', text);
    expect(f.map((x) => x.line)).toEqual([5, 7]);
    expect(json).not.toContain('Kn3x-fallback');
    expect(json).not.toContain('Kn3x-url');
    expect((await cfg('drizzle.config.ts', "export default defineConfig({ dialect: 'postgresql', dbCredentials: { url: process.env.DATABASE_URL! } });\n")).all).toEqual([]);
    await expectOne('ormconfig.json', '{ "type": "postgres", "password": "Orm-pw-1", "username": "app" }', 'Orm-pw-1', 1, 36, 'password');
    await expectOne('ormconfig.js', "module.exports = { type: 'mysql', password: `Orm-pw-2` };\n", 'Orm-pw-2', 1, 46);
  });

  it('appsettings.json: ConnectionStrings (comments allowed), nested secrets', async () => {
    const text = '{\n  // dev settings\n  "ConnectionStrings": {\n    "Default": "Server=localhost;Database=app;User Id=sa;Password=Ap-Settings-1;"\n  },\n  "Jwt": { "Secret": "Jwt-Secret-Value-1" }\n}\n';
    const { f, json } = await cfg('appsettings.Development.json', text);
    expect(f.map((x) => [x.line, x.column])).toEqual([
      [4, 67],
      [6, 23],
    ]);
    expect(json).not.toContain('Ap-Settings-1');
    expect(json).not.toContain('Jwt-Secret-Value-1');
  });

  it('application.properties / application.yml (Spring)', async () => {
    await expectOne('src/main/resources/application-prod.properties', 'spring.datasource.url=jdbc:postgresql://db/app\nspring.datasource.password=Spr1ng-pw\n', 'Spr1ng-pw', 2, 28, 'spring.datasource.password');
    await expectOne('application.yml', 'spring:\n  datasource:\n    password: ${DB_PASSWORD:Spr1ng-default}\n', 'Spr1ng-default', 3, 15, 'spring.datasource.password');
    expect((await cfg('application.yaml', 'spring:\n  datasource:\n    password: ${DB_PASSWORD}\n    url: jdbc:postgresql://db/app\n')).all).toEqual([]);
  });

  it('tokens anywhere in a config file, once', async () => {
    const key = ['AKIA', 'QX7Z', 'M2RT', 'K9PL', 'W4NB'].join('');
    const { f, json } = await cfg('.env', `AWS_ACCESS_KEY_ID=${key}\n# old: ${key}\n`);
    expect(f.map((x) => x.line)).toEqual([1, 2]);
    expect(f[0].message).toMatch(/AWS access key ID/);
    expect(json).not.toContain(key);
  });

  it('files with no credentials are clean (the real Prisma schema shape)', async () => {
    const text = 'generator client {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n  provider  = "postgresql"\n  url       = env("NEXT_PRIVATE_DATABASE_URL")\n  directUrl = env("NEXT_PRIVATE_DIRECT_DATABASE_URL")\n}\n\nmodel User {\n  id       Int     @id\n  password String? // hashed\n}\n';
    expect((await cfg('packages/prisma/schema.prisma', text)).all).toEqual([]);
  });
});

describe('config file helpers', () => {
  it('configFormat', () => {
    expect(['alembic.ini', '.env.local', 'schema.prisma', 'flyway.conf', 'flyway.toml', 'atlas.hcl', 'config/database.yml', 'knexfile.mjs', 'appsettings.json', 'application.properties'].map(configFormat)).toEqual([
      'ini',
      'env',
      'prisma',
      'properties',
      'toml',
      'hcl',
      'yaml',
      'js',
      'json',
      'properties',
    ]);
  });
  it('isExampleFile / isSecretKey', () => {
    expect(['.env.example', '.env.sample', 'appsettings.template.json', '.env.dist'].every(isExampleFile)).toBe(true);
    expect(['.env', '.env.production', 'application-prod.yml'].some(isExampleFile)).toBe(false);
    expect(['DB_PASSWORD', 'spring.datasource.password', 'referencePassword', 'SECRET_KEY_BASE', 'GITHUB_TOKEN', 'client_secret'].every(isSecretKey)).toBe(true);
    expect(['PASSWORD_MIN_LENGTH', 'password_file', 'DB_HOST', 'MAX_TOKENS', 'token_url'].some(isSecretKey)).toBe(false);
  });
  it('facts list placeholders too, with verdicts', () => {
    const ex = extract({ path: '.env', content: 'DB_PASSWORD=${DB_PASSWORD}\nAPI_TOKEN=Tok-123456\n' });
    const facts = ex.facts.config as ConfigFacts;
    expect(facts.format).toBe('env');
    expect(facts.entries.map((e) => [e.key, e.kind, e.verdict, e.line])).toEqual([
      ['DB_PASSWORD', 'password', 'placeholder', 1],
      ['API_TOKEN', 'password', 'secret', 2],
    ]);
  });
});

describe('config files: one finding per secret', () => {
  it('a token under a password-like key is named as the token it is', async () => {
    const tok = ['ghp', '_', 'Zq8XvN3kLm2Rt7Yp4Wc9Bd6Hs1Jf5Ga0Ue3K'].join('');
    const { f, json } = await cfg('.env', `GITHUB_TOKEN=${tok}\n`);
    expect(f).toHaveLength(1);
    expect(f[0].message).toMatch(/^Hardcoded GitHub personal access token in a config file \(`GITHUB_TOKEN`\)/);
    expect(json).not.toContain(tok);
  });
});

describe('docker compose files and local defaults', () => {
  it('POSTGRES_PASSWORD / MYSQL_ROOT_PASSWORD (map and list forms) and DATABASE_URL are read; local defaults are warnings', async () => {
    const text =
      'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n  my:\n    environment:\n      - MYSQL_ROOT_PASSWORD=Sup3r-Secret\n' +
      '  app:\n    environment:\n      DATABASE_URL: postgres://postgres:postgres@localhost:5432/app\n      PROD_URL: postgres://postgres:postgres@db.prod.example.com/app\n';
    const { f } = await cfg('docker-compose.yml', text);
    expect(f.map((x) => [x.line, x.severity])).toEqual([
      [5, 'warning'],
      [8, 'error'],
      [11, 'warning'],
      [12, 'error'],
    ]);
    for (const x of f) expect(JSON.stringify(x)).not.toContain('Sup3r-Secret');
  });
  it('test-mode Stripe keys in .env.example are warnings, live ones gate', async () => {
    const { f } = await cfg('.env.example', 'STRIPE_SECRET_KEY=sk_test_xxxxxxxxxxxxxxxxxxxxxxxx\nSTRIPE_LIVE=' + 'sk_live_' + '4eC39HqLyjWDarjtT1zdp7dc\n');
    expect(f.map((x) => [x.line, x.severity])).toEqual([
      [1, 'warning'],
      [2, 'error'],
    ]);
  });
});

import { maskedLine, secretForms, verdictNote } from '../src/analyze/credentials.js';
import type { ConfigEntry, ConfigFacts } from '../src/extract/config-file.js';
import type { Rule } from '../src/types.js';

function message(e: ConfigEntry): string {
  const where = e.key ? ` (\`${e.key}\`)` : '';
  let m: string;
  if (e.kind === 'password') m = `Hardcoded password in a config file${where}`;
  else if (e.kind === 'connection-string') m = `Connection string with a hardcoded password in a config file${where}`;
  else if (e.publicByDesign) m = `${e.label} in a config file${where}: public by design (e.g. a Supabase anon key) — check that it is not a privileged key`;
  else m = `Hardcoded ${e.label} in a config file${where}`;
  if (!e.publicByDesign) {
    m += ': it is committed to the repository for good; rotate it and read it from the environment or a secret store';
    m += e.kind === 'connection-string' ? ' (e.g. `env("DATABASE_URL")`, `${DB_PASSWORD}`).' : '.';
  } else m += '.';
  if (e.localDefault) m += ' It is a well-known default for a local development database in a file meant for local use: a warning, but never reuse it for a shared database.';
  else if (e.fakeToken) m += ' It is a test-mode or placeholder key in an example file: a warning.';
  else if (e.example) m += ' (In an example/template file: if this is a real value, it is exposed just the same.)';
  return m + (e.localDefault ? '' : verdictNote(e.verdict, e.value));
}

const rule: Rule = {
  meta: {
    id: 'config-credential',
    category: 'credential',
    severity: 'error',
    summary: 'Password, connection string with a password, or secret token in a migration tool’s config file',
    rationale:
      'alembic.ini, .env files, schema.prisma, flyway.conf, liquibase.properties, atlas.hcl, config/database.yml, knexfile, ormconfig, ' +
      'drizzle.config, appsettings.json and Spring application.* files, sqitch.conf, sql-migrate dbconfig.yml, Sequelize config/config.json, ' +
      '.pgpass, my.cnf and docker-compose.yml files sit next to the migrations and often get a real database URL ' +
      'or password committed by mistake. A URL assembled by ini interpolation (`postgresql://app:%(db_pw)s@db/app` in alembic.ini) ' +
      'is read as ConfigParser reads it: the password is reported where `db_pw` is set. Environment references (`env("DATABASE_URL")`, `${DB_PASSWORD}`, `<%= ENV[...] %>`, ' +
      '`%(here)s`) are not reported; a hardcoded default in `${DB_PASSWORD:default}` is. Values in example/template files are ' +
      'reported as warnings unless they match a real token format.',
    fix: 'Remove the value, rotate the credential, and read it from the environment (`env("DATABASE_URL")`, `${DB_PASSWORD}`) or a secret manager.',
    examples: {
      bad: [
        { sql: '[alembic]\nscript_location = migrations\nsqlalchemy.url = postgresql://app:Sup3r-Secret@db.prod/app\n', path: 'alembic.ini' },
        { sql: 'DATABASE_URL=postgres://app:Sup3r-Secret@db.prod:5432/app\n', path: '.env' },
        { sql: 'DB_PASSWORD=Sup3r-Secret\n', path: 'backend/.env.production' },
        { sql: 'datasource db {\n  provider = "postgresql"\n  url      = "postgresql://app:Sup3r-Secret@db/app"\n}\n', path: 'prisma/schema.prisma' },
        { sql: 'flyway.url=jdbc:postgresql://db/app\nflyway.user=app\nflyway.password=Sup3r-Secret\n', path: 'flyway.conf' },
        { sql: 'production:\n  adapter: postgresql\n  password: Sup3r-Secret\n', path: 'config/database.yml' },
        { sql: '{ "ConnectionStrings": { "Default": "Server=db;Database=app;User Id=sa;Password=Sup3r-Secret;" } }', path: 'appsettings.json' },
        { sql: 'spring:\n  datasource:\n    password: ${DB_PASSWORD:Sup3r-Secret}\n', path: 'src/main/resources/application.yml' },
        { sql: "module.exports = { client: 'pg', connection: { host: 'db', password: 'Sup3r-Secret' } };\n", path: 'knexfile.js' },
        { sql: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: Sup3r-Secret\n', path: 'docker-compose.yml' },
        { sql: 'services:\n  db:\n    image: mysql:8\n    environment:\n      - MYSQL_ROOT_PASSWORD=Sup3r-Secret\n', path: 'deploy/compose.prod.yaml' },
        { sql: 'services:\n  app:\n    environment:\n      DATABASE_URL: postgres://app:Sup3r-Secret@db.prod.internal/app\n', path: 'docker-compose.yml' },
        { sql: '[alembic]\nscript_location = alembic\ndb_pw = Sup3r-Secret\nsqlalchemy.url = postgresql://app:%(db_pw)s@db/app\n', path: 'alembic.ini' },
        { sql: '[core]\n\tengine = pg\n[target "prod"]\n\turi = db:pg://app:Sup3r-Secret@db/app\n', path: 'sqitch.conf' },
        { sql: 'production:\n  dialect: postgres\n  datasource: host=db dbname=app user=app password=Sup3r-Secret sslmode=disable\n', path: 'dbconfig.yml' },
        { sql: '{ "production": { "username": "app", "password": "Sup3r-Secret", "database": "app", "dialect": "postgres" } }\n', path: 'config/config.json' },
        { sql: 'db.prod:5432:app:app:Sup3r-Secret\n', path: '.pgpass' },
        { sql: '[client]\nuser=app\npassword=Sup3r-Secret\n', path: '.my.cnf' },
      ],
      good: [
        { sql: '[alembic]\nsqlalchemy.url = driver://user:pass@localhost/dbname\n', path: 'alembic.ini' },
        { sql: 'DATABASE_URL=${DATABASE_URL}\nDB_PASSWORD=\n', path: '.env' },
        { sql: 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n', path: 'schema.prisma' },
        { sql: 'production:\n  adapter: postgresql\n  password: <%= ENV["DB_PASSWORD"] %>\n', path: 'config/database.yml' },
        { sql: 'flyway.password=${env.FLYWAY_PASSWORD}\nflyway.url=jdbc:postgresql://db/app\n', path: 'flyway.conf' },
        { sql: 'spring.datasource.password=${DB_PASSWORD}\nspring.datasource.url=jdbc:postgresql://db/app\n', path: 'application.properties' },
        { sql: "module.exports = { client: 'pg', connection: process.env.DATABASE_URL };\n", path: 'knexfile.js' },
        { sql: 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n  app:\n    environment:\n      - DATABASE_URL=${DATABASE_URL}\n', path: 'docker-compose.yml' },
        { sql: 'PASSWORD_MIN_LENGTH=12\nREQUIRE_PASSWORD=true\n', path: '.env' },
        { sql: '[alembic]\nscript_location = %(here)s/alembic\nsqlalchemy.url = postgresql://app:%(db_pw)s@db/app\n', path: 'alembic.ini' },
        { sql: '[core]\n\tengine = pg\n[target "prod"]\n\turi = db:pg://app@db/app\n', path: 'sqitch.conf' },
        { sql: '# no passwords here\n', path: '.pgpass' },
      ],
    },
  },
  checkFile(ex, { report }) {
    if (ex.kind !== 'config') return;
    const facts = ex.facts.config as ConfigFacts | undefined;
    if (!facts) return;
    const real = facts.entries.filter((e) => e.verdict !== 'placeholder');
    real.forEach((e, i) => {
      const isToken = e.kind === 'token' && !e.publicByDesign;
      report({
        message: message(e),
        severity: e.publicByDesign || e.localDefault || e.fakeToken || (e.example && !isToken) ? 'warning' : undefined,
        line: e.line,
        column: e.column,
        secrets: secretForms(e.value, e.raw),
        key: `${e.kind}:${e.key}:${i}`,
        snippet: maskedLine(ex.text, e.start, real.map((x) => ({ start: x.start, end: x.end }))),
      });
    });
  },
};
export default rule;

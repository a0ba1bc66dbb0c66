// Fails when dist/ is not what a fresh build produces (the bundles are committed).
import { execFileSync } from 'node:child_process';

const run = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
run('node', ['scripts/gen-rules.mjs']);
run('npx', ['tsx', 'scripts/gen-docs.ts']);
run('node', ['scripts/gen-schema.mjs']);
run('node', ['scripts/build.mjs']);
// dist/replay/pgdata.tar.gz is a data directory made by PGlite's initdb at build time: the same
// engine version gives an equivalent directory, but not the same bytes (initdb stamps a system id
// and times), so it is left out of the byte comparison.
const paths = ['--', 'dist', 'rules/index.ts', 'README.md', 'docs', 'schema', ':(exclude)dist/replay/pgdata.tar.gz'];
const status = run('git', ['status', '--porcelain', ...paths]);
if (status.trim()) {
  console.error('dist/ (or generated files) are stale: a fresh build differs from what is committed:');
  console.error(status);
  console.error(run('git', ['diff', '--stat', ...paths]));
  console.error('Run `npm run build` and commit the result.');
  process.exit(1);
}
console.log('dist/ is up to date.');

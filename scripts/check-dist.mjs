// Fails when dist/ is not what a fresh build produces (the bundles are committed).
import { execFileSync } from 'node:child_process';

const run = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
run('node', ['scripts/gen-rules.mjs']);
run('npx', ['tsx', 'scripts/gen-docs.ts']);
run('node', ['scripts/gen-schema.mjs']);
run('node', ['scripts/build.mjs']);
const status = run('git', ['status', '--porcelain', '--', 'dist', 'rules/index.ts', 'README.md', 'docs', 'schema']);
if (status.trim()) {
  console.error('dist/ (or generated files) are stale: a fresh build differs from what is committed:');
  console.error(status);
  console.error(run('git', ['diff', '--stat', '--', 'dist', 'rules/index.ts', 'README.md', 'docs', 'schema']));
  console.error('Run `npm run build` and commit the result.');
  process.exit(1);
}
console.log('dist/ is up to date.');

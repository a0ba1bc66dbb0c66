// `npm run demo`: the committed CLI bundle (dist/cli/, no build) on examples/, exactly as a user
// runs it. The examples are dangerous on purpose, so the CLI must exit 1 (gating findings); the
// demo then exits 0. Any other CLI exit fails the demo: 0 would mean a missed danger, 2 an error.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli', 'index.js');
if (!existsSync(cli)) {
  console.error('demo: dist/cli/index.js is missing; build it with `npm run build`.');
  process.exit(2);
}
const r = spawnSync(process.execPath, [cli, 'check', 'examples/'], { cwd: root, stdio: 'inherit' });
const code = r.status ?? 2;
const meaning = { 0: 'no gating finding', 1: 'gating findings (approvals needed)', 2: 'usage or configuration error' }[code] ?? `signal ${r.signal}`;
console.error(`\ndemo: migration-gate exited ${code} (${meaning}).`);
if (code === 1) {
  console.error('demo: that is the expected result for examples/ (in CI this exit code fails the job until approved).');
  process.exit(0);
}
console.error('demo: expected exit 1 for examples/; this is a bug.');
process.exit(1);

// `npx tsx scripts/privileges-corpus.ts [CORPUS]`: the privileges acceptance check (see
// privileges-harness.ts) over real migration histories from the shared corpus (default
// ../shared/corpus): a golang-migrate PostgreSQL project (harbor) and Prisma projects
// (documenso, langfuse). Prints, per set, how the history replays as the migration role.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { acceptance, summary } from './privileges-harness.js';

const corpus = resolve(process.argv[2] ?? '../shared/corpus');
const HISTORIES = (process.env.HISTORIES ?? 'postgres/harbor,prisma-postgres/documenso').split(',');

function walk(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

for (const h of HISTORIES) {
  const root = join(corpus, h);
  const files = walk(root).map((p) => ({ path: p.slice(root.length + 1), content: readFileSync(p) }));
  const t0 = Date.now();
  const results = await acceptance(files);
  for (const r of results) console.log(`${h} ${summary(r)}`);
  console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

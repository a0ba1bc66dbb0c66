// The shape of src/ that DEVELOPERS.md asks for, checked on the real import graph (madge, with
// type-only imports counted: a type cycle still ties the modules' meaning together):
// - no import cycle anywhere in src/ and rules/;
// - the engine never reaches GitHub code: nothing outside the adapters (src/github, src/action,
//   and the GitHub-facing commands src/cli, src/verify) imports them, directly or through others.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import madge from 'madge';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const ADAPTERS = /^src\/(github|action|cli|verify)\//;
let graph: Record<string, string[]>;
let cycles: string[][];

beforeAll(async () => {
  const res = await madge([join(root, 'src'), join(root, 'rules')], {
    baseDir: root,
    fileExtensions: ['ts'],
    tsConfig: join(root, 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: false } },
  });
  graph = res.obj();
  cycles = res.circular();
}, 120_000);

/** Everything `from` imports, directly or through other modules. */
function reach(from: string): Set<string> {
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length) for (const d of graph[todo.pop()!] ?? []) if (!seen.has(d)) seen.add(d), todo.push(d);
  return seen;
}

describe('architecture', () => {
  it('reads the whole tree (the check is not vacuous)', () => {
    const files = Object.keys(graph);
    expect(files.length).toBeGreaterThan(150);
    expect(files).toContain('src/engine.ts');
    expect(graph['src/engine.ts'].length).toBeGreaterThan(3);
  });

  it('has no import cycle', () => {
    expect(cycles.map((c) => c.join(' → '))).toEqual([]);
  });

  it('keeps GitHub code out of the engine', () => {
    const engine = Object.keys(graph).filter((f) => !ADAPTERS.test(f));
    const leaks: string[] = [];
    for (const f of engine) {
      for (const d of reach(f)) if (/^src\/(github|action)\//.test(d)) leaks.push(`${f} → ${d}`);
      const src = readFileSync(join(root, f), 'utf8');
      for (const m of src.matchAll(/^\s*(?:import|export)[^;]*?from\s+'(@actions\/[^']+|@octokit\/[^']+)'/gm)) leaks.push(`${f} → ${m[1]}`);
    }
    expect(leaks).toEqual([]);
    // The guard can fail: the action's entry does reach GitHub code.
    expect([...reach('src/action/main.ts')].some((d) => d.startsWith('src/github/'))).toBe(true);
  });
});

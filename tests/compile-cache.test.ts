// V8's compile cache for the CLI (src/cli/compile-cache.ts): where it goes, that Node's own switches
// are honoured, and that the built CLI uses it where Node has one (22.1+) and writes nothing where
// it has none (20), with the same output either way.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCacheDir } from '../src/cli/compile-cache.js';

describe('compileCacheDir', () => {
  const home = () => '/home/u';
  it('is the user cache directory (XDG, macOS, Windows), never the shared temp directory', () => {
    expect(compileCacheDir({}, 'linux', home)).toBe('/home/u/.cache/migration-gate/v8-compile-cache');
    expect(compileCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux', home)).toBe('/x/cache/migration-gate/v8-compile-cache');
    expect(compileCacheDir({}, 'darwin', home)).toBe('/home/u/Library/Caches/migration-gate/v8-compile-cache');
    expect(compileCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', () => 'C:\\Users\\u')).toMatch(/^C:\\Users\\u\\AppData\\Local.migration-gate.v8-compile-cache$/);
  });
  it('ignores a relative XDG_CACHE_HOME (the XDG spec) and a relative or missing home', () => {
    expect(compileCacheDir({ XDG_CACHE_HOME: 'rel/cache' }, 'linux', home)).toBe('/home/u/.cache/migration-gate/v8-compile-cache');
    expect(compileCacheDir({}, 'linux', () => '')).toBeUndefined();
    expect(compileCacheDir({}, 'linux', () => 'relative')).toBeUndefined();
    expect(
      compileCacheDir({}, 'linux', () => {
        throw new Error('no passwd entry');
      }),
    ).toBeUndefined();
  });
  it('leaves the choice to Node when NODE_COMPILE_CACHE is set', () => {
    expect(compileCacheDir({ NODE_COMPILE_CACHE: '/somewhere', XDG_CACHE_HOME: '/x' }, 'linux', home)).toBeUndefined();
  });
});

describe('the built CLI', () => {
  const cli = join(process.cwd(), 'dist', 'cli', 'index.js');
  const hasCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
  const files = (d: string): string[] => (existsSync(d) ? readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : []);

  it(`${hasCache ? 'stores its compiled code in the user cache' : 'writes no cache on a Node without one'} (Node ${process.version}); output unchanged`, () => {
    expect(existsSync(cli), 'dist/cli/index.js is missing: run `npm run build` first').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'mg-compile-cache-'));
    try {
      const sql = join(dir, '001.sql');
      writeFileSync(sql, 'ALTER TABLE users DROP COLUMN email;\n');
      const cfg = join(dir, 'cfg.yml');
      writeFileSync(cfg, 'replay: false\n');
      const runIn = (extra: Record<string, string>) => {
        const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...extra };
        delete env.NODE_COMPILE_CACHE;
        if (!('NODE_DISABLE_COMPILE_CACHE' in extra)) delete env.NODE_DISABLE_COMPILE_CACHE;
        const p = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '--config', cfg, sql], { encoding: 'utf8', env });
        expect(p.status, p.stderr).toBe(1); // drop-column gates
        return p.stdout;
      };
      const cache = join(dir, 'xdg');
      const first = runIn({ XDG_CACHE_HOME: cache });
      const stored = files(join(cache, 'migration-gate', 'v8-compile-cache'));
      if (hasCache) expect(stored.length).toBeGreaterThan(0);
      else expect(existsSync(cache)).toBe(false);
      // A second run reads the cache (where there is one): the same report.
      expect(runIn({ XDG_CACHE_HOME: cache })).toBe(first);
      // Node's own off switch: nothing written.
      const off = join(dir, 'off');
      expect(runIn({ XDG_CACHE_HOME: off, NODE_DISABLE_COMPILE_CACHE: '1' })).toBe(first);
      expect(existsSync(off)).toBe(false);
      // A cache that cannot be written (its parent is a file) changes nothing but the speed.
      const blocked = join(dir, 'blocked');
      writeFileSync(blocked, '');
      expect(runIn({ XDG_CACHE_HOME: blocked })).toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

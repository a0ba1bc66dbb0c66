#!/usr/bin/env node
// Makes the PostgreSQL data directory the replay sandbox starts from: PGlite runs initdb once
// (several seconds) and dumps the result (dumpDataDir('gzip'), ~4.5 MB), so each replay loads it
// (~1.3 s) instead of running initdb again. Generated, never committed:
//   node scripts/make-pgdata.mjs [OUT]   (default: node_modules/.cache/migration-gate/pgdata.tar.gz,
//                                         where replays from source look for it)
// Reused when it exists and was made by the same PGlite version (a stamp file beside it).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ?? join(root, 'node_modules', '.cache', 'migration-gate', 'pgdata.tar.gz');
const require = createRequire(import.meta.url);
const version = JSON.parse(readFileSync(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')).version;
const stamp = `${out}.version`;
if (existsSync(out) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === version) process.exit(0);

const { PGlite } = await import('@electric-sql/pglite');
const db = await PGlite.create();
const blob = await db.dumpDataDir('gzip');
await db.close();
mkdirSync(dirname(out), { recursive: true });
writeFileSync(`${out}.tmp`, Buffer.from(await blob.arrayBuffer()));
renameSync(`${out}.tmp`, out);
writeFileSync(stamp, version + '\n');

import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { main } from './main.js';

// The PostgreSQL parser's WASM runs on V8's baseline compiler (Liftoff) only. By default V8
// re-compiles its hot functions with TurboFan in the background; for libpg-query's huge parser
// functions that costs more CPU than it saves in a CLI run, and the process waits for those
// compile jobs before it exits (measured: ~60 ms of a one-file run; corpus bench -18..21% wall,
// -24% CPU; the same results, and the same parser stack limit).
// Set before the WASM is compiled (main() does that).
setFlagsFromString('--liftoff-only');

main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: !!process.stdout.isTTY,
  writeFile: (p, d) => writeFileSync(p, d),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  },
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});

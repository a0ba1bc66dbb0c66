import { writeFileSync } from 'node:fs';
import { enableCompileCache } from './compile-cache.js';

// Fail closed: if the process ends before main() settles (the event loop ran dry while a promise
// was still pending, e.g. a WASM instantiation that never completes), Node would exit 0 with no
// output, which a hook or a CI step reads as "clean". Until main() says otherwise the exit status
// is 2 (an error), and the reason is printed.
let settled = false;
process.exitCode = 2;
process.on('exit', () => {
  if (!settled) process.stderr.write('migration-gate: internal error: the run stopped before it finished (an operation never completed); nothing was checked\n');
});

// The CLI proper is loaded only after the compile cache is on, so that its code is what V8 caches
// (the bundler puts a dynamically imported module in a chunk of its own).
enableCompileCache();

import('./main.js')
  .then(({ main }) =>
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
    }),
  )
  .then(
    (code) => {
      settled = true;
      process.exitCode = code;
    },
    (e) => {
      settled = true;
      process.stderr.write(`migration-gate: internal error: ${(e as Error)?.stack ?? e}\n`);
      process.exitCode = 2;
    },
  );

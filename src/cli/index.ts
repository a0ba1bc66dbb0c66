import { writeFileSync } from 'node:fs';
import { main } from './main.js';

main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: !!process.stdout.isTTY,
  writeFile: (p, d) => writeFileSync(p, d),
}).then((code) => {
  process.exitCode = code;
});

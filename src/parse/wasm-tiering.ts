// WebAssembly runs on V8's baseline compiler (Liftoff) only, for the whole process: libpg-query's
// parser here and PGlite in the replay sandbox's worker (V8 flags are per process).
//
// By default V8 re-compiles a hot WASM function with TurboFan on a background thread, and the
// process waits for those compile jobs before it exits. libpg-query's PL/pgSQL grammar function is
// huge: on Node 24 (the action's runtime, `runs.using: node24`) one `DO $$ … $$` body started a
// tier-up that held a one-file run for ~2 s at exit and took ~540 MB (measured: 2.3 s / 617 MB
// against 0.53 s / 96 MB). On the corpus bench (Node 20) baseline-only is also faster: -18..21%
// wall, -24% CPU, the same results and the same parser stack limit; the replay's times do not move.
//
// Which flags V8 honours when they are set at run time changed between versions, so all of them:
// `--liftoff-only` (V8 ≤ 12: Node 20, 22); `--no-wasm-tier-up` with `--no-wasm-dynamic-tiering`
// (V8 13, Node 24, where `--liftoff-only` set after start-up no longer implies them: alone, each
// still left 872 corpus files at 3.5 s / 650 MB against 2.3 s / 217 MB with both); and a tiering
// budget no run reaches (`--wasm-tiering-budget`, read when a module is instantiated). V8 ignores
// flags it does not know. Set before any WASM is compiled: the parser's first compile and the
// worker's start.
import { setFlagsFromString } from 'node:v8';

let set = false;

export function keepWasmOnBaseline(): void {
  if (set) return;
  set = true;
  for (const flag of ['--liftoff-only', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering', `--wasm-tiering-budget=${2 ** 31 - 1}`]) setFlagsFromString(flag);
}

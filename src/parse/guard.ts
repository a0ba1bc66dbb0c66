// The PostgreSQL parser (libpg-query's WASM build) behind a guard: every call into the WASM goes
// through here, so that no input can hang, crash or silently corrupt it.
//
// What was measured (libpg-query 18.1.5, Node 20):
// - A stack overflow inside the WASM (e.g. `SELECT 1+1+…` with 10,000 terms) surfaces as a
//   RangeError and leaves the instance corrupted: after a few dozen of them a *valid* query throws
//   "memory access out of bounds", or the next call never returns. An Emscripten abort() leaves it
//   dead the same way. So after any failure that is not an ordinary syntax error the instance is
//   thrown away, the text that broke it is remembered (it never reaches the parser again) and a
//   fresh instance is made from the already compiled module (~5 ms) at the next `loadModule()`.
// - The PostgreSQL lexer is quadratic on long runs of operator characters (`+-+-…`: 16 k chars take
//   0.5 s, 200 k chars 17 s) and on comment openers packed into one run (`/*/*/*…`: 400 kB took
//   73 s). `precheck` turns such texts, and nesting deeper than any real migration, into a parse
//   error without calling the parser.
//
// Why not libpg-query's own wrapper: it keeps one module-level instance created at import time and
// offers no way to replace it after a crash; it also decodes each result with a per-byte JS loop.
// This file uses the library's Emscripten glue and WASM as they are and replaces only that wrapper.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { keepWasmOnBaseline } from './wasm-tiering.js';
import type { ParseResult, ScanResult } from 'libpg-query';
// @ts-expect-error the Emscripten glue ships without type declarations
import PgQueryModule from 'libpg-query/wasm/libpg-query.js';

/** Limits of `precheck`; far above anything a real migration contains. */
export const LIMITS = {
  /** Parentheses / brackets nested deeper than this are not parsed. */
  nesting: 500,
  /** A run of operator characters longer than this (outside strings and comments) is not parsed. */
  operatorRun: 256,
  /** Block comments nested deeper than this are not parsed. */
  commentNesting: 256,
};

/** A syntax error reported by PostgreSQL's parser (the normal failure). */
export class PgSyntaxError extends Error {
  override name = 'PgSyntaxError';
  constructor(
    message: string,
    /** 0-based byte offset of the error in the text, when known. */
    readonly cursorPosition?: number,
  ) {
    super(message);
  }
}

/** The text was not given to the parser (see `precheck`), or the parser crashed on it. */
export class PgGuardError extends Error {
  override name = 'PgGuardError';
  constructor(
    message: string,
    /** precheck: refused before parsing; crash: the parser failed on it; restarting: no parser until `loadModule()`. */
    readonly reason: 'precheck' | 'crash' | 'restarting',
  ) {
    super(message);
  }
}

interface Instance {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  _malloc(n: number): number;
  _free(p: number): void;
  _wasm_parse_query_raw(p: number): number;
  _wasm_free_parse_result(p: number): void;
  _wasm_parse_plpgsql(p: number): number;
  _wasm_scan(p: number): number;
  _wasm_free_string(p: number): void;
  UTF8ToString(p: number): string;
}

let compiled: Promise<WebAssembly.Module> | null = null;
let current: Instance | null = null;
let pending: Promise<void> | null = null;
/** Texts that crashed the parser, with the failure: never given to it again. */
const poisoned = new Map<string, string>();
let poisonedChars = 0;
let crashes = 0;

function wasmPath(): string {
  // Bundled (dist/…): the .wasm is copied beside the bundle. From source: the package's file.
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'libpg-query.wasm');
  if (existsSync(beside)) return beside;
  return createRequire(import.meta.url).resolve('libpg-query/wasm/libpg-query.wasm');
}

function compile(): Promise<WebAssembly.Module> {
  keepWasmOnBaseline();
  return held(WebAssembly.compile(readFileSync(wasmPath())));
}

/**
 * `p`, with Node's event loop held open until it settles. V8 finishes a WASM compile on its own
 * threads and settles the promise from there; nothing in Node's loop waits for it, so a run with
 * nothing else pending ends first (seen on Node 24 with eager compilation: the process exited
 * mid-run, which src/cli/index.ts now reports, where it used to exit 0).
 */
function held<T>(p: Promise<T>): Promise<T> {
  const timer = setInterval(() => {}, 2 ** 30);
  return p.finally(() => clearInterval(timer));
}

async function instantiate(): Promise<Instance> {
  compiled ??= compile();
  const module = await compiled;
  return (await PgQueryModule({
    instantiateWasm(imports: WebAssembly.Imports, receive: (i: WebAssembly.Instance) => void) {
      WebAssembly.instantiate(module, imports).then(receive);
      return {};
    },
    // Emscripten prints aborts to stderr; the failure is reported as a finding instead.
    print: () => {},
    printErr: () => {},
  })) as Instance;
}

/**
 * Start compiling the parser's WASM in the background (V8 compiles off the main thread), e.g.
 * while the CLI reads the files. Errors surface at `loadModule()`.
 */
export function preload(): void {
  try {
    compiled ??= compile();
    compiled.catch(() => {});
  } catch {
    // reported by loadModule()
  }
}

/** Make sure a healthy parser instance is ready (a new one after a crash). Cheap when it is. */
export function loadModule(): Promise<void> {
  if (current) return Promise.resolve();
  pending ??= instantiate().then(
    (inst) => {
      current = inst;
      pending = null;
    },
    (e) => {
      pending = null;
      throw e;
    },
  );
  return pending;
}

/** True when the parser crashed since the last `loadModule()`: results made since then are partial. */
export function needsReload(): boolean {
  return current === null;
}

/** How many times the parser crashed in this process (for tests and diagnostics). */
export function crashCount(): number {
  return crashes;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function readString(inst: Instance, ptr: number): string {
  if (!ptr) return '';
  const heap = inst.HEAPU8;
  const end = heap.indexOf(0, ptr);
  return decoder.decode(heap.subarray(ptr, end < 0 ? heap.length : end));
}

function shorten(m: string): string {
  return m.length > 200 ? m.slice(0, 200) + '…' : m;
}

/**
 * Run `fn` on a copy of `sql` in the WASM heap; `fn` returns the parser's output text. A
 * PgSyntaxError passes through; any other failure inside the WASM marks the instance dead and the
 * text poisoned.
 */
function call(sql: string, fn: (inst: Instance, ptr: number) => string): string {
  const refused = precheck(sql);
  if (refused) throw new PgGuardError(refused, 'precheck');
  const crashed = poisoned.get(sql);
  if (crashed) throw new PgGuardError(crashed, 'crash');
  const inst = current;
  if (!inst) throw new PgGuardError('the PostgreSQL parser is being restarted after it crashed on an earlier statement', 'restarting');
  // Emscripten's exit() sets process.exitCode; a crash must not change how the process ends.
  const exitCode = process.exitCode;
  let ptr = 0;
  try {
    // Lone surrogates become U+FFFD (3 bytes), as Buffer.byteLength counts them.
    const len = Buffer.byteLength(sql, 'utf8') + 1;
    ptr = inst._malloc(len);
    if (!ptr) throw new Error('out of memory');
    const { written } = encoder.encodeInto(sql, inst.HEAPU8.subarray(ptr, ptr + len - 1));
    inst.HEAPU8[ptr + written] = 0;
    return fn(inst, ptr);
  } catch (e) {
    if (e instanceof PgSyntaxError) throw e;
    // Anything else (stack overflow, abort, out of memory): do not trust this instance again.
    // Its heap may be corrupt, so do not even free.
    ptr = 0;
    current = null;
    crashes++;
    process.exitCode = exitCode;
    const err = e as { name?: unknown; message?: unknown } | null;
    const what = typeof err?.message === 'string' ? `${String(err.name ?? 'Error')}: ${err.message}` : String(e);
    const msg = `the PostgreSQL parser crashed on this text (${shorten(what)})`;
    poisonedChars += sql.length;
    if (poisoned.size >= 1000 || poisonedChars > 64 * 1024 * 1024) {
      poisoned.clear(); // bounded memory; a forgotten text only costs one more crash
      poisonedChars = sql.length;
    }
    poisoned.set(sql, msg);
    throw new PgGuardError(msg, 'crash');
  } finally {
    if (ptr) inst._free(ptr);
  }
}

/** JSON output of the parser, or its error message (anything that is not a JSON object). */
function json(out: string, what: string): any {
  if (!out.startsWith('{')) throw new PgSyntaxError(out || `${what} failed`);
  try {
    return JSON.parse(out);
  } catch (e) {
    throw new PgSyntaxError(`unreadable ${what} output (${shorten((e as Error).message)})`);
  }
}

/** libpg-query's parseSync: the raw parse tree of `sql`. Throws PgSyntaxError or PgGuardError. */
export function parseSync(sql: string): ParseResult {
  const out = call(sql, (inst, ptr) => {
    const res = inst._wasm_parse_query_raw(ptr);
    if (!res) throw new Error('parse result allocation failed');
    try {
      const r = res >>> 2;
      const tree = inst.HEAPU32[r];
      const error = inst.HEAPU32[r + 2];
      if (error) {
        const e = error >>> 2;
        const message = readString(inst, inst.HEAPU32[e]) || 'syntax error';
        const cursor = inst.HEAPU32[e + 4] | 0;
        throw new PgSyntaxError(message, cursor > 0 ? cursor - 1 : undefined);
      }
      if (!tree) throw new Error('no parse tree');
      return readString(inst, tree);
    } finally {
      inst._wasm_free_parse_result(res);
    }
  });
  return json(out, 'parse');
}

function stringCall(sql: string, fn: (inst: Instance, ptr: number) => number): string {
  return call(sql, (inst, ptr) => {
    const res = fn(inst, ptr);
    if (!res) throw new Error('no result');
    try {
      return readString(inst, res);
    } finally {
      inst._wasm_free_string(res);
    }
  });
}

/** libpg-query's parsePlPgSQLSync: PL/pgSQL functions of a CREATE FUNCTION / DO statement. */
export function parsePlPgSQLSync(sql: string): any {
  return json(stringCall(sql, (inst, ptr) => inst._wasm_parse_plpgsql(ptr)), 'PL/pgSQL parse');
}

/** libpg-query's scanSync: the lexer's tokens of `sql`. */
export function scanSync(sql: string): ScanResult {
  return json(stringCall(sql, (inst, ptr) => inst._wasm_scan(ptr)), 'scan');
}

const OP = new Uint8Array(128);
for (const c of '~!@#^&|`?+-*/%<>=') OP[c.charCodeAt(0)] = 1;
const isOp = (c: number) => c < 128 && OP[c] === 1;
const isIdent = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
const DOLLAR = /\$([A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF]*)?\$/y;

/**
 * Why `sql` must not be given to the parser, or null. A light lexer (strings, quoted identifiers,
 * dollar quotes and comments skipped, as PostgreSQL's lexer does) looks for what makes the parser
 * slow or deep: parenthesis nesting, long operator runs, deep or packed comment openers.
 */
export function precheck(sql: string): string | null {
  const n = sql.length;
  // Every limit needs more characters than it counts: short texts (most nested ones) pass as is.
  if (n <= Math.min(LIMITS.nesting, LIMITS.operatorRun, LIMITS.commentNesting)) return null;
  let depth = 0;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 40 || c === 91) {
      // ( [
      if (++depth > LIMITS.nesting) return `parentheses nested more than ${LIMITS.nesting} levels deep: not given to the parser`;
      i++;
    } else if (c === 41 || c === 93) {
      if (depth > 0) depth--;
      i++;
    } else if (c === 39) {
      // '…' ('' doubles; E'…' takes backslash escapes)
      const p = i > 0 ? sql.charCodeAt(i - 1) : 0;
      const e = (p === 69 || p === 101) && !(i > 1 && isIdent(sql.charCodeAt(i - 2)));
      i++;
      while (i < n) {
        const d = sql.charCodeAt(i);
        if (e && d === 92) i += 2;
        else if (d === 39) {
          if (sql.charCodeAt(i + 1) === 39) i += 2;
          else break;
        } else i++;
      }
      i++;
    } else if (c === 34) {
      const close = sql.indexOf('"', i + 1);
      i = close < 0 ? n : close + 1;
    } else if (c === 36 && !(i > 0 && isIdent(sql.charCodeAt(i - 1)))) {
      DOLLAR.lastIndex = i;
      const m = DOLLAR.exec(sql);
      if (!m) {
        i++;
        continue;
      }
      const close = sql.indexOf(m[0], i + m[0].length);
      i = close < 0 ? n : close + m[0].length;
    } else if (c === 45 && sql.charCodeAt(i + 1) === 45) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      // Block comment, nested. The lexer rescans the rest of an operator-character run at every
      // `/*` in it: many openers packed into one run is quadratic.
      let cdepth = 0;
      let run = 0;
      let openers = 0;
      while (i < n) {
        const d = sql.charCodeAt(i);
        if (d === 47 && sql.charCodeAt(i + 1) === 42) {
          if (++cdepth > LIMITS.commentNesting) return `comments nested more than ${LIMITS.commentNesting} levels deep: not given to the parser`;
          openers++;
          run += 2;
          i += 2;
        } else if (d === 42 && sql.charCodeAt(i + 1) === 47) {
          cdepth--;
          run += 2;
          i += 2;
          if (cdepth === 0) break;
        } else {
          if (isOp(d)) run++;
          else {
            run = 0;
            openers = 0;
          }
          i++;
        }
        if (run > LIMITS.operatorRun && openers > 16) return `a run of ${run}+ operator characters packed with comment openers: not given to the parser`;
      }
    } else if (isOp(c)) {
      // Operator run in code; it ends where a comment starts.
      let j = i;
      while (j < n && isOp(sql.charCodeAt(j))) {
        const d = sql.charCodeAt(j);
        const e = sql.charCodeAt(j + 1);
        if (j > i && ((d === 45 && e === 45) || (d === 47 && e === 42))) break;
        j++;
      }
      if (j - i > LIMITS.operatorRun) return `a run of ${j - i} operator characters: not given to the parser`;
      i = j;
    } else i++;
  }
  return null;
}

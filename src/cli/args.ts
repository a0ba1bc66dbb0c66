// Command-line parsing shared by the CLI's commands (check, verify, privileges).
import { parseArgs } from 'node:util';
import { didYouMean } from '../config/index.js';

/** A mistake in the command line: one line on stderr and exit 2, never a stack trace. */
export class UsageError extends Error {}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'] & object;

/** node:util's parseArgs (strict, positionals allowed); an unknown option says what was meant. */
export function parseCommandLine<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, allowPositionals: true as const, strict: true as const, options });
  } catch (e) {
    const msg = (e as Error).message;
    const opt = /option '([^']+)'/.exec(msg)?.[1];
    const known = Object.keys(options).map((k) => `--${k}`);
    throw new UsageError(opt && /^Unknown option/.test(msg) ? `unknown option '${opt}'${didYouMean(opt.replace(/=.*/, ''), known)}` : msg.split('\n')[0]);
  }
}

/** What a command reads and writes besides files (process streams in the CLI, buffers in tests). */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  writeFile?: (path: string, data: string) => void;
  /** Standard input, read whole (for `check -`). */
  readStdin?: () => Promise<Uint8Array>;
  env?: Record<string, string | undefined>;
}

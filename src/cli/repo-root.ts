// SARIF locations are relative to the repository root (what code scanning resolves them
// against), while the CLI's paths are relative to its working directory.
import { execFileSync } from 'node:child_process';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SarifOptions } from '../report/sarif.js';

export function sarifRoot(cwd = process.cwd()): SarifOptions {
  let top: string | null = null;
  try {
    top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    top = null; // not a work tree, or no git: the working directory is the root
  }
  if (!top) return { pathFromRoot: '', rootUri: pathToFileURL(cwd).href };
  let real = cwd;
  try {
    real = execFileSync('git', ['rev-parse', '--show-prefix'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { pathFromRoot: real.replace(/\/$/, ''), rootUri: pathToFileURL(top).href };
  } catch {
    return { pathFromRoot: relative(top, cwd).split('\\').join('/'), rootUri: pathToFileURL(top).href };
  }
}

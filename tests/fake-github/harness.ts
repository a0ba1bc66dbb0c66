// Runs the bundled action (dist/index.js) exactly as the runner does: event JSON at
// GITHUB_EVENT_PATH, INPUT_* for every input (names upper-cased, hyphens kept), GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, RUNNER_TEMP, GITHUB_WORKSPACE; the API is the fake server.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeGitHub, RepoState } from './server.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The bundle under test; MIGRATION_GATE_BUNDLE points the suite at another build. */
export const BUNDLE = process.env.MIGRATION_GATE_BUNDLE ? resolve(process.env.MIGRATION_GATE_BUNDLE) : join(ROOT, 'dist', 'index.js');

/** Defaults of action.yml, as the runner passes them. */
export function defaultInputs(token: string): Record<string, string> {
  return {
    'github-token': token,
    config: '.github/migration-gate.yml',
    'status-context': 'migration-gate',
    comment: 'both',
    'fail-job': 'true',
  };
}

export interface RunOptions {
  event?: string;
  action?: string;
  inputs?: Record<string, string>;
  /** Extra or replaced fields of payload.pull_request. */
  pr?: Record<string, unknown>;
  /** Replace the whole payload. */
  payload?: unknown;
  env?: Record<string, string>;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  dir: string;
  /** Contents of the files the `report` / `sarif` outputs point at ('' when absent). */
  report: string;
  sarif: string;
  /** Everything a log reader or a later step could see. */
  all: string;
}

/** GITHUB_OUTPUT uses `name<<DELIM\nvalue\nDELIM` blocks (and legacy `name=value` lines). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (m) {
      const val: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== m[2]) val.push(lines[i++]);
      out[m[1]] = val.join('\n');
    } else if (lines[i].includes('=')) {
      const k = lines[i].slice(0, lines[i].indexOf('='));
      out[k] = lines[i].slice(k.length + 1);
    }
  }
  return out;
}

export function payloadFor(state: RepoState, event: string, action: string, pr: Record<string, unknown> = {}): unknown {
  const repository = { full_name: state.fullName, name: state.repo, owner: { login: state.owner, type: 'Organization' } };
  const pull_request = {
    number: state.number,
    state: 'open',
    user: state.author,
    head: { sha: state.headSha, ref: 'feature', repo: repository },
    base: { sha: state.baseSha, ref: 'main', repo: repository },
    changed_files: state.files.length,
    ...pr,
  };
  const payload: Record<string, unknown> = { action, number: state.number, pull_request, repository, sender: state.author };
  if (event === 'pull_request_review') payload.review = { id: 1, state: 'approved', user: { login: 'someone', type: 'User' } };
  return payload;
}

const dirs: string[] = [];

/** Remove the temp dirs of every run (call in afterAll). */
export function cleanupRuns(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export async function runAction(fake: FakeGitHub, state: RepoState, opts: RunOptions = {}): Promise<RunResult> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run node scripts/build.mjs`);
  const dir = mkdtempSync(join(tmpdir(), 'mg-e2e-'));
  dirs.push(dir);
  const event = opts.event ?? 'pull_request_target';
  const payload = opts.payload ?? payloadFor(state, event, opts.action ?? 'opened', opts.pr);
  const eventPath = join(dir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(payload));
  const outputPath = join(dir, 'output');
  const summaryPath = join(dir, 'summary.md');
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const inputs = { ...defaultInputs(state.token), ...(opts.inputs ?? {}) };
  // A clean environment, like a runner's: nothing leaks in from the test process (proxies, a real
  // GITHUB_TOKEN, …).
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: state.fullName,
    GITHUB_API_URL: fake.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_RUN_ID: '4242',
    GITHUB_SHA: 'f'.repeat(40), // the merge commit: must NOT be what the action reads
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    RUNNER_TEMP: dir,
    GITHUB_WORKSPACE: join(dir, 'workspace'),
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v])),
    ...(opts.env ?? {}),
  };
  const child = spawn(process.execPath, [BUNDLE], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((res) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 150_000); // runs start a sandboxed replay each, many at once
    child.on('close', (c) => {
      clearTimeout(timer);
      res(c);
    });
  });
  const outputs = parseOutputFile(readFileSync(outputPath, 'utf8'));
  const summary = readFileSync(summaryPath, 'utf8');
  const read = (p: string | undefined) => (p && existsSync(p) ? readFileSync(p, 'utf8') : '');
  const report = read(outputs.report);
  const sarif = read(outputs.sarif);
  return { code, stdout, stderr, outputs, summary, dir, report, sarif, all: [stdout, stderr, summary, readFileSync(outputPath, 'utf8'), report, sarif].join('\n') };
}

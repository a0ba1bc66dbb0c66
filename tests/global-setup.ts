// Every temporary directory the tests make (mkdtempSync(join(tmpdir(), …)) in the test files, and
// whatever the spawned CLI, action and servers write to the OS temp directory) goes under one folder
// of this run, removed when the run ends: a test run leaves nothing behind in /tmp. Set before the
// test processes start (pool 'forks': each inherits this environment; os.tmpdir() reads TMPDIR,
// and TEMP/TMP on Windows, at each call).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'mg-test-'));
  // As /tmp is (sticky, open to every user): the throwaway PostgreSQL and MariaDB servers of the
  // live tests run as their own users, in folders made here (mkdtemp makes 0700, which shut them out).
  chmodSync(root, 0o1777);
  for (const k of ['TMPDIR', 'TEMP', 'TMP']) process.env[k] = root;
  return () => rmSync(root, { recursive: true, force: true });
}

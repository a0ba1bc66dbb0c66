import type { Rule } from '../src/types.js';
import { mayHoldMigrations, safeLinkText } from '../src/discover/symlink.js';

const WHY: Record<string, string> = {
  outside: 'outside the repository',
  directory: 'to a directory',
  dangling: 'to nothing (the target does not exist at the head commit)',
  loop: 'into a loop of links (more than 40)',
  unknown: 'somewhere that could not be read',
};

/**
 * Reported from the file list (the action: git mode 120000 at the head commit; the CLI: links on
 * disk). Engine-level: src/engine.ts passes each linked file's `link` to this check.
 */
const rule: Rule = {
  meta: {
    id: 'migration-symlink',
    category: 'integrity',
    severity: 'error',
    summary: 'A migration (or a path migrations are read through) is a symbolic link',
    rationale:
      'The migration runner opens the path and the operating system follows the link at deploy time: what runs is whatever the target is then, not what the diff shows. ' +
      'A link that leads outside the repository (`../../etc/passwd`, an absolute path), to a directory, to nothing or into a loop cannot be reviewed at all, so it gates (error). ' +
      'A link to a regular file inside the repository is reviewed as the runner reads it — the target’s content under the link’s name — and is still reported (warning), because a later change to the target changes this migration without touching it. ' +
      'It cannot be suppressed by a comment in the file (the comment would be in the target); turn it off for a path in the base branch’s config.',
    fix: 'Commit the migration as a regular file (git mode 100644) in the migrations folder instead of a link.',
    examples: {
      bad: [
        { sql: '', change: { filename: 'migrations/0003_x.sql', status: 'added', link: { target: '../../etc/passwd', resolved: null, problem: 'outside' } } },
        { sql: '', change: { filename: 'db/migrate', status: 'added', link: { target: '/srv/shared/migrations', resolved: null, problem: 'outside' } } },
        { sql: '', change: { filename: 'migrations/0004_y.sql', status: 'added', link: { target: '../docs/notes.txt', resolved: 'docs/notes.txt' } } },
      ],
      good: [
        { sql: '', change: { filename: 'migrations/0003_x.sql', status: 'added' } },
        { sql: '', change: { filename: 'README.md', status: 'added', link: { target: 'docs/README.md', resolved: 'docs/README.md' } } },
        { sql: '', change: { filename: 'migrations/0003_x.sql', status: 'removed', link: { target: '../../etc/passwd', resolved: null, problem: 'outside' } } },
      ],
    },
  },
  checkChange(change, { report, isMigration }) {
    const link = change.link;
    if (!link || change.status === 'removed') return;
    const path = change.filename;
    const migration = isMigration(path);
    const intoMigration = link.resolved !== null && isMigration(link.resolved);
    const mayHold = link.problem !== undefined && mayHoldMigrations(path, isMigration);
    if (!migration && !intoMigration && !mayHold) return;
    const target = safeLinkText(link.target);
    if (link.resolved !== null) {
      report({
        severity: 'warning',
        key: link.resolved,
        message: migration
          ? `${path} is a symbolic link to ${link.resolved} (\`${target}\`): the runner runs that file, reviewed here under this name; a later change to ${link.resolved} changes this migration.`
          : `${path} is a symbolic link to the migration ${link.resolved} (\`${target}\`).`,
      });
      return;
    }
    if (!link.target) {
      report({
        key: 'unknown',
        message: `${path}: what the head commit holds at this path is not the blob the pull request lists (a symbolic link, which the API follows, or a push during the review). Nothing behind this path was verified; re-run the job.`,
      });
      return;
    }
    report({
      key: `${link.problem}:${link.target}`,
      message: `${path} is a symbolic link (\`${target}\`) ${WHY[link.problem ?? 'unknown']}: the runner follows it at deploy time and runs whatever it finds there, which cannot be reviewed. Nothing behind this path was verified.`,
    });
  },
};
export default rule;

import { pythonFacts, type AlembicFacts } from '../src/python/facts.js';
import type { Extracted, Rule } from '../src/types.js';

interface Rev {
  file: Extracted;
  f: AlembicFacts;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}

const rule: Rule = {
  meta: {
    id: 'alembic-revision-graph',
    category: 'integrity',
    severity: 'warning',
    summary: 'Alembic revision graph problem: duplicate revision id, several heads, a cycle, or no revision id',
    rationale:
      'Alembic orders migrations by `revision`/`down_revision`. Two files with the same revision id, two new revisions on the same parent ' +
      '(several heads: `alembic upgrade head` refuses to run), a revision that is its own ancestor, or a missing id break deploys, or make ' +
      'the order in which changes run depend on luck. Only the files of the run (the pull request) are compared.',
    fix: 'Give each revision a unique id, rebase the new revision on the current head (or add a merge revision), and fix cycles.',
    examples: {
      bad: [{ path: 'migrations/versions/ab12_x.py', sql: "from alembic import op\nrevision = 'ab12'\ndown_revision = 'ab12'\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n" }],
      good: [{ path: 'migrations/versions/ab12_x.py', sql: "from alembic import op\nrevision = 'ab12'\ndown_revision = 'aa11'\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n" }],
    },
  },
  checkFile(file, { report }) {
    const a = pythonFacts(file.facts)?.alembic;
    if (!a) return;
    if (a.revision === undefined) report({ message: 'This Alembic revision has no literal `revision` id: its place in the migration order cannot be checked.', line: a.revisionLine });
    else if (a.downRevisions.includes(a.revision)) report({ message: `Revision ${a.revision} names itself as its down_revision (a cycle): Alembic cannot order it.`, line: a.downRevisionLine });
    if (a.downRevisionUnknown) report({ message: '`down_revision` is not a literal: the parent of this revision cannot be checked.', line: a.downRevisionLine, key: 'down' });
  },
  checkRun(files, { report }) {
    const revs: Rev[] = [];
    for (const file of files) {
      const f = pythonFacts(file.facts)?.alembic;
      if (f?.revision !== undefined) revs.push({ file, f });
    }
    // Duplicate ids within one versions directory (separate Alembic projects, e.g. one per
    // database, may reuse an id legitimately; their directories differ).
    const byId = new Map<string, Rev[]>();
    for (const r of revs) {
      const k = `${dirOf(r.file.path)}\0${r.f.revision}`;
      byId.set(k, [...(byId.get(k) ?? []), r]);
    }
    for (const [k, list] of byId) {
      if (list.length < 2) continue;
      const id = k.split('\0')[1];
      for (const r of list) {
        const others = list.filter((o) => o !== r).map((o) => o.file.path);
        report({ path: r.file.path, line: r.f.revisionLine, message: `Duplicate revision id ${id}: also used by ${others.join(', ')}.`, key: 'duplicate' });
      }
    }
    // Several heads per versions directory: revisions no other revision of the run builds on.
    const byDir = new Map<string, Rev[]>();
    for (const r of revs) byDir.set(dirOf(r.file.path), [...(byDir.get(dirOf(r.file.path)) ?? []), r]);
    for (const [dir, list] of byDir) {
      if (list.length < 2) continue;
      const ids = new Map(list.map((r) => [r.f.revision!, r]));
      const parents = new Set(list.flatMap((r) => r.f.downRevisions));
      const labelled = (r: Rev): boolean => {
        const seen = new Set<string>();
        for (let cur: Rev | undefined = r; cur && !seen.has(cur.f.revision!); ) {
          if (cur.f.branchLabels) return true;
          seen.add(cur.f.revision!);
          cur = cur.f.downRevisions.length === 1 ? ids.get(cur.f.downRevisions[0]) : undefined;
        }
        return false;
      };
      const heads = list.filter((r) => !parents.has(r.f.revision!) && !r.f.downRevisionUnknown && !labelled(r));
      if (heads.length >= 2) {
        for (const h of heads) {
          const others = heads.filter((o) => o !== h).map((o) => o.f.revision);
          const parent = h.f.downRevisions.length ? `on ${h.f.downRevisions.join(' + ')}` : 'as a base revision (down_revision = None)';
          report({ path: h.file.path, line: h.f.downRevisionLine, message: `Several heads in ${dir}: revision ${h.f.revision} (built ${parent}) and ${others.join(', ')} are both heads; \`alembic upgrade head\` will refuse to run until they are merged.`, key: 'heads' });
        }
      }
      // Cycles longer than one (self-references are reported per file).
      const state = new Map<string, 0 | 1 | 2>();
      const visit = (id: string, path: string[]): void => {
        const r = ids.get(id);
        if (!r) return;
        const st = state.get(id);
        if (st === 2) return;
        if (st === 1) {
          const cyc = path.slice(path.indexOf(id));
          if (cyc.length > 1) report({ path: r.file.path, line: r.f.downRevisionLine, message: `Revision cycle: ${[...cyc, id].join(' → ')}.`, key: 'cycle' });
          return;
        }
        state.set(id, 1);
        for (const p of r.f.downRevisions) if (p !== id) visit(p, [...path, id]);
        state.set(id, 2);
      };
      for (const r of list) visit(r.f.revision!, []);
    }
  },
};
export default rule;

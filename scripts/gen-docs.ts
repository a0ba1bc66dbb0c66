// Generates the README rule table and docs/rules/<id>.md from rule meta (never written twice).
// `--check` exits 1 when the committed files differ from what would be generated.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules } from '../rules/index.js';
import { CATEGORIES, type Rule } from '../src/types.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const sorted = [...rules].sort((a, b) => CATEGORIES.indexOf(a.meta.category) - CATEGORIES.indexOf(b.meta.category) || a.meta.id.localeCompare(b.meta.id));

export function ruleTable(list: Rule[] = sorted): string {
  const rows = ['| Rule | Category | Severity | What it flags |', '| --- | --- | --- | --- |'];
  for (const r of list) rows.push(`| [\`${r.meta.id}\`](docs/rules/${r.meta.id}.md) | ${r.meta.category} | ${r.meta.severity} | ${cell(r.meta.summary)} |`);
  return rows.join('\n');
}

function fenceFor(sql: string): string {
  const longest = Math.max(2, ...[...sql.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

export function ruleDoc(r: Rule): string {
  const m = r.meta;
  const ex = (list: typeof m.examples.bad) =>
    list
      .map((e) => {
        if (e.change) {
          const c = e.change;
          const what = `${c.status}: \`${c.previousFilename ? `${c.previousFilename} → ` : ''}${c.filename}\``;
          return `Pull request file ${what}` + (c.patch ? `\n\n\`\`\`diff\n${c.patch}\n\`\`\`` : '');
        }
        const f = fenceFor(e.sql);
        const lang = e.path?.endsWith('.py') ? 'python' : 'sql';
        const note = [e.dialect ? `dialect: ${e.dialect}` : '', e.path ? `file: \`${e.path}\`` : ''].filter(Boolean).join(', ');
        return `${note ? `_${note}_\n\n` : ''}${f}${lang}\n${e.sql.replace(/\n$/, '')}\n${f}`;
      })
      .join('\n\n');
  return [
    `# ${m.id}`,
    '',
    `**Category:** ${m.category} · **Severity:** ${m.severity}${m.severity === 'error' ? ' (gating)' : ' (not gating by default)'}`,
    '',
    m.summary + '.',
    '',
    '## Why',
    '',
    m.rationale,
    '',
    '## How to fix',
    '',
    m.fix,
    '',
    '## Flagged',
    '',
    ex(m.examples.bad),
    '',
    '## Not flagged',
    '',
    ex(m.examples.good),
    '',
    `<!-- generated from rules/${m.id}.ts by scripts/gen-docs.ts -->`,
    '',
  ].join('\n');
}

export function readmeWithTable(readme: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error('README.md lacks the rules markers');
  return readme.slice(0, a + START.length) + '\n' + ruleTable() + '\n' + readme.slice(b);
}

const check = process.argv.includes('--check');
let stale = false;
const readmePath = join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const next = readmeWithTable(readme);
if (next !== readme) {
  stale = true;
  if (!check) writeFileSync(readmePath, next);
}
const docsDir = join(root, 'docs', 'rules');
mkdirSync(docsDir, { recursive: true });
const wanted = new Set<string>();
for (const r of rules) {
  const file = join(docsDir, `${r.meta.id}.md`);
  wanted.add(`${r.meta.id}.md`);
  const text = ruleDoc(r);
  let old = '';
  try {
    old = readFileSync(file, 'utf8');
  } catch {}
  if (old !== text) {
    stale = true;
    if (!check) writeFileSync(file, text);
  }
}
for (const f of readdirSync(docsDir)) {
  if (!wanted.has(f)) {
    stale = true;
    if (!check) rmSync(join(docsDir, f));
  }
}
if (check && stale) {
  console.error('README rule table or docs/rules/ are stale: run `npm run gen`.');
  process.exit(1);
}

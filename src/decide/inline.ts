// Inline review comments: which findings get a comment (only on lines inside the diff hunks),
// which are already posted (hidden fingerprint marker), which posted ones disappeared.
import { diffLines } from '../discover/diff.js';
import { escapeMd, ruleLink, trustedMd } from '../report/markdown.js';
import type { Finding, Result } from '../types.js';
import { ruleMeta } from './render.js';

const PREFIX = '<!-- migration-gate:finding ';
const RESOLVED = '<!-- migration-gate:resolved -->';
const MARKER_RE = /^\s*<!-- migration-gate:finding ([A-Za-z0-9_-]{1,128}) -->/;
const RESOLVED_RE = /^\s*<!-- migration-gate:finding [A-Za-z0-9_-]{1,128} -->\r?\n<!-- migration-gate:resolved -->/;

/** Hidden marker carried by each inline comment (first line of its body). */
export function inlineMarker(fingerprint: string): string {
  const fp = String(fingerprint).replace(/[^A-Za-z0-9_-]/g, '').slice(0, 128);
  if (!fp) throw new Error(`invalid finding fingerprint: ${JSON.stringify(fingerprint)}`);
  return `${PREFIX}${fp} -->`;
}

/** The fingerprint of one of our inline comments, or null (the marker must start the body). */
export function parseInlineMarker(body: string | null | undefined): string | null {
  if (typeof body !== 'string') return null;
  return MARKER_RE.exec(body)?.[1] ?? null;
}

/** True when the comment was already updated to say its finding disappeared. */
export function isResolvedComment(body: string | null | undefined): boolean {
  return typeof body === 'string' && RESOLVED_RE.test(body);
}

export { diffLines };

export interface ExistingComment {
  id: number;
  body: string;
  path: string;
  line: number | null;
}

export interface InlinePlan {
  create: Array<{ path: string; line: number; body: string; fingerprint: string }>;
  resolve: Array<{ id: number; body: string }>;
  outsideDiff: Finding[];
}

/** Body of the inline comment for one finding. */
export function inlineBody(f: Finding): string {
  const flags = [f.severity === 'error' ? '**error**' : escapeMd(f.severity), escapeMd(f.category)];
  if (f.gating) flags.push('needs approval');
  else if (f.suppressed) flags.push(`suppressed: ${escapeMd(f.suppressed.reason)}`);
  else if (f.down) flags.push('down migration, not gating');
  const lines = [inlineMarker(f.fingerprint), `**migration-gate** ${ruleLink(f.ruleId, { table: false })} · ${flags.join(' · ')}`, '', escapeMd(f.message)];
  const fix = ruleMeta(f.ruleId)?.fix;
  if (fix) lines.push('', `**Fix:** ${trustedMd(fix)}`);
  return lines.join('\n');
}

/** The update for a comment whose finding is no longer reported: marked resolved, old text quoted. */
export function resolvedBody(existing: string, fingerprint: string): string {
  const old = existing.replace(MARKER_RE, '').replace(/^\s*\n/, '');
  const quoted = old
    .split(/\r?\n/)
    .map((l) => `> ${l}`.trimEnd())
    .join('\n');
  return `${inlineMarker(fingerprint)}\n${RESOLVED}\n✅ **Resolved**: migration-gate no longer reports this finding.\n\n${quoted}`;
}

/** How far past a finding's first line we look for a commentable line of the same statement. */
const SPAN = 200;

/**
 * One comment per finding (error and warning; info findings stay in the summary), on the first line
 * of its statement that is inside the diff; a finding with no such line goes to outsideDiff.
 * Fingerprints already posted in an unresolved comment are skipped; unresolved comments whose
 * fingerprint disappeared are updated once to say so. A finding that comes back after its comment
 * was resolved gets a new comment.
 */
export function planInline(result: Result, patches: Record<string, string | undefined>, existing: ExistingComment[]): InlinePlan {
  const plan: InlinePlan = { create: [], resolve: [], outsideDiff: [] };
  const current = new Set(result.findings.map((f) => f.fingerprint));
  const posted = new Set<string>();
  for (const c of existing ?? []) {
    const fp = parseInlineMarker(c.body);
    if (fp === null) continue;
    if (isResolvedComment(c.body)) continue;
    if (current.has(fp)) posted.add(fp);
    else plan.resolve.push({ id: c.id, body: resolvedBody(c.body, fp) });
  }
  const lineCache = new Map<string, Set<number>>();
  const planned = new Set<string>();
  for (const f of result.findings) {
    if (f.severity === 'info') continue;
    if (posted.has(f.fingerprint) || planned.has(f.fingerprint)) continue;
    let lines = lineCache.get(f.path);
    if (!lines) {
      lines = diffLines(Object.prototype.hasOwnProperty.call(patches ?? {}, f.path) ? patches[f.path] : undefined);
      lineCache.set(f.path, lines);
    }
    const last = Math.min(Math.max(f.endLine || f.line, f.line), f.line + SPAN);
    let target: number | undefined;
    for (let l = f.line; l <= last; l++)
      if (lines.has(l)) {
        target = l;
        break;
      }
    if (target === undefined) {
      plan.outsideDiff.push(f);
      continue;
    }
    planned.add(f.fingerprint);
    plan.create.push({ path: f.path, line: target, body: inlineBody(f), fingerprint: f.fingerprint });
  }
  return plan;
}

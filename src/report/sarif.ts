// SARIF 2.1.0 for GitHub code scanning. Messages and snippets are already redacted.
// What code scanning reads (docs.github.com, "SARIF support for code scanning"): rule `name` (a
// friendly PascalCase name, not the id), `helpUri`, `help`, `properties.security-severity` (0.1–10;
// with the `security` tag it becomes the alert's severity), `partialFingerprints`, URIs relative to
// the repository root (`%SRCROOT%`), and `automationDetails.id` (the analysis category).
import { rules as allRules } from '../../rules/index.js';
import { REPO_URL, ruleUrl } from './links.js';
import type { Category, Result, Rule, Severity } from '../types.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** GitHub's bands: ≥ 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
const CATEGORY_SEVERITY: Record<Category, number> = {
  credential: 9.1,
  execution: 8.8,
  privilege: 8.0,
  dynamic: 7.0,
  destructive: 6.5,
  integrity: 5.5,
  parse: 5.0,
  safety: 3.0,
};

export function securitySeverity(category: Category, severity: Severity): string {
  const base = CATEGORY_SEVERITY[category] ?? 5.0;
  const s = severity === 'error' ? base : severity === 'warning' ? Math.min(base, 4.0) : 1.0;
  return s.toFixed(1);
}

/**
 * `drop-column` → `DropColumn`: SARIF's friendly rule name. It must differ from the id, compared
 * without case (SARIF Multitool SARIF1001), so a one-word id gets a suffix: `grant` → `GrantRule`.
 */
export function pascalName(id: string): string {
  const name = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
  return name.toLowerCase() === id.toLowerCase() ? name + 'Rule' : name;
}

/** A relative path as a URI reference: each segment percent-encoded (`#`, `?`, spaces, …). */
function pathUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export interface SarifOptions {
  /**
   * Where the repository root is, relative to the directory the finding paths are relative to
   * (the CLI's working directory): `''` when they are the same, `'../..'` two levels up, or
   * `null` when not in a repository. Paths are rewritten to be relative to the root.
   */
  pathFromRoot?: string;
  /** Absolute `file:` URI of the repository root, for `originalUriBaseIds` (CLI only). */
  rootUri?: string;
}

export function toSarif(result: Result, rules: Rule[] = allRules, version = '0.1.0', opts: SarifOptions = {}): string {
  const used = new Set(result.findings.map((f) => f.ruleId));
  const ruleList = rules.filter((r) => used.has(r.meta.id));
  const index = new Map(ruleList.map((r, i) => [r.meta.id, i]));
  const prefix = opts.pathFromRoot ? opts.pathFromRoot.replace(/\/+$/, '') + '/' : '';
  const location = (path: string) => {
    // Absolute paths (outside the working directory) and paths that leave the root stay as they are.
    if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return { uri: 'file://' + (path.startsWith('/') ? '' : '/') + pathUri(path.replace(/\\/g, '/')) };
    const joined = (prefix + path).split('/').reduce<string[]>((acc, seg) => {
      if (seg === '..' && acc.length && acc[acc.length - 1] !== '..') acc.pop();
      else if (seg !== '.' && seg !== '') acc.push(seg);
      return acc;
    }, []);
    return { uri: pathUri(joined.join('/')), uriBaseId: '%SRCROOT%' };
  };
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'migration-gate',
            version,
            semanticVersion: version,
            informationUri: REPO_URL,
            rules: ruleList.map((r) => ({
              id: r.meta.id,
              name: pascalName(r.meta.id),
              shortDescription: { text: r.meta.summary.endsWith('.') ? r.meta.summary : r.meta.summary + '.' },
              fullDescription: { text: r.meta.rationale.endsWith('.') ? r.meta.rationale : r.meta.rationale + '.' },
              helpUri: ruleUrl(r.meta.id),
              // Our own text: markdown as written (trusted), plain text without the backticks.
              help: { text: `${r.meta.fix.replace(/`/g, '')}\n\n${ruleUrl(r.meta.id)}`, markdown: `${r.meta.fix}\n\n[Rule documentation](${ruleUrl(r.meta.id)})` },
              defaultConfiguration: { level: LEVEL[r.meta.severity] },
              properties: {
                category: r.meta.category,
                tags: ['security', 'migration', r.meta.category],
                precision: 'high',
                'security-severity': securitySeverity(r.meta.category, r.meta.severity),
              },
            })),
          },
        },
        automationDetails: { id: 'migration-gate/' },
        columnKind: 'utf16CodeUnits',
        ...(opts.rootUri ? { originalUriBaseIds: { '%SRCROOT%': { uri: opts.rootUri.endsWith('/') ? opts.rootUri : opts.rootUri + '/' } } } : {}),
        results: result.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId),
          level: LEVEL[f.severity],
          message: { text: /[.!?)]$/.test(f.message) ? f.message : f.message + '.' },
          locations: [
            {
              physicalLocation: {
                artifactLocation: location(f.path),
                region: { startLine: f.line, startColumn: f.column, endLine: Math.max(f.endLine, f.line), ...(f.snippet ? { snippet: { text: f.snippet } } : {}) },
              },
            },
          ],
          partialFingerprints: { 'migrationGate/v1': f.fingerprint },
          // An inline `migration-gate-ignore` comment: SARIF's own suppression (code scanning shows it as dismissed).
          ...(f.suppressed ? { suppressions: [{ kind: 'inSource', status: 'accepted', justification: f.suppressed.reason }] } : {}),
          properties: { category: f.category, gating: f.gating, ...(f.down ? { down: true } : {}) },
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

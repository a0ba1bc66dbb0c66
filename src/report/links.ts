// Where a finding's rule is documented: one place for every output (text, SARIF, Markdown).
export const REPO_URL = 'https://github.com/migration-gate/migration-gate';

/** The rule's documentation page (docs/rules/<id>.md, generated from the rule's meta). */
export function ruleUrl(id: string): string {
  return `${REPO_URL}/blob/main/docs/rules/${encodeURIComponent(id)}.md`;
}

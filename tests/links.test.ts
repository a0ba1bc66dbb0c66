// Every finding links to its rule page (Markdown report, PR comment, inline comment, annotation,
// text, SARIF), and our own text (fix hints) renders its `code` spans as code, while everything
// from the PR stays escaped.
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { annotations } from '../src/decide/annotations.js';
import { inlineBody } from '../src/decide/inline.js';
import { ruleUrl } from '../src/report/links.js';
import { ruleLink, toMarkdown, trustedMd } from '../src/report/markdown.js';
import { check } from './helpers.js';

const md = new MarkdownIt({ html: true, linkify: true });

describe('rule links and trusted text', () => {
  it('trustedMd renders our `code` spans as code and escapes the rest', () => {
    const html = md.renderInline(trustedMd('Create the role without one (or `PASSWORD NULL`) and ask @security <b>now</b>.'));
    expect(html).toContain('<code>PASSWORD NULL</code>');
    expect(html).not.toContain('`');
    expect(html).not.toContain('<b>');
    expect(html).not.toMatch(/@security/); // mention defused (zero-width space after @)
  });

  it('ruleLink is a link to the rule page whose text is the id in code', () => {
    expect(md.renderInline(ruleLink('drop-column'))).toBe(`<a href="${ruleUrl('drop-column')}"><code>drop-column</code></a>`);
  });

  it('inline comment, Markdown report and annotations link each finding to its rule', async () => {
    const r = await check("CREATE ROLE app LOGIN PASSWORD 'Sup3r-Secret-Value!';\nDROP TABLE users;\n");
    const pw = r.findings.find((f) => f.ruleId === 'hardcoded-password')!;
    const body = md.render(inlineBody(pw));
    expect(body).toContain(`href="${ruleUrl('hardcoded-password')}"`);
    expect(body).toContain('<code>PASSWORD NULL</code>'); // the fix hint, not literal backticks
    expect(md.render(toMarkdown(r))).toContain(`href="${ruleUrl('drop-table')}"`);
    for (const a of annotations(r)) expect(a.message).toMatch(/ \(rule: https:\/\/github\.com\/migration-gate\/migration-gate\/blob\/main\/docs\/rules\/[a-z-]+\.md\)$/);
    expect(JSON.stringify({ body, a: annotations(r) })).not.toContain('Sup3r-Secret-Value');
  });
});

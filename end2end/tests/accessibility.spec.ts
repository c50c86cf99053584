import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect, demo, signInAs, visit, type DemoPerson } from './fixtures';

// Every page passes axe-core's WCAG 2.1 A and AA rules. Each person walks the demo practice
// the way they would, by following the links their pages offer (one page of each kind:
// `/homework/<id>` once, not once per homework), and axe checks each page as it stands.
// With JS off there is nothing to run axe in; the server-rendered markup is the same.

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Links that lead to files or away, not pages: downloads, feeds, the API. */
const NOT_PAGES = /\.(csv|json|ics|svg|css|js|wasm)$|^\/(api|pkg|calendar)\//;

/** Pages of one kind share a shape: ids replaced, query values dropped. */
function kindOf(path: string): string {
  const url = new URL(path, 'http://x');
  const segments = url.pathname
    .split('/')
    .map((s) => (/\d/.test(s) && s.length >= 8 ? '{id}' : s))
    .join('/');
  const keys = [...url.searchParams.keys()].sort().join('&');
  return keys ? `${segments}?${keys}` : segments;
}

async function linksOn(page: Page): Promise<string[]> {
  const hrefs = await page
    .locator('a[href]')
    .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''));
  return hrefs
    .filter((h) => h.startsWith('/') && !h.startsWith('//'))
    .map((h) => h.split('#')[0])
    .filter((h) => h && !NOT_PAGES.test(new URL(h, 'http://x').pathname));
}

type Finding = { page: string; rule: string; impact: string; help: string; nodes: string[] };

async function check(page: Page, path: string): Promise<Finding[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  return results.violations.map((v) => ({
    page: path,
    rule: v.id,
    impact: v.impact ?? '',
    help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`),
  }));
}

/** Follows links from `start` (breadth first, one page per kind, at most `limit` pages) and
 *  returns what axe found on each. */
async function walk(page: Page, jsEnabled: boolean, start: string[], avoid?: RegExp, limit = 60) {
  const seen = new Set<string>();
  const queue = [...start];
  const findings: Finding[] = [];
  const visited: string[] = [];
  while (queue.length && visited.length < limit) {
    const path = queue.shift()!;
    const kind = kindOf(path);
    if (seen.has(kind) || avoid?.test(path)) continue;
    seen.add(kind);
    const response = await visit(page, jsEnabled, path);
    // A link to something this person may not open is a finding of its own elsewhere; here
    // only pages that open are checked.
    if (!response || response.status() !== 200) continue;
    if (new URL(page.url()).pathname === '/login' && path !== '/login') continue;
    visited.push(path);
    findings.push(...(await check(page, path)));
    queue.push(...(await linksOn(page)));
  }
  return { findings, visited };
}

function report(findings: Finding[]): string {
  return findings
    .map((f) => `${f.page}: ${f.rule} (${f.impact}): ${f.help}\n    ${f.nodes.join('\n    ')}`)
    .join('\n');
}

test.describe('every page passes WCAG 2.1 AA (axe-core)', () => {
  test.skip(({ jsEnabled }) => !jsEnabled, 'axe runs in the page');

  test('pages before signing in', async ({ page, jsEnabled }) => {
    const { findings, visited } = await walk(page, jsEnabled, ['/login', '/forgot', '/help']);
    expect(visited.length).toBeGreaterThanOrEqual(3);
    expect(findings, report(findings)).toEqual([]);
  });

  // The counselor's walk leaves the message threads unopened: opening one marks its messages
  // read, and the messages journey, running beside this one, counts them unread. The
  // partner's walk checks the same thread view.
  const people: [string, DemoPerson, number, RegExp | undefined][] = [
    ['the counselor', demo.counselor, 21, /^\/cases\/[^/]+\/messages\//],
    ['a partner', demo.alex, 9, undefined],
    ['the administrator', demo.admin, 10, undefined],
  ];
  for (const [who, person, atLeast, avoid] of people) {
    test(`every page ${who} can reach`, async ({ page, jsEnabled }) => {
      test.setTimeout(240_000);
      await signInAs(page, jsEnabled, person);
      const { findings, visited } = await walk(page, jsEnabled, ['/', '/settings'], avoid);
      expect(visited.length, visited.join('\n')).toBeGreaterThanOrEqual(atLeast);
      expect(findings, report(findings)).toEqual([]);
    });
  }
});

import type { Page } from '@playwright/test';
import {
  ALEX_CHECK_IN,
  demo,
  expect,
  openCaseFromCaseload,
  openCaseSection,
  sendCheckIn,
  signInAs,
  test,
  uniqueMark,
  visit,
  waitForPageReady,
} from './fixtures';

// Hostile input through real forms: Alex writes markup, script links and odd unicode into a
// small win, an agreement proposal, a check-in and a homework answer; Sam and the counselor
// then open every page that shows them. Nothing runs (no `window.__pwned`, no dialog, no
// CSP report in the console: the fixture fails the test on any console error), nothing
// arrives as an element, and every payload reads back as the literal text Alex typed.

const RTL = '\u202E';
const ZWJ = '\u200D';
const ZWSP = '\u200B';

function payloads(mark: string) {
  return {
    win: `<script>window.__pwned=1</script> WIN-${mark} 👩${ZWJ}❤️${ZWJ}👨 🎉`,
    proposal: `</textarea>"><svg onload="window.__pwned=1"> PROP-${mark} javascript:window.__pwned=1`,
    checkIn: `<img src=x onerror="window.__pwned=1"> CHK-${mark} ${RTL}gnp.exe`,
    answer: `</textarea><a href="javascript:window.__pwned=1">click</a> HW-${mark} zero${ZWSP}width`,
  };
}

/** Records every dialog a page opens in `seen` (and dismisses it). */
function watchDialogs(page: Page, seen: string[]) {
  page.on('dialog', (d) => {
    seen.push(`${page.url()}: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
}

/** The page shows `text` literally and holds nothing the payloads could have injected. */
async function showsLiterally(page: Page, jsEnabled: boolean, texts: string[]) {
  const main = page.locator('main');
  // Open every folded section (natively: this works with JavaScript off too).
  for (let i = 0; i < 50; i++) {
    const closed = main.locator('details:not([open]) > summary:visible');
    if ((await closed.count()) === 0) break;
    await closed.first().click();
  }
  const shown = await main.innerText();
  for (const text of texts) expect(shown, `shown as typed on ${page.url()}`).toContain(text);
  await expect(
    main.locator('script, img[src="x"], svg[onload], [onerror], [onload], a[href^="javascript:"]'),
  ).toHaveCount(0);
  if (jsEnabled) {
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  }
}

test('markup, script links and odd unicode typed into forms are shown as text to everyone', async ({
  page,
  jsEnabled,
  newBrowserPage,
}) => {
  test.setTimeout(120_000);
  const mark = uniqueMark();
  const p = payloads(mark);
  const dialogs: string[] = [];

  // Alex writes.
  const alex = await newBrowserPage();
  watchDialogs(alex, dialogs);
  await signInAs(alex, jsEnabled, demo.alex);
  await alex.getByLabel('Share a small win (your partner and counselor will see it)').fill(p.win);
  await alex.getByRole('button', { name: 'Post the win' }).click();
  await waitForPageReady(alex, jsEnabled);
  await expect(alex.locator('#wins')).toContainText(`WIN-${mark}`);
  await showsLiterally(alex, jsEnabled, [p.win]);

  await visit(alex, jsEnabled, '/agreements');
  await alex.getByLabel(/Propose an agreement/).fill(p.proposal);
  await alex.getByRole('button', { name: 'Send the proposal' }).click();
  await waitForPageReady(alex, jsEnabled);
  await expect(alex.locator('main')).toContainText(`PROP-${mark}`);
  await showsLiterally(alex, jsEnabled, [p.proposal]);

  await visit(alex, jsEnabled, '/check-in');
  await sendCheckIn(alex, jsEnabled, { ...ALEX_CHECK_IN, wasHard: p.checkIn });

  await visit(alex, jsEnabled, '/');
  const homework = alex.locator('main').getByRole('listitem').filter({ has: alex.getByRole('link') });
  const links = await homework.getByRole('link').all();
  let answered = false;
  for (const link of links) {
    const href = await link.getAttribute('href');
    if (!href?.startsWith('/homework/')) continue;
    await visit(alex, jsEnabled, href);
    const submit = alex.getByRole('button', { name: 'Submit', exact: true });
    if ((await submit.count()) === 0) continue;
    const box = alex.locator('main textarea').first();
    if ((await box.count()) === 0) continue;
    await box.fill(p.answer);
    await alex.getByRole('button', { name: 'Save draft' }).click();
    await waitForPageReady(alex, jsEnabled);
    await expect(alex.locator('main textarea').first()).toHaveValue(p.answer);
    await expect(
      alex.locator('main').locator('script, a[href^="javascript:"], [onerror], [onload]'),
    ).toHaveCount(0);
    answered = true;
    break;
  }
  expect(answered, 'Alex has homework to answer').toBe(true);

  // The counselor reads the case, approves the proposal and opens the report.
  watchDialogs(page, dialogs);
  await signInAs(page, jsEnabled, demo.counselor);
  const caseUrl = await openCaseFromCaseload(page, jsEnabled);
  await showsLiterally(page, jsEnabled, []);
  await openCaseSection(page, jsEnabled, caseUrl, 'progress');
  await showsLiterally(page, jsEnabled, [p.win, p.checkIn]);
  await openCaseSection(page, jsEnabled, caseUrl, 'agreements');
  await showsLiterally(page, jsEnabled, [p.proposal]);
  const proposal = page.locator('li, .card').filter({ hasText: `PROP-${mark}` }).last();
  await proposal.getByRole('button', { name: 'Approve the proposal' }).click();
  await waitForPageReady(page, jsEnabled);
  await showsLiterally(page, jsEnabled, [p.proposal]);
  await visit(page, jsEnabled, `${caseUrl}/report`);
  await showsLiterally(page, jsEnabled, []);
  for (const path of ['/', '/reviews', '/agenda', `${caseUrl}/timeline`, `${caseUrl}/homework`]) {
    await visit(page, jsEnabled, path);
    await showsLiterally(page, jsEnabled, []);
  }

  // Sam sees the win and the approved agreement as text; never Alex's private check-in.
  const sam = await newBrowserPage();
  watchDialogs(sam, dialogs);
  await signInAs(sam, jsEnabled, demo.sam);
  await showsLiterally(sam, jsEnabled, [p.win]);
  expect(await sam.content()).not.toContain(`CHK-${mark}`);
  await visit(sam, jsEnabled, '/agreements');
  await showsLiterally(sam, jsEnabled, [p.proposal]);
  expect(await sam.content()).not.toContain(`CHK-${mark}`);

  expect(dialogs, 'no dialog opened').toEqual([]);
});

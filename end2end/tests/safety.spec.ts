import {
  demo,
  expect,
  openCaseFromCaseload,
  openCaseSection,
  sendCheckIn,
  signInAs,
  test,
  uniqueSuffix,
  visit,
  waitForPageReady,
} from './fixtures';

// Help at hand: a partner who answers that they may not be safe sees crisis services and
// when the practice responds at once, on the page their check-in lands on; their partner
// sees none of it; "Get help now" is in every partner page's header; anyone, signed in or
// not, can open the help page, and the sign-in page lists the same services.

/** The demo practice's response statement (app/src/demo/mod.rs, DEMO_RESPONSE). */
const DEMO_RESPONSE = 'Dr. Hale reads worrying check-in answers within one working day';

test('a partner who answers "not safe" sees help at once; their partner sees none of it', async ({
  jsEnabled,
  newBrowserPageAs,
}) => {
  const sam = await newBrowserPageAs(demo.sam);
  const getHelp = sam.getByRole('banner').getByRole('link', { name: 'Get help now' });
  await expect(getHelp).toBeVisible();
  await visit(sam, jsEnabled, '/check-in');
  // Sam's scores as the progress spec sends them (the counselor's table shows the latest).
  await sendCheckIn(sam, jsEnabled, { trust: '4', hope: '6', safety: "No, I don't feel safe" });
  const panel = sam.getByRole('region', { name: 'Help is here if you need it' });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'Emergency services' })).toBeVisible();
  await expect(panel.getByRole('link', { name: 'https://findahelpline.com' })).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'When your practice responds' })).toBeVisible();
  await expect(panel).toContainText(DEMO_RESPONSE);

  const alex = await newBrowserPageAs(demo.alex);
  for (const path of ['/', '/check-in']) {
    await visit(alex, jsEnabled, path);
    await expect(alex.getByRole('region', { name: 'Help is here if you need it' })).toHaveCount(0);
  }

  await getHelp.click();
  await expect(sam).toHaveURL(/\/help$/);
  await expect(sam.getByRole('heading', { level: 1, name: 'Get help now' })).toBeVisible();
  await expect(sam.getByRole('heading', { name: 'Emergency services' })).toBeVisible();
  await sam.getByRole('link', { name: 'Back to Trellis' }).click();
  await expect(sam.getByRole('banner').getByTestId('current-user-name')).toHaveText(demo.sam.name);
});

test('anyone can find help: on the sign-in page and the help page, signed out', async ({
  page,
  jsEnabled,
}) => {
  await visit(page, jsEnabled, '/login');
  const help = page.getByRole('region', { name: 'Need help now?' });
  await expect(help.getByRole('heading', { name: 'Emergency services' })).toBeVisible();
  await visit(page, jsEnabled, '/help');
  await expect(page).toHaveURL(/\/help$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Get help now' })).toBeVisible();
  await expect(page.getByText(DEMO_RESPONSE)).toBeVisible();
});

/** The neutral site quick exit goes to (app/src/components/quick_exit.rs). This machine is
 *  offline, so the test answers for it with a plain page of its own. */
const NEUTRAL_PAGE = 'https://www.wikipedia.org/';

async function answerForTheNeutralSite(page: import('@playwright/test').Page) {
  await page.route(`${NEUTRAL_PAGE}**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Wikipedia</title><h1>Wikipedia</h1>' }),
  );
}

test('quick exit leaves Trellis at once, from a link or (with JS) Escape twice', async ({
  jsEnabled,
  newBrowserPageAs,
}) => {
  const sam = await newBrowserPageAs(demo.sam);
  await answerForTheNeutralSite(sam);
  await visit(sam, jsEnabled, '/check-in');
  await sam.getByRole('banner').getByRole('link', { name: 'Quick exit' }).click();
  await expect(sam).toHaveURL(NEUTRAL_PAGE);
  await expect(sam.getByRole('heading', { name: 'Wikipedia' })).toBeVisible();
  if (jsEnabled) {
    // The page left is not in the tab's history: "back" does not return to the check-in.
    await sam.goBack();
    await expect(sam).not.toHaveURL(/\/check-in$/);
    // Back lands on the page before the check-in; let it finish loading (its bundle too)
    // before leaving it, or leaving cancels that download.
    if (!sam.url().startsWith(NEUTRAL_PAGE)) await waitForPageReady(sam, jsEnabled);
    // Escape twice leaves too.
    await visit(sam, jsEnabled, '/agreements');
    await sam.keyboard.press('Escape');
    await sam.keyboard.press('Escape');
    await expect(sam).toHaveURL(NEUTRAL_PAGE);
  }
});

test('ticking "Feeling unsafe" in homework shows help at once and puts the flag first for the counselor', async ({
  page,
  jsEnabled,
  newBrowserPageAs,
}) => {
  // Dr. Hale sends step 7's "Support for me" to Sam, the hurt partner (under a title of its
  // own, so each run finds its own copy).
  const title = `Support for me ${uniqueSuffix()}`;
  await signInAs(page, jsEnabled, demo.counselor);
  const caseUrl = await openCaseFromCaseload(page, jsEnabled);
  await openCaseSection(page, jsEnabled, caseUrl, 'homework');
  const homework = page.getByRole('region', { name: 'Homework' });
  await homework
    .getByRole('combobox', { name: 'Assign an exercise' })
    .selectOption({ label: 'Support for me (The hurt partner)' });
  await homework.getByRole('button', { name: 'Continue' }).click();
  await waitForPageReady(page, jsEnabled);
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByLabel('For', { exact: true }).selectOption({ label: `${demo.sam.name} only` });
  await page.getByRole('button', { name: 'Send homework' }).click();
  await expect(page).toHaveURL(/\?assigned=1(#homework)?$/);

  // Sam is told before ticking anything what a safety item does.
  const sam = await newBrowserPageAs(demo.sam);
  await visit(sam, jsEnabled, '/');
  await sam.getByRole('link', { name: title, exact: true }).click();
  await waitForPageReady(sam, jsEnabled);
  const struggling = sam.getByRole('group', { name: "Lately I've been struggling with..." });
  await expect(struggling).toContainText(
    'If you tick \u201cFeeling unsafe\u201d and submit, it is marked for your counselor\u2019s attention straight away',
  );
  await sam
    .getByLabel('What support do you need for yourself right now?', { exact: true })
    .fill('Someone to talk to in the evenings.');
  await struggling.getByRole('checkbox', { name: 'Sleep' }).check();
  await struggling.getByRole('checkbox', { name: 'Feeling unsafe' }).check();
  await sam.getByRole('button', { name: 'Submit', exact: true }).click();
  await expect(sam).toHaveURL(/\/homework\/[0-9a-f-]{36}\?submitted=1$/);
  await waitForPageReady(sam, jsEnabled);
  const panel = sam.getByRole('region', { name: 'Help is here if you need it' });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'Emergency services' })).toBeVisible();
  await expect(panel).toContainText(DEMO_RESPONSE);
  await expect(sam.getByText('Your partner is not told.', { exact: false }).first()).toBeVisible();

  // The counselor sees it first on the case page, saying where it came from.
  await visit(page, jsEnabled, new URL(page.url()).pathname);
  const flags = page.getByRole('alert').filter({ hasText: 'Open safety flag' });
  await expect(flags).toContainText(
    `${demo.sam.name} ticked \u201cFeeling unsafe\u201d in the homework \u201c${title}\u201d`,
  );

  // Alex sees none of it.
  const alex = await newBrowserPageAs(demo.alex);
  for (const path of ['/', '/check-in']) {
    await visit(alex, jsEnabled, path);
    await expect(alex.getByText(title)).toHaveCount(0);
    await expect(alex.getByRole('region', { name: 'Help is here if you need it' })).toHaveCount(0);
  }
});

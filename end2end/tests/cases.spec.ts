import type { Page } from '@playwright/test';
import {
  DEMO_PASSWORD,
  demo,
  expect,
  expectSignedInAs,
  openSignInPage,
  signIn,
  test,
  waitForPageReady,
} from './fixtures';

// A counselor opens a case for a new couple and invites both partners; each partner joins
// through their own link, in their own browser. Every test runs in both projects (`js` and
// `nojs`) against one shared server and database, so every test makes its own couple, with
// names and emails no other test (or run of this test) uses, and never counts anything.

type Partner = { name: string; first: string; email: string };
type Couple = { caseName: string; caseUrl: string; partners: [Partner, Partner] };

/** A few lowercase letters no other test will pick. */
function uniqueSuffix(): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let s = '';
  for (let i = 0; i < 8; i++) s += letters[Math.floor(Math.random() * letters.length)];
  return s;
}

/** A password the server accepts, unique to this test, not containing the email. */
function newPassword(): string {
  return `Pebble lantern ${uniqueSuffix()} 47`;
}

/** Signs in as the demo counselor and opens a new couple's case through the form. */
async function counselorOpensNewCase(page: Page, pageReady: () => Promise<void>): Promise<Couple> {
  const suffix = uniqueSuffix();
  const surname = `Q${suffix}`;
  const partners: [Partner, Partner] = [
    { name: `Avery ${surname}`, first: 'Avery', email: `avery.${suffix}@example.org` },
    { name: `Blake ${surname}`, first: 'Blake', email: `blake.${suffix}@example.org` },
  ];
  const caseName = `Avery & Blake ${surname}`;

  await openSignInPage(page, pageReady);
  await signIn(page, demo.counselor.email, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/$/);
  await pageReady();
  await expectSignedInAs(page, demo.counselor);
  await expect(page.getByRole('heading', { level: 1, name: 'Your caseload' })).toBeVisible();

  await page.getByRole('link', { name: 'New couple' }).click();
  await expect(page).toHaveURL(/\/cases\/new$/);
  await pageReady();
  await expect(page.getByRole('heading', { level: 1, name: 'New couple' })).toBeVisible();

  await page.getByLabel('Case name').fill(caseName);
  for (const [legend, partner, role] of [
    ['First partner', partners[0], 'Broke trust'],
    ['Second partner', partners[1], 'Hurt partner'],
  ] as const) {
    const group = page.getByRole('group', { name: legend });
    await group.getByLabel('Name', { exact: true }).fill(partner.name);
    await group.getByLabel('Email', { exact: true }).fill(partner.email);
    await group.getByLabel('Role in the rupture').selectOption({ label: role });
  }
  await page.getByLabel('Presenting concerns (optional)').fill('Rebuilding trust after a disclosure.');
  await page.getByRole('button', { name: 'Open the case' }).click();

  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  await pageReady();
  await expect(page.getByRole('heading', { level: 1, name: caseName })).toBeVisible();
  for (const [i, partner] of partners.entries()) {
    const item = page.locator(`#partner-${i + 1}`);
    await expect(item).toContainText(partner.name);
    await expect(item).toContainText(partner.email);
    await expect(item).toContainText('Not invited yet');
  }
  const caseUrl = new URL(page.url()).pathname;
  return { caseName, caseUrl, partners };
}

/** On the case page: creates a (first or new) link for a partner and returns it. */
async function createLink(
  page: Page,
  pageReady: () => Promise<void>,
  couple: Couple,
  position: 1 | 2,
  button: 'Create an invitation link for' | 'Create a new link for',
): Promise<string> {
  const partner = couple.partners[position - 1];
  const item = page.locator(`#partner-${position}`);
  await item.getByRole('button', { name: `${button} ${partner.first}`, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${couple.caseUrl}(#partner-${position})?$`));
  await pageReady();
  await expect(item).toContainText(/Invited on \d{1,2} \w{3} \d{4}; the link works until \d{1,2} \w{3} \d{4}/);
  const field = item.getByLabel(`Invitation link for ${partner.name}`, { exact: true });
  await expect(field).toBeVisible();
  await expect(field).toHaveAttribute('readonly', '');
  await expect(field).toHaveAttribute('data-testid', 'invitation-link');
  const link = await field.inputValue();
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:3917\/invite\/[A-Za-z0-9_-]{20,}$/);
  return link;
}

/** Path of an absolute invitation link, to open it against this run's server. */
function pathOf(link: string): string {
  return new URL(link).pathname;
}

/** In a page of their own: opens the invitation and creates the partner's account. */
async function acceptInvitation(page: Page, jsEnabled: boolean, link: string, partner: Partner) {
  await page.goto(pathOf(link));
  await waitForPageReady(page, jsEnabled);
  await expect(page.getByRole('heading', { level: 1, name: `Welcome, ${partner.name}` })).toBeVisible();
  await expect(page.getByText(partner.email, { exact: true })).toBeVisible();
  // Every invitation offers both ways in, so the page tells nobody whether the address
  // already has an account.
  await expect(page.getByRole('heading', { level: 2, name: 'New to Trellis?' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Already use Trellis?' })).toBeVisible();
  await expect(page.getByLabel('Your Trellis password')).toBeVisible();
  await expect(page.getByLabel('Your name')).toHaveValue(partner.name);
  const password = newPassword();
  await page.getByLabel('Choose a password').fill(password);
  await page.getByLabel('Confirm password').fill(password);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page).toHaveURL(/\/\?welcome=1$/);
  await waitForPageReady(page, jsEnabled);
  return password;
}

test.describe('a counselor invites a new couple', () => {
  test('both partners join through their links; nobody else sees the case', async ({
    page,
    pageReady,
    jsEnabled,
    newBrowserPage,
  }) => {
    const couple = await counselorOpensNewCase(page, pageReady);
    const [first, second] = couple.partners;

    // 1. Links for both partners; the first is still shown after making the second.
    const firstLink = await createLink(page, pageReady, couple, 1, 'Create an invitation link for');
    const secondLink = await createLink(page, pageReady, couple, 2, 'Create an invitation link for');
    expect(secondLink).not.toBe(firstLink);
    await expect(page.getByTestId('invitation-link')).toHaveCount(2);
    await expect(page.getByLabel(`Invitation link for ${first.name}`, { exact: true })).toHaveValue(
      firstLink,
    );
    const copyFirst = page.getByRole('button', { name: `Copy the invitation link for ${first.name}` });
    if (jsEnabled) {
      await expect(copyFirst).toBeVisible();
    } else {
      await expect(copyFirst).toBeHidden();
    }
    await expect(
      page.getByRole('button', { name: `Revoke ${first.first}'s link`, exact: true }),
    ).toBeVisible();

    // 2. Each partner, in their own browser, joins and finds their counseling.
    const partnerPages: Page[] = [];
    for (const [me, other, link] of [
      [first, second, firstLink],
      [second, first, secondLink],
    ] as const) {
      const theirs = await newBrowserPage();
      partnerPages.push(theirs);
      await acceptInvitation(theirs, jsEnabled, link, me);
      await expect(theirs.getByRole('banner').getByTestId('current-user-name')).toHaveText(me.name);
      await expect(theirs.getByRole('heading', { level: 1, name: `Welcome, ${me.first}` })).toBeVisible();
      await expect(theirs.getByRole('status')).toContainText('Your account is ready.');
      const counseling = theirs.getByRole('region', { name: 'Your counseling' });
      await expect(counseling.getByRole('heading', { level: 2, name: couple.caseName })).toBeVisible();
      await expect(counseling).toContainText(`Counselor${demo.counselor.name}`);
      await expect(counseling).toContainText(`With${other.name}`);
      await expect(theirs.getByRole('heading', { level: 2, name: 'Your homework' })).toBeVisible();
      // Their partner's email is nowhere: not on screen, not in the page's HTML.
      await expect(theirs.getByText(other.email)).toHaveCount(0);
      expect(await theirs.content()).not.toContain(other.email);
    }

    // 3. The counselor sees both partners joined, and it is on the timeline.
    await page.reload();
    await pageReady();
    for (const [i, partner] of couple.partners.entries()) {
      const item = page.locator(`#partner-${i + 1}`);
      await expect(item).toContainText(/Joined on \d{1,2} \w{3} \d{4}/);
      await expect(item.getByRole('button')).toHaveCount(0);
      const timeline = page.getByRole('listitem');
      await expect(
        timeline.filter({ hasText: `Invitation link created for ${partner.name}` }),
      ).toHaveCount(1);
      await expect(
        timeline.filter({ hasText: `${partner.name} accepted the invitation and joined` }),
      ).toHaveCount(1);
    }
    await expect(page.getByRole('heading', { level: 2, name: 'Timeline' })).toBeVisible();
    await expect(page.getByTestId('invitation-link')).toHaveCount(0);

    // 4. A used link does not work again.
    const reopened = partnerPages[0];
    await reopened.goto(pathOf(firstLink));
    await waitForPageReady(reopened, jsEnabled);
    await expect(
      reopened.getByRole('heading', { level: 1, name: 'This invitation has already been used' }),
    ).toBeVisible();
    await expect(reopened.getByRole('button', { name: 'Create my account' })).toHaveCount(0);

    // 5. A partner of another couple cannot open this case, nor learn who is in it.
    const alexPage = await newBrowserPage();
    await alexPage.goto('/login');
    await waitForPageReady(alexPage, jsEnabled);
    await signIn(alexPage, demo.alex.email, DEMO_PASSWORD);
    await expect(alexPage).toHaveURL(/\/$/);
    await waitForPageReady(alexPage, jsEnabled);
    await expectSignedInAs(alexPage, demo.alex);
    const response = await alexPage.goto(couple.caseUrl);
    expect(response?.status()).toBe(404);
    await waitForPageReady(alexPage, jsEnabled);
    await expect(alexPage.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    const html = await alexPage.content();
    for (const secret of [couple.caseName, first.name, second.name, first.email, second.email]) {
      await expect(alexPage.getByText(secret)).toHaveCount(0);
      expect(html).not.toContain(secret);
    }
  });

  test('a new link replaces the old one, and a revoked link stops working', async ({
    page,
    pageReady,
    jsEnabled,
    newBrowserPage,
  }) => {
    const couple = await counselorOpensNewCase(page, pageReady);
    const [first] = couple.partners;
    const oldLink = await createLink(page, pageReady, couple, 1, 'Create an invitation link for');
    const newLink = await createLink(page, pageReady, couple, 1, 'Create a new link for');
    expect(newLink).not.toBe(oldLink);
    // Only the link that works is shown.
    await expect(page.getByTestId('invitation-link')).toHaveCount(1);
    await expect(page.getByLabel(`Invitation link for ${first.name}`, { exact: true })).toHaveValue(
      newLink,
    );
    await expect(
      page
        .getByRole('listitem')
        .filter({ hasText: `New invitation link created for ${first.name} (the previous link no longer works)` }),
    ).toHaveCount(1);

    const theirs = await newBrowserPage();
    await theirs.goto(pathOf(oldLink));
    await waitForPageReady(theirs, jsEnabled);
    await expect(
      theirs.getByRole('heading', { level: 1, name: 'This invitation link is no longer valid' }),
    ).toBeVisible();
    await expect(theirs.getByText(first.name)).toHaveCount(0);
    await expect(theirs.getByRole('button', { name: 'Create my account' })).toHaveCount(0);

    await theirs.goto(pathOf(newLink));
    await waitForPageReady(theirs, jsEnabled);
    await expect(theirs.getByRole('heading', { level: 1, name: `Welcome, ${first.name}` })).toBeVisible();

    // Revoking the new link stops it too.
    await page
      .locator('#partner-1')
      .getByRole('button', { name: `Revoke ${first.first}'s link`, exact: true })
      .click();
    await expect(page).toHaveURL(new RegExp(`${couple.caseUrl}(#partner-1)?$`));
    await pageReady();
    await expect(page.locator('#partner-1')).toContainText('The invitation link was revoked');
    await expect(page.getByTestId('invitation-link')).toHaveCount(0);
    await expect(
      page.getByRole('listitem').filter({ hasText: `Invitation link revoked for ${first.name}` }),
    ).toHaveCount(1);

    await theirs.goto(pathOf(newLink));
    await waitForPageReady(theirs, jsEnabled);
    await expect(
      theirs.getByRole('heading', { level: 1, name: 'This invitation link is no longer valid' }),
    ).toBeVisible();
  });

  test('passwords that do not match create no account, and the link still works', async ({
    page,
    pageReady,
    jsEnabled,
    newBrowserPage,
  }) => {
    const couple = await counselorOpensNewCase(page, pageReady);
    const [, second] = couple.partners;
    const link = await createLink(page, pageReady, couple, 2, 'Create an invitation link for');

    const theirs = await newBrowserPage();
    await theirs.goto(pathOf(link));
    await waitForPageReady(theirs, jsEnabled);
    await expect(theirs.getByRole('heading', { level: 1, name: `Welcome, ${second.name}` })).toBeVisible();
    await theirs.getByLabel('Choose a password').fill(newPassword());
    await theirs.getByLabel('Confirm password').fill(newPassword());
    await theirs.getByRole('button', { name: 'Create my account' }).click();

    await expect(theirs.getByRole('alert')).toHaveText('The two passwords do not match.');
    expect(new URL(theirs.url()).pathname).toBe(pathOf(link));
    await waitForPageReady(theirs, jsEnabled);
    await expect(theirs.getByTestId('current-user-name')).toHaveCount(0);

    // No account was made: the counselor still sees the link waiting...
    await page.reload();
    await pageReady();
    await expect(page.locator('#partner-2')).toContainText(/Invited on /);
    await expect(
      page.getByRole('listitem').filter({ hasText: `${second.name} accepted the invitation` }),
    ).toHaveCount(0);
    // ...and the partner can still sign up with it.
    await acceptInvitation(theirs, jsEnabled, link, second);
    await expect(theirs.getByRole('heading', { level: 1, name: `Welcome, ${second.first}` })).toBeVisible();
    await expect(theirs.getByRole('banner').getByTestId('current-user-name')).toHaveText(second.name);
  });

  test('a link that was never made shows that it is not valid', async ({ page, pageReady }) => {
    const response = await page.goto(`/invite/not-a-real-token-${uniqueSuffix()}`);
    expect(response?.status()).toBe(404);
    await pageReady();
    await expect(
      page.getByRole('heading', { level: 1, name: 'This invitation link is not valid' }),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create my account' })).toHaveCount(0);
  });
});

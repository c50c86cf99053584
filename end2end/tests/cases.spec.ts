import type { Page } from '@playwright/test';
import {
  acceptInvitation,
  counselorOpensNewCase,
  createInvitationLink,
  demo,
  expect,
  expectNotFound,
  expectNowhere,
  newPassword,
  openCaseSection,
  pathOf,
  test,
  uniqueSuffix,
  visit,
  waitForPageReady,
} from './fixtures';

// A counselor opens a case for a new couple and invites both partners; each partner joins
// through their own link, in their own browser. Every test runs in both projects (`js` and
// `nojs`) against one shared server and database, so every test makes its own couple, with
// names and emails no other test (or run of this test) uses, and never counts anything.

/** The presenting concerns this spec's cases are opened with. */
const CONCERNS = 'Rebuilding trust after a disclosure.';

test.describe('a counselor invites a new couple', () => {
  test('both partners join through their links; nobody else sees the case', async ({
    page,
    pageReady,
    jsEnabled,
    newBrowserPage,
    newBrowserPageAs,
  }) => {
    const couple = await counselorOpensNewCase(page, jsEnabled, 'Q', CONCERNS);
    const [first, second] = couple.partners;

    // 1. Links for both partners; the first is still shown after making the second.
    const firstLink = await createInvitationLink(page, jsEnabled, couple, 1);
    const secondLink = await createInvitationLink(page, jsEnabled, couple, 2);
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
      await expect(theirs.getByRole('heading', { level: 1, name: `Welcome, ${me.first}` })).toBeVisible();
      await expect(theirs.getByRole('status')).toContainText('Your account is ready.');
      const counseling = theirs.getByRole('region', { name: 'Your counseling' });
      await expect(counseling.getByRole('heading', { level: 2, name: couple.caseName })).toBeVisible();
      await expect(counseling).toContainText(`Counselor${demo.counselor.name}`);
      await expect(counseling).toContainText(`With${other.name}`);
      await expect(theirs.getByRole('heading', { level: 2, name: 'Your homework' })).toBeVisible();
      // Their partner's email is nowhere: not on screen, not in the page's HTML.
      await expectNowhere(theirs, [other.email]);
    }

    // 3. The counselor sees both partners joined, and it is on the timeline.
    await page.reload();
    await pageReady();
    for (const [i, partner] of couple.partners.entries()) {
      const item = page.locator(`#partner-${i + 1}`);
      await expect(item).toContainText(/Joined on \d{1,2} \w{3} \d{4}/);
      // No invitation buttons any more; only the way to a new password, should they need one.
      await expect(item.getByRole('button')).toHaveCount(1);
      await expect(
        item.getByRole('button', { name: `Make a link for ${partner.first} to set a new password` }),
      ).toBeVisible();
    }
    await expect(page.getByTestId('invitation-link')).toHaveCount(0);
    await openCaseSection(page, jsEnabled, couple.caseUrl, 'timeline');
    await expect(page.getByRole('heading', { level: 2, name: 'Timeline' })).toBeVisible();
    for (const partner of couple.partners) {
      const timeline = page.getByRole('listitem');
      await expect(
        timeline.filter({ hasText: `Invitation link created for ${partner.name}` }),
      ).toHaveCount(1);
      await expect(
        timeline.filter({ hasText: `${partner.name} accepted the invitation and joined` }),
      ).toHaveCount(1);
    }

    // 4. A used link does not work again.
    const reopened = partnerPages[0];
    await visit(reopened, jsEnabled, pathOf(firstLink));
    await expect(
      reopened.getByRole('heading', { level: 1, name: 'This invitation has already been used' }),
    ).toBeVisible();
    await expect(reopened.getByRole('button', { name: 'Create my account' })).toHaveCount(0);

    // 5. A partner of another couple cannot open this case, nor learn who is in it.
    const alexPage = await newBrowserPageAs(demo.alex);
    await expectNotFound(alexPage, jsEnabled, couple.caseUrl);
    await expectNowhere(alexPage, [couple.caseName, first.name, second.name, first.email, second.email]);
  });

  test('a new link replaces the old one, and a revoked link stops working', async ({
    page,
    pageReady,
    jsEnabled,
    newBrowserPage,
  }) => {
    const couple = await counselorOpensNewCase(page, jsEnabled, 'Q', CONCERNS);
    const [first] = couple.partners;
    const oldLink = await createInvitationLink(page, jsEnabled, couple, 1);
    const newLink = await createInvitationLink(page, jsEnabled, couple, 1, 'Create a new link for');
    expect(newLink).not.toBe(oldLink);
    // Only the link that works is shown.
    await expect(page.getByTestId('invitation-link')).toHaveCount(1);
    await expect(page.getByLabel(`Invitation link for ${first.name}`, { exact: true })).toHaveValue(
      newLink,
    );
    await openCaseSection(page, jsEnabled, couple.caseUrl, 'timeline');
    await expect(
      page
        .getByRole('listitem')
        .filter({ hasText: `New invitation link created for ${first.name} (the previous link no longer works)` }),
    ).toHaveCount(1);
    await openCaseSection(page, jsEnabled, couple.caseUrl, 'partners');

    const theirs = await newBrowserPage();
    await visit(theirs, jsEnabled, pathOf(oldLink));
    await expect(
      theirs.getByRole('heading', { level: 1, name: 'This invitation link is no longer valid' }),
    ).toBeVisible();
    await expect(theirs.getByText(first.name)).toHaveCount(0);
    await expect(theirs.getByRole('button', { name: 'Create my account' })).toHaveCount(0);

    await visit(theirs, jsEnabled, pathOf(newLink));
    await expect(theirs.getByRole('heading', { level: 1, name: `Welcome, ${first.name}` })).toBeVisible();

    // Revoking the new link stops it too.
    await page
      .locator('#partner-1')
      .getByRole('button', { name: `Revoke ${first.first}'s link`, exact: true })
      .click();
    await expect(page).toHaveURL(new RegExp(`${couple.caseUrl}/partners(#partner-1)?$`));
    await pageReady();
    await expect(page.locator('#partner-1')).toContainText('The invitation link was revoked');
    await expect(page.getByTestId('invitation-link')).toHaveCount(0);
    await openCaseSection(page, jsEnabled, couple.caseUrl, 'timeline');
    await expect(
      page.getByRole('listitem').filter({ hasText: `Invitation link revoked for ${first.name}` }),
    ).toHaveCount(1);

    await visit(theirs, jsEnabled, pathOf(newLink));
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
    const couple = await counselorOpensNewCase(page, jsEnabled, 'Q', CONCERNS);
    const [, second] = couple.partners;
    const link = await createInvitationLink(page, jsEnabled, couple, 2);

    const theirs = await newBrowserPage();
    await visit(theirs, jsEnabled, pathOf(link));
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
    await openCaseSection(page, jsEnabled, couple.caseUrl, 'timeline');
    await expect(
      page.getByRole('listitem').filter({ hasText: `Invitation link created for ${second.name}` }),
    ).toHaveCount(1);
    await expect(
      page.getByRole('listitem').filter({ hasText: `${second.name} accepted the invitation` }),
    ).toHaveCount(0);
    // ...and the partner can still sign up with it.
    await acceptInvitation(theirs, jsEnabled, link, second);
    await expect(theirs.getByRole('heading', { level: 1, name: `Welcome, ${second.first}` })).toBeVisible();
  });

  test('a link that was never made shows that it is not valid', async ({ page, jsEnabled }) => {
    await expectNotFound(
      page,
      jsEnabled,
      `/invite/not-a-real-token-${uniqueSuffix()}`,
      'This invitation link is not valid',
    );
    await expect(page.getByRole('button', { name: 'Create my account' })).toHaveCount(0);
  });
});

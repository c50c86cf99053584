import {
  acceptInvitation,
  counselorOpensNewCase,
  createInvitationLink,
  expect,
  newPassword,
  pathOf,
  sectionUrl,
  signIn,
  test,
  visit,
  waitForPageReady,
} from './fixtures';

// A partner who cannot sign in gets a link from their counselor to set a new password: the
// counselor makes it on the case page and passes it on; the partner opens it in their own
// browser, sets the password, and signs in with it. The link then no longer works, and the
// browser the partner was signed in on before is signed out.

test.describe('a partner sets a new password from their counselor’s link', () => {
  test('the link sets the password once, and the partner signs in with it', async ({
    page,
    jsEnabled,
    newBrowserPage,
  }) => {
    test.setTimeout(180_000);
    const couple = await counselorOpensNewCase(page, jsEnabled, 'P');
    const [partner] = couple.partners;
    const invitation = await createInvitationLink(page, jsEnabled, couple, 1);
    const before = await newBrowserPage();
    const oldPassword = await acceptInvitation(before, jsEnabled, invitation, partner);

    // The counselor makes the link, next to the partner's invitation.
    await visit(page, jsEnabled, sectionUrl(couple.caseUrl, 'partners'));
    const item = page.locator('#partner-1');
    await item
      .getByRole('button', { name: `Make a link for ${partner.first} to set a new password`, exact: true })
      .click();
    await expect(page).toHaveURL(new RegExp(`${couple.caseUrl}/partners(#partner-1)?$`));
    await waitForPageReady(page, jsEnabled);
    const field = item.getByLabel(`Link for ${partner.name} to set a new password`, { exact: true });
    await expect(field).toHaveAttribute('readonly', '');
    const link = await field.inputValue();
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/reset\/[A-Za-z0-9_-]{20,}$/);
    await expect(item).toContainText('It works once, for 60 minutes');

    // The partner, in a browser of their own, sets a new password.
    const partnerPage = await newBrowserPage();
    await visit(partnerPage, jsEnabled, pathOf(link));
    await expect(partnerPage.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible();
    await expect(partnerPage.getByText(partner.email, { exact: true })).toBeVisible();
    const password = newPassword();
    await partnerPage.getByLabel('New password', { exact: true }).fill(password);
    await partnerPage.getByLabel('New password again').fill(password);
    await partnerPage.getByRole('button', { name: 'Set my new password' }).click();
    await expect(partnerPage).toHaveURL(/\/login\?reset=1$/);
    await waitForPageReady(partnerPage, jsEnabled);
    await expect(partnerPage.getByText('Your new password is set. Sign in with it now.')).toBeVisible();

    // The old password no longer works; the new one does.
    await signIn(partnerPage, partner.email, oldPassword);
    await expect(partnerPage.getByRole('alert')).toHaveText('Email or password is incorrect.');
    expect(new URL(partnerPage.url()).pathname).toBe('/login');
    await visit(partnerPage, jsEnabled, '/login');
    await signIn(partnerPage, partner.email, password);
    await expect(partnerPage).toHaveURL(/\/$/);
    await waitForPageReady(partnerPage, jsEnabled);
    await expect(partnerPage.getByRole('banner').getByTestId('current-user-name')).toHaveText(partner.name);

    // The browser they were signed in on before has been signed out.
    await before.goto('/');
    await expect(before).toHaveURL(/\/login$/);

    // The link worked once.
    const other = await newBrowserPage();
    await visit(other, jsEnabled, pathOf(link));
    await expect(other.getByRole('heading', { level: 1, name: 'This link no longer works' })).toBeVisible();
    await expect(other.getByRole('link', { name: 'Ask for a new link' })).toBeVisible();
  });
});

test.describe('a partner changes their password in Settings', () => {
  test('the new password works, the old one does not, and other browsers are signed out', async ({
    page,
    jsEnabled,
    newBrowserPage,
  }) => {
    test.setTimeout(180_000);
    const couple = await counselorOpensNewCase(page, jsEnabled, 'S');
    const [, partner] = couple.partners;
    const invitation = await createInvitationLink(page, jsEnabled, couple, 2);
    const here = await newBrowserPage();
    const oldPassword = await acceptInvitation(here, jsEnabled, invitation, partner);
    const elsewhere = await newBrowserPage();
    await visit(elsewhere, jsEnabled, '/login');
    await signIn(elsewhere, partner.email, oldPassword);
    await expect(elsewhere).toHaveURL(/\/$/);

    await visit(here, jsEnabled, '/settings');
    await expect(here.getByRole('heading', { level: 2, name: 'Password' })).toBeVisible();
    // A wrong current password changes nothing and says so.
    const password = newPassword();
    await here.getByLabel('Current password').fill('not the password at all');
    await here.getByLabel('New password', { exact: true }).fill(password);
    await here.getByLabel('New password again').fill(password);
    await here.getByRole('button', { name: 'Change password' }).click();
    await expect(here.getByRole('alert')).toContainText('That is not your current password');
    await waitForPageReady(here, jsEnabled);

    await here.getByLabel('Current password').fill(oldPassword);
    await here.getByLabel('New password', { exact: true }).fill(password);
    await here.getByLabel('New password again').fill(password);
    await here.getByRole('button', { name: 'Change password' }).click();
    await expect(here).toHaveURL(/\/settings\?saved=password(#password)?$/);
    await waitForPageReady(here, jsEnabled);
    await expect(here.getByText('Your password has been changed.', { exact: false })).toBeVisible();
    await expect(here.getByRole('banner').getByTestId('current-user-name')).toHaveText(partner.name);

    // The other browser is signed out; the new password signs in there.
    await elsewhere.goto('/');
    await expect(elsewhere).toHaveURL(/\/login$/);
    await waitForPageReady(elsewhere, jsEnabled);
    await signIn(elsewhere, partner.email, oldPassword);
    await expect(elsewhere.getByRole('alert')).toHaveText('Email or password is incorrect.');
    await visit(elsewhere, jsEnabled, '/login');
    await signIn(elsewhere, partner.email, password);
    await expect(elsewhere).toHaveURL(/\/$/);
  });

  test('without email, the forgot page says whom to ask', async ({ page, jsEnabled }) => {
    await visit(page, jsEnabled, '/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await expect(page).toHaveURL(/\/forgot$/);
    await waitForPageReady(page, jsEnabled);
    await expect(page.getByRole('heading', { level: 1, name: 'Forgot your password?' })).toBeVisible();
    await expect(page.getByText('Ask your counselor', { exact: false })).toBeVisible();
  });
});
